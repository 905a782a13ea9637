"""example_dynamodb_manager.py - examples/dynamodb-manager end to end
(issue 13), driven only through HTTP and the local AWS endpoint: a copy of
the example directory, the README's `svcgen local` command run in it, a
user signed up in the local Cognito pool (admin API, local.json's
credentials) and its ID token, then the README's curl commands run as
written, each answer checked against the status and body the README shows.
Beyond them: the table holds what the API wrote (read back with the
administrator's credentials), a table the function was not granted is
refused by the local IAM check, which names it, an access token is
accepted too, and the CORS preflight needs no token.

usage: example_dynamodb_manager.py WORKDIR
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import (LocalRun, Result, cognito_tokens, copy_example, http, json_has,  # noqa: E402
                 json_or, readme_commands, run_curl)

R = Result()


def main():
    work = os.path.abspath(sys.argv[1])
    repo = copy_example("dynamodb-manager", work)
    readme = os.path.join(repo, "README.md")
    local = [c for c, _, _ in readme_commands(readme, "svcgen") if c.startswith("svcgen local")]
    R.check(local == ["svcgen local service.yaml -o ."],
            "manager: the README runs `svcgen local service.yaml -o .`", repr(local))
    t = time.monotonic()
    run = LocalRun("service.yaml", ".", os.path.join(work, "manager.log"), cwd=repo)
    R.check(run.ok, "manager: svcgen local starts in the example's directory (%.1f s)" % run.ready_s,
            run.text()[-3000:] if not run.ok else "")
    if not run.ok:
        run.stop()
        return R.finish()
    try:
        api = run.state["api_url"]
        url = api + "/DynamoDBManager"
        physical = run.state["tables"]["lambda-apigateway"]["table_name"]
        R.check(physical == "dynamodb-manager-prod-lambda-apigateway",
                "manager: table lambda-apigateway is %s on the endpoint" % physical)
        tok = cognito_tokens(run, "ada@example.com", "Correct-Horse-9!")
        env = {"API": api, "TOKEN": tok["IdToken"]}
        curls = readme_commands(readme, "curl")
        R.check(len(curls) >= 10 and all(s is not None for _, s, _ in curls),
                "manager: the README shows %d curl commands, each with its answer" % len(curls))
        ops = set()
        ddb = run.client("dynamodb")
        for cmd, status, body in curls:
            got = json_or(cmd.split("-d '", 1)[-1].rstrip("'")) if "-d '" in cmd else None
            st, text = run_curl(cmd, env, cwd=repo)
            what = "%s%s" % ((got or {}).get("operation"), "" if "$TOKEN" in cmd else ", no token")
            R.check(st == status and json_has(body, json_or(text)),
                    "manager: README's curl (%s) -> %d" % (what, status), "%d %s" % (st, text[:400]))
            ops.add((got or {}).get("operation"))
            # What create and update wrote is in the table, as DynamoDB keeps it.
            if (got or {}).get("operation") == "create" and st == 200:
                item = ddb.get_item(TableName=physical, Key={"id": {"S": "1"}}).get("Item")
                R.check(item == {"id": {"S": "1"}, "name": {"S": "Bob"}},
                        "manager: create stored the item as AttributeValues", repr(item))
            if (got or {}).get("operation") == "update" and st == 200:
                item = ddb.get_item(TableName=physical, Key={"id": {"S": "1"}}).get("Item")
                R.check((item or {}).get("visits") == {"N": "3"}, "manager: update set a number attribute", repr(item))
        R.check({"create", "read", "update", "delete", "list", "echo", "ping"} <= ops,
                "manager: the README shows every operation", repr(sorted(filter(None, ops))))
        R.check(ddb.get_item(TableName=physical, Key={"id": {"S": "1"}}).get("Item") is None,
                "manager: delete removed the item")
        # A table the function was not granted: denied by the local IAM check.
        text = run.text()
        R.check("[iam] dynamodb_manager: denied dynamodb:GetItem on " in text and ":table/audit-log" in text,
                "manager: the ungranted table was refused by the function's policy, and the log names it",
                "\n".join(line for line in text.splitlines() if "[iam]" in line)[:400])
        # Beyond the README.
        hdr = {"Content-Type": "application/json"}
        st, h, b = http("POST", url, '{"operation": "ping"}', dict(hdr, Authorization=tok["AccessToken"]))
        R.check(st == 200 and json_or(b) == "pong", "manager: an access token of the pool is accepted too", "%d %s" % (st, b))
        st, h, b = http("POST", url, '{"operation": "ping"}', dict(hdr, Authorization="not-a-token"))
        R.check(st == 401, "manager: a malformed token: 401", "%d %s" % (st, b))
        st, h, b = http("POST", url, '{"operation": "create", "tableName": "lambda_apigateway", '
                        '"payload": {"Item": {"id": "u", "n": 1.5, "ok": true, "tags": ["a"], "m": {"x": null}}}}',
                        dict(hdr, Authorization=tok["IdToken"]))
        item = ddb.get_item(TableName=physical, Key={"id": {"S": "u"}}).get("Item")
        R.check(st == 200 and item == {"id": {"S": "u"}, "n": {"N": "1.5"}, "ok": {"BOOL": True},
                                       "tags": {"L": [{"S": "a"}]}, "m": {"M": {"x": {"NULL": True}}}},
                "manager: plain JSON of every kind becomes its AttributeValue ('lambda_apigateway' names the same table)",
                "%d %s %r" % (st, b, item))
        st, h, b = http("POST", url, '{"operation": "read", "tableName": "lambda-apigateway", "payload": {"Key": {}}}',
                        dict(hdr, Authorization=tok["IdToken"]))
        R.check(st == 400 and (json_or(b) or {}).get("error") == "ValidationException",
                "manager: DynamoDB's ValidationException answers 400", "%d %s" % (st, b))
        pre = {"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"}
        st, h, b = http("OPTIONS", url, headers=pre)
        R.check(st == 204 and h.get("access-control-allow-origin") == "https://app.example.com",
                "manager: the CORS preflight answers 204 without a token", "%d %r" % (st, h))
    finally:
        took, left = run.stop()
    R.check(not left and took < 5, "manager: SIGTERM stops it in %.1f s, no process left behind" % took, repr(left))
    R.check(not os.path.exists(os.path.join(repo, "local.json")), "manager: local.json removed on stop")
    bad = [line for line in run.text().splitlines() if "Sanitizer" in line or "runtime error:" in line]
    R.check(run.proc.returncode == 0 and not bad, "manager: svcgen exits 0, no sanitizer report", "\n".join(bad[:5]))
    print("      (manager: %.0f s)" % (time.monotonic() - t), flush=True)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
