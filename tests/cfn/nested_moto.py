#!/usr/bin/env python3
"""nested_moto.py - a service past CloudFormation's quotas deploys with its
nested stacks (tests/suites/cfn_nested.sh).

Usage:
  nested_moto.py spec PATHS METHODS TYPE OUT.yaml [EXTRA]
      write a spec of PATHS paths with METHODS methods each, one function
      per route (API type TYPE: rest or http), all using one table; with
      EXTRA, one more path and route
  nested_moto.py deploy OUT SPEC.yaml
      deploy OUT (svcgen generate SPEC --only cfn,iam) on moto with the
      README's commands, read from README.md and run as written with the
      pinned AWS CLI (tests/cfn/readme_deploy.py): the build id of the zips
      and nested templates, both uploaded under builds/<id>/, then
      `aws cloudformation deploy --s3-bucket` (the root is over the inline
      limit); the build itself is a stand-in zip per function in
      OUT/handlers/build/ (600 C builds would prove nothing the handler
      suites do not).  Then: the stack CREATE_COMPLETE, every nested stack
      CREATE_COMPLETE, every function of the spec exists with its code at
      the build's prefix
  nested_moto.py diff DIFF.json TYPE
      svcgen diff --format json of a spec and the same spec plus one route:
      TYPE http: additions only; TYPE rest: additions, and only what a REST
      API's immutable deployments imply besides (the deployment replaced by
      a new one, the stage pointing at it, a path stack waiting for a new
      function stack); never a move, a replacement or a stateful change
moto runs in this process (moto_shim.py) on 127.0.0.1, port chosen by the
OS, stopped in a finally block; the run is bounded (SIGALRM).
"""
import base64
import hashlib
import io
import json
import os
import signal
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing", "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_EC2_METADATA_DISABLED": "true",
})
for _v in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE"):
    os.environ.pop(_v, None)

TOTAL_TIMEOUT = 900
REGION = "us-east-1"


def write_spec(paths, methods, api_type, out, extra=False):
    verbs = ["GET", "POST", "PUT", "DELETE"][:methods]
    lines = ["svcgen: 1", "service: big", "tables:", "  items: {partition_key: id}",
             "api:", f"  type: {api_type}", "  routes:"]
    for p in range(paths):
        lines.append(f"    /r{p:03d}:")
        for v in verbs:
            lines.append(f"      {v}: {{function: r{p:03d}_{v.lower()}, uses: [items]}}")
    if extra:
        lines += ["    /extra:", "      GET: {function: extra_get, uses: [items]}"]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return 0


def functions_of(spec_path):
    import speclib
    return speclib.Spec(spec_path).functions()


