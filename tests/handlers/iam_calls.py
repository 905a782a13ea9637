#!/usr/bin/env python3
"""iam_calls.py - every AWS call a generated handler makes is granted by its
own policy, checked from the C sources.

    iam_calls.py [--mutate] OUT...

OUT is what `svcgen generate SPEC -o OUT` wrote (handlers/, iam/,
cloudformation/template.json and stacks/, read as one).  For every function FN of OUT:

  1. The runtime's call graph, from the C of OUT/handlers/runtime/ (what the
     project really compiles, not svcgen's copy): every function defined
     there, the runtime functions each one calls, and string literals
     passed down as arguments.  Two functions are the AWS boundary, as the
     API Reference defines them: lambda_ddb_call(..., OPERATION, request)
     is the action dynamodb:OPERATION, lambda_sns_publish(...) is
     sns:Publish.  Any other road to the wire (lambda_aws_send,
     lambda_aws_call_json called elsewhere) is reported: its action cannot
     be told.  So lambda_crud_get -> lambda_ddb_get_item -> call_take(...,
     "GetItem", ...) -> lambda_ddb_call(..., op, ...) is dynamodb:GetItem.
  2. Every call site in OUT/handlers/src/FN.c and runtime/main_FN.c: each
     runtime function called there, with the actions it reaches (step 1)
     and the resource it addresses: its parameter named `table` (and,
     for Query and Scan, `index` when not NULL) or `topic_arn`, as the
     scaffold passes it: a variable set from getenv("NAME"), or
     getenv("NAME") itself, NAME resolved through FN's environment in the
     CloudFormation template (Ref to a table or topic: its TableName or
     TopicName; an index variable: the index name) into the ARN
     iam/FN.json would name.
  3. Each (action, resource) against iam/FN.json with IAM's rules: an
     Allow statement whose Action (or NotAction) and Resource (or
     NotResource) match, wildcards * and ?, no Deny that matches; a
     statement with a Condition grants nothing for sure, so it does not
     count.

A call site whose action or resource cannot be told fails, as does a name
its environment does not set.  With --mutate it then proves it catches
what it must: for every function it edits copies of the project (a call
of each DynamoDB action the function is not granted on each table it uses,
a call on a table outside its environment, a Publish to a topic it may not
use, a Query of an index it may not query, and the CRUD layer itself made
to call DeleteItem from lambda_crud_get) and expects each copy to fail.
Ends with "N passed, N failed".
"""
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cfn"))
import cfnlib  # noqa: E402

passed = 0
failed = 0


def ok(msg):
    global passed
    passed += 1
    print("ok    " + msg, flush=True)


def bad(msg):
    global failed
    failed += 1
    print("FAIL  " + msg, flush=True)


# ---- C, read as tokens ----------------------------------------------------------

TOKEN = re.compile(r'''
    (?P<ws>\s+)
  | (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<pp>^[ \t]*\#(?:[^\n\\]|\\.)*)
  | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<chr>'(?:[^'\\\n]|\\.)*')
  | (?P<id>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<num>\.?[0-9](?:[0-9A-Za-z_.]|[eEpP][+-])*)
  | (?P<op>->|\+\+|--|&&|\|\||[<>=!]=|<<|>>|.)
''', re.X | re.S | re.M)


def tokens(text):
    out = []
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment", "pp"):
            continue
        out.append((kind, m.group()))
    return out


def unquote(lit):
    """The value of a C string literal (the escapes the runtime uses)."""
    body = lit[1:-1]
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def split_args(toks, i):
    """toks[i] is '('; the argument token lists and the index after ')'."""
    depth, args, cur = 0, [], []
    j = i
    while j < len(toks):
        t = toks[j][1]
        if t in "([{":
            depth += 1
            if depth > 1:
                cur.append(toks[j])
        elif t in ")]}":
            depth -= 1
            if depth == 0:
                if cur or args:
                    args.append(cur)
                return args, j + 1
            cur.append(toks[j])
        elif t == "," and depth == 1:
            args.append(cur)
            cur = []
        else:
            cur.append(toks[j])
        j += 1
    raise ValueError("unbalanced parentheses")


class Func:
    def __init__(self, name, params, body, static, path):
        self.name, self.params, self.body, self.static, self.path = name, params, body, static, path


