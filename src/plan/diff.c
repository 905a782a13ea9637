/*
 * diff.c - comparing two plans: resources and permissions (diff.h).
 *
 * This sits on top of the plan and the CloudFormation emitter: the
 * resource side compares the two emitted templates (parsed back with
 * cJSON), so it reports exactly what would change in the template; the
 * IAM side compares the plans' statements, expanded into (action,
 * resource) pairs, so a statement that gains one action shows as that one
 * action added.  Terraform addresses come from tfmap.h: the plan's
 * tf_name per resource, and the type table for the companion resources
 * Terraform splits out of a CloudFormation resource.
 */
#include "svcgen/diff.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "svcgen/emit.h"
#include "svcgen/spec.h"
#include "svcgen/tfmap.h"

const char *sg_diff_change_name(sg_diff_change c)
{
	switch (c) {
	case SG_DIFF_ADDED: return "added";
	case SG_DIFF_REMOVED: return "removed";
	case SG_DIFF_CHANGED: return "changed";
	}
	return "?";
}

/* ---- one side ------------------------------------------------------------------ */

/* One resource of a side: where it is, in logical ID order. */
typedef struct entry {
	const cJSON *r;                      /* the resource; its ->string is its ID */
	const char *stack;                   /* "template.json", "stacks/functions-007.json" */
} entry;

typedef struct side {
	const sg_plan *plan;
	entry *res;                          /* every template's resources, by ID */
	size_t count;
	const sg_tfmap_resource **tf;        /* the plan's Terraform names, by ID */
	size_t tf_count;
} side;

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->r->string, ((const entry *)b)->r->string);
}

static int cmp_tf(const void *a, const void *b)
{
	return strcmp((*(const sg_tfmap_resource *const *)a)->logical_id,
		      (*(const sg_tfmap_resource *const *)b)->logical_id);
}

static void delete_json(void *p)
{
	cJSON_Delete(p);
}

static void load_side(side *s, sg_arena *arena, const sg_plan *plan)
{
	memset(s, 0, sizeof(*s));
	s->plan = plan;
	if (!plan)
		return;
	sg_fileset fs;
	sg_fileset_init(&fs, arena);
	/* The emitter's notes (template size) were the user's business when
	 * the spec was generated; they are not findings of a diff. */
	sg_diags scratch;
	sg_diags_init(&scratch, arena, "");
	sg_emit_cfn(&fs, plan, &scratch);
	/* The root template and every nested stack's, as one list by ID. */
	size_t cap = 0;
	const cJSON **roots = sg_arena_calloc(arena, fs.count + 1, sizeof(*roots));
	for (size_t i = 0; i < fs.count; i++) {
		const sg_file *f = &fs.files[i];
		if (strncmp(f->path, "cloudformation/", 15) != 0)
			continue;
		cJSON *tpl = cJSON_ParseWithLength(f->data, f->len);
		if (!tpl)
			continue;
		sg_arena_defer(arena, delete_json, tpl);
		roots[i] = cJSON_GetObjectItemCaseSensitive(tpl, "Resources");
		cap += (size_t)cJSON_GetArraySize(roots[i]);
	}
	s->res = sg_arena_calloc(arena, cap + 1, sizeof(*s->res));
	for (size_t i = 0; i < fs.count; i++) {
		const cJSON *r;
		cJSON_ArrayForEach(r, roots[i]) {
			s->res[s->count].r = r;
			s->res[s->count++].stack = fs.files[i].path + 15;
		}
	}
	qsort(s->res, s->count, sizeof(*s->res), cmp_entry);
	const sg_tfmap_resource *tf;
	sg_tfmap_resources(&tf, &s->tf_count, arena, plan);
	s->tf = sg_arena_calloc(arena, s->tf_count + 1, sizeof(*s->tf));
	for (size_t i = 0; i < s->tf_count; i++)
		s->tf[i] = &tf[i];
	qsort(s->tf, s->tf_count, sizeof(*s->tf), cmp_tf);
}

/* ---- string lists ---------------------------------------------------------------- */

typedef struct strs {
	const char **items;
	size_t count, cap;
} strs;

