/*
 * tf_api.c - Terraform for the API and the Lambda permissions behind it.
 *
 * REST (API Gateway v1): aws_api_gateway_rest_api, one
 * aws_api_gateway_resource per path segment, per method an
 * aws_api_gateway_method and its AWS_PROXY aws_api_gateway_integration,
 * CORS preflights answered by MOCK integrations (method, integration,
 * method_response, integration_response), the Cognito authorizer, a
 * deployment re-created whenever the API definition changes, the stage
 * with its method settings, and for access logs the account-level
 * CloudWatch role (aws_api_gateway_account).
 * HTTP (API Gateway v2): aws_apigatewayv2_api with its CORS configuration,
 * one payload-2.0 integration per function, routes, the JWT authorizer and
 * the auto-deployed $default stage.
 * Both: aws_lambda_permission per method, scoped to its execute-api ARN.
 *
 * Mirrors src/emit/cfn/cfn_api.c.  Where CloudFormation nests (a Method's
 * Integration, IntegrationResponses and MethodResponses, a Stage's
 * MethodSettings, a Role's ManagedPolicyArns) the AWS provider has separate
 * resources; tests/tf/equivalence.py counts them that way.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "tf_int.h"
#include "svcgen/spec.h"

/* The access log format: the plan's fields, jsonencode'd. */
static sg_hcl_expr *log_format(tf_ctx *c)
{
	const sg_plan_api *api = &c->plan->api;
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; i < api->access_log_field_count; i++)
		cJSON_AddStringToObject(o, api->access_log_fields[i].key,
					api->access_log_fields[i].value);
	sg_hcl_expr *e = tf_jsonencode(c, o);
	cJSON_Delete(o);
	return e;
}

/* A growing list of traversals (depends_on lists). */
typedef struct trav_list {
	const char **items;
	size_t n, cap;
} trav_list;

static void trav_push(tf_ctx *c, trav_list *l, const char *t)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		l->items = sg_arena_grow(c->arena, l->items, l->cap, cap, sizeof(*l->items));
		l->cap = cap;
	}
	l->items[l->n++] = t;
}

static void emit_access_log_group(tf_ctx *c)
{
	const sg_plan_api *api = &c->plan->api;
	sg_hcl_body *r = tf_resource(c, TF_API, "aws_cloudwatch_log_group",
				     api->access_log_group_tf_name);
	sg_hcl_attr_str(r, "name", api->access_log_group_name);
	sg_hcl_attr_int(r, "retention_in_days", api->access_log_retention);
}

static void emit_permission(tf_ctx *c, const sg_plan_method *m, const char *api_type)
{
	sg_hcl_body *r = tf_resource(c, TF_API, "aws_lambda_permission", m->tf_name);
	sg_hcl_attr_str(r, "action", "lambda:InvokeFunction");
	sg_hcl_attr(r, "function_name",
		    tf_ref(c, "aws_lambda_function.%s.function_name", m->function->tf_name));
	sg_hcl_attr_str(r, "principal", "apigateway.amazonaws.com");
	/* execution_arn is "arn:P:execute-api:R:A:<api-id>", the part of the
	 * execute-api ARN before the plan's suffix. */
	sg_hcl_attr(r, "source_arn",
		    tf_tmpl(c, sg_arena_printf(c->arena, "${%s.%s.execution_arn}/%s", api_type,
					       c->plan->api.tf_name, m->source_arn_suffix)));
}

/* ---- REST API ---------------------------------------------------------------- */

#define REST_API "aws_api_gateway_rest_api"

static sg_hcl_expr *rest_api_id(tf_ctx *c)
{
	return tf_ref(c, REST_API ".%s.id", c->plan->api.tf_name);
}

static sg_hcl_expr *resource_id(tf_ctx *c, const sg_plan_node *n)
{
	if (!n->logical_id)
		return tf_ref(c, REST_API ".%s.root_resource_id", c->plan->api.tf_name);
	return tf_ref(c, "aws_api_gateway_resource.%s.id", n->tf_name);
}

static const char *rest_auth_type(sg_auth a)
{
	return a == SG_AUTH_COGNITO ? "COGNITO_USER_POOLS" : a == SG_AUTH_IAM ? "AWS_IAM" : "NONE";
}

