"""e2e.py - svcgen local end to end, driven only through HTTP and the AWS
endpoint (see tests/suites/local_e2e.sh for what each scenario proves).

usage: e2e.py WORKDIR [SCENARIO...]   (default: every scenario)
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import SVCGEN, LocalRun, Result, http, json_or  # noqa: E402

R = Result()
WORK = None


def start(name, spec, *args, env=None, out=None):
    out = os.path.join(WORK, out or name)
    run = LocalRun(spec, out, os.path.join(WORK, name + ".log"), *args, env=env)
    # Callers of an API with IAM auth sign their requests (run.api).
    with open(spec) as f:
        run.signed_api = "\n  auth: iam" in f.read()
    R.check(run.ok, "%s: svcgen local starts and writes local.json (%.1f s)" % (name, run.ready_s),
            run.text()[-3000:] if not run.ok else "")
    return run


def stopped(run, name):
    took, left = run.stop()
    R.check(not left and took < 5, "%s: SIGTERM stops it in %.1f s, no process left behind" % (name, took),
            "left: %r" % left)
    R.check(not os.path.exists(os.path.join(run.out_dir, "local.json")),
            "%s: local.json removed on stop" % name)
    R.check(not os.path.exists("moto_recording"), "%s: nothing written into the caller's directory" % name)
    text = run.text()
    bad = [line for line in text.splitlines() if "Sanitizer" in line or "runtime error:" in line]
    R.check(run.proc.returncode == 0 and not bad, "%s: svcgen exits 0 after the stop, no sanitizer report" % name,
            "exit %s; %s" % (run.proc.returncode, "\n".join(bad[:5])))


def gateway_error(status, headers):
    """Was this API Gateway's own answer (not the function's)?"""
    return "x-amzn-errortype" in headers or (status in (500, 503) and "apigw-requestid" in headers
                                               and status != 200)


def no_denials(run, name):
    denied = [line for line in run.text().splitlines() if "[iam]" in line]
    R.check(not denied, "%s: every AWS call of the scaffolds was allowed by their policies" % name,
            "\n".join(denied[:5]))


def subscribe_queue(run, topic):
    """An SQS queue on the endpoint receiving `topic`'s messages."""
    sqs, sns = run.client("sqs"), run.client("sns")
    url = sqs.create_queue(QueueName="e2e-" + topic)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=run.state["topics"][topic], Protocol="sqs", Endpoint=arn,
                  Attributes={"RawMessageDelivery": "true"})
    return sqs, url


def received(sqs, url, timeout=20):
    end = time.monotonic() + timeout
    msgs = []
    while time.monotonic() < end and not msgs:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    return [json_or(m["Body"]) for m in msgs]


# ---- scenarios ---------------------------------------------------------------------------

