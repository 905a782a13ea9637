"""speclib.py - read an svcgen spec the way the language reference says,
independently of svcgen's own C code, for the CloudFormation and IAM suites.

What is here is a second, deliberately simple statement of the rules of
specs/reference.md that the suites need to know what svcgen's output must
contain:

  - a YAML 1.2 core-schema loader (only true/false are booleans: `mfa: off`
    is the string "off"; no YAML 1.1 sexagesimal or octal integers; no
    timestamps; no `<<` merge; duplicate keys are errors);
  - effective function settings (the function's, else `defaults:`, else the
    built-in defaults of reference section 4);
  - the functions of a spec (route functions, then `functions:` entries);
  - each function's `uses` with the access derived from the route method
    (reference section 10) and the IAM statements they imply, as a map
    resource ARN -> set of actions, ARNs in the literal form svcgen writes to
    iam/<function>.json ("arn:${AWS::Partition}:dynamodb:${AWS::Region}:
    ${AWS::AccountId}:table/<service>-<stage>-<table>"; a table's stream as
    "${<table logical id>.StreamArn}").

Physical names follow reference section 3: <service>-<stage>-<name>.  The
examples stay far below every AWS name limit, so svcgen's shortening of
over-long names is not modelled here.

Run as a script it prints one fact of a spec for shell suites:
    python speclib.py region SPEC
"""

import re
import sys

import yaml

