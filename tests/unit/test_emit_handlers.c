/*
 * test_emit_handlers.c - the handler project emitter: which files, of which
 * kind; spec text escaped for C (string literals round-trip, comments stay
 * comments, no trigraph), Make and Markdown; sample events; template
 * overrides and inheritance; deterministic output.
 *
 * Building and running the generated project is the suites' job
 * (tests/suites/handlers_*.sh); here the C is checked by a small lexer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "svcgen/emit.h"
#include "svcgen/handlers.h"
#include "svcgen/spec.h"
#include "svcgen/templates.h"

static const char spec_yaml[] =
	"svcgen: 1\n"
	"service: shop\n"
	"description: \"Shop \\\"API\\\" */ ?\?/\"\n"
	"tables:\n"
	"  orders: {partition_key: PK, sort_key: 'at:N', stream: new_and_old_images,\n"
	"           indexes: {by_user: {partition_key: UserId}}}\n"
	"topics: {events: {}}\n"
	"api:\n"
	"  cors: {origins: [https://shop.example.com], credentials: true}\n"
	"  routes:\n"
	"    /orders/{id}:\n"
	"      GET: {function: get_order, uses: [orders, orders.by_user:query]}\n"
	"      DELETE: {function: get_order, uses: [orders]}\n"
	"    /{proxy+}:\n"
	"      ANY: {function: app}\n"
	"functions:\n"
	"  notify:\n"
	"    description: \"tab\\there\"\n"
	"    events: [{stream: {table: orders}}]\n"
	"    uses: [events:publish]\n"
	"  lonely: {memory: 512}\n";

/* Text that must not break out of a C string literal or comment. */
#define NASTY "Say \"hi\" */ /* ?\?/ ?\?= back\\slash\nnew line\ttab \x01 caf\xc3\xa9 \xe2\x82\xac ?"

typedef struct run {
	sg_arena *arena;
	sg_diags diags;
	sg_plan *plan;
	sg_fileset fs;
	int rc;
} run;

static run plan_only(void)
{
	run r;
	memset(&r, 0, sizeof(r));
	r.arena = sg_arena_new();
	sg_diags_init(&r.diags, r.arena, "t.yaml");
	sg_spec *spec;
	assert_int_equal(sg_spec_parse(&spec, r.arena, &r.diags, "t.yaml", spec_yaml,
				       strlen(spec_yaml)), SG_OK);
	assert_int_equal(sg_spec_validate(spec, &r.diags), SG_OK);
	assert_int_equal(sg_plan_build(&r.plan, r.arena, spec, &r.diags), SG_OK);
	sg_fileset_init(&r.fs, r.arena);
	return r;
}

static void emit(run *r, sg_mustache_set *set)
{
	r->rc = sg_emit_handlers(&r->fs, r->plan, set, &r->diags);
	if (r->rc != SG_OK)
		sg_diags_print_text(&r->diags, stderr);
}

static run generate(void)
{
	run r = plan_only();
	emit(&r, NULL);
	assert_int_equal(r.rc, SG_OK);
	return r;
}

static const sg_file *file(const run *r, const char *path)
{
	const sg_file *f = sg_fileset_get(&r->fs, path);
	if (!f)
		fail_msg("no file %s", path);
	return f;
}

/* ---- a small C lexer ------------------------------------------------------ */

/* The string literals of C source `src`, decoded, each as a malloc'd
 * string in `out` (up to `cap`).  Fails the test on a lexical problem:
 * a string literal with a raw line break, an unterminated comment or
 * literal, "/" "*" inside a block comment, a trigraph anywhere. */
