#!/usr/bin/env python3
"""check_schema.py - keep specs/svcgen.schema.json and examples/ honest.

Checks, one output line each:
  schema/...    the schema is a valid draft 2020-12 schema, every property has
                a description, every object with properties is closed
                (additionalProperties: false), every pattern compiles and uses
                only syntax ECMA-262 (editors) and Python (here) agree on;
  loader/...    the YAML loader used here reads YAML 1.2 the way svcgen does
                (`off` is a string, duplicate keys are errors, no `<<` merge);
  example/...   every examples/*/service.yaml starts with the schema modeline, is
                valid under the schema and passes the reference's semantic
                rules without an error or a warning (a light re-statement of
                the rules of specs/reference.md, for examples only); when a
                svcgen binary is built ($SVCGEN, $BUILD/svcgen or
                build/svcgen), `svcgen validate` must report nothing on it
                either (else a "skip" line, not counted);
  reference/... every ```yaml block of specs/reference.md is valid under the
                schema (blocks are fragments: svcgen and service are added
                when missing);
  accept/...    small specs on the edges of the language that must be valid;
  reject/...    small deliberately wrong specs the schema must reject, each
                with an error at the place that was made wrong;
  semantic/...  schema-valid specs breaking a semantic rule, which the
                example checker must flag (so it cannot pass everything).

Ends with "N passed, N failed"; exits 1 when anything failed.
Run from anywhere: paths are relative to the repository root.
"""

import glob
import json
import os
import re
import subprocess
import sys

import jsonschema
import yaml

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCHEMA_PATH = os.path.join(ROOT, "specs", "svcgen.schema.json")
EXAMPLES_DIR = os.path.join(ROOT, "examples")
MODELINE = "# yaml-language-server: $schema=../../specs/svcgen.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:svcgen:spec:1"
REFERENCE_PATH = os.path.join(ROOT, "specs", "reference.md")
EXPECTED_EXAMPLES = ["dynamodb-manager", "users-orders", "items-api", "proxy-app", "notes"]


# ---- a YAML 1.2 (core schema) loader ---------------------------------------