def functions(path):
    """The function definitions of a C file."""
    toks = tokens(open(path, encoding="utf-8", errors="replace").read())
    out = []
    depth = 0
    i = 0
    stmt_start = 0
    while i < len(toks):
        kind, t = toks[i]
        if t == "{" and depth == 0:
            # A definition: ... NAME ( PARAMS ) {
            j = i - 1
            if j >= 0 and toks[j][1] == ")":
                pd = 0
                k = j
                while k >= 0:
                    if toks[k][1] == ")":
                        pd += 1
                    elif toks[k][1] == "(":
                        pd -= 1
                        if pd == 0:
                            break
                    k -= 1
                if k > 0 and toks[k - 1][0] == "id" and not any(
                        x[1] == "=" for x in toks[stmt_start:k]):
                    name = toks[k - 1][1]
                    args, _ = split_args(toks, k)
                    params = []
                    for a in args:
                        ids = [x[1] for x in a if x[0] == "id"]
                        params.append(ids[-1] if ids and ids != ["void"] else None)
                    static = any(x[1] == "static" for x in toks[stmt_start:k])
                    # The body, to its closing brace.
                    d, e = 0, i
                    while e < len(toks):
                        if toks[e][1] == "{":
                            d += 1
                        elif toks[e][1] == "}":
                            d -= 1
                            if d == 0:
                                break
                        e += 1
                    out.append(Func(name, [p for p in params if p], toks[i + 1:e], static, path))
                    i = e + 1
                    stmt_start = i
                    continue
            depth += 1
        elif t == "{":
            depth += 1
        elif t == "}":
            depth -= 1
            if depth == 0:
                stmt_start = i + 1
        elif t == ";" and depth == 0:
            stmt_start = i + 1
        i += 1
    return out


# ---- the runtime's call graph ------------------------------------------------------

# The AWS boundary (DynamoDB and SNS API References): name -> action.
LEAVES = {"lambda_ddb_call": "dynamodb", "lambda_sns_publish": "sns:Publish"}
# The raw client: reaching it other than through a leaf hides the action.
RAW = {"lambda_aws_send", "lambda_aws_call_json"}
# Parameters naming the resource a call addresses.
RESOURCE_PARAMS = ("table", "index", "topic_arn")


class Runtime:
    def __init__(self, files):
        self.by_file = {}
        self.globals = {}
        for f in files:
            for fn in functions(f):
                self.by_file.setdefault(f, {})[fn.name] = fn
                if not fn.static:
                    self.globals.setdefault(fn.name, fn)
        self.memo = {}

    def resolve(self, name, path):
        return self.by_file.get(path, {}).get(name) or self.globals.get(name)

    def calls(self, fn):
        """(callee Func or leaf name, argument token lists or None) in fn's body."""
        toks = fn.body
        out = []
        for i, (kind, t) in enumerate(toks):
            if kind != "id":
                continue
            nxt = toks[i + 1][1] if i + 1 < len(toks) else ""
            prev = toks[i - 1][1] if i else ""
            if prev in (".", "->"):
                continue
            target = t if t in LEAVES or t in RAW else self.resolve(t, fn.path)
            if target is None or target is fn:
                continue
            if nxt == "(":
                args, _ = split_args(toks, i + 1)
                out.append((target, args))
            else:
                out.append((target, None))  # a function's address: any arguments
        return out

    def actions(self, fn, bound):
        """The actions fn reaches when its parameters hold `bound` (name ->
        literal string or None): a set of action strings, and problems."""
        key = (fn.name, fn.path, tuple(sorted(bound.items())))
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = (set(), [])  # recursion: nothing more
        acts, problems = set(), []
        for target, args in self.calls(fn):
            vals = [value(a, bound) for a in args] if args is not None else None
            if isinstance(target, str):
                if target in RAW:
                    problems.append("%s calls %s directly: its action cannot be told"
                                    % (fn.name, target))
                elif target == "lambda_ddb_call":
                    op = vals[3] if vals and len(vals) > 3 else None
                    if op:
                        acts.add("dynamodb:" + op)
                    else:
                        problems.append("%s calls lambda_ddb_call with an operation that is "
                                        "not a constant" % fn.name)
                else:
                    acts.add(LEAVES[target])
                continue
            sub = {}
            for n, p in enumerate(target.params):
                sub[p] = vals[n] if vals and n < len(vals) else None
            a, pr = self.actions(target, sub)
            acts |= a
            problems += pr
        self.memo[key] = (acts, problems)
        return acts, problems


