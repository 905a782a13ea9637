/*
 * stacks.c - where each CloudFormation resource lives: the root template
 * or a nested stack (see plan.h, sg_plan_stack), the resource count of
 * each template against CloudFormation's quota, and the warnings for the
 * adjustable AWS quotas a large service passes.
 *
 * Placement is by hash of a name only (a function's, a path's first
 * segment), never by position or by what else the spec holds, so adding
 * or removing a function moves nothing else.  One pass over functions,
 * routes, nodes and alarms: linear in the spec.
 */
#include "plan_int.h"

#include <string.h>

static const sg_pos no_pos = {0, 0};

unsigned sg_plan_bucket(const char *name, unsigned buckets)
{
	uint32_t h = 0x811c9dc5u;
	for (const char *s = name ? name : ""; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x01000193u;
	}
	return buckets ? (unsigned)(h % buckets) : 0;
}

/* The first segment of `path` ("/users/{id}" -> "users"; "/" -> ""). */
static const char *first_segment(sg_arena *a, const char *path)
{
	while (*path == '/')
		path++;
	return sg_arena_strndup(a, path, strcspn(path, "/"));
}

/* Resources of one function in its stack (cfn_compute.c, cfn_api.c). */
static size_t function_resources(const sg_plan *plan, const sg_plan_function *f)
{
	size_t n = 3 + f->event_count;                   /* role, log group, function */
	if (plan->api.present && f->route_count) {
		if (plan->api.type == SG_API_HTTP)
			n += 1 + 2 * f->route_count;     /* integration; route + permission */
		else
			n += f->route_count;             /* permission */
	}
	return n;
}

static bool function_alarm(const sg_plan_alarm *a)
{
	switch (a->kind) {
	case SG_PLAN_ALARM_FN_ERRORS:
	case SG_PLAN_ALARM_FN_THROTTLES:
	case SG_PLAN_ALARM_FN_DURATION_P99:
	case SG_PLAN_ALARM_STREAM_ITERATOR_AGE:
		return true;
	default:
		return false;
	}
}

