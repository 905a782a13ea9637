"""example_users_orders.py - examples/users-orders end to end, driven only
through HTTP and the local AWS endpoint (tests/suites/example_users_orders.sh).

The example directory is copied into WORKDIR and its README's own
`svcgen local` command runs there; the README's curl commands then run with
curl, in order, each answer checked; the rest goes over plain HTTP.  The
notifier is checked through an SQS queue subscribed to its topic.

usage: example_users_orders.py WORKDIR
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import Result, curl, http, json_or, main_guard, readme_lines, start_example  # noqa: E402

R = Result()
JSON = {"Content-Type": "application/json"}
KSUID = re.compile(r"^[0-9A-Za-z]{27}$")


def subscribe_queue(run, topic):
    sqs, sns = run.client("sqs"), run.client("sns")
    url = sqs.create_queue(QueueName="example-" + topic)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=run.state["topics"][topic], Protocol="sqs", Endpoint=arn,
                  Attributes={"RawMessageDelivery": "true"})
    return sqs, url


def drain(sqs, url, want, timeout=30):
    """Messages of the queue until `want` arrived and 3 s passed without
    another (so an extra message would be seen), or `timeout`."""
    msgs, end, quiet = [], time.monotonic() + timeout, None
    while time.monotonic() < end:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        for m in got:
            msgs.append(json_or(m["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        if len(msgs) >= want:
            quiet = quiet or time.monotonic()
            if got:
                quiet = time.monotonic()
            if time.monotonic() - quiet > 3:
                break
    return msgs


def readme_curls(run, api, readme):
    """The README's curl commands, run with curl; returns the order id."""
    cmds = readme_lines(readme, "curl ")
    R.check(len(cmds) == 8, "README: 8 curl commands found (%d)" % len(cmds), "\n".join(cmds))
    env = {"API": api}
    order_id = None
    for cmd in cmds:
        if "$ORDER_ID" in cmd:
            env["ORDER_ID"] = order_id or "missing"
        st, body = curl(cmd, env)
        doc = json_or(body) or {}
        what = "README: " + re.sub(r"\s+-H '[^']*'", "", cmd)[:110]
        if "/add_user/" in cmd and "test111" in cmd and "first" not in env:
            env["first"] = "1"
            R.check(st == 200 and doc == {"message": "User test111 with added successfully"}, what + " -> 200",
                    "%d %s" % (st, body))
        elif "/add_user/" in cmd and "test111" in cmd:
            m = doc.get("message", "")
            R.check(400 <= st < 500 and "transaction was canceled" in m and "test111" in m,
                    what + " again -> 4xx, the transaction was canceled", "%d %s" % (st, body))
        elif "/add_user/" in cmd:
            R.check(st == 200 and doc == {"message": "User john with added successfully"}, what + " -> 200",
                    "%d %s" % (st, body))
        elif "/users/test111" in cmd:
            R.check(st == 200 and doc == {"PK": "CUSTOMER#test111", "SK": "CUSTOMER#test111", "Username": "test111",
                                          "Email": "test@gmail.com", "Name": "Test Name"},
                    what + " -> the user's item", "%d %s" % (st, body))
        elif "/edit-address" in cmd:
            R.check(st == 200 and doc.get("success") is True
                    and (doc.get("data") or {}).get("Address") == "124 Street Akl NZ"
                    and (doc.get("data") or {}).get("Email") == "test@gmail.com",
                    what + " -> the address is set", "%d %s" % (st, body))
        elif "-X POST" in cmd and "/orders/" in cmd:
            d = doc.get("data") or {}
            order_id = d.get("OrderId") or ""
            R.check(st == 200 and doc.get("message") == "Order placed successfully" and doc.get("success") is True
                    and set(d) == {"PK", "SK", "OrderId", "CreatedAt", "Status", "Amount", "NumberItems"}
                    and d["PK"] == "CUSTOMER#john" and d["SK"] == "#ORDER#" + order_id
                    and KSUID.match(order_id) and d["Status"] == "PLACED" and d["Amount"] == 5.5
                    and d["NumberItems"] == 2 and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", d["CreatedAt"]),
                    what + " -> 200, the order with a KSUID", "%d %s" % (st, body))
        elif "/orders/?username=john" in cmd:
            data = doc.get("data") or []
            R.check(st == 200 and doc.get("message") == "orders fetched successfully" and len(data) == 2
                    and data[0].get("SK") == "CUSTOMER#john" and data[1].get("OrderId") == order_id,
                    what + " -> the user, then the order", "%d %s" % (st, body))
        elif "-X PUT" in cmd:
            d = doc.get("data") or {}
            R.check(st == 200 and doc.get("message") == "Order updated successfully" and doc.get("success") is True
                    and d.get("Status") == "CANCEL" and d.get("OrderId") == order_id and d.get("Amount") == 5.5
                    and re.match(r"^\d{4}-.*Z$", d.get("UpdatedAt", "")),
                    what + " -> CANCEL with UpdatedAt", "%d %s" % (st, body))
        else:
            R.check(False, what + ": a README command this test does not know", "%d %s" % (st, body))
    return order_id