static void emit_rest_method(tf_ctx *c, const sg_plan_method *m, trav_list *deps)
{
	sg_hcl_body *r = tf_resource(c, TF_API, "aws_api_gateway_method", m->tf_name);
	sg_hcl_attr(r, "rest_api_id", rest_api_id(c));
	sg_hcl_attr(r, "resource_id", resource_id(c, m->node));
	sg_hcl_attr_str(r, "http_method", m->verb_name);
	sg_hcl_attr_str(r, "authorization", rest_auth_type(m->auth));
	if (m->auth == SG_AUTH_COGNITO) {
		sg_hcl_attr(r, "authorizer_id", tf_ref(c, "aws_api_gateway_authorizer.cognito.id"));
		if (m->scope_count)
			sg_hcl_attr(r, "authorization_scopes", tf_strs(c, m->scopes, m->scope_count));
	}

	sg_hcl_body *in = tf_resource(c, TF_API, "aws_api_gateway_integration", m->tf_name);
	sg_hcl_attr(in, "rest_api_id", rest_api_id(c));
	sg_hcl_attr(in, "resource_id", resource_id(c, m->node));
	sg_hcl_attr(in, "http_method", tf_ref(c, "aws_api_gateway_method.%s.http_method", m->tf_name));
	sg_hcl_attr_str(in, "type", "AWS_PROXY");
	/* Lambda proxy integrations are always invoked with POST. */
	sg_hcl_attr_str(in, "integration_http_method", "POST");
	/* invoke_arn is the apigateway:lambda:path/2015-03-31/functions/<arn>/
	 * invocations URI of the CloudFormation template. */
	sg_hcl_attr(in, "uri", tf_ref(c, "aws_lambda_function.%s.invoke_arn", m->function->tf_name));
	trav_push(c, deps, sg_arena_printf(c->arena, "aws_api_gateway_integration.%s", m->tf_name));
	emit_permission(c, m, REST_API);
}

/*
 * A preflight answered by API Gateway itself (MOCK integration), so an
 * OPTIONS request never reaches a function nor needs authorization.  With
 * one allowed origin the header is static; with several, a mapping template
 * echoes the request's Origin when it is one of them.
 */
