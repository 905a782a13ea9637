"""local.py - figures of `svcgen local` (make bench; prints, asserts nothing).

  start to first answer   from `svcgen local` to the first request its API
                          answers through a function: into a fresh directory
                          (generate, build the handlers, start everything),
                          again into the same directory (make rebuilds what the
                          regenerate rewrote), and with --no-build
  warm request            median and p99 over N sequential requests on one
                          keep-alive connection, through the whole chain:
                          API front -> Runtime API -> bootstrap -> least-privilege
                          proxy -> moto (GET /notes/{id}: a GetItem), and
                          without an AWS call (the proxy example's app: 501)

usage: local.py WORKDIR SVCGEN [N]
"""
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse


def start(svcgen, spec, out, log, *args):
    t0 = time.monotonic()
    p = subprocess.Popen([svcgen, "local", spec, "-o", out, "--port", "0", *args],
                         stdout=log, stderr=subprocess.STDOUT)
    path = os.path.join(out, "local.json")
    state = None
    while time.monotonic() - t0 < 600 and p.poll() is None:
        if os.path.exists(path):
            try:
                state = json.load(open(path))
                break
            except ValueError:
                pass
        time.sleep(0.005)
    return p, state, t0


def first_answer(state, path, t0):
    u = urllib.parse.urlsplit(state["api_url"])
    while True:
        try:
            c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
            c.request("GET", u.path + path)
            r = c.getresponse()
            r.read()
            c.close()
            if "x-amzn-ErrorType" not in r.headers:
                return time.monotonic() - t0
        except OSError:
            pass
        time.sleep(0.005)


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def warm(state, method, path, n, body=None):
    u = urllib.parse.urlsplit(state["api_url"])
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    times = []
    for i in range(n + 20):
        t = time.perf_counter()
        c.request(method, u.path + path, body=body, headers={"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        if i >= 20:  # the first ones warm the connections up
            times.append((time.perf_counter() - t) * 1000)
    c.close()
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1], r.status


def main():
    work, svcgen = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    log = open(os.path.join(work, "local.log"), "w")
    out = os.path.join(work, "notes")
    runs = (("fresh directory (generate, build, start)", ()),
            ("again (generate, make, start)", ()),
            ("again with --no-build (generate, start)", ("--no-build",)))
    for label, args in runs:
        p, state, t0 = start(svcgen, "examples/notes/service.yaml", out, log, *args)
        if not state:
            print("svcgen local did not start (%s)" % log.name)
            return 1
        s = first_answer(state, "/notes/none", t0)
        print("start to first answer, %-42s %7.2f s" % (label + ":", s))
        if args:
            u = urllib.parse.urlsplit(state["api_url"])
            c = http.client.HTTPConnection(u.hostname, u.port)
            c.request("PUT", u.path + "/notes/bench", body='{"title":"bench"}',
                      headers={"Content-Type": "application/json"})
            c.getresponse().read()
            c.close()
            med, p99, st = warm(state, "GET", "/notes/bench", n)
            print("warm GET /notes/{id} (API, Runtime API, bootstrap, proxy, moto GetItem; %d requests, HTTP %d):"
                  % (n, st))
            print("    median %.2f ms, p99 %.2f ms" % (med, p99))
        stop(p)
    p, state, t0 = start(svcgen, "examples/proxy-app/service.yaml", os.path.join(work, "proxy"), log)
    if state:
        first_answer(state, "/x", t0)
        med, p99, st = warm(state, "GET", "/x", n)
        print("warm GET on the proxy example (API, Runtime API, bootstrap; no AWS call; %d requests, HTTP %d):"
              % (n, st))
        print("    median %.2f ms, p99 %.2f ms" % (med, p99))
        stop(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
