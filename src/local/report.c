/*
 * report.c - what each function did with its permissions, printed on stop
 * with --iam soft: the `uses` entries its calls needed beyond what the spec
 * grants, and the entries the spec grants that no call used.  A report for
 * the user to act on; svcgen never edits the spec.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "local_int.h"

void local_seen_add(local_fn *fn, const char *action, const char *resource, bool allowed)
{
	pthread_mutex_lock(&fn->seen_mu);
	for (local_seen *s = fn->seen; s; s = s->next)
		if (!strcmp(s->action, action) && !strcmp(s->resource, resource)) {
			pthread_mutex_unlock(&fn->seen_mu);
			return;
		}
	local_seen *s = calloc(1, sizeof(*s));
	if (s) {
		s->action = strdup(action);
		s->resource = strdup(resource);
		s->allowed = allowed;
		s->next = fn->seen;
		fn->seen = s;
	}
	pthread_mutex_unlock(&fn->seen_mu);
}

/* The resource ARN a `uses` entry is about, resolved locally. */
static const char *use_resource(local_ctx *ctx, const sg_use *u)
{
	const sg_plan_table *t = sg_plan_table_by_name(ctx->plan, u->target);
	if (t)
		return u->index ? sg_arena_printf(ctx->arena, "arn:%s:dynamodb:%s:%s:table/%s/index/%s",
						  ctx->partition, ctx->region, ctx->account,
						  t->physical_name, u->index)
				: sg_arena_printf(ctx->arena, "arn:%s:dynamodb:%s:%s:table/%s",
						  ctx->partition, ctx->region, ctx->account,
						  t->physical_name);
	for (size_t i = 0; i < ctx->plan->topic_count; i++)
		if (!strcmp(ctx->plan->topics[i].name, u->target))
			return ctx->topic_arns ? ctx->topic_arns[i] : NULL;
	return NULL;
}

/* Whether a call `fn` made used what entry `u` (with `access`) grants. */
static bool used(local_ctx *ctx, local_fn *fn, const sg_use *u, sg_access access)
{
	const char *res = use_resource(ctx, u);
	if (!res)
		return false;
	const char *acts[32];
	size_t n = sg_plan_access_actions(acts, 32, access);
	for (local_seen *s = fn->seen; s; s = s->next) {
		if (!s->allowed || strcmp(s->resource, res))
			continue;
		for (size_t i = 0; i < n && i < 32; i++)
			if (!strcmp(acts[i], s->action))
				return true;
	}
	return false;
}

static void report_fn(local_ctx *ctx, local_fn *fn)
{
	pthread_mutex_lock(&fn->seen_mu);
	sg_buf needed = SG_BUF_INIT, unused = SG_BUF_INIT;
	for (local_seen *s = fn->seen; s; s = s->next)
		if (!s->allowed)
			sg_buf_printf(&needed, "      %s  (%s on %s)\n",
				      local_uses_for(ctx, ctx->arena, s->action, s->resource), s->action,
				      s->resource);
	/* Every entry the function was given: its routes' and its own. */
	const sg_plan_function *pf = fn->plan;
	for (size_t r = 0; r < pf->route_count; r++) {
		const sg_plan_method *m = pf->routes[r];
		for (size_t i = 0; m->spec && i < m->spec->use_count; i++) {
			const sg_use *u = &m->spec->uses[i];
			sg_access acc = u->access == SG_ACCESS_DERIVED ? m->derived_access : u->access;
			if (!used(ctx, fn, u, acc))
				sg_buf_printf(&unused, "      %s  (%s %s)\n", u->raw, m->verb_name,
					      m->node->path);
		}
	}
	for (size_t i = 0; pf->spec && i < pf->spec->use_count; i++) {
		const sg_use *u = &pf->spec->uses[i];
		if (u->access != SG_ACCESS_DERIVED && !used(ctx, fn, u, u->access))
			sg_buf_printf(&unused, "      %s  (functions.%s.uses)\n", u->raw, fn->name);
	}
	pthread_mutex_unlock(&fn->seen_mu);
	local_log("  %s:", fn->name);
	local_log("    needed, not granted:%s", needed.len ? "" : " none");
	if (needed.len)
		local_log_lines("", needed.ptr, needed.len - 1);
	local_log("    granted, never used:%s", unused.len ? "" : " none");
	if (unused.len)
		local_log_lines("", unused.ptr, unused.len - 1);
	sg_buf_free(&needed);
	sg_buf_free(&unused);
}

void local_report(local_ctx *ctx)
{
	local_log("svcgen local: permissions report (--iam soft; the spec is not changed)");
	for (size_t i = 0; i < ctx->fn_count; i++)
		report_fn(ctx, &ctx->fns[i]);
}

/* Free what local_seen_add kept (local.c calls it at the end). */
void local_seen_free(local_fn *fn);
void local_seen_free(local_fn *fn)
{
	local_seen *s = fn->seen;
	while (s) {
		local_seen *n = s->next;
		free((char *)s->action);
		free((char *)s->resource);
		free(s);
		s = n;
	}
	fn->seen = NULL;
}
