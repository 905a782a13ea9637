/*
 * handlers_int.h - shared by the handler emitter's files (handlers.c,
 * handlers_context.c, handlers_events.c); not a public header.
 */
#ifndef SVCGEN_HANDLERS_INT_H
#define SVCGEN_HANDLERS_INT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "svcgen/handlers.h"

/* What kind of handler a function gets; a function may have several. */
bool sg_handlers_fn_http(const sg_plan_function *fn);
bool sg_handlers_fn_stream(const sg_plan_function *fn);
/* Neither a route nor a stream: a plain JSON event handler. */
bool sg_handlers_fn_plain(const sg_plan_function *fn);

/*
 * The context object of one function (the "function" member of a
 * per-function context and an entry of the project's "functions").  The
 * caller owns it.  NULL when out of memory.
 */
cJSON *sg_handlers_fn_context(const sg_plan *plan, const sg_plan_function *fn);

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
