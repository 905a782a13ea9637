/*
 * test_diff.c - the resource and IAM comparison of two plans (diff.h) and
 * the CloudFormation -> Terraform table (tfmap.h): the table names every
 * resource of every example's template, in template order, with addresses
 * the Terraform emitter really declares; a widening and a narrowing give
 * exact text and JSON; a new spec is all additions; a type change is a
 * removal and an addition; property changes land in companion resources.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "svcgen/diff.h"
#include "svcgen/emit.h"
#include "svcgen/json.h"
#include "svcgen/tfmap.h"
#include "test_plan_fixture.h"
#include "test_cfn_merge.h"

/* get_item's function stack: FNV-1a 32 of "get_item" mod 128 is 39. */
#define STACK_GET_ITEM "stacks/functions-039.json"
#define ARN_ITEMS "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/demo-dev-items"

static const char narrow_yaml[] =
	"svcgen: 1\n"
	"service: demo\n"
	"tables:\n"
	"  items: {partition_key: id}\n"
	"api:\n"
	"  routes:\n"
	"    /items/{id}:\n"
	"      GET: {function: get_item, uses: [items]}\n";

static const char wide_yaml[] =
	"svcgen: 1\n"
	"service: demo\n"
	"tables:\n"
	"  items: {partition_key: id}\n"
	"api:\n"
	"  routes:\n"
	"    /items/{id}:\n"
	"      GET: {function: get_item, uses: [items:read]}\n";

static const char *text_of(sg_arena *a, const sg_diff *d)
{
	sg_buf b = SG_BUF_INIT;
	sg_diff_write_text(&b, d);
	return sg_buf_to_arena(&b, a, NULL);
}

static const char *json_of(sg_arena *a, const sg_diff *d)
{
	cJSON *o = cJSON_CreateObject();
	sg_diff_add_json(o, d);
	sg_buf b = SG_BUF_INIT;
	sg_json_write(&b, o);
	cJSON_Delete(o);
	return sg_buf_to_arena(&b, a, NULL);
}

static void test_same(void **state)
{
	(void)state;
	plan_fx x = fx_build(narrow_yaml), y = fx_build(narrow_yaml);
	sg_diff *d;
	assert_int_equal(sg_diff_plans(&d, x.arena, x.plan, y.plan), SG_OK);
	assert_true(sg_diff_empty(d));
	assert_string_equal(text_of(x.arena, d), "No changes: resources and permissions are the same.\n");
	assert_int_equal(sg_diff_plans(NULL, x.arena, x.plan, y.plan), SG_EUSAGE);
	fx_free(&x);
	fx_free(&y);
}

static void test_widening(void **state)
{
	(void)state;
	plan_fx x = fx_build(narrow_yaml), y = fx_build(wide_yaml);
	sg_diff *d;
	assert_int_equal(sg_diff_plans(&d, x.arena, x.plan, y.plan), SG_OK);
	assert_string_equal(text_of(x.arena, d),
		"Resource changes (CloudFormation logical ID, Terraform address):\n"
		"  ~ GetItemRole  aws_iam_role_policy.get_item  (Policies)\n"
		"\n"
		"IAM changes (+ granted, - revoked):\n"
		"  FUNCTION  ACTION            RESOURCE\n"
		"  get_item  + dynamodb:Query  " ARN_ITEMS "\n"
		"\n"
		"Summary: 0 to add, 1 to change, 0 to destroy; IAM: 1 added, 0 removed.\n");
	assert_string_equal(json_of(x.arena, d),
		"{\n"
		"  \"resources\": [\n"
		"    {\n"
		"      \"change\": \"changed\",\n"
		"      \"logical_id\": \"GetItemRole\",\n"
		"      \"type\": \"AWS::IAM::Role\",\n"
		"      \"terraform\": [\n"
		"        \"aws_iam_role_policy.get_item\"\n"
		"      ],\n"
		"      \"properties\": [\n"
		"        \"Policies\"\n"
		"      ],\n"
		"      \"stack\": \"" STACK_GET_ITEM "\",\n"
		"      \"stack_before\": \"" STACK_GET_ITEM "\",\n"
		"      \"moved\": false,\n"
		"      \"replaced\": false,\n"
		"      \"replaced_by\": [],\n"
		"      \"stateful\": false\n"
		"    }\n"
		"  ],\n"
		"  \"iam\": [\n"
		"    {\n"
		"      \"function\": \"get_item\",\n"
		"      \"change\": \"added\",\n"
		"      \"action\": \"dynamodb:Query\",\n"
		"      \"resource\": \"" ARN_ITEMS "\"\n"
		"    }\n"
		"  ],\n"
		"  \"summary\": {\n"
		"    \"added\": 0,\n"
		"    \"changed\": 1,\n"
		"    \"removed\": 0,\n"
		"    \"replaced\": 0,\n"
		"    \"replaced_stateful\": 0,\n"
		"    \"iam_added\": 1,\n"
		"    \"iam_removed\": 0\n"
		"  }\n"
		"}\n");
	fx_free(&x);
	fx_free(&y);
}

