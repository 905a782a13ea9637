/*
 * validate_data.c - the data and identity parts of the spec: DynamoDB
 * tables and their indexes, SNS topics, the Cognito user pool.
 *
 * Each rule stands for a limit the AWS service enforces at deploy time;
 * catching it here turns a failed stack update into a line and column.
 */
#include "validate_int.h"

#include <stdlib.h>
#include <string.h>

/* The attribute name pattern (DynamoDB allows any 1..255 bytes; svcgen
 * keeps to characters that need no quoting in expressions or HCL). */
#define ATTR_PATTERN "^[A-Za-z0-9_.-]{1,255}$"

static bool attr_name_ok(const char *s)
{
	return sg_v_match(s, "A-Za-z0-9_.-", "A-Za-z0-9_.-", 1, 255);
}

/* Table, index and topic names become parts of physical names, logical IDs,
 * C identifiers and environment variable names (TABLE_ORDERS). */
#define DATA_NAME_PATTERN "^[a-z][a-z0-9_]{0,30}$"

static bool data_name_ok(const char *s)
{
	return sg_v_match(s, "a-z", "a-z0-9_", 1, 31);
}

/* Table names may also hold "-", as DynamoDB's own names do
 * ("lambda-apigateway"): the physical name keeps it, and everything that
 * cannot (environment variable, C identifier, Terraform name, logical ID)
 * reads it as "_", so two names that differ only there are refused
 * (check_table_collisions).  Not ".": it separates a table from its index
 * in `uses` entries. */
#define TABLE_NAME_PATTERN "^[a-z][a-z0-9_-]{0,30}$"

static bool table_name_ok(const char *s)
{
	return sg_v_match(s, "a-z", "a-z0-9_-", 1, 31);
}

static sg_pos name_pos(const sg_str *name, sg_pos fallback)
{
	return name->pos.line ? name->pos : fallback;
}

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* A key attribute that is given: its name must be usable. */
static void check_key_name(sg_vctx *c, const sg_key_attr *k, const char *role)
{
	if (k->set && k->name.v && !attr_name_ok(k->name.v))
		sg_v_error(c, "bad-name", k->name.pos,
			   "%s attribute name '%s' must match " ATTR_PATTERN, role,
			   sg_v_q(c, k->name.v));
}

/* A key attribute and where it was declared, for the one-type rule. */
typedef struct key_ref {
	const sg_key_attr *k;
	const char *owner_kind; /* "table" or "index" */
	const char *owner;
	const char *role;       /* "partition_key" or "sort_key" */
} key_ref;

/*
 * CloudFormation and Terraform declare every key attribute of a table and
 * its indexes once, with one type (AttributeDefinitions); DynamoDB rejects
 * an attribute given two types.  Compare `k` with every earlier key.
 */
static void check_key_type(sg_vctx *c, const key_ref *refs, size_t n, const key_ref *k)
{
	if (!k->k->set || !k->k->name.v)
		return;
	for (size_t i = 0; i < n; i++) {
		const sg_key_attr *o = refs[i].k;
		if (!o->set || !same(o->name.v, k->k->name.v) || o->type == k->k->type ||
		    refs[i].owner == k->owner)
			continue; /* same key twice in one owner: reported on its own */
		sg_v_error(c, "bad-value", k->k->name.pos,
			   "attribute '%s' is %s here but %s as the %s of %s '%s' "
			   "(DynamoDB gives an attribute one type)",
			   sg_v_q(c, k->k->name.v), sg_attr_type_name(k->k->type),
			   sg_attr_type_name(o->type), refs[i].role, refs[i].owner_kind,
			   sg_v_q(c, refs[i].owner));
		return;
	}
}

/*
 * Provisioned tables need both capacities, each >= 1 (DynamoDB:
 * ProvisionedThroughput units are at least 1); an index of such a table
 * takes the table's when it has none (`required` false).  On-demand tables
 * and their indexes may not have any (DynamoDB rejects ProvisionedThroughput
 * with PAY_PER_REQUEST).
 */
