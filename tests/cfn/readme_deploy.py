"""readme_deploy.py - the README's CloudFormation build-and-deploy commands,
read from README.md itself and run as they are written, so the commands a
user copies are the ones the moto proofs run (tests/cfn/redeploy_moto.py,
tests/cfn/nested_moto.py).

The block is the first ```sh block of the README's "## CloudFormation
output" section.  It must start with the build,

    make -C out/<service>/handlers package
    cd out/<service>

then upload and deploy with `aws` and $BUCKET.  commands() returns the
build line and the rest; run() runs the rest with `sh -eu` in the output
directory a suite generated (the `cd` stands for that), with $BUCKET set
and the pinned AWS CLI first on PATH, so `aws` in the README is that CLI.
The build is the caller's: `make package` in the handler project
(redeploy_moto.py), or stand-in zips where building hundreds of handlers
would prove nothing more (nested_moto.py).  Anything else about the block
that differs from this shape raises ReadmeError, so an edit of the README
that these proofs cannot follow fails them instead of passing untested.
"""

import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
README = os.path.join(ROOT, "README.md")
SECTION = "## CloudFormation output"


class ReadmeError(Exception):
    pass


def commands(readme=README):
    """(build line, deploy script, stack name) of the README's block."""
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    at = text.find("\n" + SECTION + "\n")
    if at < 0:
        raise ReadmeError(f"{readme}: no '{SECTION}' section")
    m = re.search(r"^```sh\n(.*?)^```$", text[at:], re.S | re.M)
    if not m:
        raise ReadmeError(f"{readme}: no ```sh block in '{SECTION}'")
    lines = [ln for ln in m.group(1).splitlines() if ln.strip()]
    strip = [re.sub(r"\s+#.*$", "", ln) for ln in lines]
    if len(strip) < 3 or not re.fullmatch(r"make -C out/[a-z0-9-]+/handlers package", strip[0]) \
            or not re.fullmatch(r"cd out/[a-z0-9-]+", strip[1]):
        raise ReadmeError(f"{readme}: the '{SECTION}' block does not start with "
                          "'make -C out/SERVICE/handlers package' and 'cd out/SERVICE'")
    script = "\n".join(strip[2:]) + "\n"
    for need in ("aws cloudformation deploy", "$BUCKET", "ArtifactPrefix="):
        if need not in script:
            raise ReadmeError(f"{readme}: the '{SECTION}' block has no {need!r}")
    stack = re.search(r"--stack-name\s+(\S+)", script)
    if not stack:
        raise ReadmeError(f"{readme}: the deploy in '{SECTION}' names no --stack-name")
    return strip[0], script, stack.group(1)


def run(out, env, bucket, aws, timeout=600):
    """Runs the README's upload-and-deploy commands in `out` (a generated
    service directory with handlers/build/*.zip), `aws` (the pinned CLI's
    path) first on PATH.  Returns (build id, output); raises RuntimeError
    with the output when a command fails."""
    _, script, _ = commands()
    env = dict(env, BUCKET=bucket,
               PATH=os.path.dirname(aws) + os.pathsep + env.get("PATH", os.defpath))
    p = subprocess.run(["sh", "-eu", "-c", script + 'echo "BUILD_ID=$BUILD_ID"\n'],
                       cwd=out, env=env, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(f"the README's deploy commands: exit {p.returncode}\n"
                           f"{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    ids = re.findall(r"^BUILD_ID=(\S*)$", p.stdout, re.M)
    if not ids or not ids[-1]:
        raise RuntimeError(f"the README's commands set no BUILD_ID:\n{p.stdout[-2000:]}")
    return ids[-1], p.stdout


def stack_name():
    return commands()[2]
