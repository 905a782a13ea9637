#!/usr/bin/env python3
"""aws_schema.py - the AWS provider's schema, from the .jsii assembly of its
CDK Terrain bindings (@cdktn/provider-aws, pinned in tests/tf/package.json).

Usage: aws_schema.py JSII OUT.json

The assembly describes every resource, data source and the provider itself
as generated classes.  What is read from it:

- a class whose docs say "Represents a {@link .../docs/resources/NAME aws_NAME}"
  is resource aws_NAME (data-sources/ for data sources, the provider class
  for `provider "aws"`); its initializer's `config` struct lists the
  arguments;
- each config property is an argument (or a nested block when its docs
  summary reads "NAME block."); `optional` absent means required; its doc
  link "#snake_name" gives the HCL name; its type gives the value kind
  (string, number, bool, list, map) or, for blocks, the nested struct and
  whether it may appear once (a single struct) or several times (a list);
- the class's instance properties are what a reference may read
  (`aws_x.y.arn`): inputs and computed attributes alike, camelCase turned
  into snake_case.

The result is a compact JSON file (a few MB) the checks load quickly:

  {"provider_version": "6.40.0",
   "resource": {TYPE: {"struct": FQN, "attrs": [NAME, ...]}},
   "data": {TYPE: {"struct": FQN, "attrs": [...]}},
   "provider": {"struct": FQN},
   "structs": {FQN: {"args": {NAME: {"required": bool, "kind": KIND}},
                     "blocks": {NAME: {"required": bool, "max1": bool,
                                       "struct": FQN}}}}}
  KIND = "string" | "number" | "bool" | "list" | "map" | "any"
(structs are shared, not inlined: some resources nest blocks very deep.)
"""
import json
import re
import sys

LINK = re.compile(r"registry\.terraform\.io/providers/hashicorp/aws/([0-9.]+)/docs/"
                  r"(resources|data-sources)/([a-z0-9_]+)(?:#([a-z0-9_]+))?")
BLOCK_SUMMARY = re.compile(r"^([a-z0-9_]+) block\.$")


def snake(name):
    """camelCase -> snake_case the way the bindings were generated."""
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def struct_of(t):
    """The struct fqn a block property holds, and whether it is a list."""
    if "fqn" in t:
        return t["fqn"], False
    if "collection" in t:
        el = t["collection"]["elementtype"]
        if "fqn" in el:
            return el["fqn"], True
        return None, True
    if "union" in t:
        for u in t["union"]["types"]:
            fqn, many = struct_of(u)
            if fqn and not fqn.startswith("cdktn."):
                return fqn, many
    return None, False


def kind_of(t):
    if "primitive" in t:
        return {"string": "string", "number": "number", "boolean": "bool"}.get(
            t["primitive"], "any")
    if "collection" in t:
        return "list" if t["collection"]["kind"] == "array" else "map"
    if "union" in t:
        kinds = {kind_of(u) for u in t["union"]["types"]
                 if not u.get("fqn", "").startswith("cdktn.")}
        return kinds.pop() if len(kinds) == 1 else "any"
    return "any"


def arg_name(prop):
    docs = prop.get("docs", {})
    for text in (docs.get("summary", ""), docs.get("remarks", "")):
        m = LINK.search(text)
        if m and m.group(4):
            return m.group(4)
    return snake(prop["name"])


def struct_schema(types, structs, fqn):
    """Add struct `fqn` (and the structs of its blocks) to `structs`."""
    if fqn in structs:
        return
    out = {"args": {}, "blocks": {}}
    structs[fqn] = out
    for prop in types.get(fqn, {}).get("properties", []):
        name = arg_name(prop)
        required = not prop.get("optional", False)
        summary = prop.get("docs", {}).get("summary", "")
        nested, many = struct_of(prop["type"])
        if BLOCK_SUMMARY.match(summary) and nested:
            struct_schema(types, structs, nested)
            out["blocks"][name] = {"required": required, "max1": not many, "struct": nested}
        else:
            out["args"][name] = {"required": required, "kind": kind_of(prop["type"])}


def class_config(cls):
    for p in cls.get("initializer", {}).get("parameters", []):
        if p["name"] == "config":
            return p["type"].get("fqn")
    return None


def extract(jsii):
    types = jsii["types"]
    structs = {}
    schema = {"resource": {}, "data": {}, "provider": None, "provider_version": None,
              "structs": structs}
    for fqn, cls in types.items():
        if cls.get("kind") != "class":
            continue
        base = cls.get("base", "")
        summary = cls.get("docs", {}).get("summary", "")
        cfg = class_config(cls)
        if base == "cdktn.TerraformProvider" and cfg:
            struct_schema(types, structs, cfg)
            schema["provider"] = {"struct": cfg}
            continue
        m = LINK.search(summary)
        if not m or not cfg or base not in ("cdktn.TerraformResource",
                                            "cdktn.TerraformDataSource"):
            continue
        schema["provider_version"] = m.group(1)
        section = "resource" if m.group(2) == "resources" else "data"
        struct_schema(types, structs, cfg)
        s = {"struct": cfg}
        attrs = set(structs[cfg]["args"]) | set(structs[cfg]["blocks"])
        for p in cls.get("properties", []):
            if p.get("static"):
                continue
            n = p["name"]
            if n.endswith("Input"):
                continue
            attrs.add(snake(n))
        s["attrs"] = sorted(attrs)
        schema[section]["aws_" + m.group(3)] = s
    if not schema["provider"] or not schema["resource"]:
        raise SystemExit("aws_schema.py: no provider or resources found in the assembly")
    return schema


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        jsii = json.load(f)
    schema = extract(jsii)
    del jsii
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(schema, f, sort_keys=True)
    print(f"aws_schema: hashicorp/aws {schema['provider_version']}: "
          f"{len(schema['resource'])} resources, {len(schema['data'])} data sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