static void check_capacity(sg_vctx *c, bool provisioned, bool required, const sg_int *read,
			   const sg_int *write, sg_pos capacity_pos, sg_pos owner_pos,
			   const char *what)
{
	bool given = capacity_pos.line || read->set || write->set;
	if (!provisioned) {
		if (given) {
			sg_pos at = capacity_pos.line ? capacity_pos : read->set ? read->pos : write->pos;
			sg_v_error(c, "capacity-without-provisioned", at,
				   "%s has capacity but on_demand billing "
				   "(capacity is only for 'billing: provisioned')", what);
		}
		return;
	}
	if ((required || given) && (!read->set || !write->set)) {
		const char *which = !read->set && !write->set ? "read and write" :
				    !read->set ? "read" : "write";
		if (given)
			sg_v_error(c, "missing-capacity", capacity_pos.line ? capacity_pos : owner_pos,
				   "capacity of %s needs %s (e.g. 'capacity: {read: 5, write: 5}')",
				   what, which);
		else
			sg_v_error(c, "missing-capacity", owner_pos,
				   "%s has provisioned billing but no capacity "
				   "(add 'capacity: {read: 5, write: 5}')", what);
	}
	if (read->set && read->v < 1)
		sg_v_error(c, "out-of-range", read->pos,
			   "read capacity %lld is out of range (at least 1)", (long long)read->v);
	if (write->set && write->v < 1)
		sg_v_error(c, "out-of-range", write->pos,
			   "write capacity %lld is out of range (at least 1)", (long long)write->v);
}

/* Projected attributes: DynamoDB projects key attributes into every index
 * anyway and refuses them in NonKeyAttributes; it also refuses duplicates
 * and more than 100 non-key attributes. */
static void check_projection(sg_vctx *c, const sg_table *t, const sg_index *ix)
{
	if (!ix->projection.set || ix->projection.v != SG_PROJ_INCLUDE)
		return;
	const sg_strlist *inc = &ix->include;
	sg_pos at = inc->pos.line ? inc->pos : ix->projection.pos;
	if (inc->count == 0) {
		sg_v_error(c, "bad-value", at,
			   "projection of index '%s' lists no attributes "
			   "(write all, keys_only, or 1 to %d attribute names)",
			   sg_v_q(c, ix->name.v), SG_V_MAX_INCLUDE);
		return;
	}
	if (inc->count > SG_V_MAX_INCLUDE) {
		sg_v_error(c, "out-of-range", at,
			   "projection of index '%s' lists %zu attributes; DynamoDB allows at most %d",
			   sg_v_q(c, ix->name.v), inc->count, SG_V_MAX_INCLUDE);
		return;
	}
	const sg_key_attr *keys[] = {&t->partition_key, &t->sort_key,
				     &ix->partition_key, &ix->sort_key};
	for (size_t i = 0; i < inc->count; i++) {
		const sg_str *a = &inc->items[i];
		if (!attr_name_ok(a->v)) {
			sg_v_error(c, "bad-name", a->pos,
				   "projected attribute name '%s' must match " ATTR_PATTERN,
				   sg_v_q(c, a->v));
			continue;
		}
		bool reported = false;
		for (size_t k = 0; k < 4 && !reported; k++) {
			if (keys[k]->set && same(keys[k]->name.v, a->v)) {
				sg_v_error(c, "bad-value", a->pos,
					   "'%s' is a key attribute of %s '%s'; DynamoDB projects "
					   "key attributes into every index, so leave it out",
					   sg_v_q(c, a->v), k < 2 ? "table" : "index",
					   sg_v_q(c, k < 2 ? t->name.v : ix->name.v));
				reported = true;
			}
		}
		for (size_t j = 0; j < i && !reported; j++) {
			if (same(inc->items[j].v, a->v)) {
				sg_v_error(c, "bad-value", a->pos,
					   "attribute '%s' is projected twice (first on line %u)",
					   sg_v_q(c, a->v), inc->items[j].pos.line);
				reported = true;
			}
		}
	}
}

