/*
 * handlers_context.c - the Mustache context of the handler project, built
 * from the plan (README.md, "Handler templates", lists every field).
 *
 * Templates never see spec text they could misuse: every string comes in
 * the raw form (for {{x}} under the file's escaper: C string literals,
 * Markdown, Make) and, where a template may want it in a C comment, a
 * "_comment" form made safe by sg_handlers_comment_text, meant for
 * {{{x_comment}}}.  Names of functions, tables and environment variables
 * are identifiers by the spec's rules and are safe everywhere.
 */
#include <string.h>

#include "handlers_int.h"
#include "svcgen/spec.h"

bool sg_handlers_fn_http(const sg_plan_function *fn)
{
	return fn->route_count > 0;
}

bool sg_handlers_fn_stream(const sg_plan_function *fn)
{
	return fn->event_count > 0;
}

bool sg_handlers_fn_plain(const sg_plan_function *fn)
{
	return !sg_handlers_fn_http(fn) && !sg_handlers_fn_stream(fn);
}

/* Add `s` (may be NULL: nothing is added) as `key`, and its comment-safe
 * form as `comment_key` (`key`_comment; both literals, see sg_hc_str). */
static void add_text(cJSON *o, const char *key, const char *comment_key, const char *s,
		     sg_arena *arena)
{
	if (!s)
		return;
	sg_hc_str(o, key, s);
	sg_hc_str(o, comment_key, sg_handlers_comment_text(arena, s));
}

/* Lower-case copy of an environment variable name, as a C variable name. */
static char *c_var(sg_arena *arena, const char *env)
{
	char *v = sg_arena_strdup(arena, env);
	for (char *p = v; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return v;
}

const char *sg_handlers_sample_param(const char *part)
{
	size_t n = strlen(part);
	return n >= 3 && part[n - 2] == '+' ? "example/path" : "example";
}

void sg_handlers_sample_path(sg_buf *out, const char *path)
{
	if (!path[0] || (path[0] == '/' && !path[1])) {
		sg_buf_puts(out, "/");
		return;
	}
	const char *p = path;
	while (*p == '/') {
		p++;
		size_t n = strcspn(p, "/");
		sg_buf_putc(out, '/');
		if (n >= 2 && p[0] == '{' && p[n - 1] == '}') {
			char part[1100];
			snprintf(part, sizeof(part), "%.*s", (int)n, p);
			sg_buf_puts(out, sg_handlers_sample_param(part));
		} else {
			sg_buf_put(out, p, n);
		}
		p += n;
	}
}

/*
 * The environment variables that name the function's resources, from its
 * (sorted) environment: TABLE_*, INDEX_* and TOPIC_* as the plan made them
 * for the tables, indexes and topics in `uses`.
 */
static void add_env(cJSON *fo, const sg_plan *plan, const sg_plan_function *fn, sg_arena *arena)
{
	cJSON *env = sg_hc_array(fo, "env");
	cJSON *user = sg_hc_array(fo, "user_env");
	for (size_t i = 0; i < fn->env_count; i++) {
		const char *key = fn->environment[i].key;
		const char *kind = NULL, *what = NULL, *label = NULL;
		for (size_t t = 0; t < plan->table_count && !kind; t++) {
			const sg_plan_table *tb = &plan->tables[t];
			if (tb->env_name && !strcmp(tb->env_name, key)) {
				kind = "table";
				label = tb->name;
				what = sg_arena_printf(arena, "DynamoDB table %s", tb->name);
			}
			for (size_t x = 0; x < tb->index_count && !kind; x++)
				if (tb->indexes[x].env_name && !strcmp(tb->indexes[x].env_name, key)) {
					kind = "index";
					label = tb->indexes[x].name;
					what = sg_arena_printf(arena, "index %s of DynamoDB table %s",
							       tb->indexes[x].name, tb->name);
				}
		}
		for (size_t t = 0; t < plan->topic_count && !kind; t++)
			if (plan->topics[t].env_name && !strcmp(plan->topics[t].env_name, key)) {
				kind = "topic";
				label = plan->topics[t].name;
				what = sg_arena_printf(arena, "ARN of SNS topic %s", plan->topics[t].name);
			}
		cJSON *e = cJSON_CreateObject();
		sg_hc_str(e, "name", key);
		if (kind) {
			sg_hc_str(e, "c_var", c_var(arena, key));
			sg_hc_str(e, "kind", kind);
			sg_hc_bool(e, kind, true);
			add_text(e, "resource", "resource_comment", label, arena);
			add_text(e, "what", "what_comment", what, arena);
			cJSON_AddItemToArray(env, e);
		} else {
			cJSON_AddItemToArray(user, e);
		}
	}
	sg_hc_bool(fo, "has_env", cJSON_GetArraySize(env) > 0);
	bool topic = false;
	for (const cJSON *e = env->child; e; e = e->next)
		topic |= cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "topic"));
	sg_hc_bool(fo, "has_topic", topic);
}

