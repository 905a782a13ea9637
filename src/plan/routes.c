/*
 * routes.c - the API's route tree (see plan.h, sg_plan_api).
 *
 * API Gateway REST APIs model paths as a tree of resources, one per path
 * segment, each created with its parent's id; the root "/" exists with the
 * RestApi.  So "/users/{username}" needs two AWS::ApiGateway::Resource
 * objects, and "/users" must exist even if it has no method.  HTTP APIs only
 * need route keys ("GET /users/{username}"), but both come from the same
 * tree so the two API types cannot differ in what they route.
 *
 * Nodes are created in spec order (a parent always before its children);
 * the nodes array is sized up front so node pointers never move.
 */
#include "plan_int.h"

#include <stdio.h>
#include <string.h>

#include "svcgen/buf.h"

static const char *const verb_names[] = {
	[SG_METHOD_GET] = "GET", [SG_METHOD_POST] = "POST", [SG_METHOD_PUT] = "PUT",
	[SG_METHOD_PATCH] = "PATCH", [SG_METHOD_DELETE] = "DELETE",
	[SG_METHOD_HEAD] = "HEAD", [SG_METHOD_OPTIONS] = "OPTIONS", [SG_METHOD_ANY] = "ANY",
};

/* Verbs in byte order, for Access-Control-Allow-Methods; ANY stands for all. */
static const sg_method_verb sorted_verbs[] = {
	SG_METHOD_DELETE, SG_METHOD_GET, SG_METHOD_HEAD, SG_METHOD_OPTIONS,
	SG_METHOD_PATCH, SG_METHOD_POST, SG_METHOD_PUT,
};

static const char *verb_name(int v)
{
	if (v < 0 || v > SG_METHOD_ANY)
		return "ANY";
	return verb_names[v];
}

/* ---- paths ------------------------------------------------------------------- */

/* Next non-empty segment of `*p` ("/a//b/" gives "a", "b"); length in *len. */
static const char *next_segment(const char **p, size_t *len)
{
	const char *s = *p;
	while (*s == '/')
		s++;
	if (!*s)
		return NULL;
	const char *e = s;
	while (*e && *e != '/')
		e++;
	*len = (size_t)(e - s);
	*p = e;
	return s;
}

static bool last_segment_is_param(const char *path)
{
	const char *p = path, *seg, *last = NULL;
	size_t len, last_len = 0;
	while ((seg = next_segment(&p, &len))) {
		last = seg;
		last_len = len;
	}
	return last && last_len >= 2 && last[0] == '{' && last[last_len - 1] == '}';
}

sg_access sg_plan_derive_access(sg_method_verb verb, const char *path)
{
	switch (verb) {
	case SG_METHOD_GET:
		return last_segment_is_param(path ? path : "") ? SG_ACCESS_GET : SG_ACCESS_QUERY;
	case SG_METHOD_POST: return SG_ACCESS_PUT;
	case SG_METHOD_PUT:
	case SG_METHOD_PATCH: return SG_ACCESS_UPDATE;
	case SG_METHOD_DELETE: return SG_ACCESS_DELETE;
	case SG_METHOD_ANY: return SG_ACCESS_CRUD;
	case SG_METHOD_HEAD:    /* reads headers only: no item access to imply */
	case SG_METHOD_OPTIONS: /* a CORS preflight never touches data */
		return SG_ACCESS_DERIVED;
	}
	return SG_ACCESS_DERIVED;
}

/* "users/" + "*" for "/users/{username}": the execute-api ARN's resource path,
 * parameters as "*" (ArnLike matches any value, braces included). */
static char *arn_path(sg_arena *a, const char *path)
{
	sg_buf b = SG_BUF_INIT;
	const char *p = path, *seg;
	size_t len;
	bool first = true;
	sg_buf_puts(&b, "");
	while ((seg = next_segment(&p, &len))) {
		if (!first)
			sg_buf_putc(&b, '/');
		first = false;
		if (len >= 2 && seg[0] == '{' && seg[len - 1] == '}')
			sg_buf_putc(&b, '*');
		else
			sg_buf_put(&b, seg, len);
	}
	return sg_buf_to_arena(&b, a, NULL);
}

