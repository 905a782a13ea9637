"""cfnlib.py - reading svcgen's CloudFormation template for the suites.

cfn_text(value) turns a CloudFormation value into the text of an Fn::Sub
template, so a value written with intrinsic functions can be compared with
the literal form iam/<function>.json uses
("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/x"):

    "text"                          -> "text" ("${" in it escaped as "${!",
                                       because a plain string is not
                                       substituted by CloudFormation)
    {"Fn::Sub": "t"}                -> "t"
    {"Fn::Sub": ["t", {"V": v}]}    -> "t" with ${V} replaced by cfn_text(v)
    {"Ref": "X"}                    -> "${X}"
    {"Fn::GetAtt": ["X", "A"]}      -> "${X.A}"   (also "X.A")
    {"Fn::Join": [sep, [a, b]]}     -> cfn_text(a) + sep + cfn_text(b)

Anything else raises ValueError: the suites then say what they could not
read instead of comparing something they do not understand.  cfn_doc()
applies cfn_text to every string leaf of a JSON document (dict keys stay).

Nested stacks: svcgen places function and REST path resources in nested
stacks (cloudformation/stacks/*.json), which reach the root's resources
through parameters the root fills (Ref X, Fn::GetAtt X.A).
merged_template(out_dir) reads them back as the one template they stand
for: each nested resource with its parameters replaced by what the root
passes (so {"Ref": "ShopTableStreamArn"} reads {"Fn::GetAtt": ["ShopTable",
"StreamArn"]} again, and "${Api}" stays "${Api}"), all resources in one
Resources object, and `stack_of` telling which template each came from.
"""

import glob
import os

import json
import re

_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


def cfn_text(v):
    if isinstance(v, str):
        return v.replace("${", "${!")
    if isinstance(v, dict) and len(v) == 1:
        (fn, arg), = v.items()
        if fn == "Fn::Sub":
            if isinstance(arg, str):
                return arg
            if (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)
                    and isinstance(arg[1], dict)):
                tmpl, env = arg
                return _VAR.sub(lambda m: cfn_text(env[m.group(1)]) if m.group(1) in env
                                else m.group(0), tmpl)
        if fn == "Ref" and isinstance(arg, str):
            return "${%s}" % arg
        if fn == "Fn::GetAtt":
            if isinstance(arg, list) and len(arg) == 2 and all(isinstance(a, str) for a in arg):
                return "${%s.%s}" % tuple(arg)
            if isinstance(arg, str) and "." in arg:
                return "${%s}" % arg
        if (fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2
                and isinstance(arg[0], str) and isinstance(arg[1], list)):
            return arg[0].join(cfn_text(p) for p in arg[1])
    raise ValueError(f"cannot read CloudFormation value {json.dumps(v)[:200]}")


def cfn_doc(doc):
    """cfn_text on every leaf string of `doc`, recursively."""
    if isinstance(doc, list):
        return [cfn_doc(x) for x in doc]
    if isinstance(doc, dict):
        if len(doc) == 1 and next(iter(doc)) in ("Fn::Sub", "Ref", "Fn::GetAtt", "Fn::Join"):
            return cfn_text(doc)
        if any(k.startswith("Fn::") for k in doc):
            raise ValueError(f"cannot read CloudFormation value {json.dumps(doc)[:200]}")
        return {k: cfn_doc(x) for k, x in doc.items()}
    if isinstance(doc, str):
        return cfn_text(doc)
    return doc