static void strs_add(strs *l, sg_arena *arena, const char *s)
{
	for (size_t i = 0; i < l->count; i++)
		if (!strcmp(l->items[i], s))
			return;
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		l->items = sg_arena_grow(arena, l->items, l->count, cap, sizeof(*l->items));
		l->cap = cap;
	}
	l->items[l->count++] = s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- Terraform addresses ----------------------------------------------------------- */

/* The value at a '.'-separated path below `obj`, or NULL. */
static const cJSON *at_path(const cJSON *obj, const char *path)
{
	char key[128];
	while (obj && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		obj = cJSON_GetObjectItemCaseSensitive(obj, key);
		path += n + (path[n] == '.');
	}
	return obj;
}

/* Remove the value at '.'-separated `path` below `obj`, if there. */
static void remove_path(cJSON *obj, const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot) {
		char parent[256];
		size_t n = (size_t)(dot - path);
		if (n >= sizeof(parent))
			return;
		memcpy(parent, path, n);
		parent[n] = '\0';
		obj = (cJSON *)at_path(obj, parent);
		path = dot + 1;
	}
	if (cJSON_IsObject(obj))
		cJSON_DeleteItemFromObjectCaseSensitive(obj, path);
}

/*
 * Whether the values at `path` differ, leaving out the parts below it that
 * finer companion rows own (Integration without its IntegrationResponses).
 */
static bool differs_at(const cJSON *a, const cJSON *b, const char *cfn_type, const char *path)
{
	const cJSON *va = at_path(a, path), *vb = at_path(b, path);
	if (!va || !vb)
		return va != vb;
	cJSON *da = cJSON_Duplicate(va, true), *db = cJSON_Duplicate(vb, true);
	size_t n = strlen(path), count;
	const sg_tfmap_entry *e = sg_tfmap_entries(&count);
	for (size_t i = 0; i < count; i++)
		if (e[i].property && !strcmp(e[i].cfn_type, cfn_type) &&
		    !strncmp(e[i].property, path, n) && e[i].property[n] == '.') {
			remove_path(da, e[i].property + n + 1);
			remove_path(db, e[i].property + n + 1);
		}
	bool d = !cJSON_Compare(da, db, true);
	cJSON_Delete(da);
	cJSON_Delete(db);
	return d;
}

/* The Terraform name of `logical_id` on side `s` (binary search). */
static const char *tf_name(sg_arena *arena, const side *s, const char *logical_id)
{
	size_t lo = 0, hi = s->tf_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->tf[mid]->logical_id, logical_id);
		if (c == 0) {
			if (s->tf[mid]->tf_name)
				return s->tf[mid]->tf_name;
			break;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return sg_plan_snake(arena, logical_id); /* a resource the table does not know */
}

/*
 * Addresses of one resource.  `props_a`/`props_b` are the Properties of
 * the two versions (one NULL for added or removed resources: then every
 * companion present counts); `primary` says whether the resource's own
 * Terraform resource changed.
 */
static void addresses(strs *out, sg_arena *arena, const char *cfn_type, const char *name,
		      const cJSON *props_a, const cJSON *props_b, bool primary)
{
	const char *ptype = sg_tfmap_type(cfn_type);
	if (!ptype) {
		/* A nested stack is CloudFormation's packaging: Terraform has
		 * none (nor any other resource svcgen does not map). */
		if (strcmp(cfn_type, "AWS::CloudFormation::Stack") != 0)
			strs_add(out, arena, sg_arena_printf(arena, "(%s).%s", cfn_type, name));
		return;
	}
	if (primary)
		strs_add(out, arena, sg_arena_printf(arena, "%s.%s", ptype, name));
	size_t count;
	const sg_tfmap_entry *e = sg_tfmap_entries(&count);
	for (size_t i = 0; i < count; i++) {
		if (!e[i].property || strcmp(e[i].cfn_type, cfn_type))
			continue;
		bool hit = (props_a && props_b)
			? differs_at(props_a, props_b, cfn_type, e[i].property)
			: at_path(props_a ? props_a : props_b, e[i].property) != NULL;
		if (hit)
			strs_add(out, arena, sg_arena_printf(arena, "%s.%s", e[i].tf_type, name));
	}
}