/* ---- the tree ------------------------------------------------------------------- */

/* Working data per node, beside the public node. */
typedef struct node_work {
	const char *pascal;   /* "UsersUsername"; "" for the root */
	size_t method_count;
	/* Children as a list, so finding a segment scans siblings only
	 * (an API may have 3000 routes).  0 ends a list: the root is never
	 * anyone's child. */
	size_t first_child, last_child, next_sibling;
} node_work;

static size_t count_segments(const char *path)
{
	size_t n = 0, len;
	const char *p = path;
	while (next_segment(&p, &len))
		n++;
	return n;
}

static size_t find_or_add(sg_plan_ctx *ctx, sg_plan_api *api, node_work *work,
			  size_t parent, const char *seg, size_t len)
{
	for (size_t c = work[parent].first_child; c; c = work[c].next_sibling)
		if (strlen(api->nodes[c].path_part) == len &&
		    memcmp(api->nodes[c].path_part, seg, len) == 0)
			return c;
	size_t i = api->node_count++;
	if (work[parent].first_child)
		work[work[parent].last_child].next_sibling = i;
	else
		work[parent].first_child = i;
	work[parent].last_child = i;
	sg_plan_node *n = &api->nodes[i];
	const sg_plan_node *p = &api->nodes[parent];
	n->parent = p;
	n->depth = p->depth + 1;
	n->path_part = sg_arena_strndup(ctx->arena, seg, len);
	n->path = parent == 0 ? sg_arena_printf(ctx->arena, "/%s", n->path_part)
			      : sg_arena_printf(ctx->arena, "%s/%s", p->path, n->path_part);
	n->param = len >= 2 && seg[0] == '{' && seg[len - 1] == '}';
	n->greedy = n->param && len >= 3 && seg[len - 2] == '+';
	work[i].pascal = sg_arena_printf(ctx->arena, "%s%s", work[parent].pascal,
					 sg_plan_pascal(ctx->arena, n->path_part));
	return i;
}

/* "DELETE,GET,OPTIONS" for the verbs in `mask` (bit per sg_method_verb). */
static const char *verbs_list(sg_arena *a, unsigned mask)
{
	if (mask & (1u << SG_METHOD_ANY))
		mask = ~0u;
	mask |= 1u << SG_METHOD_OPTIONS;
	sg_buf b = SG_BUF_INIT;
	for (size_t i = 0; i < sizeof(sorted_verbs) / sizeof(sorted_verbs[0]); i++)
		if (mask & (1u << sorted_verbs[i])) {
			if (b.len)
				sg_buf_putc(&b, ',');
			sg_buf_puts(&b, verb_names[sorted_verbs[i]]);
		}
	return sg_buf_to_arena(&b, a, NULL);
}

static void hash_str(uint64_t *h, const char *s)
{
	/* The terminating NUL separates fields, so "ab"+"c" != "a"+"bc". */
	s = s ? s : "";
	*h = sg_plan_fnv1a64(*h, s, strlen(s) + 1);
}

static void hash_int(uint64_t *h, int64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	*h = sg_plan_fnv1a64(*h, tmp, (size_t)n + 1);
}

/* Everything a REST Deployment snapshots: a change in any of these must
 * produce a new Deployment.  Stage settings (throttle, logs) are not part
 * of a deployment and are left out on purpose. */