def zip_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("bootstrap", date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = 0o100755 << 16
        z.writestr(info, "#!/bin/sh\nexit 0\n")
    return buf.getvalue()


def deploy(out, spec_path):
    import logging
    import warnings

    import boto3
    import botocore.config
    import cfnlib
    import moto_shim
    import readme_deploy
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="Tried to parse .* not supported by moto")
    passed = failed = 0

    def check(label, probs):
        nonlocal passed, failed
        if probs:
            failed += 1
            print(f"FAIL  {label}")
            for p in probs[:20]:
                print(f"        {p}")
        else:
            passed += 1
            print(f"ok    {label}")

    def on_alarm(signum, frame):
        raise TimeoutError(f"over {TOTAL_TIMEOUT} s")

    moto_shim.install()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TOTAL_TIMEOUT)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    try:
        server.start()
        _, port = server.get_host_and_port()
        # "localhost": moto reads bucket and key from the TemplateURL the
        # CLI makes only for that host name (it listens on 127.0.0.1).
        endpoint = f"http://localhost:{port}"
        cfg = botocore.config.Config(read_timeout=300, retries={"max_attempts": 2})
        client = lambda svc: boto3.client(svc, endpoint_url=endpoint, region_name=REGION,
                                          config=cfg)
        s3, cf, lam = client("s3"), client("cloudformation"), client("lambda")
        bucket = "big-artifacts"
        s3.create_bucket(Bucket=bucket)
        fns = functions_of(spec_path)
        build = os.path.join(out, "handlers", "build")
        os.makedirs(build, exist_ok=True)
        body = zip_bytes()
        sha = base64.b64encode(hashlib.sha256(body).digest()).decode()
        for fn in fns:
            with open(os.path.join(build, f"{fn}.zip"), "wb") as f:
                f.write(body)
        nested = cfnlib.nested_templates(out)
        with open(os.path.join(out, "cloudformation", "template.json"), "rb") as f:
            root = f.read()
        n_res = sum(len(d["Resources"]) for d in nested.values())
        print(f"moto on 127.0.0.1:{port}: {len(fns)} functions, root template {len(root)} bytes "
              f"with {len(json.loads(root)['Resources'])} resources, {len(nested)} nested "
              f"stacks with {n_res} resources")
        t0 = time.monotonic()
        stack = readme_deploy.stack_name()
        env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_DEFAULT_REGION=REGION,
                   AWS_MAX_ATTEMPTS="2", AWS_RETRY_MODE="standard")
        aws = os.path.join(os.path.dirname(sys.executable), "aws")
        build_id, _ = readme_deploy.run(out, env, bucket, aws, timeout=TOTAL_TIMEOUT - 120)
        st = cf.describe_stacks(StackName=stack)["Stacks"][0]
        status = st["StackStatus"]
        took = time.monotonic() - t0
        check(f"the README's deploy commands (build {build_id}), {len(nested)} nested stacks: "
              f"{status} in {took:.1f} s",
              [] if status == "CREATE_COMPLETE" else [st.get("StackStatusReason")])
        pag = cf.get_paginator("list_stack_resources")
        summaries = [r for p in pag.paginate(StackName=stack) for r in p["StackResourceSummaries"]]
        stacks = [r for r in summaries if r["ResourceType"] == "AWS::CloudFormation::Stack"]
        probs = [f"{r['LogicalResourceId']}: {r['ResourceStatus']}" for r in stacks
                 if r["ResourceStatus"] != "CREATE_COMPLETE"]
        for r in stacks:
            s = cf.describe_stacks(StackName=r["PhysicalResourceId"])["Stacks"][0]
            if s["StackStatus"] != "CREATE_COMPLETE":
                probs.append(f"nested {r['LogicalResourceId']}: {s['StackStatus']}")
        check(f"all {len(stacks)} nested stacks CREATE_COMPLETE (one per template: "
              f"{len(nested)})", probs + ([] if len(stacks) == len(nested) else
                                          [f"{len(stacks)} stacks for {len(nested)} templates"]))
        have = {}
        for page in lam.get_paginator("list_functions").paginate():
            have.update({f["FunctionName"]: f for f in page["Functions"]})
        want = {f"big-dev-{fn}" for fn in fns}
        check(f"every one of the {len(want)} functions exists",
              [f"missing {x}" for x in sorted(want - set(have))])
        # Each function's code is its zip under the build's prefix.
        probs = []
        for fn in fns[:: max(1, len(fns) // 25)]:
            got = lam.get_function(FunctionName=f"big-dev-{fn}")
            loc = got["Code"].get("Location", "")
            if f"builds/{build_id}/{fn}.zip" not in loc:
                probs.append(f"{fn}: code at {loc!r}")
            if got["Configuration"].get("CodeSha256") != sha:
                probs.append(f"{fn}: CodeSha256 {got['Configuration'].get('CodeSha256')!r}, "
                             f"not the zip's {sha!r}")
        check(f"functions' code under the build's prefix builds/{build_id}/ (every "
              f"{max(1, len(fns) // 25)}th function)", probs)
    except (TimeoutError, Exception) as e:  # noqa: BLE001
        check("the deploy ran to the end", [f"{type(e).__name__}: {e}"])
    finally:
        signal.alarm(0)
        server.stop()
        print("moto server stopped")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def check_diff(path, api_type):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    probs = []
    for r in d["resources"]:
        if r.get("moved") or r.get("replaced") or r.get("stateful") and r["change"] != "added":
            probs.append(f"{r['logical_id']}: moved/replaced/stateful: {r}")
        if r["change"] == "added":
            continue
        if api_type == "rest":
            if r["change"] == "removed" and r["logical_id"].startswith("ApiDeployment"):
                continue
            if r["change"] == "changed" and r["logical_id"] == "ApiStage" \
                    and r["properties"] == ["DeploymentId"]:
                continue
            if r["change"] == "changed" and r["type"] == "AWS::CloudFormation::Stack" \
                    and r["properties"] == ["DependsOn"]:
                continue
        probs.append(f"{r['change']} {r['logical_id']} {r.get('properties')}")
    s = d["summary"]
    label = (f"{api_type}: svcgen diff of the spec and the spec plus one route: "
             f"{s['added']} added, {s['changed']} changed, {s['removed']} removed, "
             f"{s['replaced']} replaced")
    if s["added"] < 5:
        probs.append(f"only {s['added']} additions for a new route and function")
    if probs:
        print(f"FAIL  {label}")
        for p in probs:
            print(f"        {p}")
        return 1
    print(f"ok    {label}" + (": additions only" if api_type == "http" else
                              ": additions, and the deployment a REST change always brings"))
    return 0


def main(argv):
    if len(argv) >= 6 and argv[1] == "spec":
        return write_spec(int(argv[2]), int(argv[3]), argv[4], argv[5], len(argv) > 6)
    if len(argv) == 4 and argv[1] == "deploy":
        return deploy(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "diff":
        return check_diff(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