def notes():
    """REST, no auth: create, read, list, update, delete through the working
    scaffolds; a stream record reaching its function, which publishes it."""
    run = start("notes", "examples/notes/service.yaml")
    if not run.ok:
        return
    api = run.state["api_url"]
    sqs, queue = subscribe_queue(run, "note_events")
    st, h, b = run.api("PUT", api + "/notes/n1", '{"title":"first","n":3}', {"Content-Type": "application/json"})
    R.check(st == 200 and (json_or(b) or {}).get("title") == "first", "notes: PUT /notes/n1 stores it", "%d %s" % (st, b))
    st, h, b = run.api("GET", api + "/notes/n1")
    R.check(st == 200 and (json_or(b) or {}).get("n") == 3, "notes: GET /notes/n1 reads it back", "%d %s" % (st, b))
    st, h, b = run.api("GET", api + "/notes")
    items = (json_or(b) or {}).get("items") or []
    R.check(st == 200 and [i.get("id") for i in items] == ["n1"], "notes: GET /notes lists it", "%d %s" % (st, b))
    st, h, b = run.api("PATCH", api + "/notes/n1", '{"title":"second"}', {"Content-Type": "application/json"})
    R.check(st == 200 and (json_or(b) or {}).get("title") == "second", "notes: PATCH /notes/n1 updates it", "%d %s" % (st, b))
    st, h, b = run.api("DELETE", api + "/notes/n1")
    R.check(st == 204, "notes: DELETE /notes/n1 answers 204", "%d %s" % (st, b))
    st, h, b = run.api("GET", api + "/notes/n1")
    R.check(st == 404, "notes: GET after DELETE answers 404", "%d %s" % (st, b))
    st, h, b = run.api("PUT", api + "/boards/b1/cards/c1", '{"x":1}', {"Content-Type": "application/json"})
    st2, _, b2 = run.api("GET", api + "/boards/b1/cards")
    R.check(st == 200 and st2 == 200 and '"card_id":"c1"' in b2, "notes: ANY route and a Query by partition key",
            "%d %s / %d %s" % (st, b, st2, b2))
    # API Gateway's own answers.
    st, h, b = run.api("GET", api + "/nothing/here")
    R.check(st == 403 and json_or(b) == {"message": "Missing Authentication Token"}
            and h.get("x-amzn-errortype") == "MissingAuthenticationTokenException",
            "notes: an unknown route answers 403 Missing Authentication Token", "%d %s %r" % (st, b, h))
    st, h, b = run.api("POST", api + "/notes/n1")
    R.check(st == 403, "notes: a method the resource lacks answers 403", "%d %s" % (st, b))
    st, h, b = run.api("GET", api.rsplit("/", 1)[0] + "/prod/notes")
    R.check(st == 403 and json_or(b) == {"message": "Forbidden"}, "notes: another stage answers 403 Forbidden", "%d %s" % (st, b))
    # The stream: INSERT, MODIFY, REMOVE of n1 reached note_changed, which published them.
    R.check(run.wait_log("[note_changed] START RequestId"), "notes: the stream's records reach note_changed")
    msgs = received(sqs, queue)
    R.check(any(m and m.get("eventName") in ("INSERT", "MODIFY", "REMOVE") for m in msgs),
            "notes: note_changed published a record to note_events", repr(msgs)[:300])
    no_denials(run, "notes")
    stopped(run, "notes")


EDITED_GET_NOTE = r'''
/* get_note.c, edited by the test: ids that misbehave. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "handlers.h"

int handle_http_get_note(const lambda_request *req, lambda_response *res,
	const lambda_context *ctx)
{
	const char *table = getenv("TABLE_NOTES");
	(void)ctx;
	static const lambda_crud_attr key[] = {{"id", 'S', "id", NULL}};
	const char *id = lambda_path_param(req, "id");
	if (id && !strcmp(id, "denied")) /* DeleteItem: outside get_note's policy */
		return lambda_crud_delete(res, table, lambda_crud_key(req, key, 1));
	if (id && !strcmp(id, "crash"))
		abort();
	if (id && !strcmp(id, "slow"))
		sleep(3);
	return lambda_crud_get(res, table, lambda_crud_key(req, key, 1));
}
'''


EDITED_NOTE_CHANGED = r'''
/* note_changed.c, edited by the test: every batch fails. */
#include "handlers.h"

int handle_stream_note_changed(const lambda_stream_batch *batch, lambda_batch_result *result,
	const lambda_context *ctx)
{
	(void)result;
	(void)ctx;
	lambda_log_error("failing a batch of %zu records", batch->count);
	return -1;
}
'''


def edited_project(name, timeout):
    """notes.yaml with a 1 s timeout, get_note at reserved concurrency 1, the
    stream retried once, get_note and note_changed edited; the spec path."""
    out = os.path.join(WORK, name)
    spec = os.path.join(WORK, name + ".yaml")
    with open("examples/notes/service.yaml") as f:
        text = f.read()
    text = re.sub(r"(\n  timeout:) \d+", r"\1 %d" % timeout, text, count=1)
    text = text.replace("starting_position: trim_horizon}", "starting_position: trim_horizon, retries: 1}")
    text = text.replace("\nfunctions:\n", "\nfunctions:\n  get_note: {reserved_concurrency: 1}\n")
    with open(spec, "w") as f:
        f.write(text)
    subprocess.run([SVCGEN, "generate", spec, "-o", out, "--only", "handlers,iam"], check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "handlers/src/get_note.c"), "w") as f:
        f.write(EDITED_GET_NOTE)
    with open(os.path.join(out, "handlers/src/note_changed.c"), "w") as f:
        f.write(EDITED_NOTE_CHANGED)
    return spec


