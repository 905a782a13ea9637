/*
 * iam.c - least-privilege access per function: IAM statements, the
 * environment variables that name what the function may touch, and ARN
 * rendering (see plan.h, "IAM" and "ARNs").
 *
 * DESIGN.md section 3 is the contract: each `uses` access maps to a fixed
 * set of DynamoDB item actions on the table (or on one index for
 * TABLE.INDEX:query|scan), TOPIC:publish to sns:Publish, a stream event to
 * the four stream-read actions on the table's streams, and every function
 * gets its own log group and, with tracing, X-Ray.  Actions are bits in one
 * mask per resource, so merging and de-duplicating are an OR, and listing
 * the bits in order gives the actions sorted: the table below is in byte
 * order of the action names (test_plan_iam checks it).
 */
#include "plan_int.h"

#include <stdlib.h>
#include <string.h>

enum {
	A_BATCH_GET_ITEM, A_BATCH_WRITE_ITEM, A_CONDITION_CHECK_ITEM, A_DELETE_ITEM,
	A_DESCRIBE_STREAM, A_GET_ITEM, A_GET_RECORDS, A_GET_SHARD_ITERATOR,
	A_LIST_STREAMS, A_PUT_ITEM, A_QUERY, A_SCAN, A_UPDATE_ITEM,
	A_CREATE_LOG_STREAM, A_PUT_LOG_EVENTS,
	A_PUBLISH,
	A_PUT_TELEMETRY_RECORDS, A_PUT_TRACE_SEGMENTS,
	A_COUNT
};

/* Byte order; never a wildcard. */
static const char *const action_names[A_COUNT] = {
	[A_BATCH_GET_ITEM] = "dynamodb:BatchGetItem",
	[A_BATCH_WRITE_ITEM] = "dynamodb:BatchWriteItem",
	[A_CONDITION_CHECK_ITEM] = "dynamodb:ConditionCheckItem",
	[A_DELETE_ITEM] = "dynamodb:DeleteItem",
	[A_DESCRIBE_STREAM] = "dynamodb:DescribeStream",
	[A_GET_ITEM] = "dynamodb:GetItem",
	[A_GET_RECORDS] = "dynamodb:GetRecords",
	[A_GET_SHARD_ITERATOR] = "dynamodb:GetShardIterator",
	[A_LIST_STREAMS] = "dynamodb:ListStreams",
	[A_PUT_ITEM] = "dynamodb:PutItem",
	[A_QUERY] = "dynamodb:Query",
	[A_SCAN] = "dynamodb:Scan",
	[A_UPDATE_ITEM] = "dynamodb:UpdateItem",
	[A_CREATE_LOG_STREAM] = "logs:CreateLogStream",
	[A_PUT_LOG_EVENTS] = "logs:PutLogEvents",
	[A_PUBLISH] = "sns:Publish",
	[A_PUT_TELEMETRY_RECORDS] = "xray:PutTelemetryRecords",
	[A_PUT_TRACE_SEGMENTS] = "xray:PutTraceSegments",
};

#define BIT(a) (1u << (a))

#define M_GET    (BIT(A_GET_ITEM) | BIT(A_BATCH_GET_ITEM))
#define M_QUERY  BIT(A_QUERY)
#define M_SCAN   BIT(A_SCAN)
#define M_PUT    (BIT(A_PUT_ITEM) | BIT(A_BATCH_WRITE_ITEM) | BIT(A_CONDITION_CHECK_ITEM))
#define M_UPDATE (BIT(A_UPDATE_ITEM) | BIT(A_CONDITION_CHECK_ITEM))
#define M_DELETE (BIT(A_DELETE_ITEM) | BIT(A_BATCH_WRITE_ITEM))
#define M_READ   (M_GET | M_QUERY)
#define M_WRITE  (M_PUT | M_UPDATE | M_DELETE)
#define M_STREAM (BIT(A_GET_RECORDS) | BIT(A_GET_SHARD_ITERATOR) | \
		  BIT(A_DESCRIBE_STREAM) | BIT(A_LIST_STREAMS))