static void check_index(sg_vctx *c, const sg_table *t, const sg_index *ix, bool provisioned,
			key_ref *refs, size_t *nref, bool compare_types)
{
	const char *iname = ix->name.v ? ix->name.v : "";
	if (!data_name_ok(ix->name.v))
		sg_v_error(c, "bad-name", name_pos(&ix->name, ix->pos),
			   "index name '%s' must match " DATA_NAME_PATTERN, sg_v_q(c, iname));
	if (!ix->partition_key.set)
		sg_v_error(c, "missing-key", name_pos(&ix->name, ix->pos),
			   "index '%s' of table '%s' has no partition_key",
			   sg_v_q(c, iname), sg_v_q(c, t->name.v));
	check_key_name(c, &ix->partition_key, "partition_key");
	check_key_name(c, &ix->sort_key, "sort_key");
	if (ix->partition_key.set && ix->sort_key.set &&
	    same(ix->partition_key.name.v, ix->sort_key.name.v))
		sg_v_error(c, "bad-value", ix->sort_key.name.pos,
			   "sort_key '%s' of index '%s' is also its partition_key "
			   "(a key has two different attributes)",
			   sg_v_q(c, ix->sort_key.name.v), sg_v_q(c, iname));
	if (compare_types) {
		key_ref pk = {&ix->partition_key, "index", iname, "partition_key"};
		key_ref sk = {&ix->sort_key, "index", iname, "sort_key"};
		check_key_type(c, refs, *nref, &pk);
		refs[(*nref)++] = pk;
		check_key_type(c, refs, *nref, &sk);
		refs[(*nref)++] = sk;
	}
	char *what = sg_arena_printf(c->a, "index '%s' of table '%s'", sg_v_q(c, iname),
				     sg_v_q(c, t->name.v));
	check_capacity(c, provisioned, false, &ix->read_capacity, &ix->write_capacity,
		       ix->capacity_pos, name_pos(&ix->name, ix->pos), what);
	check_projection(c, t, ix);
}

static void check_table(sg_vctx *c, const sg_table *t)
{
	const char *tname = t->name.v ? t->name.v : "";
	sg_pos tpos = name_pos(&t->name, t->pos);
	if (!table_name_ok(t->name.v))
		sg_v_error(c, "bad-name", tpos, "table name '%s' must match " TABLE_NAME_PATTERN,
			   sg_v_q(c, tname));
	if (!t->partition_key.set)
		sg_v_error(c, "missing-key", tpos, "table '%s' has no partition_key",
			   sg_v_q(c, tname));
	check_key_name(c, &t->partition_key, "partition_key");
	check_key_name(c, &t->sort_key, "sort_key");
	if (t->partition_key.set && t->sort_key.set &&
	    same(t->partition_key.name.v, t->sort_key.name.v))
		sg_v_error(c, "bad-value", t->sort_key.name.pos,
			   "sort_key '%s' of table '%s' is also its partition_key "
			   "(a key has two different attributes)",
			   sg_v_q(c, t->sort_key.name.v), sg_v_q(c, tname));

	bool provisioned = t->billing.set && t->billing.v == SG_BILLING_PROVISIONED;
	char *what = sg_arena_printf(c->a, "table '%s'", sg_v_q(c, tname));
	check_capacity(c, provisioned, true, &t->read_capacity, &t->write_capacity, t->capacity_pos,
		       t->billing.set ? t->billing.pos : tpos, what);

	/* TTL: DynamoDB deletes items by a Number attribute that is not a key. */
	if (t->ttl.set) {
		if (!attr_name_ok(t->ttl.v))
			sg_v_error(c, "bad-name", t->ttl.pos, "ttl attribute name '%s' must match "
				   ATTR_PATTERN, sg_v_q(c, t->ttl.v));
		else if ((t->partition_key.set && same(t->partition_key.name.v, t->ttl.v)) ||
			 (t->sort_key.set && same(t->sort_key.name.v, t->ttl.v)))
			sg_v_error(c, "bad-value", t->ttl.pos,
				   "ttl attribute '%s' is a key attribute of table '%s' "
				   "(use a separate Number attribute)",
				   sg_v_q(c, t->ttl.v), sg_v_q(c, tname));
	}

	/* DynamoDB: at most 20 global secondary indexes per table.  Key types
	 * are compared over the first 20 only, which keeps this linear. */
	if (t->index_count > SG_V_MAX_GSIS)
		sg_v_error(c, "too-many", name_pos(&t->indexes[SG_V_MAX_GSIS].name,
						   t->indexes[SG_V_MAX_GSIS].pos),
			   "table '%s' has %zu indexes; DynamoDB allows at most %d",
			   sg_v_q(c, tname), t->index_count, SG_V_MAX_GSIS);
	key_ref refs[2 + 2 * SG_V_MAX_GSIS];
	size_t nref = 0;
	refs[nref++] = (key_ref){&t->partition_key, "table", tname, "partition_key"};
	refs[nref++] = (key_ref){&t->sort_key, "table", tname, "sort_key"};
	size_t projected = 0;
	for (size_t i = 0; i < t->index_count; i++) {
		const sg_index *ix = &t->indexes[i];
		check_index(c, t, ix, provisioned, refs, &nref, i < SG_V_MAX_GSIS);
		/* DynamoDB: NonKeyAttributes summed over all indexes <= 100. */
		if (ix->projection.set && ix->projection.v == SG_PROJ_INCLUDE &&
		    ix->include.count <= SG_V_MAX_INCLUDE) {
			projected += ix->include.count;
			if (projected > SG_V_MAX_INCLUDE &&
			    projected - ix->include.count <= SG_V_MAX_INCLUDE)
				sg_v_error(c, "out-of-range",
					   ix->include.pos.line ? ix->include.pos : ix->projection.pos,
					   "indexes of table '%s' project %zu attributes in all so far; "
					   "DynamoDB allows at most %d over all indexes of a table",
					   sg_v_q(c, tname), projected, SG_V_MAX_INCLUDE);
		}
	}
}