def denied():
    """A handler edited to call an action outside its policy gets
    AccessDeniedException, and the log names the missing `uses` entry; a
    crash and a timeout answer 502 and leave a restarted process."""
    spec = edited_project("edited", 1)
    run = start("edited", spec)
    if not run.ok:
        return
    api = run.state["api_url"]
    st, h, b = run.api("GET", api + "/notes/denied")
    R.check(st == 500, "edited: the handler's DeleteItem fails (its error answer, 500)", "%d %s" % (st, b))
    R.check(run.wait_log("DeleteItem failed: access_denied AccessDeniedException: User: "
                         "arn:aws:sts::123456789012:assumed-role/notes-dev-get_note/notes-dev-get_note "
                         "is not authorized to perform: dynamodb:DeleteItem", timeout=5),
            "edited: the handler saw AccessDeniedException, with AWS's message")
    text = run.text()
    m = re.search(r"\[iam\] get_note: denied dynamodb:DeleteItem on (\S+); the uses entry that grants it: (\S+)", text)
    R.check(m is not None and m.group(1).endswith(":table/notes-dev-notes") and m.group(2) == "notes:delete",
            "edited: the log names get_note, dynamodb:DeleteItem, the table and `notes:delete`",
            "\n".join(line for line in text.splitlines() if "[iam]" in line)[:500])
    # A crash: 502, and the function is served again by a new process.
    st, h, b = run.api("GET", api + "/notes/crash")
    R.check(st == 502 and json_or(b) == {"message": "Internal server error"},
            "edited: a crash answers 502 Internal server error", "%d %s" % (st, b))
    R.check(run.wait_log("Runtime exited with error", timeout=5), "edited: the crash is logged as Lambda logs it")
    st, h, b = run.api("GET", api + "/notes/none")
    R.check(st == 404, "edited: after the crash a restarted process answers", "%d %s" % (st, b))
    # A timeout (1 s): 502, logged, restarted.
    t = time.monotonic()
    st, h, b = run.api("GET", api + "/notes/slow")
    took = time.monotonic() - t
    R.check(st == 502 and took < 2.5, "edited: past its 1 s timeout the function answers 502 (%.1f s)" % took,
            "%d %s" % (st, b))
    R.check("Task timed out after 1.00 seconds" in run.text(), "edited: the timeout is logged as Lambda logs it")
    st, h, b = run.api("GET", api + "/notes/none")
    R.check(st == 404, "edited: after the timeout a restarted process answers", "%d %s" % (st, b))
    # Reserved concurrency 1: a second request while one runs is throttled.
    slow = {}
    t1 = threading.Thread(target=lambda: slow.update(r=run.api("GET", api + "/notes/slow")))
    t1.start()
    time.sleep(0.3)
    st, h, b = run.api("GET", api + "/notes/none")
    t1.join()
    R.check(st == 500 and json_or(b) == {"message": "Internal server error"} and slow["r"][0] == 502,
            "edited: with reserved concurrency 1 a second request in flight is throttled (500)", "%d %s" % (st, b))
    R.check("throttled: reserved concurrency 1 in use" in run.text(), "edited: the throttle is logged")
    # A failing stream function: retried once (retries: 1), then discarded.
    run.client("dynamodb").put_item(TableName="notes-dev-notes", Item={"id": {"S": "poison"}})
    R.check(run.wait_log("failed 2 times (MaximumRetryAttempts 1); discarded", timeout=30),
            "edited: a failing batch is retried once, then discarded and logged")
    stopped(run, "edited")

    # --iam soft: the same call goes through, and the stop prints the report.
    run = start("edited-soft", spec, "--iam", "soft", "--no-build", out="edited")
    if not run.ok:
        return
    st, h, b = run.api("GET", run.state["api_url"] + "/notes/denied")
    R.check(st == 204, "soft: the denied DeleteItem is let through (204)", "%d %s" % (st, b))
    R.check(run.wait_log("[iam] get_note: would deny dynamodb:DeleteItem", timeout=5), "soft: the denial is logged")
    run.api("GET", run.state["api_url"] + "/notes/x")
    stopped(run, "edited-soft")
    text = run.text()
    report = text[text.find("permissions report"):]
    R.check(re.search(r"  get_note:\n    needed, not granted:\n      notes:delete  "
                      r"\(dynamodb:DeleteItem on \S+:table/notes-dev-notes\)", report) is not None,
            "soft: the report lists notes:delete as needed by get_note, not granted", report[:800])
    R.check(re.search(r"  list_notes:\n    needed, not granted: none\n    granted, never used:\n      notes:scan",
                      report) is not None,
            "soft: the report lists list_notes's notes:scan as granted, never used", report[:800])
    R.check(re.search(r"  get_note:\n    needed, not granted:\n.*\n    granted, never used: none", report) is not None,
            "soft: get_note used what it was granted (GetItem)", report[:800])