static void hash_api(sg_plan_ctx *ctx, sg_plan_api *api)
{
	uint64_t h = SG_PLAN_FNV64_INIT;
	hash_str(&h, "svcgen-api-1");
	hash_int(&h, api->type);
	hash_int(&h, api->auth);
	hash_int(&h, api->cors);
	for (size_t i = 0; i < api->cors_origin_count; i++)
		hash_str(&h, api->cors_origins[i]);
	hash_str(&h, "-");
	for (size_t i = 0; i < api->cors_header_count; i++)
		hash_str(&h, api->cors_headers[i]);
	hash_str(&h, "-");
	hash_int(&h, api->cors_max_age_set ? api->cors_max_age : -1);
	hash_int(&h, api->cors_credentials);
	hash_str(&h, ctx->plan->cognito.present ? ctx->plan->cognito.user_pool_name : "");
	for (size_t i = 0; i < api->node_count; i++) {
		const sg_plan_node *n = &api->nodes[i];
		hash_str(&h, "node");
		hash_str(&h, n->path);
		hash_int(&h, n->cors_preflight);
		for (size_t m = 0; m < n->method_count; m++) {
			const sg_plan_method *pm = &n->methods[m];
			hash_str(&h, pm->verb_name);
			hash_str(&h, pm->function ? pm->function->physical_name : "");
			hash_int(&h, pm->auth);
			for (size_t s = 0; s < pm->scope_count; s++)
				hash_str(&h, pm->scopes[s]);
			hash_str(&h, "-");
		}
	}
	api->hash = h;
	api->hash_hex = sg_arena_printf(ctx->arena, "%016llx", (unsigned long long)h);
}