static void emit_preflight(tf_ctx *c, const sg_plan_node *n, trav_list *deps)
{
	const sg_plan_api *api = &c->plan->api;
	const char *name = n->preflight_tf_name;
	sg_hcl_body *r = tf_resource(c, TF_API, "aws_api_gateway_method", name);
	sg_hcl_attr(r, "rest_api_id", rest_api_id(c));
	sg_hcl_attr(r, "resource_id", resource_id(c, n));
	sg_hcl_attr_str(r, "http_method", "OPTIONS");
	sg_hcl_attr_str(r, "authorization", "NONE");

	sg_hcl_expr *values = sg_hcl_object(c->arena);   /* integration response */
	sg_hcl_expr *declared = sg_hcl_object(c->arena); /* method response */
	bool single = api->cors_origin_count == 1;
#define HDR(hname, value)                                                                 \
	do {                                                                              \
		sg_hcl_object_put(values, "method.response.header." hname,                 \
				  sg_hcl_str(c->arena, value));                             \
		sg_hcl_object_put(declared, "method.response.header." hname,               \
				  sg_hcl_bool(c->arena, true));                             \
	} while (0)
	if (single)
		HDR("Access-Control-Allow-Origin",
		    sg_arena_printf(c->arena, "'%s'", api->cors_origins[0]));
	else
		HDR("Vary", "'Origin'");
	HDR("Access-Control-Allow-Methods", sg_arena_printf(c->arena, "'%s'", n->cors_methods));
	HDR("Access-Control-Allow-Headers",
	    sg_arena_printf(c->arena, "'%s'",
			    api->cors_header_list));
	if (api->cors_max_age_set)
		HDR("Access-Control-Max-Age",
		    sg_arena_printf(c->arena, "'%lld'", (long long)api->cors_max_age));
	if (api->cors_credentials)
		HDR("Access-Control-Allow-Credentials", "'true'");
#undef HDR
	if (!single)
		sg_hcl_object_put(declared, "method.response.header.Access-Control-Allow-Origin",
				  sg_hcl_bool(c->arena, true));

	sg_hcl_body *mr = tf_resource(c, TF_API, "aws_api_gateway_method_response", name);
	sg_hcl_attr(mr, "rest_api_id", rest_api_id(c));
	sg_hcl_attr(mr, "resource_id", resource_id(c, n));
	sg_hcl_attr(mr, "http_method", tf_ref(c, "aws_api_gateway_method.%s.http_method", name));
	sg_hcl_attr_str(mr, "status_code", "204");
	sg_hcl_attr(mr, "response_parameters", declared);

	sg_hcl_body *in = tf_resource(c, TF_API, "aws_api_gateway_integration", name);
	sg_hcl_attr(in, "rest_api_id", rest_api_id(c));
	sg_hcl_attr(in, "resource_id", resource_id(c, n));
	sg_hcl_attr(in, "http_method", tf_ref(c, "aws_api_gateway_method.%s.http_method", name));
	sg_hcl_attr_str(in, "type", "MOCK");
	sg_hcl_expr *req = sg_hcl_object(c->arena);
	sg_hcl_object_put(req, "application/json", sg_hcl_str(c->arena, "{\"statusCode\": 204}"));
	sg_hcl_attr(in, "request_templates", req);

	sg_hcl_body *ir = tf_resource(c, TF_API, "aws_api_gateway_integration_response", name);
	sg_hcl_attr(ir, "rest_api_id", rest_api_id(c));
	sg_hcl_attr(ir, "resource_id", resource_id(c, n));
	sg_hcl_attr(ir, "http_method", tf_ref(c, "aws_api_gateway_method.%s.http_method", name));
	sg_hcl_attr(ir, "status_code",
		    tf_ref(c, "aws_api_gateway_method_response.%s.status_code", name));
	sg_hcl_attr(ir, "response_parameters", values);
	if (!single) {
		sg_hcl_expr *rt = sg_hcl_object(c->arena);
		sg_hcl_object_put(rt, "application/json",
				  sg_hcl_str(c->arena, api->cors_origin_template));
		sg_hcl_attr(ir, "response_templates", rt);
	}
	/* The response belongs to the integration: created after it. */
	const char *dep = sg_arena_printf(c->arena, "aws_api_gateway_integration.%s", name);
	tf_depends_on(c, ir, &dep, 1);

	trav_push(c, deps, dep);
	trav_push(c, deps, sg_arena_printf(c->arena, "aws_api_gateway_integration_response.%s", name));
}

/*
 * REST access logging needs the account-level CloudWatch role of API
 * Gateway; without it the stage fails to create.  It is one setting per
 * account and region, shared by every REST API there, so no destroy of
 * this configuration may take it from the others: the role is
 * prevent_destroy (as the template retains it), and destroying
 * aws_api_gateway_account leaves the setting as it is (the provider's
 * reset_on_delete defaults to false).  Returns the aws_api_gateway_account's
 * name.
 */
static const char *emit_account_role(tf_ctx *c)
{
	/* Function roles are named after functions; keep clear of them. */
	const char *name = "api_gateway_cloudwatch";
	for (unsigned k = 2;; k++) {
		bool taken = false;
		for (size_t i = 0; i < c->plan->function_count && !taken; i++)
			taken = !strcmp(c->plan->functions[i].tf_name, name);
		if (!taken)
			break;
		name = sg_arena_printf(c->arena, "api_gateway_cloudwatch_%u", k);
	}
	sg_hcl_body *r = tf_resource(c, TF_API, "aws_iam_role", name);
	sg_hcl_attr(r, "assume_role_policy", tf_trust_policy(c, "apigateway.amazonaws.com"));
	tf_lifecycle(r, "prevent_destroy");

	sg_hcl_body *a = tf_resource(c, TF_API, "aws_iam_role_policy_attachment", name);
	sg_hcl_attr(a, "role", tf_ref(c, "aws_iam_role.%s.name", name));
	sg_hcl_attr(a, "policy_arn", tf_tmpl(c, "arn:${" TF_PARTITION "}:iam::aws:policy/"
					       "service-role/AmazonAPIGatewayPushToCloudWatchLogs"));

	sg_hcl_body *acct = tf_resource(c, TF_API, "aws_api_gateway_account", "main");
	sg_hcl_attr(acct, "cloudwatch_role_arn", tf_ref(c, "aws_iam_role.%s.arn", name));
	/* API Gateway checks the role's permissions when it is set. */
	const char *dep = sg_arena_printf(c->arena, "aws_iam_role_policy_attachment.%s", name);
	tf_depends_on(c, acct, &dep, 1);
	return "main";
}

