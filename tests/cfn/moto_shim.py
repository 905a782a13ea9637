"""moto_shim.py - the few places where moto's CloudFormation (moto 5.2.5,
pinned in tests/requirements.txt) falls short of CloudFormation for svcgen's
templates, patched narrowly so the template under test is deployed exactly
as generated.  deploy_moto.py runs moto in-process (ThreadedMotoServer), so
the patches apply to the server it talks to.  Each patch checks that the
code it wraps exists and fails loudly otherwise (a moto upgrade must look at
this file again).

1. AWS::ApiGateway::Method: moto's handler reads
   Integration.IntegrationHttpMethod and Integration.Uri unconditionally
   (KeyError -> HTTP 500), but a MOCK integration (the CORS preflight OPTIONS
   methods) has neither in CloudFormation.  The patch passes None for the
   missing ones; nothing is invented for integrations that have them.

2. Outputs that refer to a resource of a type moto does not implement (e.g.
   GetAtt Api.ApiEndpoint of an AWS::ApiGatewayV2::Api): moto's output
   validation dereferences the missing model class (AttributeError) and
   DescribeStacks fails resolving them (ValidationError), both as HTTP 500.
   The patch leaves those outputs out; they are not verified (the type is on
   the not-supported list deploy_moto.py prints).  Outputs are not checked
   by deploy_moto.py anyway.

3. Properties moto's models ignore though CloudFormation applies them.  The
   patch hands them to moto's own models after the resource is created
   (the function's attributes; the table backend's UpdateTimeToLive and
   UpdateContinuousBackups code), only when the template sets them:
     AWS::Lambda::Function  Architectures, TracingConfig
     AWS::DynamoDB::Table   TimeToLiveSpecification (UpdateTimeToLive),
                            PointInTimeRecoverySpecification
                            (UpdateContinuousBackups)
   So what the deployed function or table then reports is the template's
   value after CloudFormation resolution, the same as on AWS.

4. AWS::KMS::Key: CloudFormation's tags are {Key, Value}, but moto's
   handler passes them to the KMS backend, which wants KMS's own
   {TagKey, TagValue} (KeyError -> HTTP 500); and it stores KeyPolicy as
   the template's object where KMS keeps a JSON document (DescribeKey then
   fails, TypeError -> HTTP 500).  The patch renames the two members and
   serializes the policy, as CloudFormation hands it to CreateKey.

5. Updates that change only a parameter: moto updates the resources that
   refer to a changed parameter, but finds references by `Ref` alone,
   while CloudFormation also resolves `${Param}` inside Fn::Sub.  A
   function whose S3Key is {"Fn::Sub": "${ArtifactPrefix}f.zip"} would keep
   its old code on moto when only ArtifactPrefix changes (on AWS it gets
   the new code).  The patch adds Fn::Sub's parameter names (no dot, no
   `!`) to the references; nothing else about the update changes.

6. Nested stacks whose parameters refer to a resource of a type moto does
   not implement (Ref Api of an AWS::ApiGatewayV2::Api, Ref of an
   AWS::ApiGateway::Authorizer): moto resolves the reference to nothing and
   refuses the nested stack ("Missing parameter").  The patch passes the
   string "moto-has-no-<Parameter>" instead; those values are of the types
   deploy_moto.py reports as not verified.

7. Resources a change set adds (`aws cloudformation deploy` creates a
   stack through a change set): moto creates them in template order,
   honouring Ref and GetAtt (they create what they name) but not
   DependsOn, which its CreateStack does honour.  svcgen's REST
   Deployment waits for the nested stacks holding the methods by DependsOn
   alone, and API Gateway refuses a deployment of an API without methods
   (as moto does).  The patch orders the added resources so each comes
   after what it DependsOn, as CloudFormation does; nothing else changes.

8. A stack updated through a change set keeps, on moto, the parameters it
   was created with, so deploying the same build twice after an update
   is not seen as "no changes" (moto compares the new parameters with the
   stale ones and executes an empty change set), where CloudFormation
   refuses the empty change set and `aws cloudformation deploy` fails
   unless told --no-fail-on-empty-changeset.  The patch gives the stack
   the change set's parameters once it is executed, as CloudFormation's
   stack has them.

FORWARDED lists what patch 3 forwarded per run, for the report.
"""

import json
import re

FORWARDED = []


def _need(obj, name):
    if not hasattr(obj, name):
        raise RuntimeError(f"moto_shim: {obj!r} has no {name}; moto changed, "
                           "review tests/cfn/moto_shim.py")
    return getattr(obj, name)


