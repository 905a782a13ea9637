#!/usr/bin/env python3
"""aws_schema.py - the AWS provider's schema, from the .jsii assembly of its
CDK Terrain bindings (@cdktn/provider-aws, pinned in tests/tf/package.json).

Usage: aws_schema.py JSII OUT.json [TFSCHEMA.json]

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

With TFSCHEMA.json, also the schema in Terraform's own format (`terraform
providers schema -json`: provider_schemas -> "registry.terraform.io/
hashicorp/aws" -> provider, resource_schemas, data_source_schemas, each a
block of attributes {type, required|optional|computed} and block_types
{nesting_mode, min_items, max_items, block}), which tests/tf/tfmock serves
to Terraform.  What the assembly does not say is read from the bindings'
JavaScript next to it (lib/*/index.js): their synthesizeHclAttributes()
and <struct>ToHclTerraform() tables give every argument's HCL name, whether
it is a block, its collection kind (simple, list, set, map, struct) and
element type (storageClassType), so attribute types are exact (list(string)
vs set(string), map(number), objects) and nested blocks have their nesting
mode (list, set, or single for "struct").  Attributes that are not inputs
(the class's other getters) are computed, typed from the getter (complex
ones dynamic).  One thing neither tells: which optional arguments the
provider also computes; they are all served as optional + computed (see
tests/tf/tfmock/main.go).
"""
import os
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


# ---- Terraform's own schema format ---------------------------------------------

ATTR_ENTRY = re.compile(
    r'(\w+): \{\s*value: [^\n]*\n\s*isBlock: (true|false),\s*type: "(\w+)",'
    r'\s*storageClassType: "(\w+)",\s*\}')
STRUCT_FN = re.compile(r"function (\w+)ToHclTerraform\(struct\) \{")
CLASS_SYNTH = re.compile(r"class (\w+) extends cdktn\.Terraform(?:Resource|DataSource|Provider) \{")
PRIMS = {"string": "string", "number": "number", "boolean": "bool", "any": "dynamic"}


def js_tables(lib_dir):
    """{JS name: {hcl name: (is_block, kind, storage)}} for every struct
    function (lowerCamel struct name) and every resource class (its name)."""
    tables = {}
    for root, _, files in os.walk(lib_dir):
        if "index.js" not in files:
            continue
        with open(os.path.join(root, "index.js"), encoding="utf-8") as f:
            text = f.read()
        marks = [(m.start(), "fn", m.group(1)) for m in STRUCT_FN.finditer(text)]
        marks += [(m.start(), "class", m.group(1)) for m in CLASS_SYNTH.finditer(text)]
        marks.sort()
        for i, (start, kind, name) in enumerate(marks):
            end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
            chunk = text[start:end]
            if kind == "class":
                at = chunk.find("synthesizeHclAttributes()")
                if at < 0:
                    continue
                chunk = chunk[at:]
            body = chunk[chunk.find("const attrs = {"):]
            body = body[:body.find("\n        };") + 1 if kind == "class" else body.find("\n    };") + 1]
            tables[name] = {m.group(1): (m.group(2) == "true", m.group(3), m.group(4))
                            for m in ATTR_ENTRY.finditer(body)}
    return tables


def lower_first(s):
    return s[:1].lower() + s[1:]


class TfSchema:
    def __init__(self, types, tables):
        self.types = types
        self.tables = tables

    def struct_table(self, fqn):
        return self.tables.get(lower_first(fqn.rsplit(".", 1)[-1]), {})

    def attr_type(self, prop_type, kind, storage):
        """cty type of a non-block argument, from its kind (simple, list,
        set, map, struct) and storageClassType ("string", "stringList",
        "numberMap", "stringListMap", "<Struct>List", ...)."""
        if kind == "simple":
            return PRIMS.get(storage, "dynamic")
        m = re.fullmatch(r"(string|number|boolean|any)((?:List|Map)*)", storage)
        if m and kind in ("list", "set", "map") and m.group(2):
            colls = re.findall(r"List|Map", m.group(2))
            t = PRIMS[m.group(1)]
            for c in colls[:-1]:          # inner collections, innermost first
                t = [c.lower(), t]
            return [kind, t]
        fqn, _ = struct_of(prop_type)
        if kind == "struct":
            return self.object_type(fqn) if fqn else "dynamic"
        if kind in ("list", "set", "map"):
            return [kind, self.object_type(fqn) if fqn else "dynamic"]
        return "dynamic"

    def object_type(self, fqn, depth=0):
        if depth > 8:
            return "dynamic"
        props = {arg_name(p): p for p in self.types.get(fqn, {}).get("properties", [])}
        table = self.struct_table(fqn)
        out = {}
        for name, (is_block, kind, storage) in table.items():
            p = props.get(name)
            out[name] = self.attr_type(p["type"] if p else {}, kind, storage)
        return ["object", out]

    def block(self, fqn, table, computed_getters=(), depth=0):
        props = {arg_name(p): p for p in self.types.get(fqn, {}).get("properties", [])}
        attrs, blocks = {}, {}
        for name, (is_block, kind, storage) in sorted(table.items()):
            p = props.get(name)
            required = bool(p) and not p.get("optional", False)
            ptype = p["type"] if p else {}
            if is_block:
                nfqn, many = struct_of(ptype)
                if not nfqn or depth > 12:
                    continue
                nested = self.block(nfqn, self.struct_table(nfqn), (), depth + 1)
                mode = "single" if kind == "struct" else ("set" if kind == "set" else "list")
                b = {"nesting_mode": mode, "block": nested}
                if mode != "single":
                    if not many:
                        b["max_items"] = 1
                    if required:
                        b["min_items"] = 1
                blocks[name] = b
                continue
            a = {"type": self.attr_type(ptype, kind, storage)}
            if required:
                a["required"] = True
            else:
                a["optional"] = True
                a["computed"] = True
            attrs[name] = a
        for name, t in computed_getters:
            if name not in attrs and name not in blocks:
                attrs[name] = {"type": t, "computed": True}
        out = {"attributes": attrs}
        if blocks:
            out["block_types"] = blocks
        return out


