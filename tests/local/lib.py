"""lib.py - driving `svcgen local` from a test, only through HTTP and the AWS
endpoint it names in DIR/local.json (tests/suites/local_e2e.sh).

LocalRun starts svcgen local on a spec with --port 0 (a free port), waits for
local.json, and stops it with SIGTERM, checking that every process it had
started is gone; every wait is bounded.  Requests are plain HTTP (urllib),
signed with botocore's SigV4 where a test needs a signature, and AWS calls
go through boto3 (pinned in tests/requirements.txt).
"""
import json
import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

SVCGEN = os.environ.get("SVCGEN", "build/svcgen")


class Result:
    """ok/FAIL lines and the closing count, as the other suites print them."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what, detail=""):
        if cond:
            self.passed += 1
            print("ok    " + what, flush=True)
        else:
            self.failed += 1
            print("FAIL  " + what + (": " + detail if detail else ""), flush=True)
        return cond

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        return 0 if self.failed == 0 else 1


def descendants(pid):
    """Every process below `pid` (children of all its threads), recursively."""
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        try:
            tasks = os.listdir("/proc/%d/task" % p)
        except OSError:
            continue
        for t in tasks:
            try:
                with open("/proc/%d/task/%s/children" % (p, t)) as f:
                    kids = [int(x) for x in f.read().split()]
            except OSError:
                continue
            for k in kids:
                if k not in out:
                    out.add(k)
                    todo.append(k)
    return out


def alive(pid):
    """A process that exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class LocalRun:
    """svcgen local on `spec` into `out_dir`, or, with `argv` (a command
    line as a README writes it, "svcgen local service.yaml -o ."), that
    command run in `cwd`, `out_dir` being where its -o points; --port 0 is
    added either way."""

    def __init__(self, spec, out_dir, log_path, *args, env=None, timeout=420, argv=None, cwd=None):
        self.out_dir = out_dir
        self.log_path = log_path
        self.log = open(log_path, "w")
        e = dict(os.environ)
        e.update(env or {})
        if argv is not None:
            cmd = [SVCGEN, *argv[1:], "--port", "0", *args]
        else:
            cmd = [SVCGEN, "local", spec, "-o", out_dir, "--port", "0", *args]
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=e, cwd=cwd)
        self.state = None
        self.children = set()
        self.t0 = time.monotonic()
        path = os.path.join(out_dir, "local.json")
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                break
            if os.path.exists(path):
                try:
                    with open(path) as f:
                        self.state = json.load(f)
                    break
                except ValueError:
                    pass
            time.sleep(0.1)
        self.ready_s = time.monotonic() - self.t0
        if self.state:
            self.children = descendants(self.proc.pid)

    @property
    def ok(self):
        return self.state is not None

    def text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def wait_log(self, needle, timeout=20, after=0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if needle in self.text()[after:]:
                return True
            time.sleep(0.1)
        return False

    def stop(self, sig=signal.SIGTERM, timeout=10):
        """Signal svcgen; return (seconds to exit, processes left behind)."""
        self.children |= descendants(self.proc.pid)
        t = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        took = time.monotonic() - t
        # SIGKILL leaves the work to the kernel's parent-death signal.
        end = time.monotonic() + 5
        left = [p for p in self.children if alive(p)]
        while left and time.monotonic() < end:
            time.sleep(0.1)
            left = [p for p in self.children if alive(p)]
        for p in left:  # never leave them to the next test
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        self.log.close()
        return took, left

    # ---- clients ---------------------------------------------------------------

    def creds(self, fn=None):
        s = self.state
        if fn is None:
            return Credentials(s["access_key_id"], s["secret_access_key"])
        f = s["functions"][fn]
        return Credentials(f["access_key_id"], f["secret_access_key"], f["session_token"])

    def api(self, method, url, body=None, headers=None):
        """An API request as a caller of this API would make it: signed with
        the endpoint's administrator when the API takes IAM auth
        (`signed_api` set by the test), plain otherwise."""
        if getattr(self, "signed_api", False):
            return http(method, url, body, headers, sign=self.creds(), region=self.state["region"])
        return http(method, url, body, headers)

    def client(self, service, fn=None):
        """boto3 as the administrator (the endpoint) or as function `fn` (the proxy)."""
        c = self.creds(fn)
        return boto3.client(
            service, region_name=self.state["region"],
            endpoint_url=self.state["proxy_endpoint" if fn else "aws_endpoint"],
            aws_access_key_id=c.access_key, aws_secret_access_key=c.secret_key,
            aws_session_token=c.token, config=Config(retries={"max_attempts": 1}))


def http(method, url, body=None, headers=None, sign=None, region=None):
    """(status, headers with lower-case names, body text); `sign`: Credentials."""
    headers = dict(headers or {})
    data = body.encode() if isinstance(body, str) else body
    if sign is not None:
        r = AWSRequest(method=method, url=url, data=data or b"", headers=headers)
        SigV4Auth(sign, "execute-api", region).add_auth(r)
        headers = dict(r.headers.items())
    rq = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(rq, timeout=60) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode()


def readme_commands(path, prefix):
    """The commands of the sh code blocks of README `path` that start with
    `prefix` ("curl ", "svcgen local "), each joined across its
    backslash-continued lines, in order."""
    out, in_sh, cur = [], False, None
    with open(path) as f:
        for line in f:
            s = line.rstrip("\n")
            if s.startswith("```"):
                in_sh = not in_sh and s.strip() in ("```sh", "```shell", "```bash")
                continue
            if not in_sh:
                continue
            if cur is not None:
                cur += " " + s.strip()
            elif s.lstrip().startswith(prefix) or (" && " + prefix) in s:
                cur = s.strip()
            else:
                continue
            if cur.endswith("\\"):
                cur = cur[:-1].rstrip()
            else:
                out.append(cur)
                cur = None
    return out


def json_or(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


def main_guard(fn):
    try:
        sys.exit(fn())
    except KeyboardInterrupt:
        sys.exit(130)


# ---- examples laid out as their user's repository (examples/<name>/) -------------

def copy_example(name, dest):
    """examples/<name>/ as committed (`git ls-files`; the whole directory
    outside a git checkout) copied into `dest`; nothing is written into the
    repository."""
    src = os.path.join("examples", name)
    try:
        files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", src], check=True, capture_output=True).stdout
        files = [f.decode() for f in files.split(b"\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
    if not files:
        files = [os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs]
    for f in files:
        to = os.path.join(dest, os.path.relpath(f, src))
        os.makedirs(os.path.dirname(to), exist_ok=True)
        with open(f, "rb") as i, open(to, "wb") as o:
            o.write(i.read())
    return dest


def start_example(name, work, log_path, *args):
    """Copy examples/<name> into `work` and run there the `svcgen local`
    command its README.md shows (`cd examples/<name> && svcgen local ...`),
    with --port 0.  Returns (LocalRun, the README's path).

    Should svcgen refuse the copy because the directory holds files it did
    not write and no manifest (svcgen before it took an example directory
    as its output), the command is run again with --force, and says so."""
    readme = os.path.join("examples", name, "README.md")
    dest = copy_example(name, os.path.join(work, name))
    cmds = readme_commands(readme, "svcgen local ")
    if not cmds:
        raise AssertionError("%s shows no `svcgen local` command" % readme)
    cmd = cmds[0]
    if "&&" in cmd:
        cmd = cmd.split("&&", 1)[1].strip()
    argv = shlex.split(cmd)
    out = os.path.join(dest, argv[argv.index("-o") + 1]) if "-o" in argv else None
    run = LocalRun(None, out, log_path, *args, argv=argv, cwd=dest)
    if not run.ok and "[output-conflict]" in run.text() and "has no manifest.json" in run.text():
        print("note: svcgen refused a directory holding the example's own files; run again with --force",
              flush=True)
        run.stop()
        run = LocalRun(None, out, log_path, "--force", *args, argv=argv, cwd=dest)
    run.readme_command = cmd
    return run, readme


def curl(cmd, env):
    """Run one curl command line of a README with sh, `env` added to the
    environment (API=...); -w adds the status.  (status, body text)."""
    e = dict(os.environ)
    e.update(env)
    p = subprocess.run(["sh", "-c", cmd + " -w '\\n%{http_code}'"], capture_output=True, text=True,
                       env=e, timeout=60)
    body, _, status = p.stdout.rpartition("\n")
    return (int(status) if status.isdigit() else 0), body
