#!/usr/bin/env python3
"""equivalence.py - the Terraform configuration describes the same
infrastructure as the CloudFormation template (DESIGN.md section 5).

Usage: equivalence.py TFMAP.json TFDUMP OUT_DIR

TFMAP.json is tfmap_dump's output for the spec (svcgen's own table of
CloudFormation types and Terraform types, include/svcgen/tfmap.h, with the
Terraform name of every template resource); TFDUMP is tests/tf/tfdump;
OUT_DIR holds what `svcgen generate --only cfn,tf,iam` wrote.

The equivalence, precisely:

1. Types and counts.  Every template resource counts one for the primary
   Terraform type of its CloudFormation type, plus one per item of each
   companion property the table lists: an AWS::IAM::Role's Policies (one
   aws_iam_role_policy each) and ManagedPolicyArns (one
   aws_iam_role_policy_attachment each); an AWS::ApiGateway::Method's
   Integration (aws_api_gateway_integration), Integration.
   IntegrationResponses (aws_api_gateway_integration_response each) and
   MethodResponses (aws_api_gateway_method_response each); an
   AWS::ApiGateway::Stage's MethodSettings (aws_api_gateway_method_settings
   each).  The configuration's resource blocks, counted per type, must equal
   those counts exactly: no type missing, none extra.  Data sources are not
   resources and are not counted.  A template type the table does not know
   fails.
2. Addresses.  Each template resource's counterpart exists at
   <primary type>.<tf_name> (tf_name from the table), and each of its
   companions at <companion type>.<tf_name>.
3. Policies.  For every function, the statements of the template role's
   inline policy, of the configuration's aws_iam_role_policy and of
   iam/<function>.json are equal: same order, Sid, Effect, Action and
   Resource, once the Terraform spelling of ARN parts (data sources,
   aws_dynamodb_table.X.stream_arn) is read as the CloudFormation one
   (${AWS::Partition}, ${<Table>.StreamArn}).
4. Settings.  For the pairs in FIELDS, a literal CloudFormation property
   equals the Terraform argument (names, sizes, runtimes, methods,
   thresholds, the stream filter pattern as JSON, ...).  References on
   either side are not compared here (they are checked to resolve by
   schema_check.py).

Prints the per-type table and the findings; exit 1 on any finding.
"""
import collections
import json
import os
import re
import sys

from tflib import Config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cfn"))
import cfnlib  # noqa: E402