static void test_narrowing(void **state)
{
	(void)state;
	plan_fx x = fx_build(wide_yaml), y = fx_build(narrow_yaml);
	sg_diff *d;
	assert_int_equal(sg_diff_plans(&d, x.arena, x.plan, y.plan), SG_OK);
	assert_int_equal(d->iam_added, 0);
	assert_int_equal(d->iam_removed, 1);
	assert_int_equal(d->iam[0].change, SG_DIFF_REMOVED);
	assert_string_equal(d->iam[0].action, "dynamodb:Query");
	assert_string_equal(text_of(x.arena, d),
		"Resource changes (CloudFormation logical ID, Terraform address):\n"
		"  ~ GetItemRole  aws_iam_role_policy.get_item  (Policies)\n"
		"\n"
		"IAM changes (+ granted, - revoked):\n"
		"  FUNCTION  ACTION            RESOURCE\n"
		"  get_item  - dynamodb:Query  " ARN_ITEMS "\n"
		"\n"
		"Summary: 0 to add, 1 to change, 0 to destroy; IAM: 0 added, 1 removed.\n");
	fx_free(&x);
	fx_free(&y);
}

/* Every resource of the template, and every permission, in one go. */
static void test_new_and_deleted_spec(void **state)
{
	(void)state;
	plan_fx x = fx_build(narrow_yaml);
	sg_diff *d;
	assert_int_equal(sg_diff_plans(&d, x.arena, NULL, x.plan), SG_OK);
	size_t n = 0;
	const sg_tfmap_resource *all;
	assert_int_equal(sg_tfmap_resources(&all, &n, x.arena, x.plan), SG_OK);
	assert_int_equal(d->added, n);
	assert_int_equal(d->resource_count, n);
	assert_int_equal(d->changed + d->removed + d->iam_removed, 0);
	/* get_item: 2 item actions, 2 log actions. */
	assert_int_equal(d->iam_added, 4);
	for (size_t i = 0; i < d->resource_count; i++)
		if (!strcmp(d->resources[i].logical_id, "GetItemRole")) {
			assert_int_equal(d->resources[i].terraform_count, 2);
			assert_string_equal(d->resources[i].terraform[0], "aws_iam_role.get_item");
			assert_string_equal(d->resources[i].terraform[1], "aws_iam_role_policy.get_item");
		}
	assert_int_equal(sg_diff_plans(&d, x.arena, x.plan, NULL), SG_OK);
	assert_int_equal(d->removed, n);
	assert_int_equal(d->iam_removed, 4);
	assert_int_equal(d->iam[0].change, SG_DIFF_REMOVED);
	assert_int_equal(sg_diff_plans(&d, x.arena, NULL, NULL), SG_OK);
	assert_true(sg_diff_empty(d));
	fx_free(&x);
}