/* Whether `key` (a top-level property) is owned by a companion row. */
static bool companion_key(const char *cfn_type, const char *key)
{
	size_t count;
	const sg_tfmap_entry *e = sg_tfmap_entries(&count);
	for (size_t i = 0; i < count; i++)
		if (e[i].property && !strcmp(e[i].cfn_type, cfn_type) && !strcmp(e[i].property, key))
			return true;
	return false;
}

/* ---- resources ------------------------------------------------------------------- */

typedef struct builder {
	sg_arena *arena;
	sg_diff *d;
	size_t cap;
	size_t iam_cap;
} builder;

static sg_diff_resource *new_resource(builder *b)
{
	sg_diff *d = b->d;
	if (d->resource_count == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		d->resources = sg_arena_grow(b->arena, d->resources, d->resource_count, cap,
					     sizeof(*d->resources));
		b->cap = cap;
	}
	return &d->resources[d->resource_count++];
}

static const char *type_of(const cJSON *r)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(r, "Type");
	return cJSON_IsString(t) ? t->valuestring : "";
}

/* Types whose resources hold data: their replacement loses it (a retained
 * one stays behind, detached from the stack). */
static bool stateful_type(const char *t)
{
	return !strcmp(t, "AWS::DynamoDB::Table") || !strcmp(t, "AWS::SQS::Queue") ||
	       !strcmp(t, "AWS::Cognito::UserPool");
}

/*
 * Properties whose change replaces the resource ("Update requires:
 * Replacement" in the CloudFormation resource type reference), for the
 * types svcgen writes.  Any other property updates in place.
 */
static const struct { const char *type, *prop; } replacing[] = {
	{"AWS::DynamoDB::Table", "TableName"},
	{"AWS::DynamoDB::Table", "KeySchema"},
	{"AWS::SQS::Queue", "QueueName"},
	{"AWS::SQS::Queue", "FifoQueue"},
	{"AWS::SNS::Topic", "TopicName"},
	{"AWS::SNS::Topic", "FifoTopic"},
	{"AWS::SNS::Subscription", "Endpoint"},
	{"AWS::SNS::Subscription", "Protocol"},
	{"AWS::SNS::Subscription", "TopicArn"},
	{"AWS::Cognito::UserPool", "AliasAttributes"},
	{"AWS::Cognito::UserPool", "UsernameAttributes"},
	{"AWS::Cognito::UserPoolClient", "GenerateSecret"},
	{"AWS::Cognito::UserPoolClient", "UserPoolId"},
	{"AWS::Cognito::UserPoolDomain", "Domain"},
	{"AWS::Cognito::UserPoolDomain", "UserPoolId"},
	{"AWS::IAM::Role", "RoleName"},
	{"AWS::IAM::Role", "Path"},
	{"AWS::Logs::LogGroup", "LogGroupName"},
	{"AWS::Lambda::Function", "FunctionName"},
	{"AWS::Lambda::EventSourceMapping", "EventSourceArn"},
	{"AWS::Lambda::EventSourceMapping", "StartingPosition"},
	{"AWS::Lambda::Permission", "Action"},
	{"AWS::Lambda::Permission", "FunctionName"},
	{"AWS::Lambda::Permission", "Principal"},
	{"AWS::Lambda::Permission", "SourceArn"},
	{"AWS::ApiGateway::Resource", "ParentId"},
	{"AWS::ApiGateway::Resource", "PathPart"},
	{"AWS::ApiGateway::Resource", "RestApiId"},
	{"AWS::ApiGateway::Method", "HttpMethod"},
	{"AWS::ApiGateway::Method", "ResourceId"},
	{"AWS::ApiGateway::Method", "RestApiId"},
	{"AWS::ApiGateway::Stage", "StageName"},
	{"AWS::ApiGateway::Stage", "RestApiId"},
	{"AWS::ApiGateway::Authorizer", "RestApiId"},
	{"AWS::ApiGateway::GatewayResponse", "ResponseType"},
	{"AWS::ApiGateway::GatewayResponse", "RestApiId"},
	{"AWS::ApiGatewayV2::Api", "ProtocolType"},
	{"AWS::ApiGatewayV2::Route", "ApiId"},
	{"AWS::ApiGatewayV2::Integration", "ApiId"},
	{"AWS::ApiGatewayV2::Stage", "StageName"},
	{"AWS::ApiGatewayV2::Stage", "ApiId"},
	{"AWS::ApiGatewayV2::Authorizer", "ApiId"},
	{"AWS::CloudWatch::Alarm", "AlarmName"},
};