def shop():
    """REST with IAM auth (examples/users-orders with `auth: iam`; its own
    handlers are example_users_orders.sh's, these are the scaffolds):
    unsigned refused, signed accepted; CORS with two origins; the stream's
    filter lets only orders through."""
    spec = os.path.join(WORK, "shop.yaml")
    with open("examples/users-orders/service.yaml") as f:
        text = f.read()
    R.check("\n  auth: none\n" in text, "shop: examples/users-orders/service.yaml's API says auth: none")
    with open(spec, "w") as f:
        f.write(text.replace("\n  auth: none\n", "\n  auth: iam\n", 1))
    run = start("shop", spec)
    if not run.ok:
        return
    api, region = run.state["api_url"], run.state["region"]
    st, h, b = http("GET", api + "/users/u1")
    R.check(st == 403 and json_or(b) == {"message": "Missing Authentication Token"},
            "shop: an unsigned request to an IAM-auth method is refused (403)", "%d %s" % (st, b))
    st, h, b = http("GET", api + "/users/u1", sign=run.creds(), region=region)
    R.check(st < 500 and not gateway_error(st, h), "shop: a request signed with local.json's key reaches get_user (%d)" % st,
            "%d %s %r" % (st, b, h))
    from botocore.credentials import Credentials
    st, h, b = http("GET", api + "/users/u1", sign=Credentials(run.state["access_key_id"], "wrong"), region=region)
    R.check(st == 403 and "signature we calculated does not match" in b, "shop: a wrong secret is refused (403)", "%d %s" % (st, b))
    st, h, b = http("GET", api + "/users/u1", sign=Credentials("AKIAUNKNOWNKEY000000", "x"), region=region)
    R.check(st == 403 and "security token included in the request is invalid" in b,
            "shop: an unknown key is refused (403)", "%d %s" % (st, b))
    pre = {"Origin": "http://localhost:3000", "Access-Control-Request-Method": "PUT"}
    st, h, b = http("OPTIONS", api + "/orders/o1", headers=pre)
    R.check(st == 204 and h.get("access-control-allow-origin") == "http://localhost:3000"
            and "PUT" in h.get("access-control-allow-methods", "") and h.get("vary") == "Origin",
            "shop: a CORS preflight answers 204 for an allowed origin", "%d %r" % (st, h))
    pre["Origin"] = "https://evil.example"
    st, h, b = http("OPTIONS", api + "/orders/o1", headers=pre)
    R.check(st == 204 and "access-control-allow-origin" not in h, "shop: no Allow-Origin for another origin", "%r" % h)
    sqs, queue = subscribe_queue(run, "order_events")
    ddb = run.client("dynamodb")
    table = run.state["tables"]["shop"]["table_name"]
    ddb.put_item(TableName=table, Item={"PK": {"S": "CUSTOMER#u1"}, "SK": {"S": "CUSTOMER#u1"}})
    ddb.put_item(TableName=table, Item={"PK": {"S": "CUSTOMER#u1"}, "SK": {"S": "#ORDER#7"}})
    ddb.update_item(TableName=table, Key={"PK": {"S": "CUSTOMER#u1"}, "SK": {"S": "#ORDER#7"}},
                    UpdateExpression="SET #s = :s", ExpressionAttributeNames={"#s": "Status"},
                    ExpressionAttributeValues={":s": {"S": "CANCEL"}})
    R.check(run.wait_log("[notify_order] START RequestId", timeout=30), "shop: an order written to the table reaches notify_order")
    msgs = received(sqs, queue, timeout=30)
    keys = [((m or {}).get("keys") or {}).get("SK") for m in msgs]
    R.check(keys == ["#ORDER#7"], "shop: the filter passed the order's INSERT, not the user nor the MODIFY, and it was published",
            repr(msgs)[:400])
    no_denials(run, "shop")
    stopped(run, "shop")