/* A table name as its environment variable, C identifier and Terraform
 * name read it: "-" as "_". */
typedef struct folded_name {
	const char *folded;
	size_t index;
} folded_name;

static int cmp_folded(const void *a, const void *b)
{
	const folded_name *x = a, *y = b;
	int r = strcmp(x->folded, y->folded);
	if (r)
		return r;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Two tables whose names differ only in "-" against "_" ("a-b", "a_b")
 * would share TABLE_A_B, the logical ID ABTable and the Terraform name
 * a_b: the later one is refused.  Sorting keeps it O(n log n).
 */
static void check_table_collisions(sg_vctx *c)
{
	size_t n = c->spec->table_count, k = 0;
	if (n < 2)
		return;
	folded_name *v = sg_arena_calloc(c->a, n, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		const char *name = c->spec->tables[i].name.v;
		if (!name || !table_name_ok(name))
			continue; /* reported as bad-name */
		char *f = sg_arena_strdup(c->a, name);
		for (char *p = f; *p; p++)
			if (*p == '-')
				*p = '_';
		v[k++] = (folded_name){f, i};
	}
	qsort(v, k, sizeof(*v), cmp_folded);
	for (size_t i = 1; i < k; i++) {
		if (strcmp(v[i - 1].folded, v[i].folded))
			continue;
		const sg_table *first = &c->spec->tables[v[i - 1].index];
		const sg_table *t = &c->spec->tables[v[i].index];
		if (!strcmp(first->name.v, t->name.v))
			continue; /* the same key twice: duplicate-key already */
		char *env = sg_arena_strdup(c->a, v[i].folded);
		for (char *p = env; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		sg_v_error(c, "duplicate-name", name_pos(&t->name, t->pos),
			   "table '%s' differs from table '%s' only in '-' and '_'; both would be "
			   "TABLE_%s to handlers and '%s' to Terraform: rename one",
			   sg_v_q(c, t->name.v), sg_v_q(c, first->name.v), env, v[i].folded);
	}
}

void sg_v_check_tables(sg_vctx *c)
{
	for (size_t i = 0; i < c->spec->table_count; i++)
		check_table(c, &c->spec->tables[i]);
	check_table_collisions(c);
}

void sg_v_check_topics(sg_vctx *c)
{
	for (size_t i = 0; i < c->spec->topic_count; i++) {
		const sg_topic *t = &c->spec->topics[i];
		sg_pos tpos = name_pos(&t->name, t->pos);
		if (!data_name_ok(t->name.v))
			sg_v_error(c, "bad-name", tpos, "topic name '%s' must match " DATA_NAME_PATTERN,
				   sg_v_q(c, t->name.v));
		/* `uses` entries name tables and topics alike: one name, one thing. */
		if (sg_vmap_get(&c->tables, t->name.v) != SG_VMAP_NONE)
			sg_v_error(c, "duplicate-name", tpos,
				   "topic '%s' has the name of a table; 'uses' entries could not "
				   "tell them apart", sg_v_q(c, t->name.v));
		/* SNS: DisplayName up to 100 characters. */
		if (t->display_name.set) {
			size_t n = sg_v_utf8_len(t->display_name.v);
			if (n < 1 || n > 100)
				sg_v_error(c, "bad-value", t->display_name.pos,
					   "display_name must be 1 to 100 characters (it has %zu)", n);
		}
	}
}

static void check_urls(sg_vctx *c, const sg_strlist *l, const char *what)
{
	for (size_t i = 0; i < l->count; i++) {
		const char *why = "";
		if (!sg_v_callback_url_ok(l->items[i].v, &why))
			sg_v_error(c, "bad-url", l->items[i].pos, "%s '%s' is not valid: %s", what,
				   sg_v_q(c, l->items[i].v), why);
	}
}

/* Cognito refuses hosted UI domain prefixes containing these words. */
static bool has_reserved_word(const char *s)
{
	static const char *const words[] = {"aws", "amazon", "cognito"};
	for (size_t i = 0; i < 3; i++)
		if (strstr(s, words[i]))
			return true;
	return false;
}

void sg_v_check_cognito(sg_vctx *c)
{
	const sg_cognito *g = &c->spec->cognito;
	if (!g->present)
		return;
	if (!g->user_pool.set) {
		sg_v_error(c, "missing-key", g->pos,
			   "auth.cognito has no user_pool (the user pool's name)");
	} else {
		/* Cognito: PoolName matches [\w\s+=,.@-]+, 1 to 128 characters
		 * (non-ASCII bytes are taken as word characters). */
		const char *pool = g->user_pool.v ? g->user_pool.v : "";
		size_t n = sg_v_utf8_len(pool);
		const char *p = pool;
		while (*p && ((unsigned char)*p >= 0x80 || strchr(" \t+=,.@-_", *p) ||
			      sg_v_match_n(p, 1, "A-Za-z0-9", "", 1, 1)))
			p++;
		if (n < 1 || n > 128)
			sg_v_error(c, "bad-value", g->user_pool.pos,
				   "user_pool must be 1 to 128 characters (it has %zu)", n);
		else if (*p)
			sg_v_error(c, "bad-name", g->user_pool.pos,
				   "user_pool '%s' may hold only letters, digits, spaces and _ + = , . @ -",
				   sg_v_q(c, pool));
	}
	/* Cognito needs at least one sign-in attribute and, for the app
	 * client's OAuth settings, at least one flow when flows are given. */
	if (g->sign_in.set && g->sign_in.count == 0)
		sg_v_error(c, "bad-value", g->sign_in.pos,
			   "sign_in lists nothing (write at least one of username, email, phone)");
	if (g->oauth_flows.set && g->oauth_flows.count == 0)
		sg_v_error(c, "bad-value", g->oauth_flows.pos,
			   "oauth_flows lists nothing (write code, implicit or both)");
	/* Cognito: MinimumLength 6..99. */
	if (g->password_min_length.set &&
	    (g->password_min_length.v < 6 || g->password_min_length.v > 99))
		sg_v_error(c, "out-of-range", g->password_min_length.pos,
			   "password_min_length %lld is out of range (6 to 99)",
			   (long long)g->password_min_length.v);
	/* Cognito app client: CallbackURLs and LogoutURLs hold 100 each. */
	if (sg_v_bound(c, &g->callback_urls, SG_V_MAX_CALLBACK_URLS, "auth.cognito",
		       "callback_urls", " (Cognito's limit)"))
		check_urls(c, &g->callback_urls, "callback URL");
	if (sg_v_bound(c, &g->logout_urls, SG_V_MAX_CALLBACK_URLS, "auth.cognito", "logout_urls",
		       " (Cognito's limit)"))
		check_urls(c, &g->logout_urls, "logout URL");
	sg_v_bound(c, &g->scopes, SG_V_MAX_CLIENT_SCOPES, "auth.cognito", "scopes",
		   " (Cognito: AllowedOAuthScopes)");
	/* Cognito: a domain prefix is a DNS label, lower-case. */
	if (g->domain_prefix.set) {
		const char *s = g->domain_prefix.v ? g->domain_prefix.v : "";
		size_t n = strlen(s);
		if (!sg_v_match(s, "a-z0-9", "a-z0-9-", 1, 63) || s[n - 1] == '-')
			sg_v_error(c, "bad-name", g->domain_prefix.pos,
				   "domain_prefix '%s' must match ^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
				   sg_v_q(c, s));
		else if (has_reserved_word(s))
			sg_v_error(c, "bad-name", g->domain_prefix.pos,
				   "domain_prefix '%s' may not contain 'aws', 'amazon' or 'cognito' "
				   "(Cognito reserves them)", sg_v_q(c, s));
	}
	/* OAuth scopes: RFC 6749 3.3, a scope is a non-empty token without spaces. */
	for (size_t i = 0; i < g->scopes.count; i++) {
		const char *s = g->scopes.items[i].v ? g->scopes.items[i].v : "";
		if (!*s || strpbrk(s, " \t\n\r"))
			sg_v_error(c, "bad-value", g->scopes.items[i].pos,
				   "scope '%s' must be non-empty and have no spaces", sg_v_q(c, s));
	}
}