class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars.

    Booleans are only true/false (so `mfa: off` is the string "off"),
    integers are decimal, 0o octal or 0x hex (no YAML 1.1 sexagesimal or
    leading-zero octal), no timestamps, no `<<` merge keys, `=` is a plain
    string.  Duplicate mapping keys are errors, as in svcgen.
    """


_DROP = {
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value",
}
# Copy the resolver table deeply: add_implicit_resolver would otherwise
# append to lists shared with yaml.SafeLoader.
Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"))


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _construct_mapping(loader, node, deep=False):
    if not isinstance(node, yaml.MappingNode):
        raise yaml.constructor.ConstructorError(
            None, None, "expected a mapping, found %s" % node.id, node.start_mark)
    mapping = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                "found an unhashable key", key_node.start_mark)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                "found duplicate key %r" % (key,), key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
Yaml12Loader.add_constructor("tag:yaml.org,2002:map", lambda l, n: _construct_mapping(l, n, deep=True))


def load_yaml(text):
    return yaml.load(text, Loader=Yaml12Loader)


def load_yaml_file(path):
    with open(path, "rb") as f:
        data = f.read()
    return load_yaml(data.decode("utf-8"))  # strict: svcgen reads UTF-8 only


# ---- results ----------------------------------------------------------------

passed = 0
failed = 0


def report(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok    %s" % name)
    else:
        failed += 1
        print("FAIL  %s%s" % (name, (": " + detail) if detail else ""))


def first_error(validator, instance):
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    e = errors[0]
    where = "/".join(str(p) for p in e.absolute_path) or "(top)"
    more = " (+%d more)" % (len(errors) - 1) if len(errors) > 1 else ""
    return "%s: %s%s" % (where, e.message[:200], more)


# ---- the schema itself ----------------------------------------------------------

# Regex syntax Python accepts but ECMA-262 (editors) does not, or means differently.
PY_ONLY = [r"\(\?P", r"\\[AZz]", r"\(\?[aiLmsux]", r"\(\?#", r"\*\+|\+\+|\?\+|\}\+"]
CHAR_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")


def walk(node, path, visit):
    visit(node, path)
    if isinstance(node, dict):
        for k, v in node.items():
            walk(v, path + [k], visit)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, path + [str(i)], visit)


def check_schema_meta(schema):
    name = "schema/valid-draft-2020-12"
    try:
        if schema.get("$schema") != DRAFT:
            raise ValueError("$schema is %r, want %r" % (schema.get("$schema"), DRAFT))
        jsonschema.Draft202012Validator.check_schema(schema)
        report(name, True)
    except Exception as e:  # noqa: BLE001 - report any failure
        report(name, False, str(e).splitlines()[0][:300])
        return False

    report("schema/id-and-title", schema.get("$id") == SCHEMA_ID and bool(schema.get("title")),
           "$id %r title %r" % (schema.get("$id"), schema.get("title")))

    undocumented, open_objects, bad_patterns = [], [], []

    def visit(node, path):
        if not isinstance(node, dict):
            return
        # Only schema objects: skip the insides of enum/const/default/examples.
        if any(p in ("enum", "const", "default", "examples") for p in path):
            return
        # if/then/else/not only add constraints to an object described elsewhere.
        constraint = any(p in ("if", "then", "else", "not") for p in path)
        if isinstance(node.get("properties"), dict):
            if node.get("additionalProperties") is not False and not constraint:
                open_objects.append("/".join(path) or "(top)")
            for key, sub in node["properties"].items():
                if not isinstance(sub, dict) or not sub.get("description"):
                    if not constraint:
                        undocumented.append("/".join(path + ["properties", key]))
        if isinstance(node.get("pattern"), str):
            rx = node["pattern"]
            try:
                re.compile(rx)
            except re.error as e:
                bad_patterns.append("%s: %s" % ("/".join(path), e))
            outside = CHAR_CLASS.sub("C", rx)  # quantifier checks outside [...]
            for bad in PY_ONLY:
                if re.search(bad, outside):
                    bad_patterns.append("%s: non-portable regex syntax in %r" % ("/".join(path), rx))

    walk(schema, [], visit)
    report("schema/every-property-described", not undocumented, ", ".join(undocumented[:5]))
    report("schema/objects-closed", not open_objects, ", ".join(open_objects[:5]))
    report("schema/patterns-portable", not bad_patterns, "; ".join(bad_patterns[:3]))
    return True


# ---- semantic rules, for the examples ------------------------------------------

DEFAULTS = {"architecture": "arm64", "memory": 256, "timeout": 10, "log_retention": 30, "tracing": False}


def key_name(attr):
    return attr.rpartition(":")[0] if ":" in attr else attr


def semantic_findings(spec):
    """The semantic rules of specs/reference.md (a subset large enough for
    the examples; `svcgen validate` is the authority).  Returns strings
    starting "error:" or "warning:" (what svcgen reports) or "lint:" (allowed
    by svcgen but not in an example: it would teach a bad habit)."""
    out = []
    service = spec.get("service", "")
    stage = str(spec.get("stage", "dev"))
    tables = spec.get("tables") or {}
    topics = spec.get("topics") or {}
    functions = spec.get("functions") or {}
    defaults = spec.get("defaults") or {}
    api = spec.get("api")
    api_type = (api or {}).get("type", "rest")
    api_auth = (api or {}).get("auth", "none")
    routes = (api or {}).get("routes") or {}
    cognito = (spec.get("auth") or {}).get("cognito")
    alarms = spec.get("alarms") or {}
    prefix = "%s-%s-" % (service, stage)

    def setting(fn, key):
        f = functions.get(fn) or {}
        if key in f:
            return f[key]
        return defaults.get(key, DEFAULTS[key])

    def check_use(entry, where, verb=None):
        target, _, access = entry.partition(":")
        name, _, index = target.partition(".")
        if name in topics:
            if access not in ("publish", ""):
                out.append("error: %s: %r: a topic takes only publish" % (where, entry))
            elif not access:
                out.append("lint: %s: %r: write %s:publish" % (where, entry, name))
            return
        if name not in tables:
            out.append("error: %s: %r: %s %r is not declared"
                       % (where, entry, "topic" if access == "publish" else "table", name))
            return
        if access == "publish":
            out.append("error: %s: %r: publish is for topics" % (where, entry))
        elif index and index not in ((tables[name] or {}).get("indexes") or {}):
            out.append("error: %s: %r: table %r has no index %r" % (where, entry, name, index))
        elif not access and verb is None:
            out.append("error: %s: %r: no route method to derive access from" % (where, entry))
        elif not access and verb in ("HEAD", "OPTIONS"):
            out.append("error: %s: %r: %s derives no access" % (where, entry, verb))

    # tables and topics
    for t, cfg in tables.items():
        cfg = cfg or {}
        pk, sk = key_name(cfg.get("partition_key", "")), key_name(cfg.get("sort_key", ""))
        if sk and sk == pk:
            out.append("error: tables.%s: sort_key is the partition_key" % t)
        if cfg.get("ttl") and cfg["ttl"] in (pk, sk):
            out.append("error: tables.%s: ttl is a key attribute" % t)
        types = {}
        indexes = list((cfg.get("indexes") or {}).items())
        for owner, c in [(None, cfg)] + [(i, c or {}) for i, c in indexes]:
            for role in ("partition_key", "sort_key"):
                if c.get(role):
                    n, _, ty = c[role].partition(":")
                    if types.setdefault(n, ty or "S") != (ty or "S"):
                        out.append("error: tables.%s: attribute %r has two types" % (t, n))
            proj = c.get("projection") if owner else None
            keys = {pk, sk, key_name(c.get("partition_key", "")), key_name(c.get("sort_key", ""))}
            if isinstance(proj, list) and set(proj) & (keys - {""}):
                out.append("error: tables.%s.indexes.%s: projects a key attribute" % (t, owner))
        if len(prefix + t) > 255:
            out.append("error: tables.%s: physical name over 255 characters" % t)
    folded = {}
    for t in tables:
        other = folded.setdefault(t.replace("-", "_"), t)
        if other != t:
            out.append("error: tables.%s: differs from table %s only in '-' and '_'" % (t, other))
    for t, cfg in topics.items():
        if t in tables:
            out.append("error: topics.%s: a table has the same name" % t)
        if t == "alarms" and alarms.get("notify"):
            out.append("error: topics.%s: the alarm topic has this name" % t)
        if len(prefix + t + (".fifo" if (cfg or {}).get("fifo") else "")) > 256:
            out.append("error: topics.%s: physical name over 256 characters" % t)

    # routes
    served = {}
    level_vars = {}
    shapes = {}
    for path, methods in routes.items():
        shape = re.sub(r"\{[^}]*?(\+?)\}", r"{\1}", path)
        segs = path.strip("/").split("/") if path != "/" else []
        for i, seg in enumerate(segs):
            if seg.startswith("{"):
                parent = "/".join(segs[:i])
                other = level_vars.setdefault(parent, seg)
                if other != seg and api_type == "rest":
                    out.append("error: api.routes.%s: %s next to %s at one level" % (path, seg, other))
        for verb, m in (methods or {}).items():
            where = "api.routes.%s.%s" % (path, verb)
            other = shapes.setdefault((shape, verb), where)
            if other != where and api_type == "http":
                out.append("error: %s: same route as %s" % (where, other))
            served.setdefault(m["function"], []).append(where)
            auth = m.get("auth", api_auth)
            if auth == "cognito" and not cognito:
                out.append("error: %s: auth cognito without auth.cognito" % where)
            if m.get("scopes") is not None and auth != "cognito":
                out.append("error: %s: scopes need cognito auth" % where)
            for u in m.get("uses") or []:
                check_use(u, where + ".uses", verb=verb)
    if api is not None and api_auth == "cognito" and not cognito:
        out.append("error: api.auth: cognito without auth.cognito")
    cors = (api or {}).get("cors") or {}
    if cors.get("credentials") and "*" in (cors.get("origins") or []):
        out.append("error: api.cors: credentials with origin *")

    # functions
    generated = {"TABLE_" + t.upper().replace("-", "_") for t in tables} | {"TOPIC_" + t.upper() for t in topics}
    generated |= {"INDEX_%s_%s" % (t.upper(), i.upper())
                  for t, c in tables.items() for i in ((c or {}).get("indexes") or {})}
    for fn in sorted(set(served) | set(functions)):
        f = functions.get(fn) or {}
        where = "functions.%s" % fn
        for u in f.get("uses") or []:
            check_use(u, where + ".uses")
        for ev in f.get("events") or []:
            t = ev["stream"]["table"]
            if t not in tables:
                out.append("error: %s.events: table %r is not declared" % (where, t))
            elif (tables[t] or {}).get("stream", "none") == "none":
                out.append("error: %s.events: table %r has no stream" % (where, t))
        if fn in served and setting(fn, "timeout") > 29:
            out.append("error: %s: timeout %s > 29 behind the API" % (where, setting(fn, "timeout")))
        if fn not in served and not f.get("events"):
            out.append("warning: %s: no route and no event: nothing invokes it" % where)
        if len(prefix + fn) > 64:
            out.append("error: %s: function name %r over 64 characters" % (where, prefix + fn))
        elif len(prefix + fn + "-role") > 64:
            out.append("warning: %s: role name %r over 64 characters, shortened" % (where, prefix + fn + "-role"))
    for where, env in [("defaults", defaults)] + [("functions." + k, v or {}) for k, v in functions.items()]:
        for name in (env.get("environment") or {}):
            if name in generated:
                out.append("error: %s.environment: %s is svcgen's" % (where, name))
    if api_type == "http" and (defaults.get("tracing") or
                               any((f or {}).get("tracing") for f in functions.values())):
        out.append("warning: tracing with an HTTP API (no X-Ray there)")
    for key in (spec.get("tags") or {}):
        if key in ("svcgen:service", "svcgen:stage"):
            out.append("warning: tags.%s: svcgen sets this tag itself" % key)

    # alarms
    if alarms.get("api") and api is None:
        out.append("error: alarms.api: there is no api")
    if alarms.get("tables") and not tables:
        out.append("warning: alarms.tables: there is no table")
    for group in ("functions", "api", "tables"):
        for rule, r in (alarms.get(group) or {}).items():
            if r and r.get("period", 60) * r.get("evaluation_periods", 1) > 86400:
                out.append("error: alarms.%s.%s: looks back more than a day" % (group, rule))
    return out


def svcgen_binary():
    """The svcgen build to cross-check the examples with, when there is one."""
    for cand in (os.environ.get("SVCGEN"),
                 os.path.join(ROOT, os.environ.get("BUILD", "build"), "svcgen"),
                 os.path.join(ROOT, "build", "svcgen")):
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return None


def check_examples(validator):
    paths = sorted(glob.glob(os.path.join(EXAMPLES_DIR, "*", "service.yaml")))
    present = {os.path.basename(os.path.dirname(p)) for p in paths}
    missing = [e for e in EXPECTED_EXAMPLES if e not in present]
    report("example/all-present", not missing, "missing " + ", ".join(missing))
    for path in paths:
        base = "example/" + os.path.basename(os.path.dirname(path))
        with open(path, "rb") as f:
            first = f.readline().decode("utf-8", "replace").rstrip("\r\n")
        report(base + "/modeline", first == MODELINE, "first line is %r" % first)
        try:
            spec = load_yaml_file(path)
        except (yaml.YAMLError, UnicodeDecodeError) as e:
            report(base + "/schema", False, "does not load: %s" % str(e).replace("\n", " ")[:300])
            continue
        err = first_error(validator, spec)
        report(base + "/schema", err is None, err or "")
        if err is None:
            findings = semantic_findings(spec)
            report(base + "/semantics", not findings, "; ".join(findings[:3]))
        binary = svcgen_binary()
        if binary is None:
            print("skip  %s/svcgen-validate (no svcgen binary built)" % base)
            continue
        try:
            r = subprocess.run([binary, "validate", path], capture_output=True, text=True, timeout=60)
            said = (r.stdout + r.stderr).strip()
            ok = r.returncode == 0 and ": warning:" not in said and ": error:" not in said
            report(base + "/svcgen-validate", ok, "exit %d: %s" % (r.returncode, said.replace("\n", " | ")[:300]))
        except (OSError, subprocess.SubprocessError) as e:
            report(base + "/svcgen-validate", False, str(e))


def check_reference(validator):
    try:
        with open(REFERENCE_PATH, "rb") as f:
            text = f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        report("reference/readable", False, str(e))
        return
    blocks = re.finditer(r"^```yaml\n(.*?)^```", text, re.M | re.S)
    count = 0
    for m in blocks:
        count += 1
        line = text.count("\n", 0, m.start()) + 1
        name = "reference/yaml-block-line-%d" % line
        try:
            spec = load_yaml(m.group(1))
        except yaml.YAMLError as e:
            report(name, False, "does not load: %s" % str(e).replace("\n", " ")[:300])
            continue
        if isinstance(spec, dict):
            spec.setdefault("svcgen", 1)
            spec.setdefault("service", "demo")
        err = first_error(validator, spec)
        report(name, err is None, err or "")
    report("reference/has-yaml-blocks", count > 0, "no ```yaml blocks found")


# ---- small specs on both sides of the line -----------------------------------------

HEAD = "svcgen: 1\nservice: demo\n"

ACCEPT = [
    ("minimal", HEAD),
    ("mfa-off-is-a-string", HEAD + "auth:\n  cognito: {user_pool: demo-users, mfa: off}\n"),
    ("mfa-on-is-a-string", HEAD + "auth:\n  cognito: {user_pool: demo-users, mfa: on}\n"),
    ("root-path", HEAD + "api:\n  routes:\n    /:\n      GET: {function: home}\n"),
    ("greedy-path-last", HEAD + "api:\n  routes:\n    /files/{key+}:\n      GET: {function: get_file}\n"),
    ("empty-topics", HEAD + "topics:\n  a_topic:\n  b_topic: {}\n  c_topic: {fifo: true, display_name: C}\n"),
    ("provisioned-with-capacity", HEAD + "tables:\n  t:\n    partition_key: id:N\n    billing: provisioned\n"
                                         "    capacity: {read: 1, write: 1}\n    indexes:\n"
                                         "      ix: {partition_key: k, capacity: {read: 1, write: 1}}\n"),
    ("gov-region", HEAD + "region: us-gov-west-1\n"),
    ("uses-forms", HEAD + "tables:\n  t: {partition_key: id, indexes: {ix: {partition_key: k}}}\n"
                          "topics: {events: {}}\n"
                          "api:\n  routes:\n    /a:\n      GET: {function: a, uses: [t, t:read, t.ix:query, t.ix:scan, events:publish]}\n"),
    ("localhost-callback", HEAD + "auth:\n  cognito:\n    user_pool: p\n    callback_urls: [http://localhost:8080/cb, \"https://example.com/cb?x=1\"]\n"),
    ("period-multiple-of-60", HEAD + "alarms:\n  functions:\n    errors: {threshold: 0, period: 600}\n"
                                     "    duration_p99: {threshold_ms: 1, period: 10}\n"),
    ("environment-scalars", HEAD + "defaults:\n  environment: {PORT: 8080, DEBUG: false, EMPTY: }\n"),
    ("null-collections", HEAD + "tags:\ndefaults:\ntables:\ntopics:\nfunctions:\n  f:\n    uses:\n    events:\nalarms:\n"),
    ("stage-digits", HEAD + "stage: 2024\n"),
    ("tags-unicode", HEAD + "tags: {\"équipe\": \"Café crème\", owner: ops@example.com}\n"),
    ("table-name-with-hyphen", HEAD + "tables:\n  lambda-apigateway: {partition_key: id, stream: keys_only}\n"
                                      "api:\n  routes:\n    /m:\n      POST: {function: m, uses: [lambda-apigateway:crud]}\n"
                                      "functions:\n  w:\n    events: [{stream: {table: lambda-apigateway}}]\n"),
]

REJECT = [
    ("unknown-top-level-key", "", HEAD + "servise: x\n"),
    ("missing-svcgen", "", "service: demo\n"),
    ("missing-service", "", "svcgen: 1\n"),
    ("version-2", "svcgen", "svcgen: 2\nservice: demo\n"),
    ("version-as-string", "svcgen", "svcgen: \"1\"\nservice: demo\n"),
    ("service-uppercase", "service", "svcgen: 1\nservice: Demo\n"),
    ("service-one-char", "service", "svcgen: 1\nservice: d\n"),
    ("stage-too-long", "stage", HEAD + "stage: development\n"),
    ("region-bad", "region", HEAD + "region: europe\n"),
    ("tag-aws-prefix", "tags", HEAD + "tags: {\"aws:team\": x}\n"),
    ("tag-value-too-long", "tags/team", HEAD + "tags: {team: %s}\n" % ("x" * 257)),
    ("stage-number-too-long", "stage", HEAD + "stage: 12345678901\n"),
    ("tag-bad-character", "tags", HEAD + "tags: {\"team!\": x}\n"),
    ("tags-over-48", "tags", HEAD + "tags: {%s}\n" % ", ".join("t%d: x" % i for i in range(49))),
    ("memory-64", "defaults/memory", HEAD + "defaults: {memory: 64}\n"),
    ("memory-over-10240", "defaults/memory", HEAD + "defaults: {memory: 10241}\n"),
    ("timeout-0", "defaults/timeout", HEAD + "defaults: {timeout: 0}\n"),
    ("timeout-901", "functions/f/timeout", HEAD + "functions:\n  f: {timeout: 901}\n"),
    ("architecture-bad", "defaults/architecture", HEAD + "defaults: {architecture: arm}\n"),
    ("log-retention-10", "defaults/log_retention", HEAD + "defaults: {log_retention: 10}\n"),
    ("tracing-yes", "defaults/tracing", HEAD + "defaults: {tracing: yes}\n"),
    ("env-aws-reserved", "defaults/environment", HEAD + "defaults:\n  environment: {AWS_REGION: x}\n"),
    ("env-leading-underscore", "defaults/environment", HEAD + "defaults:\n  environment: {_PRIVATE: x}\n"),
    ("env-bad-name", "defaults/environment", HEAD + "defaults:\n  environment: {LOG-LEVEL: x}\n"),
    ("reserved-concurrency-1001", "functions/f/reserved_concurrency", HEAD + "functions:\n  f: {reserved_concurrency: 1001}\n"),
    ("defaults-unknown-key", "defaults", HEAD + "defaults: {description: x}\n"),
    ("function-name-bad", "functions", HEAD + "functions:\n  GetUser: {}\n"),
    ("function-name-too-long", "functions", HEAD + "functions:\n  %s: {}\n" % ("f" * 41)),
    ("function-unknown-key", "functions/f", HEAD + "functions:\n  f: {handler: main}\n"),
    ("route-function-name-bad", "api/routes//a/GET/function", HEAD + "api:\n  routes:\n    /a:\n      GET: {function: get-user}\n"),
    ("table-name-bad", "tables", HEAD + "tables:\n  Orders: {partition_key: id}\n"),
    ("table-no-partition-key", "tables/t", HEAD + "tables:\n  t: {sort_key: id}\n"),
    ("key-type-bad", "tables/t/partition_key", HEAD + "tables:\n  t: {partition_key: id:X}\n"),
    ("billing-bad", "tables/t/billing", HEAD + "tables:\n  t: {partition_key: id, billing: pay_per_request}\n"),
    ("provisioned-without-capacity", "tables/t", HEAD + "tables:\n  t: {partition_key: id, billing: provisioned}\n"),
    ("capacity-with-on-demand", "tables/t", HEAD + "tables:\n  t: {partition_key: id, capacity: {read: 1, write: 1}}\n"),
    ("index-capacity-with-on-demand", "tables/t/indexes/ix", HEAD + "tables:\n  t:\n    partition_key: id\n    indexes:\n"
                                              "      ix: {partition_key: k, capacity: {read: 1, write: 1}}\n"),
    ("capacity-zero", "tables/t/capacity/read", HEAD + "tables:\n  t: {partition_key: id, billing: provisioned, capacity: {read: 0, write: 1}}\n"),
    ("stream-bad", "tables/t/stream", HEAD + "tables:\n  t: {partition_key: id, stream: new}\n"),
    ("projection-bad", "tables/t/indexes/ix/projection", HEAD + "tables:\n  t: {partition_key: id, indexes: {ix: {partition_key: k, projection: include}}}\n"),
    ("index-unknown-key", "tables/t/indexes/ix", HEAD + "tables:\n  t: {partition_key: id, indexes: {ix: {partition_key: k, type: gsi}}}\n"),
    ("topic-unknown-key", "topics/t", HEAD + "topics:\n  t: {name: x}\n"),
    ("topic-display-name-empty", "topics/t", HEAD + "topics:\n  t: {display_name: \"\"}\n"),
    ("cognito-no-user-pool", "auth/cognito", HEAD + "auth:\n  cognito: {mfa: optional}\n"),
    ("auth-unknown-provider", "auth", HEAD + "auth:\n  oidc: {issuer: x}\n"),
    ("mfa-bad", "auth/cognito/mfa", HEAD + "auth:\n  cognito: {user_pool: p, mfa: sometimes}\n"),
    ("password-min-5", "auth/cognito/password_min_length", HEAD + "auth:\n  cognito: {user_pool: p, password_min_length: 5}\n"),
    ("sign-in-bad", "auth/cognito/sign_in/0", HEAD + "auth:\n  cognito: {user_pool: p, sign_in: [nickname]}\n"),
    ("callback-http", "auth/cognito/callback_urls/0", HEAD + "auth:\n  cognito: {user_pool: p, callback_urls: [\"http://example.com/cb\"]}\n"),
    ("oauth-flow-bad", "auth/cognito/oauth_flows/0", HEAD + "auth:\n  cognito: {user_pool: p, oauth_flows: [client_credentials]}\n"),
    ("domain-prefix-reserved-word", "auth/cognito/domain_prefix", HEAD + "auth:\n  cognito: {user_pool: p, domain_prefix: my-cognito-login}\n"),
    ("callback-with-fragment", "auth/cognito/callback_urls/0", HEAD + "auth:\n  cognito: {user_pool: p, callback_urls: [\"https://example.com/cb#x\"]}\n"),
    ("sign-in-twice", "auth/cognito/sign_in", HEAD + "auth:\n  cognito: {user_pool: p, sign_in: [email, email]}\n"),
    ("domain-prefix-trailing-dash", "auth/cognito/domain_prefix", HEAD + "auth:\n  cognito: {user_pool: p, domain_prefix: shop-}\n"),
    ("api-type-bad", "api/type", HEAD + "api: {type: graphql}\n"),
    ("api-auth-bad", "api/auth", HEAD + "api: {auth: jwt}\n"),
    ("api-unknown-key", "api", HEAD + "api: {stage: v1}\n"),
    ("cors-without-origins", "api/cors", HEAD + "api:\n  cors: {max_age: 60}\n  routes: {/a: {GET: {function: f}}}\n"),
    ("sign-in-empty", "auth/cognito/sign_in", HEAD + "auth:\n  cognito: {user_pool: p, sign_in: []}\n"),
    ("method-scopes-empty", "api/routes//a/GET/scopes", HEAD + "auth:\n  cognito: {user_pool: p}\n"
                                                             "api:\n  auth: cognito\n  routes: {/a: {GET: {function: f, scopes: []}}}\n"),
    ("cors-max-age-over", "api/cors/max_age", HEAD + "api:\n  cors: {origins: [\"*\"], max_age: 86401}\n"),
    ("cors-origin-with-path", "api/cors/origins/0", HEAD + "api:\n  cors: {origins: [\"https://example.com/app\"]}\n"),
    ("cors-credentials-with-star", "api/cors/origins", HEAD + "api:\n  cors: {origins: [\"*\"], credentials: true}\n"
                                                               "  routes: {/a: {GET: {function: f}}}\n"),
    ("throttle-burst-0-with-rate", "api/throttle/burst", HEAD + "api:\n  throttle: {rate: 10, burst: 0}\n"
                                                                "  routes: {/a: {GET: {function: f}}}\n"),
    ("api-without-routes", "api", HEAD + "api: {type: http}\n"),
    ("api-empty-routes", "api/routes", HEAD + "api: {routes: {}}\n"),
    ("route-without-methods", "api/routes//a", HEAD + "api:\n  routes:\n    /a: {}\n"),
    ("throttle-rate-0", "api/throttle/rate", HEAD + "api:\n  throttle: {rate: 0, burst: 10}\n"),
    ("path-no-slash", "api/routes", HEAD + "api:\n  routes:\n    users:\n      GET: {function: f}\n"),
    ("path-trailing-slash", "api/routes", HEAD + "api:\n  routes:\n    /users/:\n      GET: {function: f}\n"),
    ("path-greedy-not-last", "api/routes", HEAD + "api:\n  routes:\n    /{proxy+}/x:\n      GET: {function: f}\n"),
    ("path-bad-param", "api/routes", HEAD + "api:\n  routes:\n    /users/{user-id}:\n      GET: {function: f}\n"),
    ("method-lowercase", "api/routes//a", HEAD + "api:\n  routes:\n    /a:\n      get: {function: f}\n"),
    ("method-bad", "api/routes//a", HEAD + "api:\n  routes:\n    /a:\n      FETCH: {function: f}\n"),
    ("method-no-function", "api/routes//a/GET", HEAD + "api:\n  routes:\n    /a:\n      GET: {uses: [t]}\n"),
    ("method-unknown-key", "api/routes//a/GET", HEAD + "api:\n  routes:\n    /a:\n      GET: {function: f, timeout: 5}\n"),
    ("method-auth-bad", "api/routes//a/GET/auth", HEAD + "api:\n  routes:\n    /a:\n      GET: {function: f, auth: public}\n"),
    ("scopes-with-iam", "api/routes//a/GET", HEAD + "api:\n  routes:\n    /a:\n      GET: {function: f, auth: iam, scopes: [openid]}\n"),
    ("uses-bad-access", "functions/f/uses/0", HEAD + "functions:\n  f: {uses: [\"orders:write_all\"]}\n"),
    ("uses-index-get", "functions/f/uses/0", HEAD + "functions:\n  f: {uses: [\"orders.by_email:get\"]}\n"),
    ("uses-index-bare", "functions/f/uses/0", HEAD + "functions:\n  f: {uses: [orders.by_email]}\n"),
    ("uses-uppercase", "functions/f/uses/0", HEAD + "functions:\n  f: {uses: [\"Orders:read\"]}\n"),
    ("uses-twice", "functions/f/uses", HEAD + "functions:\n  f: {uses: [\"t:get\", \"t:get\"]}\n"),
    ("events-over-5", "functions/f/events", HEAD + "functions:\n  f:\n    events: [%s]\n" % ", ".join(["{stream: {table: t}}"] * 6)),
    ("event-unknown-kind", "functions/f/events/0", HEAD + "functions:\n  f:\n    events:\n      - sqs: {queue: q}\n"),
    ("event-two-kinds", "functions/f/events/0", HEAD + "functions:\n  f:\n    events:\n      - {stream: {table: t}, sqs: {queue: q}}\n"),
    ("stream-no-table", "functions/f/events/0/stream", HEAD + "functions:\n  f:\n    events:\n      - stream: {batch_size: 10}\n"),
    ("stream-batch-size-0", "functions/f/events/0/stream/batch_size", HEAD + "functions:\n  f:\n    events:\n      - stream: {table: t, batch_size: 0}\n"),
    ("stream-start-bad", "functions/f/events/0/stream/starting_position", HEAD + "functions:\n  f:\n    events:\n      - stream: {table: t, starting_position: at_timestamp}\n"),
    ("stream-window-301", "functions/f/events/0/stream/batching_window", HEAD + "functions:\n  f:\n    events:\n      - stream: {table: t, batching_window: 301}\n"),
    ("stream-retries-minus-2", "functions/f/events/0/stream/retries", HEAD + "functions:\n  f:\n    events:\n      - stream: {table: t, retries: -2}\n"),
    ("stream-filter-not-object", "functions/f/events/0/stream/filter", HEAD + "functions:\n  f:\n    events:\n      - stream: {table: t, filter: INSERT}\n"),
    ("alarm-period-45", "alarms/functions/errors/period", HEAD + "alarms:\n  functions:\n    errors: {threshold: 1, period: 45}\n"),
    ("alarm-period-90", "alarms/functions/errors/period", HEAD + "alarms:\n  functions:\n    errors: {threshold: 1, period: 90}\n"),
    ("alarm-threshold-missing", "alarms/api/5xx", HEAD + "alarms:\n  api:\n    5xx: {period: 60}\n"),
    ("alarm-threshold-negative", "alarms/tables/throttles/threshold", HEAD + "alarms:\n  tables:\n    throttles: {threshold: -1}\n"),
    ("alarm-threshold-on-p99", "alarms/api/latency_p99", HEAD + "alarms:\n  api:\n    latency_p99: {threshold: 2000}\n"),
    ("alarm-threshold-ms-on-count", "alarms/functions/errors", HEAD + "alarms:\n  functions:\n    errors: {threshold_ms: 1}\n"),
    ("alarm-threshold-ms-0", "alarms/functions/duration_p99/threshold_ms", HEAD + "alarms:\n  functions:\n    duration_p99: {threshold_ms: 0}\n"),
    ("alarm-evaluation-periods-0", "alarms/functions/errors/evaluation_periods", HEAD + "alarms:\n  functions:\n    errors: {threshold: 1, evaluation_periods: 0}\n"),
    ("alarm-unknown-rule", "alarms/functions", HEAD + "alarms:\n  functions:\n    invocations: {threshold: 1}\n"),
    ("alarm-notify-not-email", "alarms/notify/0", HEAD + "alarms:\n  notify: [ops]\n"),
]


def check_small_specs(validator):
    for name, text in ACCEPT:
        try:
            spec = load_yaml(text)
        except yaml.YAMLError as e:
            report("accept/" + name, False, "does not load: %s" % str(e).replace("\n", " "))
            continue
        err = first_error(validator, spec)
        report("accept/" + name, err is None, err or "")
    for name, where, text in REJECT:
        try:
            spec = load_yaml(text)
        except yaml.YAMLError as e:
            report("reject/" + name, False, "test spec does not load: %s" % str(e).replace("\n", " "))
            continue
        at = {"/".join(str(p) for p in e.absolute_path) for e in validator.iter_errors(spec)}
        if not at:
            report("reject/" + name, False, "the schema accepts it")
        else:
            # Rejected, and for the intended reason: an error at the mutated place.
            report("reject/" + name, where in at,
                   "rejected at %s, expected at %s" % (", ".join(sorted(at)), where or "(top)"))


# Specs valid under the schema that break a semantic rule: the example
# checker above must flag them, or it would pass anything.
SEMANTIC_BAD = [
    # (name, what the checker must say, a word of it, spec)
    ("table-names-differ-only-in-hyphen", "error", "only in '-' and '_'",
     HEAD + "tables: {a_b: {partition_key: id}, a-b: {partition_key: id}}\n"),
    ("undeclared-table", "error", "is not declared",
     HEAD + "api:\n  routes:\n    /a:\n      GET: {function: f, uses: [orders]}\n"),
    ("undeclared-index", "error", "has no index",
     HEAD + "tables: {t: {partition_key: id}}\n"
            "api:\n  routes:\n    /a:\n      GET: {function: f, uses: [t.ix:query]}\n"),
    ("undeclared-topic", "error", "is not declared",
     HEAD + "functions:\n  f: {uses: [events:publish]}\n"),
    ("bare-name-in-functions", "error", "no route method",
     HEAD + "tables: {t: {partition_key: id}}\nfunctions:\n  f: {uses: [t]}\n"),
    ("bare-name-with-head", "error", "derives no access",
     HEAD + "tables: {t: {partition_key: id}}\n"
            "api:\n  routes:\n    /a:\n      HEAD: {function: f, uses: [t]}\n"),
    ("bare-topic-name", "lint", ":publish",
     HEAD + "topics: {ev: }\napi:\n  routes:\n    /a:\n      POST: {function: f, uses: [ev]}\n"),
    ("stream-on-table-without-stream", "error", "has no stream",
     HEAD + "tables: {t: {partition_key: id}}\nfunctions:\n  f:\n    events: [{stream: {table: t}}]\n"),
    ("cognito-without-user-pool", "error", "without auth.cognito",
     HEAD + "api:\n  auth: cognito\n  routes:\n    /a:\n      GET: {function: f}\n"),
    ("timeout-30-behind-api", "error", "behind the API",
     HEAD + "defaults: {timeout: 30}\napi:\n  routes:\n    /a:\n      GET: {function: f}\n"),
    ("rest-sibling-variables", "error", "at one level",
     HEAD + "api:\n  routes:\n    /u/{id}:\n      GET: {function: f}\n    /u/{name}/x:\n      GET: {function: g}\n"),
    ("http-duplicate-route-shape", "error", "same route",
     HEAD + "api:\n  type: http\n  routes:\n    /u/{id}:\n      GET: {function: f}\n"
            "    /u/{name}:\n      GET: {function: g}\n"),
    ("key-two-types", "error", "two types",
     HEAD + "tables:\n  t:\n    partition_key: id\n    indexes: {ix: {partition_key: id:N}}\n"),
    ("generated-env-name", "error", "is svcgen's",
     HEAD + "tables: {t: {partition_key: id}}\ndefaults:\n  environment: {TABLE_T: x}\n"),
    ("function-name-over-64", "error", "over 64",
     "svcgen: 1\nservice: %s\nstage: production\nfunctions:\n  %s: {}\n" % ("s" * 31, "f" * 40)),
    ("role-name-shortened", "warning", "role name",
     "svcgen: 1\nservice: %s\napi:\n  routes:\n    /a:\n      GET: {function: %s}\n" % ("s" * 30, "f" * 27)),
    ("unused-function", "warning", "nothing invokes it",
     HEAD + "functions:\n  f: {memory: 512}\n"),
    ("tracing-with-http-api", "warning", "HTTP API",
     HEAD + "defaults: {tracing: true}\napi:\n  type: http\n  routes:\n    /a:\n      GET: {function: f}\n"),
    ("api-alarm-without-api", "error", "no api",
     HEAD + "alarms:\n  api:\n    5xx: {threshold: 1}\n"),
    ("alarm-over-a-day", "error", "more than a day",
     HEAD + "alarms:\n  functions:\n    errors: {threshold: 1, period: 3600, evaluation_periods: 25}\n"),
]


def check_semantic_checker(validator):
    for name, severity, keyword, text in SEMANTIC_BAD:
        spec = load_yaml(text)
        err = first_error(validator, spec)
        if err:
            report("semantic/" + name, False, "not schema-valid: " + err)
            continue
        findings = semantic_findings(spec)
        found = [x for x in findings if x.startswith(severity + ":") and keyword in x]
        report("semantic/" + name, bool(found),
               "no %s about %r; got %s" % (severity, keyword, "; ".join(findings) or "nothing"))


def check_loader():
    doc = load_yaml("a: off\nb: on\nc: yes\nd: true\ne: 010\nf: 0x10\ng: 1:30\nh: 2024-01-01\n")
    want = {"a": "off", "b": "on", "c": "yes", "d": True, "e": 10, "f": 16, "g": "1:30", "h": "2024-01-01"}
    report("loader/yaml-1.2-scalars", doc == want, "got %r" % (doc,))
    try:
        load_yaml("a: 1\na: 2\n")
        report("loader/duplicate-key-rejected", False, "loaded")
    except yaml.YAMLError:
        report("loader/duplicate-key-rejected", True)
    doc = load_yaml("x: &x {a: 1}\ny:\n  <<: *x\n")
    report("loader/no-merge-keys", doc["y"] == {"<<": {"a": 1}}, "got %r" % (doc["y"],))


def main():
    try:
        with open(SCHEMA_PATH, "rb") as f:
            schema = json.loads(f.read().decode("utf-8"))
    except (OSError, ValueError) as e:
        report("schema/loads", False, str(e))
        schema = None
    if schema is not None and check_schema_meta(schema):
        validator = jsonschema.Draft202012Validator(schema)
        check_loader()
        check_examples(validator)
        check_reference(validator)
        check_small_specs(validator)
        check_semantic_checker(validator)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