def value(arg, bound):
    """A string literal argument, or a parameter bound to one; else None."""
    if len(arg) == 1 and arg[0][0] == "str":
        return unquote(arg[0][1])
    if len(arg) == 1 and arg[0][0] == "id":
        return bound.get(arg[0][1])
    return None


# ---- environment and policy ---------------------------------------------------------

ARN = "arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}:%s"


def environment(template, fn):
    """FN's environment as {name: ('table', TableName) | ('topic', TopicName) |
    ('index', IndexName) | ('text', value)}."""
    res = template["Resources"]
    for r in res.values():
        p = r.get("Properties", {})
        if r["Type"] == "AWS::Lambda::Function" and p.get("FunctionName", "").endswith("-" + fn):
            out = {}
            for k, v in p.get("Environment", {}).get("Variables", {}).items():
                if isinstance(v, dict) and "Ref" in v and v["Ref"] in res:
                    t = res[v["Ref"]]
                    if t["Type"] == "AWS::DynamoDB::Table":
                        out[k] = ("table", t["Properties"]["TableName"])
                    elif t["Type"] == "AWS::SNS::Topic":
                        out[k] = ("topic", t["Properties"]["TopicName"])
                    else:
                        out[k] = ("other", json.dumps(v))
                elif isinstance(v, str) and k.startswith("INDEX_"):
                    out[k] = ("index", v)
                else:
                    out[k] = ("text", json.dumps(v))
            return out
    return None


def glob_match(pattern, s, nocase=False):
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, s, re.S | (re.I if nocase else 0)) is not None


def as_list(v):
    return v if isinstance(v, list) else [v]


def granted(policy, action, resource):
    """Whether `policy` allows `action` on `resource` for sure."""
    def matches(st):
        if "Action" in st:
            a = any(glob_match(p, action, True) for p in as_list(st["Action"]))
        else:
            a = not any(glob_match(p, action, True) for p in as_list(st.get("NotAction", [])))
        if "Resource" in st:
            r = any(glob_match(p, resource) for p in as_list(st["Resource"]))
        else:
            r = not any(glob_match(p, resource) for p in as_list(st.get("NotResource", [])))
        return a and r
    sts = as_list(policy.get("Statement", []))
    if any(st.get("Effect") == "Deny" and matches(st) for st in sts):
        return False
    return any(st.get("Effect") == "Allow" and "Condition" not in st and matches(st)
               for st in sts)


# ---- one function ---------------------------------------------------------------------

def scaffold_vars(toks):
    """Variables the scaffold sets from getenv("NAME"): var -> NAME."""
    out = {}
    for i in range(len(toks) - 4):
        if toks[i][0] == "id" and toks[i + 1][1] == "=" and toks[i + 2][1] == "getenv" \
                and toks[i + 3][1] == "(" and toks[i + 4][0] == "str":
            out[toks[i][1]] = unquote(toks[i + 4][1])
    return out


def env_name(arg, env_vars):
    """The environment variable an argument reads, 'NULL', or None."""
    ids = [t for t in arg]
    if len(ids) == 1 and ids[0][1] == "NULL":
        return "NULL"
    if len(ids) == 1 and ids[0][0] == "id" and ids[0][1] in env_vars:
        return env_vars[ids[0][1]]
    if len(ids) == 4 and ids[0][1] == "getenv" and ids[2][0] == "str":
        return unquote(ids[2][1])
    return None


