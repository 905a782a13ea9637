#!/usr/bin/env python3
"""aws_moto.py - the handler runtime's AWS clients against moto server.

    aws_moto.py --svcgen SVCGEN --work DIR [--valgrind N] SPEC...

For every SPEC: generate it, build its handlers for this machine, create its
tables and topics on a moto server (pinned in tests/requirements.txt,
started here on 127.0.0.1 and a free port, always stopped), and run the
unedited scaffolds' bootstraps under a Lambda Runtime API served by this
script (the contract of the Lambda Developer Guide, "Using the Lambda
runtime API for custom runtimes", as tests/handlers/fake_runtime_api.py
serves it), with the functions' environment from the generated
CloudFormation template.

moto checks signatures for real: it runs with INITIAL_NO_AUTH_ACTION_COUNT
unset while this script creates an IAM user, its access key and the
resources, then /moto-api/reset-auth turns verification on (every request
is then checked by recomputing its SigV4 signature with the issued secret);
a request signed with a wrong secret must be refused.

Checked:
  - signing: the runtime's Authorization header equals botocore's for the
    same requests at a fixed date (through build/tests/rt_sign);
  - a spec keyed by its path parameters (the first SPEC): its scaffolds
    store, read, list, update and delete items, answer 400 for a body that
    is not a JSON object and 404 for a missing item;
  - every other SPEC: each route's scaffold makes the call it is granted
    (an answer from DynamoDB: 2xx, 404 or 409, never 400/403/500), on
    tables holding an item under every key its routes can name (the path's
    sample values and the scaffolds' TODO placeholders), so reads find and
    updates change a real item; a write gets a JSON body whatever its
    method;
  - a stream function publishes each record (an SQS queue subscribed to
    the topic receives it);
  - one warm process serves many invocations;
  - an expired deadline stops retries (a throttling endpoint served here);
  - with --valgrind N: N invocations that call DynamoDB leak nothing.
Ends with "N passed, N failed".
"""
import argparse
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REGION = "us-east-1"
PREFIX = "/2018-06-01/runtime"
passed = 0
failed = 0


def spec_name(spec):
    """An example's name: its directory for examples/<name>/service.yaml,
    else the file's name without .yaml."""
    if os.path.basename(spec) == "service.yaml":
        return os.path.basename(os.path.dirname(os.path.abspath(spec)))
    return os.path.basename(spec)[:-5]


def ok(msg):
    global passed
    passed += 1
    print("ok    " + msg, flush=True)


def bad(msg):
    global failed
    failed += 1
    print("FAIL  " + msg, flush=True)


def check(cond, msg):
    (ok if cond else bad)(msg)
    return cond


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- a Lambda Runtime API, one invocation at a time -------------------------