#define M_LOGS   (BIT(A_CREATE_LOG_STREAM) | BIT(A_PUT_LOG_EVENTS))
#define M_XRAY   (BIT(A_PUT_TRACE_SEGMENTS) | BIT(A_PUT_TELEMETRY_RECORDS))
/* What counts as reading and as writing, for statement names. */
#define M_READS  (M_GET | M_QUERY | M_SCAN)
#define M_WRITES M_WRITE

static uint32_t access_mask(sg_access access)
{
	switch (access) {
	case SG_ACCESS_DERIVED: return 0;
	case SG_ACCESS_GET: return M_GET;
	case SG_ACCESS_QUERY: return M_QUERY;
	case SG_ACCESS_SCAN: return M_SCAN;
	case SG_ACCESS_PUT: return M_PUT;
	case SG_ACCESS_UPDATE: return M_UPDATE;
	case SG_ACCESS_DELETE: return M_DELETE;
	case SG_ACCESS_READ: return M_READ;
	case SG_ACCESS_WRITE: return M_WRITE;
	case SG_ACCESS_CRUD: return M_READ | M_WRITE;  /* never Scan */
	case SG_ACCESS_PUBLISH: return BIT(A_PUBLISH);
	}
	return 0;
}

size_t sg_plan_access_actions(const char **out, size_t cap, sg_access access)
{
	uint32_t mask = access_mask(access);
	size_t n = 0;
	for (int a = 0; a < A_COUNT; a++)
		if (mask & BIT(a)) {
			if (n < cap)
				out[n] = action_names[a];
			n++;
		}
	return n;
}

/* ---- ARNs ------------------------------------------------------------------ */

const sg_plan_arn_style sg_plan_arn_style_cfn = {
	"${AWS::Partition}", "${AWS::Region}", "${AWS::AccountId}", NULL, SG_PLAN_ARN_FLAVOR_CFN,
};

char *sg_plan_arn_render(sg_arena *arena, const sg_plan *plan,
			 const sg_plan_arn *arn, const sg_plan_arn_style *style)
{
	const char *p = style->partition, *r = style->region, *acct = style->account;
	switch (arn->kind) {
	case SG_PLAN_ARN_TABLE:
		return sg_arena_printf(arena, "arn:%s:dynamodb:%s:%s:table/%s", p, r, acct,
				       arn->table->physical_name);
	case SG_PLAN_ARN_INDEX:
		return sg_arena_printf(arena, "arn:%s:dynamodb:%s:%s:table/%s/index/%s", p, r, acct,
				       arn->table->physical_name, arn->index->name);
	case SG_PLAN_ARN_STREAM:
		if (style->flavor == SG_PLAN_ARN_FLAVOR_TF)
			return sg_arena_printf(arena, "${aws_dynamodb_table.%s.stream_arn}",
					       arn->table->tf_name);
		return sg_arena_printf(arena, "${%s.StreamArn}", arn->table->logical_id);
	case SG_PLAN_ARN_TOPIC:
		return sg_arena_printf(arena, "arn:%s:sns:%s:%s:%s", p, r, acct,
				       arn->topic->physical_name);
	case SG_PLAN_ARN_LOG_GROUP:
		return sg_arena_printf(arena, "arn:%s:logs:%s:%s:log-group:%s:*", p, r, acct,
				       arn->function->log_group_name);
	case SG_PLAN_ARN_EXECUTE_API: {
		const char *api_id = style->api_id;
		if (!api_id)
			api_id = sg_arena_printf(arena, "${%s}",
						 plan && plan->api.logical_id ? plan->api.logical_id : "Api");
		return sg_arena_printf(arena, "arn:%s:execute-api:%s:%s:%s/%s", p, r, acct, api_id,
				       arn->method->source_arn_suffix);
	}
	case SG_PLAN_ARN_STAR:
		break;
	}
	return sg_arena_strdup(arena, "*");
}