def more(run, api, order_id):
    """What the README does not show."""
    st, h, b = http("POST", api + "/add_user/", '{"email": "Test@GMAIL.com", "name": "X", "username": "other"}', JSON)
    m = (json_or(b) or {}).get("message", "")
    R.check(st == 409 and "transaction was canceled" in m and "e-mail" in m and "username" not in m,
            "add_user: the same e-mail in another case, another username -> 409 naming the e-mail", "%d %s" % (st, b))
    st, h, b = http("POST", api + "/add_user/", '{"email": "new@example.com", "name": "X", "username": "test111"}', JSON)
    m = (json_or(b) or {}).get("message", "")
    R.check(st == 409 and "transaction was canceled (username taken)" in m,
            "add_user: the same username, another e-mail -> 409 naming the username", "%d %s" % (st, b))
    ddb = run.client("dynamodb")
    table = run.state["tables"]["shop"]["table_name"]
    got = ddb.get_item(TableName=table, Key={"PK": {"S": "USEREMAIL#new@example.com"},
                                             "SK": {"S": "USEREMAIL#new@example.com"}}).get("Item")
    R.check(got is None, "add_user: a canceled transaction wrote no guard item", repr(got))
    for body, why in (("not json", "not JSON"), ('{"email": "a@b.c", "name": "n"}', "no username"),
                      ('{"email": "nope", "name": "n", "username": "u"}', "a bad e-mail"),
                      ('{"email": "a@b.c", "name": "n", "username": "a#b"}', "a '#' in the username")):
        st, h, b = http("POST", api + "/add_user/", body, JSON)
        R.check(st == 400, "add_user: %s -> 400" % why, "%d %s" % (st, b))
    st, h, b = http("GET", api + "/users/nobody")
    R.check(st == 404 and json_or(b) == {"message": "User nobody not found"}, "get_user: no such user -> 404",
            "%d %s" % (st, b))
    st, h, b = http("POST", api + "/edit-address?username=nobody&new_address=x")
    R.check(st == 404, "edit_address: no such user -> 404 (and no item made)", "%d %s" % (st, b))
    R.check(ddb.get_item(TableName=table, Key={"PK": {"S": "CUSTOMER#nobody"}, "SK": {"S": "CUSTOMER#nobody"}}).get("Item")
            is None, "edit_address: the failed update created nothing")
    st, h, b = http("POST", api + "/edit-address?username=test111")
    R.check(st == 400, "edit_address: no new_address -> 400", "%d %s" % (st, b))
    st, h, b = http("POST", api + "/orders/", '{"amount": 1, "numItems": 1, "username": "nobody"}', JSON)
    R.check(st == 404 and json_or(b) == {"message": "User nobody not found", "success": False},
            "create_order: no such user -> 404", "%d %s" % (st, b))
    st, h, b = http("POST", api + "/orders/", '{"amount": 1, "numItems": 1.5, "username": "john"}', JSON)
    R.check(st == 400, "create_order: a fractional numItems -> 400", "%d %s" % (st, b))
    time.sleep(1.1)  # a KSUID's time is in seconds
    st, h, b = http("POST", api + "/orders/", '{"amount": 12, "numItems": 1, "username": "john"}', JSON)
    second = ((json_or(b) or {}).get("data") or {}).get("OrderId", "")
    R.check(st == 200 and KSUID.match(second) and second > order_id,
            "create_order: a later order's id sorts after the first (%s > %s)" % (second, order_id), "%d %s" % (st, b))
    st, h, b = http("GET", api + "/orders/?username=john")
    ids = [d.get("OrderId") for d in (json_or(b) or {}).get("data", [])]
    R.check(st == 200 and ids == [None, second, order_id], "list_orders: the user, then the orders newest first",
            "%d %s" % (st, b))
    st, h, b = http("GET", api + "/orders/")
    R.check(st == 400, "list_orders: no username -> 400", "%d %s" % (st, b))
    st, h, b = http("GET", api + "/orders/?username=nobody")
    R.check(st == 404, "list_orders: no such user -> 404", "%d %s" % (st, b))
    st, h, b = http("PUT", api + "/orders/NOPE", '{"username": "john", "status": "CANCEL"}', JSON)
    R.check(st == 404 and (json_or(b) or {}).get("success") is False, "update_order: no such order -> 404",
            "%d %s" % (st, b))
    st, h, b = http("PUT", api + "/orders/" + order_id, '{"username": "john", "status": "LOST"}', JSON)
    R.check(st == 400, "update_order: an unknown status -> 400", "%d %s" % (st, b))
    pre = {"Origin": "http://localhost:3000", "Access-Control-Request-Method": "PUT"}
    st, h, b = http("OPTIONS", api + "/orders/" + order_id, headers=pre)
    R.check(st == 204 and h.get("access-control-allow-origin") == "http://localhost:3000",
            "CORS: the preflight answers one of the spec's origins", "%d %r" % (st, h))
    return second


