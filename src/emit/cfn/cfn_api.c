/*
 * cfn_api.c - CloudFormation for the API: a REST API (API Gateway v1:
 * RestApi, one Resource per path segment, Methods with AWS_PROXY
 * integrations, CORS preflights, Authorizer, Deployment, Stage) or an HTTP
 * API (API Gateway v2: Api, Integrations with payload 2.0, Routes, JWT
 * Authorizer, auto-deployed $default Stage), and the Lambda permissions
 * scoped to each method's execute-api ARN.
 */
#include <string.h>

#include "cfn_int.h"
#include "svcgen/spec.h"

#define ACCOUNT_ROLE_ID "ApiGatewayCloudWatchRole"
#define ACCOUNT_ID "ApiGatewayAccount"

/* The access log format: the plan's fields as one compact JSON object. */
static const char *log_format(cfn_ctx *c)
{
	const sg_plan_api *api = &c->plan->api;
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; i < api->access_log_field_count; i++)
		cJSON_AddStringToObject(o, api->access_log_fields[i].key,
					api->access_log_fields[i].value);
	char *text = cJSON_PrintUnformatted(o);
	const char *out = sg_arena_strdup(c->arena, text);
	cJSON_free(text);
	cJSON_Delete(o);
	return out;
}

static void emit_access_log_group(cfn_ctx *c)
{
	const sg_plan_api *api = &c->plan->api;
	cJSON *p = cfn_resource(c, api->access_log_group_logical_id, "AWS::Logs::LogGroup");
	cfn_set_policies(c, api->access_log_group_logical_id, "Delete");
	cJSON_AddStringToObject(p, "LogGroupName", api->access_log_group_name);
	cJSON_AddNumberToObject(p, "RetentionInDays", (double)api->access_log_retention);
	cfn_add_tags(c, p, "Tags");
}

/* The permission lives with its function (the function's stack). */
static void emit_permission(cfn_ctx *c, const sg_plan_method *m)
{
	cJSON *keep = c->resources;
	cfn_in_stack(c, m->function->stack);
	cJSON *p = cfn_resource(c, m->permission_logical_id, "AWS::Lambda::Permission");
	cJSON_AddStringToObject(p, "Action", "lambda:InvokeFunction");
	cJSON_AddItemToObject(p, "FunctionName", cfn_getatt(m->function->logical_id, "Arn"));
	cJSON_AddStringToObject(p, "Principal", "apigateway.amazonaws.com");
	sg_plan_arn arn = {.kind = SG_PLAN_ARN_EXECUTE_API, .method = m};
	cJSON_AddItemToObject(p, "SourceArn",
			      cfn_sub(sg_plan_arn_literal(c->arena, c->plan, &arn)));
	c->resources = keep;
}

/* ---- REST API ------------------------------------------------------------ */

static cJSON *resource_id(const sg_plan *plan, const sg_plan_node *n)
{
	if (!n->logical_id)
		return cfn_getatt(plan->api.logical_id, "RootResourceId");
	return cfn_ref(n->logical_id);
}

static const char *rest_auth_type(sg_auth a)
{
	return a == SG_AUTH_COGNITO ? "COGNITO_USER_POOLS" : a == SG_AUTH_IAM ? "AWS_IAM" : "NONE";
}

static void emit_rest_method(cfn_ctx *c, const sg_plan_method *m)
{
	const sg_plan *plan = c->plan;
	cJSON *p = cfn_resource(c, m->logical_id, "AWS::ApiGateway::Method");
	cJSON_AddItemToObject(p, "RestApiId", cfn_ref(plan->api.logical_id));
	cJSON_AddItemToObject(p, "ResourceId", resource_id(plan, m->node));
	cJSON_AddStringToObject(p, "HttpMethod", m->verb_name);
	cJSON_AddStringToObject(p, "AuthorizationType", rest_auth_type(m->auth));
	if (m->auth == SG_AUTH_COGNITO) {
		cJSON_AddItemToObject(p, "AuthorizerId", cfn_ref(plan->api.authorizer_logical_id));
		if (m->scope_count)
			cJSON_AddItemToObject(p, "AuthorizationScopes",
					      cfn_strings(m->scopes, m->scope_count));
	}
	cJSON *in = cJSON_AddObjectToObject(p, "Integration");
	cJSON_AddStringToObject(in, "Type", "AWS_PROXY");
	/* Lambda proxy integrations are always invoked with POST. */
	cJSON_AddStringToObject(in, "IntegrationHttpMethod", "POST");
	/* The function by its ARN, built from its name: it lives in another
	 * nested stack, which the path stack waits for (plan.h, sg_plan_stack). */
	cJSON_AddItemToObject(in, "Uri", cfn_sub(sg_arena_printf(c->arena,
		"arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/"
		"functions/arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:"
		"function:%s/invocations", m->function->physical_name)));
	emit_permission(c, m);
}