def getter_type(t):
    if "primitive" in t:
        return PRIMS.get({"boolean": "boolean"}.get(t["primitive"], t["primitive"]), "dynamic")
    if "collection" in t:
        el = t["collection"]["elementtype"]
        if "primitive" in el:
            inner = PRIMS.get(el["primitive"], "dynamic")
            return ["list" if t["collection"]["kind"] == "array" else "map", inner]
    return "dynamic"


def no_dynamic_in_sets(blk, in_set=False):
    """Terraform refuses DynamicPseudoType inside set blocks.  The bindings
    leave two attribute types open there (aws_wafv2_rule_group's and
    aws_wafv2_web_acl's rule.statement, deeply recursive in the provider);
    they are served as strings, which nothing svcgen writes uses."""
    def fix(t):
        if t == "dynamic":
            return "string"
        if isinstance(t, list):
            if t[0] == "object":
                return ["object", {k: fix(v) for k, v in t[1].items()}]
            return [t[0], fix(t[1])]
        return t
    for a in blk["attributes"].values():
        if in_set:
            a["type"] = fix(a["type"])
    for bt in blk.get("block_types", {}).values():
        no_dynamic_in_sets(bt["block"], in_set or bt["nesting_mode"] == "set")


def terraform_schema(jsii, lib_dir):
    types = jsii["types"]
    ts = TfSchema(types, js_tables(lib_dir))
    out = {"provider": None, "resource_schemas": {}, "data_source_schemas": {}}
    for fqn, cls in types.items():
        if cls.get("kind") != "class":
            continue
        base = cls.get("base", "")
        cfg = class_config(cls)
        name = fqn.rsplit(".", 1)[-1]
        table = ts.tables.get(name)
        if not cfg or table is None:
            continue
        if base == "cdktn.TerraformProvider":
            out["provider"] = {"version": 0, "block": ts.block(cfg, table)}
            continue
        m = LINK.search(cls.get("docs", {}).get("summary", ""))
        if not m or base not in ("cdktn.TerraformResource", "cdktn.TerraformDataSource"):
            continue
        inputs = set(table)
        getters = [(snake(p["name"]), getter_type(p["type"])) for p in cls.get("properties", [])
                   if not p.get("static") and not p["name"].endswith("Input")
                   and snake(p["name"]) not in inputs]
        section = "resource_schemas" if m.group(2) == "resources" else "data_source_schemas"
        blk = ts.block(cfg, table, getters)
        no_dynamic_in_sets(blk)
        out[section]["aws_" + m.group(3)] = {"version": 0, "block": blk}
    return {"format_version": "1.0",
            "provider_schemas": {"registry.terraform.io/hashicorp/aws": out}}


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        jsii = json.load(f)
    schema = extract(jsii)
    if len(sys.argv) == 4:
        tf = terraform_schema(jsii, os.path.join(os.path.dirname(sys.argv[1]), "lib"))
        with open(sys.argv[3], "w", encoding="utf-8") as f:
            json.dump(tf, f, sort_keys=True)
        aws = tf["provider_schemas"]["registry.terraform.io/hashicorp/aws"]
        print(f"aws_schema: Terraform format: {len(aws['resource_schemas'])} resources, "
              f"{len(aws['data_source_schemas'])} data sources")
    del jsii
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(schema, f, sort_keys=True)
    print(f"aws_schema: hashicorp/aws {schema['provider_version']}: "
          f"{len(schema['resource'])} resources, {len(schema['data'])} data sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
