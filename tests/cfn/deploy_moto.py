#!/usr/bin/env python3
"""deploy_moto.py - deploy every example's CloudFormation template on moto
and check the resources against the spec (DESIGN.md section 5: "it deploys
on a local AWS emulator (moto server) and the resources exist afterwards").

Usage: deploy_moto.py OUT EXAMPLE...
where OUT/<example>/ holds `svcgen generate examples/<example>/service.yaml --only
cfn,iam` (tests/suites/cfn_moto.sh makes it).

How
  One moto server (ThreadedMotoServer, in this process so tests/cfn/
  moto_shim.py can patch its gaps) on 127.0.0.1, port chosen by the OS.
  For each example, in the spec's region: an artifact bucket; a tiny zip
  holding an executable `bootstrap` per function at
  <ArtifactPrefix><function>.zip (the key form the template documents; a
  non-empty prefix, so a template that ignores it fails); CreateStack with
  ArtifactBucket/ArtifactPrefix (TemplateURL through the bucket when the
  body is over CloudFormation's 51,200-byte inline limit), then
  DescribeStacks until CREATE_COMPLETE (at most STACK_WAIT seconds).  The
  server is stopped in a finally block; the whole run is bounded by
  TOTAL_TIMEOUT (SIGALRM).

What is checked, against the spec read with tests/cfn/speclib.py (YAML 1.2:
only true/false are booleans) and its documented defaults:
  stack      CREATE_COMPLETE; every resource of a type moto implements is
             CREATE_COMPLETE in ListStackResources
  tables     DescribeTable of <service>-<stage>-<table>: key schema and key
             attribute types, billing mode (and capacity when provisioned),
             GSIs (keys, projection, capacity), stream view type or no
             stream; TTL attribute; point-in-time recovery (default on)
  functions  <service>-<stage>-<function> in ListFunctions: runtime
             provided.al2023, handler bootstrap, architecture, memory and
             timeout (defaults arm64, 256, 10), description; its code is the
             zip uploaded at <ArtifactPrefix><function>.zip (CodeSha256);
             X-Ray Active iff tracing; environment (defaults + own;
             TABLE_<T>/TOPIC_<T> for what it uses; other extra variables only
             TABLE_/TOPIC_/INDEX_); reserved concurrency; its log group's
             retention (default 30)
  role       the function's role: trusted by lambda.amazonaws.com only, no
             managed policy attached, exactly one inline policy (so no
             AWS::IAM::Policy adds to it) whose statements equal
             iam/<function>.json's with the placeholders resolved (below).
             moto ignores a Role's ManagedPolicyArns; iam_policy.sh checks
             the template for them.
  events     one event source mapping per stream event: the table's latest
             stream ARN, batch size (default 100), starting position, batching
             window, retries, filter pattern (as JSON)
  topics     each spec topic exists (display name, FIFO), plus the alarm
             topic when alarms.notify is set
  REST API   every route path and method (authorization type, AWS_PROXY
             integration to the right function), an OPTIONS preflight on
             every path with methods when cors is set, and every function
             behind a route grants apigateway.amazonaws.com
             lambda:InvokeFunction for exactly this API (SourceArn matches an
             invocation of each of its routes and starts with this API's ARN)

The role-policy comparison
  iam/<function>.json is the reviewable document: ARNs in Fn::Sub form with
  ${AWS::Partition}, ${AWS::Region}, ${AWS::AccountId} and ${Logical.Attr}
  references.  The deployed policy is what CloudFormation (here: moto)
  resolved from the template's role.  The file is resolved independently of
  moto's resolver: ${AWS::Partition} -> the region's partition (aws),
  ${AWS::Region} -> the stack's region, ${AWS::AccountId} -> the caller's
  account (moto: 123456789012), ${AWS::StackName}/${AWS::URLSuffix},
  ${Param} -> the parameter value, ${Logical} -> the resource's physical ID
  from ListStackResources (what Ref returns for the types involved),
  ${Logical.Attr} -> the attribute read back from the service
  (Table.Arn/StreamArn from DescribeTable, Role.Arn, Function.Arn,
  Topic.TopicArn, LogGroup.Arn), ${!x} -> ${x}.  Any other reference is
  reported as unresolvable (a failure, never skipped).  Then the statement
  lists must be equal, order included.  moto returns inline policies made
  by CloudFormation as a Python repr, not JSON; that text is read with
  ast.literal_eval.

Not verified here: moto 5.2.5 has no CloudFormation support for these types
(it skips them with a warning "Tried to parse ... but it's not supported"),
so the stack "creates" them without creating anything:
  AWS::ApiGateway::Account, AWS::ApiGateway::Authorizer,
  AWS::ApiGateway::Stage, AWS::ApiGatewayV2::Api, AWS::ApiGatewayV2::Authorizer,
  AWS::ApiGatewayV2::Integration, AWS::ApiGatewayV2::Route,
  AWS::ApiGatewayV2::Stage, AWS::CloudWatch::Alarm, AWS::Cognito::UserPool,
  AWS::Cognito::UserPoolClient, AWS::Cognito::UserPoolDomain,
  AWS::SNS::Subscription
(the run computes the list for each template from moto's model map and
prints it, so a new type shows up).  Not checked here either, because moto
ignores them or they are not observable through its APIs: tags, Lambda
LoggingConfig, DynamoDB SSESpecification, a REST method's authorizer and
OAuth scopes, SNS KmsMasterKeyId, an IAM role's ManagedPolicyArns.  cfn-lint
(schema), checkov (security policies), iam_policy.sh (no managed policies)
and the goldens cover those.
"""