/*
 * A preflight answered by API Gateway itself (MOCK integration), so an
 * OPTIONS request never reaches a function nor needs authorization.  With
 * one allowed origin the header is static; with several, a mapping template
 * echoes the request's Origin when it is one of them.
 */
static void emit_preflight(cfn_ctx *c, const sg_plan_node *n)
{
	const sg_plan_api *api = &c->plan->api;
	cJSON *p = cfn_resource(c, n->preflight_logical_id, "AWS::ApiGateway::Method");
	cJSON_AddItemToObject(p, "RestApiId", cfn_ref(api->logical_id));
	cJSON_AddItemToObject(p, "ResourceId", resource_id(c->plan, n));
	cJSON_AddStringToObject(p, "HttpMethod", "OPTIONS");
	cJSON_AddStringToObject(p, "AuthorizationType", "NONE");

	cJSON *headers = cJSON_CreateObject(); /* integration response values */
	cJSON *declared = cJSON_CreateObject(); /* method response declarations */
#define HDR(name, value)                                                                  \
	do {                                                                              \
		cJSON_AddStringToObject(headers, "method.response.header." name, value);   \
		cJSON_AddBoolToObject(declared, "method.response.header." name, true);     \
	} while (0)
	bool single = api->cors_origin_count == 1;
	if (single)
		HDR("Access-Control-Allow-Origin",
		    sg_arena_printf(c->arena, "'%s'", api->cors_origins[0]));
	else
		HDR("Vary", "'Origin'");
	HDR("Access-Control-Allow-Methods", sg_arena_printf(c->arena, "'%s'", n->cors_methods));
	HDR("Access-Control-Allow-Headers",
	    sg_arena_printf(c->arena, "'%s'", api->cors_header_list));
	if (api->cors_max_age_set)
		HDR("Access-Control-Max-Age",
		    sg_arena_printf(c->arena, "'%lld'", (long long)api->cors_max_age));
	if (api->cors_credentials)
		HDR("Access-Control-Allow-Credentials", "'true'");
#undef HDR

	cJSON *in = cJSON_AddObjectToObject(p, "Integration");
	cJSON_AddStringToObject(in, "Type", "MOCK");
	cJSON *req = cJSON_AddObjectToObject(in, "RequestTemplates");
	cJSON_AddStringToObject(req, "application/json", "{\"statusCode\": 204}");
	cJSON *ir = cJSON_CreateObject();
	cJSON_AddStringToObject(ir, "StatusCode", "204");
	cJSON_AddItemToObject(ir, "ResponseParameters", headers);
	if (!single) {
		cJSON *rt = cJSON_AddObjectToObject(ir, "ResponseTemplates");
		cJSON_AddStringToObject(rt, "application/json", api->cors_origin_template);
	}
	cJSON *irs = cJSON_AddArrayToObject(in, "IntegrationResponses");
	cJSON_AddItemToArray(irs, ir);

	cJSON *mr = cJSON_CreateObject();
	cJSON_AddStringToObject(mr, "StatusCode", "204");
	if (!single)
		cJSON_AddBoolToObject(declared, "method.response.header.Access-Control-Allow-Origin", true);
	cJSON_AddItemToObject(mr, "ResponseParameters", declared);
	cJSON *mrs = cJSON_AddArrayToObject(p, "MethodResponses");
	cJSON_AddItemToArray(mrs, mr);
}

/*
 * REST access logging needs the account-level CloudWatch role of API
 * Gateway; without it the Stage fails to create.  It is one setting per
 * account and region, shared by every REST API there: deleting this stack
 * must not take it from the others (aws-cdk issue 10878), so the setting
 * and its role are retained.  The role has no fixed name, so a retained
 * one never blocks a new stack.
 */
