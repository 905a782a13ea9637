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
import re
import shlex
import shutil
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
    command; run in `cwd` (default: this process's directory; SPEC and a
    relative OUT_DIR are relative to it); --port 0 is added either way."""

    def __init__(self, spec, out_dir, log_path, *args, env=None, timeout=420, argv=None, cwd=None):
        self.out_dir = os.path.join(cwd, out_dir) if cwd else out_dir
        self.log_path = log_path
        self.log = open(log_path, "w")
        e = dict(os.environ)
        e.update(env or {})
        if argv is not None:
            cmd = [os.path.abspath(SVCGEN), *argv[1:], "--port", "0", *args]
        else:
            cmd = [os.path.abspath(SVCGEN), "local", spec, "-o", out_dir, "--port", "0", *args]
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=e, cwd=cwd)
        self.state = None
        self.children = set()
        self.t0 = time.monotonic()
        path = os.path.join(self.out_dir, "local.json")
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


def cognito_tokens(run, username, password):
    """A confirmed user `username` in the local user pool, made through the
    AWS endpoint's admin API with local.json's credentials, and its tokens
    (AuthenticationResult: IdToken, AccessToken, RefreshToken)."""
    idp = run.client("cognito-idp")
    pool, client = run.state["user_pool_id"], run.state["user_pool_client_id"]
    idp.admin_create_user(UserPoolId=pool, Username=username, MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username=username, Password=password, Permanent=True)
    return idp.admin_initiate_auth(UserPoolId=pool, ClientId=client, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": username, "PASSWORD": password})["AuthenticationResult"]


def copy_example(name, work):
    """examples/NAME copied to WORK/NAME (its committed files only: what a
    clone holds, nothing generated); the copy's path."""
    src = os.path.join("examples", name)
    dst = os.path.join(work, name)
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", src],
                            stdout=subprocess.PIPE, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        out = os.path.join(dst, os.path.relpath(rel, src))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        shutil.copy2(rel, out)
    return dst


def readme_blocks(path):
    """The ```sh blocks of a README, each as one text."""
    with open(path) as f:
        return re.findall(r"^```sh\n(.*?)^```", f.read(), re.S | re.M)


def readme_commands(path, program):
    """Every command of `program` (curl, svcgen) in the README's ```sh
    blocks, continuation lines joined, each with what its next line shows:
    [(command, status or None, body or None)], from `# -> STATUS BODY`
    (BODY JSON)."""
    out = []
    for block in readme_blocks(path):
        lines = block.split("\n")
        i = 0
        while i < len(lines):
            line = lines[i]
            i += 1
            if not re.match(r"%s\s" % re.escape(program), line):
                continue
            cmd = re.sub(r"\s{2,}# .*$", "", line)  # a comment after the command
            while cmd.endswith("\\") and i < len(lines):
                cmd = cmd[:-1] + " " + lines[i].strip()
                i += 1
            status, body = None, None
            m = re.match(r"# -> (\d{3})(?: (.*))?$", lines[i]) if i < len(lines) else None
            if m:
                status, body = int(m.group(1)), json.loads(m.group(2)) if m.group(2) else None
                i += 1
            out.append((cmd, status, body))
    return out


def run_curl(cmd, env, cwd=None):
    """A README's curl command run by sh as written, with `env` added (API,
    TOKEN...) and `-w` appended to learn the status: (status, body text)."""
    e = dict(os.environ)
    e.update(env)
    p = subprocess.run(["sh", "-c", cmd + " -w '\\n%{http_code}'"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=e, cwd=cwd, timeout=60)
    text = p.stdout.decode(errors="replace")
    body, _, code = text.rpartition("\n")
    return (int(code) if code.isdigit() else 0), body


def json_has(want, got):
    """Whether `got` shows everything `want` does: objects may hold more
    members, lists and scalars are equal member by member."""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and json_has(v, got[k]) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(got, list) and len(want) == len(got) and all(json_has(a, b) for a, b in zip(want, got))
    return want == got and type(want) is type(got)


def readme_lines(path, prefix):
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

def start_example(name, work, log_path, *args):
    """Copy examples/<name> into `work` and run there the `svcgen local`
    command its README.md shows (`cd examples/<name> && svcgen local ...`),
    with --port 0.  Returns (LocalRun, the README's path)."""
    readme = os.path.join("examples", name, "README.md")
    dest = copy_example(name, work)
    cmds = readme_lines(readme, "svcgen local ")
    if not cmds:
        raise AssertionError("%s shows no `svcgen local` command" % readme)
    cmd = cmds[0]
    if "&&" in cmd:
        cmd = cmd.split("&&", 1)[1].strip()
    argv = shlex.split(cmd)
    out = os.path.join(dest, argv[argv.index("-o") + 1]) if "-o" in argv else None
    run = LocalRun(None, out, log_path, *args, argv=argv, cwd=dest)
    run.readme_command = cmd
    return run, readme


def curl(cmd, env):
    """run_curl in this process's directory: (status, body text)."""
    return run_curl(cmd, env)