def cognito():
    """REST with a Cognito authorizer: 401 without a token, 200 with one the
    local user pool issued; scopes need an access token that has them."""
    # The example's route takes any token of the pool; a copy asks for the
    # openid scope.  Both run the scaffold svcgen writes (a PutItem of the
    # body), not the example's handler (tests/suites/example_dynamodb_manager.sh).
    spec = os.path.join(WORK, "manager-scoped.yaml")
    with open("examples/dynamodb-manager/service.yaml") as f:
        text = f.read()
    scoped_text = text.replace("        function: dynamodb_manager\n",
                               "        function: dynamodb_manager\n        scopes: [openid]\n", 1)
    assert scoped_text != text
    with open(spec, "w") as f:
        f.write(scoped_text)
    for name, path, scoped in (("manager", spec, True), ("manager-noscopes", "examples/dynamodb-manager/service.yaml", False)):
        run = start(name, path)
        if not run.ok:
            continue
        api = run.state["api_url"] + "/DynamoDBManager"
        idp = run.client("cognito-idp")
        pool, client = run.state["user_pool_id"], run.state["user_pool_client_id"]
        idp.admin_create_user(UserPoolId=pool, Username="ada@example.com", MessageAction="SUPPRESS")
        idp.admin_set_user_password(UserPoolId=pool, Username="ada@example.com", Password="Correct-Horse-9!", Permanent=True)
        tok = idp.admin_initiate_auth(UserPoolId=pool, ClientId=client, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                      AuthParameters={"USERNAME": "ada@example.com", "PASSWORD": "Correct-Horse-9!"})["AuthenticationResult"]
        body = '{"id":"i1","name":"one"}'
        st, h, b = http("POST", api, body, {"Content-Type": "application/json"})
        R.check(st == 401 and json_or(b) == {"message": "Unauthorized"}, "%s: no token: 401 Unauthorized" % name, "%d %s" % (st, b))
        st, h, b = http("POST", api, body, {"Authorization": "not-a-token"})
        R.check(st == 401, "%s: a malformed token: 401" % name, "%d %s" % (st, b))
        st_id, _, b_id = http("POST", api, body, {"Authorization": tok["IdToken"], "Content-Type": "application/json"})
        st_ac, _, b_ac = http("POST", api, body.replace("i1", "i2"),
                              {"Authorization": tok["AccessToken"], "Content-Type": "application/json"})
        if scoped:
            R.check(st_id == 401, "%s: with scopes an ID token is refused (401)" % name, "%d %s" % (st_id, b_id))
            R.check(st_ac == 401, "%s: an access token without the openid scope is refused (401), as AWS does for password sign-in" % name,
                    "%d %s" % (st_ac, b_ac))
            pre = {"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"}
            st, h, b = http("OPTIONS", api, headers=pre)
            R.check(st == 204 and h.get("access-control-allow-origin") == "https://app.example.com"
                    and h.get("access-control-allow-credentials") == "true",
                    "%s: the CORS preflight answers 204 without a token" % name, "%d %r" % (st, h))
        else:
            R.check(st_id in (200, 201), "%s: an ID token of the local pool: %d, item created" % (name, st_id), "%d %s" % (st_id, b_id))
            R.check(st_ac in (200, 201), "%s: an access token of the local pool: %d" % (name, st_ac), "%d %s" % (st_ac, b_ac))
            got = run.client("dynamodb").get_item(TableName="dynamodb-manager-prod-lambda-apigateway",
                                                  Key={"id": {"S": "i1"}}).get("Item")
            R.check(got is not None and got.get("name", {}).get("S") == "one", "%s: the item is in the table" % name, repr(got))
        no_denials(run, name)
        stopped(run, name)