def load_template(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def nested_templates(out_dir):
    """{"stacks/<name>.json": template} of OUT/cloudformation/stacks/."""
    out = {}
    for path in sorted(glob.glob(os.path.join(out_dir, "cloudformation", "stacks", "*.json"))):
        out["stacks/" + os.path.basename(path)] = load_template(path)
    return out


def _unparam(v, values):
    """`v` with every reference to a parameter in `values` (name -> the
    root's Ref/GetAtt expression) replaced by that expression."""
    if isinstance(v, list):
        return [_unparam(x, values) for x in v]
    if isinstance(v, dict):
        if len(v) == 1 and "Ref" in v and v["Ref"] in values:
            return values[v["Ref"]]
        if len(v) == 1 and "Fn::Sub" in v and isinstance(v["Fn::Sub"], str):
            def one(m):
                e = values.get(m.group(1))
                if e is None:
                    return m.group(0)
                if "Ref" in e:
                    return "${%s}" % e["Ref"]
                return "${%s.%s}" % tuple(e["Fn::GetAtt"])
            return {"Fn::Sub": _VAR.sub(one, v["Fn::Sub"])}
        return {k: _unparam(x, values) for k, x in v.items()}
    return v


def merged_template(out_dir):
    """The root template of OUT with every nested stack's resources merged
    in (their parameters resolved to the root's expressions), and
    {logical id: "template.json" or "stacks/<name>.json"} of where each
    resource is."""
    root = load_template(os.path.join(out_dir, "cloudformation", "template.json"))
    nested = nested_templates(out_dir)
    resources = dict(root.get("Resources", {}))
    stack_of = {lid: "template.json" for lid in resources}
    by_url = {}
    for lid, r in root.get("Resources", {}).items():
        if r.get("Type") == "AWS::CloudFormation::Stack":
            url = cfn_text(r["Properties"]["TemplateURL"])
            by_url[url.rsplit("cloudformation/", 1)[-1]] = r["Properties"].get("Parameters", {})
    for rel, doc in nested.items():
        values = by_url.get(rel)
        if values is None:
            raise ValueError(f"no AWS::CloudFormation::Stack of the root points at {rel}")
        for lid, r in doc.get("Resources", {}).items():
            if lid in resources:
                raise ValueError(f"{lid} is in {stack_of[lid]} and in {rel}")
            resources[lid] = _unparam(r, values)
            stack_of[lid] = rel
    merged = dict(root, Resources=resources)
    return merged, stack_of


def function_resource(tpl, physical_name):
    """(logical id, resource) of the AWS::Lambda::Function named
    `physical_name`, or (None, None)."""
    for lid, r in tpl.get("Resources", {}).items():
        if (r.get("Type") == "AWS::Lambda::Function"
                and r.get("Properties", {}).get("FunctionName") == physical_name):
            return lid, r
    return None, None


def role_of(tpl, fn_resource):
    """(logical id, resource) of the role a function resource names with
    {"Fn::GetAtt": [ROLE, "Arn"]}; raises ValueError for anything else."""
    role = fn_resource.get("Properties", {}).get("Role")
    text = cfn_text(role) if role is not None else ""
    m = re.fullmatch(r"\$\{([A-Za-z0-9]+)\.Arn\}", text)
    if not m or m.group(1) not in tpl.get("Resources", {}):
        raise ValueError(f"function's Role is not a GetAtt of a role in the template: {role!r}")
    res = tpl["Resources"][m.group(1)]
    if res.get("Type") != "AWS::IAM::Role":
        raise ValueError(f"function's Role {m.group(1)} is a {res.get('Type')}")
    return m.group(1), res


def policies_attached_elsewhere(tpl, role_id):
    """Logical ids of AWS::IAM::Policy / ManagedPolicy resources that attach
    to `role_id` (by Ref to the role or by its RoleName)."""
    role_name = tpl["Resources"].get(role_id, {}).get("Properties", {}).get("RoleName")
    out = []
    for lid, r in tpl.get("Resources", {}).items():
        if r.get("Type") in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            roles = r.get("Properties", {}).get("Roles", [])
            if any((isinstance(x, dict) and x.get("Ref") == role_id)
                   or (role_name is not None and x == role_name) for x in roles):
                out.append(lid)
    return out


def table_ids(tpl):
    """TableName -> logical id of every AWS::DynamoDB::Table."""
    return {r.get("Properties", {}).get("TableName"): lid
            for lid, r in tpl.get("Resources", {}).items()
            if r.get("Type") == "AWS::DynamoDB::Table"}


def inline_suppressions(tpl):
    """Lint/scan suppressions a template carries itself: Metadata "cfn-lint"
    (ignore_checks) or "checkov" (skip) at the top level or on a resource.
    Returns ["<where>: <key>", ...]."""
    out = []
    for key in ("cfn-lint", "checkov", "cfn_nag"):
        if key in (tpl.get("Metadata") or {}):
            out.append(f"Metadata: {key}")
    for lid, r in (tpl.get("Resources") or {}).items():
        for key in ("cfn-lint", "checkov", "cfn_nag"):
            if isinstance(r, dict) and key in (r.get("Metadata") or {}):
                out.append(f"{lid}.Metadata: {key}")
    return out


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "inline-suppressions":
        found = inline_suppressions(load_template(sys.argv[2]))
        for f in found:
            print(f)
        sys.exit(1 if found else 0)
    sys.exit("usage: cfnlib.py inline-suppressions TEMPLATE")