static void build_settings(sg_plan_ctx *ctx, sg_plan_api *api)
{
	const sg_api *sa = &ctx->spec->api;
	sg_arena *a = ctx->arena;
	api->auth = sa->auth.set ? (sg_auth)sa->auth.v : SG_AUTH_NONE;

	api->cors = sa->cors.set;
	if (api->cors) {
		const char **o = sg_arena_calloc(a, sa->cors.origins.count, sizeof(*o));
		for (size_t i = 0; i < sa->cors.origins.count; i++)
			o[i] = sa->cors.origins.items[i].v;
		api->cors_origins = o;
		api->cors_origin_count = sa->cors.origins.count;
		if (sa->cors.headers.set) {
			const char **hd = sg_arena_calloc(a, sa->cors.headers.count, sizeof(*hd));
			for (size_t i = 0; i < sa->cors.headers.count; i++)
				hd[i] = sa->cors.headers.items[i].v;
			api->cors_headers = hd;
			api->cors_header_count = sa->cors.headers.count;
		} else {
			/* What a Cognito- or IAM-signed JSON call sends. */
			static const char *const dflt[] = {"Authorization", "Content-Type"};
			api->cors_headers = dflt;
			api->cors_header_count = 2;
		}
		api->cors_max_age_set = sa->cors.max_age.set;
		api->cors_max_age = sa->cors.max_age.v;
		api->cors_credentials = sa->cors.credentials.set && sa->cors.credentials.v;
	}

	api->throttle_set = sa->throttle_rate.set || sa->throttle_burst.set;
	api->throttle_rate = sa->throttle_rate.set ? sa->throttle_rate.v : -1;
	api->throttle_burst = sa->throttle_burst.set ? sa->throttle_burst.v : -1;

	/* X-Ray on the stage: REST only (HTTP APIs have none), when the
	 * defaults trace (specs/reference.md section 4). */
	const sg_bool *tr = &ctx->spec->defaults.tracing;
	api->tracing = api->type == SG_API_REST && tr->set && tr->v;

	{
		sg_buf hl = SG_BUF_INIT;
		for (size_t i = 0; i < api->cors_header_count; i++)
			sg_buf_printf(&hl, "%s%s", i ? "," : "", api->cors_headers[i]);
		api->cors_header_list = sg_buf_to_arena(&hl, a, NULL);
	}

	if (api->cors && api->cors_origin_count > 1) {
		sg_buf vtl = SG_BUF_INIT;
		sg_buf_puts(&vtl, "#set($origin = $input.params(\"Origin\"))\n#if(");
		for (size_t i = 0; i < api->cors_origin_count; i++)
			sg_buf_printf(&vtl, "%s$origin == \"%s\"", i ? " || " : "",
				      api->cors_origins[i]);
		sg_buf_puts(&vtl, ")\n#set($context.responseOverride.header."
				  "Access-Control-Allow-Origin = $origin)\n#end\n");
		api->cors_origin_template = sg_buf_to_arena(&vtl, a, NULL);
	}

	/* One JSON object per line, so CloudWatch Logs Insights finds the fields. */
	static const sg_plan_pair rest_log_fields[] = {
		{"requestId", "$context.requestId"},
		{"ip", "$context.identity.sourceIp"},
		{"requestTime", "$context.requestTime"},
		{"httpMethod", "$context.httpMethod"},
		{"resourcePath", "$context.resourcePath"},
		{"status", "$context.status"},
		{"protocol", "$context.protocol"},
		{"responseLength", "$context.responseLength"},
		{"integrationLatency", "$context.integrationLatency"},
		{"xrayTraceId", "$context.xrayTraceId"},
	};
	static const sg_plan_pair http_log_fields[] = {
		{"requestId", "$context.requestId"},
		{"ip", "$context.identity.sourceIp"},
		{"requestTime", "$context.requestTime"},
		{"routeKey", "$context.routeKey"},
		{"status", "$context.status"},
		{"protocol", "$context.protocol"},
		{"responseLength", "$context.responseLength"},
		{"integrationLatency", "$context.integrationLatency"},
		{"integrationError", "$context.integrationErrorMessage"},
	};
	if (api->type == SG_API_HTTP) {
		api->access_log_fields = http_log_fields;
		api->access_log_field_count = sizeof(http_log_fields) / sizeof(http_log_fields[0]);
	} else {
		api->access_log_fields = rest_log_fields;
		api->access_log_field_count = sizeof(rest_log_fields) / sizeof(rest_log_fields[0]);
	}

	/* Access logs are on unless turned off (specs/reference.md section 9). */
	api->access_logs = sa->access_logs.set ? sa->access_logs.v : true;
	if (api->access_logs) {
		api->access_log_group_name = sg_arena_printf(a, "/aws/apigateway/%s", api->name);
		/* Claimed after the functions, so a function named api_access
		 * keeps its name and the log group moves. */
		api->access_log_group_tf_name = sg_plan_names_claim(ctx->tf_functions, "api_access", "_");
		const sg_int *ret = &ctx->spec->defaults.log_retention;
		api->access_log_retention = ret->set ? ret->v : SG_PLAN_DEFAULT_LOG_RETENTION;
	} else {
		api->access_log_group_logical_id = NULL;
	}
	api->account_role = api->type == SG_API_REST && api->access_logs &&
			    !(sa->account_log_role.set &&
			      sa->account_log_role.v == SG_ACCOUNT_ROLE_EXISTING);

	/* REST + CORS: API Gateway's own errors carry the CORS headers too. */
	if (api->type == SG_API_REST && api->cors) {
		static const char *const types[] = {"DEFAULT_4XX", "DEFAULT_5XX"};
		static const char *const tf_names[] = {"default_4xx", "default_5xx"};
		const char **ids = sg_arena_calloc(a, 2, sizeof(*ids));
		ids[0] = sg_plan_logical_id(ctx->ids, "Api", "Default4xxResponse");
		ids[1] = sg_plan_logical_id(ctx->ids, "Api", "Default5xxResponse");
		api->gateway_response_types = types;
		api->gateway_response_tf_names = tf_names;
		api->gateway_response_logical_ids = ids;
		api->gateway_response_count = 2;
		sg_plan_pair *h = sg_arena_calloc(a, 4, sizeof(*h));
		size_t n = 0;
		/* A gateway response cannot choose among origins: with several it
		 * echoes the request's Origin.  Its body is API Gateway's own
		 * message, never the service's data; still, an echoed Origin never
		 * goes with Allow-Credentials (any site could then read credentialed
		 * answers), so with several origins a credentialed request sees the
		 * gateway's own errors as CORS errors, and only those. */
		h[n].key = "gatewayresponse.header.Access-Control-Allow-Origin";
		h[n++].value = api->cors_origin_count == 1
			? sg_arena_printf(a, "'%s'", api->cors_origins[0])
			: "method.request.header.Origin";
		if (api->cors_origin_count != 1) {
			h[n].key = "gatewayresponse.header.Vary";
			h[n++].value = "'Origin'";
		}
		h[n].key = "gatewayresponse.header.Access-Control-Allow-Headers";
		h[n++].value = sg_arena_printf(a, "'%s'", api->cors_header_list);
		if (api->cors_credentials && api->cors_origin_count == 1) {
			h[n].key = "gatewayresponse.header.Access-Control-Allow-Credentials";
			h[n++].value = "'true'";
		}
		api->gateway_response_headers = h;
		api->gateway_response_header_count = n;
	}
}