import ast
import base64
import fnmatch
import hashlib
import io
import json
import logging
import os
import re
import signal
import sys
import time
import warnings
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import speclib  # noqa: E402

STACK_WAIT = 60        # s, CreateStack to CREATE_COMPLETE
TOTAL_TIMEOUT = 600    # s, everything (all examples), then SIGALRM
INLINE_MAX = 51200     # CloudFormation's TemplateBody limit
ARTIFACT_PREFIX = "builds/test-1/"

# No real credentials or config: everything goes to the local server.
os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
})
for _v in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "MOTO_ACCOUNT_ID",
           "AWS_CA_BUNDLE"):
    os.environ.pop(_v, None)

import boto3  # noqa: E402
import botocore.config  # noqa: E402
from moto.cloudformation.parsing import get_model_map  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

import moto_shim  # noqa: E402

AUTH_TYPE = {"none": "NONE", "iam": "AWS_IAM", "cognito": "COGNITO_USER_POOLS"}
PROJECTION = {"all": "ALL", "keys_only": "KEYS_ONLY"}
GENERATED_ENV = ("TABLE_", "TOPIC_", "INDEX_")


class Timeout(Exception):
    pass


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, label, problems):
        if problems:
            self.failed += 1
            print(f"FAIL  {label}")
            for p in problems:
                print(f"        {p}")
        else:
            self.passed += 1
            print(f"ok    {label}")
        return not problems


