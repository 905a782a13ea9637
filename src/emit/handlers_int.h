/*
 * handlers_int.h - shared by the handler emitter's files (handlers.c,
 * handlers_context.c, handlers_events.c); not a public header.
 */
#ifndef SVCGEN_HANDLERS_INT_H
#define SVCGEN_HANDLERS_INT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "svcgen/handlers.h"

/*
 * Members of the template context.  `key` must be a string literal (or
 * other static storage): the tree refers to it instead of copying it
 * (cJSON_AddItemToObjectCS), one allocation less per member of a context
 * that has thousands.  Values are copied, as cJSON_Add*ToObject does; a
 * NULL string adds nothing.  Return the member added (NULL if none).
 */
static inline cJSON *sg_hc_add(cJSON *o, const char *key, cJSON *item)
{
	return cJSON_AddItemToObjectCS(o, key, item) ? item : (cJSON_Delete(item), NULL);
}
static inline cJSON *sg_hc_str(cJSON *o, const char *key, const char *s)
{
	return s ? sg_hc_add(o, key, cJSON_CreateString(s)) : NULL;
}
static inline cJSON *sg_hc_bool(cJSON *o, const char *key, bool v)
{
	return sg_hc_add(o, key, cJSON_CreateBool(v));
}
static inline cJSON *sg_hc_num(cJSON *o, const char *key, double v)
{
	return sg_hc_add(o, key, cJSON_CreateNumber(v));
}
static inline cJSON *sg_hc_array(cJSON *o, const char *key)
{
	return sg_hc_add(o, key, cJSON_CreateArray());
}
static inline cJSON *sg_hc_object(cJSON *o, const char *key)
{
	return sg_hc_add(o, key, cJSON_CreateObject());
}

/* What kind of handler a function gets; a function may have several. */
bool sg_handlers_fn_http(const sg_plan_function *fn);
bool sg_handlers_fn_stream(const sg_plan_function *fn);
/* Neither a route nor a stream: a plain JSON event handler. */
bool sg_handlers_fn_plain(const sg_plan_function *fn);

/*
 * The context object of one function (the "function" member of a
 * per-function context and an entry of the project's "functions").  The
 * caller owns it.  `arena` is scratch for strings the tree copies; it may
 * be reset once this returns.  NULL when out of memory.
 */
cJSON *sg_handlers_fn_context(const sg_plan *plan, const sg_plan_function *fn, sg_arena *arena);

/* Append to `out` the request path of route template `path` with every
 * parameter filled with a sample value: "/users/{id}" -> "/users/example",
 * a greedy "{proxy+}" -> "example/path". */
void sg_handlers_sample_path(sg_buf *out, const char *path);

/* The sample value of path parameter segment `part` ("{id}", "{proxy+}"). */
const char *sg_handlers_sample_param(const char *part);

/*
 * The "scaffold" member of route context `r` (handlers_scaffold.c): the
 * DynamoDB call the scaffold of route `m` makes, its table, key and TODOs;
 * with "has_scaffold" false when the route uses no table.
 */
void sg_handlers_route_scaffold(cJSON *r, const sg_plan *plan, const sg_plan_method *m,
				sg_arena *arena);

#endif