/* REST -> HTTP: "Api" changes type, so it is removed and added. */
static void test_type_change(void **state)
{
	(void)state;
	plan_fx x = fx_build(narrow_yaml);
	/* "  type: http" right after "api:". */
	const char *http = narrow_yaml;
	const char *at = strstr(http, "api:\n");
	http = sg_arena_printf(x.arena, "%.*sapi:\n  type: http\n%s", (int)(at - http), http,
			       at + strlen("api:\n"));
	plan_fx y = fx_build(http);
	sg_diff *d;
	assert_int_equal(sg_diff_plans(&d, x.arena, x.plan, y.plan), SG_OK);
	const sg_diff_resource *rm = NULL, *add = NULL;
	for (size_t i = 0; i < d->resource_count; i++)
		if (!strcmp(d->resources[i].logical_id, "Api")) {
			if (d->resources[i].change == SG_DIFF_REMOVED)
				rm = &d->resources[i];
			else if (d->resources[i].change == SG_DIFF_ADDED)
				add = &d->resources[i];
		}
	assert_non_null(rm);
	assert_non_null(add);
	assert_true(rm < add); /* removed first */
	assert_string_equal(rm->terraform[0], "aws_api_gateway_rest_api.api");
	assert_string_equal(add->terraform[0], "aws_apigatewayv2_api.api");
	/* Same permissions: the API type is not IAM. */
	assert_int_equal(d->iam_count, 0);
	fx_free(&x);
	fx_free(&y);
}

/* A CORS change lands in the preflight's integration response only. */
static void test_companion(void **state)
{
	(void)state;
	const char *base =
		"svcgen: 1\nservice: demo\ntables:\n  items: {partition_key: id}\n"
		"api:\n  cors: {origins: [https://a.example.com]}\n  routes:\n"
		"    /items/{id}:\n      GET: {function: get_item, uses: [items]}\n";
	const char *changed =
		"svcgen: 1\nservice: demo\ntables:\n  items: {partition_key: id}\n"
		"api:\n  cors: {origins: [https://b.example.com]}\n  routes:\n"
		"    /items/{id}:\n      GET: {function: get_item, uses: [items]}\n";
	plan_fx x = fx_build(base), y = fx_build(changed);
	sg_diff *d;
	assert_int_equal(sg_diff_plans(&d, x.arena, x.plan, y.plan), SG_OK);
	const sg_diff_resource *pre = NULL;
	for (size_t i = 0; i < d->resource_count; i++)
		if (strstr(d->resources[i].logical_id, "OptionsMethod"))
			pre = &d->resources[i];
	assert_non_null(pre);
	assert_int_equal(pre->change, SG_DIFF_CHANGED);
	assert_int_equal(pre->property_count, 1);
	assert_string_equal(pre->properties[0], "Integration");
	assert_int_equal(pre->terraform_count, 1);
	assert_string_equal(pre->terraform[0], "aws_api_gateway_integration_response.items_id_options");
	fx_free(&x);
	fx_free(&y);
}

static plan_fx example(const char *path)
{
	sg_arena *tmp = sg_arena_new();
	char *yaml = fx_read_file(tmp, path);
	assert_non_null(yaml);
	plan_fx fx = fx_build(yaml);
	sg_arena_free(tmp);
	return fx;
}

/* A changed key schema replaces the table, and the diff says that its
 * data is at stake; a renamed function replaces what carries its name. */
static void test_replacements(void **state)
{
	(void)state;
	plan_fx x = fx_build(narrow_yaml);
	plan_fx y = fx_build(
		"svcgen: 1\nservice: demo\n"
		"tables:\n  items: {partition_key: id, sort_key: at}\n"
		"api:\n  routes:\n    /items/{id}:\n      GET: {function: get_item, uses: [items]}\n");
	sg_diff *d;
	assert_int_equal(sg_diff_plans(&d, x.arena, x.plan, y.plan), SG_OK);
	const char *text = text_of(x.arena, d);
	if (!strstr(text, "  -/+ ItemsTable  aws_dynamodb_table.items  (AttributeDefinitions, KeySchema)"
			  "  [replaced: KeySchema]  STATEFUL: its data stays in the old resource\n"))
		fail_msg("no stateful replacement in:\n%s", text);
	assert_non_null(strstr(text, "(1 replaced, 1 of them stateful)"));
	assert_int_equal(d->replaced, 1);
	assert_int_equal(d->replaced_stateful, 1);
	fx_free(&x);
	fx_free(&y);
}