class RuntimeApi:
    """Serves events one at a time to one bootstrap; invoke() waits for the
    answer."""

    def __init__(self):
        self.lock = threading.Condition()
        self.pending = None      # (request id, event bytes, headers)
        self.answers = {}        # request id -> (kind, body)
        self.init_error = None
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *a):
                pass

            def reply(self, code, body=b"", headers=()):
                self.send_response(code)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path != PREFIX + "/invocation/next":
                    return self.reply(404)
                with api.lock:
                    while api.pending is None:
                        api.lock.wait()
                    rid, event, hdrs = api.pending
                    api.pending = None
                self.reply(200, event, [("Lambda-Runtime-Aws-Request-Id", rid)] + hdrs)

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                m = re.match(PREFIX + r"/invocation/([^/]+)/(response|error)$", self.path)
                with api.lock:
                    if m:
                        api.answers[m.group(1)] = (m.group(2), body)
                    elif self.path == PREFIX + "/init/error":
                        api.init_error = body
                    api.lock.notify_all()
                self.reply(202)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def invoke(self, event, deadline_ms=None, timeout=30):
        rid = str(uuid.uuid4())
        deadline = deadline_ms if deadline_ms is not None else int(time.time() * 1000) + 10000
        hdrs = [("Lambda-Runtime-Deadline-Ms", str(deadline)),
                ("Lambda-Runtime-Invoked-Function-Arn",
                 "arn:aws:lambda:us-east-1:123456789012:function:test"),
                ("Lambda-Runtime-Trace-Id",
                 "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")]
        body = json.dumps(event).encode() if not isinstance(event, bytes) else event
        end = time.time() + timeout
        with self.lock:
            self.pending = (rid, body, hdrs)
            self.lock.notify_all()
            while rid not in self.answers and self.init_error is None:
                left = end - time.time()
                if left <= 0:
                    return ("timeout", None)
                self.lock.wait(left)
            if rid not in self.answers:
                return ("init_error", self.init_error)
            kind, ans = self.answers.pop(rid)
        return (kind, json.loads(ans) if kind == "response" else ans)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Function:
    """One bootstrap process with its own Runtime API."""

    def __init__(self, program, env, wrapper=(), log=None):
        self.api = RuntimeApi()
        e = dict(env)
        e["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:%d" % self.api.port
        self.log = open(log, "wb") if log else subprocess.DEVNULL
        self.proc = subprocess.Popen(list(wrapper) + [program], env=e, stdout=self.log,
                                     stderr=subprocess.STDOUT)

    def invoke(self, event, **kw):
        return self.api.invoke(event, **kw)

    def stop(self, wait=False):
        if wait:
            try:
                return self.proc.wait(timeout=600)
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.api.close()
        if self.log is not subprocess.DEVNULL:
            self.log.close()
        return self.proc.returncode


# ---- API Gateway events --------------------------------------------------------

def route_event(sample, method, path_tpl, params, body=None, query=None):
    """The sample event of a function aimed at one route, 1.0 or 2.0."""
    ev = json.loads(json.dumps(sample))
    path = path_tpl
    for k, v in params.items():
        path = path.replace("{%s}" % k, v).replace("{%s+}" % k, v)
    text = None if body is None else (body if isinstance(body, str) else json.dumps(body))
    if ev.get("version") == "2.0":
        ev["routeKey"] = "%s %s" % (method, path_tpl)
        ev["rawPath"] = path
        ev["requestContext"]["http"]["method"] = method
        ev["requestContext"]["http"]["path"] = path
        ev["requestContext"]["routeKey"] = ev["routeKey"]
        ev["rawQueryString"] = "&".join("%s=%s" % kv for kv in (query or {}).items())
        if query:
            ev["queryStringParameters"] = query
        else:
            ev.pop("queryStringParameters", None)
    else:
        ev["httpMethod"] = method
        ev["resource"] = path_tpl
        ev["path"] = path
        ev["requestContext"]["httpMethod"] = method
        ev["requestContext"]["resourcePath"] = path_tpl
        ev["queryStringParameters"] = query or None
        ev["multiValueQueryStringParameters"] = (
            {k: [v] for k, v in query.items()} if query else None)
    ev["pathParameters"] = params or None
    ev["body"] = text
    ev["isBase64Encoded"] = False
    return ev


def status_body(answer):
    kind, res = answer
    if kind != "response" or not isinstance(res, dict):
        return None, None
    body = res.get("body")
    try:
        body = json.loads(body) if body else None
    except ValueError:
        pass
    return res.get("statusCode"), body


# ---- moto ---------------------------------------------------------------------------

class Moto:
    def __init__(self, venv_bin, workdir):
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        env = dict(os.environ)
        env.pop("INITIAL_NO_AUTH_ACTION_COUNT", None)
        self.log = open(os.path.join(workdir, "moto.log"), "wb")
        self.proc = subprocess.Popen([os.path.join(venv_bin, "moto_server"), "-H", "127.0.0.1",
                                      "-p", str(self.port)], stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env)
        end = time.time() + 60
        while time.time() < end:
            try:
                urllib.request.urlopen(self.url + "/moto-api/", timeout=1)
                return
            except Exception:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.2)
        raise RuntimeError("moto server did not start")

    def enforce_auth(self):
        req = urllib.request.Request(self.url + "/moto-api/reset-auth", data=b"0", method="POST",
                                     headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(req, timeout=10).read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def boto(service, moto, key="testing", secret="testing"):
    import boto3
    return boto3.client(service, region_name=REGION, endpoint_url=moto.url,
                        aws_access_key_id=key, aws_secret_access_key=secret)


def create_user(moto):
    iam = boto("iam", moto)
    iam.create_user(UserName="svcgen-test")
    iam.put_user_policy(UserName="svcgen-test", PolicyName="all", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["dynamodb:*", "sns:*", "sqs:*"],
                       "Resource": "*"}]}))
    k = iam.create_access_key(UserName="svcgen-test")["AccessKey"]
    return k["AccessKeyId"], k["SecretAccessKey"]