static void add_routes(cJSON *fo, const sg_plan *plan, const sg_plan_function *fn,
		       sg_arena *arena)
{
	cJSON *routes = sg_hc_array(fo, "routes");
	for (size_t i = 0; i < fn->route_count; i++) {
		const sg_plan_method *m = fn->routes[i];
		cJSON *r = cJSON_CreateObject();
		sg_hc_num(r, "index", (double)(i + 1));
		sg_hc_bool(r, "first", i == 0);
		sg_hc_str(r, "method", m->verb_name);
		add_text(r, "path", "path_comment", m->node->path, arena);
		add_text(r, "route", "route_comment", sg_arena_printf(arena, "%s %s", m->verb_name, m->node->path),
			 arena);
		sg_hc_str(r, "auth", sg_auth_name(m->auth));
		sg_buf sample = SG_BUF_INIT;
		sg_handlers_sample_path(&sample, m->node->path);
		add_text(r, "sample_path", "sample_path_comment", sample.ptr, arena);
		sg_buf_free(&sample);
		cJSON *params = sg_hc_array(r, "params");
		for (const sg_plan_node *n = m->node; n; n = n->parent)
			if (n->param) {
				size_t len = strlen(n->path_part);
				size_t cut = n->greedy ? 3 : 2;
				cJSON *pp = cJSON_CreateObject();
				add_text(pp, "name", "name_comment",
					 sg_arena_strndup(arena, n->path_part + 1, len - cut), arena);
				sg_hc_str(pp, "sample", sg_handlers_sample_param(n->path_part));
				sg_hc_bool(pp, "greedy", n->greedy);
				/* Parents come last in this walk: put them first. */
				cJSON_InsertItemInArray(params, 0, pp);
			}
		sg_handlers_route_scaffold(r, plan, m, arena);
		cJSON_AddItemToArray(routes, r);
	}
	/* The first route again, by reference: a copy of its tree for every
	 * function was a tenth of building the context. */
	if (fn->route_count)
		cJSON_AddItemReferenceToObject(fo, "first_route", routes->child);
}

static void add_streams(cJSON *fo, const sg_plan_function *fn, sg_arena *arena)
{
	cJSON *streams = sg_hc_array(fo, "streams");
	for (size_t i = 0; i < fn->event_count; i++) {
		const sg_plan_event *ev = &fn->events[i];
		cJSON *s = cJSON_CreateObject();
		add_text(s, "table", "table_comment", ev->table->name, arena);
		sg_hc_str(s, "table_env", ev->table->env_name);
		sg_hc_str(s, "view", sg_stream_view_name(ev->table->stream));
		sg_hc_num(s, "batch_size", (double)ev->batch_size);
		sg_hc_str(s, "starting_position",
					sg_start_pos_name(ev->starting_position));
		cJSON_AddItemToArray(streams, s);
	}
}