/* A resource that changes stacks is a replacement: reported as a move. */
static void test_moves(void **state)
{
	(void)state;
	plan_fx x = fx_build(narrow_yaml), y = fx_build(narrow_yaml);
	/* Move get_item to another bucket by hand (placement never does). */
	sg_plan_stack *other = sg_arena_calloc(y.arena, 1, sizeof(*other));
	*other = *y.plan->functions[0].stack;
	other->name = "functions-099";
	other->file = "cloudformation/stacks/functions-099.json";
	other->logical_id = "Functions099Stack";
	sg_plan_stack *old = y.plan->stacks;
	sg_plan_stack *stacks = sg_arena_calloc(y.arena, y.plan->stack_count, sizeof(*stacks));
	for (size_t i = 0; i < y.plan->stack_count; i++)
		stacks[i] = &old[i] == y.plan->functions[0].stack ? *other : old[i];
	y.plan->stacks = stacks;
	for (size_t i = 0; i < y.plan->stack_count; i++)
		if (!strcmp(stacks[i].name, "functions-099"))
			y.plan->functions[0].stack = &stacks[i];
	for (size_t i = 0; i < y.plan->api.node_count; i++)
		if (y.plan->api.nodes[i].stack)
			y.plan->api.nodes[i].stack = &stacks[y.plan->api.nodes[i].stack - old];
	for (size_t i = 0; i < y.plan->stack_count; i++)
		for (size_t k = 0; k < stacks[i].depend_count; k++)
			if (stacks[i].depends[k] == &old[0] + (y.plan->functions[0].stack - stacks))
				((const sg_plan_stack **)stacks[i].depends)[k] = y.plan->functions[0].stack;
	sg_diff *d;
	assert_int_equal(sg_diff_plans(&d, x.arena, x.plan, y.plan), SG_OK);
	const char *text = text_of(x.arena, d);
	const char *line = strstr(text, "  -/+ GetItemFunction ");
	const char *eol = line ? strchr(line, '\n') : NULL;
	const char *moved = line ? strstr(line, " aws_lambda_function.get_item  [moves from "
					  STACK_GET_ITEM " to stacks/functions-099.json: replaced]\n") : NULL;
	if (!moved || moved > eol)
		fail_msg("no move in:\n%s", text);
	assert_true(d->replaced >= 4);   /* role, log group, function, permission */
	assert_int_equal(d->replaced_stateful, 0);
	fx_free(&x);
	fx_free(&y);
}

/* The table agrees with the CloudFormation emitter for every example. */
static void test_tfmap_matches_template(void **state)
{
	(void)state;
	for (size_t e = 0; e < FX_EXAMPLE_COUNT; e++) {
		plan_fx fx = example(fx_examples[e]);
		sg_fileset fs;
		sg_fileset_init(&fs, fx.arena);
		assert_int_equal(sg_emit_cfn(&fs, fx.plan, &fx.diags), SG_OK);
		/* The root's and every nested stack's resources. */
		cJSON *res = tcm_merged_resources(&fs);
		assert_non_null(res);
		const sg_tfmap_resource *list;
		size_t n;
		assert_int_equal(sg_tfmap_resources(&list, &n, fx.arena, fx.plan), SG_OK);
		assert_int_equal((size_t)cJSON_GetArraySize(res), n);
		const cJSON *r;
		cJSON_ArrayForEach(r, res) {
			const sg_tfmap_resource *t = sg_tfmap_find(list, n, r->string);
			if (!t)
				fail_msg("%s: %s is in the templates, not in tfmap", fx_examples[e],
					 r->string);
			const char *type = cJSON_GetObjectItem(r, "Type")->valuestring;
			assert_string_equal(t->cfn_type, type);
			if (strcmp(type, "AWS::CloudFormation::Stack") != 0) {
				assert_non_null(t->tf_type);
				assert_non_null(t->tf_name);
			}
		}
		assert_null(sg_tfmap_find(list, n, "NoSuchResource"));
		cJSON_Delete(res);
		fx_free(&fx);
	}
}