def deploy(moto, template):
    """Tables and topics of a generated template; returns {logical id: value
    of its Ref}."""
    refs = {}
    ddb = boto("dynamodb", moto)
    sns = boto("sns", moto)
    for lid, res in template["Resources"].items():
        p = res.get("Properties", {})
        if res["Type"] == "AWS::DynamoDB::Table":
            args = {k: p[k] for k in ("TableName", "AttributeDefinitions", "KeySchema")}
            args["BillingMode"] = "PAY_PER_REQUEST"
            if "GlobalSecondaryIndexes" in p:
                args["GlobalSecondaryIndexes"] = [
                    {k: g[k] for k in ("IndexName", "KeySchema", "Projection")}
                    for g in p["GlobalSecondaryIndexes"]]
            if "StreamSpecification" in p:
                args["StreamSpecification"] = dict(p["StreamSpecification"], StreamEnabled=True)
            ddb.create_table(**args)
            refs[lid] = p["TableName"]
        elif res["Type"] == "AWS::SNS::Topic":
            refs[lid] = sns.create_topic(Name=p["TopicName"])["TopicArn"]
    return refs


def function_env(template, fn_physical, refs):
    for res in template["Resources"].values():
        if res["Type"] == "AWS::Lambda::Function" and \
                res["Properties"].get("FunctionName") == fn_physical:
            out = {}
            for k, v in res["Properties"].get("Environment", {}).get("Variables", {}).items():
                if isinstance(v, dict) and "Ref" in v:
                    v = refs.get(v["Ref"], "")
                out[k] = v if isinstance(v, str) else json.dumps(v)
            return out
    return {}


# ---- the checks --------------------------------------------------------------------