char *sg_plan_arn_literal(sg_arena *arena, const sg_plan *plan, const sg_plan_arn *arn)
{
	return sg_plan_arn_render(arena, plan, arn, &sg_plan_arn_style_cfn);
}

/* ---- grants of one function ------------------------------------------------- */

typedef struct grants {
	uint32_t *table;     /* per table */
	uint32_t **index;    /* per table, per index */
	uint32_t *stream;    /* per table */
	uint32_t *topic;     /* per topic */
	bool *table_named;   /* TABLE_<T> wanted */
	bool **index_named;  /* INDEX_<T>_<I> wanted */
} grants;

static void grants_init(sg_arena *a, const sg_plan *plan, grants *g)
{
	size_t nt = plan->table_count;
	g->table = sg_arena_calloc(a, nt + 1, sizeof(*g->table));
	g->stream = sg_arena_calloc(a, nt + 1, sizeof(*g->stream));
	g->table_named = sg_arena_calloc(a, nt + 1, sizeof(*g->table_named));
	g->index = sg_arena_calloc(a, nt + 1, sizeof(*g->index));
	g->index_named = sg_arena_calloc(a, nt + 1, sizeof(*g->index_named));
	for (size_t t = 0; t < nt; t++) {
		size_t ni = plan->tables[t].index_count;
		g->index[t] = sg_arena_calloc(a, ni + 1, sizeof(**g->index));
		g->index_named[t] = sg_arena_calloc(a, ni + 1, sizeof(**g->index_named));
	}
	g->topic = sg_arena_calloc(a, plan->topic_count + 1, sizeof(*g->topic));
}

static long table_at(const sg_plan *plan, const char *name)
{
	const sg_plan_table *t = name ? sg_plan_table_by_name(plan, name) : NULL;
	return t ? (long)(t - plan->tables) : -1;
}

static long topic_at(const sg_plan *plan, const char *name)
{
	const sg_plan_topic *t = name ? sg_plan_topic_by_name(plan, name) : NULL;
	return t ? (long)(t - plan->topics) : -1;
}

/*
 * Grant one `uses` entry.  `derived` is the DynamoDB mask a bare table name
 * means here (from the route, or the union over the function's routes).
 * Entries naming undeclared tables or indexes were reported by the
 * validator and grant nothing.
 */
static void grant_use(const sg_plan *plan, grants *g, const sg_use *u, uint32_t derived)
{
	long k = topic_at(plan, u->target);
	if (k >= 0 && (u->access == SG_ACCESS_PUBLISH || u->access == SG_ACCESS_DERIVED)) {
		/* Publishing is the only thing to do with a topic, so a bare
		 * topic name means publish. */
		g->topic[k] |= BIT(A_PUBLISH);
		return;
	}
	long t = table_at(plan, u->target);
	if (t < 0 || u->access == SG_ACCESS_PUBLISH)
		return;
	uint32_t mask = u->access == SG_ACCESS_DERIVED ? derived : access_mask(u->access);
	if (u->index) {
		const sg_plan_table *pt = &plan->tables[t];
		for (size_t i = 0; i < pt->index_count; i++) {
			if (strcmp(pt->indexes[i].name, u->index) != 0)
				continue;
			/* An index only serves Query and Scan; a bare index
			 * name means Query. */
			uint32_t im = u->access == SG_ACCESS_DERIVED ? M_QUERY : mask & (M_QUERY | M_SCAN);
			g->index[t][i] |= im;
			if (im) {
				g->index_named[t][i] = true;
				g->table_named[t] = true;  /* Query needs TableName too */
			}
		}
		return;
	}
	g->table[t] |= mask;
	if (mask)
		g->table_named[t] = true;
}

static void warn_underivable(sg_plan_ctx *ctx, const sg_plan_function *f, const sg_use *use,
			     const char *where)
{
	sg_warning(ctx->diags, "underivable-access", use->pos,
		   "'%s' %s names no access and none can be derived; it grants function "
		   "'%s' nothing (write the access, e.g. %s:read)",
		   use->raw ? use->raw : use->target, where, f->name, use->target);
}

