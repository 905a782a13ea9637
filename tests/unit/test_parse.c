/*
 * test_parse.c - the spec reader: YAML shapes into the model, and the
 * diagnostics for everything the reader itself rejects.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "svcgen/spec.h"

typedef struct fixture {
	sg_arena *arena;
	sg_diags diags;
	sg_spec *spec;
	int rc;
} fixture;

static fixture parse(const char *yaml)
{
	fixture f;
	f.arena = sg_arena_new();
	sg_diags_init(&f.diags, f.arena, "t.yaml");
	f.rc = sg_spec_parse(&f.spec, f.arena, &f.diags, "t.yaml", yaml, strlen(yaml));
	sg_diags_sort(&f.diags);
	return f;
}

static void expect_diag(const fixture *f, size_t i, const char *code, unsigned line,
			unsigned col, const char *needle)
{
	assert_true(i < f->diags.count);
	const sg_diag *d = &f->diags.items[i];
	assert_string_equal(d->code, code);
	assert_int_equal(d->pos.line, line);
	assert_int_equal(d->pos.col, col);
	if (needle && !strstr(d->message, needle))
		fail_msg("message '%s' lacks '%s'", d->message, needle);
}

static void test_full_model(void **state)
{
	(void)state;
	fixture f = parse(
		"svcgen: 1\n"
		"service: shop\n"
		"stage: prod\n"
		"tags: {team: shop, cost: '42'}\n"
		"defaults: {architecture: x86_64, memory: 512, tracing: true,\n"
		"           environment: {LOG_LEVEL: info, RETRIES: 3, EMPTY: }}\n"
		"tables:\n"
		"  orders:\n"
		"    partition_key: PK\n"
		"    sort_key: SK:N\n"
		"    billing: provisioned\n"
		"    capacity: {read: 5, write: 7}\n"
		"    stream: new_and_old_images\n"
		"    indexes:\n"
		"      by_email: {partition_key: Email, projection: [Name, Total]}\n"
		"      by_day: {partition_key: 'Day:N', projection: keys_only}\n"
		"topics: {order_events: , audit: {fifo: true}}\n"
		"auth:\n"
		"  cognito: {user_pool: shop-users, mfa: off, sign_in: [email, phone]}\n"
		"api:\n"
		"  type: http\n"
		"  auth: iam\n"
		"  cors: {origins: ['https://example.com'], max_age: 600}\n"
		"  throttle: {rate: 50, burst: 100}\n"
		"  routes:\n"
		"    /users/{id}:\n"
		"      GET: {function: get_user, uses: [orders, orders.by_email:query]}\n"
		"      DELETE: {function: del_user, uses: [orders:delete], auth: none}\n"
		"functions:\n"
		"  notify:\n"
		"    timeout: 60\n"
		"    events:\n"
		"      - stream: {table: orders, batch_size: 10, starting_position: trim_horizon,\n"
		"                 filter: {eventName: [INSERT], n: {numeric: ['>', 0]}}}\n"
		"    uses: [order_events:publish]\n"
		"alarms:\n"
		"  notify: [ops@example.com]\n"
		"  functions: {errors: {threshold: 1}, duration_p99: {threshold_ms: 3000, period: 300}}\n"
		"  api: {5xx: {threshold: 5}}\n");
	assert_int_equal(f.diags.count, 0);
	assert_int_equal(f.rc, SG_OK);
	const sg_spec *s = f.spec;
	assert_int_equal(s->version.v, 1);
	assert_string_equal(s->service.v, "shop");
	assert_int_equal(s->service.pos.line, 2);
	assert_int_equal(s->service.pos.col, 10);
	assert_int_equal(s->tags.count, 2);
	assert_string_equal(s->tags.items[1].value.v, "42");
	assert_int_equal(s->defaults.architecture.v, SG_ARCH_X86_64);
	assert_int_equal(s->defaults.memory.v, 512);
	assert_true(s->defaults.tracing.v);
	assert_int_equal(s->defaults.environment.count, 3);
	/* Scalars keep the text as written: 3 stays "3", an empty value is "". */
	assert_string_equal(s->defaults.environment.items[1].value.v, "3");
	assert_string_equal(s->defaults.environment.items[2].value.v, "");

	assert_int_equal(s->table_count, 1);
	const sg_table *t = &s->tables[0];
	assert_string_equal(t->name.v, "orders");
	assert_string_equal(t->partition_key.name.v, "PK");
	assert_int_equal(t->partition_key.type, SG_ATTR_S);
	assert_string_equal(t->sort_key.name.v, "SK");
	assert_int_equal(t->sort_key.type, SG_ATTR_N);
	assert_int_equal(t->billing.v, SG_BILLING_PROVISIONED);
	assert_int_equal(t->read_capacity.v, 5);
	assert_int_equal(t->write_capacity.v, 7);
	assert_int_equal(t->capacity_pos.line, 12);
	assert_int_equal(t->stream.v, SG_STREAM_NEW_AND_OLD_IMAGES);
	assert_int_equal(t->index_count, 2);
	assert_int_equal(t->indexes[0].projection.v, SG_PROJ_INCLUDE);
	assert_int_equal(t->indexes[0].include.count, 2);
	assert_string_equal(t->indexes[0].include.items[1].v, "Total");
	assert_int_equal(t->indexes[1].partition_key.type, SG_ATTR_N);
	assert_int_equal(t->indexes[1].projection.v, SG_PROJ_KEYS_ONLY);

	assert_int_equal(s->topic_count, 2);
	assert_false(s->topics[0].fifo.set);
	assert_true(s->topics[1].fifo.v);

	assert_true(s->cognito.present);
	/* `off` is the MFA setting, not YAML 1.1's false. */
	assert_int_equal(s->cognito.mfa.v, SG_MFA_OFF);
	assert_int_equal(s->cognito.sign_in.count, 2);

	assert_true(s->api.present);
	assert_int_equal(s->api.type.v, SG_API_HTTP);
	assert_int_equal(s->api.auth.v, SG_AUTH_IAM);
	assert_int_equal(s->api.cors.max_age.v, 600);
	assert_int_equal(s->api.throttle_rate.v, 50);
	assert_int_equal(s->api.route_count, 1);
	const sg_route *r = &s->api.routes[0];
	assert_string_equal(r->path.v, "/users/{id}");
	assert_int_equal(r->method_count, 2);
	assert_int_equal(r->methods[0].verb.v, SG_METHOD_GET);
	assert_int_equal(r->methods[0].use_count, 2);
	assert_int_equal(r->methods[0].uses[0].access, SG_ACCESS_DERIVED);
	assert_string_equal(r->methods[0].uses[1].target, "orders");
	assert_string_equal(r->methods[0].uses[1].index, "by_email");
	assert_int_equal(r->methods[0].uses[1].access, SG_ACCESS_QUERY);
	assert_int_equal(r->methods[1].auth.v, SG_AUTH_NONE);
	assert_true(r->methods[1].auth.set);
	assert_false(r->methods[0].auth.set);

	assert_int_equal(s->function_count, 1);
	const sg_function *fn = &s->functions[0];
	assert_int_equal(fn->settings.timeout.v, 60);
	assert_int_equal(fn->event_count, 1);
	assert_string_equal(fn->events[0].table.v, "orders");
	assert_int_equal(fn->events[0].starting_position.v, SG_START_TRIM_HORIZON);
	/* Filter patterns keep numbers as numbers. */
	assert_string_equal(fn->events[0].filter_json,
			    "{\"eventName\":[\"INSERT\"],\"n\":{\"numeric\":[\">\",0]}}");
	assert_int_equal(fn->uses[0].access, SG_ACCESS_PUBLISH);

	assert_true(s->alarms.present);
	assert_int_equal(s->alarms.fn_duration_p99.threshold.v, 3000);
	assert_int_equal(s->alarms.fn_duration_p99.period.v, 300);
	assert_true(s->alarms.api_5xx.set);
	assert_false(s->alarms.api_latency_p99.set);
	sg_arena_free(f.arena);
}

