/*
 * handlers_scaffold.c - what the scaffold of each route does, for the
 * handler templates: the DynamoDB call the route's `uses` grants and the
 * key it needs, in the "scaffold" member of a route's context.
 *
 * The rules (README.md, "Handler projects"):
 *   - the table is the route's first table in `uses`; the operations are
 *     what its accesses there grant (get, query, scan, put, update,
 *     delete; read/write/crud expanded as the access table says);
 *   - a route is keyed when its path parameters name every key attribute
 *     of the table: then GET reads (get), PUT stores (put, else update),
 *     PATCH updates, DELETE deletes, ANY dispatches on the request method;
 *   - GET on a collection lists: query on the partition key (from the path
 *     parameter of that name, else the query string), else scan;
 *   - POST puts the body, creating (the body carries the key);
 *   - a route whose key cannot be derived still makes its granted call,
 *     with the key mapping marked TODO;
 *   - only operations the route's own `uses` grant are ever called (the
 *     function's policy is the union of its routes'), so the scaffold
 *     never calls what iam/<fn>.json does not allow.
 */
#include <string.h>

#include "handlers_int.h"
#include "svcgen/spec.h"

enum {
	OP_GET = 1, OP_QUERY = 2, OP_SCAN = 4, OP_PUT = 8, OP_UPDATE = 16, OP_DELETE = 32,
};

static unsigned ops_of(sg_access a)
{
	switch (a) {
	case SG_ACCESS_GET: return OP_GET;
	case SG_ACCESS_QUERY: return OP_QUERY;
	case SG_ACCESS_SCAN: return OP_SCAN;
	case SG_ACCESS_PUT: return OP_PUT;
	case SG_ACCESS_UPDATE: return OP_UPDATE;
	case SG_ACCESS_DELETE: return OP_DELETE;
	case SG_ACCESS_READ: return OP_GET | OP_QUERY;
	case SG_ACCESS_WRITE: return OP_PUT | OP_UPDATE | OP_DELETE;
	case SG_ACCESS_CRUD: return OP_GET | OP_QUERY | OP_PUT | OP_UPDATE | OP_DELETE;
	default: return 0;
	}
}

static const char *type_char(sg_attr_type t)
{
	return t == SG_ATTR_N ? "N" : t == SG_ATTR_B ? "B" : "S";
}