# (CloudFormation type, property path) -> Terraform argument path, compared
# when both sides are literals.  A path ending in "*keys" compares the keys
# of a map.
FIELDS = {
    "AWS::DynamoDB::Table": [("TableName", "name"), ("BillingMode", "billing_mode"),
                             ("StreamSpecification.StreamViewType", "stream_view_type"),
                             ("TimeToLiveSpecification.AttributeName", "ttl.attribute_name")],
    "AWS::SNS::Topic": [("TopicName", "name"), ("KmsMasterKeyId", "kms_master_key_id"),
                        ("DisplayName", "display_name")],
    "AWS::SNS::Subscription": [("Protocol", "protocol"), ("Endpoint", "endpoint")],
    "AWS::IAM::Role": [("RoleName", "name"), ("Description", "description")],
    "AWS::Logs::LogGroup": [("LogGroupName", "name"), ("RetentionInDays", "retention_in_days")],
    "AWS::Lambda::Function": [("FunctionName", "function_name"), ("Runtime", "runtime"),
                              ("Handler", "handler"), ("Architectures", "architectures"),
                              ("MemorySize", "memory_size"), ("Timeout", "timeout"),
                              ("Description", "description"),
                              ("ReservedConcurrentExecutions", "reserved_concurrent_executions"),
                              ("TracingConfig.Mode", "tracing_config.mode"),
                              ("LoggingConfig.LogFormat", "logging_config.log_format"),
                              ("Environment.Variables*keys", "environment.variables*keys")],
    "AWS::Lambda::EventSourceMapping": [
        ("BatchSize", "batch_size"), ("StartingPosition", "starting_position"),
        ("MaximumBatchingWindowInSeconds", "maximum_batching_window_in_seconds"),
        ("MaximumRetryAttempts", "maximum_retry_attempts"),
        ("FilterCriteria.Filters.0.Pattern*json", "filter_criteria.filter.pattern*json")],
    "AWS::Lambda::Permission": [("Action", "action"), ("Principal", "principal")],
    "AWS::Cognito::UserPool": [("UserPoolName", "name"), ("MfaConfiguration", "mfa_configuration"),
                               ("UsernameAttributes", "username_attributes"),
                               ("AliasAttributes", "alias_attributes"),
                               ("AutoVerifiedAttributes", "auto_verified_attributes"),
                               ("Policies.PasswordPolicy.MinimumLength",
                                "password_policy.minimum_length")],
    "AWS::Cognito::UserPoolClient": [("ClientName", "name"), ("GenerateSecret", "generate_secret"),
                                     ("ExplicitAuthFlows", "explicit_auth_flows"),
                                     ("AllowedOAuthFlows", "allowed_oauth_flows"),
                                     ("AllowedOAuthScopes", "allowed_oauth_scopes"),
                                     ("CallbackURLs", "callback_urls"),
                                     ("LogoutURLs", "logout_urls")],
    "AWS::Cognito::UserPoolDomain": [("Domain", "domain")],
    "AWS::ApiGateway::RestApi": [("Name", "name"), ("Description", "description"),
                                 ("EndpointConfiguration.Types", "endpoint_configuration.types")],
    "AWS::ApiGateway::Resource": [("PathPart", "path_part")],
    "AWS::ApiGateway::Method": [("HttpMethod", "http_method"),
                                ("AuthorizationType", "authorization"),
                                ("AuthorizationScopes", "authorization_scopes")],
    "AWS::ApiGateway::Stage": [("StageName", "stage_name"),
                               ("TracingEnabled", "xray_tracing_enabled")],
    "AWS::ApiGateway::Authorizer": [("Name", "name"), ("Type", "type"),
                                    ("IdentitySource", "identity_source")],
    "AWS::ApiGatewayV2::Api": [("Name", "name"), ("ProtocolType", "protocol_type"),
                               ("CorsConfiguration.AllowOrigins",
                                "cors_configuration.allow_origins"),
                               ("CorsConfiguration.AllowMethods",
                                "cors_configuration.allow_methods")],
    "AWS::ApiGatewayV2::Integration": [("IntegrationType", "integration_type"),
                                       ("PayloadFormatVersion", "payload_format_version")],
    "AWS::ApiGatewayV2::Route": [("RouteKey", "route_key"),
                                 ("AuthorizationType", "authorization_type"),
                                 ("AuthorizationScopes", "authorization_scopes")],
    "AWS::ApiGatewayV2::Stage": [("StageName", "name"), ("AutoDeploy", "auto_deploy")],
    "AWS::ApiGatewayV2::Authorizer": [("AuthorizerType", "authorizer_type"),
                                      ("IdentitySource", "identity_sources")],
    "AWS::CloudWatch::Alarm": [("AlarmName", "alarm_name"), ("Namespace", "namespace"),
                               ("MetricName", "metric_name"), ("Statistic", "statistic"),
                               ("ExtendedStatistic", "extended_statistic"),
                               ("Period", "period"), ("EvaluationPeriods", "evaluation_periods"),
                               ("Threshold", "threshold"),
                               ("ComparisonOperator", "comparison_operator"),
                               ("TreatMissingData", "treat_missing_data")],
}

MISSING = object()


def cfn_get(props, path):
    v = props
    for step in path.split("."):
        if isinstance(v, list) and step.isdigit() and int(step) < len(v):
            v = v[int(step)]
        elif isinstance(v, dict) and step in v:
            v = v[step]
        else:
            return MISSING
    return v


def tf_get(block, path):
    """An argument of a resource block, through nested blocks (first one)."""
    steps = path.split(".")
    b = block
    for step in steps[:-1]:
        nested = [x for x in b["blocks"] if x["type"] == step]
        if not nested:
            return MISSING
        b = nested[0]
    a = b["attrs"].get(steps[-1])
    if a is None or "value" not in a:
        return MISSING
    return a["value"]


def is_cfn_literal(v):
    if isinstance(v, dict):
        return False  # Ref, Fn::GetAtt, Fn::Sub
    if isinstance(v, list):
        return all(is_cfn_literal(x) for x in v)
    return True


