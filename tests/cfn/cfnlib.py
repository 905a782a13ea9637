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
"""

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