static bool replaces(const char *type, const char *prop)
{
	for (size_t i = 0; i < sizeof(replacing) / sizeof(replacing[0]); i++)
		if (!strcmp(replacing[i].type, type) && !strcmp(replacing[i].prop, prop))
			return true;
	return false;
}

static void added_or_removed(builder *b, sg_diff_change change, const side *s, const entry *e)
{
	const cJSON *r = e->r;
	sg_diff_resource *dr = new_resource(b);
	memset(dr, 0, sizeof(*dr));
	dr->change = change;
	dr->logical_id = r->string;
	dr->cfn_type = type_of(r);
	dr->stack = e->stack;
	dr->stateful = stateful_type(dr->cfn_type);
	strs tf = {0};
	addresses(&tf, b->arena, dr->cfn_type, tf_name(b->arena, s, r->string),
		  cJSON_GetObjectItemCaseSensitive(r, "Properties"), NULL, true);
	dr->terraform = tf.items;
	dr->terraform_count = tf.count;
	if (change == SG_DIFF_ADDED)
		b->d->added++;
	else
		b->d->removed++;
}

/* Keys of either object whose values differ (or exist on one side only). */
static void differing_keys(strs *out, sg_arena *arena, const cJSON *a, const cJSON *c,
			   const char *skip)
{
	const cJSON *x;
	cJSON_ArrayForEach(x, a) {
		if (skip && !strcmp(x->string, skip))
			continue;
		const cJSON *y = cJSON_GetObjectItemCaseSensitive(c, x->string);
		if (!y || !cJSON_Compare(x, y, true))
			strs_add(out, arena, x->string);
	}
	cJSON_ArrayForEach(x, c) {
		if (skip && !strcmp(x->string, skip))
			continue;
		if (!cJSON_GetObjectItemCaseSensitive(a, x->string))
			strs_add(out, arena, x->string);
	}
}

static void changed(builder *b, const side *after, const entry *ea, const entry *eb)
{
	const cJSON *ra = ea->r, *rb = eb->r;
	const cJSON *pa = cJSON_GetObjectItemCaseSensitive(ra, "Properties");
	const cJSON *pb = cJSON_GetObjectItemCaseSensitive(rb, "Properties");
	strs keys = {0};
	differing_keys(&keys, b->arena, pa, pb, NULL);
	size_t nprops = keys.count;
	differing_keys(&keys, b->arena, ra, rb, "Properties"); /* DependsOn, policies, ... */
	/* A resource that changes stacks is deleted from one and created in
	 * the other: a replacement, whatever else stays the same. */
	bool moved = strcmp(ea->stack, eb->stack) != 0;
	if (!keys.count && !moved)
		return;
	const char *type = type_of(rb);
	/* An attribute changed, or it moves (the address names it then:
	 * Terraform itself has no stacks, so nothing changes there). */
	bool primary = keys.count > nprops || moved;
	for (size_t i = 0; i < nprops && !primary; i++)
		if (!companion_key(type, keys.items[i]))
			primary = true;
	sg_diff_resource *dr = new_resource(b);
	memset(dr, 0, sizeof(*dr));
	dr->change = SG_DIFF_CHANGED;
	dr->logical_id = rb->string;
	dr->cfn_type = type;
	strs tf = {0};
	/* Both sides must be objects here: a resource without Properties
	 * compares as one with none. */
	cJSON *empty = NULL;
	if (!pa || !pb) {
		empty = cJSON_CreateObject();
		sg_arena_defer(b->arena, delete_json, empty);
	}
	addresses(&tf, b->arena, type, tf_name(b->arena, after, rb->string), pa ? pa : empty,
		  pb ? pb : empty, primary);
	dr->terraform = tf.items;
	dr->terraform_count = tf.count;
	if (keys.count) /* a move with no property changed has none */
		qsort(keys.items, keys.count, sizeof(*keys.items), cmp_str);
	dr->properties = keys.items;
	dr->property_count = keys.count;
	dr->stack = eb->stack;
	dr->stack_before = ea->stack;
	dr->moved = moved;
	dr->stateful = stateful_type(type);
	strs why = {0};
	for (size_t i = 0; i < nprops; i++)
		if (replaces(type, keys.items[i]))
			strs_add(&why, b->arena, keys.items[i]);
	dr->replaced_by = why.items;
	dr->replaced_by_count = why.count;
	dr->replaced = moved || why.count;
	b->d->changed++;
	if (dr->replaced) {
		b->d->replaced++;
		b->d->replaced_stateful += dr->stateful;
	}
}