void sg_plan__build_api(sg_plan_ctx *ctx)
{
	const sg_api *sa = &ctx->spec->api;
	sg_plan *plan = ctx->plan;
	sg_plan_api *api = &plan->api;
	sg_arena *a = ctx->arena;
	if (!api->present)
		return;
	build_settings(ctx, api);

	/* Nodes: the root, then one per new segment, in spec order. */
	size_t cap = 1;
	for (size_t r = 0; r < sa->route_count; r++)
		cap += count_segments(sa->routes[r].path.v ? sa->routes[r].path.v : "");
	api->nodes = sg_arena_calloc(a, cap, sizeof(*api->nodes));
	node_work *work = sg_arena_calloc(a, cap, sizeof(*work));
	size_t *route_node = sg_arena_calloc(a, sa->route_count + 1, sizeof(*route_node));
	api->node_count = 1;
	api->nodes[0].path_part = "";
	api->nodes[0].path = "/";
	work[0].pascal = "";
	size_t total_methods = 0;
	for (size_t r = 0; r < sa->route_count; r++) {
		const char *p = sa->routes[r].path.v ? sa->routes[r].path.v : "";
		const char *seg;
		size_t len, at = 0;
		while ((seg = next_segment(&p, &len)))
			at = find_or_add(ctx, api, work, at, seg, len);
		route_node[r] = at;
		work[at].method_count += sa->routes[r].method_count;
		total_methods += sa->routes[r].method_count;
	}

	/* Names of nodes: logical IDs in node order, root has none. */
	api->nodes[0].tf_name = sg_plan_names_claim(ctx->tf_nodes, "root", "_");
	for (size_t i = 1; i < api->node_count; i++) {
		sg_plan_node *n = &api->nodes[i];
		/* Only REST APIs have resource objects per segment. */
		if (api->type == SG_API_REST)
			n->logical_id = sg_plan_logical_id(ctx->ids,
				sg_arena_printf(a, "Api%s", work[i].pascal), "Resource");
		n->tf_name = sg_plan_names_claim(ctx->tf_nodes, sg_plan_snake(a, n->path), "_");
	}
	for (size_t i = 0; i < api->node_count; i++)
		api->nodes[i].methods = sg_arena_calloc(a, work[i].method_count,
							sizeof(*api->nodes[i].methods));

	/* Methods, in spec order, onto their nodes. */
	const sg_plan_method **all = sg_arena_calloc(a, total_methods, sizeof(*all));
	size_t *fn_routes = sg_arena_calloc(a, plan->function_count + 1, sizeof(*fn_routes));
	unsigned api_verbs = 0;
	const bool rest = api->type == SG_API_REST;
	for (size_t r = 0; r < sa->route_count; r++) {
		sg_plan_node *n = &api->nodes[route_node[r]];
		const char *base = n->parent ? sg_arena_printf(a, "Api%s", work[route_node[r]].pascal)
					     : "ApiRoot";
		for (size_t m = 0; m < sa->routes[r].method_count; m++) {
			const sg_method *sm = &sa->routes[r].methods[m];
			sg_plan_method *pm = &n->methods[n->method_count++];
			pm->spec = sm;
			pm->node = n;
			pm->verb = sm->verb.set ? (sg_method_verb)sm->verb.v : SG_METHOD_ANY;
			pm->verb_name = verb_name(pm->verb);
			long fi = sm->function.v ? sg_plan__function_index(plan, sm->function.v) : -1;
			if (fi >= 0) {
				pm->function = &plan->functions[fi];
				fn_routes[fi]++;
			}
			pm->auth = sm->auth.set ? (sg_auth)sm->auth.v : api->auth;
			if (pm->auth == SG_AUTH_COGNITO)
				api->cognito_authorizer = true;
			const char **sc = sg_arena_calloc(a, sm->scopes.count, sizeof(*sc));
			for (size_t s = 0; s < sm->scopes.count; s++)
				sc[s] = sm->scopes.items[s].v;
			pm->scopes = sc;
			pm->scope_count = sm->scopes.count;
			pm->derived_access = sg_plan_derive_access(pm->verb, n->path);
			pm->route_key = sg_arena_printf(a, "%s %s", pm->verb_name, n->path);
			char *verb_pascal = sg_plan_pascal(a, sg_plan_snake(a, pm->verb_name));
			pm->logical_id = sg_plan_logical_id(ctx->ids, base,
				sg_arena_printf(a, "%s%s", verb_pascal, rest ? "Method" : "Route"));
			pm->permission_logical_id = sg_plan_logical_id(ctx->ids, base,
				sg_arena_printf(a, "%sPermission", verb_pascal));
			pm->tf_name = sg_plan_names_claim(ctx->tf_methods,
				sg_arena_printf(a, "%s_%s", n->tf_name, sg_plan_snake(a, pm->verb_name)), "_");
			pm->source_arn_suffix = sg_arena_printf(a, "%s/%s/%s",
				rest ? api->stage_name : "*",
				pm->verb == SG_METHOD_ANY ? "*" : pm->verb_name,
				arn_path(a, n->path));
			all[api->method_count++] = pm;
			api_verbs |= 1u << pm->verb;
		}
	}
	api->methods = all;
	if (!api->cognito_authorizer)
		api->authorizer_logical_id = NULL;

	/* CORS: REST answers preflights with a mock OPTIONS method per
	 * resource; HTTP APIs answer them from the API's CorsConfiguration. */
	if (api->cors) {
		api->cors_methods = verbs_list(a, api_verbs);
		for (size_t i = 0; i < api->node_count; i++) {
			sg_plan_node *n = &api->nodes[i];
			if (n->method_count == 0)
				continue;
			unsigned verbs = 0;
			for (size_t m = 0; m < n->method_count; m++)
				verbs |= 1u << n->methods[m].verb;
			n->cors_methods = verbs_list(a, verbs);
			if (!rest || (verbs & (1u << SG_METHOD_OPTIONS)))
				continue;
			n->cors_preflight = true;
			const char *base = n->parent ? sg_arena_printf(a, "Api%s", work[i].pascal) : "ApiRoot";
			n->preflight_logical_id = sg_plan_logical_id(ctx->ids, base, "OptionsMethod");
			n->preflight_tf_name = sg_plan_names_claim(ctx->tf_methods,
				sg_arena_printf(a, "%s_options", n->tf_name), "_");
		}
	}

	/* Functions: their routes, and on HTTP APIs one integration each. */
	/* One pass over the methods, in spec order: linear in the API. */
	for (size_t i = 0; i < plan->function_count; i++)
		if (fn_routes[i])
			plan->functions[i].routes = sg_arena_calloc(a, fn_routes[i],
								    sizeof(*plan->functions[i].routes));
	for (size_t m = 0; m < api->method_count; m++) {
		sg_plan_function *f = all[m]->function
			? &plan->functions[all[m]->function - plan->functions] : NULL;
		if (f)
			((const sg_plan_method **)f->routes)[f->route_count++] = all[m];
	}
	for (size_t i = 0; i < plan->function_count; i++)
		if (fn_routes[i] && !rest)
			plan->functions[i].integration_logical_id =
				sg_plan_logical_id(ctx->ids, plan->functions[i].name, "Integration");

	hash_api(ctx, api);
	if (rest)
		api->deployment_logical_id = sg_plan_logical_id(ctx->ids,
			sg_arena_printf(a, "ApiDeployment%s", api->hash_hex), "");
}