static void emit_account_role(cfn_ctx *c)
{
	cJSON *p = cfn_resource(c, ACCOUNT_ROLE_ID, "AWS::IAM::Role");
	cfn_set_policies(c, ACCOUNT_ROLE_ID, "Retain");
	cJSON_AddItemToObject(p, "AssumeRolePolicyDocument",
			      cfn_trust_policy("apigateway.amazonaws.com"));
	cJSON *managed = cJSON_AddArrayToObject(p, "ManagedPolicyArns");
	cJSON_AddItemToArray(managed, cfn_sub("arn:${AWS::Partition}:iam::aws:policy/service-role/"
					      "AmazonAPIGatewayPushToCloudWatchLogs"));
	cfn_add_tags(c, p, "Tags");
	cJSON *a = cfn_resource(c, ACCOUNT_ID, "AWS::ApiGateway::Account");
	cfn_set_policies(c, ACCOUNT_ID, "Retain");
	cJSON_AddItemToObject(a, "CloudWatchRoleArn", cfn_getatt(ACCOUNT_ROLE_ID, "Arn"));
}

/* REST + CORS: API Gateway's own 4xx and 5xx answers carry CORS headers. */
static void emit_gateway_responses(cfn_ctx *c)
{
	const sg_plan_api *api = &c->plan->api;
	for (size_t i = 0; i < api->gateway_response_count; i++) {
		cJSON *p = cfn_resource(c, api->gateway_response_logical_ids[i],
					"AWS::ApiGateway::GatewayResponse");
		cJSON_AddItemToObject(p, "RestApiId", cfn_ref(api->logical_id));
		cJSON_AddStringToObject(p, "ResponseType", api->gateway_response_types[i]);
		cJSON *rp = cJSON_AddObjectToObject(p, "ResponseParameters");
		for (size_t k = 0; k < api->gateway_response_header_count; k++)
			cJSON_AddStringToObject(rp, api->gateway_response_headers[k].key,
						api->gateway_response_headers[k].value);
	}
}

