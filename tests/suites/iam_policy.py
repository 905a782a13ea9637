#!/usr/bin/env python3
"""iam_policy.py - least privilege in every generated IAM policy.

Usage: iam_policy.py OUT EXAMPLE...
where OUT/<example>/ holds `svcgen generate examples/<example>/service.yaml --only
cfn,iam` (tests/suites/iam_policy.sh makes it).

For every example, the set of iam/<function>.json files is the spec's set
of functions (route functions and `functions:` entries), and for every file:

  shape       a policy document: Version 2012-10-17, a non-empty Statement
              list, each statement only Sid/Effect/Action/Resource, Effect
              Allow (no NotAction/NotResource, no Condition to reason about)
  wildcards   no action contains "*" or "?" (IAM's wildcards)
  star        Resource "*" only in a statement whose actions are exactly
              xray:PutTraceSegments and xray:PutTelemetryRecords
  allow-list  every action is one DESIGN.md section 3 permits (DynamoDB
              item and stream actions, sns:Publish, logs:CreateLogStream,
              logs:PutLogEvents, the two X-Ray actions)
  scan        dynamodb:Scan only on a table or index for which the spec
              lists `:scan` for this function
  spec        the grants, merged per resource (resource -> set of actions),
              equal what the spec's `uses`, stream events and tracing grant
              by reference section 10, resources as exact ARNs in the
              literal form (tests/cfn/speclib.py), a stream as its table's
              "${<logical id>.StreamArn}" (the id of the template's table
              with that TableName); nothing more, nothing less
  template    the statements of the function's role in
              cloudformation/template.json (its only inline policy; no
              managed policy and no AWS::IAM::Policy attached) equal the
              file's, after reading Fn::Sub/Ref/GetAtt/Join as Fn::Sub text
              (tests/cfn/cfnlib.py), in the same order

Prints a line per file and check failure; ends with "N passed, N failed".
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cfn"))

import cfnlib  # noqa: E402
import speclib  # noqa: E402

XRAY = speclib.XRAY_ACTIONS
STATEMENT_KEYS = {"Sid", "Effect", "Action", "Resource"}


def as_list(v):
    return v if isinstance(v, list) else [v]


class Counter:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, label, problems):
        """Count one check; `problems` is a list of strings (empty: pass)."""
        if problems:
            self.failed += 1
            print(f"FAIL  {label}")
            for p in problems:
                print(f"        {p}")
        else:
            self.passed += 1
        return not problems


def check_shape(doc):
    probs = []
    if not isinstance(doc, dict):
        return ["not a JSON object"]
    if set(doc) - {"Version", "Statement", "Id"}:
        probs.append(f"unexpected top-level keys {sorted(set(doc) - {'Version', 'Statement', 'Id'})}")
    if doc.get("Version") != "2012-10-17":
        probs.append(f"Version is {doc.get('Version')!r}, want '2012-10-17'")
    st = doc.get("Statement")
    if not isinstance(st, list) or not st:
        return probs + ["Statement is not a non-empty list"]
    for i, s in enumerate(st):
        if not isinstance(s, dict):
            probs.append(f"statement {i} is not an object")
            continue
        extra = set(s) - STATEMENT_KEYS
        if extra:
            probs.append(f"statement {i} ({s.get('Sid')}) has {sorted(extra)}")
        if s.get("Effect") != "Allow":
            probs.append(f"statement {i} ({s.get('Sid')}) Effect is {s.get('Effect')!r}")
        for k in ("Action", "Resource"):
            v = s.get(k)
            if not v or not all(isinstance(x, str) and x for x in as_list(v)):
                probs.append(f"statement {i} ({s.get('Sid')}) {k} is not a string or list of strings")
    return probs


def grants_of(statements):
    g = {}
    for s in statements:
        for r in as_list(s["Resource"]):
            g.setdefault(r, set()).update(as_list(s["Action"]))
    return g


def check_file(c, spec, ex, fn, doc, tpl):
    label = f"{ex}/iam/{fn}.json"
    if not c.check(f"{label}: shape", check_shape(doc)):
        return
    sts = doc["Statement"]
    actions = [a for s in sts for a in as_list(s["Action"])]

    c.check(f"{label}: wildcards: no action may contain '*' or '?'",
            [f"action {a!r}" for a in actions if "*" in a or "?" in a])

    probs = []
    for s in sts:
        if "*" in as_list(s["Resource"]) and set(as_list(s["Action"])) != XRAY:
            probs.append(f"statement {s.get('Sid')}: Resource '*' with actions "
                         f"{sorted(as_list(s['Action']))}; only {sorted(XRAY)} may have it")
        if "*" in as_list(s["Resource"]) and len(as_list(s["Action"])) != len(XRAY):
            probs.append(f"statement {s.get('Sid')}: X-Ray actions repeated")
    c.check(f"{label}: star: Resource '*' only for exactly the two X-Ray actions", probs)

    c.check(f"{label}: allow-list: only actions DESIGN.md section 3 permits",
            [f"action {a!r} is not permitted" for a in sorted(set(actions))
             if a not in speclib.ALLOWED_ACTIONS])

    allowed_scan = spec.scan_resources(fn)
    probs = []
    for s in sts:
        if "dynamodb:Scan" in as_list(s["Action"]):
            for r in as_list(s["Resource"]):
                if r not in allowed_scan:
                    probs.append(f"dynamodb:Scan on {r} but the spec lists no :scan for it")
    c.check(f"{label}: scan: Scan only where the spec lists :scan", probs)

    by_name = cfnlib.table_ids(tpl)
    want = spec.expected_policy(fn, {t: by_name.get(spec.physical(t), "?") for t in spec.tables})
    got = grants_of(sts)
    probs = []
    for r in sorted(set(want) | set(got)):
        w, g = want.get(r, set()), got.get(r, set())
        if w == g:
            continue
        if g - w:
            probs.append(f"{r}: more than the spec grants: {sorted(g - w)}")
        if w - g:
            probs.append(f"{r}: missing what the spec grants: {sorted(w - g)}")
    c.check(f"{label}: spec: grants equal what the spec's uses/events/tracing imply", probs)

    probs = []
    try:
        phys = spec.physical(fn)
        lid, fres = cfnlib.function_resource(tpl, phys)
        if fres is None:
            raise ValueError(f"no AWS::Lambda::Function with FunctionName {phys}")
        rid, role = cfnlib.role_of(tpl, fres)
        props = role.get("Properties", {})
        pols = props.get("Policies") or []
        if props.get("ManagedPolicyArns"):
            probs.append(f"role {rid} has ManagedPolicyArns {props['ManagedPolicyArns']}")
        others = cfnlib.policies_attached_elsewhere(tpl, rid)
        if others:
            probs.append(f"role {rid} also gets policies from {others}")
        if len(pols) != 1:
            probs.append(f"role {rid} has {len(pols)} inline policies, want 1")
        else:
            tdoc = cfnlib.cfn_doc(pols[0].get("PolicyDocument"))
            tst = tdoc.get("Statement") if isinstance(tdoc, dict) else None
            if tdoc.get("Version") != doc.get("Version"):
                probs.append(f"role {rid} policy Version {tdoc.get('Version')!r} != file's")
            if tst != sts:
                only_t = [x for x in (tst or []) if x not in sts]
                only_f = [x for x in sts if x not in (tst or [])]
                probs.append(f"role {rid} ({lid}) statements differ from the file's"
                             + ("" if only_t or only_f else ": same statements, other order"))
                probs += ["  template only: " + json.dumps(x, sort_keys=True) for x in only_t]
                probs += ["  file only:     " + json.dumps(x, sort_keys=True) for x in only_f]
    except (ValueError, AttributeError, TypeError) as e:
        probs.append(str(e))
    c.check(f"{label}: template: the CloudFormation role's statements equal the file's", probs)


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: iam_policy.py OUT EXAMPLE...")
    out = argv[1]
    c = Counter()
    repo = os.path.normpath(os.path.join(HERE, "..", ".."))
    for ex in argv[2:]:
        spec = speclib.Spec(os.path.join(repo, "examples", ex, "service.yaml"))
        root = os.path.join(out, ex)
        iam_dir = os.path.join(root, "iam")
        files = sorted(f[:-5] for f in os.listdir(iam_dir) if f.endswith(".json")) \
            if os.path.isdir(iam_dir) else []
        fns = spec.functions()
        c.check(f"{ex}: iam/ holds one policy per function ({len(fns)} functions)",
                [f"missing iam/{f}.json" for f in fns if f not in files]
                + [f"iam/{f}.json names no function of the spec" for f in files if f not in fns])
        try:
            tpl = cfnlib.load_template(os.path.join(root, "cloudformation", "template.json"))
        except (OSError, ValueError) as e:
            c.check(f"{ex}: cloudformation/template.json readable", [str(e)])
            tpl = {}
        for fn in fns:
            if fn not in files:
                continue
            before = c.failed
            path = os.path.join(iam_dir, fn + ".json")
            try:
                with open(path, encoding="utf-8") as f:
                    doc = json.load(f)
            except (OSError, ValueError) as e:
                c.check(f"{ex}/iam/{fn}.json: valid JSON", [str(e)])
                continue
            check_file(c, spec, ex, fn, doc, tpl)
            if c.failed == before:
                n = len(doc["Statement"])
                print(f"ok    {ex}/iam/{fn}.json: {n} statement(s): shape, wildcards, star, "
                      f"allow-list, scan, spec, template")
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
