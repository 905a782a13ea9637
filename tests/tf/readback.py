#!/usr/bin/env python3
"""readback.py - values HashiCorp's HCL parser reads from a configuration
equal what the spec said, byte for byte.

Usage: readback.py TFDUMP DIR EXPECT.json

EXPECT.json (written by tests/unit/test_emit_tf.c with SG_TF_DUMP=DIR) is a
list of checks: {"block": [KIND, TYPE, NAME?], "path": "a.b.c", "key": K?,
"json": bool?, "want": VALUE}.  The block is found by type and labels, the
path walks nested blocks down to an argument, "key" picks one entry of a map
value, "json" parses a jsonencode() result first.  So escaping is checked by
what HCL reads back, not by how the text looks.
"""
import json
import os
import sys

from tflib import Config


def lookup(config, check):
    kind, *labels = check["block"]
    blocks = [b for b in config.blocks if b["type"] == kind and b["labels"] == labels]
    if not blocks:
        return None, f"no {kind} {labels}"
    b = blocks[0]
    steps = check["path"].split(".")
    for step in steps[:-1]:
        nested = [x for x in b["blocks"] if x["type"] == step]
        if not nested:
            return None, f"no block {step}"
        b = nested[0]
    a = b["attrs"].get(steps[-1])
    if a is None or "value" not in a:
        return None, f"no argument {steps[-1]} ({a and a.get('error')})"
    v = a["value"]
    if "key" in check:
        if not isinstance(v, dict) or check["key"] not in v:
            return None, f"no key {check['key']!r}"
        v = v[check["key"]]
    if check.get("json"):
        v = json.loads(v)
    return v, None


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    config = Config(sys.argv[1], sys.argv[2])
    for e in config.errors:
        print(f"  {e}")
    if config.errors:
        return 1
    with open(sys.argv[3], encoding="utf-8") as f:
        checks = json.load(f)
    bad = 0
    for c in checks:
        got, err = lookup(config, c)
        name = " ".join(c["block"][1:]) + " " + c["path"] + (f"[{c['key']!r}]" if "key" in c else "")
        if err or got != c["want"]:
            bad += 1
            print(f"  {name}: {err or ''}\n    got  {json.dumps(got, ensure_ascii=False)}\n"
                  f"    want {json.dumps(c['want'], ensure_ascii=False)}")
    print(f"{len(checks) - bad} of {len(checks)} values read back as written "
          f"({os.path.basename(sys.argv[2].rstrip('/'))})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
