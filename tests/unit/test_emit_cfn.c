/*
 * test_emit_cfn.c - the CloudFormation emitter: strings from the spec arrive
 * intact, the template is deterministic, and the role policy equals
 * iam/<function>.json statement for statement.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "svcgen/emit.h"
#include "svcgen/spec.h"
#include "test_cfn_merge.h"

/* Every awkward kind of text a spec may hold. */
#define TRICKY_DESC "Orders \"API\" with ${NotAVar} and back\\slash, caf\xc3\xa9 \xe2\x82\xac"
#define TRICKY_ENV "line1\nline2 \"q\" 'a' ${AWS::Region} %{x} \\n \xf0\x9f\x9a\x80"

static const char spec_yaml[] =
	"svcgen: 1\n"
	"service: shop\n"
	"description: \"Orders \\\"API\\\" with ${NotAVar} and back\\\\slash, caf\xc3\xa9 \xe2\x82\xac\"\n"
	"tags: {team: \"caf\xc3\xa9 ops\"}\n"
	"defaults:\n"
	"  environment:\n"
	"    TRICKY: \"line1\\nline2 \\\"q\\\" 'a' ${AWS::Region} %{x} \\\\n \xf0\x9f\x9a\x80\"\n"
	"tables:\n"
	"  orders: {partition_key: PK, sort_key: SK, stream: new_image}\n"
	"topics: {events: {}}\n"
	"api:\n"
	"  routes:\n"
	"    /orders/{id}:\n"
	"      GET: {function: get_order, uses: [orders]}\n"
	"functions:\n"
	"  notify:\n"
	"    description: \"tab\\there\"\n"
	"    events: [{stream: {table: orders, filter: {eventName: [INSERT]}}}]\n"
	"    uses: [events:publish]\n";

typedef struct run {
	sg_arena *arena;
	sg_fileset fs;
	cJSON *tpl;
} run;

static run generate(void)
{
	run r;
	r.arena = sg_arena_new();
	sg_diags d;
	sg_diags_init(&d, r.arena, "t.yaml");
	sg_spec *spec;
	sg_plan *plan;
	assert_int_equal(sg_spec_parse(&spec, r.arena, &d, "t.yaml", spec_yaml, strlen(spec_yaml)), SG_OK);
	assert_int_equal(sg_spec_validate(spec, &d), SG_OK);
	assert_int_equal(sg_plan_build(&plan, r.arena, spec, &d), SG_OK);
	sg_fileset_init(&r.fs, r.arena);
	assert_int_equal(sg_emit_run(&r.fs, NULL, plan, SG_EMIT_CFN | SG_EMIT_IAM, &d), SG_OK);
	if (d.errors)
		sg_diags_print_text(&d, stderr);
	assert_int_equal(d.errors, 0);
	const sg_file *f = sg_fileset_get(&r.fs, "cloudformation/template.json");
	assert_non_null(f);
	r.tpl = cJSON_ParseWithLength(f->data, f->len);
	assert_non_null(r.tpl);
	/* Resources wherever the plan placed them (root or nested stack). */
	cJSON *all = tcm_merged_resources(&r.fs);
	assert_non_null(all);
	cJSON_ReplaceItemInObjectCaseSensitive(r.tpl, "Resources", all);
	return r;
}

static void done(run *r)
{
	cJSON_Delete(r->tpl);
	sg_arena_free(r->arena);
}