def main():
    work = os.path.abspath(sys.argv[1])
    os.makedirs(work, exist_ok=True)
    run, readme = start_example("users-orders", work, os.path.join(work, "users-orders.log"))
    R.check(run.ok, "`%s` starts in a copy of the example (%.1f s)" % (run.readme_command, run.ready_s),
            run.text()[-3000:])
    if not run.ok:
        run.stop()
        return R.finish()
    try:
        api = run.state["api_url"]
        R.check(api.endswith("/dev"), "the REST API's stage is dev", api)
        sqs, queue = subscribe_queue(run, "order_events")
        order_id = readme_curls(run, api, readme)
        second = more(run, api, order_id or "")
        msgs = drain(sqs, queue, 2)
        # moto applies a canceled TransactWriteItems and then restores the
        # tables, so the stream can show the Put of create_order's canceled
        # transaction (the order of user "nobody") to a poller that reads it
        # in between; AWS streams nothing of a canceled transaction.  Those
        # messages name an order that is in no table: not counted here.
        ddb = run.client("dynamodb")
        table = run.state["tables"]["shop"]["table_name"]

        def stored(m):
            o = (m or {}).get("order") or {}
            if not o.get("PK") or not o.get("SK"):
                return True
            return "Item" in ddb.get_item(TableName=table, Key={"PK": {"S": o["PK"]}, "SK": {"S": o["SK"]}})

        msgs = [m for m in msgs if stored(m)]
        if len(msgs) < 2:
            msgs += [m for m in drain(sqs, queue, 2 - len(msgs)) if stored(m)]
        got = sorted(((m or {}).get("order") or {}).get("OrderId", "?") for m in msgs)
        R.check(got == sorted([order_id, second]),
                "notify_order: the two new orders reached the queue, and nothing else (no user, guard or update)",
                repr(msgs)[:600])
        first = next((m for m in msgs if ((m or {}).get("order") or {}).get("OrderId") == order_id), {}) or {}
        R.check(first.get("event") == "order_placed" and first.get("username") == "john"
                and first["order"].get("Status") == "PLACED" and first["order"].get("Amount") == 5.5,
                "notify_order: the message is the order as placed", repr(first))
        denied = [line for line in run.text().splitlines() if "[iam]" in line]
        R.check(not denied, "every AWS call of the handlers was allowed by their policies", "\n".join(denied[:5]))
    finally:
        took, left = run.stop()
    R.check(not left and took < 5 and run.proc.returncode == 0,
            "SIGTERM stops it in %.1f s, exit 0, no process left behind" % took, "left %r, exit %s" % (left, run.proc.returncode))
    return R.finish()


if __name__ == "__main__":
    main_guard(main)
