#!/usr/bin/env python3
"""fake_runtime_api.py - a minimal Lambda Runtime API for the memory check.

This fake exists for one test only, tests/suites/handlers_valgrind.sh, which
measures the generated runtime's own memory (leaks, invalid reads) under
valgrind.  That needs many invocations in one process and nothing else in
the way; what the runtime does against a real implementation of the
Runtime API is checked by handlers_rie.sh.  It is the one place a fake is
acceptable.

    fake_runtime_api.py --port-file F --count N EVENT_FILE...

Serves (Lambda Developer Guide, "Using the Lambda runtime API for custom
runtimes", 2018-06-01) on 127.0.0.1 and an ephemeral port (written to F):

    GET  /2018-06-01/runtime/invocation/next           the events, in turn
    POST /2018-06-01/runtime/invocation/{id}/response  recorded
    POST /2018-06-01/runtime/invocation/{id}/error     recorded
    POST /2018-06-01/runtime/init/error                recorded

Every event file is sent in turn, N invocations in all, with the headers
Lambda sends (request id, deadline, function ARN, trace id).  Exits once N
answers arrived (or after --timeout seconds), printing a JSON summary:
{"served": N, "responses": R, "errors": E, "init_errors": I,
 "bad_answers": [...]}; an answer that is not JSON is a bad answer.
"""
import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("events", nargs="+")
    args = ap.parse_args()
    events = []
    for path in args.events:
        with open(path, "rb") as f:
            events.append(f.read())

    state = {"served": 0, "responses": 0, "errors": 0, "init_errors": 0,
             "bad_answers": [], "pending": set()}
    lock = threading.Lock()
    done = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the runtime expects
        disable_nagle_algorithm = True  # headers and body go out at once

        def log_message(self, *a):  # quiet
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
            with lock:
                if state["served"] >= args.count:
                    # The runtime should have stopped: make it visible.
                    state["bad_answers"].append("next after the last invocation")
                    return self.reply(410)
                i = state["served"]
                state["served"] += 1
                rid = "req-%04d" % i
                state["pending"].add(rid)
            deadline = int(time.time() * 1000) + 10000
            self.reply(200, events[i % len(events)], [
                ("Content-Type", "application/json"),
                ("Lambda-Runtime-Aws-Request-Id", rid),
                ("Lambda-Runtime-Deadline-Ms", str(deadline)),
                ("Lambda-Runtime-Invoked-Function-Arn",
                 "arn:aws:lambda:us-east-1:123456789012:function:test"),
                ("Lambda-Runtime-Trace-Id",
                 "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"),
            ])

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n)
            parts = self.path[len(PREFIX):].strip("/").split("/")
            with lock:
                if parts == ["init", "error"]:
                    state["init_errors"] += 1
                elif len(parts) == 3 and parts[0] == "invocation" and \
                        parts[2] in ("response", "error") and parts[1] in state["pending"]:
                    state["pending"].discard(parts[1])
                    state["responses" if parts[2] == "response" else "errors"] += 1
                    try:
                        json.loads(body)
                    except ValueError:
                        state["bad_answers"].append("%s: not JSON" % parts[1])
                else:
                    state["bad_answers"].append("unexpected POST " + self.path)
                answered = state["responses"] + state["errors"]
            self.reply(202, b'{"status":"OK"}', [("Content-Type", "application/json")])
            if answered >= args.count:
                done.set()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(args.port_file, "w") as f:
        f.write(str(server.server_address[1]))
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    finished = done.wait(args.timeout)
    server.shutdown()
    summary = {k: (sorted(v) if isinstance(v, set) else v) for k, v in state.items()}
    summary["timed_out"] = not finished
    print(json.dumps(summary))
    return 0 if finished else 1


if __name__ == "__main__":
    sys.exit(main())