static void test_unknown_keys_suggest(void **state)
{
	(void)state;
	fixture f = parse("svcgen: 1\nservice: a1\ndefaults: {memroy: 1}\ntabels: {}\n");
	assert_int_equal(f.rc, SG_EFINDINGS);
	assert_int_equal(f.diags.count, 2);
	expect_diag(&f, 0, "unknown-key", 3, 12, "did you mean 'memory'?");
	expect_diag(&f, 1, "unknown-key", 4, 1, "did you mean 'tables'?");
	sg_arena_free(f.arena);
}

static void test_types(void **state)
{
	(void)state;
	fixture f = parse("svcgen: '1'\nservice: [a]\ndefaults: {tracing: on, memory: 1.5}\n"
			  "tables: [x]\n");
	assert_int_equal(f.diags.count, 5);
	expect_diag(&f, 0, "type-mismatch", 1, 9, "remove the quotes");
	expect_diag(&f, 1, "type-mismatch", 2, 10, "a list");
	expect_diag(&f, 2, "type-mismatch", 3, 21, "YAML 1.1");
	expect_diag(&f, 3, "type-mismatch", 3, 33, "integer");
	expect_diag(&f, 4, "type-mismatch", 4, 9, "a mapping");
	sg_arena_free(f.arena);
}