# ---- YAML 1.2 (core schema) -----------------------------------------------


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader reduced to YAML 1.2 core-schema scalars; duplicate keys and
    merge keys are errors, as in svcgen."""


# A copy of SafeLoader's resolver table without the YAML 1.1 scalar types;
# never modify SafeLoader's own table (other code in the process uses it).
Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                           "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp",
                           "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"))


def _bool12(loader, node):
    return loader.construct_scalar(node) == "true"


def _int12(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _mapping12(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge" or (
                isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<"
                and key_node.style is None):
            raise yaml.constructor.ConstructorError(
                None, None, "merge keys (<<) are not YAML 1.2", key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=True)


Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", _bool12)
Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int12)
Yaml12Loader.add_constructor("tag:yaml.org,2002:map", _mapping12)


def load_yaml12(path):
    with open(path, "rb") as f:
        return yaml.load(f, Loader=Yaml12Loader)  # noqa: S506 (SafeLoader subclass)


# ---- the language's rules ----------------------------------------------------

DEFAULTS = {  # reference section 4
    "architecture": "arm64",
    "memory": 256,
    "timeout": 10,
    "log_retention": 30,
    "tracing": False,
}

# Reference section 10, "What each access grants".
ACCESS_ACTIONS = {
    "get": {"dynamodb:GetItem", "dynamodb:BatchGetItem"},
    "query": {"dynamodb:Query"},
    "scan": {"dynamodb:Scan"},
    "put": {"dynamodb:PutItem", "dynamodb:ConditionCheckItem"},
    "update": {"dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"},
    "delete": {"dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"},
}
# BatchWriteItem both puts and deletes: only where a resource has both
# (see batch_write below); write and crud always have both.
BATCH_WRITE = "dynamodb:BatchWriteItem"
ACCESS_ACTIONS["read"] = ACCESS_ACTIONS["get"] | ACCESS_ACTIONS["query"]
ACCESS_ACTIONS["write"] = (ACCESS_ACTIONS["put"] | ACCESS_ACTIONS["update"]
                           | ACCESS_ACTIONS["delete"] | {BATCH_WRITE})
ACCESS_ACTIONS["crud"] = ACCESS_ACTIONS["read"] | ACCESS_ACTIONS["write"]

STREAM_ACTIONS = {"dynamodb:GetRecords", "dynamodb:GetShardIterator",
                  "dynamodb:DescribeStream"}
# ListStreams supports no resource type: it is granted on "*", on its own.
LIST_STREAMS_ACTIONS = {"dynamodb:ListStreams"}
# Lambda sends what a stream mapping gives up on to its on-failure queue.
QUEUE_ACTIONS = {"sqs:SendMessage"}
# Actions that support no resource type, so may (only) be granted on "*".
LOGS_ACTIONS = {"logs:CreateLogStream", "logs:PutLogEvents"}
XRAY_ACTIONS = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
PUBLISH_ACTIONS = {"sns:Publish"}

# Every action DESIGN.md section 3 lets a function have.  Anything else in a
# policy is a finding.
ALLOWED_ACTIONS = (set().union(*ACCESS_ACTIONS.values()) | STREAM_ACTIONS
                   | LIST_STREAMS_ACTIONS | QUEUE_ACTIONS
                   | LOGS_ACTIONS | XRAY_ACTIONS | PUBLISH_ACTIONS)
# The action sets each allowed on Resource "*", in a statement of its own.
STAR_ACTIONS = [XRAY_ACTIONS, LIST_STREAMS_ACTIONS]

ARN_HEAD = "arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}:"

STREAM_VIEW = {  # spec value -> DynamoDB StreamViewType
    "keys_only": "KEYS_ONLY",
    "new_image": "NEW_IMAGE",
    "old_image": "OLD_IMAGE",
    "new_and_old_images": "NEW_AND_OLD_IMAGES",
}


def derive_access(method, path):
    """The access a bare table name means on a route (reference section 10);
    None where nothing can be derived (HEAD, OPTIONS)."""
    if method == "GET":
        last = path.rstrip("/").rsplit("/", 1)[-1]
        return "get" if last.startswith("{") and last.endswith("}") else "query"
    return {"POST": "put", "PUT": "update", "PATCH": "update",
            "DELETE": "delete", "ANY": "crud"}.get(method)


def key_attr(text):
    """'Name' or 'Name:T' -> (name, type) with S as the default type."""
    name, _, typ = str(text).partition(":")
    return name, (typ or "S")


class Spec:
    def __init__(self, path):
        self.path = path
        self.doc = load_yaml12(path)
        d = self.doc
        self.service = d["service"]
        self.stage = d.get("stage", "dev")
        self.region = d.get("region", "us-east-1")
        self.prefix = f"{self.service}-{self.stage}"
        self.defaults = d.get("defaults") or {}
        self.tables = d.get("tables") or {}
        self.topics = {k: (v or {}) for k, v in (d.get("topics") or {}).items()}
        self.api = d.get("api") or {}
        self.fn_entries = {k: (v or {}) for k, v in (d.get("functions") or {}).items()}
        self.alarms = d.get("alarms") or {}

    # names (reference section 3)
    def physical(self, name):
        return f"{self.prefix}-{name}"

    def topic_physical(self, name):
        return self.physical(name) + (".fifo" if self.topics[name].get("fifo") else "")

    def log_group(self, fn):
        return f"/aws/lambda/{self.physical(fn)}"

    # routes and functions
    def routes(self):
        """(path, METHOD, method mapping) in file order."""
        for path, methods in (self.api.get("routes") or {}).items():
            for verb, m in (methods or {}).items():
                yield path, verb, (m or {})

    def functions(self):
        """Route functions in order of first appearance, then the other
        `functions:` entries in file order."""
        out = []
        for _, _, m in self.routes():
            if m["function"] not in out:
                out.append(m["function"])
        out += [f for f in self.fn_entries if f not in out]
        return out

    def routed(self, fn):
        return any(m["function"] == fn for _, _, m in self.routes())

    def settings(self, fn):
        """Effective settings of a function (reference section 4)."""
        own = self.fn_entries.get(fn, {})
        s = {}
        for k, dflt in DEFAULTS.items():
            s[k] = own.get(k, self.defaults.get(k, dflt))
        env = {k: _text(v) for k, v in (self.defaults.get("environment") or {}).items()}
        env.update({k: _text(v) for k, v in (own.get("environment") or {}).items()})
        s["environment"] = env
        rc = own.get("reserved_concurrency", self.defaults.get("reserved_concurrency"))
        s["reserved_concurrency"] = rc
        s["description"] = own.get("description")
        return s

    def uses(self, fn):
        """Every `uses` entry of a function as (entry, access derived from its
        route or None): route methods naming it first, then its own."""
        out = []
        for path, verb, m in self.routes():
            if m["function"] == fn:
                out += [(u, derive_access(verb, path)) for u in (m.get("uses") or [])]
        out += [(u, None) for u in (self.fn_entries.get(fn, {}).get("uses") or [])]
        return out

    def events(self, fn):
        return [e["stream"] for e in (self.fn_entries.get(fn, {}).get("events") or [])
                if "stream" in e]

    # IAM (reference section 10)
    def table_arn(self, table):
        return ARN_HEAD % "dynamodb" + f"table/{self.physical(table)}"

    def index_arn(self, table, index):
        return self.table_arn(table) + f"/index/{index}"

    @staticmethod
    def stream_arn(table_logical_id):
        """A table's stream: its latest stream ARN, known only once the stream
        exists, so written as the table's StreamArn attribute (the Fn::Sub
        form; iam/<function>.json shows it as written)."""
        return "${%s.StreamArn}" % table_logical_id

    def topic_arn(self, topic):
        return ARN_HEAD % "sns" + self.topic_physical(topic)

    def queue_arn(self, fn, table):
        """The on-failure queue of fn's stream event on `table` (reference:
        <service>-<stage>-<function>-<table>-failed)."""
        return ARN_HEAD % "sqs" + f"{self.prefix}-{fn}-{table}-failed"

    def log_arn(self, fn):
        return ARN_HEAD % "logs" + f"log-group:{self.log_group(fn)}:*"

    def expected_policy(self, fn, table_ids):
        """resource ARN (literal form) -> set of actions the spec grants.
        `table_ids` maps table names to the template's logical IDs (for the
        stream ARN)."""
        grants = {}

        def add(res, actions):
            grants.setdefault(res, set()).update(actions)

        for entry, derived in self.uses(fn):
            target, _, access = entry.partition(":")
            name, _, index = target.partition(".")
            if access == "publish":
                add(self.topic_arn(name), PUBLISH_ACTIONS)
                continue
            access = access or derived
            if access is None:
                raise ValueError(f"{fn}: no access derivable for uses entry {entry!r}")
            res = self.index_arn(name, index) if index else self.table_arn(name)
            add(res, ACCESS_ACTIONS[access])
        for res, acts in grants.items():
            if {"dynamodb:PutItem", "dynamodb:DeleteItem"} <= acts:
                acts.add(BATCH_WRITE)
        for ev in self.events(fn):
            add(self.stream_arn(table_ids.get(ev["table"], "?")), STREAM_ACTIONS)
            if ev.get("on_failure", "queue") == "queue":
                add(self.queue_arn(fn, ev["table"]), QUEUE_ACTIONS)
        if self.events(fn):
            add("*", LIST_STREAMS_ACTIONS)
        add(self.log_arn(fn), LOGS_ACTIONS)
        if self.settings(fn)["tracing"]:
            add("*", XRAY_ACTIONS)
        return grants

    def scan_resources(self, fn):
        """Resources on which the spec explicitly lists :scan for `fn`."""
        out = set()
        for entry, _ in self.uses(fn):
            target, _, access = entry.partition(":")
            if access == "scan":
                name, _, index = target.partition(".")
                out.add(self.index_arn(name, index) if index else self.table_arn(name))
        return out

    def used_tables(self, fn):
        out = []
        for entry, _ in self.uses(fn):
            name = entry.partition(":")[0].partition(".")[0]
            if name in self.tables and name not in out:
                out.append(name)
        return out

    def used_topics(self, fn):
        out = []
        for entry, _ in self.uses(fn):
            name, _, access = entry.partition(":")
            if access == "publish" and name not in out:
                out.append(name)
        return out


def _text(v):
    """An environment value as the text written (reference section 4)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "region":
        print(Spec(sys.argv[2]).region)
    else:
        sys.exit("usage: speclib.py region SPEC")