static void collect_grants(sg_plan_ctx *ctx, sg_plan_function *f, grants *g)
{
	const sg_plan *plan = ctx->plan;
	for (size_t r = 0; r < f->route_count; r++) {
		const sg_plan_method *m = f->routes[r];
		uint32_t derived = access_mask(m->derived_access);
		for (size_t u = 0; u < m->spec->use_count; u++) {
			const sg_use *use = &m->spec->uses[u];
			if (use->access == SG_ACCESS_DERIVED && !use->index && !derived &&
			    table_at(plan, use->target) >= 0)
				warn_underivable(ctx, f, use, sg_arena_printf(ctx->arena, "on %s",
									      m->verb_name));
			grant_use(plan, g, use, derived);
		}
	}
	/* functions.<f>.uses has no method to derive from: a bare table name
	 * there grants nothing (the validator reports it as an error). */
	if (f->spec)
		for (size_t u = 0; u < f->spec->use_count; u++) {
			const sg_use *use = &f->spec->uses[u];
			if (use->access == SG_ACCESS_DERIVED && !use->index &&
			    table_at(plan, use->target) >= 0)
				warn_underivable(ctx, f, use, "in functions");
			grant_use(plan, g, use, 0);
		}
	for (size_t e = 0; e < f->event_count; e++)
		g->stream[f->events[e].table - plan->tables] |= M_STREAM;
}

/* ---- statements ---------------------------------------------------------------- */

static const char *const *mask_actions(sg_arena *a, uint32_t mask, size_t *n)
{
	const char **out = sg_arena_calloc(a, A_COUNT, sizeof(*out));
	*n = 0;
	for (int i = 0; i < A_COUNT; i++)
		if (mask & BIT(i))
			out[(*n)++] = action_names[i];
	return out;
}

static void add_statement(sg_plan_ctx *ctx, sg_plan_names *sids, sg_plan_statement *out,
			  size_t *n, uint32_t mask, const char *sid, sg_plan_arn arn)
{
	if (!mask)
		return;
	sg_plan_statement *s = &out[(*n)++];
	s->sid = sg_plan_logical_id(sids, sid, "");
	s->actions = mask_actions(ctx->arena, mask, &s->action_count);
	s->resource = arn;
}

static const char *rw_name(uint32_t mask)
{
	if ((mask & ~M_READS) == 0)
		return "Read";
	if ((mask & ~M_WRITES) == 0)
		return "Write";
	return "ReadWrite";
}

static void build_statements(sg_plan_ctx *ctx, sg_plan_function *f, const grants *g)
{
	const sg_plan *plan = ctx->plan;
	sg_arena *a = ctx->arena;
	size_t cap = 2 + plan->topic_count;
	for (size_t t = 0; t < plan->table_count; t++)
		cap += 2 + plan->tables[t].index_count;
	sg_plan_statement *st = sg_arena_calloc(a, cap, sizeof(*st));
	size_t n = 0;
	sg_plan_names *sids = sg_plan_names_new(a, true);

	for (size_t t = 0; t < plan->table_count; t++) {
		const sg_plan_table *pt = &plan->tables[t];
		sg_plan_arn arn = {.kind = SG_PLAN_ARN_TABLE, .table = pt};
		add_statement(ctx, sids, st, &n, g->table[t],
			      sg_arena_printf(a, "%s%s", pt->logical_id, rw_name(g->table[t])), arn);
		for (size_t i = 0; i < pt->index_count; i++) {
			sg_plan_arn ia = {.kind = SG_PLAN_ARN_INDEX, .table = pt, .index = &pt->indexes[i]};
			add_statement(ctx, sids, st, &n, g->index[t][i],
				      sg_arena_printf(a, "%s%sIndexRead", pt->logical_id,
						      sg_plan_pascal(a, pt->indexes[i].name)), ia);
		}
		sg_plan_arn sa = {.kind = SG_PLAN_ARN_STREAM, .table = pt};
		add_statement(ctx, sids, st, &n, g->stream[t],
			      sg_arena_printf(a, "%sStreamRead", pt->logical_id), sa);
	}
	for (size_t k = 0; k < plan->topic_count; k++) {
		sg_plan_arn ta = {.kind = SG_PLAN_ARN_TOPIC, .topic = &plan->topics[k]};
		add_statement(ctx, sids, st, &n, g->topic[k],
			      sg_arena_printf(a, "%sPublish", plan->topics[k].logical_id), ta);
	}
	sg_plan_arn la = {.kind = SG_PLAN_ARN_LOG_GROUP, .function = f};
	add_statement(ctx, sids, st, &n, M_LOGS, "Logs", la);
	if (f->tracing) {
		sg_plan_arn xa = {.kind = SG_PLAN_ARN_STAR};
		add_statement(ctx, sids, st, &n, M_XRAY, "XRay", xa);
	}
	f->statements = st;
	f->statement_count = n;
}