/* Lower-case copy of an environment variable name (a C variable). */
static char *lower(sg_arena *arena, const char *s)
{
	char *v = sg_arena_strdup(arena, s);
	for (char *p = v; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return v;
}

/* The path parameter names of route `m`, outermost first. */
static size_t route_params(const char **out, size_t cap, const sg_plan_method *m, sg_arena *arena)
{
	size_t n = 0;
	for (const sg_plan_node *node = m->node; node; node = node->parent)
		if (node->param && !node->greedy)
			n++;
	size_t i = n;
	for (const sg_plan_node *node = m->node; node; node = node->parent)
		if (node->param && !node->greedy && i > 0) {
			i--;
			if (i < cap) {
				size_t len = strlen(node->path_part);
				out[i] = sg_arena_strndup(arena, node->path_part + 1, len - 2);
			}
		}
	return n < cap ? n : cap;
}

static bool has(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

/* One call of the scaffold: `op`, behind a method guard for ANY. */
static void add_call(cJSON *calls, const char *guard, unsigned op, bool create)
{
	cJSON *c = cJSON_CreateObject();
	if (guard)
		sg_hc_str(c, "guard", guard);
	sg_hc_bool(c, "op_get", op == OP_GET);
	sg_hc_bool(c, "op_query", op == OP_QUERY);
	sg_hc_bool(c, "op_scan", op == OP_SCAN);
	sg_hc_bool(c, "op_put", op == OP_PUT);
	sg_hc_bool(c, "op_update", op == OP_UPDATE);
	sg_hc_bool(c, "op_delete", op == OP_DELETE);
	sg_hc_bool(c, "create", create);
	cJSON_AddItemToArray(calls, c);
}

/* The single-item operation for `verb` among `ops`, 0 when none fits. */
static unsigned item_op(sg_method_verb verb, unsigned ops)
{
	switch (verb) {
	case SG_METHOD_GET: return ops & OP_GET;
	case SG_METHOD_PUT: return ops & OP_PUT ? OP_PUT : ops & OP_UPDATE;
	case SG_METHOD_PATCH: return ops & OP_UPDATE ? OP_UPDATE : ops & OP_PUT;
	case SG_METHOD_DELETE: return ops & OP_DELETE;
	case SG_METHOD_POST: return ops & OP_PUT;
	default: return 0;
	}
}

/* Any granted operation, most specific first (for a method none fits). */
static unsigned fallback_op(unsigned ops)
{
	static const unsigned order[] = {OP_DELETE, OP_UPDATE, OP_PUT, OP_GET, OP_QUERY, OP_SCAN};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (ops & order[i])
			return order[i];
	return 0;
}

static const char *op_name(unsigned op)
{
	switch (op) {
	case OP_GET: return "GetItem";
	case OP_QUERY: return "Query";
	case OP_SCAN: return "Scan";
	case OP_PUT: return "PutItem";
	case OP_UPDATE: return "UpdateItem";
	case OP_DELETE: return "DeleteItem";
	default: return "";
	}
}

static void add_text(cJSON *o, const char *key, const char *comment_key, const char *s,
		     sg_arena *arena)
{
	sg_hc_str(o, key, s);
	sg_hc_str(o, comment_key, sg_handlers_comment_text(arena, s));
}

void sg_handlers_route_scaffold(cJSON *r, const sg_plan *plan, const sg_plan_method *m,
				sg_arena *arena)
{
	/* The route's first table use, and every access it has on it. */
	const sg_plan_table *tb = NULL;
	const sg_plan_index *ix = NULL;
	unsigned ops = 0;
	const sg_method *sm = m->spec;
	for (size_t u = 0; sm && u < sm->use_count; u++) {
		const sg_use *use = &sm->uses[u];
		const sg_plan_table *t = NULL;
		for (size_t i = 0; i < plan->table_count && !t; i++)
			if (!strcmp(plan->tables[i].name, use->target))
				t = &plan->tables[i];
		if (!t || (tb && t != tb))
			continue;
		const sg_plan_index *x = NULL;
		for (size_t i = 0; use->index && i < t->index_count; i++)
			if (!strcmp(t->indexes[i].name, use->index))
				x = &t->indexes[i];
		if (use->index && !x)
			continue;
		if (tb && x != ix)
			continue; /* one target per scaffold: table or one index */
		tb = t;
		ix = x;
		ops |= ops_of(use->access == SG_ACCESS_DERIVED ? m->derived_access : use->access);
	}
	if (!tb || !tb->env_name || !ops) {
		sg_hc_bool(r, "has_scaffold", false);
		return;
	}
	if (ix)
		ops &= OP_QUERY | OP_SCAN; /* an index is only read */
	cJSON *s = sg_hc_object(r, "scaffold");
	sg_hc_bool(r, "has_scaffold", ops != 0);
	add_text(s, "table", "table_comment", tb->name, arena);
	sg_hc_str(s, "table_env", tb->env_name);
	sg_hc_str(s, "table_var", lower(arena, tb->env_name));
	sg_hc_bool(s, "has_index", ix != NULL);
	if (ix) {
		add_text(s, "index", "index_comment", ix->name, arena);
		sg_hc_str(s, "index_env", ix->env_name);
		sg_hc_str(s, "index_var", lower(arena, ix->env_name));
	}

	const char *params[16];
	size_t np = route_params(params, 16, m, arena);
	const sg_plan_key *keys[2] = {&tb->partition_key, tb->sort_key.name ? &tb->sort_key : NULL};
	size_t nk = keys[1] ? 2 : 1;
	bool keyed = !ix;
	for (size_t k = 0; k < nk; k++)
		keyed = keyed && has(params, np, keys[k]->name);

	/* The key: each attribute from its path parameter; when the route does
	 * not name it, the first unused parameter as a guess, else a fixed
	 * placeholder.  Either way a TODO. */
	cJSON *attrs = sg_hc_array(s, "key_attrs");
	bool used[16] = {false};
	for (size_t k = 0; k < nk; k++)
		for (size_t p = 0; p < np; p++)
			if (!strcmp(params[p], keys[k]->name))
				used[p] = true;
	for (size_t k = 0; k < nk; k++) {
		cJSON *a = cJSON_CreateObject();
		add_text(a, "name", "name_comment", keys[k]->name, arena);
		sg_hc_str(a, "type", type_char(keys[k]->type));
		const char *param = has(params, np, keys[k]->name) ? keys[k]->name : NULL;
		for (size_t p = 0; !param && p < np; p++)
			if (!used[p]) {
				used[p] = true;
				param = params[p];
			}
		sg_hc_bool(a, "has_param", param != NULL);
		if (param)
			add_text(a, "param", "param_comment", param, arena);
		else
			sg_hc_str(a, "value",
						keys[k]->type == SG_ATTR_N ? "0" : "TODO");
		cJSON_AddItemToArray(attrs, a);
	}
	sg_hc_num(s, "key_count", (double)nk);

	/* Query: on the table's or the index's partition key. */
	const sg_plan_key *pk = ix ? &ix->partition_key : &tb->partition_key;
	add_text(s, "pk", "pk_comment", pk->name, arena);
	sg_hc_str(s, "pk_type", type_char(pk->type));
	bool pk_in_path = has(params, np, pk->name);
	sg_hc_bool(s, "pk_in_path", pk_in_path);

	cJSON *calls = sg_hc_array(s, "calls");
	bool last_is_param = m->node && m->node->param;
	unsigned made = 0;
	bool todo_key = false, todo_pk = false, todo_method = false;
	if (m->verb == SG_METHOD_ANY) {
		static const struct {
			const char *name;
			sg_method_verb verb;
		} verbs[] = {{"GET", SG_METHOD_GET},     {"PUT", SG_METHOD_PUT},
			     {"PATCH", SG_METHOD_PATCH}, {"POST", SG_METHOD_POST},
			     {"DELETE", SG_METHOD_DELETE}};
		for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++) {
			unsigned op;
			if (verbs[v].verb == SG_METHOD_GET && !keyed)
				op = ops & OP_QUERY ? OP_QUERY : ops & OP_SCAN ? OP_SCAN : ops & OP_GET;
			else
				op = item_op(verbs[v].verb, ops);
			if (!op)
				continue;
			add_call(calls, verbs[v].name, op, verbs[v].verb == SG_METHOD_POST);
			made |= op;
		}
	} else {
		unsigned op = 0;
		if (m->verb == SG_METHOD_GET && (!keyed || !(ops & OP_GET)) &&
		    (ops & (OP_QUERY | OP_SCAN)) && (!last_is_param || !(ops & OP_GET)))
			op = ops & OP_QUERY ? OP_QUERY : OP_SCAN;
		if (!op)
			op = item_op(m->verb, ops);
		if (!op) {
			op = fallback_op(ops);
			todo_method = true;
		}
		add_call(calls, NULL, op, m->verb == SG_METHOD_POST && op == OP_PUT);
		made = op;
	}
	/* Which TODOs apply. */
	bool item_call = made & (OP_GET | OP_UPDATE | OP_DELETE) ||
			 (made & OP_PUT && m->verb != SG_METHOD_POST);
	todo_key = item_call && !keyed;
	todo_pk = (made & OP_QUERY) && !pk_in_path;
	sg_buf todo = SG_BUF_INIT;
	if (todo_method)
		sg_buf_printf(&todo, "%s %s and its grants on %s do not match one CRUD call; "
				     "it makes the %s it is granted: decide what it should do. ",
			      m->verb_name, m->node->path, tb->name, op_name(made));
	if (todo_key) {
		sg_buf_printf(&todo, "the path parameters do not name every key attribute of table "
				     "%s (%s%s%s): map the key below. ",
			      tb->name, keys[0]->name, keys[1] ? ", " : "", keys[1] ? keys[1]->name : "");
	}
	if (todo_pk)
		sg_buf_printf(&todo, "the partition key %s of %s is read from the query string "
				     "(?%s=...): map it from the route if it comes from elsewhere. ",
			      pk->name, ix ? ix->name : tb->name, pk->name);
	sg_hc_bool(s, "todo", todo.len > 0);
	if (todo.len) {
		while (todo.len && todo.ptr[todo.len - 1] == ' ')
			todo.ptr[--todo.len] = '\0';
		add_text(s, "todo_text", "todo_text_comment", todo.ptr, arena);
	}
	sg_buf_free(&todo);
	sg_hc_bool(s, "keyed", keyed);
	sg_hc_bool(s, "any", m->verb == SG_METHOD_ANY);
	sg_hc_bool(s, "uses_key", item_call || (made & OP_PUT));
	sg_buf ops_text = SG_BUF_INIT;
	static const unsigned all[] = {OP_GET, OP_QUERY, OP_SCAN, OP_PUT, OP_UPDATE, OP_DELETE};
	for (size_t i = 0; i < 6; i++)
		if (made & all[i])
			sg_buf_printf(&ops_text, "%s%s", ops_text.len ? ", " : "", op_name(all[i]));
	add_text(s, "calls_text", "calls_text_comment", ops_text.ptr ? ops_text.ptr : "", arena);
	sg_buf_free(&ops_text);
}
