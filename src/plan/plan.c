/*
 * plan.c - assembling the plan (see plan.h).
 *
 * Stages, in this order because each reads what the one before produced:
 *   1. service-level names and tags
 *   2. logical IDs of singletons (API, stage, authorizer, user pool, alarm
 *      topic) - claimed first so the well-known names never move
 *   3. tables, topics (then the alarm topic and its subscriptions)
 *   4. functions: route functions in order of first appearance, then the
 *      other `functions:` entries; names and effective settings
 *   5. the API route tree (routes.c), which links methods to functions
 *   6. per function: stream events, environment, IAM statements (iam.c)
 *   7. alarms (alarms.c)
 *   8. the resource count, checked against CloudFormation's limit
 * The claim order of logical IDs is this order, so which of two clashing
 * names gets the counter is fixed by the spec alone.
 */
#include "plan_int.h"

#include <stdlib.h>
#include <string.h>

static const sg_pos no_pos = {0, 0};

/* ---- small helpers ---------------------------------------------------------- */

static const char *dash_to_underscore(sg_arena *arena, const char *name)
{
	char *out = sg_arena_strdup(arena, name);
	for (char *p = out; *p; p++)
		if (*p == '-')
			*p = '_';
	return out;
}

const char *sg_plan__physical(sg_plan_ctx *ctx, const char *what, const char *name,
			      const char *suffix, size_t max, sg_pos pos)
{
	char *full = sg_arena_printf(ctx->arena, "%s-%s%s", ctx->plan->prefix, name,
				     suffix ? suffix : "");
	char *cut = sg_plan_shorten(ctx->arena, full, max);
	if (strcmp(cut, full) != 0)
		sg_warning(ctx->diags, "name-shortened", pos,
			   "%s name '%s' is %zu characters, over the AWS limit of %zu; using '%s'",
			   what, full, strlen(full), max, cut);
	return cut;
}

long sg_plan__function_index(const sg_plan *plan, const char *name)
{
	for (size_t i = 0; i < plan->function_count; i++)
		if (strcmp(plan->functions[i].name, name) == 0)
			return (long)i;
	return -1;
}

static const char *str_or(const sg_str *s, const char *dflt)
{
	return (s->set && s->v) ? s->v : dflt;
}

/* The function's value, else the defaults: value, else the built-in one. */
static int64_t pick_int(const sg_int *own, const sg_int *dflt, int64_t builtin)
{
	if (own && own->set)
		return own->v;
	if (dflt->set)
		return dflt->v;
	return builtin;
}

/* ---- 1. service ------------------------------------------------------------- */

static void build_service(sg_plan_ctx *ctx)
{
	const sg_spec *spec = ctx->spec;
	sg_plan *plan = ctx->plan;
	plan->service = str_or(&spec->service, "service");
	plan->stage = str_or(&spec->stage, "dev");
	plan->region = str_or(&spec->region, "us-east-1");
	plan->prefix = sg_arena_printf(ctx->arena, "%s-%s", plan->service, plan->stage);
	plan->description = str_or(&spec->description, NULL);

	/* Spec tags in file order, then ours: the spec's order is the user's
	 * choice and is as deterministic as a sort. */
	sg_plan_tag *tags = sg_arena_calloc(ctx->arena, spec->tags.count + 2, sizeof(*tags));
	size_t n = 0;
	for (size_t i = 0; i < spec->tags.count; i++) {
		const sg_kv *kv = &spec->tags.items[i];
		if (!kv->key.v)
			continue;
		if (strcmp(kv->key.v, "svcgen:service") == 0 || strcmp(kv->key.v, "svcgen:stage") == 0) {
			sg_warning(ctx->diags, "reserved-tag", kv->key.pos,
				   "tag '%s' is set by svcgen; this value is ignored", kv->key.v);
			continue;
		}
		tags[n].key = kv->key.v;
		tags[n].value = kv->value.v ? kv->value.v : "";
		n++;
	}
	tags[n].key = "svcgen:service";
	tags[n++].value = plan->service;
	tags[n].key = "svcgen:stage";
	tags[n++].value = plan->stage;
	plan->tags = tags;
	plan->tag_count = n;
}