/* ---- environment --------------------------------------------------------------- */

static int cmp_env(const void *a, const void *b)
{
	return strcmp(((const sg_plan_env *)a)->key, ((const sg_plan_env *)b)->key);
}

static long env_find(const sg_plan_env *env, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(env[i].key, key) == 0)
			return (long)i;
	return -1;
}

/* Set a user variable: a later one (the function's) replaces an earlier
 * one (defaults'). */
static void env_user(sg_plan_env *env, size_t *n, const sg_kvlist *list)
{
	for (size_t i = 0; i < list->count; i++) {
		const sg_kv *kv = &list->items[i];
		if (!kv->key.v)
			continue;
		long at = env_find(env, *n, kv->key.v);
		sg_plan_env *e = at >= 0 ? &env[at] : &env[(*n)++];
		e->key = kv->key.v;
		e->value.kind = SG_PLAN_VAL_LITERAL;
		e->value.text = kv->value.v ? kv->value.v : "";
	}
}

static void env_generated(sg_plan_ctx *ctx, sg_plan_function *f, sg_plan_env *env,
			  size_t *n, size_t n_user, const char *key, sg_plan_value v)
{
	long at = env_find(env, *n, key);
	if (at >= (long)n_user) {
		sg_error(ctx->diags, "env-collision", f->pos,
			 "function '%s' would get two environment variables named %s; "
			 "rename a table or an index", f->name, key);
		return;
	}
	if (at >= 0) {
		sg_warning(ctx->diags, "env-overridden", f->pos,
			   "function '%s': environment variable %s is set by svcgen "
			   "(%s); the value from the spec is ignored", f->name, key,
			   v.text ? v.text : "");
		env[at].value = v;
		return;
	}
	env[*n].key = key;
	env[(*n)++].value = v;
}

static void build_env(sg_plan_ctx *ctx, sg_plan_function *f, const grants *g)
{
	const sg_plan *plan = ctx->plan;
	sg_arena *a = ctx->arena;
	size_t cap = ctx->spec->defaults.environment.count + plan->topic_count + plan->table_count;
	if (f->spec)
		cap += f->spec->settings.environment.count;
	for (size_t t = 0; t < plan->table_count; t++)
		cap += plan->tables[t].index_count;
	sg_plan_env *env = sg_arena_calloc(a, cap + 1, sizeof(*env));
	size_t n = 0;
	env_user(env, &n, &ctx->spec->defaults.environment);
	if (f->spec)
		env_user(env, &n, &f->spec->settings.environment);
	size_t n_user = n;

	for (size_t t = 0; t < plan->table_count; t++) {
		const sg_plan_table *pt = &plan->tables[t];
		if (g->table_named[t]) {
			sg_plan_value v = {.kind = SG_PLAN_VAL_TABLE_NAME, .text = pt->physical_name, .table = pt};
			env_generated(ctx, f, env, &n, n_user, pt->env_name, v);
		}
		for (size_t i = 0; i < pt->index_count; i++)
			if (g->index_named[t][i]) {
				sg_plan_value v = {.kind = SG_PLAN_VAL_LITERAL, .text = pt->indexes[i].name,
						   .table = pt};
				env_generated(ctx, f, env, &n, n_user, pt->indexes[i].env_name, v);
			}
	}
	for (size_t k = 0; k < plan->topic_count; k++) {
		const sg_plan_topic *tp = &plan->topics[k];
		if (!g->topic[k])
			continue;
		sg_plan_arn arn = {.kind = SG_PLAN_ARN_TOPIC, .topic = tp};
		sg_plan_value v = {.kind = SG_PLAN_VAL_TOPIC_ARN,
				   .text = sg_plan_arn_literal(a, plan, &arn), .topic = tp};
		env_generated(ctx, f, env, &n, n_user, tp->env_name, v);
	}
	qsort(env, n, sizeof(*env), cmp_env);
	f->environment = env;
	f->env_count = n;
}