static int cmp_resource(const void *a, const void *b)
{
	const sg_diff_resource *x = a, *y = b;
	int c = strcmp(x->logical_id, y->logical_id);
	if (c)
		return c;
	/* A type change: the old resource goes, then the new one comes. */
	return (x->change == SG_DIFF_ADDED) - (y->change == SG_DIFF_ADDED);
}

/* Both sides are sorted by logical ID: one merge walk, linear. */
static void diff_resources(builder *b, const side *before, const side *after)
{
	size_t i = 0, k = 0;
	while (i < before->count || k < after->count) {
		int c = i == before->count ? 1 : k == after->count ? -1
			: strcmp(before->res[i].r->string, after->res[k].r->string);
		if (c < 0) {
			added_or_removed(b, SG_DIFF_REMOVED, before, &before->res[i++]);
		} else if (c > 0) {
			added_or_removed(b, SG_DIFF_ADDED, after, &after->res[k++]);
		} else {
			const entry *ea = &before->res[i++], *eb = &after->res[k++];
			if (strcmp(type_of(ea->r), type_of(eb->r)) != 0) {
				added_or_removed(b, SG_DIFF_REMOVED, before, ea);
				added_or_removed(b, SG_DIFF_ADDED, after, eb);
			} else {
				changed(b, after, ea, eb);
			}
		}
	}
	if (b->d->resource_count > 1)
		qsort(b->d->resources, b->d->resource_count, sizeof(*b->d->resources), cmp_resource);
}

/* ---- IAM ------------------------------------------------------------------------- */

typedef struct pair {
	const char *function, *action, *resource;
} pair;

typedef struct pairs {
	pair *items;
	size_t count, cap;
} pairs;

static int cmp_pair(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	int c = strcmp(x->function, y->function);
	if (!c)
		c = strcmp(x->resource, y->resource);
	if (!c)
		c = strcmp(x->action, y->action);
	return c;
}

/* Every (function, action, resource) a plan grants, sorted, unique. */
static pairs grants(sg_arena *arena, const sg_plan *plan)
{
	pairs p = {0};
	for (size_t i = 0; plan && i < plan->function_count; i++) {
		const sg_plan_function *fn = &plan->functions[i];
		for (size_t k = 0; k < fn->statement_count; k++) {
			const sg_plan_statement *st = &fn->statements[k];
			const char *res = sg_plan_arn_literal(arena, plan, &st->resource);
			for (size_t a = 0; a < st->action_count; a++) {
				if (p.count == p.cap) {
					size_t cap = p.cap ? p.cap * 2 : 64;
					p.items = sg_arena_grow(arena, p.items, p.count, cap,
								sizeof(*p.items));
					p.cap = cap;
				}
				p.items[p.count++] = (pair){fn->name, st->actions[a], res};
			}
		}
	}
	if (p.count > 1)
		qsort(p.items, p.count, sizeof(*p.items), cmp_pair);
	/* Unique: two statements never share a resource, but be sure. */
	size_t n = 0;
	for (size_t i = 0; i < p.count; i++)
		if (!n || cmp_pair(&p.items[n - 1], &p.items[i]))
			p.items[n++] = p.items[i];
	p.count = n;
	return p;
}