/* ---- 2. singletons ------------------------------------------------------------ */

static bool alarms_notify(const sg_spec *spec)
{
	return spec->alarms.present && spec->alarms.notify.count > 0;
}

static void build_singletons(sg_plan_ctx *ctx)
{
	const sg_spec *spec = ctx->spec;
	sg_plan *plan = ctx->plan;
	sg_plan_api *api = &plan->api;

	if (spec->api.present) {
		api->present = true;
		api->type = spec->api.type.set ? (sg_api_type)spec->api.type.v : SG_API_REST;
		api->name = sg_plan__physical(ctx, "API", "api", NULL, 1024, spec->api.pos);
		api->logical_id = sg_plan_logical_id(ctx->ids, "Api", "");
		api->tf_name = "api";
		api->stage_name = api->type == SG_API_REST ? plan->stage : "$default";
		api->stage_logical_id = sg_plan_logical_id(ctx->ids, "Api", "Stage");
		/* Claimed even when unused, so it never moves when the first
		 * cognito method appears or goes. */
		api->authorizer_logical_id = sg_plan_logical_id(ctx->ids, "Api", "CognitoAuthorizer");
		api->access_log_group_logical_id = sg_plan_logical_id(ctx->ids, "Api", "AccessLogs");
	}
	if (spec->cognito.present) {
		sg_plan_cognito *c = &plan->cognito;
		c->present = true;
		c->user_pool_name = spec->cognito.user_pool.set
			? spec->cognito.user_pool.v
			: sg_arena_printf(ctx->arena, "%s-users", plan->prefix);
		c->client_name = sg_arena_printf(ctx->arena, "%s-client", plan->prefix);
		c->domain_prefix = str_or(&spec->cognito.domain_prefix, NULL);
		c->user_pool_logical_id = sg_plan_logical_id(ctx->ids, "UserPool", "");
		c->client_logical_id = sg_plan_logical_id(ctx->ids, "UserPool", "Client");
		if (c->domain_prefix)
			c->domain_logical_id = sg_plan_logical_id(ctx->ids, "UserPool", "Domain");
		c->tf_name = "main";
	}
}

/* ---- 3. tables and topics ------------------------------------------------------ */

static sg_plan_key key_of(const sg_key_attr *k)
{
	sg_plan_key out = {NULL, SG_ATTR_S};
	if (k->set && k->name.v) {
		out.name = k->name.v;
		out.type = k->type;
	}
	return out;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const sg_plan_key *)a)->name, ((const sg_plan_key *)b)->name);
}

/* AttributeDefinitions may only name key attributes (of the table and its
 * indexes); each once, sorted so the output does not depend on which index
 * mentions an attribute first.  A type clash is the validator's to report;
 * the first mention wins here. */
static void add_attr(sg_plan_key *attrs, size_t *n, sg_plan_key k)
{
	if (!k.name)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp(attrs[i].name, k.name) == 0)
			return;
	attrs[(*n)++] = k;
}