static void emit_rest(tf_ctx *c)
{
	const sg_plan *plan = c->plan;
	const sg_plan_api *api = &plan->api;
	const char *tn = api->tf_name;
	sg_hcl_body *r = tf_resource(c, TF_API, REST_API, tn);
	sg_hcl_attr_str(r, "name", api->name);
	if (plan->description)
		sg_hcl_attr_str(r, "description", plan->description);
	static const char *const regional[] = {"REGIONAL"};
	sg_hcl_attr(tf_block(r, "endpoint_configuration"), "types", tf_strs(c, regional, 1));

	if (api->authorizer_logical_id) {
		sg_hcl_body *a = tf_resource(c, TF_API, "aws_api_gateway_authorizer", "cognito");
		sg_hcl_attr_str(a, "name", "cognito");
		sg_hcl_attr(a, "rest_api_id", rest_api_id(c));
		sg_hcl_attr_str(a, "type", "COGNITO_USER_POOLS");
		sg_hcl_attr_str(a, "identity_source", "method.request.header.Authorization");
		sg_hcl_expr *arns = sg_hcl_tuple(c->arena, NULL, 0);
		sg_hcl_tuple_push(arns, tf_ref(c, "aws_cognito_user_pool.%s.arn",
					       plan->cognito.tf_name));
		sg_hcl_attr(a, "provider_arns", arns);
	}

	trav_list deps = {0};
	for (size_t i = 0; i < api->node_count; i++) {
		const sg_plan_node *n = &api->nodes[i];
		if (n->logical_id) {
			sg_hcl_body *res = tf_resource(c, TF_API, "aws_api_gateway_resource", n->tf_name);
			sg_hcl_attr(res, "rest_api_id", rest_api_id(c));
			sg_hcl_attr(res, "parent_id", resource_id(c, n->parent));
			sg_hcl_attr_str(res, "path_part", n->path_part);
		}
		for (size_t k = 0; k < n->method_count; k++)
			emit_rest_method(c, &n->methods[k], &deps);
		if (n->cors_preflight)
			emit_preflight(c, n, &deps);
	}

	/* REST + CORS: API Gateway's own 4xx and 5xx answers carry CORS
	 * headers; they are part of what a deployment snapshots. */
	for (size_t i = 0; i < api->gateway_response_count; i++) {
		const char *gname = api->gateway_response_tf_names[i];
		sg_hcl_body *g = tf_resource(c, TF_API, "aws_api_gateway_gateway_response", gname);
		sg_hcl_attr(g, "rest_api_id", rest_api_id(c));
		sg_hcl_attr_str(g, "response_type", api->gateway_response_types[i]);
		sg_hcl_expr *rp = sg_hcl_object(c->arena);
		for (size_t k = 0; k < api->gateway_response_header_count; k++)
			sg_hcl_object_put(rp, api->gateway_response_headers[k].key,
					  sg_hcl_str(c->arena, api->gateway_response_headers[k].value));
		sg_hcl_attr(g, "response_parameters", rp);
		trav_push(c, &deps, sg_arena_printf(c->arena, "aws_api_gateway_gateway_response.%s",
						     gname));
	}

	/* Deployments are snapshots: a new hash of the API definition makes a
	 * new one, created before the old one goes so the stage never points
	 * at nothing. */
	sg_hcl_body *d = tf_resource(c, TF_API, "aws_api_gateway_deployment", tn);
	sg_hcl_attr(d, "rest_api_id", rest_api_id(c));
	sg_hcl_attr_str(d, "description",
			sg_arena_printf(c->arena, "API definition %s", api->hash_hex));
	sg_hcl_expr *trig = sg_hcl_object(c->arena);
	sg_hcl_object_put(trig, "api_definition", sg_hcl_str(c->arena, api->hash_hex));
	sg_hcl_blank(d);
	sg_hcl_attr(d, "triggers", trig);
	tf_lifecycle(d, "create_before_destroy");
	tf_depends_on(c, d, deps.items, deps.n);

	const char *account = NULL;
	if (api->account_role)
		account = emit_account_role(c);
	if (api->access_logs)
		emit_access_log_group(c);
	sg_hcl_body *s = tf_resource(c, TF_API, "aws_api_gateway_stage", tn);
	sg_hcl_attr(s, "rest_api_id", rest_api_id(c));
	sg_hcl_attr(s, "deployment_id", tf_ref(c, "aws_api_gateway_deployment.%s.id", tn));
	sg_hcl_attr_str(s, "stage_name", api->stage_name);
	sg_hcl_attr_bool(s, "xray_tracing_enabled", plan->api.tracing);
	if (api->access_logs) {
		sg_hcl_body *al = tf_block(s, "access_log_settings");
		sg_hcl_attr(al, "destination_arn",
			    tf_ref(c, "aws_cloudwatch_log_group.%s.arn", api->access_log_group_tf_name));
		sg_hcl_attr(al, "format", log_format(c));
		if (account) {
			const char *dep = sg_arena_printf(c->arena, "aws_api_gateway_account.%s", account);
			tf_depends_on(c, s, &dep, 1);
		}
	}

	/* The Stage's MethodSettings of the template: every method, metrics on. */
	sg_hcl_body *ms = tf_resource(c, TF_API, "aws_api_gateway_method_settings", tn);
	sg_hcl_attr(ms, "rest_api_id", rest_api_id(c));
	sg_hcl_attr(ms, "stage_name", tf_ref(c, "aws_api_gateway_stage.%s.stage_name", tn));
	sg_hcl_attr_str(ms, "method_path", "*/*");
	sg_hcl_body *set = tf_block(ms, "settings");
	sg_hcl_attr_bool(set, "metrics_enabled", true);
	sg_hcl_attr_bool(set, "data_trace_enabled", false);
	if (api->throttle_set) {
		sg_hcl_attr_int(set, "throttling_rate_limit", api->throttle_rate);
		sg_hcl_attr_int(set, "throttling_burst_limit", api->throttle_burst);
	}

	tf_output(c, "api_url", "Base URL of the API's stage",
		  tf_ref(c, "aws_api_gateway_stage.%s.invoke_url", tn));
}

