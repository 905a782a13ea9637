#!/usr/bin/env python3
"""redeploy_moto.py - the documented build-and-deploy commands reach the
function every time (issue: a stack update whose zip changed under the
same key does not update the function, AWS::Lambda::Function Code).

Usage: redeploy_moto.py OUT
where OUT holds `svcgen generate examples/proxy-app/service.yaml` (all outputs: the
handler project is built here).

How: one moto server (in this process, with tests/cfn/moto_shim.py) on
127.0.0.1, port chosen by the OS; the real AWS CLI (pinned in
tests/requirements.txt) runs the README's commands ("CloudFormation
output") against it, through AWS_ENDPOINT_URL.  They are read from
README.md and run as written (tests/cfn/readme_deploy.py): `make package`
in the handler project, then, in the output directory, the block's upload
and deploy lines, `aws` being the pinned CLI.

Checked:
  1  first deploy: the function's CodeSha256 is the zip's (base64 SHA-256)
  2  control, the old way: the handler changed, rebuilt, the new zip
     uploaded over the old key and deployed with the same prefix: the
     function keeps its old code (what the documented commands avoid)
  3  the documented way: a new build id, so a new prefix: the function's
     CodeSha256 is the new zip's, and differs from the first
  4  the same build deployed again: exit 0, nothing changed (a pipeline
     that reruns its deploy step does not fail)
moto is stopped in a finally block; the run is bounded (SIGALRM).
"""
import base64
import hashlib
import logging
import os
import signal
import subprocess
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

TOTAL_TIMEOUT = 300
BUCKET = "svcgen-redeploy-artifacts"
REGION = "us-west-2"

ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
os.environ.update(ENV)
for _v in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE"):
    os.environ.pop(_v, None)

import boto3  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

import cfnlib  # noqa: E402
import moto_shim  # noqa: E402
import readme_deploy  # noqa: E402


class Timeout(Exception):
    pass


def sha_b64(path):
    with open(path, "rb") as f:
        return base64.b64encode(hashlib.sha256(f.read()).digest()).decode()


def sh(cmd, cwd, env, label):
    p = subprocess.run(["sh", "-c", cmd], cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=240)
    if p.returncode != 0:
        raise RuntimeError(f"{label}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p.stdout


def deploy(out, env, aws):
    """The README's commands, as the README writes them."""
    build_id, text = readme_deploy.run(out, env, BUCKET, aws, timeout=240)
    return build_id, text


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = os.path.abspath(argv[1])
    aws = os.path.join(os.path.dirname(sys.executable), "aws")
    passed = failed = 0

    def check(label, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"ok    {label}")
        else:
            failed += 1
            print(f"FAIL  {label}{': ' + detail if detail else ''}")

    def on_alarm(signum, frame):
        raise Timeout(f"over {TOTAL_TIMEOUT} s")

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log; errors stay
    warnings.filterwarnings("ignore", message="Tried to parse .* not supported by moto")
    moto_shim.install()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TOTAL_TIMEOUT)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    try:
        server.start()
        _, port = server.get_host_and_port()
        # "localhost": moto reads bucket and key from a TemplateURL's path
        # only for that host name (the server itself listens on 127.0.0.1).
        endpoint = f"http://localhost:{port}"
        # The handler project's make as a user runs it: not the settings
        # of the make that runs this suite (`make asan` passes BUILD, CC and
        # CFLAGS down through MAKEFLAGS; the zips would land elsewhere).
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "BUILD", "CC", "CFLAGS",
                            "SANITIZE", "ARCH")}
        env["AWS_ENDPOINT_URL"] = endpoint
        print(f"moto server on 127.0.0.1:{port}")
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        lam = boto3.client("lambda", endpoint_url=endpoint, region_name=REGION)

        # The one function of the spec, as the template names it.
        merged, _ = cfnlib.merged_template(out)
        function = [r["Properties"]["FunctionName"] for r in merged["Resources"].values()
                    if r["Type"] == "AWS::Lambda::Function"][0]

        def code_sha():
            return lam.get_function(FunctionName=function)["Configuration"]["CodeSha256"]

        t0 = time.monotonic()
        sh("make package >/dev/null", os.path.join(out, "handlers"), env, "make package")
        zip_path = os.path.join(out, "handlers", "build", "app.zip")
        first = sha_b64(zip_path)
        build1, _ = deploy(out, env, aws)
        got = code_sha()
        check(f"first deploy (build {build1}): CodeSha256 is the zip's", got == first,
              f"{got} != {first}")

        # The handler changes; the project is rebuilt.
        src = os.path.join(out, "handlers", "src", "app.c")
        with open(src, "a", encoding="utf-8") as f:
            f.write('\n__attribute__((used)) static const char redeploy_marker[] = '
                    '"the second build";\n')
        sh("make package >/dev/null", os.path.join(out, "handlers"), env, "make package again")
        second = sha_b64(zip_path)
        check("rebuilt after a handler change: a different zip", second != first)

        # Control: the old key, overwritten, the same prefix.
        sh(f"{aws} s3 cp handlers/build/app.zip s3://{BUCKET}/builds/{build1}/app.zip "
           "--only-show-errors", out, env, "overwrite")
        text = sh(f"{aws} cloudformation deploy --stack-name {readme_deploy.stack_name()} "
                  "--template-file cloudformation/template.json "
                  f"--s3-bucket {BUCKET} --capabilities CAPABILITY_NAMED_IAM "
                  f"--parameter-overrides ArtifactBucket={BUCKET} ArtifactPrefix=builds/{build1}/"
                  " 2>&1 || true", out, env, "control deploy")
        said = [ln for ln in text.splitlines() if "No changes to deploy" in ln]
        got = code_sha()
        check("control: a new zip under the same key and prefix does not reach the function "
              f"(the CLI: {said[0].strip() if said else text.strip()[-200:]!r})",
              got == first and bool(said), f"CodeSha256 {got}")

        build2, _ = deploy(out, env, aws)
        got = code_sha()
        check(f"documented commands (build {build2}): CodeSha256 is the new zip's",
              got == second and build2 != build1, f"{got}, want {second}")
        check("the function's code changed between the deploys", got != first)

        # The same build again: nothing to deploy, and no failure.
        build3, text = deploy(out, env, aws)
        got = code_sha()
        check(f"the same build again (build {build3}): exit 0, the function as it was",
              build3 == build2 and got == second, f"build {build3}, CodeSha256 {got}")
        print(f"({time.monotonic() - t0:.1f} s)")
    except (Timeout, RuntimeError) as e:
        check("the run finished", False, str(e))
    finally:
        signal.alarm(0)
        server.stop()
        print("moto server stopped")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