static void build_tables(sg_plan_ctx *ctx)
{
	const sg_spec *spec = ctx->spec;
	sg_plan *plan = ctx->plan;
	plan->tables = sg_arena_calloc(ctx->arena, spec->table_count, sizeof(*plan->tables));
	plan->table_count = spec->table_count;
	for (size_t i = 0; i < spec->table_count; i++) {
		const sg_table *st = &spec->tables[i];
		sg_plan_table *t = &plan->tables[i];
		t->spec = st;
		t->name = str_or(&st->name, "table");
		t->physical_name = sg_plan__physical(ctx, "table", t->name, NULL,
						     SG_PLAN_TABLE_NAME_MAX, st->pos);
		t->logical_id = sg_plan_logical_id(ctx->ids, t->name, "Table");
		/* Table names may hold "-" (validate_data.c); Terraform names
		 * here are snake_case like every other, and the spec rules out
		 * two tables that differ only in "-" and "_". */
		t->tf_name = dash_to_underscore(ctx->arena, t->name);
		t->env_name = sg_arena_printf(ctx->arena, "TABLE_%s", sg_plan_shout(ctx->arena, t->name));
		t->partition_key = key_of(&st->partition_key);
		t->sort_key = key_of(&st->sort_key);
		t->billing = st->billing.set ? (sg_billing)st->billing.v : SG_BILLING_ON_DEMAND;
		if (t->billing == SG_BILLING_PROVISIONED) {
			/* The validator requires capacity with provisioned
			 * billing; 5/5 only keeps an unchecked spec deployable. */
			t->read_capacity = st->read_capacity.set ? st->read_capacity.v : 5;
			t->write_capacity = st->write_capacity.set ? st->write_capacity.v : 5;
		}
		t->stream = st->stream.set ? (sg_stream_view)st->stream.v : SG_STREAM_NONE;
		t->ttl = str_or(&st->ttl, NULL);
		t->point_in_time_recovery = st->point_in_time_recovery.set
			? st->point_in_time_recovery.v : true;

		sg_plan_key *attrs = sg_arena_calloc(ctx->arena, 2 + 2 * st->index_count, sizeof(*attrs));
		size_t na = 0;
		add_attr(attrs, &na, t->partition_key);
		add_attr(attrs, &na, t->sort_key);

		t->indexes = sg_arena_calloc(ctx->arena, st->index_count, sizeof(*t->indexes));
		t->index_count = st->index_count;
		for (size_t j = 0; j < st->index_count; j++) {
			const sg_index *si = &st->indexes[j];
			sg_plan_index *x = &t->indexes[j];
			x->spec = si;
			x->table = t;
			x->name = str_or(&si->name, "index");
			x->partition_key = key_of(&si->partition_key);
			x->sort_key = key_of(&si->sort_key);
			x->projection = si->projection.set ? (sg_projection)si->projection.v : SG_PROJ_ALL;
			if (x->projection == SG_PROJ_INCLUDE) {
				const char **inc = sg_arena_calloc(ctx->arena, si->include.count, sizeof(*inc));
				for (size_t k = 0; k < si->include.count; k++)
					inc[k] = si->include.items[k].v;
				x->include = inc;
				x->include_count = si->include.count;
			}
			if (t->billing == SG_BILLING_PROVISIONED) {
				x->read_capacity = si->read_capacity.set ? si->read_capacity.v : t->read_capacity;
				x->write_capacity = si->write_capacity.set ? si->write_capacity.v : t->write_capacity;
			}
			x->env_name = sg_arena_printf(ctx->arena, "INDEX_%s_%s",
						      sg_plan_shout(ctx->arena, t->name),
						      sg_plan_shout(ctx->arena, x->name));
			add_attr(attrs, &na, x->partition_key);
			add_attr(attrs, &na, x->sort_key);
		}
		qsort(attrs, na, sizeof(*attrs), cmp_key);
		t->attributes = attrs;
		t->attribute_count = na;
	}
}

