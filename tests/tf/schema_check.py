#!/usr/bin/env python3
"""schema_check.py - a Terraform configuration against the AWS provider's
schema, without Terraform, the provider binary or the network.

Usage: schema_check.py SCHEMA.json TFDUMP DIR

SCHEMA.json comes from aws_schema.py; TFDUMP is tests/tf/tfdump built; DIR
holds the .tf files.  Checks, each finding printed as file:line: message:

- every file parses with HashiCorp's HCL parser (tfdump);
- the terraform block pins hashicorp/aws with "~> MAJOR.MINOR" equal to the
  schema's version (the floor is what was checked) and sets required_version;
- every resource and data source type exists; no address is declared twice;
- every argument and nested block exists in its schema (resource, data
  source, provider, nested block), is written as an argument or as a block
  as the schema says, a block the schema allows once appears at most once,
  and every required argument and block is present;
- every constant value has the schema's kind (string, number, bool, list,
  map); a value that is one whole reference is left to Terraform;
- every reference resolves: var.X to a variable, data.T.N.A to a declared
  data source with attribute A, T.N.A to a declared resource with attribute
  A (resource attributes: arguments and computed attributes alike);
- every variable and data source is used, every output has a value;
- no string holds an account ID (12 digits) or a hard-coded partition
  ("arn:aws:"): ARNs come from data sources and resource attributes;
- every expression evaluates (references stand for placeholders).

What it cannot catch: the provider's value validation (enumerations such
as a bad stream_view_type, ranges, regular expressions), cross-argument
rules (ConflictsWith, ExactlyOneOf, RequiredWith, "MFA ON needs a
configuration"), types of referenced values, deprecations, what AWS itself
refuses at apply time (a policy AWS rejects, a name already taken, a limit),
and block counts beyond "at most one".
"""
import json
import re
import sys

from tflib import Config, is_placeholder, walk_attrs, where

RESOURCE_META_ATTRS = {"depends_on", "count", "for_each", "provider"}
RESOURCE_META_BLOCKS = {"lifecycle", "provisioner", "connection"}
LIFECYCLE_ATTRS = {"create_before_destroy", "prevent_destroy", "ignore_changes",
                   "replace_triggered_by"}
KINDS = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "map": lambda v: isinstance(v, dict),
}
ACCOUNT_ID = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")