static const cJSON *path(const cJSON *j, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n && j; i++)
		j = cJSON_GetObjectItemCaseSensitive(j, keys[i]);
	return j;
}
#define AT(j, ...) path(j, (const char *const[]){__VA_ARGS__}, \
	sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static void test_strings_arrive_intact(void **state)
{
	(void)state;
	run r = generate();
	assert_string_equal(cJSON_GetStringValue(AT(r.tpl, "Description")), TRICKY_DESC);
	const cJSON *env = AT(r.tpl, "Resources", "GetOrderFunction", "Properties", "Environment",
			      "Variables", "TRICKY");
	assert_string_equal(cJSON_GetStringValue(env), TRICKY_ENV);
	assert_string_equal(cJSON_GetStringValue(AT(r.tpl, "Resources", "NotifyFunction",
						    "Properties", "Description")), "tab\there");
	const cJSON *tags = AT(r.tpl, "Resources", "OrdersTable", "Properties", "Tags");
	assert_string_equal(cJSON_GetStringValue(AT(cJSON_GetArrayItem(tags, 0), "Value")),
			    "caf\xc3\xa9 ops");
	/* The filter pattern is a JSON string inside the template. */
	const cJSON *pat = AT(cJSON_GetArrayItem(AT(r.tpl, "Resources", "NotifyOrdersStreamMapping",
						   "Properties", "FilterCriteria", "Filters"), 0),
			      "Pattern");
	assert_string_equal(cJSON_GetStringValue(pat), "{\"eventName\":[\"INSERT\"]}");
	done(&r);
}

/* No spec text is ever put in an Fn::Sub, where ${...} would be read. */
static void check_subs(const cJSON *j)
{
	if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
		const cJSON *c;
		cJSON_ArrayForEach(c, j) {
			if (c->string && !strcmp(c->string, "Fn::Sub")) {
				const char *s = cJSON_GetStringValue(c);
				assert_non_null(s);
				assert_null(strstr(s, "NotAVar"));
				assert_null(strstr(s, "line1"));
			}
			check_subs(c);
		}
	}
}

static void test_no_spec_text_in_sub(void **state)
{
	(void)state;
	run r = generate();
	check_subs(r.tpl);
	done(&r);
}

static void test_deterministic(void **state)
{
	(void)state;
	run a = generate(), b = generate();
	for (size_t i = 0; i < a.fs.count; i++) {
		const sg_file *fb = sg_fileset_get(&b.fs, a.fs.files[i].path);
		assert_non_null(fb);
		assert_int_equal(a.fs.files[i].len, fb->len);
		assert_memory_equal(a.fs.files[i].data, fb->data, fb->len);
	}
	assert_int_equal(a.fs.count, b.fs.count);
	done(&a);
	done(&b);
}

/* The role's inline policy and iam/<fn>.json carry the same statements;
 * the template wraps ARNs in Fn::Sub, the file shows them as written. */
static void test_role_policy_equals_iam_file(void **state)
{
	(void)state;
	run r = generate();
	static const char *const fns[][2] = {{"get_order", "GetOrderRole"}, {"notify", "NotifyRole"}};
	for (size_t i = 0; i < 2; i++) {
		char p[64];
		snprintf(p, sizeof(p), "iam/%s.json", fns[i][0]);
		const sg_file *f = sg_fileset_get(&r.fs, p);
		assert_non_null(f);
		cJSON *doc = cJSON_ParseWithLength(f->data, f->len);
		const cJSON *pol = AT(cJSON_GetArrayItem(AT(r.tpl, "Resources", fns[i][1], "Properties",
							    "Policies"), 0), "PolicyDocument");
		assert_non_null(pol);
		const cJSON *a = AT(doc, "Statement"), *b = AT(pol, "Statement");
		assert_int_equal(cJSON_GetArraySize(a), cJSON_GetArraySize(b));
		for (int k = 0; k < cJSON_GetArraySize(a); k++) {
			const cJSON *sa = cJSON_GetArrayItem(a, k), *sb = cJSON_GetArrayItem(b, k);
			assert_true(cJSON_Compare(AT(sa, "Action"), AT(sb, "Action"), true));
			assert_true(cJSON_Compare(AT(sa, "Sid"), AT(sb, "Sid"), true));
			const cJSON *rb = AT(sb, "Resource");
			const char *res_b = cJSON_IsString(rb) ? cJSON_GetStringValue(rb)
							       : cJSON_GetStringValue(AT(rb, "Fn::Sub"));
			assert_string_equal(cJSON_GetStringValue(AT(sa, "Resource")), res_b);
		}
		cJSON_Delete(doc);
	}
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings_arrive_intact),
		cmocka_unit_test(test_no_spec_text_in_sub),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_role_policy_equals_iam_file),
	};
	return cmocka_run_group_tests_name("emit_cfn", tests, NULL, NULL);
}