static void build_topics(sg_plan_ctx *ctx)
{
	const sg_spec *spec = ctx->spec;
	sg_plan *plan = ctx->plan;
	bool notify = alarms_notify(spec);
	size_t n = spec->topic_count + (notify ? 1 : 0);
	plan->topics = sg_arena_calloc(ctx->arena, n, sizeof(*plan->topics));
	plan->topic_count = n;
	sg_plan_names *tf = sg_plan_names_new(ctx->arena, false);
	for (size_t i = 0; i < spec->topic_count; i++) {
		const sg_topic *st = &spec->topics[i];
		sg_plan_topic *t = &plan->topics[i];
		t->spec = st;
		t->name = str_or(&st->name, "topic");
		t->fifo = st->fifo.set && st->fifo.v;
		t->physical_name = sg_plan__physical(ctx, "topic", t->name, t->fifo ? ".fifo" : NULL,
						     SG_PLAN_TOPIC_NAME_MAX, st->pos);
		t->logical_id = sg_plan_logical_id(ctx->ids, t->name, "Topic");
		t->tf_name = sg_plan_names_claim(tf, t->name, "_");
		t->env_name = sg_arena_printf(ctx->arena, "TOPIC_%s", sg_plan_shout(ctx->arena, t->name));
		t->display_name = str_or(&st->display_name, NULL);
	}
	if (!notify)
		return;

	sg_plan_topic *t = &plan->topics[spec->topic_count];
	t->name = "alarms";
	t->alarm_topic = true;
	t->physical_name = sg_plan__physical(ctx, "alarm topic", "alarms", NULL,
					     SG_PLAN_TOPIC_NAME_MAX, spec->alarms.pos);
	for (size_t i = 0; i < spec->topic_count; i++)
		if (strcmp(plan->topics[i].physical_name, t->physical_name) == 0)
			sg_error(ctx->diags, "name-collision", plan->topics[i].spec->pos,
				 "topic '%s' would be named '%s', the name of the topic svcgen "
				 "creates for alarms.notify; rename the topic",
				 plan->topics[i].name, t->physical_name);
	t->logical_id = sg_plan_logical_id(ctx->ids, "Alarm", "Topic");
	t->tf_name = sg_plan_names_claim(tf, "alarms", "_");
	plan->alarm_topic = t;

	const sg_strlist *emails = &spec->alarms.notify;
	sg_plan_subscription *subs = sg_arena_calloc(ctx->arena, emails->count, sizeof(*subs));
	for (size_t i = 0; i < emails->count; i++) {
		subs[i].email = emails->items[i].v;
		subs[i].logical_id = sg_plan_logical_id(ctx->ids, "AlarmTopic",
			sg_arena_printf(ctx->arena, "Subscription%zu", i + 1));
		subs[i].tf_name = sg_arena_printf(ctx->arena, "alarm_email_%zu", i + 1);
	}
	plan->subscriptions = subs;
	plan->subscription_count = emails->count;
}

/* ---- 4. functions ----------------------------------------------------------- */

static const sg_function *spec_function(const sg_spec *spec, const char *name)
{
	for (size_t i = 0; i < spec->function_count; i++)
		if (spec->functions[i].name.v && strcmp(spec->functions[i].name.v, name) == 0)
			return &spec->functions[i];
	return NULL;
}

static void add_function(sg_plan *plan, const char *name, sg_pos pos)
{
	if (!name || sg_plan__function_index(plan, name) >= 0)
		return;
	sg_plan_function *f = &plan->functions[plan->function_count++];
	f->name = name;
	f->pos = pos;
}

static void apply_settings(sg_plan_ctx *ctx, sg_plan_function *f)
{
	const sg_fn_settings *d = &ctx->spec->defaults;
	const sg_fn_settings *own = f->spec ? &f->spec->settings : NULL;

	f->architecture = (own && own->architecture.set) ? (sg_arch)own->architecture.v
		: d->architecture.set ? (sg_arch)d->architecture.v : SG_ARCH_ARM64;
	f->memory = pick_int(own ? &own->memory : NULL, &d->memory, SG_PLAN_DEFAULT_MEMORY);
	f->timeout = pick_int(own ? &own->timeout : NULL, &d->timeout, SG_PLAN_DEFAULT_TIMEOUT);
	f->log_retention = pick_int(own ? &own->log_retention : NULL, &d->log_retention,
				    SG_PLAN_DEFAULT_LOG_RETENTION);
	f->tracing = (own && own->tracing.set) ? own->tracing.v
		: d->tracing.set ? d->tracing.v : false;
	if (own && own->reserved_concurrency.set) {
		f->reserved_concurrency_set = true;
		f->reserved_concurrency = own->reserved_concurrency.v;
	} else if (d->reserved_concurrency.set) {
		f->reserved_concurrency_set = true;
		f->reserved_concurrency = d->reserved_concurrency.v;
	}
}