def items_http():
    """HTTP API with IAM auth and CORS."""
    run = start("items", "examples/items-api/service.yaml")
    if not run.ok:
        return
    api, region = run.state["api_url"], run.state["region"]
    st, h, b = http("GET", api + "/items/i1")
    R.check(st == 403 and json_or(b) == {"message": "Forbidden"}, "items: an unsigned request is refused (403 Forbidden)", "%d %s" % (st, b))
    st, h, b = http("GET", api + "/items/i1", sign=run.creds(), region=region, headers={"Origin": "https://admin.example.com"})
    R.check(st < 500 and not gateway_error(st, h), "items: a signed request reaches get_item (%d)" % st, "%d %s %r" % (st, b, h))
    R.check(h.get("access-control-allow-origin") == "https://admin.example.com", "items: the answer carries the API's CORS origin", "%r" % h)
    pre = {"Origin": "https://admin.example.com", "Access-Control-Request-Method": "DELETE"}
    st, h, b = http("OPTIONS", api + "/items/i1", headers=pre)
    R.check(st == 204 and h.get("access-control-allow-origin") == "https://admin.example.com"
            and h.get("access-control-max-age") == "300", "items: API Gateway answers the CORS preflight (204)", "%d %r" % (st, h))
    st, h, b = http("GET", api + "/nothing", sign=run.creds(), region=region)
    R.check(st == 404 and json_or(b) == {"message": "Not Found"}, "items: an unknown route answers 404 Not Found", "%d %s" % (st, b))
    no_denials(run, "items")
    stopped(run, "items")


def proxy():
    """A {proxy+} API: every path and method reaches the one function."""
    run = start("proxy", "examples/proxy-app/service.yaml")
    if not run.ok:
        return
    api = run.state["api_url"]
    for method, path in (("GET", "/"), ("GET", "/a/b/c"), ("POST", "/x"), ("DELETE", "/deep/er/path")):
        st, h, b = http(method, api + path)
        R.check(not gateway_error(st, h), "proxy: %s %s reaches app (%d)" % (method, path, st), "%d %s %r" % (st, b, h))
    stopped(run, "proxy")


def endpoint():
    """--aws-endpoint: an endpoint already running is used, and left running."""
    import socket
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    moto = subprocess.Popen([os.environ.get("SVCGEN_MOTO_PYTHON", "build/moto/bin/python"), "-m", "moto.server",
                             "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = "http://127.0.0.1:%d" % port
        run = start("endpoint", "examples/notes/service.yaml", "--aws-endpoint", url)
        if run.ok:
            R.check(run.state["aws_endpoint"] == url, "endpoint: local.json names the given endpoint", run.state["aws_endpoint"])
            import boto3
            ddb = boto3.client("dynamodb", endpoint_url=url, region_name="us-east-1",
                               aws_access_key_id="x", aws_secret_access_key="x")
            R.check("notes-dev-notes" in ddb.list_tables()["TableNames"],
                    "endpoint: the spec's tables were created on the given endpoint")
            st, h, b = run.api("PUT", run.state["api_url"] + "/notes/e1", '{"a":1}', {"Content-Type": "application/json"})
            item = ddb.get_item(TableName="notes-dev-notes", Key={"id": {"S": "e1"}}).get("Item")
            R.check(st == 200 and item is not None, "endpoint: the API stores the item there", "%d %s" % (st, b))
            stopped(run, "endpoint")
            R.check(moto.poll() is None, "endpoint: the given endpoint is still running after the stop")
    finally:
        moto.kill()
        moto.wait()


def killed():
    """SIGKILL of svcgen itself leaves no process behind either."""
    run = start("killed", "examples/notes/service.yaml")
    if not run.ok:
        return
    took, left = run.stop(signal.SIGKILL)
    R.check(not left and len(run.children) > 3, "killed: after SIGKILL none of its %d processes is left" % len(run.children),
            "left: %r" % left)
    try:
        os.unlink(os.path.join(run.out_dir, "local.json"))
    except OSError:
        pass


SCENARIOS = {"notes": notes, "denied": denied, "shop": shop, "cognito": cognito, "items": items_http,
             "proxy": proxy, "endpoint": endpoint, "killed": killed}


def main():
    global WORK
    WORK = os.path.abspath(sys.argv[1])
    os.makedirs(WORK, exist_ok=True)
    for name in sys.argv[2:] or list(SCENARIOS):
        t = time.monotonic()
        try:
            SCENARIOS[name]()
        except Exception as e:  # a scenario that blows up is a failure, not a crash
            R.check(False, "%s: raised %s: %s" % (name, type(e).__name__, e))
        print("      (%s: %.0f s)" % (name, time.monotonic() - t), flush=True)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