static size_t c_literals(char **out, size_t cap, const char *src)
{
	size_t n = 0;
	for (const char *p = src; *p; p++) {
		if (p[0] == '?' && p[1] == '?' && p[2] && strchr("=(/)'<!>-", p[2]))
			fail_msg("trigraph ?\?%c in C output", p[2]);
		if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			assert_non_null(end);
			for (const char *q = p + 2; q < end; q++)
				if (q[0] == '/' && q[1] == '*')
					fail_msg("comment inside a comment");
			for (const char *q = p + 2; q + 2 < end; q++)
				if (q[0] == '?' && q[1] == '?')
					fail_msg("?\? inside a comment");
			p = end + 1;
		} else if (p[0] == '/' && p[1] == '/') {
			p = strchr(p, '\n');
			if (!p)
				break;
		} else if (*p == '\'') {
			p++;
			if (*p == '\\')
				p++;
			p++;
			assert_int_equal(*p, '\'');
		} else if (*p == '"') {
			char *lit = malloc(strlen(p) + 1);
			size_t k = 0;
			for (p++; *p != '"'; p++) {
				assert_int_not_equal(*p, '\0');
				assert_int_not_equal(*p, '\n');
				if (*p != '\\') {
					lit[k++] = *p;
					continue;
				}
				p++;
				switch (*p) {
				case 'n': lit[k++] = '\n'; break;
				case 't': lit[k++] = '\t'; break;
				case 'r': lit[k++] = '\r'; break;
				case '0': case '1': case '2': case '3':
					lit[k++] = (char)((p[0] - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0'));
					p += 2;
					break;
				default: lit[k++] = *p; break; /* \" \\ \? */
				}
			}
			lit[k] = '\0';
			if (n < cap)
				out[n++] = lit;
			else
				free(lit);
		}
	}
	return n;
}

static bool has_literal(const char *src, const char *want)
{
	char *lits[512];
	size_t n = c_literals(lits, 512, src);
	bool found = false;
	for (size_t i = 0; i < n; i++) {
		found |= strcmp(lits[i], want) == 0;
		free(lits[i]);
	}
	return found;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_files_and_kinds(void **state)
{
	(void)state;
	run r = generate();
	static const char *const generated[] = {
		"handlers/Makefile", "handlers/README.md", "handlers/.gitignore",
		"handlers/runtime/lambda_runtime.h", "handlers/runtime/lambda_internal.h",
		"handlers/runtime/lambda_loop.c",
		"handlers/runtime/lambda_event.c", "handlers/runtime/lambda_stream.c",
		"handlers/runtime/lambda_response.c", "handlers/runtime/lambda_invoke.c",
		"handlers/runtime/lambda_log.c", "handlers/runtime/lambda_util.c",
		"handlers/runtime/lambda_config.c", "handlers/runtime/handlers.h",
		"handlers/runtime/lambda_testing.c", "handlers/runtime/lambda_testing.h",
		"handlers/runtime/bootstrap", "handlers/runtime/package.sh",
		"handlers/runtime/main_get_order.c", "handlers/runtime/main_app.c",
		"handlers/runtime/main_notify.c", "handlers/runtime/main_lonely.c",
		"handlers/events/get_order.json", "handlers/events/app.json",
		"handlers/events/notify.json", "handlers/events/lonely.json",
	};
	static const char *const scaffolds[] = {
		"handlers/src/get_order.c", "handlers/src/app.c", "handlers/src/notify.c",
		"handlers/src/lonely.c", "handlers/tests/test_get_order.c",
		"handlers/tests/test_app.c", "handlers/tests/test_notify.c",
		"handlers/tests/test_lonely.c",
	};
	for (size_t i = 0; i < sizeof(generated) / sizeof(*generated); i++)
		assert_int_equal(file(&r, generated[i])->kind, SG_FILE_GENERATED);
	for (size_t i = 0; i < sizeof(scaffolds) / sizeof(*scaffolds); i++)
		assert_int_equal(file(&r, scaffolds[i])->kind, SG_FILE_SCAFFOLD);
	/* Every file of the runtime is copied, verbatim. */
	size_t extra = 0;
	for (const sg_embedded_file *rf = sg_embedded_runtime; rf->name; rf++) {
		char path[256];
		snprintf(path, sizeof(path), "handlers/runtime/%s", rf->name);
		const sg_file *f = file(&r, path);
		assert_int_equal(f->kind, SG_FILE_GENERATED);
		assert_int_equal(f->len, rf->len);
		assert_memory_equal(f->data, rf->data, rf->len);
		bool listed = false;
		for (size_t i = 0; i < sizeof(generated) / sizeof(*generated); i++)
			listed |= !strcmp(generated[i], path);
		extra += !listed;
	}
	assert_int_equal(r.fs.count, sizeof(generated) / sizeof(*generated) +
					     sizeof(scaffolds) / sizeof(*scaffolds) + extra);
	for (size_t i = 0; i < r.fs.count; i++) {
		const sg_file *f = &r.fs.files[i];
		bool exec = !strcmp(f->path, "handlers/runtime/bootstrap") ||
			    !strcmp(f->path, "handlers/runtime/package.sh");
		assert_int_equal(f->executable, exec);
		if (exec)
			assert_memory_equal(f->data, "#!/bin/sh\n", 10);
	}
	/* Handler names by kind: get_order and app serve routes, notify reads
	 * a stream, lonely gets plain events. */
	const char *h = file(&r, "handlers/runtime/handlers.h")->data;
	assert_non_null(strstr(h, "int handle_http_get_order(const lambda_request *req"));
	assert_non_null(strstr(h, "int handle_http_app("));
	assert_non_null(strstr(h, "int handle_stream_notify(const lambda_stream_batch *batch"));
	assert_non_null(strstr(h, "int handle_event_lonely(const cJSON *event"));
	sg_arena_free(r.arena);
}

static void test_scaffold_routes_and_env(void **state)
{
	(void)state;
	run r = generate();
	const char *src = file(&r, "handlers/src/get_order.c")->data;
	/* {id} names neither key attribute (PK, at): the granted calls are
	 * made with the key mapping marked TODO, the number key a number. */
	assert_non_null(strstr(src, "return lambda_crud_get(res, table_orders, lambda_crud_key(req, key, 2));"));
	assert_non_null(strstr(src, "return lambda_crud_delete(res, table_orders, lambda_crud_key(req, key, 2));"));
	assert_non_null(strstr(src, "TODO(svcgen): the path parameters do not name every key attribute"));
	assert_non_null(strstr(src, "{\"PK\", 'S', \"id\", NULL},"));
	assert_non_null(strstr(src, "{\"at\", 'N', NULL, \"0\"},"));
	assert_true(has_literal(src, "TABLE_ORDERS"));
	assert_true(has_literal(src, "INDEX_ORDERS_BY_USER"));
	assert_non_null(strstr(src, "lambda_route_is(req, \"DELETE\", \"/orders/{id}\")"));
	const char *notify = file(&r, "handlers/src/notify.c")->data;
	assert_true(has_literal(notify, "TOPIC_EVENTS"));
	assert_non_null(strstr(notify, "lambda_batch_fail"));
	const char *test = file(&r, "handlers/tests/test_get_order.c")->data;
	assert_non_null(strstr(test, "cmocka_unit_test(test_route_1)"));
	assert_non_null(strstr(test, "cmocka_unit_test(test_route_2)"));
	assert_true(has_literal(test, "events/get_order.json"));
	const char *config = file(&r, "handlers/runtime/lambda_config.c")->data;
	assert_true(has_literal(config, "https://shop.example.com"));
	assert_non_null(strstr(config, ".payload_version = 1,"));
	assert_non_null(strstr(config, ".cors_credentials = true,"));
	const char *mk = file(&r, "handlers/Makefile")->data;
	assert_non_null(strstr(mk, "FUNCTIONS := get_order app notify lonely\n"));
	assert_non_null(strstr(mk, "ARCH_get_order := arm64\n"));
	sg_arena_free(r.arena);
}

/* Every generated C file lexes cleanly: no trigraph, no comment in a
 * comment, no unterminated literal. */
static void test_c_lexes(void **state)
{
	(void)state;
	run r = generate();
	for (size_t i = 0; i < r.fs.count; i++) {
		const sg_file *f = &r.fs.files[i];
		size_t n = strlen(f->path);
		if (n > 2 && (!strcmp(f->path + n - 2, ".c") || !strcmp(f->path + n - 2, ".h"))) {
			char *lits[512];
			size_t k = c_literals(lits, 512, f->data);
			while (k)
				free(lits[--k]);
		}
	}
	sg_arena_free(r.arena);
}

/*
 * Spec text that would break C if pasted: in a description and in a route
 * path (the validator would refuse such a path; the emitter must not rely
 * on it).  String literals must decode to the text exactly; comments must
 * stay comments.
 */
static void test_strings_escaped_in_c(void **state)
{
	(void)state;
	run r = plan_only();
	sg_plan_function *fn = (sg_plan_function *)sg_plan_function_by_name(r.plan, "get_order");
	assert_non_null(fn);
	fn->description = NASTY;
	for (size_t i = 0; i < r.plan->api.node_count; i++)
		if (!strcmp(r.plan->api.nodes[i].path, "/orders/{id}"))
			r.plan->api.nodes[i].path = "/orders/{id}/" NASTY;
	emit(&r, NULL);
	assert_int_equal(r.rc, SG_OK);

	const char *main_c = file(&r, "handlers/runtime/main_get_order.c")->data;
	assert_true(has_literal(main_c, NASTY));
	const char *src = file(&r, "handlers/src/get_order.c")->data;
	assert_true(has_literal(src, "/orders/{id}/" NASTY));
	/* The description is in the scaffold's header comment, defused. */
	assert_non_null(strstr(src, "Say \"hi\" * / / * ? ?/ ? ?= back\\slash new line tab   caf"));
	const char *test = file(&r, "handlers/tests/test_get_order.c")->data;
	assert_true(has_literal(test, "/orders/{id}/" NASTY));
	/* Markdown: no raw backtick or pipe from spec text in the table. */
	const char *readme = file(&r, "handlers/README.md")->data;
	assert_non_null(strstr(readme, "Shop \"API\" \\*/ ?\?/"));
	sg_arena_free(r.arena);
}

static void test_escapers(void **state)
{
	(void)state;
	sg_buf b = SG_BUF_INIT;
	static const char mk[] = "a$(shell rm)#x\nb";
	sg_handlers_escape_make(&b, mk, strlen(mk), NULL);
	assert_string_equal(b.ptr, "a$$(shell rm)\\#x b");
	sg_buf_clear(&b);
	static const char md[] = "*a* `b` [c](d) <e> |f| _g_ #h\nnext";
	sg_handlers_escape_markdown(&b, md, strlen(md), NULL);
	assert_string_equal(b.ptr,
			    "\\*a\\* \\`b\\` \\[c\\]\\(d\\) \\<e\\> \\|f\\| \\_g\\_ \\#h next");
	sg_buf_free(&b);

	sg_arena *a = sg_arena_new();
	assert_string_equal(sg_handlers_comment_text(a, "a*/b/*c?\?/d\r\ne\\"),
			    "a* /b/ *c? ?/d  e\\ ");
	assert_string_equal(sg_handlers_comment_text(a, "***///?\??"), "*** ///? ? ?");
	assert_string_equal(sg_handlers_comment_text(a, ""), "");
	assert_null(sg_handlers_comment_text(a, NULL));
	sg_arena_free(a);
}

static const cJSON *at(const cJSON *j, const char *a, const char *b)
{
	j = cJSON_GetObjectItemCaseSensitive(j, a);
	return b ? cJSON_GetObjectItemCaseSensitive(j, b) : j;
}

static void test_sample_events(void **state)
{
	(void)state;
	run r = generate();
	cJSON *ev = cJSON_Parse(file(&r, "handlers/events/get_order.json")->data);
	assert_non_null(ev);
	assert_string_equal(cJSON_GetStringValue(at(ev, "httpMethod", NULL)), "GET");
	assert_string_equal(cJSON_GetStringValue(at(ev, "resource", NULL)), "/orders/{id}");
	assert_string_equal(cJSON_GetStringValue(at(ev, "path", NULL)), "/orders/example");
	assert_string_equal(cJSON_GetStringValue(at(ev, "pathParameters", "id")), "example");
	assert_true(cJSON_IsNull(at(ev, "body", NULL)));
	cJSON_Delete(ev);

	ev = cJSON_Parse(file(&r, "handlers/events/app.json")->data);
	assert_string_equal(cJSON_GetStringValue(at(ev, "path", NULL)), "/example/path");
	assert_string_equal(cJSON_GetStringValue(at(ev, "pathParameters", "proxy")), "example/path");
	assert_string_equal(cJSON_GetStringValue(at(ev, "httpMethod", NULL)), "GET");
	assert_non_null(cJSON_GetStringValue(at(ev, "body", NULL)));
	cJSON_Delete(ev);

	ev = cJSON_Parse(file(&r, "handlers/events/notify.json")->data);
	const cJSON *rec = cJSON_GetArrayItem(at(ev, "Records", NULL), 0);
	assert_string_equal(cJSON_GetStringValue(at(rec, "eventSource", NULL)), "aws:dynamodb");
	const cJSON *db = at(rec, "dynamodb", NULL);
	assert_string_equal(cJSON_GetStringValue(at(at(db, "Keys", "PK"), "S", NULL)), "example");
	assert_string_equal(cJSON_GetStringValue(at(at(db, "Keys", "at"), "N", NULL)), "1");
	assert_non_null(at(db, "NewImage", NULL));
	assert_string_equal(cJSON_GetStringValue(at(db, "StreamViewType", NULL)),
			    "NEW_AND_OLD_IMAGES");
	cJSON_Delete(ev);

	assert_string_equal(file(&r, "handlers/events/lonely.json")->data, "{}\n");
	sg_arena_free(r.arena);
}

static void test_http_api_events(void **state)
{
	(void)state;
	static const char yaml[] =
		"svcgen: 1\nservice: items\n"
		"api:\n  type: http\n  auth: iam\n  routes:\n"
		"    /items/{id}:\n      PUT: {function: put_item}\n";
	sg_arena *a = sg_arena_new();
	sg_diags d;
	sg_diags_init(&d, a, "t.yaml");
	sg_spec *spec;
	sg_plan *plan;
	assert_int_equal(sg_spec_parse(&spec, a, &d, "t.yaml", yaml, strlen(yaml)), SG_OK);
	assert_int_equal(sg_spec_validate(spec, &d), SG_OK);
	assert_int_equal(sg_plan_build(&plan, a, spec, &d), SG_OK);
	cJSON *ev = sg_handlers_sample_event(plan, &plan->functions[0]);
	assert_string_equal(cJSON_GetStringValue(at(ev, "version", NULL)), "2.0");
	assert_string_equal(cJSON_GetStringValue(at(ev, "routeKey", NULL)), "PUT /items/{id}");
	assert_string_equal(cJSON_GetStringValue(at(ev, "rawPath", NULL)), "/items/example");
	const cJSON *rc = at(ev, "requestContext", NULL);
	assert_string_equal(cJSON_GetStringValue(at(at(rc, "http", NULL), "method", NULL)), "PUT");
	assert_non_null(cJSON_GetStringValue(at(at(rc, "authorizer", "iam"), "userArn", NULL)));
	assert_non_null(cJSON_GetStringValue(at(ev, "body", NULL)));
	cJSON_Delete(ev);

	cJSON *ctx = sg_handlers_context(plan);
	const cJSON *api = at(ctx, "api", NULL);
	assert_int_equal((int)cJSON_GetNumberValue(at(api, "payload_version", NULL)), 2);
	assert_true(cJSON_IsTrue(at(api, "http", NULL)));
	cJSON_Delete(ctx);
	sg_arena_free(a);
}

static void test_deterministic(void **state)
{
	(void)state;
	run a = generate(), b = generate();
	assert_int_equal(a.fs.count, b.fs.count);
	for (size_t i = 0; i < a.fs.count; i++) {
		const sg_file *fb = sg_fileset_get(&b.fs, a.fs.files[i].path);
		assert_non_null(fb);
		assert_int_equal(a.fs.files[i].len, fb->len);
		assert_memory_equal(a.fs.files[i].data, fb->data, fb->len);
	}
	sg_arena_free(a.arena);
	sg_arena_free(b.arena);
}

/* --templates: an override by name, extending the stock layout through
 * inheritance; the other files stay stock. */
static void test_override_extends_layout(void **state)
{
	(void)state;
	run r = plan_only();
	sg_mustache_set *set;
	assert_int_equal(sg_mustache_set_new(&set, r.arena), SG_OK);
	assert_int_equal(sg_mustache_set_add_embedded(set, sg_embedded_templates), SG_OK);
	static const char child[] =
		"{{<handlers_src_layout.c}}\n"
		"{{$helpers}}\n"
		"/* house style for {{function.c_name}} */\n"
		"{{/helpers}}\n"
		"{{/handlers_src_layout.c}}\n";
	assert_int_equal(sg_mustache_set_add(set, "handlers_src.c", "mine/handlers_src.c.mustache",
					     child, strlen(child)), SG_OK);
	emit(&r, set);
	assert_int_equal(r.rc, SG_OK);
	const char *src = file(&r, "handlers/src/app.c")->data;
	assert_non_null(strstr(src, "/* house style for app */\n"));
	assert_non_null(strstr(src, "int handle_http_app("));
	sg_arena_free(r.arena);
}

/* A broken override is reported with its file name, and no file at all is
 * added: no half project. */
static void test_broken_template(void **state)
{
	(void)state;
	run r = plan_only();
	sg_mustache_set *set;
	assert_int_equal(sg_mustache_set_new(&set, r.arena), SG_OK);
	assert_int_equal(sg_mustache_set_add_embedded(set, sg_embedded_templates), SG_OK);
	static const char bad[] = "{{#function}}\nunclosed\n";
	assert_int_equal(sg_mustache_set_add(set, "handlers_test.c", "mine/test.mustache", bad,
					     strlen(bad)), SG_OK);
	emit(&r, set);
	assert_int_equal(r.rc, SG_EFINDINGS);
	assert_int_equal(r.fs.count, 0);
	assert_true(r.diags.errors > 0);
	bool named = false;
	for (size_t i = 0; i < r.diags.count; i++)
		named |= r.diags.items[i].file && !strcmp(r.diags.items[i].file, "mine/test.mustache");
	assert_true(named);
	sg_arena_free(r.arena);
}

/* The registry runs the emitter with the stock set, or the caller's. */
static void test_emit_run_opts(void **state)
{
	(void)state;
	run r = plan_only();
	unsigned missing = 0;
	assert_int_equal(sg_emit_run_opts(&r.fs, &missing, r.plan, SG_EMIT_HANDLERS, NULL, &r.diags),
			 SG_OK);
	assert_int_equal(missing, 0);
	assert_non_null(sg_fileset_get(&r.fs, "handlers/Makefile"));
	assert_true(sg_emit_available() & SG_EMIT_HANDLERS);

	sg_fileset fs2;
	sg_fileset_init(&fs2, r.arena);
	sg_mustache_set *set;
	assert_int_equal(sg_mustache_set_new(&set, r.arena), SG_OK);
	assert_int_equal(sg_mustache_set_add_embedded(set, sg_embedded_templates), SG_OK);
	assert_int_equal(sg_mustache_set_add(set, "handlers_gitignore", NULL, "custom\n", 7), SG_OK);
	sg_emit_opts opts = {set};
	assert_int_equal(sg_emit_run_opts(&fs2, NULL, r.plan, SG_EMIT_HANDLERS, &opts, &r.diags),
			 SG_OK);
	assert_string_equal(sg_fileset_get(&fs2, "handlers/.gitignore")->data, "custom\n");
	sg_arena_free(r.arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_and_kinds),
		cmocka_unit_test(test_scaffold_routes_and_env),
		cmocka_unit_test(test_c_lexes),
		cmocka_unit_test(test_strings_escaped_in_c),
		cmocka_unit_test(test_escapers),
		cmocka_unit_test(test_sample_events),
		cmocka_unit_test(test_http_api_events),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_override_extends_layout),
		cmocka_unit_test(test_broken_template),
		cmocka_unit_test(test_emit_run_opts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
