"""example_proxy_app.py - examples/proxy-app end to end (issue 13), driven
only through HTTP: a copy of the example directory, the README's
`svcgen local` command run in it, and the README's curl commands run as
written, each answer checked against the status and body the README shows;
then the routes the README does not show (HEAD, every method reaching the
function, the app's 404 for paths API Gateway's {proxy+} takes).

usage: example_proxy_app.py WORKDIR
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import (LocalRun, Result, copy_example, http, json_has, json_or,  # noqa: E402
                 readme_commands, run_curl)

R = Result()


def main():
    work = os.path.abspath(sys.argv[1])
    repo = copy_example("proxy-app", work)
    readme = os.path.join(repo, "README.md")
    local = [c for c, _, _ in readme_commands(readme, "svcgen") if c.startswith("svcgen local")]
    R.check(local == ["svcgen local service.yaml -o ."], "proxy-app: the README runs `svcgen local service.yaml -o .`",
            repr(local))
    t = time.monotonic()
    run = LocalRun("service.yaml", ".", os.path.join(work, "proxy-app.log"), cwd=repo)
    R.check(run.ok, "proxy-app: svcgen local starts in the example's directory (%.1f s)" % run.ready_s,
            run.text()[-3000:] if not run.ok else "")
    if not run.ok:
        run.stop()
        return R.finish()
    try:
        api = run.state["api_url"]
        curls = readme_commands(readme, "curl")
        R.check(len(curls) >= 6 and all(s is not None for _, s, _ in curls),
                "proxy-app: the README shows %d curl commands, each with its answer" % len(curls))
        for cmd, status, body in curls:
            st, text = run_curl(cmd, {"API": api}, cwd=repo)
            R.check(st == status and json_has(body, json_or(text)),
                    "proxy-app: README: %s -> %d" % (cmd[:70], status), "%d %s" % (st, text[:300]))
        # Beyond the README: what the function's own routing decides.
        st, h, b = http("DELETE", api + "/health")
        R.check(st == 405 and h.get("allow") == "GET, HEAD", "proxy-app: a 405 names the methods in Allow",
                "%d %r" % (st, h))
        st, h, b = http("HEAD", api + "/health")
        R.check(st == 200, "proxy-app: HEAD /health answers 200", "%d %s" % (st, b))
        for method, path in (("GET", "/a/b/c"), ("PUT", "/x"), ("PATCH", "/deep/er/path/")):
            st, h, b = http(method, api + path)
            R.check(st == 404 and "x-amzn-errortype" not in h and json_or(b) == {"message": "not found", "path": path},
                    "proxy-app: %s %s reaches the app, which answers its own 404" % (method, path),
                    "%d %s %r" % (st, b, h))
        st, h, b = http("POST", api + "/echo", "not json", {"Content-Type": "text/plain"})
        R.check(st == 400, "proxy-app: POST /echo of a body that is not JSON: 400", "%d %s" % (st, b))
        st, h, b = http("GET", api + "/hello/ada/lovelace")
        R.check(st == 404, "proxy-app: /hello/{name} is one segment (two: 404)", "%d %s" % (st, b))
    finally:
        took, left = run.stop()
    R.check(not left and took < 5, "proxy-app: SIGTERM stops it in %.1f s, no process left behind" % took, repr(left))
    R.check(not os.path.exists(os.path.join(repo, "local.json")), "proxy-app: local.json removed on stop")
    bad = [line for line in run.text().splitlines() if "[iam]" in line or "Sanitizer" in line]
    R.check(run.proc.returncode == 0 and not bad, "proxy-app: svcgen exits 0, no denial or sanitizer report",
            "\n".join(bad[:5]))
    print("      (proxy-app: %.0f s)" % (time.monotonic() - t), flush=True)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