static void emit_rest(cfn_ctx *c)
{
	const sg_plan *plan = c->plan;
	const sg_plan_api *api = &plan->api;
	cJSON *p = cfn_resource(c, api->logical_id, "AWS::ApiGateway::RestApi");
	cJSON_AddStringToObject(p, "Name", api->name);
	if (plan->description)
		cJSON_AddStringToObject(p, "Description", plan->description);
	cJSON *ep = cJSON_AddObjectToObject(p, "EndpointConfiguration");
	cJSON_AddItemToObject(ep, "Types", cfn_strings((const char *const[]){"REGIONAL"}, 1));
	cfn_add_tags(c, p, "Tags");

	if (api->authorizer_logical_id) {
		cJSON *a = cfn_resource(c, api->authorizer_logical_id, "AWS::ApiGateway::Authorizer");
		cJSON_AddStringToObject(a, "Name", "cognito");
		cJSON_AddItemToObject(a, "RestApiId", cfn_ref(api->logical_id));
		cJSON_AddStringToObject(a, "Type", "COGNITO_USER_POOLS");
		cJSON_AddStringToObject(a, "IdentitySource", "method.request.header.Authorization");
		cJSON *arns = cJSON_AddArrayToObject(a, "ProviderARNs");
		cJSON_AddItemToArray(arns, cfn_getatt(plan->cognito.user_pool_logical_id, "Arn"));
	}

	/* The Deployment waits for the methods: for the path stacks that hold them. */
	cJSON *methods = cJSON_CreateArray();
	bool *waits = sg_arena_calloc(c->arena, plan->stack_count + 1, sizeof(*waits));
	for (size_t i = 0; i < api->node_count; i++) {
		const sg_plan_node *n = &api->nodes[i];
		if (n->stack && !waits[n->stack - plan->stacks]) {
			waits[n->stack - plan->stacks] = true;
			cJSON_AddItemToArray(methods, cJSON_CreateString(n->stack->logical_id));
		}
		cfn_in_stack(c, n->stack);
		if (n->logical_id) {
			cJSON *r = cfn_resource(c, n->logical_id, "AWS::ApiGateway::Resource");
			cJSON_AddItemToObject(r, "RestApiId", cfn_ref(api->logical_id));
			cJSON_AddItemToObject(r, "ParentId", resource_id(plan, n->parent));
			cJSON_AddStringToObject(r, "PathPart", n->path_part);
		}
		for (size_t k = 0; k < n->method_count; k++)
			emit_rest_method(c, &n->methods[k]);
		if (n->cors_preflight)
			emit_preflight(c, n);
	}
	cfn_in_stack(c, NULL);

	/* Gateway responses are part of what a deployment snapshots. */
	emit_gateway_responses(c);
	for (size_t i = 0; i < api->gateway_response_count; i++)
		cJSON_AddItemToArray(methods, cJSON_CreateString(api->gateway_response_logical_ids[i]));

	/* Deployments are snapshots: the hash in the logical ID makes any
	 * change of the API definition create a new one. */
	cJSON *d = cfn_resource(c, api->deployment_logical_id, "AWS::ApiGateway::Deployment");
	cJSON_AddItemToObject(d, "RestApiId", cfn_ref(api->logical_id));
	cJSON_AddStringToObject(d, "Description",
				sg_arena_printf(c->arena, "API definition %s", api->hash_hex));
	cJSON_AddItemToObject(cfn_resource_object(c, api->deployment_logical_id), "DependsOn",
			      methods);

	if (api->account_role)
		emit_account_role(c);
	if (api->access_logs)
		emit_access_log_group(c);
	cJSON *s = cfn_resource(c, api->stage_logical_id, "AWS::ApiGateway::Stage");
	cJSON_AddItemToObject(s, "RestApiId", cfn_ref(api->logical_id));
	cJSON_AddItemToObject(s, "DeploymentId", cfn_ref(api->deployment_logical_id));
	cJSON_AddStringToObject(s, "StageName", api->stage_name);
	cJSON_AddBoolToObject(s, "TracingEnabled", api->tracing);
	cJSON *ms = cJSON_CreateObject();
	cJSON_AddStringToObject(ms, "ResourcePath", "/*");
	cJSON_AddStringToObject(ms, "HttpMethod", "*");
	cJSON_AddBoolToObject(ms, "MetricsEnabled", true);
	cJSON_AddBoolToObject(ms, "DataTraceEnabled", false);
	if (api->throttle_set) {
		cJSON_AddNumberToObject(ms, "ThrottlingRateLimit", (double)api->throttle_rate);
		cJSON_AddNumberToObject(ms, "ThrottlingBurstLimit", (double)api->throttle_burst);
	}
	cJSON_AddItemToArray(cJSON_AddArrayToObject(s, "MethodSettings"), ms);
	if (api->access_logs) {
		cJSON *al = cJSON_AddObjectToObject(s, "AccessLogSetting");
		cJSON_AddItemToObject(al, "DestinationArn",
				      cfn_getatt(api->access_log_group_logical_id, "Arn"));
		cJSON_AddStringToObject(al, "Format", log_format(c));
		if (api->account_role) {
			cJSON *dep = cJSON_CreateArray();
			cJSON_AddItemToArray(dep, cJSON_CreateString(ACCOUNT_ID));
			cJSON_AddItemToObject(cfn_resource_object(c, api->stage_logical_id),
					      "DependsOn", dep);
		}
	}
	cfn_add_tags(c, s, "Tags");
	cfn_output(c, "ApiUrl", "Base URL of the API's stage",
		   cfn_sub(sg_arena_printf(c->arena,
			"https://${%s}.execute-api.${AWS::Region}.${AWS::URLSuffix}/%s",
			api->logical_id, api->stage_name)));
}

/* ---- HTTP API ------------------------------------------------------------ */

