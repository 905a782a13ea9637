"""example_items_api.py - examples/items-api end to end, driven only through
HTTP and the local AWS endpoint (tests/suites/example_items_api.sh).

The example directory is copied into WORKDIR and its README's own
`svcgen local` command runs there; the README's curl commands (signed by
curl's --aws-sigv4 with local.json's key) run in order, each answer
checked; the rest goes over HTTP, signed with botocore's SigV4.

usage: example_items_api.py WORKDIR
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from botocore.credentials import Credentials  # noqa: E402

from lib import Result, curl, http, json_or, main_guard, readme_lines, start_example  # noqa: E402

R = Result()
JSON = {"Content-Type": "application/json"}
LAMP = {"id": "i1", "name": "Lamp", "price": 25}

# What each README command answers, in order: (status, body as JSON or None).
EXPECT = [
    (403, {"message": "Forbidden"}),
    (201, LAMP),
    (200, LAMP),
    (200, dict(LAMP, price=30)),
    (200, {"items": [dict(LAMP, price=30)], "next": None}),
    (204, None),
    (404, {"message": "not found"}),
]


def main():
    work = os.path.abspath(sys.argv[1])
    os.makedirs(work, exist_ok=True)
    run, readme = start_example("items-api", work, os.path.join(work, "items-api.log"))
    R.check(run.ok, "`%s` starts in a copy of the example (%.1f s)" % (run.readme_command, run.ready_s),
            run.text()[-3000:])
    if not run.ok:
        run.stop()
        return R.finish()
    try:
        s = run.state
        api, region = s["api_url"], s["region"]
        cmds = readme_lines(readme, "curl ")
        R.check(len(cmds) == len(EXPECT), "README: %d curl commands found (%d)" % (len(EXPECT), len(cmds)),
                "\n".join(cmds))
        R.check(all(("aws:amz:%s:execute-api" % region) in c for c in cmds[1:]),
                "README: the signed commands name the spec's region (%s)" % region)
        env = {"API": api, "KEY": s["access_key_id"], "SECRET": s["secret_access_key"]}
        for cmd, (want_st, want) in zip(cmds, EXPECT):
            st, body = curl(cmd, env)
            short = cmd.replace('--aws-sigv4 "aws:amz:%s:execute-api" --user "$KEY:$SECRET" ' % region, "(signed) ")
            R.check(st == want_st and (json_or(body) == want if want is not None else body == ""),
                    "README: %s -> %d" % (short[:100], want_st), "%d %s" % (st, body))

        # Every route refuses what is not signed with local.json's key.
        routes = [("POST", "/items"), ("GET", "/items"), ("GET", "/items/x"), ("PUT", "/items/x"),
                  ("DELETE", "/items/x")]
        for method, path in routes:
            st, h, b = http(method, api + path, "{}" if method in ("POST", "PUT") else None, JSON)
            R.check(st == 403 and json_or(b) == {"message": "Forbidden"},
                    "%s %s unsigned -> 403 Forbidden" % (method, path), "%d %s" % (st, b))
            st, h, b = http(method, api + path, "{}" if method in ("POST", "PUT") else None, JSON,
                            sign=Credentials(s["access_key_id"], "wrong-secret"), region=region)
            R.check(st == 403, "%s %s with a wrong secret -> 403" % (method, path), "%d %s" % (st, b))
        sign = {"sign": run.creds(), "region": region}
        st, h, b = http("POST", api + "/items", '{"id": "d", "name": "x"}', JSON, **sign)
        st2, h, b2 = http("POST", api + "/items", '{"id": "d", "name": "y"}', JSON, **sign)
        R.check(st == 201 and st2 == 409, "POST /items: the same id twice -> 201, then 409", "%d %s / %d %s" % (st, b, st2, b2))
        st, h, b = http("POST", api + "/items", '{"name": "no id"}', JSON, **sign)
        R.check(st == 400, "POST /items without an id -> 400", "%d %s" % (st, b))
        st, h, b = http("PUT", api + "/items/missing", '{"price": 1}', JSON, **sign)
        R.check(st == 404, "PUT /items/{id} of a missing item -> 404", "%d %s" % (st, b))
        got = run.client("dynamodb").get_item(TableName=s["tables"]["items"]["table_name"],
                                              Key={"id": {"S": "d"}}).get("Item")
        R.check(got is not None and got["name"]["S"] == "x", "the item is in the table, unchanged by the 409", repr(got))
        denied = [line for line in run.text().splitlines() if "[iam]" in line]
        R.check(not denied, "every AWS call of the handlers was allowed by their policies", "\n".join(denied[:5]))
    finally:
        took, left = run.stop()
    R.check(not left and took < 5 and run.proc.returncode == 0,
            "SIGTERM stops it in %.1f s, exit 0, no process left behind" % took, "left %r, exit %s" % (left, run.proc.returncode))
    return R.finish()


if __name__ == "__main__":
    main_guard(main)