void sg_plan__build_access(sg_plan_ctx *ctx, sg_plan_function *f)
{
	grants g;
	grants_init(ctx->arena, ctx->plan, &g);
	collect_grants(ctx, f, &g);
	build_statements(ctx, f, &g);
	build_env(ctx, f, &g);
}

/* ---- IAM's size quota ---------------------------------------------------------- */

/* The length `arn` has once CloudFormation or Terraform has put in the
 * partition, region and account: the longest each can be ("aws-us-gov",
 * "ap-southeast-5", twelve digits), so that the estimate errs high. */
static size_t arn_length(sg_arena *a, const sg_plan *plan, const sg_plan_arn *arn)
{
	static const struct { const char *var; size_t worst; } vars[] = {
		{"${AWS::Partition}", 10}, {"${AWS::Region}", 14}, {"${AWS::AccountId}", 12},
	};
	if (arn->kind == SG_PLAN_ARN_STAR)
		return 1;
	const char *s = sg_plan_arn_literal(a, plan, arn);
	size_t n = 0;
	while (*s) {
		size_t i = 0;
		while (i < sizeof(vars) / sizeof(vars[0]) && strncmp(s, vars[i].var, strlen(vars[i].var)))
			i++;
		if (i < sizeof(vars) / sizeof(vars[0])) {
			n += vars[i].worst;
			s += strlen(vars[i].var);
		} else {
			n++;
			s++;
		}
	}
	return n;
}

size_t sg_plan_policy_size(sg_arena *a, const sg_plan *plan, const sg_plan_function *f)
{
	/* {"Version":"2012-10-17","Statement":[ ... ]} */
	size_t n = strlen("{\"Version\":\"2012-10-17\",\"Statement\":[]}");
	for (size_t i = 0; i < f->statement_count; i++) {
		const sg_plan_statement *st = &f->statements[i];
		/* {"Sid":"..","Effect":"Allow","Action":[..],"Resource":".."} */
		n += (i ? 1 : 0) + strlen("{\"Sid\":\"\",\"Effect\":\"Allow\",\"Action\":[],"
					  "\"Resource\":\"\"}");
		n += strlen(st->sid);
		for (size_t k = 0; k < st->action_count; k++)
			n += (k ? 1 : 0) + strlen(st->actions[k]) + 2;
		n += arn_length(a, plan, &st->resource);
	}
	return n;
}

void sg_plan__check_policy_size(sg_plan_ctx *ctx, const sg_plan_function *f)
{
	size_t n = sg_plan_policy_size(ctx->arena, ctx->plan, f);
	if (n > SG_PLAN_MAX_ROLE_POLICY)
		sg_error(ctx->diags, "policy-too-large", f->pos,
			 "function '%s': its role's policy would be up to %zu characters, over IAM's "
			 "%d for the inline policies of a role (%zu statements); give the work "
			 "to more than one function, each using fewer tables, indexes and topics",
			 f->name, n, SG_PLAN_MAX_ROLE_POLICY, f->statement_count);
}