static void iam_row(builder *b, sg_diff_change change, const pair *p)
{
	sg_diff *d = b->d;
	if (d->iam_count == b->iam_cap) {
		size_t cap = b->iam_cap ? b->iam_cap * 2 : 32;
		d->iam = sg_arena_grow(b->arena, d->iam, d->iam_count, cap, sizeof(*d->iam));
		b->iam_cap = cap;
	}
	d->iam[d->iam_count++] = (sg_diff_iam){change, p->function, p->action, p->resource};
	if (change == SG_DIFF_ADDED)
		d->iam_added++;
	else
		d->iam_removed++;
}

/* Merge the two sorted lists: rows come out in their order. */
static void diff_iam(builder *b, const sg_plan *before, const sg_plan *after)
{
	pairs x = grants(b->arena, before), y = grants(b->arena, after);
	size_t i = 0, k = 0;
	while (i < x.count || k < y.count) {
		int c = i == x.count ? 1 : k == y.count ? -1 : cmp_pair(&x.items[i], &y.items[k]);
		if (c < 0)
			iam_row(b, SG_DIFF_REMOVED, &x.items[i++]);
		else if (c > 0)
			iam_row(b, SG_DIFF_ADDED, &y.items[k++]);
		else
			i++, k++;
	}
}

int sg_diff_plans(sg_diff **out, sg_arena *arena, const sg_plan *before, const sg_plan *after)
{
	if (!out || !arena)
		return SG_EUSAGE;
	sg_diff *d = sg_arena_alloc(arena, sizeof(*d));
	builder b = {arena, d, 0, 0};
	side sb, sa;
	load_side(&sb, arena, before);
	load_side(&sa, arena, after);
	diff_resources(&b, &sb, &sa);
	diff_iam(&b, before, after);
	*out = d;
	return SG_OK;
}

bool sg_diff_empty(const sg_diff *d)
{
	return !d || (d->resource_count == 0 && d->iam_count == 0);
}

/* ---- output ------------------------------------------------------------------------ */

static const char *sign(sg_diff_change c)
{
	return c == SG_DIFF_ADDED ? "+" : c == SG_DIFF_REMOVED ? "-" : "~";
}

static void pad_to(sg_buf *b, size_t used, size_t width)
{
	sg_buf_pad(b, ' ', width > used ? width - used : 0);
}

void sg_diff_write_text(sg_buf *out, const sg_diff *d)
{
	if (sg_diff_empty(d)) {
		sg_buf_puts(out, "No changes: resources and permissions are the same.\n");
		return;
	}
	if (d->resource_count) {
		size_t w = 0;
		for (size_t i = 0; i < d->resource_count; i++)
			if (strlen(d->resources[i].logical_id) > w)
				w = strlen(d->resources[i].logical_id);
		/* "-/+" is two wider than the other signs: with a replacement the
		 * addresses' column moves over for every line. */
		size_t shift = d->replaced ? 2 : 0;
		sg_buf_puts(out, "Resource changes (CloudFormation logical ID, Terraform address):\n");
		for (size_t i = 0; i < d->resource_count; i++) {
			const sg_diff_resource *r = &d->resources[i];
			sg_buf_printf(out, "  %s %s", r->replaced ? "-/+" : sign(r->change), r->logical_id);
			pad_to(out, strlen(r->logical_id) + (r->replaced ? 2 : 0), w + 2 + shift);
			for (size_t k = 0; k < r->terraform_count; k++)
				sg_buf_printf(out, "%s%s", k ? ", " : "", r->terraform[k]);
			for (size_t k = 0; k < r->property_count; k++)
				sg_buf_printf(out, "%s%s", k ? ", " : "  (", r->properties[k]);
			sg_buf_puts(out, r->property_count ? ")" : "");
			if (r->moved)
				sg_buf_printf(out, "  [moves from %s to %s: replaced]", r->stack_before,
					      r->stack);
			else if (r->replaced)
				for (size_t k = 0; k < r->replaced_by_count; k++)
					sg_buf_printf(out, "%s%s", k ? ", " : "  [replaced: ",
						      r->replaced_by[k]);
			if (!r->moved && r->replaced)
				sg_buf_putc(out, ']');
			if (r->replaced && r->stateful)
				sg_buf_puts(out, "  STATEFUL: its data stays in the old resource");
			sg_buf_putc(out, '\n');
		}
	}
	if (d->iam_count) {
		size_t wf = strlen("FUNCTION"), wa = strlen("ACTION");
		for (size_t i = 0; i < d->iam_count; i++) {
			if (strlen(d->iam[i].function) > wf)
				wf = strlen(d->iam[i].function);
			if (strlen(d->iam[i].action) + 2 > wa)
				wa = strlen(d->iam[i].action) + 2;
		}
		if (d->resource_count)
			sg_buf_putc(out, '\n');
		sg_buf_puts(out, "IAM changes (+ granted, - revoked):\n  FUNCTION");
		pad_to(out, strlen("FUNCTION"), wf + 2);
		sg_buf_puts(out, "ACTION");
		pad_to(out, strlen("ACTION"), wa + 2);
		sg_buf_puts(out, "RESOURCE\n");
		for (size_t i = 0; i < d->iam_count; i++) {
			const sg_diff_iam *r = &d->iam[i];
			sg_buf_printf(out, "  %s", r->function);
			pad_to(out, strlen(r->function), wf + 2);
			sg_buf_printf(out, "%s %s", sign(r->change), r->action);
			pad_to(out, strlen(r->action) + 2, wa + 2);
			sg_buf_printf(out, "%s\n", r->resource);
		}
	}
	sg_buf_printf(out, "\nSummary: %zu to add, %zu to change", d->added, d->changed);
	if (d->replaced)
		sg_buf_printf(out, " (%zu replaced, %zu of them stateful)", d->replaced,
			      d->replaced_stateful);
	sg_buf_printf(out, ", %zu to destroy; IAM: %zu added, %zu removed.\n",
		      d->removed, d->iam_added, d->iam_removed);
}

