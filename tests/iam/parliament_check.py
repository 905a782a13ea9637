#!/usr/bin/env python3
"""parliament_check.py - every function's IAM policy of every example passes
parliament (pinned in tests/requirements.txt), an IAM policy linter built on
AWS's authorization data (the Service Authorization Reference), with its
community auditors on: no finding of any severity.

Usage: parliament_check.py OUT EXAMPLE...
where OUT/<example>/ holds `svcgen generate examples/<example>/service.yaml --only
cfn,iam` (tests/suites/parliament.sh makes it).

What is linted: iam/<function>.json, the document the CloudFormation role
and the Terraform role policy carry statement for statement (iam_policy.sh
and tf_equivalence.sh check that they are equal).  parliament reads real
ARNs, so the placeholders are resolved as one deployment would resolve
them: ${AWS::Partition} -> the region's partition, ${AWS::Region} -> the
spec's region, ${AWS::AccountId} -> 123456789012, and a table's
${<Table>.StreamArn} -> arn:P:dynamodb:R:A:table/<table>/stream/<label>.
A real stream label is a timestamp with colons (2026-01-01T00:00:00.000);
parliament 1.6.4 splits resources on every ":" and then rejects any such
ARN for the stream actions (RESOURCE_MISMATCH), so the label used here has
none (2026-01-01T00-00-00.000): the check that matters, that each stream
action is granted on a resource of AWS's `stream` type
(arn:*:dynamodb:*:*:table/*/stream/*), is the same.  Any other reference
is reported as unresolvable.

Not linted: resource-based policies (role trust policies, the alarm topic's
KMS key policy), which parliament does not model: it reads every statement
as an identity policy's, so a trust policy is "MALFORMED" (no Resource) and
a key policy's "Resource": "*" (meaning the key itself) "RESOURCE_STAR".

Self-checks: two broken policies must be reported (a stream action on the
table ARN, an action that supports resources granted on "*"), so a
parliament that finds nothing can be told from one that checks nothing.

Prints one line per policy; ends with "N passed, N failed".
"""
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cfn"))

import speclib  # noqa: E402
from parliament import analyze_policy_string  # noqa: E402

ACCOUNT = "123456789012"
STREAM_LABEL = "2026-01-01T00-00-00.000"


def partition_of(region):
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def resolver(spec, table_of_id):
    part, region = partition_of(spec.region), spec.region

    def one(m):
        ref = m.group(1)
        if ref == "AWS::Partition":
            return part
        if ref == "AWS::Region":
            return region
        if ref == "AWS::AccountId":
            return ACCOUNT
        lid, _, attr = ref.partition(".")
        if attr == "StreamArn" and lid in table_of_id:
            return (f"arn:{part}:dynamodb:{region}:{ACCOUNT}:table/{table_of_id[lid]}"
                    f"/stream/{STREAM_LABEL}")
        raise ValueError(f"cannot resolve ${{{ref}}}")
    return lambda text: re.sub(r"\$\{([^}]*)\}", one, text)


def findings(text):
    return [str(f) for f in analyze_policy_string(text, include_community_auditors=True).findings]


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out, examples = argv[1], argv[2:]
    passed = failed = 0
    for ex in examples:
        spec = speclib.Spec(os.path.join(HERE, "..", "..", "examples", ex, "service.yaml"))
        with open(os.path.join(out, ex, "cloudformation", "template.json"), encoding="utf-8") as f:
            tpl = json.load(f)
        tables = {lid: r["Properties"]["TableName"] for lid, r in tpl["Resources"].items()
                  if r["Type"] == "AWS::DynamoDB::Table"}
        resolve = resolver(spec, tables)
        files = sorted(glob.glob(os.path.join(out, ex, "iam", "*.json")))
        if not files:
            print(f"FAIL  {ex}: no iam/*.json")
            failed += 1
        for path in files:
            label = f"{ex}/iam/{os.path.basename(path)}"
            with open(path, encoding="utf-8") as f:
                text = f.read()
            try:
                got = findings(resolve(text))
            except ValueError as e:
                got = [str(e)]
            if got:
                failed += 1
                print(f"FAIL  {label}: {len(got)} finding(s)")
                for g in got:
                    print(f"        {g}")
            else:
                passed += 1
                n = len(json.loads(text)["Statement"])
                print(f"ok    {label}: {n} statement(s), no finding")

    stream = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/t/stream/{STREAM_LABEL}"
    broken = {
        "a stream action on the table ARN": {
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": ["dynamodb:GetRecords"],
                "Resource": f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/t"}]},
        "an action with resources on \"*\"": {
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": ["dynamodb:PutItem"], "Resource": "*"}]},
    }
    for what, doc in broken.items():
        got = findings(json.dumps(doc))
        if got:
            passed += 1
            print(f"ok    self-check, {what}: reported ({got[0].split(' - ')[0]})")
        else:
            failed += 1
            print(f"FAIL  self-check, {what}: not reported")
    # The colon-free label is only a stand-in: the same grant on it passes.
    ok_doc = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["dynamodb:GetRecords"], "Resource": stream}]}
    if findings(json.dumps(ok_doc)):
        failed += 1
        print("FAIL  self-check, the stand-in stream ARN: reported")
    else:
        passed += 1
        print("ok    self-check, the stand-in stream ARN: a stream resource to parliament")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