def check_function(out, fn, runtime, template, quiet=False):
    """Problems of FN: a list of strings (empty: every call is granted)."""
    hdir = os.path.join(out, "handlers")
    policy = json.load(open(os.path.join(out, "iam", fn + ".json")))
    env = environment(template, fn)
    if env is None:
        return ["%s: no function of that name in the CloudFormation template" % fn], 0
    problems, sites = [], 0
    for path in (os.path.join(hdir, "src", fn + ".c"),
                 os.path.join(hdir, "runtime", "main_%s.c" % fn)):
        file_funcs = functions(path)
        local = {f.name: f for f in file_funcs}
        for f in file_funcs:
            env_vars = scaffold_vars(f.body)
            toks = f.body
            for i, (kind, t) in enumerate(toks):
                if kind != "id" or (i and toks[i - 1][1] in (".", "->")):
                    continue
                callee = local.get(t) or runtime.globals.get(t)
                leaf = t if t in LEAVES or t in RAW else None
                if not callee and not leaf:
                    continue
                if i + 1 >= len(toks) or toks[i + 1][1] != "(":
                    if callee and callee.name in local:
                        continue
                    args = None
                else:
                    args, _ = split_args(toks, i + 1)
                params = (["response", "err", "aws", "operation", "request"]
                          if t == "lambda_ddb_call" else
                          ["message_id", "err", "aws", "topic_arn", "message", "opts"]
                          if t == "lambda_sns_publish" else
                          ["res", "err", "aws", "req", "parse"] if leaf else callee.params)
                if callee and callee.name in local:
                    continue  # the file's own functions are walked themselves
                bound = {p: (value(args[n], {}) if args and n < len(args) else None)
                         for n, p in enumerate(params)}
                if leaf in RAW:
                    problems.append("%s:%s calls %s: its action cannot be told" % (fn, f.name, t))
                    continue
                if leaf:
                    acts = {"dynamodb:" + bound["operation"]} if t == "lambda_ddb_call" and \
                        bound["operation"] else {LEAVES[t]} if t == "lambda_sns_publish" else set()
                    pr = [] if acts else ["%s:%s: lambda_ddb_call of an operation that is not "
                                          "a constant" % (fn, f.name)]
                else:
                    acts, pr = runtime.actions(callee, bound)
                problems += ["%s:%s -> %s: %s" % (fn, f.name, t, p) for p in pr]
                if not acts:
                    continue
                sites += 1
                res_env = {}
                for p in RESOURCE_PARAMS:
                    if p in params:
                        n = params.index(p)
                        res_env[p] = env_name(args[n], env_vars) if args and n < len(args) \
                            else None
                for a in sorted(acts):
                    want = "topic_arn" if a.startswith("sns:") else "table"
                    name = res_env.get(want)
                    if name == "NULL":
                        continue  # no resource: the call answers 500, nothing is sent
                    if not name:
                        problems.append("%s:%s -> %s: %s on a resource that cannot be told "
                                        "(no `%s` argument read from the environment)"
                                        % (fn, f.name, t, a, want))
                        continue
                    if name not in env:
                        problems.append("%s:%s -> %s: %s on %s, which the function's "
                                        "environment does not set" % (fn, f.name, t, a, name))
                        continue
                    kind_, phys = env[name]
                    if a.startswith("sns:"):
                        arn = ARN % ("sns", phys)
                    else:
                        arn = ARN % ("dynamodb", "table/" + phys)
                        idx = res_env.get("index")
                        if a in ("dynamodb:Query", "dynamodb:Scan") and "index" in params:
                            if idx is None:
                                problems.append("%s:%s -> %s: %s on an index that cannot be "
                                                "told" % (fn, f.name, t, a))
                                continue
                            if idx != "NULL":
                                if idx not in env or env[idx][0] != "index":
                                    problems.append("%s:%s -> %s: %s on index %s, which the "
                                                    "function's environment does not set"
                                                    % (fn, f.name, t, a, idx))
                                    continue
                                arn += "/index/" + env[idx][1]
                    if not granted(policy, a, arn):
                        problems.append("%s:%s -> %s: %s on %s is not granted by iam/%s.json"
                                        % (fn, f.name, t, a, arn, fn))
                    elif not quiet:
                        print("      %s: %s -> %s: %s on %s" % (fn, f.name, t, a, arn))
    return problems, sites


def project(out):
    hdir = os.path.join(out, "handlers")
    rfiles = sorted(os.path.join(hdir, "runtime", f) for f in os.listdir(os.path.join(hdir, "runtime"))
                    if f.endswith(".c") and not f.startswith("main_"))
    fns = sorted(f[:-2] for f in os.listdir(os.path.join(hdir, "src")) if f.endswith(".c"))
    # The root and its nested stacks as one (functions live in nested stacks).
    template, _ = cfnlib.merged_template(out)
    return Runtime(rfiles), fns, template


def check_out(out, quiet=False):
    runtime, fns, template = project(out)
    results = {}
    for fn in fns:
        results[fn] = check_function(out, fn, runtime, template, quiet)
    return results


# ---- mutations --------------------------------------------------------------------