def sign_check(rt_sign, key, secret):
    """The runtime's signature equals botocore's, request for request."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    cases = [
        ("dynamodb", "127.0.0.1:4566", "DynamoDB_20120810.GetItem",
         "application/x-amz-json-1.0", '{"TableName":"t","Key":{"id":{"S":"1"}}}', None),
        ("dynamodb", "dynamodb.eu-west-1.amazonaws.com", "DynamoDB_20120810.Query",
         "application/x-amz-json-1.0", '{"TableName":"t  x"}', "FwoGZXIvYXdzEtoken=="),
        ("sns", "sns.us-east-1.amazonaws.com", None,
         "application/x-www-form-urlencoded; charset=utf-8",
         "Action=Publish&Message=h%C3%A9llo&TopicArn=arn%3Aaws%3Asns", "tok"),
        ("dynamodb", "localhost:8000", "DynamoDB_20120810.PutItem",
         "application/x-amz-json-1.0", "", None),
    ]
    for service, host, target, ctype, body, token in cases:
        region = "eu-west-1" if "eu-west-1" in host else REGION
        amz_date = "20240102T030405Z"
        headers = {"Host": host, "X-Amz-Date": amz_date, "Content-Type": ctype}
        if target:
            headers["X-Amz-Target"] = target
        if token:
            headers["X-Amz-Security-Token"] = token
        args = [rt_sign, service, region, key, secret, amz_date, body]
        args += ["%s: %s" % kv for kv in headers.items()]
        ours = subprocess.run(args, capture_output=True, text=True).stdout.strip()
        req = AWSRequest(method="POST", url="http://%s/" % host, data=body.encode(),
                         headers=dict(headers))
        req.headers["X-Amzn-Trace-Id"] = "Root=1-abc"  # botocore leaves it unsigned
        # botocore's SigV4Auth.add_auth at a fixed time: the steps it runs
        # (as moto does to verify), with the timestamp given.
        auth = SigV4Auth(Credentials(key, secret, token), service, region)
        req.context["timestamp"] = amz_date
        cr = auth.canonical_request(req)
        sig = auth.signature(auth.string_to_sign(req, cr), req)
        theirs = "AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=%s, Signature=%s" % (
            auth.scope(req), auth.signed_headers(auth.headers_to_sign(req)), sig)
        check(ours == theirs and ours, "signing: %s %s: the runtime's Authorization is botocore's"
              % (service, target or "Publish") + ("" if ours == theirs else
                                                   "\n      ours:   %s\n      theirs: %s"
                                                   % (ours, theirs)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--svcgen", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--rt-sign", required=True)
    ap.add_argument("--valgrind", type=int, default=0)
    ap.add_argument("specs", nargs="+")
    args = ap.parse_args()
    venv_bin = os.path.dirname(sys.executable)
    os.makedirs(args.work, exist_ok=True)
    moto = Moto(venv_bin, args.work)
    started = []
    try:
        key, secret = create_user(moto)
        sign_check(args.rt_sign, key, secret)
        deployed = {}
        for i, spec in enumerate(args.specs):
            name = spec_name(spec)
            out = os.path.join(args.work, name)
            subprocess.run([args.svcgen, "generate", spec, "-o", out], check=True,
                           stdout=subprocess.DEVNULL)
            r = subprocess.run(["make", "-C", os.path.join(out, "handlers"), "-j2", "BUILD=build"],
                               capture_output=True, text=True,
                               env={k: v for k, v in os.environ.items()
                                    if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "BUILD",
                                                 "CC", "CFLAGS", "ARCH")})
            if not check(r.returncode == 0, "%s: handlers build with make (this machine)" % name):
                print(r.stdout[-2000:], r.stderr[-2000:])
                continue
            template = json.load(open(os.path.join(out, "cloudformation", "template.json")))
            deployed[name] = (out, template, deploy(moto, template))
        moto.enforce_auth()

        # A wrong secret is refused, the issued one accepted.
        try:
            boto("dynamodb", moto, key, secret + "x").list_tables()
            bad("moto: a request signed with a wrong secret was accepted")
        except Exception as e:
            check("Signature" in str(e) or "security token" in str(e),
                  "moto: a request signed with a wrong secret is refused (%s)"
                  % type(e).__name__)
        check("TableNames" in boto("dynamodb", moto, key, secret).list_tables(),
              "moto: the issued key is accepted")

        base_env = {"PATH": "/usr/bin:/bin", "AWS_ACCESS_KEY_ID": key,
                    "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": "",
                    "AWS_REGION": REGION, "AWS_ENDPOINT_URL": moto.url, "LOG_LEVEL": "warn"}

        def start(name, fn, extra=None, wrapper=()):
            out, template, refs = deployed[name]
            manifest = json.load(open(os.path.join(out, "manifest.json")))
            physical = None
            for res in template["Resources"].values():
                fnn = res.get("Properties", {}).get("FunctionName", "")
                if res["Type"] == "AWS::Lambda::Function" and fnn.endswith("-" + fn):
                    physical = fnn
            env = dict(base_env)
            env.update(function_env(template, physical, refs))
            env.update(extra or {})
            f = Function(os.path.join(out, "handlers", "build", fn, "bootstrap"), env, wrapper,
                         log=os.path.join(args.work, "%s-%s.log" % (name, fn)))
            started.append(f)
            return f, json.load(open(os.path.join(out, "handlers", "events", fn + ".json")))
            (manifest)

        keyed = spec_name(args.specs[0])
        if keyed in deployed:
            crud(start, keyed, moto, key, secret)
            warm_and_deadline(start, keyed, args)
        for spec in args.specs[1:]:
            name = spec_name(spec)
            if name in deployed:
                granted_calls(start, name, deployed[name], moto, key, secret)
    finally:
        for f in started:
            f.stop()
        moto.stop()
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


def crud(start, name, moto, key, secret):
    put, ev_put = start(name, "put_note")
    get, ev_get = start(name, "get_note")
    upd, ev_upd = start(name, "update_note")
    dele, ev_del = start(name, "delete_note")
    lst, ev_lst = start(name, "list_notes")
    cre, ev_cre = start(name, "create_note")
    card, ev_card = start(name, "card")
    cards, ev_cards = start(name, "list_cards")
    note = {"title": "first", "tags": ["a", "b"], "stars": 3, "done": False, "meta": {"x": None}}
    s, b = status_body(put.invoke(route_event(ev_put, "PUT", "/notes/{id}", {"id": "n1"}, note)))
    check(s == 200 and b == dict(note, id="n1"), "%s: PUT /notes/n1 stores the body (200 %s)" % (name, b))
    s, b = status_body(get.invoke(route_event(ev_get, "GET", "/notes/{id}", {"id": "n1"})))
    check(s == 200 and b == dict(note, id="n1"), "%s: GET /notes/n1 reads it back (%s %s)" % (name, s, b))
    # What the scaffold stored is in the table, typed as DynamoDB types it.
    item = boto("dynamodb", moto, key, secret).get_item(
        TableName="notes-dev-notes", Key={"id": {"S": "n1"}}).get("Item", {})
    check(item.get("stars") == {"N": "3"} and item.get("tags") == {"L": [{"S": "a"}, {"S": "b"}]},
          "%s: the item is stored with DynamoDB types (N, L)" % name)
    s, b = status_body(upd.invoke(route_event(ev_upd, "PATCH", "/notes/{id}", {"id": "n1"},
                                              {"done": True, "id": "ignored"})))
    check(s == 200 and b.get("done") is True and b.get("id") == "n1" and b.get("title") == "first",
          "%s: PATCH /notes/n1 updates and answers the new item (%s)" % (name, s))
    s, _ = status_body(upd.invoke(route_event(ev_upd, "PATCH", "/notes/{id}", {"id": "nope"},
                                              {"done": True})))
    check(s == 404, "%s: PATCH of a missing note answers 404 (%s)" % (name, s))
    s, _ = status_body(put.invoke(route_event(ev_put, "PUT", "/notes/{id}", {"id": "n2"}, "[1,2]")))
    check(s == 400, "%s: PUT with a body that is not a JSON object answers 400 (%s)" % (name, s))
    s, b = status_body(cre.invoke(route_event(ev_cre, "POST", "/notes", {}, {"id": "n3", "t": 1})))
    check(s == 201 and b == {"id": "n3", "t": 1}, "%s: POST /notes creates (201)" % name)
    s, _ = status_body(cre.invoke(route_event(ev_cre, "POST", "/notes", {}, {"id": "n3", "t": 2})))
    check(s == 409, "%s: POST of an existing id answers 409 (condition failure) (%s)" % (name, s))
    s, _ = status_body(cre.invoke(route_event(ev_cre, "POST", "/notes", {}, {"t": 2})))
    check(s == 400, "%s: POST without the key attribute answers 400 (%s)" % (name, s))
    for i in range(5):
        put.invoke(route_event(ev_put, "PUT", "/notes/{id}", {"id": "p%d" % i}, {"i": i}))
    seen, token, pages = set(), None, 0
    while pages < 20:
        q = {"limit": "2"}
        if token:
            q["next"] = token
        s, b = status_body(lst.invoke(route_event(ev_lst, "GET", "/notes", {}, None, q)))
        if s != 200:
            break
        pages += 1
        seen |= {it["id"] for it in b["items"]}
        token = b.get("next")
        if not token:
            break
    check(seen == {"n1", "n3", "p0", "p1", "p2", "p3", "p4"} and pages >= 4,
          "%s: GET /notes lists every item, 2 a page, with a page token (%d pages)" % (name, pages))
    s, _ = status_body(lst.invoke(route_event(ev_lst, "GET", "/notes", {}, None, {"next": "bad!"})))
    check(s == 400, "%s: a bad page token answers 400 (%s)" % (name, s))
    s, b = status_body(dele.invoke(route_event(ev_del, "DELETE", "/notes/{id}", {"id": "n1"})))
    check(s == 204, "%s: DELETE /notes/n1 answers 204 (%s)" % (name, s))
    s, _ = status_body(get.invoke(route_event(ev_get, "GET", "/notes/{id}", {"id": "n1"})))
    check(s == 404, "%s: GET after DELETE answers 404 (%s)" % (name, s))
    # Composite key: ANY dispatches, the collection queries the partition.
    for c in ("c1", "c2", "c3"):
        s, _ = status_body(card.invoke(route_event(ev_card, "PUT", "/boards/{board_id}/cards/{card_id}",
                                                   {"board_id": "b1", "card_id": c}, {"text": c})))
    card.invoke(route_event(ev_card, "PUT", "/boards/{board_id}/cards/{card_id}",
                            {"board_id": "b2", "card_id": "x"}, {"text": "other"}))
    s, b = status_body(cards.invoke(route_event(ev_cards, "GET", "/boards/{board_id}/cards",
                                                {"board_id": "b1"})))
    check(s == 200 and sorted(i["card_id"] for i in b["items"]) == ["c1", "c2", "c3"],
          "%s: GET /boards/b1/cards queries one partition (%s)" % (name, s))
    s, b = status_body(card.invoke(route_event(ev_card, "GET", "/boards/{board_id}/cards/{card_id}",
                                               {"board_id": "b1", "card_id": "c2"})))
    check(s == 200 and b == {"board_id": "b1", "card_id": "c2", "text": "c2"},
          "%s: ANY /boards/{board_id}/cards/{card_id}: GET reads (%s)" % (name, s))
    s, _ = status_body(card.invoke(route_event(ev_card, "DELETE", "/boards/{board_id}/cards/{card_id}",
                                               {"board_id": "b1", "card_id": "c2"})))
    check(s == 204, "%s: ANY: DELETE deletes (%s)" % (name, s))

    # The stream function publishes each record: an SQS queue on the topic.
    sqs = boto("sqs", moto, key, secret)
    sns = boto("sns", moto, key, secret)
    qurl = sqs.create_queue(QueueName="note-events-test")["QueueUrl"]
    qarn = sqs.get_queue_attributes(QueueUrl=qurl, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    topic = [t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith("note_events")][0]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)
    stream, ev_stream = start(name, "note_changed")
    kind, res = stream.invoke(ev_stream)
    check(kind == "response" and res == {"batchItemFailures": []},
          "%s: the stream function answers no failures (%s %s)" % (name, kind, res))
    msgs = sqs.receive_message(QueueUrl=qurl, MaxNumberOfMessages=10, WaitTimeSeconds=2).get("Messages", [])
    bodies = [json.loads(json.loads(m["Body"])["Message"]) for m in msgs]
    want = len(ev_stream["Records"])
    check(len(bodies) == want and all(b.get("eventName") for b in bodies),
          "%s: the stream function published each of its %d records (%d received)"
          % (name, want, len(bodies)))


def warm_and_deadline(start, name, args):
    get, ev = start(name, "get_note")
    n, good = 200, 0
    for i in range(n):
        s, _ = status_body(get.invoke(route_event(ev, "GET", "/notes/{id}", {"id": "p%d" % (i % 5)})))
        good += s == 200
    check(good == n and get.proc.poll() is None,
          "%s: one warm process served %d invocations that call DynamoDB" % (name, n))
    # An invocation whose deadline has passed makes no call.
    s, _ = status_body(get.invoke(route_event(ev, "GET", "/notes/{id}", {"id": "p1"}),
                                  deadline_ms=int(time.time() * 1000) - 1000))
    check(s == 504, "%s: past its deadline a call is not made (504) (%s)" % (name, s))
    # A throttling endpoint: retries stop at the deadline.
    hits = []

    class Throttle(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            hits.append(time.time())
            body = b'{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow down"}'
            self.send_response(400)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Throttle)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        slow, ev2 = start(name, "get_note", {"AWS_ENDPOINT_URL": "http://127.0.0.1:%d" % srv.server_address[1],
                                              "AWS_MAX_ATTEMPTS": "10"})
        t0 = time.time()
        s, _ = status_body(slow.invoke(route_event(ev2, "GET", "/notes/{id}", {"id": "p1"}),
                                       deadline_ms=int(t0 * 1000) + 1500))
        took = time.time() - t0
        check(s in (429, 504) and 1 <= len(hits) < 10 and took < 2.0,
              "%s: throttled, retries stop before the deadline (%s after %d attempts, %.2f s)"
              % (name, s, len(hits), took))
    finally:
        srv.shutdown()
        srv.server_close()
    if args.valgrind:
        f, ev3 = start(name, "get_note", {"SVCGEN_RUNTIME_MAX_INVOCATIONS": str(args.valgrind)},
                       wrapper=("valgrind", "-q", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect",
                                "--error-exitcode=99"))
        good = 0
        for i in range(args.valgrind):
            s, _ = status_body(f.invoke(route_event(ev3, "GET", "/notes/{id}", {"id": "p%d" % (i % 5)}),
                                        timeout=60))
            good += s == 200
        rc = f.stop(wait=True)
        check(good == args.valgrind and rc == 0,
              "%s: valgrind: %d invocations calling DynamoDB, no leak, no error (exit %s)"
              % (name, good, rc))


def granted_calls(start, name, deployed, moto, key, secret):
    out, template, refs = deployed
    # Key attributes of every table, for bodies and query strings; and an
    # item under the key every route's sample parameters name, so reads and
    # updates find one (an update of an existing item is where DynamoDB
    # refuses what it refuses, a SET of a key attribute).
    keys = {}
    ddb = boto("dynamodb", moto, key, secret)
    tables = [res for res in template["Resources"].values() if res["Type"] == "AWS::DynamoDB::Table"]
    for res in tables:
        for a in res["Properties"]["AttributeDefinitions"]:
            keys[a["AttributeName"]] = "1" if a["AttributeType"] == "N" else "example"

    def seed():
        """The items every route's key can name (again: a DELETE removed one)."""
        for res in tables:
            types = {a["AttributeName"]: a["AttributeType"] for a in res["Properties"]["AttributeDefinitions"]}
            # The scaffolds' placeholders for a key attribute no path
            # parameter names: "TODO", 0.
            key_attrs = [k["AttributeName"] for k in res["Properties"]["KeySchema"]]
            for combo in itertools.product(*[(keys[a], "0" if types[a] == "N" else "TODO")
                                             for a in key_attrs]):
                item = {a: {t: keys[a]} for a, t in types.items()}
                item.update({a: {types[a]: v} for a, v in zip(key_attrs, combo)})
                ddb.put_item(TableName=res["Properties"]["TableName"], Item=item)
    src = os.path.join(out, "handlers", "src")
    for fn_file in sorted(os.listdir(src)):
        fn = fn_file[:-2]
        text = open(os.path.join(src, fn_file)).read()
        if "lambda_crud_" not in text or "handle_http_" not in text:
            continue
        f, ev = start(name, fn)
        body = {k: (int(v) if v == "1" else v) for k, v in keys.items()}
        # And an attribute outside every key, so an update sets something
        # (moto fails an UpdateItem with nothing to set, which DynamoDB takes).
        body["svcgen_test"] = "example"
        routes = list(re.finditer(r'lambda_route_is\(req, "([A-Z]+)", "([^"]+)"\)', text))
        for n, m in enumerate(routes):
            method, path = m.group(1), m.group(2)
            # What the route's block calls: a write gets a body whatever the
            # method (a DELETE granted only update sets the body's fields).
            block = text[m.end():routes[n + 1].start() if n + 1 < len(routes) else len(text)]
            writes = "lambda_crud_update(" in block or "lambda_crud_put(" in block
            seed()
            method = "GET" if method == "ANY" else method
            params = {p.rstrip("+"): "example" for p in re.findall(r"\{([^}]+)\}", path)}
            s, b = status_body(f.invoke(route_event(ev, method, path, params,
                                                    body if writes or method in ("POST", "PUT", "PATCH") else None,
                                                    {k: v for k, v in keys.items()})))
            # 404 only where no item is keyed by the sample parameters.
            check(s in (200, 201, 204, 404, 409),
                  "%s: %s %s %s: the scaffold's granted call reached DynamoDB (%s %s)"
                  % (name, fn, method, path, s, b if s not in (200, 201, 204) else ""))


if __name__ == "__main__":
    sys.exit(main())