def _partition(region):
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def install():
    import moto.apigateway.models as apigw
    import moto.awslambda.models as awslambda
    import moto.cloudformation.parsing as parsing
    import moto.dynamodb.models as ddb_models
    from moto.dynamodb.models.table import Table

    # 1. MOCK integrations without IntegrationHttpMethod / Uri.
    method_create = _need(apigw.Method, "create_from_cloudformation_json").__func__

    def method_cfn(cls, resource_name, cloudformation_json, account_id, region_name, **kw):
        integ = cloudformation_json.get("Properties", {}).get("Integration")
        if isinstance(integ, dict):
            integ = dict(integ)
            integ.setdefault("IntegrationHttpMethod", None)
            integ.setdefault("Uri", None)
            cloudformation_json = dict(cloudformation_json)
            cloudformation_json["Properties"] = dict(cloudformation_json["Properties"],
                                                     Integration=integ)
        return method_create(cls, resource_name, cloudformation_json, account_id,
                             region_name, **kw)

    apigw.Method.create_from_cloudformation_json = classmethod(method_cfn)

    # 2. Outputs that refer to resource types moto does not implement.
    validate_outputs = _need(parsing.ResourceMap, "validate_outputs")
    parse_output = _need(parsing, "parse_output")
    model_map = _need(parsing, "get_model_map")

    def refs(value):
        """Logical ids a value refers to with Ref, GetAtt or Fn::Sub."""
        if isinstance(value, list):
            return [r for v in value for r in refs(v)]
        if not isinstance(value, dict):
            return []
        out = []
        for k, v in value.items():
            if k == "Ref" and isinstance(v, str):
                out.append(v)
            elif k == "Fn::GetAtt":
                out.append(v[0] if isinstance(v, list) else str(v).split(".")[0])
            elif k == "Fn::Sub":
                text = v[0] if isinstance(v, list) else v
                out += [m.split(".")[0] for m in re.findall(r"\$\{([^}!][^}]*)\}", str(text))]
                out += refs(v[1:]) if isinstance(v, list) else []
            else:
                out += refs(v)
        return out

    def unsupported(value, resources):
        return any((resources.get(r) or {}).get("Type") not in model_map()
                   for r in refs(value) if r in resources)

    def validate_outputs_known(self):
        saved = self._template
        resources = saved.get("Resources") or {}
        kept = {k: o for k, o in (saved.get("Outputs") or {}).items()
                if not unsupported(o, resources)}
        self._template = dict(saved, Outputs=kept)
        try:
            return validate_outputs(self)
        finally:
            self._template = saved

    def parse_output_known(output_logical_id, output_json, resources_map):
        if unsupported(output_json, resources_map._resource_json_map):
            return None
        return parse_output(output_logical_id, output_json, resources_map)

    parsing.ResourceMap.validate_outputs = validate_outputs_known
    parsing.parse_output = parse_output_known

    # 3a. Lambda: Architectures, TracingConfig.
    fn_create = _need(awslambda.LambdaFunction, "create_from_cloudformation_json").__func__

    def function_cfn(cls, resource_name, cloudformation_json, account_id, region_name, **kw):
        fn = fn_create(cls, resource_name, cloudformation_json, account_id, region_name, **kw)
        props = cloudformation_json.get("Properties", {})
        if "Architectures" in props:
            fn.architectures = props["Architectures"]
            FORWARDED.append(("AWS::Lambda::Function", resource_name, "Architectures"))
        if "TracingConfig" in props:
            fn.tracing_config = props["TracingConfig"]
            FORWARDED.append(("AWS::Lambda::Function", resource_name, "TracingConfig"))
        return fn

    awslambda.LambdaFunction.create_from_cloudformation_json = classmethod(function_cfn)

    # 3b. DynamoDB: TTL and point-in-time recovery.
    table_create = _need(Table, "create_from_cloudformation_json").__func__
    backends = _need(ddb_models, "dynamodb_backends")

    def table_cfn(cls, resource_name, cloudformation_json, account_id, region_name, **kw):
        table = table_create(cls, resource_name, cloudformation_json, account_id, region_name, **kw)
        props = cloudformation_json.get("Properties", {})
        backend = backends[account_id][region_name]
        if "TimeToLiveSpecification" in props:
            backend.update_time_to_live(table.name, props["TimeToLiveSpecification"])
            FORWARDED.append(("AWS::DynamoDB::Table", resource_name, "TimeToLiveSpecification"))
        pitr = props.get("PointInTimeRecoverySpecification")
        if pitr is not None:
            backend.update_continuous_backups(
                table.name,
                {"PointInTimeRecoveryEnabled": pitr.get("PointInTimeRecoveryEnabled") in (True, "true")})
            FORWARDED.append(("AWS::DynamoDB::Table", resource_name,
                              "PointInTimeRecoverySpecification"))
        return table

    Table.create_from_cloudformation_json = classmethod(table_cfn)

    # 4. KMS key tags in KMS's spelling.
    import moto.kms.models as kms_models
    key_create = _need(kms_models.Key, "create_from_cloudformation_json").__func__

    def key_cfn(cls, resource_name, cloudformation_json, account_id, region_name, **kw):
        props = cloudformation_json.get("Properties", {})
        tags = props.get("Tags")
        if isinstance(tags, list):
            props = dict(props, Tags=[{"TagKey": t.get("Key"), "TagValue": t.get("Value")}
                                      for t in tags])
        if isinstance(props.get("KeyPolicy"), dict):
            props = dict(props, KeyPolicy=json.dumps(props["KeyPolicy"]))
        cloudformation_json = dict(cloudformation_json, Properties=props)
        return key_create(cls, resource_name, cloudformation_json, account_id, region_name, **kw)

    kms_models.Key.create_from_cloudformation_json = classmethod(key_cfn)

    # 5. Fn::Sub's ${Param} references count as references.
    get_refs = _need(parsing, "get_references_from_template")

    def refs_with_sub(template):
        found = get_refs(template)
        stack = [template]
        while stack:
            v = stack.pop()
            if isinstance(v, dict):
                sub = v.get("Fn::Sub")
                text = sub[0] if isinstance(sub, list) and sub else sub
                if isinstance(text, str):
                    found += [m for m in re.findall(r"\$\{([^}!.][^}.]*)\}", text)
                              if m not in found]
                stack.extend(v.values())
            elif isinstance(v, list):
                stack.extend(v)
        return found

    parsing.get_references_from_template = refs_with_sub

    # 6. Nested stack parameters that moto cannot resolve.
    import moto.cloudformation.models as cfn_models
    stack_create = _need(cfn_models.Stack, "create_from_cloudformation_json").__func__

    from_s3 = _need(cfn_models, "get_stack_from_s3_url")

    def stack_cfn(cls, resource_name, cloudformation_json, account_id, region_name, **kw):
        props = cloudformation_json.get("Properties", {})
        # moto drops the parameters it resolved to nothing: fill in what
        # the nested template declares without a default.
        body = json.loads(from_s3(props["TemplateURL"], account_id=account_id,
                                  partition=_partition(region_name)))
        params = {k: v for k, v in (props.get("Parameters") or {}).items() if v is not None}
        for k, slot in (body.get("Parameters") or {}).items():
            if k not in params and "Default" not in slot:
                params[k] = f"moto-has-no-{k}"
        cloudformation_json = dict(cloudformation_json, Properties=dict(props, Parameters=params))
        return stack_create(cls, resource_name, cloudformation_json, account_id, region_name, **kw)

    cfn_models.Stack.create_from_cloudformation_json = classmethod(stack_cfn)

    # 7. A change set's additions in DependsOn order.
    resource_diff = _need(parsing.ResourceMap, "build_resource_diff")

    def resource_diff_ordered(self, other_template, *args, **kw):
        actions = resource_diff(self, other_template, *args, **kw)
        new = other_template.get("Resources") or {}
        added = list(actions.get("Add") or [])
        pending = set(added)
        ordered = []

        def visit(name, seen):
            if name not in pending or name in seen:
                return
            seen.add(name)
            deps = (new.get(name) or {}).get("DependsOn") or []
            for d in [deps] if isinstance(deps, str) else deps:
                visit(d, seen)
            if name in pending:
                pending.discard(name)
                ordered.append(name)

        for name in added:
            visit(name, set())
        actions["Add"] = ordered
        return actions

    parsing.ResourceMap.build_resource_diff = resource_diff_ordered

    # 8. A stack takes the parameters of the change set it executed.
    execute = _need(cfn_models.CloudFormationBackend, "execute_change_set")

    def execute_keeping_parameters(self, change_set_name, stack_name=None):
        execute(self, change_set_name, stack_name)
        change_set = self.change_sets.get(change_set_name) or next(
            (c for c in self.change_sets.values() if c.change_set_name == change_set_name), None)
        if change_set is not None and change_set.parameters is not None:
            self.stacks[change_set.stack_id].parameters = dict(change_set.parameters)

    cfn_models.CloudFormationBackend.execute_change_set = execute_keeping_parameters