def transform(v, mode):
    if v is MISSING:
        return v
    if mode == "keys":
        return sorted(v.keys()) if isinstance(v, dict) else MISSING
    if mode == "json":
        return json.loads(v) if isinstance(v, str) else MISSING
    return v


class Equivalence:
    def __init__(self, tfmap, config, out_dir):
        self.tfmap = tfmap
        self.config = config
        self.out_dir = out_dir
        # The root template with its nested stacks' resources, as the one
        # template they stand for; the AWS::CloudFormation::Stack resources
        # that hold them are CloudFormation's packaging, with no Terraform
        # counterpart (Terraform needs no split).
        merged, _ = cfnlib.merged_template(out_dir)
        merged["Resources"] = {k: r for k, r in merged["Resources"].items()
                               if r["Type"] != "AWS::CloudFormation::Stack"}
        self.template = merged
        self.findings = []
        self.tf_resources = config.resources()
        self.by_logical = {r["logical_id"]: r for r in tfmap["resources"]}
        self.primary = {e["cfn_type"]: e["tf_type"] for e in tfmap["entries"]
                        if e["property"] is None}
        self.companions = collections.defaultdict(list)
        for e in tfmap["entries"]:
            if e["property"] is not None:
                self.companions[e["cfn_type"]].append((e["property"], e["tf_type"]))

    def counts(self):
        """Expected Terraform counts per type, and per type the CFN types
        that produce it (for the report)."""
        want = collections.Counter()
        cfn_count = collections.Counter()
        for lid, r in self.template["Resources"].items():
            t = r["Type"]
            cfn_count[t] += 1
            if t not in self.primary:
                self.findings.append(f"{lid}: {t} has no Terraform type in the table")
                continue
            want[self.primary[t]] += 1
            props = r.get("Properties", {})
            for prop, tf_type in self.companions[t]:
                v = cfn_get(props, prop)
                if v is MISSING:
                    continue
                want[tf_type] += len(v) if isinstance(v, list) else 1
        return want, cfn_count

    def check_counts(self):
        want, cfn_count = self.counts()
        have = collections.Counter(t for t, _ in self.tf_resources)
        sources = collections.defaultdict(set)
        for t in cfn_count:
            if t in self.primary:
                sources[self.primary[t]].add(t)
            for prop, tf_type in self.companions[t]:
                sources[tf_type].add(f"{t} {prop}")
        print(f"  {'terraform type':40} {'want':>5} {'have':>5}  from")
        for tf_type in sorted(set(want) | set(have)):
            mark = "" if want[tf_type] == have[tf_type] else "   <-- differs"
            src = ", ".join(sorted(sources.get(tf_type, ()))) or "(nothing in the template)"
            print(f"  {tf_type:40} {want[tf_type]:5} {have[tf_type]:5}  {src}{mark}")
            if want[tf_type] != have[tf_type]:
                self.findings.append(f"{tf_type}: the template implies {want[tf_type]}, "
                                     f"the configuration has {have[tf_type]}")
        print(f"  template: {sum(cfn_count.values())} resources of {len(cfn_count)} types; "
              f"configuration: {sum(have.values())} resources of {len(have)} types")

    def counterpart(self, lid):
        m = self.by_logical.get(lid)
        if not m:
            return None, None
        return m["tf_name"], self.tf_resources.get((m["tf_type"], m["tf_name"]))

    def check_addresses(self):
        for lid, r in self.template["Resources"].items():
            m = self.by_logical.get(lid)
            if not m:
                self.findings.append(f"{lid}: not in svcgen's tfmap resource list")
                continue
            if m["cfn_type"] != r["Type"]:
                self.findings.append(f"{lid}: tfmap says {m['cfn_type']}, template {r['Type']}")
            addr = (m["tf_type"], m["tf_name"])
            if addr not in self.tf_resources:
                self.findings.append(f"{lid}: no {addr[0]}.{addr[1]} in the configuration")
            for prop, tf_type in self.companions[r["Type"]]:
                if cfn_get(r.get("Properties", {}), prop) is MISSING:
                    continue
                if (tf_type, m["tf_name"]) not in self.tf_resources:
                    self.findings.append(f"{lid}.{prop}: no {tf_type}.{m['tf_name']}")

    def tf_to_cfn(self, s):
        """Read the Terraform spelling of ARN parts as the CloudFormation one."""
        s = s.replace("${data.aws_partition.current.partition}", "${AWS::Partition}")
        s = s.replace("${data.aws_region.current.region}", "${AWS::Region}")
        s = s.replace("${data.aws_caller_identity.current.account_id}", "${AWS::AccountId}")

        def stream(m):
            for r in self.tfmap["resources"]:
                if r["tf_type"] == "aws_dynamodb_table" and r["tf_name"] == m.group(1):
                    return "${" + r["logical_id"] + ".StreamArn}"
            return m.group(0)
        return re.sub(r"\$\{aws_dynamodb_table\.([A-Za-z0-9_-]+)\.stream_arn\}", stream, s)

    def check_policies(self):
        n = 0
        for lid, r in self.template["Resources"].items():
            if r["Type"] != "AWS::IAM::Role":
                continue
            props = r.get("Properties", {})
            for pol in props.get("Policies", []):
                n += 1
                cfn = [dict(st, Resource=st["Resource"]["Fn::Sub"])
                       if isinstance(st.get("Resource"), dict) else st
                       for st in pol["PolicyDocument"]["Statement"]]
                name, _ = self.counterpart(lid)
                tfp = self.tf_resources.get(("aws_iam_role_policy", name))
                if not tfp:
                    self.findings.append(f"{lid}: no aws_iam_role_policy.{name}")
                    continue
                if tfp["attrs"]["name"].get("value") != pol["PolicyName"]:
                    self.findings.append(f"aws_iam_role_policy.{name}: name differs from "
                                         f"{pol['PolicyName']!r}")
                role_ref = tfp["attrs"]["role"]["refs"]
                if role_ref != [f"aws_iam_role.{name}.id"]:
                    self.findings.append(f"aws_iam_role_policy.{name}: role is {role_ref}")
                doc = json.loads(tfp["attrs"]["policy"]["value"])
                tf = json.loads(self.tf_to_cfn(json.dumps(doc["Statement"])))
                if tf != cfn:
                    self.findings.append(f"aws_iam_role_policy.{name}: statements differ from "
                                         f"{lid}'s:\n    tf:  {json.dumps(tf)}\n"
                                         f"    cfn: {json.dumps(cfn)}")
                path = os.path.join(self.out_dir, "iam", f"{name}.json")
                try:
                    with open(path, encoding="utf-8") as f:
                        iam = json.load(f)["Statement"]
                except OSError as e:
                    self.findings.append(f"{lid}: {e}")
                    continue
                if iam != cfn:
                    self.findings.append(f"iam/{name}.json: statements differ from {lid}'s")
        print(f"  policies: {n} compared three ways (template, configuration, iam/)")

    def check_fields(self):
        n = 0
        for lid, r in self.template["Resources"].items():
            name, block = self.counterpart(lid)
            if not block:
                continue
            props = r.get("Properties", {})
            for cpath, tpath in FIELDS.get(r["Type"], []):
                cpath, _, cmode = cpath.partition("*")
                tpath, _, tmode = tpath.partition("*")
                c = transform(cfn_get(props, cpath), cmode)
                if c is not MISSING and not is_cfn_literal(c):
                    continue
                t = tf_get(block, tpath)
                if isinstance(t, str) and "${" in t:
                    continue  # a reference: resolved by schema_check.py
                t = transform(t, tmode)
                n += 1
                if c != t:
                    self.findings.append(
                        f"{lid}.{cpath} = {json.dumps(None if c is MISSING else c)} but "
                        f"{block['labels'][0]}.{name}.{tpath} = "
                        f"{json.dumps(None if t is MISSING else t)}")
        print(f"  settings: {n} compared")

    def run(self):
        if self.config.errors:
            self.findings.extend(self.config.errors)
            return
        self.check_counts()
        self.check_addresses()
        self.check_policies()
        self.check_fields()


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        tfmap = json.load(f)
    out_dir = sys.argv[3]
    config = Config(sys.argv[2], os.path.join(out_dir, "terraform"))
    e = Equivalence(tfmap, config, out_dir)
    e.run()
    for f in e.findings:
        print(f"  {f}")
    print(f"  {len(e.findings)} findings")
    return 1 if e.findings else 0


if __name__ == "__main__":
    sys.exit(main())