static void build_functions(sg_plan_ctx *ctx)
{
	const sg_spec *spec = ctx->spec;
	sg_plan *plan = ctx->plan;
	size_t cap = spec->function_count;
	if (spec->api.present)
		for (size_t r = 0; r < spec->api.route_count; r++)
			cap += spec->api.routes[r].method_count;
	plan->functions = sg_arena_calloc(ctx->arena, cap, sizeof(*plan->functions));

	if (spec->api.present)
		for (size_t r = 0; r < spec->api.route_count; r++)
			for (size_t m = 0; m < spec->api.routes[r].method_count; m++) {
				const sg_method *sm = &spec->api.routes[r].methods[m];
				add_function(plan, sm->function.v, sm->function.pos);
			}
	for (size_t i = 0; i < spec->function_count; i++)
		add_function(plan, spec->functions[i].name.v, spec->functions[i].name.pos);

	for (size_t i = 0; i < plan->function_count; i++) {
		sg_plan_function *f = &plan->functions[i];
		f->spec = spec_function(spec, f->name);
		f->c_name = f->name;
		f->description = f->spec ? str_or(&f->spec->description, NULL) : NULL;
		f->physical_name = sg_plan__physical(ctx, "function", f->name, NULL,
						     SG_PLAN_LAMBDA_NAME_MAX, f->pos);
		/* The role carries the function's name (specs/reference.md
		 * section 3), so the 64-character check covers both. */
		f->role_name = f->physical_name;
		f->policy_name = sg_plan__physical(ctx, "policy", f->name, "-policy",
						   SG_PLAN_POLICY_NAME_MAX, f->pos);
		f->log_group_name = sg_arena_printf(ctx->arena, "/aws/lambda/%s", f->physical_name);
		f->logical_id = sg_plan_logical_id(ctx->ids, f->name, "Function");
		f->role_logical_id = sg_plan_logical_id(ctx->ids, f->name, "Role");
		f->log_group_logical_id = sg_plan_logical_id(ctx->ids, f->name, "LogGroup");
		f->tf_name = sg_plan_names_claim(ctx->tf_functions, f->name, "_");
		apply_settings(ctx, f);
	}
}

/* ---- 6. stream events -------------------------------------------------------- */

static void build_events(sg_plan_ctx *ctx, sg_plan_function *f)
{
	if (!f->spec || f->spec->event_count == 0)
		return;
	const sg_function *sf = f->spec;
	sg_plan_event *ev = sg_arena_calloc(ctx->arena, sf->event_count, sizeof(*ev));
	size_t n = 0;
	for (size_t i = 0; i < sf->event_count; i++) {
		const sg_event *se = &sf->events[i];
		const sg_plan_table *t = se->table.v ? sg_plan_table_by_name(ctx->plan, se->table.v) : NULL;
		if (!t)
			continue;   /* undeclared table: the validator reported it */
		sg_plan_event *e = &ev[n++];
		e->spec = se;
		e->table = t;
		e->stream.kind = SG_PLAN_ARN_STREAM;
		e->stream.table = t;
		e->batch_size = se->batch_size.set ? se->batch_size.v : SG_PLAN_DEFAULT_BATCH_SIZE;
		e->starting_position = se->starting_position.set
			? (sg_start_pos)se->starting_position.v : SG_START_LATEST;
		e->batching_window_set = se->batching_window.set;
		e->batching_window = se->batching_window.v;
		e->retries_set = se->retries.set;
		e->retries = se->retries.v;
		e->filter_json = se->filter_json;
		char *base = sg_arena_printf(ctx->arena, "%s_%s", f->name, t->tf_name);
		e->logical_id = sg_plan_logical_id(ctx->ids, base, "StreamMapping");
		e->tf_name = sg_plan_names_claim(ctx->tf_events, base, "_");
	}
	f->events = ev;
	f->event_count = n;
}