/* ---- HTTP API ---------------------------------------------------------------- */

#define HTTP_API "aws_apigatewayv2_api"

static sg_hcl_expr *http_api_id(tf_ctx *c)
{
	return tf_ref(c, HTTP_API ".%s.id", c->plan->api.tf_name);
}

static void emit_http(tf_ctx *c)
{
	const sg_plan *plan = c->plan;
	const sg_plan_api *api = &plan->api;
	const char *tn = api->tf_name;
	sg_hcl_body *r = tf_resource(c, TF_API, HTTP_API, tn);
	sg_hcl_attr_str(r, "name", api->name);
	sg_hcl_attr_str(r, "protocol_type", "HTTP");
	if (plan->description)
		sg_hcl_attr_str(r, "description", plan->description);
	if (api->cors) {
		sg_hcl_body *cors = tf_block(r, "cors_configuration");
		sg_hcl_attr(cors, "allow_origins", tf_strs(c, api->cors_origins, api->cors_origin_count));
		sg_hcl_expr *methods = sg_hcl_tuple(c->arena, NULL, 0);
		const char *m = api->cors_methods;
		while (*m) {
			size_t len = strcspn(m, ",");
			sg_hcl_tuple_push(methods, sg_hcl_str(c->arena, sg_arena_strndup(c->arena, m, len)));
			m += len + (m[len] == ',');
		}
		sg_hcl_attr(cors, "allow_methods", methods);
		sg_hcl_attr(cors, "allow_headers", tf_strs(c, api->cors_headers, api->cors_header_count));
		if (api->cors_max_age_set)
			sg_hcl_attr_int(cors, "max_age", api->cors_max_age);
		if (api->cors_credentials)
			sg_hcl_attr_bool(cors, "allow_credentials", true);
	}

	if (api->authorizer_logical_id) {
		sg_hcl_body *a = tf_resource(c, TF_API, "aws_apigatewayv2_authorizer", "cognito");
		sg_hcl_attr(a, "api_id", http_api_id(c));
		sg_hcl_attr_str(a, "name", "cognito");
		sg_hcl_attr_str(a, "authorizer_type", "JWT");
		static const char *const src[] = {"$request.header.Authorization"};
		sg_hcl_attr(a, "identity_sources", tf_strs(c, src, 1));
		sg_hcl_body *jwt = tf_block(a, "jwt_configuration");
		sg_hcl_expr *aud = sg_hcl_tuple(c->arena, NULL, 0);
		sg_hcl_tuple_push(aud, tf_ref(c, "aws_cognito_user_pool_client.%s.id",
					      plan->cognito.tf_name));
		sg_hcl_attr(jwt, "audience", aud);
		sg_hcl_attr(jwt, "issuer", tf_tmpl(c, sg_arena_printf(c->arena,
			"https://cognito-idp.${" TF_REGION "}.amazonaws.com/"
			"${aws_cognito_user_pool.%s.id}", plan->cognito.tf_name)));
	}

	for (size_t i = 0; i < plan->function_count; i++) {
		const sg_plan_function *fn = &plan->functions[i];
		if (!fn->integration_logical_id)
			continue;
		sg_hcl_body *in = tf_resource(c, TF_API, "aws_apigatewayv2_integration", fn->tf_name);
		sg_hcl_attr(in, "api_id", http_api_id(c));
		sg_hcl_attr_str(in, "integration_type", "AWS_PROXY");
		sg_hcl_attr(in, "integration_uri", tf_ref(c, "aws_lambda_function.%s.arn", fn->tf_name));
		sg_hcl_attr_str(in, "payload_format_version", "2.0");
	}
	for (size_t i = 0; i < api->method_count; i++) {
		const sg_plan_method *m = api->methods[i];
		sg_hcl_body *rt = tf_resource(c, TF_API, "aws_apigatewayv2_route", m->tf_name);
		sg_hcl_attr(rt, "api_id", http_api_id(c));
		sg_hcl_attr_str(rt, "route_key", m->route_key);
		sg_hcl_attr(rt, "target", tf_tmpl(c, sg_arena_printf(c->arena,
			"integrations/${aws_apigatewayv2_integration.%s.id}", m->function->tf_name)));
		sg_hcl_attr_str(rt, "authorization_type",
				m->auth == SG_AUTH_COGNITO ? "JWT"
				: m->auth == SG_AUTH_IAM   ? "AWS_IAM"
							   : "NONE");
		if (m->auth == SG_AUTH_COGNITO) {
			sg_hcl_attr(rt, "authorizer_id", tf_ref(c, "aws_apigatewayv2_authorizer.cognito.id"));
			if (m->scope_count)
				sg_hcl_attr(rt, "authorization_scopes", tf_strs(c, m->scopes, m->scope_count));
		}
		emit_permission(c, m, HTTP_API);
	}

	if (api->access_logs)
		emit_access_log_group(c);
	sg_hcl_body *s = tf_resource(c, TF_API, "aws_apigatewayv2_stage", tn);
	sg_hcl_attr(s, "api_id", http_api_id(c));
	sg_hcl_attr_str(s, "name", api->stage_name);
	sg_hcl_attr_bool(s, "auto_deploy", true);
	sg_hcl_body *drs = tf_block(s, "default_route_settings");
	sg_hcl_attr_bool(drs, "detailed_metrics_enabled", true);
	if (api->throttle_set) {
		sg_hcl_attr_int(drs, "throttling_rate_limit", api->throttle_rate);
		sg_hcl_attr_int(drs, "throttling_burst_limit", api->throttle_burst);
	}
	if (api->access_logs) {
		sg_hcl_body *al = tf_block(s, "access_log_settings");
		sg_hcl_attr(al, "destination_arn",
			    tf_ref(c, "aws_cloudwatch_log_group.%s.arn", api->access_log_group_tf_name));
		sg_hcl_attr(al, "format", log_format(c));
	}
	tf_output(c, "api_url", "Base URL of the API", tf_ref(c, HTTP_API ".%s.api_endpoint", tn));
}

void tf_emit_api(tf_ctx *c)
{
	if (!c->plan->api.present)
		return;
	if (c->plan->api.type == SG_API_HTTP)
		emit_http(c);
	else
		emit_rest(c);
}