static void emit_http(cfn_ctx *c)
{
	const sg_plan *plan = c->plan;
	const sg_plan_api *api = &plan->api;
	cJSON *p = cfn_resource(c, api->logical_id, "AWS::ApiGatewayV2::Api");
	cJSON_AddStringToObject(p, "Name", api->name);
	cJSON_AddStringToObject(p, "ProtocolType", "HTTP");
	if (plan->description)
		cJSON_AddStringToObject(p, "Description", plan->description);
	if (api->cors) {
		cJSON *cors = cJSON_AddObjectToObject(p, "CorsConfiguration");
		cJSON_AddItemToObject(cors, "AllowOrigins",
				      cfn_strings(api->cors_origins, api->cors_origin_count));
		cJSON *methods = cJSON_AddArrayToObject(cors, "AllowMethods");
		const char *m = api->cors_methods;
		while (*m) {
			size_t len = strcspn(m, ",");
			cJSON_AddItemToArray(methods,
					     cJSON_CreateString(sg_arena_strndup(c->arena, m, len)));
			m += len + (m[len] == ',');
		}
		cJSON_AddItemToObject(cors, "AllowHeaders",
				      cfn_strings(api->cors_headers, api->cors_header_count));
		if (api->cors_max_age_set)
			cJSON_AddNumberToObject(cors, "MaxAge", (double)api->cors_max_age);
		if (api->cors_credentials)
			cJSON_AddBoolToObject(cors, "AllowCredentials", true);
	}
	cfn_add_tag_map(c, p, "Tags");

	if (api->authorizer_logical_id) {
		cJSON *a = cfn_resource(c, api->authorizer_logical_id, "AWS::ApiGatewayV2::Authorizer");
		cJSON_AddItemToObject(a, "ApiId", cfn_ref(api->logical_id));
		cJSON_AddStringToObject(a, "Name", "cognito");
		cJSON_AddStringToObject(a, "AuthorizerType", "JWT");
		cJSON_AddItemToObject(a, "IdentitySource",
				      cfn_strings((const char *const[]){"$request.header.Authorization"}, 1));
		cJSON *jwt = cJSON_AddObjectToObject(a, "JwtConfiguration");
		cJSON *aud = cJSON_AddArrayToObject(jwt, "Audience");
		cJSON_AddItemToArray(aud, cfn_ref(plan->cognito.client_logical_id));
		cJSON_AddItemToObject(jwt, "Issuer", cfn_sub(sg_arena_printf(c->arena,
			"https://cognito-idp.${AWS::Region}.amazonaws.com/${%s}",
			plan->cognito.user_pool_logical_id)));
	}

	for (size_t i = 0; i < plan->function_count; i++) {
		const sg_plan_function *fn = &plan->functions[i];
		if (!fn->integration_logical_id)
			continue;
		/* Integrations and routes live with their function. */
		cfn_in_stack(c, fn->stack);
		cJSON *in = cfn_resource(c, fn->integration_logical_id, "AWS::ApiGatewayV2::Integration");
		cJSON_AddItemToObject(in, "ApiId", cfn_ref(api->logical_id));
		cJSON_AddStringToObject(in, "IntegrationType", "AWS_PROXY");
		cJSON_AddItemToObject(in, "IntegrationUri", cfn_getatt(fn->logical_id, "Arn"));
		cJSON_AddStringToObject(in, "PayloadFormatVersion", "2.0");
	}
	for (size_t i = 0; i < api->method_count; i++) {
		const sg_plan_method *m = api->methods[i];
		cfn_in_stack(c, m->function->stack);
		cJSON *r = cfn_resource(c, m->logical_id, "AWS::ApiGatewayV2::Route");
		cJSON_AddItemToObject(r, "ApiId", cfn_ref(api->logical_id));
		cJSON_AddStringToObject(r, "RouteKey", m->route_key);
		cJSON_AddItemToObject(r, "Target", cfn_sub(sg_arena_printf(c->arena,
			"integrations/${%s}", m->function->integration_logical_id)));
		cJSON_AddStringToObject(r, "AuthorizationType",
					m->auth == SG_AUTH_COGNITO ? "JWT"
					: m->auth == SG_AUTH_IAM ? "AWS_IAM" : "NONE");
		if (m->auth == SG_AUTH_COGNITO) {
			cJSON_AddItemToObject(r, "AuthorizerId", cfn_ref(api->authorizer_logical_id));
			if (m->scope_count)
				cJSON_AddItemToObject(r, "AuthorizationScopes",
						      cfn_strings(m->scopes, m->scope_count));
		}
		emit_permission(c, m);
	}
	cfn_in_stack(c, NULL);

	if (api->access_logs)
		emit_access_log_group(c);
	cJSON *s = cfn_resource(c, api->stage_logical_id, "AWS::ApiGatewayV2::Stage");
	cJSON_AddItemToObject(s, "ApiId", cfn_ref(api->logical_id));
	cJSON_AddStringToObject(s, "StageName", api->stage_name);
	cJSON_AddBoolToObject(s, "AutoDeploy", true);
	cJSON *drs = cJSON_AddObjectToObject(s, "DefaultRouteSettings");
	cJSON_AddBoolToObject(drs, "DetailedMetricsEnabled", true);
	if (api->throttle_set) {
		cJSON_AddNumberToObject(drs, "ThrottlingRateLimit", (double)api->throttle_rate);
		cJSON_AddNumberToObject(drs, "ThrottlingBurstLimit", (double)api->throttle_burst);
	}
	if (api->access_logs) {
		cJSON *al = cJSON_AddObjectToObject(s, "AccessLogSettings");
		cJSON_AddItemToObject(al, "DestinationArn",
				      cfn_getatt(api->access_log_group_logical_id, "Arn"));
		cJSON_AddStringToObject(al, "Format", log_format(c));
	}
	cfn_add_tag_map(c, s, "Tags");
	cfn_output(c, "ApiUrl", "Base URL of the API", cfn_getatt(api->logical_id, "ApiEndpoint"));
}