CRUD_CALL = {
    "dynamodb:GetItem": 'lambda_crud_get(res, getenv("%s"), NULL)',
    "dynamodb:PutItem": 'lambda_crud_put(res, req, getenv("%s"), NULL, NULL, 0, false)',
    "dynamodb:UpdateItem": 'lambda_crud_update(res, req, getenv("%s"), NULL)',
    "dynamodb:DeleteItem": 'lambda_crud_delete(res, getenv("%s"), NULL)',
    "dynamodb:Query": 'lambda_crud_query(res, req, getenv("%s"), NULL, "pk", \'S\', NULL)',
    "dynamodb:Scan": 'lambda_crud_scan(res, req, getenv("%s"), NULL)',
}


def insert_call(path, call):
    """Add `call` as the first statement of the file's handler."""
    text = open(path).read()
    m = re.search(r"^int handle_\w+\([^{]*\)\n\{\n", text, re.M)
    if not m:
        return False
    text = text[:m.end()] + "\tif (0)\n\t\t(void)%s;\n" % call + text[m.end():]
    open(path, "w").write(text)
    return True


def mutations(out, fn, template):
    """(description, edit(copy_dir) -> bool) pairs that must each fail."""
    env = environment(template, fn)
    policy = json.load(open(os.path.join(out, "iam", fn + ".json")))
    tables = {p["Properties"]["TableName"]:
              "TABLE_" + re.sub(r"[^A-Z0-9]", "_", p["Properties"]["TableName"].upper())
              for p in template["Resources"].values() if p["Type"] == "AWS::DynamoDB::Table"}
    # The environment variable each table would have (the scaffolds' names).
    env_of = {phys: name for name, (k, phys) in env.items() if k == "table"}
    out_list = []
    src = os.path.join("handlers", "src", fn + ".c")
    for name, (kind, phys) in sorted(env.items()):
        if kind != "table":
            continue
        arn = ARN % ("dynamodb", "table/" + phys)
        for action, call in sorted(CRUD_CALL.items()):
            if granted(policy, action, arn):
                continue
            c = call % name
            out_list.append(("%s on %s, not granted" % (action, phys),
                             lambda d, c=c: insert_call(os.path.join(d, src), c)))
        # A query of an index of this table it may not query.
        for lid, r in template["Resources"].items():
            if r["Type"] == "AWS::DynamoDB::Table" and r["Properties"]["TableName"] == phys:
                for g in r["Properties"].get("GlobalSecondaryIndexes", []):
                    iarn = arn + "/index/" + g["IndexName"]
                    if granted(policy, "dynamodb:Query", iarn):
                        continue
                    ivar = "INDEX_%s_%s" % (name[6:], g["IndexName"].upper())
                    env_has = ivar in env
                    c = 'lambda_crud_query(res, req, getenv("%s"), getenv("%s"), "pk", \'S\', ' \
                        'NULL)' % (name, ivar)
                    out_list.append(("Query on index %s of %s%s" % (
                        g["IndexName"], phys, "" if env_has else " (outside its environment)"),
                        lambda d, c=c: insert_call(os.path.join(d, src), c)))
    for phys in sorted(tables):
        if phys not in env_of:
            c = CRUD_CALL["dynamodb:GetItem"] % tables[phys]
            out_list.append(("GetItem on %s, a table outside its environment" % phys,
                             lambda d, c=c: insert_call(os.path.join(d, src), c)))
    for lid, r in sorted(template["Resources"].items()):
        if r["Type"] == "AWS::SNS::Topic":
            arn = ARN % ("sns", r["Properties"]["TopicName"])
            if not granted(policy, "sns:Publish", arn):
                var = [n for n, (k, p) in env.items() if k == "topic" and
                       p == r["Properties"]["TopicName"]]
                name = var[0] if var else "TOPIC_" + re.sub(
                    r"[^A-Z0-9]", "_", r["Properties"]["TopicName"].upper())
                c = 'lambda_sns_publish(NULL, NULL, NULL, getenv("%s"), "m", NULL)' % name
                out_list.append(("Publish to %s" % r["Properties"]["TopicName"],
                                 lambda d, c=c: insert_call(os.path.join(d, src), c)))
    # Names no environment sets.
    for what, c in (("GetItem on a table outside its environment",
                     CRUD_CALL["dynamodb:GetItem"] % "TABLE_NOT_IN_THE_SPEC"),
                    ("Publish to a topic outside its environment",
                     'lambda_sns_publish(NULL, NULL, NULL, getenv("TOPIC_NOT_IN_THE_SPEC"), "m", '
                     'NULL)'),
                    ("a DynamoDB call through the generic call",
                     'lambda_ddb_call(NULL, NULL, NULL, "DeleteTable", NULL)')):
        out_list.append((what, lambda d, c=c: insert_call(os.path.join(d, src), c)))
    return out_list


