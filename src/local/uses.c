/*
 * uses.c - a permission in the spec's own words: the `uses` entry that
 * would grant an (action, resource) pair ("shop:put",
 * "shop.by_email:query", "order_events:publish"), found by asking the plan
 * which access grants which actions (sg_plan_access_actions), narrowest
 * first, so the answer follows the language's access table and never a
 * copy of it.
 */
#include <string.h>

#include "local_int.h"

/* Narrowest first: the entry suggested grants the least that suffices. */
static const sg_access table_order[] = {
	SG_ACCESS_GET, SG_ACCESS_QUERY, SG_ACCESS_SCAN, SG_ACCESS_PUT, SG_ACCESS_UPDATE,
	SG_ACCESS_DELETE, SG_ACCESS_READ, SG_ACCESS_WRITE, SG_ACCESS_CRUD,
};

static bool grants(sg_access access, const char *action)
{
	const char *acts[32];
	size_t n = sg_plan_access_actions(acts, 32, access);
	for (size_t i = 0; i < n && i < 32; i++)
		if (!strcmp(acts[i], action))
			return true;
	return false;
}

static bool composite(sg_access a)
{
	return a == SG_ACCESS_READ || a == SG_ACCESS_WRITE || a == SG_ACCESS_CRUD;
}

/* The single accesses that grant `action` ("t:put or t:update"), else the
 * first composite one that does ("t:write"); NULL when none does. */
static const char *accesses(sg_arena *a, const char *target, const char *action,
			    const sg_access *order, size_t n)
{
	sg_buf b = SG_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (!composite(order[i]) && grants(order[i], action))
			sg_buf_printf(&b, "%s%s:%s", b.len ? " or " : "", target,
				      sg_access_name(order[i]));
	for (size_t i = 0; i < n && !b.len; i++)
		if (composite(order[i]) && grants(order[i], action))
			sg_buf_printf(&b, "%s:%s", target, sg_access_name(order[i]));
	return b.len ? sg_buf_to_arena(&b, a, NULL) : NULL;
}

const char *local_uses_for(local_ctx *ctx, sg_arena *a, const char *action, const char *resource)
{
	const sg_plan *plan = ctx->plan;
	const char *prefix = sg_arena_printf(a, "arn:%s:dynamodb:%s:%s:table/", ctx->partition,
					     ctx->region, ctx->account);
	size_t pl = strlen(prefix);
	if (!strncmp(resource, prefix, pl)) {
		const char *rest = resource + pl;
		for (size_t i = 0; i < plan->table_count; i++) {
			const sg_plan_table *t = &plan->tables[i];
			size_t nl = strlen(t->physical_name);
			if (strncmp(rest, t->physical_name, nl) || (rest[nl] && rest[nl] != '/'))
				continue;
			const char *sub = rest + nl;
			if (!*sub) {
				const char *u = accesses(a, t->name, action, table_order,
							 sizeof(table_order) / sizeof(table_order[0]));
				return u ? u : sg_arena_printf(a, "none: no access of the spec grants %s",
							       action);
			}
			if (!strncmp(sub, "/index/", 7)) {
				static const sg_access ix[] = {SG_ACCESS_QUERY, SG_ACCESS_SCAN};
				const char *target = sg_arena_printf(a, "%s.%s", t->name, sub + 7);
				const char *u = accesses(a, target, action, ix, 2);
				return u ? u : sg_arena_printf(a, "none: an index grants only query and scan");
			}
			if (!strncmp(sub, "/stream/", 8))
				return sg_arena_printf(a, "a stream event of table '%s' (functions.<name>."
							  "events), not a `uses` entry", t->name);
		}
		return sg_arena_printf(a, "none: the spec has no table named like %s", rest);
	}
	for (size_t i = 0; i < plan->topic_count; i++) {
		const sg_plan_topic *t = &plan->topics[i];
		if (!ctx->topic_arns || !ctx->topic_arns[i] || strcmp(ctx->topic_arns[i], resource))
			continue;
		if (t->alarm_topic)
			return "none: the alarm topic is for alarms only";
		return strcmp(action, "sns:Publish")
			       ? sg_arena_printf(a, "none: a topic grants only publish")
			       : sg_arena_printf(a, "%s:publish", t->name);
	}
	if (!strncmp(resource, "arn:", 4) && strstr(resource, ":sns:"))
		return "none: the spec has no such topic";
	for (size_t i = 0; i < plan->queue_count; i++) {
		const sg_plan_queue *q = &plan->queues[i];
		if (!ctx->queue_arns || !ctx->queue_arns[i] || strcmp(ctx->queue_arns[i], resource))
			continue;
		return sg_arena_printf(a, "none: the on-failure queue of %s's stream event of table "
					  "'%s' is granted with the event (events[].stream.on_failure)",
				       q->function->name, q->event->table->name);
	}
	return sg_arena_printf(a, "none: svcgen grants no %s on %s", action, resource);
}
