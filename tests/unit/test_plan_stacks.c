/*
 * test_plan_stacks.c - nested stack placement (plan.h, sg_plan_stack):
 * stable under random sequences of added and removed functions (nothing
 * ever moves between stacks), no template quota passed along the way, the
 * emitted templates hold each resource where the plan placed it, and the
 * root keeps what holds data.
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

#include "svcgen/buf.h"
#include "svcgen/emit.h"
#include "test_plan_fixture.h"

#define POOL 900        /* candidate function names */
#define STEPS 120       /* add/remove steps */

/* xorshift32: a fixed seed, so a failure reproduces. */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * A spec with the functions `on` marks: each behind two routes of a path
 * of its own (a REST API, so path stacks too) and, every seventh, a stream
 * event; a table with a stream and alarms on everything.
 */
static char *spec_of(sg_arena *a, const bool *on, const char *api_type)
{
	sg_buf b = SG_BUF_INIT;
	sg_buf_printf(&b, "svcgen: 1\nservice: big\n"
			  "tables:\n  t: {partition_key: id, stream: new_image}\n"
			  "api:\n  type: %s\n  cors: {origins: [https://a.example]}\n  routes:\n",
		      api_type);
	for (int i = 0; i < POOL; i++)
		if (on[i])
			sg_buf_printf(&b, "    /p%d/{id}:\n      GET: {function: fn_%d, uses: [t]}\n"
					  "      DELETE: {function: fn_%d, uses: [t]}\n", i, i, i);
	sg_buf_puts(&b, "functions:\n");
	for (int i = 0; i < POOL; i++)
		if (on[i] && i % 7 == 0)
			sg_buf_printf(&b, "  fn_%d: {events: [{stream: {table: t}}]}\n", i);
	sg_buf_puts(&b, "alarms:\n  functions: {errors: {threshold: 1}}\n");
	char *out = sg_arena_strdup(a, b.ptr);
	sg_buf_free(&b);
	return out;
}

static void check_quotas(const plan_fx *fx)
{
	if (fx_diag(fx, "too-many-resources"))
		fail_msg("%s", fx_diag(fx, "too-many-resources")->message);
	assert_true(fx->plan->root_resource_count <= SG_PLAN_MAX_RESOURCES);
	for (size_t i = 0; i < fx->plan->stack_count; i++)
		assert_true(fx->plan->stacks[i].resource_count <= SG_PLAN_MAX_RESOURCES);
}

static void random_sequences(const char *api_type)
{
	sg_arena *keep = sg_arena_new();
	bool on[POOL] = {0};
	const char *fstack[POOL] = {0}, *pstack[POOL] = {0};
	uint32_t seed = 0x5eed1234u;
	for (int i = 0; i < 60; i++)
		on[rnd(&seed) % POOL] = true;
	size_t moves_checked = 0, max_functions = 0;
	for (int step = 0; step < STEPS; step++) {
		/* Add or remove a handful; now and then a burst of many. */
		int n = step % 10 == 9 ? 150 : 1 + (int)(rnd(&seed) % 8);
		bool grow = rnd(&seed) % 3 != 0;
		for (int k = 0; k < n; k++)
			on[rnd(&seed) % POOL] = grow;
		plan_fx fx = fx_build_ex(spec_of(keep, on, api_type), true);
		check_quotas(&fx);
		if (fx.plan->function_count > max_functions)
			max_functions = fx.plan->function_count;
		const char *now_f[POOL] = {0}, *now_p[POOL] = {0};
		for (size_t i = 0; i < fx.plan->function_count; i++) {
			const sg_plan_function *f = &fx.plan->functions[i];
			int id = atoi(f->name + 3);
			assert_non_null(f->stack);
			now_f[id] = sg_arena_strdup(keep, f->stack->name);
		}
		for (size_t i = 1; i < fx.plan->api.node_count; i++) {
			const sg_plan_node *nd = &fx.plan->api.nodes[i];
			if (nd->depth != 1)
				continue;
			int id = atoi(nd->path + 2);
			if (!strcmp(api_type, "rest")) {
				assert_non_null(nd->stack);
				now_p[id] = sg_arena_strdup(keep, nd->stack->name);
			}
		}
		/* Whatever stayed is where it was. */
		for (int i = 0; i < POOL; i++) {
			if (now_f[i] && fstack[i]) {
				if (strcmp(now_f[i], fstack[i]))
					fail_msg("step %d: fn_%d moved from %s to %s", step, i, fstack[i],
						 now_f[i]);
				moves_checked++;
			}
			if (now_p[i] && pstack[i] && strcmp(now_p[i], pstack[i]))
				fail_msg("step %d: /p%d moved from %s to %s", step, i, pstack[i], now_p[i]);
			fstack[i] = now_f[i];
			pstack[i] = now_p[i];
		}
		fx_free(&fx);
	}
	/* The run exercised something: many survivors, and large services. */
	assert_true(moves_checked > 1000);
	assert_true(max_functions > 250);
	sg_arena_free(keep);
}