static cJSON *string_array(const char *const *items, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(items[i]));
	return a;
}

void sg_diff_add_json(struct cJSON *obj, const sg_diff *d)
{
	cJSON *res = cJSON_AddArrayToObject(obj, "resources");
	for (size_t i = 0; i < d->resource_count; i++) {
		const sg_diff_resource *r = &d->resources[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "change", sg_diff_change_name(r->change));
		cJSON_AddStringToObject(o, "logical_id", r->logical_id);
		cJSON_AddStringToObject(o, "type", r->cfn_type);
		cJSON_AddItemToObject(o, "terraform", string_array(r->terraform, r->terraform_count));
		cJSON_AddItemToObject(o, "properties", string_array(r->properties, r->property_count));
		cJSON_AddStringToObject(o, "stack", r->stack ? r->stack : "template.json");
		if (r->stack_before)
			cJSON_AddStringToObject(o, "stack_before", r->stack_before);
		cJSON_AddBoolToObject(o, "moved", r->moved);
		cJSON_AddBoolToObject(o, "replaced", r->replaced);
		cJSON_AddItemToObject(o, "replaced_by", string_array(r->replaced_by, r->replaced_by_count));
		cJSON_AddBoolToObject(o, "stateful", r->stateful);
		cJSON_AddItemToArray(res, o);
	}
	cJSON *iam = cJSON_AddArrayToObject(obj, "iam");
	for (size_t i = 0; i < d->iam_count; i++) {
		const sg_diff_iam *r = &d->iam[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "function", r->function);
		cJSON_AddStringToObject(o, "change", sg_diff_change_name(r->change));
		cJSON_AddStringToObject(o, "action", r->action);
		cJSON_AddStringToObject(o, "resource", r->resource);
		cJSON_AddItemToArray(iam, o);
	}
	cJSON *sum = cJSON_AddObjectToObject(obj, "summary");
	cJSON_AddNumberToObject(sum, "added", (double)d->added);
	cJSON_AddNumberToObject(sum, "changed", (double)d->changed);
	cJSON_AddNumberToObject(sum, "removed", (double)d->removed);
	cJSON_AddNumberToObject(sum, "replaced", (double)d->replaced);
	cJSON_AddNumberToObject(sum, "replaced_stateful", (double)d->replaced_stateful);
	cJSON_AddNumberToObject(sum, "iam_added", (double)d->iam_added);
	cJSON_AddNumberToObject(sum, "iam_removed", (double)d->iam_removed);
}
