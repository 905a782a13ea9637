/*
 * validate_api.c - the API (API Gateway REST or HTTP API): its settings,
 * its routes and their paths, method auth, and every `uses` entry (routes'
 * and functions').
 *
 * Paths follow API Gateway's resource rules: a REST API is a tree of
 * resources in which one level can hold only one variable part, so
 * /users/{id} next to /users/{user_id} fails to deploy; an HTTP API matches
 * route keys by shape.  Both take {name+} only as the last segment.
 */
#include "validate_int.h"

#include <string.h>

#define PATH_MAX_LEN   1024   /* API Gateway: resource path length */
#define PARAM_PATTERN  "^[A-Za-z_][A-Za-z0-9_]*$"
#define SEG_PATTERN    "[A-Za-z0-9._~-]+"

/* One path segment: a literal, {name} or the greedy {name+}. */
typedef struct seg {
	const char *s;      /* the segment as written, braces included */
	size_t n;
	bool var, greedy;
} seg;

typedef struct vpath {
	seg *segs;
	size_t n;
	bool ok;            /* well-formed: takes part in the conflict checks */
} vpath;

static bool seg_text_eq(const seg *a, const seg *b)
{
	return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

/* The parameter name inside {name} or {name+}: start and length. */
static size_t param_len(const seg *g)
{
	return g->n - (g->greedy ? 3 : 2);
}

static bool param_eq(const seg *a, const seg *b)
{
	return param_len(a) == param_len(b) && memcmp(a->s + 1, b->s + 1, param_len(a)) == 0;
}

/* ---- paths ------------------------------------------------------------------ */

static void check_path(sg_vctx *c, const sg_route *r, vpath *out)
{
	const char *p = r->path.v ? r->path.v : "";
	const char *qp = sg_v_q(c, p);
	sg_pos at = r->path.pos.line ? r->path.pos : r->pos;
	size_t len = strlen(p);
	out->ok = false;
	if (p[0] != '/') {
		sg_v_error(c, "bad-path", at, "path '%s' must start with '/'", qp);
		return;
	}
	if (len > PATH_MAX_LEN) {
		sg_v_error(c, "bad-path", at,
			   "path is %zu characters; API Gateway allows at most %d", len, PATH_MAX_LEN);
		return;
	}
	bool ok = true;
	if (len > 1 && p[len - 1] == '/') {
		sg_v_error(c, "bad-path", at, "path '%s' must not end with '/'", qp);
		ok = false;
		len--;
	}
	/* Split; the root "/" has no segments. */
	size_t cap = 0;
	for (size_t i = 0; i < len; i++)
		cap += p[i] == '/';
	out->segs = sg_arena_calloc(c->a, cap ? cap : 1, sizeof(seg));
	out->n = 0;
	bool empty_reported = false;
	for (size_t i = 1; i <= len && len > 1;) {
		size_t j = i;
		while (j < len && p[j] != '/')
			j++;
		seg g = {p + i, j - i, false, false};
		i = j + 1;
		if (g.n == 0) {
			if (!empty_reported)
				sg_v_error(c, "bad-path", at, "path '%s' has an empty segment ('//')", qp);
			empty_reported = true;
			ok = false;
			continue;
		}
		if (g.s[0] == '{' && g.n >= 2 && g.s[g.n - 1] == '}') {
			g.var = true;
			g.greedy = g.n >= 3 && g.s[g.n - 2] == '+';
			size_t nlen = g.n - (g.greedy ? 3 : 2);
			if (!sg_v_match_n(g.s + 1, nlen, "A-Za-z_", "A-Za-z0-9_", 1, (size_t)-1)) {
				sg_v_error(c, "bad-path", at,
					   "path parameter '%s' in '%s' must match " PARAM_PATTERN,
					   sg_v_q(c, sg_arena_strndup(c->a, g.s + 1, nlen)), qp);
				ok = false;
			}
		} else if (!sg_v_match_n(g.s, g.n, "A-Za-z0-9._~-", "A-Za-z0-9._~-", 1, (size_t)-1)) {
			sg_v_error(c, "bad-path", at,
				   "segment '%s' of path '%s' must be " SEG_PATTERN ", {name} or {name+}",
				   sg_v_q(c, sg_arena_strndup(c->a, g.s, g.n)), qp);
			ok = false;
		}
		out->segs[out->n++] = g;
	}
	for (size_t k = 0; k < out->n; k++) {
		const seg *g = &out->segs[k];
		if (g->greedy && k + 1 < out->n) {
			sg_v_error(c, "proxy-not-last", at,
				   "greedy parameter '%s' must be the last segment of path '%s'",
				   sg_v_q(c, sg_arena_strndup(c->a, g->s, g->n)), qp);
			ok = false;
		}
		if (!g->var)
			continue;
		for (size_t j = 0; j < k; j++) {
			if (out->segs[j].var && param_eq(&out->segs[j], g)) {
				sg_v_error(c, "bad-path", at,
					   "path parameter '%s' appears twice in '%s'",
					   sg_v_q(c, sg_arena_strndup(c->a, g->s + 1, param_len(g))), qp);
				ok = false;
				break;
			}
		}
	}
	out->ok = ok;
}

/* Same shape: same length, equal literals, variables where the other has
 * variables (names aside). */
static bool same_shape(const vpath *a, const vpath *b)
{
	if (a->n != b->n)
		return false;
	for (size_t k = 0; k < a->n; k++) {
		const seg *x = &a->segs[k], *y = &b->segs[k];
		if (x->var != y->var || x->greedy != y->greedy || (!x->var && !seg_text_eq(x, y)))
			return false;
	}
	return true;
}

/*
 * REST: the first level at which two paths part must not hold two different
 * variable parts (API Gateway: "A sibling ({id}) of this resource already
 * has a variable path part -- only one is allowed").
 */
static bool rest_conflict(const vpath *a, const vpath *b)
{
	size_t n = a->n < b->n ? a->n : b->n, k = 0;
	while (k < n && seg_text_eq(&a->segs[k], &b->segs[k]))
		k++;
	return k < n && a->segs[k].var && b->segs[k].var;
}

static bool same_text(const vpath *a, const vpath *b)
{
	if (a->n != b->n)
		return false;
	for (size_t k = 0; k < a->n; k++)
		if (!seg_text_eq(&a->segs[k], &b->segs[k]))
			return false;
	return true;
}

/*
 * Methods of `r` that `o`, a path of the same shape, has too: an HTTP API
 * routes "GET /users/{id}" and "GET /users/{user_id}" alike.  (The same
 * path written twice is a duplicate key, reported by the parser.)
 */
static void check_same_verbs(sg_vctx *c, const sg_route *r, const sg_route *o)
{
	for (size_t m = 0; m < r->method_count; m++) {
		const sg_method *x = &r->methods[m];
		for (size_t k = 0; k < o->method_count; k++) {
			if (o->methods[k].verb.v != x->verb.v)
				continue;
			const char *verb = sg_method_name((sg_method_verb)x->verb.v);
			sg_v_error(c, "duplicate-route", x->pos,
				   "route '%s %s' is the same as '%s %s' (only the parameter names differ)",
				   verb, sg_v_q(c, r->path.v), verb, sg_v_q(c, o->path.v));
			break;
		}
	}
}

static void check_conflicts(sg_vctx *c, const vpath *paths)
{
	const sg_api *api = &c->spec->api;
	bool http = api->type.set && api->type.v == SG_API_HTTP;
	for (size_t j = 1; j < api->route_count; j++) {
		if (!paths[j].ok)
			continue;
		const sg_route *r = &api->routes[j];
		for (size_t i = 0; i < j; i++) {
			if (!paths[i].ok)
				continue;
			const sg_route *o = &api->routes[i];
			if (!http && rest_conflict(&paths[j], &paths[i])) {
				sg_v_error(c, "bad-path", r->path.pos.line ? r->path.pos : r->pos,
					   "path '%s' conflicts with '%s' (a REST API allows one "
					   "variable segment per level: use the same parameter name)",
					   sg_v_q(c, r->path.v), sg_v_q(c, o->path.v));
				break;
			}
			if (http && same_shape(&paths[j], &paths[i]) && !same_text(&paths[j], &paths[i]))
				check_same_verbs(c, r, o);
		}
	}
}

/* ---- uses ------------------------------------------------------------------- */

void sg_v_check_use(sg_vctx *c, const sg_use *u, int verb)
{
	const char *target = u->target ? u->target : "";
	if (!*target || (u->index && !*u->index))
		return; /* not a uses entry at all: the parser said so */
	const char *raw = sg_v_q(c, u->raw ? u->raw : target);
	size_t t = sg_vmap_get(&c->tables, target);
	size_t p = t == SG_VMAP_NONE ? sg_vmap_get(&c->topics, target) : SG_VMAP_NONE;
	if (t == SG_VMAP_NONE && p == SG_VMAP_NONE) {
		bool topic = u->access == SG_ACCESS_PUBLISH;
		sg_v_error(c, topic ? "undeclared-topic" : "undeclared-table", u->pos,
			   "%s '%s' is not declared%s", topic ? "topic" : "table", sg_v_q(c, target),
			   sg_v_hint(c, target, c->target_names, c->target_count));
		return;
	}
	if (p != SG_VMAP_NONE) {
		if (u->index)
			sg_v_error(c, "bad-access", u->pos,
				   "'%s' names an index, but '%s' is a topic", raw, sg_v_q(c, target));
		else if (u->access != SG_ACCESS_PUBLISH && u->access != SG_ACCESS_DERIVED)
			sg_v_error(c, "bad-access", u->pos,
				   "'%s': topic '%s' takes only 'publish' (write '%s:publish')",
				   raw, sg_v_q(c, target), sg_v_q(c, target));
		return;
	}
	const sg_table *tb = &c->spec->tables[t];
	if (u->index) {
		if (!sg_table_index(tb, u->index)) {
			const char **names = sg_arena_calloc(c->a, tb->index_count + 1, sizeof(*names));
			for (size_t i = 0; i < tb->index_count; i++)
				names[i] = tb->indexes[i].name.v;
			sg_v_error(c, "undeclared-index", u->pos,
				   "table '%s' has no index '%s'%s", sg_v_q(c, target),
				   sg_v_q(c, u->index), sg_v_hint(c, u->index, names, tb->index_count));
		} else if (u->access != SG_ACCESS_QUERY && u->access != SG_ACCESS_SCAN) {
			/* IAM: an index ARN only grants Query and Scan. */
			sg_v_error(c, "bad-access", u->pos,
				   "'%s': an index takes only query or scan (write '%s.%s:query')",
				   raw, sg_v_q(c, target), sg_v_q(c, u->index));
		}
		return;
	}
	if (u->access == SG_ACCESS_PUBLISH)
		sg_v_error(c, "bad-access", u->pos,
			   "'%s': '%s' is a table; publish is for topics", raw, sg_v_q(c, target));
	else if (u->access == SG_ACCESS_DERIVED && verb < 0)
		sg_v_error(c, "bad-access", u->pos,
			   "'%s': no route method to derive access from; write '%s:read' "
			   "(or get, query, scan, put, update, delete, write, crud)",
			   raw, sg_v_q(c, target));
	else if (u->access == SG_ACCESS_DERIVED &&
		 (verb == SG_METHOD_HEAD || verb == SG_METHOD_OPTIONS))
		sg_v_error(c, "bad-access", u->pos,
			   "'%s': %s derives no access; write it, e.g. '%s:get'",
			   raw, sg_method_name((sg_method_verb)verb), sg_v_q(c, target));
}

/* ---- settings, methods, routes --------------------------------------------- */

static void check_cors(sg_vctx *c, const sg_cors *cors)
{
	if (!cors->set)
		return;
	if (cors->origins.count == 0)
		sg_v_error(c, "missing-key", cors->origins.set ? cors->origins.pos : cors->pos,
			   "cors lists no origins (write at least one, e.g. https://example.com)");
	sg_v_bound(c, &cors->headers, SG_V_MAX_CORS_HEADERS, "cors", "headers", "");
	bool wildcard = false;
	if (!sg_v_bound(c, &cors->origins, SG_V_MAX_CORS_ORIGINS, "cors", "origins",
			" (more origins than that call for '*' or a domain of their own)"))
		return;
	for (size_t i = 0; i < cors->origins.count; i++) {
		const sg_str *o = &cors->origins.items[i];
		const char *why = "";
		if (o->v && strcmp(o->v, "*") == 0)
			wildcard = true;
		else if (!sg_v_origin_ok(o->v, &why))
			sg_v_error(c, "bad-url", o->pos, "cors origin '%s' is not valid: %s",
				   sg_v_q(c, o->v), why);
	}
	/* Access-Control-Max-Age: API Gateway accepts 0..86400 seconds. */
	if (cors->max_age.set && (cors->max_age.v < 0 || cors->max_age.v > 86400))
		sg_v_error(c, "out-of-range", cors->max_age.pos,
			   "max_age %lld is out of range (0 to 86400 seconds)",
			   (long long)cors->max_age.v);
	/* Fetch standard: credentialed requests never match a '*' origin. */
	if (cors->credentials.set && cors->credentials.v && wildcard)
		sg_v_error(c, "bad-value", cors->credentials.pos,
			   "'credentials: true' cannot go with origin '*': browsers refuse it "
			   "(list the origins instead)");
}

static void check_throttle(sg_vctx *c, const sg_api *api)
{
	/* API Gateway stage throttling: rate in requests per second, burst in
	 * requests; a burst of 0 with a rate would let nothing through. */
	if (api->throttle_rate.set && api->throttle_rate.v < 1)
		sg_v_error(c, "out-of-range", api->throttle_rate.pos,
			   "throttle rate %lld is out of range (at least 1 request per second)",
			   (long long)api->throttle_rate.v);
	int64_t min = api->throttle_rate.set ? 1 : 0;
	if (api->throttle_burst.set && api->throttle_burst.v < min)
		sg_v_error(c, "out-of-range", api->throttle_burst.pos,
			   "throttle burst %lld is out of range (at least %lld%s)",
			   (long long)api->throttle_burst.v, (long long)min,
			   min ? " when a rate is set" : "");
}

static sg_auth effective_auth(const sg_api *api, const sg_method *m)
{
	if (m->auth.set)
		return (sg_auth)m->auth.v;
	return api->auth.set ? (sg_auth)api->auth.v : SG_AUTH_NONE;
}

static void check_method(sg_vctx *c, const sg_route *r, const sg_method *m)
{
	const sg_api *api = &c->spec->api;
	const char *verb = sg_method_name((sg_method_verb)m->verb.v);
	const char *path = sg_v_q(c, r->path.v);
	if (!m->function.set)
		sg_v_error(c, "missing-key", m->pos,
			   "method '%s %s' has no function (the Lambda function that handles it)", verb, path);
	else if (!sg_v_match(m->function.v, "a-z", "a-z0-9_", 1, 40))
		sg_v_error(c, "bad-name", m->function.pos,
			   "function name '%s' must match ^[a-z][a-z0-9_]{0,39}$ "
			   "(it becomes a C identifier and a file name)", sg_v_q(c, m->function.v));
	if (m->auth.set && m->auth.v == SG_AUTH_COGNITO && !c->spec->cognito.present)
		sg_v_error(c, "missing-cognito", m->auth.pos,
			   "method '%s %s' uses cognito auth, but auth.cognito is not declared", verb, path);
	sg_auth eff = effective_auth(api, m);
	if (m->scopes.set && eff != SG_AUTH_COGNITO)
		sg_v_error(c, "scopes-without-cognito", m->scopes.pos,
			   "method '%s %s' lists scopes, but its auth is %s (scopes need cognito auth)",
			   verb, path, sg_auth_name(eff));
	else if (m->scopes.set && m->scopes.count == 0)
		sg_v_error(c, "bad-value", m->scopes.pos,
			   "method '%s %s' lists no scopes (write at least one, or leave scopes out)", verb, path);
	else if (api->type.set && api->type.v == SG_API_HTTP)
		sg_v_bound(c, &m->scopes, SG_V_MAX_ROUTE_SCOPES_HTTP,
			   sg_arena_printf(c->a, "method '%s %s'", verb, path), "scopes",
			   " (API Gateway HTTP APIs: scopes per route)");
	else
		sg_v_bound(c, &m->scopes, SG_V_MAX_ROUTE_SCOPES_REST,
			   sg_arena_printf(c->a, "method '%s %s'", verb, path), "scopes",
			   " (a Cognito app client allows at most that many)");
	for (size_t i = 0; i < m->scopes.count; i++) {
		const char *s = m->scopes.items[i].v ? m->scopes.items[i].v : "";
		if (!*s || strpbrk(s, " \t\n\r"))
			sg_v_error(c, "bad-value", m->scopes.items[i].pos,
				   "scope '%s' must be non-empty and have no spaces", sg_v_q(c, s));
	}
	if (m->use_count > SG_V_MAX_USES) {
		sg_v_error(c, "too-many", m->uses[SG_V_MAX_USES].pos,
			   "method '%s %s' lists %zu uses entries; at most %d", verb, path,
			   m->use_count, SG_V_MAX_USES);
		return;
	}
	for (size_t i = 0; i < m->use_count; i++)
		sg_v_check_use(c, &m->uses[i], (int)m->verb.v);
}

void sg_v_check_api(sg_vctx *c)
{
	const sg_api *api = &c->spec->api;
	if (!api->present)
		return;
	/* API Gateway refuses to deploy an API without methods. */
	if (api->route_count == 0)
		sg_v_error(c, "missing-key", api->pos,
			   "api has no routes (declare at least one under 'routes')");
	if (api->auth.set && api->auth.v == SG_AUTH_COGNITO && !c->spec->cognito.present)
		sg_v_error(c, "missing-cognito", api->auth.pos,
			   "api auth is cognito, but auth.cognito is not declared");
	check_throttle(c, api);
	check_cors(c, &api->cors);

	size_t methods = 0;
	vpath *paths = sg_arena_calloc(c->a, api->route_count + 1, sizeof(*paths));
	for (size_t i = 0; i < api->route_count; i++) {
		const sg_route *r = &api->routes[i];
		check_path(c, r, &paths[i]);
		if (r->method_count == 0)
			sg_v_error(c, "missing-key", r->path.pos.line ? r->path.pos : r->pos,
				   "route '%s' has no methods", sg_v_q(c, r->path.v));
		for (size_t m = 0; m < r->method_count; m++)
			check_method(c, r, &r->methods[m]);
		methods += r->method_count;
	}
	/* svcgen's bound on routes (path + method pairs); past it the pairwise
	 * conflict check is skipped to keep the cost bounded. */
	if (methods > SG_V_MAX_ROUTES) {
		sg_v_error(c, "too-many", api->routes_pos.line ? api->routes_pos : api->pos,
			   "the api has %zu routes (path and method pairs); at most %d",
			   methods, SG_V_MAX_ROUTES);
		return;
	}
	if (api->route_count > SG_V_MAX_ROUTES)
		return; /* paths without methods, each reported above */
	check_conflicts(c, paths);
}