cJSON *sg_handlers_fn_context(const sg_plan *plan, const sg_plan_function *fn, sg_arena *arena)
{
	cJSON *fo = cJSON_CreateObject();
	sg_hc_str(fo, "name", fn->name);
	sg_hc_str(fo, "c_name", fn->c_name);
	add_text(fo, "description", "description_comment", fn->description, arena);
	sg_hc_bool(fo, "has_description", fn->description && *fn->description);
	sg_hc_str(fo, "physical_name", fn->physical_name);
	sg_hc_str(fo, "architecture", sg_arch_name(fn->architecture));
	sg_hc_num(fo, "memory", (double)fn->memory);
	sg_hc_num(fo, "timeout", (double)fn->timeout);
	sg_hc_bool(fo, "http", sg_handlers_fn_http(fn));
	sg_hc_bool(fo, "stream", sg_handlers_fn_stream(fn));
	sg_hc_bool(fo, "plain", sg_handlers_fn_plain(fn));
	sg_hc_str(fo, "kind", sg_handlers_fn_http(fn)     ? "http"
					   : sg_handlers_fn_stream(fn) ? "stream"
								       : "plain");
	/* Which handler the sample event and the scaffold tests exercise. */
	sg_hc_bool(fo, "sample_http", sg_handlers_fn_http(fn));
	sg_hc_bool(fo, "sample_stream",
			      !sg_handlers_fn_http(fn) && sg_handlers_fn_stream(fn));
	sg_hc_str(fo, "event_file",
				sg_arena_printf(arena, "events/%s.json", fn->c_name));
	add_routes(fo, plan, fn, arena);
	add_streams(fo, fn, arena);
	add_env(fo, plan, fn, arena);
	return fo;
}

cJSON *sg_handlers_context(const sg_plan *plan)
{
	sg_arena *arena = sg_arena_new();
	if (!arena)
		return NULL;
	cJSON *root = cJSON_CreateObject();
	sg_hc_str(root, "service", plan->service);
	sg_hc_str(root, "stage", plan->stage);
	sg_hc_str(root, "prefix", plan->prefix);
	add_text(root, "description", "description_comment", plan->description, arena);
	sg_hc_str(root, "handlers_dir", SG_HANDLERS_DIR);

	const sg_plan_api *api = &plan->api;
	cJSON *a = sg_hc_object(root, "api");
	sg_hc_bool(a, "present", api->present);
	sg_hc_bool(a, "rest", api->present && api->type == SG_API_REST);
	sg_hc_bool(a, "http", api->present && api->type == SG_API_HTTP);
	/* svcgen's integrations: REST Lambda proxy (1.0), HTTP API 2.0. */
	sg_hc_num(a, "payload_version",
				!api->present ? 0 : api->type == SG_API_REST ? 1 : 2);
	sg_hc_str(a, "payload_format",
				!api->present ? "" : api->type == SG_API_REST ? "1.0" : "2.0");
	sg_hc_bool(a, "cors", api->present && api->cors);
	cJSON *origins = sg_hc_array(a, "cors_origins");
	for (size_t i = 0; api->present && api->cors && i < api->cors_origin_count; i++) {
		cJSON *o = cJSON_CreateObject();
		add_text(o, "origin", "origin_comment", api->cors_origins[i], arena);
		cJSON_AddItemToArray(origins, o);
	}
	cJSON *headers = sg_hc_array(a, "cors_headers");
	for (size_t i = 0; api->present && api->cors && i < api->cors_header_count; i++) {
		cJSON *o = cJSON_CreateObject();
		add_text(o, "header", "header_comment", api->cors_headers[i], arena);
		cJSON_AddItemToArray(headers, o);
	}
	sg_hc_bool(a, "cors_credentials", api->present && api->cors && api->cors_credentials);

	cJSON *fns = sg_hc_array(root, "functions");
	bool arm64 = false, x86_64 = false, any_http = false, any_stream = false, any_plain = false;
	for (size_t i = 0; i < plan->function_count; i++) {
		const sg_plan_function *fn = &plan->functions[i];
		/* The strings are copied into the tree: one scratch block
		 * serves every function. */
		sg_arena_reset(arena);
		cJSON_AddItemToArray(fns, sg_handlers_fn_context(plan, fn, arena));
		arm64 |= fn->architecture == SG_ARCH_ARM64;
		x86_64 |= fn->architecture == SG_ARCH_X86_64;
		any_http |= sg_handlers_fn_http(fn);
		any_stream |= sg_handlers_fn_stream(fn);
		any_plain |= sg_handlers_fn_plain(fn);
	}
	sg_hc_bool(root, "any_http", any_http);
	sg_hc_bool(root, "any_stream", any_stream);
	sg_hc_bool(root, "any_plain", any_plain);
	sg_hc_bool(root, "any_arm64", arm64);
	sg_hc_bool(root, "any_x86_64", x86_64);
	sg_hc_bool(root, "mixed_architectures", arm64 && x86_64);
	sg_hc_str(root, "architecture",
				plan->function_count ? sg_arch_name(plan->functions[0].architecture)
						     : "arm64");
	sg_arena_free(arena);
	return root;
}
