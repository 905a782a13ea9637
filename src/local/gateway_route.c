/*
 * gateway_route.c - which route of the plan a request reaches (rules in
 * include/svcgen/gateway.h): the stage prefix of REST APIs, the resource
 * tree walked segment by segment, the method or ANY, CORS preflights.
 */
#include <string.h>
#include <strings.h>

#include "svcgen/gateway.h"

const char *sg_gw_request_header(const sg_gw_request *req, const char *name)
{
	for (size_t i = 0; i < req->header_count; i++)
		if (!strcasecmp(req->headers[i].name, name))
			return req->headers[i].value;
	return NULL;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode `len` bytes into an arena string. */
static char *decode(sg_arena *a, const char *s, size_t len)
{
	char *out = sg_arena_alloc(a, len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			out[o++] = (char)(hexval((unsigned char)s[i + 1]) * 16 +
					  hexval((unsigned char)s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

typedef struct seg {
	const char *raw;
	size_t len;
	const char *decoded;
} seg;

typedef struct walk {
	const sg_plan *plan;
	sg_arena *arena;
	const seg *segs;
	size_t nseg;
	/* The parameter bindings of the current attempt. */
	sg_plan_pair *params;
	size_t param_count;
} walk;

/* The parameter name of a "{name}" or "{name+}" path part. */
static const char *param_name(sg_arena *a, const char *part)
{
	size_t l = strlen(part);
	size_t cut = l >= 3 && part[l - 2] == '+' ? 3 : 2;
	return sg_arena_strndup(a, part + 1, l - cut);
}

/*
 * Match segments [i..] under `node`; the deepest resource reached goes to
 * *found.  Literal children first, then a {param}, then a {proxy+}.
 */
static const sg_plan_node *match(walk *w, const sg_plan_node *node, size_t i)
{
	if (i == w->nseg)
		return node;
	const sg_plan_api *api = &w->plan->api;
	/* Pass 0: literals; 1: {param}; 2: {proxy+}. */
	for (int pass = 0; pass < 3; pass++) {
		for (size_t k = 0; k < api->node_count; k++) {
			const sg_plan_node *c = &api->nodes[k];
			if (c->parent != node)
				continue;
			if (pass == 0 && !c->param && !strcmp(c->path_part, w->segs[i].decoded)) {
				const sg_plan_node *r = match(w, c, i + 1);
				if (r)
					return r;
			} else if (pass == 1 && c->param && !c->greedy && w->segs[i].len > 0) {
				size_t mark = w->param_count;
				w->params[w->param_count].key = param_name(w->arena, c->path_part);
				w->params[w->param_count++].value = w->segs[i].decoded;
				const sg_plan_node *r = match(w, c, i + 1);
				if (r)
					return r;
				w->param_count = mark;
			} else if (pass == 2 && c->greedy) {
				/* The rest of the path, raw segments joined, decoded. */
				const char *start = w->segs[i].raw;
				const seg *last = &w->segs[w->nseg - 1];
				size_t len = (size_t)(last->raw + last->len - start);
				w->params[w->param_count].key = param_name(w->arena, c->path_part);
				w->params[w->param_count++].value = decode(w->arena, start, len);
				return c;
			}
		}
	}
	return NULL;
}

static bool preflight_request(const sg_gw_request *req)
{
	return !strcmp(req->method, "OPTIONS") && sg_gw_request_header(req, "Origin") &&
	       sg_gw_request_header(req, "Access-Control-Request-Method");
}

int sg_gw_route_request(sg_gw_route *out, sg_arena *arena, const sg_plan *plan,
			const sg_gw_request *req)
{
	memset(out, 0, sizeof(*out));
	const sg_plan_api *api = &plan->api;
	const char *path = req->path && *req->path ? req->path : "/";
	if (api->type == SG_API_REST) {
		/* The default endpoint serves each stage under /<stage>. */
		size_t sl = strlen(plan->stage);
		if (path[0] != '/' || strncmp(path + 1, plan->stage, sl) ||
		    (path[1 + sl] != '\0' && path[1 + sl] != '/'))
			return 0;
		path += 1 + sl;
		if (!*path)
			path = "/";
	}
	out->stage_ok = true;
	out->resource_path = sg_arena_strdup(arena, path);
	if (api->type == SG_API_HTTP && api->cors && preflight_request(req)) {
		out->preflight = true;
		return 0;
	}

	/* Segments of the path; "/a//b" keeps its empty segment (no match). */
	size_t cap = 1;
	for (const char *p = path; *p; p++)
		cap += *p == '/';
	seg *segs = sg_arena_calloc(arena, cap, sizeof(*segs));
	size_t n = 0;
	const char *p = path + 1;
	/* A trailing slash names the same resource (API Gateway ignores it). */
	size_t plen = strlen(p);
	if (plen && p[plen - 1] == '/')
		plen--;
	const char *end = p + plen;
	while (p < end) {
		const char *e = memchr(p, '/', (size_t)(end - p));
		if (!e)
			e = end;
		segs[n].raw = p;
		segs[n].len = (size_t)(e - p);
		segs[n].decoded = decode(arena, p, (size_t)(e - p));
		n++;
		p = e < end ? e + 1 : e;
	}
	if (!api->node_count)
		return 0;
	walk w = {plan, arena, segs, n, sg_arena_calloc(arena, n + 1, sizeof(sg_plan_pair)), 0};
	const sg_plan_node *node = match(&w, &api->nodes[0], 0);
	if (!node)
		return 0;
	out->node = node;
	out->params = w.params;
	out->param_count = w.param_count;
	if (api->type == SG_API_REST && node->cors_preflight && !strcmp(req->method, "OPTIONS")) {
		out->preflight = true;
		return 0;
	}
	const sg_plan_method *any = NULL;
	for (size_t i = 0; i < node->method_count; i++) {
		const sg_plan_method *m = &node->methods[i];
		if (m->verb == SG_METHOD_ANY)
			any = m;
		else if (!strcmp(m->verb_name, req->method))
			out->method = m;
	}
	if (!out->method)
		out->method = any;
	return 0;
}