void sg_plan__build_stacks(sg_plan_ctx *ctx)
{
	sg_plan *plan = ctx->plan;
	sg_arena *a = ctx->arena;
	const sg_plan_api *api = &plan->api;
	const bool rest = api->present && api->type == SG_API_REST;
	size_t fcount[SG_PLAN_FUNCTION_BUCKETS] = {0};
	size_t pcount[SG_PLAN_PATH_BUCKETS] = {0};
	/* Per path bucket, the function buckets its methods integrate. */
	uint64_t deps[SG_PLAN_PATH_BUCKETS][SG_PLAN_FUNCTION_BUCKETS / 64];
	memset(deps, 0, sizeof(deps));

	unsigned *fbucket = sg_arena_calloc(a, plan->function_count + 1, sizeof(*fbucket));
	for (size_t i = 0; i < plan->function_count; i++) {
		fbucket[i] = sg_plan_bucket(plan->functions[i].name, SG_PLAN_FUNCTION_BUCKETS);
		fcount[fbucket[i]] += function_resources(plan, &plan->functions[i]);
	}
	for (size_t i = 0; i < plan->alarm_count; i++)
		if (function_alarm(&plan->alarms[i]) && plan->alarms[i].function)
			fcount[fbucket[plan->alarms[i].function - plan->functions]]++;

	unsigned *pbucket = NULL;
	if (rest) {
		pbucket = sg_arena_calloc(a, api->node_count + 1, sizeof(*pbucket));
		for (size_t i = 0; i < api->node_count; i++) {
			const sg_plan_node *n = &api->nodes[i];
			size_t here = (n->parent ? 1 : 0) + n->method_count + (n->cors_preflight ? 1 : 0);
			pbucket[i] = sg_plan_bucket(first_segment(a, n->path), SG_PLAN_PATH_BUCKETS);
			pcount[pbucket[i]] += here;
			for (size_t m = 0; m < n->method_count; m++) {
				const sg_plan_function *f = n->methods[m].function;
				if (!f)
					continue;
				unsigned fb = fbucket[f - plan->functions];
				deps[pbucket[i]][fb / 64] |= 1ull << (fb % 64);
			}
		}
	}

	size_t nstacks = 0;
	for (unsigned b = 0; b < SG_PLAN_FUNCTION_BUCKETS; b++)
		nstacks += fcount[b] ? 1 : 0;
	for (unsigned b = 0; b < SG_PLAN_PATH_BUCKETS; b++)
		nstacks += pcount[b] ? 1 : 0;
	plan->stacks = sg_arena_calloc(a, nstacks + 1, sizeof(*plan->stacks));
	sg_plan_stack *fstack[SG_PLAN_FUNCTION_BUCKETS] = {0};
	sg_plan_stack *pstack[SG_PLAN_PATH_BUCKETS] = {0};
	size_t nested = 0;
	for (unsigned b = 0; b < SG_PLAN_FUNCTION_BUCKETS; b++) {
		if (!fcount[b])
			continue;
		sg_plan_stack *s = &plan->stacks[plan->stack_count++];
		s->kind = SG_PLAN_STACK_FUNCTIONS;
		s->bucket = b;
		s->name = sg_arena_printf(a, "functions-%03u", b);
		s->logical_id = sg_plan_logical_id(ctx->ids, sg_arena_printf(a, "Functions%03u", b), "Stack");
		s->resource_count = fcount[b];
		nested += fcount[b];
		fstack[b] = s;
	}
	for (unsigned b = 0; b < SG_PLAN_PATH_BUCKETS; b++) {
		if (!pcount[b])
			continue;
		sg_plan_stack *s = &plan->stacks[plan->stack_count++];
		s->kind = SG_PLAN_STACK_PATHS;
		s->bucket = b;
		s->name = sg_arena_printf(a, "paths-%02u", b);
		s->logical_id = sg_plan_logical_id(ctx->ids, sg_arena_printf(a, "Paths%02u", b), "Stack");
		s->resource_count = pcount[b];
		nested += pcount[b];
		pstack[b] = s;
		size_t nd = 0;
		for (unsigned fb = 0; fb < SG_PLAN_FUNCTION_BUCKETS; fb++)
			nd += (deps[b][fb / 64] >> (fb % 64)) & 1;
		const sg_plan_stack **d = sg_arena_calloc(a, nd + 1, sizeof(*d));
		for (unsigned fb = 0; fb < SG_PLAN_FUNCTION_BUCKETS; fb++)
			if ((deps[b][fb / 64] >> (fb % 64)) & 1)
				d[s->depend_count++] = fstack[fb];
		s->depends = d;
	}
	for (size_t i = 0; i < plan->stack_count; i++)
		plan->stacks[i].file = sg_arena_printf(a, "cloudformation/stacks/%s.json",
						       plan->stacks[i].name);
	for (size_t i = 0; i < plan->function_count; i++)
		plan->functions[i].stack = fstack[fbucket[i]];
	if (rest)
		for (size_t i = 0; i < api->node_count; i++)
			if (api->nodes[i].parent || api->nodes[i].method_count || api->nodes[i].cors_preflight)
				api->nodes[i].stack = pstack[pbucket[i]];

	plan->resource_count = sg_plan_resource_count(plan);
	plan->root_resource_count = plan->resource_count - nested + plan->stack_count;

	/* Hard limits refuse: a template over 500 resources cannot deploy. */
	if (plan->root_resource_count > SG_PLAN_MAX_RESOURCES)
		sg_error(ctx->diags, "too-many-resources", no_pos,
			 "the root CloudFormation template would hold %zu resources (its tables, "
			 "queues, topics, alarms, the API and %zu nested stacks); the limit is %d",
			 plan->root_resource_count, plan->stack_count, SG_PLAN_MAX_RESOURCES);
	for (size_t i = 0; i < plan->stack_count; i++) {
		const sg_plan_stack *s = &plan->stacks[i];
		if (s->resource_count <= SG_PLAN_MAX_RESOURCES)
			continue;
		if (s->kind == SG_PLAN_STACK_FUNCTIONS)
			sg_error(ctx->diags, "too-many-resources", no_pos,
				 "nested stack %s would hold %zu resources, over CloudFormation's %d: "
				 "too many of the service's functions hash to it (one of %d buckets)",
				 s->name, s->resource_count, SG_PLAN_MAX_RESOURCES,
				 SG_PLAN_FUNCTION_BUCKETS);
		else
			sg_error(ctx->diags, "too-many-resources", no_pos,
				 "nested stack %s would hold %zu resources, over CloudFormation's %d: a "
				 "REST path tree is kept whole under its first segment, and the paths "
				 "hashing there have too many segments and methods", s->name,
				 s->resource_count, SG_PLAN_MAX_RESOURCES);
	}

	/* Adjustable quotas warn: the account can have them raised. */
	if (rest && api->node_count - 1 > SG_PLAN_QUOTA_REST_RESOURCES)
		sg_warning(ctx->diags, "over-quota", ctx->spec->api.routes_pos,
			   "the REST API has %zu resources (path segments); API Gateway allows %d per "
			   "REST API unless the account's quota is raised (Service Quotas: "
			   "\"Resources per API\")", api->node_count - 1, SG_PLAN_QUOTA_REST_RESOURCES);
	if (api->present && !rest && api->method_count > SG_PLAN_QUOTA_HTTP_ROUTES)
		sg_warning(ctx->diags, "over-quota", ctx->spec->api.routes_pos,
			   "the HTTP API has %zu routes; API Gateway allows %d per HTTP API unless "
			   "the account's quota is raised (Service Quotas: \"Routes per API\")",
			   api->method_count, SG_PLAN_QUOTA_HTTP_ROUTES);
	if (plan->stack_count + 1 > SG_PLAN_QUOTA_STACKS)
		sg_warning(ctx->diags, "over-quota", no_pos,
			   "the service deploys as %zu CloudFormation stacks; an account has %d per "
			   "region unless its quota is raised", plan->stack_count + 1,
			   SG_PLAN_QUOTA_STACKS);
	int64_t reserved = 0;
	for (size_t i = 0; i < plan->function_count; i++)
		if (plan->functions[i].reserved_concurrency_set)
			reserved += plan->functions[i].reserved_concurrency;
	/* Lambda keeps 100 of the account's concurrency unreserved. */
	if (reserved > SG_PLAN_QUOTA_CONCURRENCY - 100)
		sg_warning(ctx->diags, "over-quota", no_pos,
			   "the functions reserve %lld concurrent executions; with Lambda's default "
			   "of %d per region, at most %d can be reserved (100 stay unreserved) "
			   "unless the account's quota is raised", (long long)reserved,
			   SG_PLAN_QUOTA_CONCURRENCY, SG_PLAN_QUOTA_CONCURRENCY - 100);
}