static void test_duplicate_keys(void **state)
{
	(void)state;
	fixture f = parse("svcgen: 1\nservice: a1\nservice: a2\ntags: {a: 1, b: 2, a: 3}\n");
	assert_int_equal(f.diags.count, 2);
	expect_diag(&f, 0, "duplicate-key", 3, 1, "first defined at 2:1");
	expect_diag(&f, 1, "duplicate-key", 4, 20, "'a'");
	sg_arena_free(f.arena);
}

/* A repeated key is reported once and never read twice: the first value
 * counts (reading both once overflowed the lists; ASan guards this test). */
static void test_duplicate_collections_read_once(void **state)
{
	(void)state;
	fixture f = parse("svcgen: 1\nservice: a1\ntags: {a: b}\ntags: {c: d, e: f, g: h}\n"
			  "auth:\n  cognito: {user_pool: p, sign_in: [email], sign_in: [email, phone]}\n"
			  "tables: {t: {partition_key: P}}\ntables: {u: {partition_key: P}, v: {partition_key: P}}\n"
			  "functions:\n  f: {events: [], events: [{stream: {table: t}}, {stream: {table: t}}]}\n"
			  "  f: {memory: 512}\n"
			  "api:\n  routes:\n    /a: {GET: {function: f}}\n    /a: {GET: {function: g}, POST: {function: h}}\n");
	assert_int_equal(f.diags.count, 6);
	for (size_t i = 0; i < f.diags.count; i++)
		assert_string_equal(f.diags.items[i].code, "duplicate-key");
	assert_int_equal(f.spec->tags.count, 1);
	assert_string_equal(f.spec->tags.items[0].key.v, "a");
	assert_int_equal(f.spec->cognito.sign_in.count, 1);
	assert_int_equal(f.spec->table_count, 1);
	assert_int_equal(f.spec->function_count, 1);
	assert_int_equal(f.spec->functions[0].event_count, 0);
	assert_false(f.spec->functions[0].settings.memory.set);
	assert_int_equal(f.spec->api.route_count, 1);
	assert_int_equal(f.spec->api.routes[0].method_count, 1);
	sg_arena_free(f.arena);
}