/* Every Terraform address diff names for a whole example is declared by
 * the Terraform emitter (when this build has it). */
static void test_addresses_exist_in_terraform(void **state)
{
	(void)state;
	if (!(sg_emit_available() & SG_EMIT_TF))
		skip();
	for (size_t e = 0; e < FX_EXAMPLE_COUNT; e++) {
		plan_fx fx = example(fx_examples[e]);
		sg_fileset fs;
		sg_fileset_init(&fs, fx.arena);
		assert_int_equal(sg_emit_run(&fs, NULL, fx.plan, SG_EMIT_TF, &fx.diags), SG_OK);
		sg_buf tf = SG_BUF_INIT;
		for (size_t i = 0; i < fs.count; i++)
			sg_buf_put(&tf, fs.files[i].data, fs.files[i].len);
		sg_diff *d;
		assert_int_equal(sg_diff_plans(&d, fx.arena, NULL, fx.plan), SG_OK);
		for (size_t i = 0; i < d->resource_count; i++)
			for (size_t k = 0; k < d->resources[i].terraform_count; k++) {
				const char *addr = d->resources[i].terraform[k];
				const char *dot = strchr(addr, '.');
				char *decl = sg_arena_printf(fx.arena, "resource \"%.*s\" \"%s\"",
							     (int)(dot - addr), addr, dot + 1);
				if (!strstr(tf.ptr, decl))
					fail_msg("%s: %s (%s) is not declared in the Terraform output",
						 fx_examples[e], addr, d->resources[i].logical_id);
			}
		sg_buf_free(&tf);
		fx_free(&fx);
	}
}

static void test_tfmap_table(void **state)
{
	(void)state;
	assert_string_equal(sg_tfmap_type("AWS::Lambda::Function"), "aws_lambda_function");
	assert_string_equal(sg_tfmap_type("AWS::CloudWatch::Alarm"), "aws_cloudwatch_metric_alarm");
	assert_string_equal(sg_tfmap_type("AWS::ApiGatewayV2::Stage"), "aws_apigatewayv2_stage");
	assert_null(sg_tfmap_type("AWS::S3::Bucket"));
	assert_null(sg_tfmap_type(NULL));
	assert_string_equal(sg_tfmap_type_of_property("AWS::IAM::Role", "Policies"),
			    "aws_iam_role_policy");
	assert_string_equal(sg_tfmap_type_of_property("AWS::IAM::Role", "Tags"), "aws_iam_role");
	assert_string_equal(sg_tfmap_type_of_property("AWS::ApiGateway::Method", "Integration"),
			    "aws_api_gateway_integration");
	assert_string_equal(sg_tfmap_type_of_property("AWS::ApiGateway::Stage", "MethodSettings"),
			    "aws_api_gateway_method_settings");
	assert_null(sg_tfmap_type_of_property("AWS::S3::Bucket", "Tags"));
	/* Each CloudFormation type has one primary row, before its companions. */
	size_t n;
	const sg_tfmap_entry *t = sg_tfmap_entries(&n);
	assert_true(n >= 29);
	for (size_t i = 0; i < n; i++) {
		size_t primaries = 0;
		for (size_t k = 0; k < n; k++)
			if (!strcmp(t[k].cfn_type, t[i].cfn_type) && !t[k].property) {
				primaries++;
				assert_true(k <= i);
			}
		assert_int_equal(primaries, 1);
		assert_int_equal(strncmp(t[i].tf_type, "aws_", 4), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_widening),
		cmocka_unit_test(test_narrowing),
		cmocka_unit_test(test_new_and_deleted_spec),
		cmocka_unit_test(test_type_change),
		cmocka_unit_test(test_companion),
		cmocka_unit_test(test_replacements),
		cmocka_unit_test(test_moves),
		cmocka_unit_test(test_tfmap_matches_template),
		cmocka_unit_test(test_addresses_exist_in_terraform),
		cmocka_unit_test(test_tfmap_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