/* ---- 8. resource count ----------------------------------------------------- */

size_t sg_plan_resource_count(const sg_plan *plan)
{
	size_t n = 0;
	for (size_t i = 0; i < plan->function_count; i++)
		n += 3 + plan->functions[i].event_count;
	n += plan->table_count + plan->topic_count + plan->subscription_count;
	if (plan->cognito.present)
		n += 2 + (plan->cognito.domain_logical_id ? 1 : 0);
	const sg_plan_api *api = &plan->api;
	if (api->present) {
		n += 2;                                   /* API + Stage */
		n += 2 * api->method_count;               /* Method/Route + Permission */
		n += api->cognito_authorizer ? 1 : 0;
		n += api->access_logs ? 1 : 0;
		if (api->type == SG_API_REST) {
			n += 1;                           /* Deployment */
			for (size_t i = 0; i < api->node_count; i++)
				n += (api->nodes[i].parent ? 1 : 0) +
				     (api->nodes[i].cors_preflight ? 1 : 0);
		} else {
			for (size_t i = 0; i < plan->function_count; i++)
				n += plan->functions[i].integration_logical_id ? 1 : 0;
		}
	}
	return n + plan->alarm_count;
}

/* ---- lookups ------------------------------------------------------------------- */

const sg_plan_function *sg_plan_function_by_name(const sg_plan *plan, const char *name)
{
	long i = sg_plan__function_index(plan, name);
	return i < 0 ? NULL : &plan->functions[i];
}

const sg_plan_table *sg_plan_table_by_name(const sg_plan *plan, const char *name)
{
	for (size_t i = 0; i < plan->table_count; i++)
		if (strcmp(plan->tables[i].name, name) == 0)
			return &plan->tables[i];
	return NULL;
}

const sg_plan_topic *sg_plan_topic_by_name(const sg_plan *plan, const char *name)
{
	for (size_t i = 0; i < plan->topic_count; i++)
		if (!plan->topics[i].alarm_topic && strcmp(plan->topics[i].name, name) == 0)
			return &plan->topics[i];
	return NULL;
}

/* ---- entry point ------------------------------------------------------------------ */

int sg_plan_build(sg_plan **out, sg_arena *arena, const sg_spec *spec, sg_diags *diags)
{
	if (!out || !arena || !spec || !diags)
		return SG_EUSAGE;
	size_t errors_before = diags->errors;

	sg_plan *plan = sg_arena_alloc(arena, sizeof(*plan));
	plan->spec = spec;
	sg_plan_ctx ctx = {
		.arena = arena, .spec = spec, .diags = diags, .plan = plan,
		.ids = sg_plan_names_new(arena, true),
		.tf_functions = sg_plan_names_new(arena, false),
		.tf_events = sg_plan_names_new(arena, false),
		.tf_nodes = sg_plan_names_new(arena, false),
		.tf_methods = sg_plan_names_new(arena, false),
		.tf_alarms = sg_plan_names_new(arena, false),
	};

	build_service(&ctx);
	build_singletons(&ctx);
	build_tables(&ctx);
	build_topics(&ctx);
	build_functions(&ctx);
	sg_plan__build_api(&ctx);
	for (size_t i = 0; i < plan->function_count; i++) {
		build_events(&ctx, &plan->functions[i]);
		sg_plan__build_access(&ctx, &plan->functions[i]);
	}
	sg_plan__build_alarms(&ctx);
	for (size_t i = 0; i < plan->function_count; i++)
		sg_plan__check_policy_size(&ctx, &plan->functions[i]);

	plan->resource_count = sg_plan_resource_count(plan);
	if (plan->resource_count > SG_PLAN_MAX_RESOURCES)
		sg_error(diags, "too-many-resources", no_pos,
			 "the CloudFormation template would have %zu resources; the limit is %d",
			 plan->resource_count, SG_PLAN_MAX_RESOURCES);

	*out = plan;
	return diags->errors > errors_before ? SG_EFINDINGS : SG_OK;
}