static void test_enum_positions_inside_scalars(void **state)
{
	(void)state;
	fixture f = parse("svcgen: 1\nservice: a1\ntables:\n  t:\n    partition_key: 'PK:Q'\n"
			  "api:\n  routes:\n    /a:\n      GET: {function: f, uses: [t:raed]}\n");
	assert_int_equal(f.diags.count, 2);
	/* The column points at the bad part, past the opening quote. */
	expect_diag(&f, 0, "bad-enum", 5, 24, "'Q'");
	expect_diag(&f, 1, "bad-enum", 9, 35, "did you mean 'read'?");
	sg_arena_free(f.arena);
}

static void test_yaml_syntax_error(void **state)
{
	(void)state;
	fixture f = parse("svcgen: 1\nservice: [a\n");
	assert_int_equal(f.rc, SG_EFINDINGS);
	assert_int_equal(f.diags.count, 1);
	assert_string_equal(f.diags.items[0].code, "yaml-syntax");
	assert_int_equal(f.diags.items[0].pos.line, 3);
	sg_arena_free(f.arena);
}

static void test_empty_and_comment_only(void **state)
{
	(void)state;
	const char *inputs[] = {"", "# nothing\n", "---\n", "~\n"};
	for (size_t i = 0; i < 4; i++) {
		fixture f = parse(inputs[i]);
		assert_int_equal(f.diags.count, 1);
		assert_string_equal(f.diags.items[0].code, "empty-spec");
		sg_arena_free(f.arena);
	}
}

static void test_root_must_be_mapping(void **state)
{
	(void)state;
	fixture f = parse("- a\n- b\n");
	assert_int_equal(f.diags.count, 1);
	expect_diag(&f, 0, "type-mismatch", 1, 1, "found a list");
	sg_arena_free(f.arena);
}

static void test_multiple_documents(void **state)
{
	(void)state;
	fixture f = parse("svcgen: 1\n---\nservice: b\n");
	assert_int_equal(f.diags.count, 1);
	expect_diag(&f, 0, "multiple-documents", 2, 1, NULL);
	sg_arena_free(f.arena);
}

static void test_bad_utf8(void **state)
{
	(void)state;
	fixture f = parse("svcgen: 1\ndescription: caf\xc3\x28\n");
	assert_int_equal(f.diags.count, 1);
	expect_diag(&f, 0, "bad-encoding", 2, 17, "0xC3");
	fixture g = parse("\xff\xfes\x00v\x00");
	assert_string_equal(g.diags.items[0].code, "bad-encoding");
	assert_non_null(strstr(g.diags.items[0].message, "UTF-16"));
	sg_arena_free(f.arena);
	sg_arena_free(g.arena);
}

static void test_non_ascii_columns_count_characters(void **state)
{
	(void)state;
	fixture f = parse("svcgen: 1\ndescription: héllo wörld\nstaeg: x\nnäme: y\n");
	assert_int_equal(f.diags.count, 2);
	expect_diag(&f, 0, "unknown-key", 3, 1, "did you mean 'stage'?");
	expect_diag(&f, 1, "unknown-key", 4, 1, NULL);
	sg_arena_free(f.arena);
}

static void test_aliases_expand_within_bound(void **state)
{
	(void)state;
	fixture f = parse("svcgen: 1\nservice: a1\n"
			  "defaults: {environment: &env {A: '1', B: '2'}}\n"
			  "functions:\n  f: {environment: *env}\n");
	assert_int_equal(f.diags.count, 0);
	assert_int_equal(f.spec->functions[0].settings.environment.count, 2);
	sg_arena_free(f.arena);
}

static void test_billion_laughs_is_bounded(void **state)
{
	(void)state;
	sg_buf b = SG_BUF_INIT;
	sg_buf_puts(&b, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i < 9; i++) {
		sg_buf_printf(&b, "a%d: &a%d [", i, i);
		for (int k = 0; k < 10; k++)
			sg_buf_printf(&b, "%s*a%d", k ? ", " : "", i - 1);
		sg_buf_puts(&b, "]\n");
	}
	fixture f = parse(b.ptr);
	sg_buf_free(&b);
	assert_int_equal(f.diags.count, 1);
	assert_string_equal(f.diags.items[0].code, "yaml-too-large");
	sg_arena_free(f.arena);
}