class Checker:
    def __init__(self, schema, config):
        self.schema = schema
        self.structs = schema["structs"]
        self.config = config
        self.findings = []
        self.refs = 0

    def find(self, block, attr, msg):
        self.findings.append(f"{where(block, attr)}: {msg}")

    # ---- bodies against their schema ----------------------------------------

    def check_body(self, block, fqn, label, meta_attrs=(), meta_blocks=()):
        st = self.structs[fqn]
        for name, a in block["attrs"].items():
            if name in meta_attrs:
                continue
            if name in st["blocks"]:
                self.find(block, name, f"{label}: {name} is a block, not an argument")
            elif name not in st["args"]:
                self.find(block, name, f"{label}: unsupported argument {name}")
            elif "value" in a:
                kind = st["args"][name]["kind"]
                v = a["value"]
                if kind in KINDS and not is_placeholder(v) and not KINDS[kind](v):
                    self.find(block, name, f"{label}: {name} must be a {kind}, "
                                           f"is {json.dumps(v)[:60]}")
        for name, spec in st["args"].items():
            if spec["required"] and name not in block["attrs"]:
                self.find(block, None, f"{label}: missing required argument {name}")
        seen = {}
        for nb in block["blocks"]:
            seen[nb["type"]] = seen.get(nb["type"], 0) + 1
            if nb["type"] in meta_blocks:
                if nb["type"] == "lifecycle":
                    for name in nb["attrs"]:
                        if name not in LIFECYCLE_ATTRS:
                            self.find(nb, name, f"{label}: unsupported lifecycle setting {name}")
                continue
            spec = st["blocks"].get(nb["type"])
            if spec is None:
                what = "an argument, not a block" if nb["type"] in st["args"] \
                    else "not a block type here"
                self.find(nb, None, f"{label}: {nb['type']} is {what}")
                continue
            self.check_body(nb, spec["struct"], f"{label}.{nb['type']}")
        for name, spec in st["blocks"].items():
            if spec["required"] and not seen.get(name):
                self.find(block, None, f"{label}: missing required block {name}")
            if spec["max1"] and seen.get(name, 0) > 1:
                self.find(block, None, f"{label}: block {name} may appear only once")

    # ---- top-level blocks ---------------------------------------------------------

    def check_terraform(self):
        blocks = self.config.of_type("terraform")
        if len(blocks) != 1:
            self.findings.append(f"{self.config.directory}: {len(blocks)} terraform blocks, want 1")
            return
        tf = blocks[0]
        if "required_version" not in tf["attrs"]:
            self.find(tf, None, "terraform: no required_version")
        rp = [b for b in tf["blocks"] if b["type"] == "required_providers"]
        aws = rp[0]["attrs"].get("aws", {}).get("value") if rp else None
        if not isinstance(aws, dict):
            self.find(tf, None, "terraform: required_providers has no aws entry")
            return
        if aws.get("source") != "hashicorp/aws":
            self.find(rp[0], "aws", f"aws provider source is {aws.get('source')!r}")
        want = ".".join(self.schema["provider_version"].split(".")[:2])
        if aws.get("version") != f"~> {want}":
            self.find(rp[0], "aws", f"aws provider version {aws.get('version')!r}: the schema "
                                    f"checked is {self.schema['provider_version']}, so the "
                                    f"constraint must be \"~> {want}\"")

    def check_blocks(self):
        declared = set()
        for b in self.config.blocks:
            t, labels = b["type"], b["labels"]
            if t == "resource" or t == "data":
                section = self.schema[t]
                key = (t, labels[0], labels[1])
                if key in declared:
                    self.find(b, None, f"{t} {labels[0]}.{labels[1]} declared twice")
                declared.add(key)
                if labels[0] not in section:
                    self.find(b, None, f"unknown {t} type {labels[0]} "
                                       f"(hashicorp/aws {self.schema['provider_version']})")
                    continue
                self.check_body(b, section[labels[0]]["struct"], ".".join(labels),
                                RESOURCE_META_ATTRS, RESOURCE_META_BLOCKS)
            elif t == "provider":
                if labels != ["aws"]:
                    self.find(b, None, f"unexpected provider {labels}")
                    continue
                self.check_body(b, self.schema["provider"]["struct"], "provider.aws")
            elif t == "variable":
                for name in b["attrs"]:
                    if name not in ("type", "default", "description", "sensitive", "nullable"):
                        self.find(b, name, f"variable: unsupported argument {name}")
                if "description" not in b["attrs"]:
                    self.find(b, None, f"variable {labels[0]} has no description")
            elif t == "output":
                if "value" not in b["attrs"]:
                    self.find(b, None, f"output {labels[0]} has no value")
                for name in b["attrs"]:
                    if name not in ("value", "description", "sensitive", "depends_on"):
                        self.find(b, name, f"output: unsupported argument {name}")
            elif t != "terraform":
                self.find(b, None, f"unexpected block type {t}")

    # ---- references ------------------------------------------------------------------

    def check_refs(self):
        variables = {b["labels"][0] for b in self.config.of_type("variable")}
        data = {(b["labels"][0], b["labels"][1]) for b in self.config.of_type("data")}
        resources = self.config.resources()
        used_vars, used_data = set(), set()
        for b in self.config.blocks:
            for _, name, a in walk_attrs(b):
                if b["type"] == "variable" and name == "type":
                    # A type constraint, not a reference.
                    if a["refs"] not in (["string"], ["number"], ["bool"]):
                        self.find(b, name, f"unexpected variable type {a['refs']}")
                    continue
                if a.get("error"):
                    self.find(b, None, f"{name}: does not evaluate: {a['error']}")
                for ref in a["refs"]:
                    self.refs += 1
                    self.check_ref(b, name, ref, variables, data, resources, used_vars, used_data)
                self.check_literals(b, name, a.get("value"))
        for b in self.config.of_type("variable"):
            if b["labels"][0] not in used_vars:
                self.find(b, None, f"variable {b['labels'][0]} is never used")
        for b in self.config.of_type("data"):
            if (b["labels"][0], b["labels"][1]) not in used_data:
                self.find(b, None, f"data.{b['labels'][0]}.{b['labels'][1]} is never used")

    def check_ref(self, b, name, ref, variables, data, resources, used_vars, used_data):
        parts = re.sub(r"\[[^\]]*\]", "", ref).split(".")
        root = parts[0]
        if root == "var":
            used_vars.add(parts[1])
            if parts[1] not in variables:
                self.find(b, name, f"{ref}: no variable {parts[1]}")
        elif root == "data":
            key = (parts[1], parts[2]) if len(parts) > 2 else None
            if key not in data:
                self.find(b, name, f"{ref}: no such data source")
                return
            used_data.add(key)
            attrs = self.schema["data"].get(parts[1], {}).get("attrs", [])
            if len(parts) > 3 and parts[3] not in attrs:
                self.find(b, name, f"{ref}: {parts[1]} has no attribute {parts[3]}")
        elif root.startswith("aws_") and len(parts) >= 2:
            if (root, parts[1]) not in resources:
                self.find(b, name, f"{ref}: no resource {root}.{parts[1]}")
                return
            attrs = self.schema["resource"].get(root, {}).get("attrs", [])
            if len(parts) > 2 and parts[2] not in attrs:
                self.find(b, name, f"{ref}: {root} has no attribute {parts[2]}")
        else:
            self.find(b, name, f"{ref}: unexpected reference")

    def check_literals(self, b, name, v):
        if isinstance(v, str):
            if ACCOUNT_ID.search(v) or "arn:aws:" in v or "arn:aws-" in v:
                self.find(b, name, f"hard-coded account or partition in {v[:80]!r}")
        elif isinstance(v, list):
            for x in v:
                self.check_literals(b, name, x)
        elif isinstance(v, dict):
            for x in v.values():
                self.check_literals(b, name, x)
            return
        if isinstance(v, str) and v.startswith(("{", "[")):
            try:  # a jsonencode() document: look inside too
                inner = json.loads(v)
            except ValueError:
                return
            if not isinstance(inner, str):
                self.check_literals(b, name, inner)

    def run(self):
        if self.config.errors:
            self.findings.extend(self.config.errors)
            return
        self.check_terraform()
        self.check_blocks()
        self.check_refs()


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    config = Config(sys.argv[2], sys.argv[3])
    c = Checker(schema, config)
    c.run()
    for f in c.findings:
        print(f"  {f}")
    n = len(config.of_type("resource"))
    print(f"{len(config.files)} files, {n} resources, "
          f"{len(config.of_type('data'))} data sources, {c.refs} references; "
          f"{len(c.findings)} findings (hashicorp/aws {schema['provider_version']})")
    return 1 if c.findings else 0


if __name__ == "__main__":
    sys.exit(main())
