#!/usr/bin/env python3
"""bench_handler.py - figures of one generated handler; asserts nothing.

    bench_handler.py --out OUT --function FN [--starts N] [--runs N]

OUT is `svcgen generate SPEC -o OUT` with its handlers packaged
(`make -C OUT/handlers package`); FN a function whose scaffold answers
GET on an item route with GetItem (examples/notes/service.yaml's get_note).
Prints:

  - cold start: from starting the process to its first
    GET /2018-06-01/runtime/invocation/next on a Lambda Runtime API served
    here, median and p99 of --starts runs, for the packaged bootstrap (the
    zip as Lambda runs it: shell script, bundled loader, bin/function) and
    for the program built for this machine;
  - a GetItem invocation in a warm process, against moto server (pinned in
    tests/requirements.txt, on 127.0.0.1, signatures checked): from the
    event handed over on `next` to the response posted, median and p99 of
    --runs invocations after 20 of warm-up; and boto3's own GetItem against
    the same moto, for scale (most of both is moto);
  - the zip's size, packed and unpacked.

Uses tests/handlers/aws_moto.py for moto, its tables and the function's
environment.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "handlers"))
import aws_moto  # noqa: E402

PREFIX = "/2018-06-01/runtime"


class TimedRuntimeApi:
    """A Lambda Runtime API that timestamps what the function does."""

    def __init__(self):
        self.cv = threading.Condition()
        self.first_next = None   # perf_counter of the first GET next
        self.event = None        # (request id, body) to hand out
        self.sent_at = {}        # request id -> perf_counter when handed out
        self.done_at = {}        # request id -> (perf_counter, status code)
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *a):
                pass

            def do_GET(self):
                with api.cv:
                    if api.first_next is None:
                        api.first_next = time.perf_counter()
                        api.cv.notify_all()
                    while api.event is None:
                        api.cv.wait()
                    rid, body = api.event
                    api.event = None
                self.send_response(200)
                self.send_header("Lambda-Runtime-Aws-Request-Id", rid)
                self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 10000))
                self.send_header("Lambda-Runtime-Trace-Id",
                                 "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                with api.cv:
                    api.sent_at[rid] = time.perf_counter()

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                now = time.perf_counter()
                m = re.match(PREFIX + r"/invocation/([^/]+)/(response|error)$", self.path)
                status = None
                if m and m.group(2) == "response":
                    try:
                        status = json.loads(body).get("statusCode")
                    except ValueError:
                        pass
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()
                with api.cv:
                    if m:
                        api.done_at[m.group(1)] = (now, status)
                    api.cv.notify_all()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_first_next(self, timeout=30):
        with self.cv:
            end = time.time() + timeout
            while self.first_next is None and time.time() < end:
                self.cv.wait(0.5)
            return self.first_next

    def invoke(self, rid, event, timeout=30):
        with self.cv:
            self.event = (rid, json.dumps(event).encode())
            self.cv.notify_all()
            end = time.time() + timeout
            while rid not in self.done_at and time.time() < end:
                self.cv.wait(0.5)
            if rid not in self.done_at:
                return None, None
            t, status = self.done_at.pop(rid)
            return t - self.sent_at.pop(rid), status

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def ms(x):
    return "%.2f ms" % (x * 1000)


def cold_starts(program, env, n):
    times = []
    for _ in range(n):
        api = TimedRuntimeApi()
        e = dict(env, AWS_LAMBDA_RUNTIME_API="127.0.0.1:%d" % api.port)
        t0 = time.perf_counter()
        proc = subprocess.Popen([program], env=e, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        t1 = api.wait_first_next()
        proc.kill()
        proc.wait()
        api.close()
        if t1 is not None:
            times.append(t1 - t0)
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--function", required=True)
    ap.add_argument("--starts", type=int, default=20)
    ap.add_argument("--runs", type=int, default=1000)
    args = ap.parse_args()
    fn = args.function
    hdir = os.path.join(args.out, "handlers")
    zpath = os.path.join(hdir, "build", fn + ".zip")
    work = tempfile.mkdtemp()
    venv_bin = os.path.dirname(sys.executable)
    moto = aws_moto.Moto(venv_bin, work)
    proc = None
    try:
        key, secret = aws_moto.create_user(moto)
        template, _ = aws_moto.cfnlib.merged_template(args.out)  # root and nested stacks
        refs = aws_moto.deploy(moto, template)
        physical = [r["Properties"]["FunctionName"] for r in template["Resources"].values()
                    if r["Type"] == "AWS::Lambda::Function" and
                    r["Properties"]["FunctionName"].endswith("-" + fn)][0]
        env = {"PATH": "/usr/bin:/bin", "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret,
               "AWS_REGION": aws_moto.REGION, "AWS_ENDPOINT_URL": moto.url, "LOG_LEVEL": "warn"}
        env.update(aws_moto.function_env(template, physical, refs))
        table = [v for k, v in env.items() if k.startswith("TABLE_")][0]
        ddb = aws_moto.boto("dynamodb", moto, key, secret)
        ddb.put_item(TableName=table, Item={"id": {"S": "bench"}, "title": {"S": "a note"},
                                            "stars": {"N": "3"}})
        moto.enforce_auth()

        unpacked = os.path.join(work, "zip")
        with zipfile.ZipFile(zpath) as z:
            z.extractall(unpacked)
            unpacked_bytes = sum(i.file_size for i in z.infolist())
        for root, _, files in os.walk(unpacked):
            for f in files:
                os.chmod(os.path.join(root, f), 0o755)
        arch = subprocess.run(["uname", "-m"], capture_output=True, text=True).stdout.strip()
        print("handler %s (examples/notes/service.yaml), built for this machine (%s):" % (fn, arch))
        for what, program in (("packaged bootstrap (the zip as Lambda runs it)",
                               os.path.join(unpacked, "bootstrap")),
                              ("program built for this machine",
                               os.path.join(hdir, "build", fn, "bootstrap"))):
            t = cold_starts(program, env, args.starts)
            if t:
                print("  cold start, process start to its first next: median %s, p99 %s "
                      "(%d starts, %s)" % (ms(statistics.median(t)), ms(pct(t, 99)), len(t), what))
            else:
                print("  cold start: %s never called next" % what)

        api = TimedRuntimeApi()
        e = dict(env, AWS_LAMBDA_RUNTIME_API="127.0.0.1:%d" % api.port)
        proc = subprocess.Popen([os.path.join(unpacked, "bootstrap")], env=e,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sample = json.load(open(os.path.join(hdir, "events", fn + ".json")))
        event = aws_moto.route_event(sample, "GET", "/notes/{id}", {"id": "bench"})
        lat, bad_status = [], 0
        for i in range(20 + args.runs):
            t, status = api.invoke("bench-%d" % i, event)
            if t is None or status != 200:
                bad_status += 1
            elif i >= 20:
                lat.append(t)
        proc.kill()
        proc.wait()
        proc = None
        api.close()
        if lat:
            print("  GetItem invocation against moto, warm process: median %s, p99 %s "
                  "(%d invocations%s)" % (ms(statistics.median(lat)), ms(pct(lat, 99)), len(lat),
                                          ", %d did not answer 200" % bad_status
                                          if bad_status else ""))
        b = []
        for _ in range(200):
            t0 = time.perf_counter()
            ddb.get_item(TableName=table, Key={"id": {"S": "bench"}})
            b.append(time.perf_counter() - t0)
        print("    for scale, boto3's GetItem against the same moto: median %s, p99 %s"
              % (ms(statistics.median(b)), ms(pct(b, 99))))
        print("  zip: %s, %.1f MB (%.1f MB unpacked; Lambda allows 50 MB and 250 MB)"
              % (os.path.relpath(zpath, args.out), os.path.getsize(zpath) / 1e6,
                 unpacked_bytes / 1e6))
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
        moto.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