static void test_recursive_and_unknown_alias(void **state)
{
	(void)state;
	fixture f = parse("a: &x [*x]\n");
	assert_int_equal(f.diags.count, 1);
	expect_diag(&f, 0, "yaml-alias", 1, 8, "contains it");
	sg_arena_free(f.arena);
}

static void test_deep_nesting_is_bounded(void **state)
{
	(void)state;
	sg_buf b = SG_BUF_INIT;
	sg_buf_puts(&b, "tags: ");
	for (int i = 0; i < 200; i++)
		sg_buf_putc(&b, '[');
	for (int i = 0; i < 200; i++)
		sg_buf_putc(&b, ']');
	sg_buf_putc(&b, '\n');
	fixture f = parse(b.ptr);
	sg_buf_free(&b);
	assert_int_equal(f.diags.count, 1);
	assert_string_equal(f.diags.items[0].code, "yaml-too-deep");
	sg_arena_free(f.arena);
}

static void test_merge_keys_rejected(void **state)
{
	(void)state;
	fixture f = parse("svcgen: 1\nservice: a1\ndefaults: &d {memory: 256}\nfunctions:\n"
			  "  f:\n    <<: *d\n");
	assert_true(f.diags.count >= 1);
	expect_diag(&f, 0, "yaml-merge-key", 6, 5, NULL);
	sg_arena_free(f.arena);
}

static void test_events_shape(void **state)
{
	(void)state;
	fixture f = parse("svcgen: 1\nservice: a1\nfunctions:\n  f:\n    events:\n"
			  "      - {}\n      - schedule: rate(1 hour)\n"
			  "      - {stream: {table: t}, sqs: {}}\n");
	assert_int_equal(f.diags.count, 3);
	expect_diag(&f, 0, "type-mismatch", 6, 9, "names its source");
	expect_diag(&f, 1, "unknown-key", 7, 9, "'schedule'");
	expect_diag(&f, 2, "type-mismatch", 8, 9, "exactly one");
	assert_int_equal(f.spec->functions[0].event_count, 0);
	sg_arena_free(f.arena);
}

static void test_uses_grammar(void **state)
{
	(void)state;
	fixture f = parse("svcgen: 1\nservice: a1\nfunctions:\n"
			  "  f: {uses: [t.i:scan, t:crud, ':get', t., t:crud]}\n");
	assert_int_equal(f.diags.count, 3);
	expect_diag(&f, 0, "bad-uses", 4, 32, NULL);
	expect_diag(&f, 1, "bad-uses", 4, 40, NULL);
	expect_diag(&f, 2, "duplicate-value", 4, 44, "twice");
	assert_string_equal(f.spec->functions[0].uses[0].index, "i");
	assert_int_equal(f.spec->functions[0].uses[0].access, SG_ACCESS_SCAN);
	sg_arena_free(f.arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_model),
		cmocka_unit_test(test_unknown_keys_suggest),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_duplicate_collections_read_once),
		cmocka_unit_test(test_enum_positions_inside_scalars),
		cmocka_unit_test(test_yaml_syntax_error),
		cmocka_unit_test(test_empty_and_comment_only),
		cmocka_unit_test(test_root_must_be_mapping),
		cmocka_unit_test(test_multiple_documents),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_non_ascii_columns_count_characters),
		cmocka_unit_test(test_aliases_expand_within_bound),
		cmocka_unit_test(test_billion_laughs_is_bounded),
		cmocka_unit_test(test_recursive_and_unknown_alias),
		cmocka_unit_test(test_deep_nesting_is_bounded),
		cmocka_unit_test(test_merge_keys_rejected),
		cmocka_unit_test(test_events_shape),
		cmocka_unit_test(test_uses_grammar),
	};
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