void cfn_emit_api(cfn_ctx *c)
{
	if (!c->plan->api.present)
		return;
	if (c->plan->api.type == SG_API_HTTP)
		emit_http(c);
	else
		emit_rest(c);
}

void cfn_emit_alarms(cfn_ctx *c)
{
	const sg_plan *plan = c->plan;
	for (size_t i = 0; i < plan->alarm_count; i++) {
		const sg_plan_alarm *a = &plan->alarms[i];
		/* A function's own alarms live with it; the rest in the root. */
		bool own = a->function && (a->kind == SG_PLAN_ALARM_FN_ERRORS ||
					   a->kind == SG_PLAN_ALARM_FN_THROTTLES ||
					   a->kind == SG_PLAN_ALARM_FN_DURATION_P99 ||
					   a->kind == SG_PLAN_ALARM_STREAM_ITERATOR_AGE);
		cfn_in_stack(c, own ? a->function->stack : NULL);
		cJSON *p = cfn_resource(c, a->logical_id, "AWS::CloudWatch::Alarm");
		cJSON_AddStringToObject(p, "AlarmName", a->name);
		if (a->description)
			cJSON_AddStringToObject(p, "AlarmDescription", a->description);
		cJSON_AddStringToObject(p, "Namespace", a->metric_namespace);
		cJSON_AddStringToObject(p, "MetricName", a->metric);
		cJSON *dims = cJSON_AddArrayToObject(p, "Dimensions");
		for (size_t k = 0; k < a->dimension_count; k++) {
			cJSON *d = cJSON_CreateObject();
			cJSON_AddStringToObject(d, "Name", a->dimensions[k].name);
			cJSON_AddItemToObject(d, "Value", cfn_value(plan, &a->dimensions[k].value));
			cJSON_AddItemToArray(dims, d);
		}
		if (a->extended_statistic)
			cJSON_AddStringToObject(p, "ExtendedStatistic", a->extended_statistic);
		else
			cJSON_AddStringToObject(p, "Statistic", a->statistic);
		cJSON_AddNumberToObject(p, "Period", (double)a->period);
		cJSON_AddNumberToObject(p, "EvaluationPeriods", (double)a->evaluation_periods);
		cJSON_AddNumberToObject(p, "Threshold", (double)a->threshold);
		cJSON_AddStringToObject(p, "ComparisonOperator", a->comparison);
		cJSON_AddStringToObject(p, "TreatMissingData", a->treat_missing_data);
		if (plan->alarm_topic) {
			cJSON *acts = cJSON_AddArrayToObject(p, "AlarmActions");
			cJSON_AddItemToArray(acts, cfn_ref(plan->alarm_topic->logical_id));
			cJSON *ok = cJSON_AddArrayToObject(p, "OKActions");
			cJSON_AddItemToArray(ok, cfn_ref(plan->alarm_topic->logical_id));
		}
		cfn_add_tags(c, p, "Tags");
	}
	cfn_in_stack(c, NULL);
}