def partition_of(region):
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def bootstrap_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("bootstrap", date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = 0o100755 << 16
        z.writestr(info, "#!/bin/sh\n# placeholder handler for the deploy test\nexit 0\n")
    return buf.getvalue()


ZIP = bootstrap_zip()
ZIP_SHA256 = base64.b64encode(hashlib.sha256(ZIP).digest()).decode()


def parse_policy(doc):
    if isinstance(doc, dict):
        return doc
    try:
        return json.loads(doc)
    except ValueError:
        return ast.literal_eval(doc)  # moto: CloudFormation inline policies as repr


def diff_dict(label, want, got):
    return [f"{label} {k}: want {want[k]!r}, got {got.get(k)!r}"
            for k in want if got.get(k) != want[k]]


class Example:
    def __init__(self, checks, endpoint, out, name):
        self.c = checks
        self.name = name
        self.spec = speclib.Spec(os.path.join(REPO, "examples", name, "service.yaml"))
        self.region = self.spec.region
        self.root = os.path.join(out, name)
        cfg = botocore.config.Config(connect_timeout=5, read_timeout=60,
                                     retries={"max_attempts": 2, "mode": "standard"})
        self.client = lambda svc: boto3.client(svc, endpoint_url=endpoint,
                                               region_name=self.region, config=cfg)
        self.stack = "svcgen-" + name
        self.bucket = "svcgen-artifacts-" + name
        self.physical = {}
        self.types = {}
        self.params = {"ArtifactBucket": self.bucket, "ArtifactPrefix": ARTIFACT_PREFIX}

    def label(self, what):
        return f"{self.name}: {what}"

    # ---- deploy ------------------------------------------------------------

    def deploy(self):
        with open(os.path.join(self.root, "cloudformation", "template.json"), "rb") as f:
            body = f.read()
        self.tpl = json.loads(body)
        s3 = self.client("s3")
        kw = {} if self.region == "us-east-1" else {
            "CreateBucketConfiguration": {"LocationConstraint": self.region}}
        s3.create_bucket(Bucket=self.bucket, **kw)
        for fn in self.spec.functions():
            s3.put_object(Bucket=self.bucket, Key=f"{ARTIFACT_PREFIX}{fn}.zip", Body=ZIP)
        cf = self.client("cloudformation")
        args = {
            "StackName": self.stack,
            "Parameters": [{"ParameterKey": k, "ParameterValue": v}
                           for k, v in self.params.items()],
            "Capabilities": ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
        }
        if len(body) > INLINE_MAX:
            s3.put_object(Bucket=self.bucket, Key="cloudformation/template.json", Body=body)
            args["TemplateURL"] = (f"https://{self.bucket}.s3.amazonaws.com/"
                                   "cloudformation/template.json")
            how = f"TemplateURL ({len(body)} bytes, over the inline limit)"
        else:
            args["TemplateBody"] = body.decode("utf-8")
            how = f"TemplateBody ({len(body)} bytes)"
        t0 = time.monotonic()
        cf.create_stack(**args)
        status, reason = None, None
        while time.monotonic() - t0 < STACK_WAIT:
            st = cf.describe_stacks(StackName=self.stack)["Stacks"][0]
            status, reason = st["StackStatus"], st.get("StackStatusReason")
            if not status.endswith("_IN_PROGRESS"):
                break
            time.sleep(0.5)
        took = time.monotonic() - t0
        probs = []
        if status != "CREATE_COMPLETE":
            probs.append(f"stack status {status} after {took:.1f} s: {reason}")
            for e in cf.describe_stack_events(StackName=self.stack)["StackEvents"]:
                if e.get("ResourceStatusReason"):
                    probs.append(f"  {e['LogicalResourceId']}: {e['ResourceStatus']} "
                                 f"{e['ResourceStatusReason']}")
        ok = self.c.check(self.label(f"CreateStack via {how} in {self.region}: "
                                     f"CREATE_COMPLETE in {took:.1f} s"), probs)
        if not ok:
            return False
        self.stack_id = st["StackId"]
        self.account = self.client("sts").get_caller_identity()["Account"]
        paginator = cf.get_paginator("list_stack_resources")
        summaries = [r for page in paginator.paginate(StackName=self.stack)
                     for r in page["StackResourceSummaries"]]
        listed = {r["LogicalResourceId"]: r for r in summaries}
        self.physical = {k: r.get("PhysicalResourceId") for k, r in listed.items()}
        self.types = {k: r["Type"] for k, r in self.tpl["Resources"].items()}
        known = get_model_map()
        probs = []
        unsupported = {}
        for lid, typ in sorted(self.types.items()):
            if typ not in known:
                unsupported[typ] = unsupported.get(typ, 0) + 1
                continue
            r = listed.get(lid)
            if r is None:
                probs.append(f"{lid} ({typ}) not in ListStackResources")
            elif r["ResourceStatus"] != "CREATE_COMPLETE":
                probs.append(f"{lid} ({typ}) is {r['ResourceStatus']}")
        n_known = sum(1 for t in self.types.values() if t in known)
        self.c.check(self.label(f"all {n_known} resources of types moto implements are "
                                "CREATE_COMPLETE"), probs)
        if unsupported:
            print(f"      NOT VERIFIED in {self.name} (moto has no CloudFormation support): "
                  + ", ".join(f"{t} x{n}" for t, n in sorted(unsupported.items())))
        self.unsupported = unsupported
        return True

    # ---- resolving iam/<function>.json ----------------------------------------

    def resolve(self, text):
        def one(m):
            if m.group(1) == "!":
                return "${" + m.group(2) + "}"
            ref = m.group(2)
            pseudo = {
                "AWS::Partition": partition_of(self.region),
                "AWS::Region": self.region,
                "AWS::AccountId": self.account,
                "AWS::StackName": self.stack,
                "AWS::StackId": self.stack_id,
                "AWS::URLSuffix": "amazonaws.com",
            }
            if ref in pseudo:
                return pseudo[ref]
            if ref in self.params:
                return self.params[ref]
            lid, _, attr = ref.partition(".")
            if lid not in self.types:
                raise ValueError(f"${{{ref}}}: no resource or parameter {lid}")
            if not attr:
                if not self.physical.get(lid):
                    raise ValueError(f"${{{ref}}}: no physical id")
                return self.physical[lid]
            return self.attribute(lid, attr, ref)

        return re.sub(r"\$\{(!?)([^}]*)\}", one, text)

    def attribute(self, lid, attr, ref):
        typ, pid = self.types[lid], self.physical.get(lid)
        if typ == "AWS::DynamoDB::Table" and attr in ("Arn", "StreamArn"):
            t = self.client("dynamodb").describe_table(TableName=pid)["Table"]
            return t["TableArn"] if attr == "Arn" else t["LatestStreamArn"]
        if typ == "AWS::IAM::Role" and attr == "Arn":
            return self.client("iam").get_role(RoleName=pid)["Role"]["Arn"]
        if typ == "AWS::Lambda::Function" and attr == "Arn":
            return self.client("lambda").get_function(
                FunctionName=pid)["Configuration"]["FunctionArn"]
        if typ == "AWS::SNS::Topic" and attr == "TopicArn":
            return pid
        if typ == "AWS::Logs::LogGroup" and attr == "Arn":
            g = self.client("logs").describe_log_groups(logGroupNamePrefix=pid)["logGroups"]
            return next(x["arn"] for x in g if x["logGroupName"] == pid)
        raise ValueError(f"${{{ref}}}: cannot resolve attribute {attr} of {typ} "
                         "(extend Example.attribute in tests/cfn/deploy_moto.py)")

    def resolve_doc(self, doc):
        if isinstance(doc, dict):
            return {k: self.resolve_doc(v) for k, v in doc.items()}
        if isinstance(doc, list):
            return [self.resolve_doc(v) for v in doc]
        if isinstance(doc, str):
            return self.resolve(doc)
        return doc

    # ---- checks ------------------------------------------------------------------

    def check_tables(self):
        ddb = self.client("dynamodb")
        for name, t in self.spec.tables.items():
            phys = self.spec.physical(name)
            lab = self.label(f"table {name} ({phys})")
            try:
                d = ddb.describe_table(TableName=phys)["Table"]
            except Exception as e:  # noqa: BLE001 - report whatever the service says
                self.c.check(lab + ": exists", [str(e)])
                continue
            attrs = {a["AttributeName"]: a["AttributeType"] for a in d["AttributeDefinitions"]}

            def keys(pk, sk):
                out, types = [], {}
                for k, kind in ((pk, "HASH"), (sk, "RANGE")):
                    if k is None:
                        continue
                    n, ty = speclib.key_attr(k)
                    out.append({"AttributeName": n, "KeyType": kind})
                    types[n] = ty
                return out, types

            want_ks, want_types = keys(t["partition_key"], t.get("sort_key"))
            probs = []
            if d["KeySchema"] != want_ks:
                probs.append(f"KeySchema {d['KeySchema']}, want {want_ks}")
            for n, ty in want_types.items():
                if attrs.get(n) != ty:
                    probs.append(f"attribute {n} type {attrs.get(n)}, want {ty}")
            self.c.check(lab + f": key schema {[k['AttributeName'] for k in want_ks]}", probs)

            billing = t.get("billing", "on_demand")
            mode = (d.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
            probs = []
            if mode != {"on_demand": "PAY_PER_REQUEST", "provisioned": "PROVISIONED"}[billing]:
                probs.append(f"billing mode {mode}")
            if billing == "provisioned":
                cap = t["capacity"]
                pt = d.get("ProvisionedThroughput", {})
                if (pt.get("ReadCapacityUnits"), pt.get("WriteCapacityUnits")) != (
                        cap["read"], cap["write"]):
                    probs.append(f"throughput {pt.get('ReadCapacityUnits')}/"
                                 f"{pt.get('WriteCapacityUnits')}, want {cap['read']}/{cap['write']}")
            self.c.check(lab + f": billing {billing}", probs)

            want_idx = t.get("indexes") or {}
            got_idx = {g["IndexName"]: g for g in d.get("GlobalSecondaryIndexes") or []}
            probs = []
            if set(got_idx) != set(want_idx):
                probs.append(f"GSIs {sorted(got_idx)}, want {sorted(want_idx)}")
            if d.get("LocalSecondaryIndexes"):
                probs.append(f"unexpected LSIs {d['LocalSecondaryIndexes']}")
            for iname, ix in want_idx.items():
                g = got_idx.get(iname)
                if g is None:
                    continue
                ks, ktypes = keys(ix["partition_key"], ix.get("sort_key"))
                if g["KeySchema"] != ks:
                    probs.append(f"{iname}: KeySchema {g['KeySchema']}, want {ks}")
                for n, ty in ktypes.items():
                    if attrs.get(n) != ty:
                        probs.append(f"{iname}: attribute {n} type {attrs.get(n)}, want {ty}")
                proj = ix.get("projection", "all")
                if isinstance(proj, list):
                    want_p = {"ProjectionType": "INCLUDE", "NonKeyAttributes": proj}
                else:
                    want_p = {"ProjectionType": PROJECTION[proj]}
                if g.get("Projection") != want_p:
                    probs.append(f"{iname}: Projection {g.get('Projection')}, want {want_p}")
                if billing == "provisioned":
                    cap = ix.get("capacity") or t["capacity"]
                    pt = g.get("ProvisionedThroughput", {})
                    if (pt.get("ReadCapacityUnits"), pt.get("WriteCapacityUnits")) != (
                            cap["read"], cap["write"]):
                        probs.append(f"{iname}: throughput {pt.get('ReadCapacityUnits')}/"
                                     f"{pt.get('WriteCapacityUnits')}, want "
                                     f"{cap['read']}/{cap['write']}")
            self.c.check(lab + f": global secondary indexes {sorted(want_idx)}", probs)

            stream = t.get("stream", "none")
            ss = d.get("StreamSpecification") or {}
            probs = []
            if stream == "none":
                if ss.get("StreamEnabled"):
                    probs.append(f"stream enabled ({ss}), spec says none")
            elif not ss.get("StreamEnabled") or ss.get("StreamViewType") != speclib.STREAM_VIEW[stream]:
                probs.append(f"StreamSpecification {ss}, want {speclib.STREAM_VIEW[stream]}")
            self.c.check(lab + f": stream {stream}", probs)

            ttl = ddb.describe_time_to_live(TableName=phys)["TimeToLiveDescription"]
            if t.get("ttl"):
                probs = [] if (ttl.get("TimeToLiveStatus") == "ENABLED"
                               and ttl.get("AttributeName") == t["ttl"]) else [f"TTL {ttl}"]
            else:
                probs = [] if ttl.get("TimeToLiveStatus") == "DISABLED" else [f"TTL {ttl}"]
            self.c.check(lab + f": ttl {t.get('ttl') or 'off'}", probs)

            pitr = t.get("point_in_time_recovery", True)
            got = ddb.describe_continuous_backups(TableName=phys)["ContinuousBackupsDescription"]
            got = got["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]
            self.c.check(lab + f": point-in-time recovery {'on' if pitr else 'off'}",
                         [] if got == ("ENABLED" if pitr else "DISABLED") else [f"PITR {got}"])

    def check_functions(self):
        lam = self.client("lambda")
        funcs = {}
        for page in lam.get_paginator("list_functions").paginate():
            for f in page["Functions"]:
                funcs[f["FunctionName"]] = f
        iam = self.client("iam")
        logs = self.client("logs")
        for fn in self.spec.functions():
            phys = self.spec.physical(fn)
            s = self.spec.settings(fn)
            lab = self.label(f"function {fn} ({phys})")
            f = funcs.get(phys)
            if not self.c.check(lab + ": in ListFunctions",
                                [] if f else [f"not among {sorted(funcs)}"]):
                continue
            want = {"Runtime": "provided.al2023", "Handler": "bootstrap",
                    "Architectures": [s["architecture"]], "MemorySize": s["memory"],
                    "Timeout": s["timeout"], "Description": s["description"] or ""}
            self.c.check(lab + f": provided.al2023, bootstrap, {s['architecture']}, "
                         f"{s['memory']} MB, {s['timeout']} s", diff_dict("", want, f))
            self.c.check(lab + f": code is s3://{self.bucket}/{ARTIFACT_PREFIX}{fn}.zip",
                         [] if f.get("CodeSha256") == ZIP_SHA256 else
                         [f"CodeSha256 {f.get('CodeSha256')!r} (size {f.get('CodeSize')}) is not "
                          f"the uploaded zip's {ZIP_SHA256!r}: the template reads another key"])

            mode = (f.get("TracingConfig") or {}).get("Mode")
            self.c.check(lab + f": X-Ray {'Active' if s['tracing'] else 'off'}",
                         [] if (mode == "Active") == bool(s["tracing"]) else [f"tracing mode {mode}"])

            env = (f.get("Environment") or {}).get("Variables") or {}
            want_env = dict(s["environment"])
            for t in self.spec.used_tables(fn):
                want_env[f"TABLE_{t.upper().replace('-', '_')}"] = self.spec.physical(t)
            for t in self.spec.used_topics(fn):
                want_env[f"TOPIC_{t.upper()}"] = (
                    f"arn:{partition_of(self.region)}:sns:{self.region}:{self.account}:"
                    f"{self.spec.topic_physical(t)}")
            probs = [f"{k}={env.get(k)!r}, want {v!r}" for k, v in sorted(want_env.items())
                     if env.get(k) != v]
            probs += [f"unexpected variable {k}={v!r}" for k, v in sorted(env.items())
                      if k not in want_env and not k.startswith(GENERATED_ENV)]
            self.c.check(lab + f": environment {sorted(want_env)}", probs)

            rc = s["reserved_concurrency"]
            got = lam.get_function_concurrency(FunctionName=phys).get("ReservedConcurrentExecutions")
            self.c.check(lab + f": reserved concurrency {rc if rc is not None else 'none'}",
                         [] if got == rc else [f"reserved concurrency {got}"])

            lg = self.spec.log_group(fn)
            groups = [g for g in logs.describe_log_groups(logGroupNamePrefix=lg)["logGroups"]
                      if g["logGroupName"] == lg]
            probs = [f"no log group {lg}"] if not groups else (
                [] if groups[0].get("retentionInDays") == s["log_retention"]
                else [f"retention {groups[0].get('retentionInDays')}"])
            self.c.check(lab + f": log group {lg}, {s['log_retention']} days", probs)

            self.check_role(iam, fn, f, lab)

    def check_role(self, iam, fn, f, lab):
        role_name = f["Role"].rsplit("/", 1)[-1]
        probs = []
        role = iam.get_role(RoleName=role_name)["Role"]
        trust = parse_policy(role["AssumeRolePolicyDocument"])
        principals = [(st.get("Effect"), st.get("Principal"), st.get("Action"))
                      for st in trust.get("Statement", [])]
        if principals != [("Allow", {"Service": "lambda.amazonaws.com"}, "sts:AssumeRole")] and \
                principals != [("Allow", {"Service": ["lambda.amazonaws.com"]}, ["sts:AssumeRole"])]:
            probs.append(f"trust policy {trust}")
        attached = iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]
        if attached:
            probs.append(f"managed policies attached: {[p['PolicyArn'] for p in attached]}")
        names = iam.list_role_policies(RoleName=role_name)["PolicyNames"]
        if len(names) != 1:
            probs.append(f"{len(names)} inline policies {names}, want 1")
        self.c.check(lab + f": role {role_name} trusted by Lambda only, one inline policy, "
                     "no managed policy", probs)
        if len(names) != 1:
            return
        got = parse_policy(iam.get_role_policy(RoleName=role_name,
                                               PolicyName=names[0])["PolicyDocument"])
        with open(os.path.join(self.root, "iam", fn + ".json"), encoding="utf-8") as fh:
            doc = json.load(fh)
        probs = []
        try:
            want = self.resolve_doc(doc)
        except ValueError as e:
            want = None
            probs.append(str(e))
        if want is not None and got.get("Statement") != want.get("Statement"):
            probs.append("deployed statements differ from iam/%s.json resolved:" % fn)
            probs += ["  deployed: " + json.dumps(x, sort_keys=True)
                      for x in got.get("Statement", [])]
            probs += ["  file:     " + json.dumps(x, sort_keys=True)
                      for x in want.get("Statement", [])]
        n = len(doc.get("Statement", []))
        self.c.check(lab + f": deployed role policy = iam/{fn}.json resolved ({n} statements)",
                     probs)

    def check_events(self):
        lam = self.client("lambda")
        ddb = self.client("dynamodb")
        for fn in self.spec.functions():
            events = self.spec.events(fn)
            phys = self.spec.physical(fn)
            maps = lam.list_event_source_mappings(FunctionName=phys)["EventSourceMappings"]
            if not events and not maps:
                continue
            probs = []
            if len(maps) != len(events):
                probs.append(f"{len(maps)} event source mappings, want {len(events)}")
            for ev in events:
                arn = ddb.describe_table(TableName=self.spec.physical(ev["table"]))[
                    "Table"].get("LatestStreamArn")
                m = next((m for m in maps if m.get("EventSourceArn") == arn), None)
                if m is None:
                    probs.append(f"no mapping from {arn} (have "
                                 f"{[m.get('EventSourceArn') for m in maps]})")
                    continue
                want = {"BatchSize": ev.get("batch_size", 100),
                        "StartingPosition": ev.get("starting_position", "latest").upper()}
                if "batching_window" in ev:
                    want["MaximumBatchingWindowInSeconds"] = ev["batching_window"]
                if "retries" in ev:
                    want["MaximumRetryAttempts"] = ev["retries"]
                probs += diff_dict("mapping", want, m)
                filters = [json.loads(x["Pattern"]) for x in
                           (m.get("FilterCriteria") or {}).get("Filters", [])]
                want_f = [ev["filter"]] if "filter" in ev else []
                if filters != want_f:
                    probs.append(f"filter {filters}, want {want_f}")
            self.c.check(self.label(f"function {fn}: stream event source mappings "
                                    f"{[e['table'] for e in events]}"), probs)

    def check_topics(self):
        sns = self.client("sns")
        arns = [t["TopicArn"] for page in sns.get_paginator("list_topics").paginate()
                for t in page["Topics"]]
        head = f"arn:{partition_of(self.region)}:sns:{self.region}:{self.account}:"
        ours = [a for a in arns if a.startswith(head + self.spec.prefix + "-")]
        for name, t in self.spec.topics.items():
            arn = head + self.spec.topic_physical(name)
            lab = self.label(f"topic {name} ({self.spec.topic_physical(name)})")
            if not self.c.check(lab + ": exists", [] if arn in arns else [f"not among {ours}"]):
                continue
            a = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
            probs = []
            if t.get("display_name") and a.get("DisplayName") != t["display_name"]:
                probs.append(f"DisplayName {a.get('DisplayName')!r}")
            if bool(t.get("fifo")) != (a.get("FifoTopic") == "true"):
                probs.append(f"FifoTopic {a.get('FifoTopic')!r}")
            self.c.check(lab + ": display name, FIFO", probs)
        want_n = len(self.spec.topics) + (1 if self.spec.alarms.get("notify") else 0)
        self.c.check(self.label(f"{want_n} topic(s) named {self.spec.prefix}-*: spec topics"
                                + (" + the alarm topic" if self.spec.alarms.get("notify") else "")),
                     [] if len(ours) == want_n else [f"have {ours}"])

    def check_rest_api(self):
        api = self.spec.api
        if not api or api.get("type", "rest") != "rest":
            if api:
                print(f"      NOT VERIFIED in {self.name}: the HTTP API (AWS::ApiGatewayV2::*): "
                      "routes, integrations, authorizer, stage, Lambda permissions' SourceArn")
            return
        ids = [lid for lid, t in self.types.items() if t == "AWS::ApiGateway::RestApi"]
        if not self.c.check(self.label("one REST API"), [] if len(ids) == 1 else [f"have {ids}"]):
            return
        api_id = self.physical[ids[0]]
        ag = self.client("apigateway")
        items = [r for page in ag.get_paginator("get_resources").paginate(
            restApiId=api_id, embed=["methods"]) for r in page["items"]]
        by_path = {r["path"]: r for r in items}
        default_auth = api.get("auth", "none")
        probs = []
        routes = list(self.spec.routes())
        for path, verb, m in routes:
            r = by_path.get(path)
            if r is None:
                probs.append(f"no resource {path}")
                continue
            got = (r.get("resourceMethods") or {}).get(verb)
            if got is None:
                probs.append(f"{verb} {path}: no method")
                continue
            auth = AUTH_TYPE[m.get("auth", default_auth)]
            if got.get("authorizationType") != auth:
                probs.append(f"{verb} {path}: authorization {got.get('authorizationType')}, want {auth}")
            integ = got.get("methodIntegration") or {}
            target = f":function:{self.spec.physical(m['function'])}/invocations"
            if integ.get("type") != "AWS_PROXY" or not str(integ.get("uri", "")).endswith(target):
                probs.append(f"{verb} {path}: integration {integ.get('type')} {integ.get('uri')}")
        self.c.check(self.label(f"REST API {api_id}: {len(routes)} route methods, "
                                "authorization, Lambda proxy integrations"), probs)
        if api.get("cors"):
            paths = sorted({p for p, _, _ in routes})
            probs = [f"{p}: no OPTIONS method" for p in paths
                     if "OPTIONS" not in ((by_path.get(p) or {}).get("resourceMethods") or {})]
            self.c.check(self.label(f"REST API: CORS preflight OPTIONS on {len(paths)} paths"), probs)

        lam = self.client("lambda")
        arn_head = (f"arn:{partition_of(self.region)}:execute-api:{self.region}:"
                    f"{self.account}:{api_id}/")
        stage = self.spec.stage
        for fn in self.spec.functions():
            mine = [(p, v) for p, v, m in routes if m["function"] == fn]
            if not mine:
                continue
            probs = []
            try:
                pol = json.loads(lam.get_policy(FunctionName=self.spec.physical(fn))["Policy"])
            except Exception as e:  # noqa: BLE001
                pol = {"Statement": []}
                probs.append(f"no resource policy: {e}")
            grants = []
            for st in pol.get("Statement", []):
                princ = st.get("Principal")
                svc = princ.get("Service") if isinstance(princ, dict) else princ
                if svc != "apigateway.amazonaws.com":
                    continue
                src = ((st.get("Condition") or {}).get("ArnLike") or {}).get("AWS:SourceArn")
                if st.get("Effect") != "Allow" or st.get("Action") != "lambda:InvokeFunction":
                    probs.append(f"statement {st.get('Sid')}: {st.get('Effect')} {st.get('Action')}")
                if not src or not src.startswith(arn_head):
                    probs.append(f"statement {st.get('Sid')}: SourceArn {src!r} is not limited "
                                 f"to this API ({arn_head}...)")
                    continue
                grants.append(src)
            for path, verb in mine:
                sample = "/".join("a/b" if s.endswith("+}") else ("a" if s.startswith("{") else s)
                                  for s in path.strip("/").split("/")) if path != "/" else ""
                for v in (["GET", "DELETE"] if verb == "ANY" else [verb]):
                    call = f"{arn_head}{stage}/{v}/{sample}"
                    if not any(fnmatch.fnmatchcase(call, g) for g in grants):
                        probs.append(f"API Gateway may not invoke it for {v} {path} "
                                     f"({call}); grants: {grants}")
            self.c.check(self.label(f"function {fn}: API Gateway may invoke it for its "
                                    f"{len(mine)} route(s), from this API only"), probs)


def on_alarm(signum, frame):
    raise Timeout(f"deploy_moto.py: over {TOTAL_TIMEOUT} s, giving up")


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: deploy_moto.py OUT EXAMPLE...")
    out, examples = argv[1], argv[2:]
    logging.basicConfig(level=logging.ERROR, format="moto: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log; errors stay
    warnings.filterwarnings("ignore", message="Tried to parse .* not supported by moto")
    moto_shim.install()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TOTAL_TIMEOUT)
    checks = Checks()
    not_verified = {}
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    t0 = time.monotonic()
    try:
        server.start()
        host, port = server.get_host_and_port()
        print(f"moto server on {host}:{port} (started in {time.monotonic() - t0:.1f} s)")
        endpoint = f"http://{host}:{port}"
        for name in examples:
            print(f"== {name}")
            ex = Example(checks, endpoint, out, name)
            try:
                if not ex.deploy():
                    continue
                for k, n in ex.unsupported.items():
                    not_verified[k] = not_verified.get(k, 0) + n
                ex.check_tables()
                ex.check_functions()
                ex.check_events()
                ex.check_topics()
                ex.check_rest_api()
            except Timeout:
                raise
            except Exception as e:  # noqa: BLE001 - one example's crash fails that example
                checks.check(f"{name}: checks ran to the end", [f"{type(e).__name__}: {e}"])
    except Timeout as e:
        checks.check("the run finished in time", [str(e)])
    finally:
        signal.alarm(0)
        server.stop()
        print(f"moto server stopped ({time.monotonic() - t0:.1f} s in all)")
    if not_verified:
        print("not verified (no CloudFormation support in moto): "
              + ", ".join(sorted(not_verified)))
    fwd = sorted({f"{t}.{p}" for t, _, p in moto_shim.FORWARDED})
    if fwd:
        print("forwarded by tests/cfn/moto_shim.py (moto ignores them): " + ", ".join(fwd))
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