static void test_random_sequences_rest(void **state)
{
	(void)state;
	random_sequences("rest");
}

static void test_random_sequences_http(void **state)
{
	(void)state;
	random_sequences("http");
}

/* The emitted templates hold each resource where the plan says; the root
 * keeps the table, the queues and the API; nested stacks need no outputs. */
static void test_templates_follow_plan(void **state)
{
	(void)state;
	sg_arena *keep = sg_arena_new();
	bool on[POOL] = {0};
	for (int i = 0; i < 300; i++)
		on[i] = true;
	plan_fx fx = fx_build_ex(spec_of(keep, on, "rest"), true);
	check_quotas(&fx);
	sg_fileset fs;
	sg_fileset_init(&fs, fx.arena);
	assert_int_equal(sg_emit_cfn(&fs, fx.plan, &fx.diags), SG_OK);
	const sg_file *rf = sg_fileset_get(&fs, "cloudformation/template.json");
	cJSON *root = cJSON_ParseWithLength(rf->data, rf->len);
	const cJSON *rres = cJSON_GetObjectItem(root, "Resources");
	assert_non_null(cJSON_GetObjectItem(rres, "TTable"));
	assert_non_null(cJSON_GetObjectItem(rres, "Api"));
	assert_true(cJSON_GetArraySize(rres) <= SG_PLAN_MAX_RESOURCES);
	for (size_t i = 0; i < fx.plan->stack_count; i++) {
		const sg_plan_stack *st = &fx.plan->stacks[i];
		const sg_file *f = sg_fileset_get(&fs, st->file);
		if (!f)
			fail_msg("no %s", st->file);
		cJSON *t = cJSON_ParseWithLength(f->data, f->len);
		assert_non_null(t);
		const cJSON *res = cJSON_GetObjectItem(t, "Resources");
		assert_int_equal((size_t)cJSON_GetArraySize(res), st->resource_count);
		assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(t, "Parameters")) <= SG_PLAN_MAX_PARAMETERS);
		assert_null(cJSON_GetObjectItem(t, "Outputs"));
		assert_true(f->len <= 1000000);
		const cJSON *r;
		cJSON_ArrayForEach(r, res) {
			const char *type = cJSON_GetObjectItem(r, "Type")->valuestring;
			if (!strcmp(type, "AWS::DynamoDB::Table") || !strcmp(type, "AWS::SQS::Queue") ||
			    !strcmp(type, "AWS::Cognito::UserPool"))
				fail_msg("%s: stateful %s in %s", r->string, type, st->file);
		}
		/* Its stack resource in the root, pointing at the file. */
		const cJSON *sr = cJSON_GetObjectItem(rres, st->logical_id);
		assert_non_null(sr);
		const char *url = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
			cJSON_GetObjectItem(sr, "Properties"), "TemplateURL"), "Fn::Sub"));
		assert_non_null(strstr(url, st->file));
		cJSON_Delete(t);
	}
	for (size_t i = 0; i < fx.plan->function_count; i++) {
		const sg_plan_function *f = &fx.plan->functions[i];
		const sg_file *sf = sg_fileset_get(&fs, f->stack->file);
		char *key = sg_arena_printf(fx.arena, "\"%s\": {", f->logical_id);
		char *text = sg_arena_strndup(fx.arena, sf->data, sf->len);
		if (!strstr(text, key))
			fail_msg("%s not in %s", f->logical_id, f->stack->file);
	}
	cJSON_Delete(root);
	fx_free(&fx);
	sg_arena_free(keep);
}

/* Adjustable quotas warn; no function limit refuses. */
static void test_quota_warnings(void **state)
{
	(void)state;
	sg_arena *keep = sg_arena_new();
	bool on[POOL] = {0};
	for (int i = 0; i < 320; i++)
		on[i] = true;
	plan_fx fx = fx_build_ex(spec_of(keep, on, "rest"), true);
	const sg_diag *d = fx_diag(&fx, "over-quota");
	assert_non_null(d);
	assert_int_equal(d->severity, SG_SEV_WARNING);
	assert_non_null(strstr(d->message, "640 resources"));
	assert_int_equal(fx.rc, SG_OK);
	fx_free(&fx);
	fx = fx_build_ex(spec_of(keep, on, "http"), true);
	d = fx_diag(&fx, "over-quota");
	assert_non_null(d);
	assert_non_null(strstr(d->message, "640 routes"));
	fx_free(&fx);
	sg_arena_free(keep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_sequences_rest),
		cmocka_unit_test(test_random_sequences_http),
		cmocka_unit_test(test_templates_follow_plan),
		cmocka_unit_test(test_quota_warnings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