def crud_layer_mutation(d):
    """lambda_crud_get also deletes: every caller of it is then wrong."""
    p = os.path.join(d, "handlers", "runtime", "lambda_crud.c")
    text = open(p).read()
    new = text.replace("int rc = lambda_ddb_get_item(&item, &err, NULL, table, key, false, NULL);",
                       "int rc = lambda_ddb_get_item(&item, &err, NULL, table, key, false, NULL);\n"
                       "\tif (rc == LAMBDA_OK)\n"
                       "\t\trc = lambda_ddb_delete_item(NULL, &err, NULL, table, key, NULL);")
    if new == text:
        return False
    open(p, "w").write(new)
    return True


def mutate(out):
    runtime, fns, template = project(out)
    name = os.path.basename(os.path.normpath(out))
    caught = missed = 0
    for fn in fns:
        if not os.path.exists(os.path.join(out, "handlers", "src", fn + ".c")):
            continue
        text = open(os.path.join(out, "handlers", "src", fn + ".c")).read()
        if not re.search(r"^int handle_\w+\(", text, re.M):
            continue
        for what, edit in mutations(out, fn, template):
            d = tempfile.mkdtemp()
            try:
                shutil.copytree(os.path.join(out, "handlers"), os.path.join(d, "handlers"))
                shutil.copytree(os.path.join(out, "iam"), os.path.join(d, "iam"))
                shutil.copytree(os.path.join(out, "cloudformation"),
                                os.path.join(d, "cloudformation"))
                if not edit(d):
                    bad("%s: %s: the mutation could not be made" % (name, fn))
                    continue
                r2, _, _ = project(d)
                problems, _ = check_function(d, fn, r2, template, quiet=True)
                if problems:
                    caught += 1
                else:
                    missed += 1
                    bad("%s: %s: a scaffold calling %s passed the check" % (name, fn, what))
            finally:
                shutil.rmtree(d)
    # The CRUD layer, changed under the scaffolds.
    users = [fn for fn in fns if "lambda_crud_get(" in
             open(os.path.join(out, "handlers", "src", fn + ".c")).read()]
    if users:
        d = tempfile.mkdtemp()
        try:
            shutil.copytree(out, d, dirs_exist_ok=True)
            if not crud_layer_mutation(d):
                bad("%s: lambda_crud.c: the mutation could not be made" % name)
            else:
                r2, _, _ = project(d)
                for fn in users:
                    policy = json.load(open(os.path.join(d, "iam", fn + ".json")))
                    env = environment(template, fn)
                    if all(granted(policy, "dynamodb:DeleteItem", ARN % ("dynamodb", "table/" + p))
                           for k, p in env.values() if k == "table"):
                        continue  # it may delete: the change is no violation there
                    problems, _ = check_function(d, fn, r2, template, quiet=True)
                    if any("DeleteItem" in p for p in problems):
                        caught += 1
                    else:
                        missed += 1
                        bad("%s: %s: lambda_crud_get made to delete, and the check passed"
                            % (name, fn))
        finally:
            shutil.rmtree(d)
    if missed == 0:
        ok("%s: %d mutations (ungranted actions, tables, indexes, topics, the CRUD layer) "
           "each caught" % (name, caught))


def main(argv):
    do_mutate = "--mutate" in argv
    outs = [a for a in argv if a != "--mutate"]
    for out in outs:
        name = os.path.basename(os.path.normpath(out))
        results = check_out(out)
        sites = 0
        for fn, (problems, n) in sorted(results.items()):
            sites += n
            for p in problems:
                bad("%s: %s" % (name, p))
        if all(not p for p, _ in results.values()):
            ok("%s: %d functions, %d AWS call sites, each action granted on its resource by "
               "iam/<function>.json" % (name, len(results), sites))
        if do_mutate:
            mutate(out)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
