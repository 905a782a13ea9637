/*
 * test_production.c - what no linter catches: the defects of issue 10 that
 * pass cfn-lint, checkov, moto and the schema checks but fail in
 * production, each checked in the CloudFormation template and in the
 * Terraform configuration of one spec (both come from the one plan, so
 * both must carry the fix).
 *
 *   1  stream mappings: partial batch responses, bounded retries, bisect,
 *      an encrypted on-failure queue with a depth alarm, an IteratorAge alarm
 *   2  the alarm topic's key lets CloudWatch publish
 *   4  the account-level API Gateway logging role outlives the stack
 *   6  API Gateway's own 4xx/5xx carry the CORS headers (REST)
 *   8  per-index throttle alarms
 *   9  role names carry the region
 *   10 Cognito e-mail through SES
 *   11 terraform plan works before the zips exist
 * (5 is a validator rule, in the bad-input corpus and test_validate; 7 is
 * test_plan_iam's; 3 is tests/suites/cfn_redeploy.sh on moto.)
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
#include "svcgen/spec.h"
#include "test_cfn_merge.h"

static const char spec_yaml[] =
	"svcgen: 1\n"
	"service: shop\n"
	"tables:\n"
	"  orders:\n"
	"    partition_key: PK\n"
	"    stream: new_image\n"
	"    indexes: {by_day: {partition_key: Day}}\n"
	"auth:\n"
	"  cognito:\n"
	"    user_pool: shop-users\n"
	"    callback_urls: [https://shop.example.com/cb]\n"
	"    oauth_flows: [code]\n"
	"    domain_prefix: shop-example\n"
	"    email: {ses_identity: example.com, from: \"Shop <no-reply@example.com>\"}\n"
	"api:\n"
	"  cors: {origins: [https://shop.example.com]}\n"
	"  routes:\n"
	"    /orders:\n"
	"      GET: {function: list_orders, uses: [orders]}\n"
	"functions:\n"
	"  notify:\n"
	"    events: [{stream: {table: orders}}]\n"
	"alarms:\n"
	"  notify: [ops@example.com]\n"
	"  tables: {throttles: {threshold: 1}}\n";

typedef struct run {
	sg_arena *arena;
	sg_diags diags;
	sg_fileset fs;
	cJSON *tpl;
	cJSON *res;
} run;

static run generate(const char *yaml)
{
	run r;
	memset(&r, 0, sizeof(r));
	r.arena = sg_arena_new();
	sg_diags_init(&r.diags, r.arena, "t.yaml");
	sg_spec *spec;
	sg_plan *plan;
	assert_int_equal(sg_spec_parse(&spec, r.arena, &r.diags, "t.yaml", yaml, strlen(yaml)), SG_OK);
	if (sg_spec_validate(spec, &r.diags) != SG_OK)
		sg_diags_print_text(&r.diags, stderr);
	assert_int_equal(r.diags.errors, 0);
	assert_int_equal(sg_plan_build(&plan, r.arena, spec, &r.diags), SG_OK);
	sg_fileset_init(&r.fs, r.arena);
	assert_int_equal(sg_emit_run(&r.fs, NULL, plan, SG_EMIT_CFN | SG_EMIT_TF, &r.diags), SG_OK);
	const sg_file *f = sg_fileset_get(&r.fs, "cloudformation/template.json");
	assert_non_null(f);
	r.tpl = cJSON_ParseWithLength(f->data, f->len);
	assert_non_null(r.tpl);
	/* Resources wherever the plan placed them (root or nested stack). */
	cJSON *all = tcm_merged_resources(&r.fs);
	assert_non_null(all);
	cJSON_ReplaceItemInObjectCaseSensitive(r.tpl, "Resources", all);
	r.res = all;
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
		j = cJSON_IsArray(j) ? cJSON_GetArrayItem(j, (int)strtol(keys[i], NULL, 10))
				     : cJSON_GetObjectItemCaseSensitive(j, keys[i]);
	return j;
}
#define AT(j, ...) path(j, (const char *const[]){__VA_ARGS__}, \
	sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

/* The only resource of `type` (fails unless exactly one). */
static const cJSON *only(const run *r, const char *type, const char **id)
{
	const cJSON *found = NULL, *it;
	cJSON_ArrayForEach(it, r->res) {
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(it, "Type")), type) != 0)
			continue;
		if (found)
			fail_msg("more than one %s", type);
		found = it;
		if (id)
			*id = it->string;
	}
	if (!found)
		fail_msg("no %s in the template", type);
	return found;
}

/* An alarm with `metric` (and, if given, a dimension named `dim`). */
static const cJSON *alarm(const run *r, const char *metric, const char *dim)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, r->res) {
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(it, "Type")), "AWS::CloudWatch::Alarm"))
			continue;
		const cJSON *p = cJSON_GetObjectItem(it, "Properties");
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(p, "MetricName")), metric))
			continue;
		if (!dim)
			return it;
		const cJSON *d;
		cJSON_ArrayForEach(d, cJSON_GetObjectItem(p, "Dimensions"))
			if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(d, "Name")), dim))
				return it;
	}
	fail_msg("no alarm on %s%s%s", metric, dim ? " by " : "", dim ? dim : "");
	return NULL;
}

static const char *str_at(const cJSON *j) { return cJSON_GetStringValue(j); }

/*
 * Whether terraform/`file` has a line `key = value` (spaces around "="
 * as terraform fmt aligns them), inside the block whose header line
 * contains `block` (NULL: anywhere).
 */
static bool tf_has(const run *r, const char *file, const char *block, const char *key,
		   const char *value)
{
	const sg_file *f = sg_fileset_get(&r->fs, sg_arena_printf(r->arena, "terraform/%s", file));
	if (!f)
		fail_msg("no terraform/%s", file);
	char *text = sg_arena_strndup(r->arena, f->data, f->len);
	bool inside = block == NULL;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (block && line[0] != ' ' && line[0] != '}')
			inside = strstr(line, block) != NULL;
		if (!inside)
			continue;
		while (*line == ' ')
			line++;
		size_t kl = strlen(key);
		if (strncmp(line, key, kl) || (line[kl] != ' ' && line[kl] != '='))
			continue;
		char *eq = strchr(line + kl, '=');
		if (!eq)
			continue;
		eq++;
		while (*eq == ' ')
			eq++;
		if (!strcmp(eq, value))
			return true;
	}
	return false;
}
#define TF_HAS(r, file, block, key, value)                                             \
	do {                                                                           \
		if (!tf_has(r, file, block, key, value))                               \
			fail_msg("terraform/%s%s%s: no %s = %s", file, block ? ", " : "",  \
				 block ? block : "", key, value);                      \
	} while (0)

/* 1: stream records are never lost silently. */
static void test_stream_mapping(void **state)
{
	(void)state;
	run r = generate(spec_yaml);
	const char *qid = NULL;
	const cJSON *m = cJSON_GetObjectItem(only(&r, "AWS::Lambda::EventSourceMapping", NULL), "Properties");
	assert_string_equal(str_at(AT(m, "FunctionResponseTypes", "0")), "ReportBatchItemFailures");
	assert_int_equal(AT(m, "MaximumRetryAttempts")->valueint, 3);
	assert_true(cJSON_IsTrue(AT(m, "BisectBatchOnFunctionError")));
	const cJSON *q = only(&r, "AWS::SQS::Queue", &qid);
	assert_string_equal(str_at(AT(m, "DestinationConfig", "OnFailure", "Destination", "Fn::GetAtt", "0")), qid);
	assert_true(cJSON_IsTrue(AT(q, "Properties", "SqsManagedSseEnabled")));
	assert_string_equal(str_at(AT(q, "DeletionPolicy")), "Retain");
	/* The function may send there (Lambda uses its role). */
	const cJSON *role = cJSON_GetObjectItem(r.res, "NotifyRole");
	const cJSON *st;
	bool send = false;
	cJSON_ArrayForEach(st, AT(role, "Properties", "Policies", "0", "PolicyDocument", "Statement"))
		send |= !strcmp(str_at(AT(st, "Action", "0")), "sqs:SendMessage");
	assert_true(send);
	/* Alarms on how far behind the stream is and on given-up records. */
	const cJSON *age = alarm(&r, "IteratorAge", "FunctionName");
	assert_string_equal(str_at(AT(age, "Properties", "Statistic")), "Maximum");
	const cJSON *depth = alarm(&r, "ApproximateNumberOfMessagesVisible", "QueueName");
	assert_string_equal(str_at(AT(depth, "Properties", "Dimensions", "0", "Value", "Fn::GetAtt", "0")), qid);

	TF_HAS(&r, "lambda.tf", "aws_lambda_event_source_mapping", "function_response_types",
	       "[\"ReportBatchItemFailures\"]");
	TF_HAS(&r, "lambda.tf", "aws_lambda_event_source_mapping", "maximum_retry_attempts", "3");
	TF_HAS(&r, "lambda.tf", "aws_lambda_event_source_mapping", "bisect_batch_on_function_error", "true");
	TF_HAS(&r, "lambda.tf", "aws_lambda_event_source_mapping", "destination_arn",
	       "aws_sqs_queue.notify_orders.arn");
	TF_HAS(&r, "sqs.tf", "aws_sqs_queue", "sqs_managed_sse_enabled", "true");
	TF_HAS(&r, "sqs.tf", "aws_sqs_queue", "prevent_destroy", "true");
	TF_HAS(&r, "monitoring.tf", "notify_iterator_age", "metric_name", "\"IteratorAge\"");
	TF_HAS(&r, "monitoring.tf", "notify_orders_failed_records", "QueueName",
	       "aws_sqs_queue.notify_orders.name");
	done(&r);

	/* The spec can change each. */
	r = generate("svcgen: 1\nservice: shop\n"
		     "tables: {orders: {partition_key: PK, stream: new_image}}\n"
		     "functions:\n  notify:\n    events:\n"
		     "      - stream: {table: orders, retries: 0, bisect: false,\n"
		     "                 partial_batch_response: false, on_failure: none}\n");
	m = cJSON_GetObjectItem(only(&r, "AWS::Lambda::EventSourceMapping", NULL), "Properties");
	assert_int_equal(AT(m, "MaximumRetryAttempts")->valueint, 0);
	assert_true(cJSON_IsFalse(AT(m, "BisectBatchOnFunctionError")));
	assert_null(AT(m, "FunctionResponseTypes"));
	assert_null(AT(m, "DestinationConfig"));
	assert_false(tf_has(&r, "lambda.tf", NULL, "function_response_types", "[\"ReportBatchItemFailures\"]"));
	TF_HAS(&r, "lambda.tf", NULL, "bisect_batch_on_function_error", "false");
	assert_null(sg_fileset_get(&r.fs, "terraform/sqs.tf"));
	done(&r);
}

/* 2: CloudWatch can publish to the alarm topic. */
static void test_alarm_topic_key(void **state)
{
	(void)state;
	run r = generate(spec_yaml);
	const char *kid = NULL;
	const cJSON *key = only(&r, "AWS::KMS::Key", &kid);
	const cJSON *topic = cJSON_GetObjectItem(r.res, "AlarmTopic");
	assert_string_equal(str_at(AT(topic, "Properties", "KmsMasterKeyId", "Ref")), kid);
	assert_true(cJSON_IsTrue(AT(key, "Properties", "EnableKeyRotation")));
	bool cw = false;
	const cJSON *st;
	cJSON_ArrayForEach(st, AT(key, "Properties", "KeyPolicy", "Statement")) {
		const char *svc = str_at(AT(st, "Principal", "Service"));
		if (!svc || strcmp(svc, "cloudwatch.amazonaws.com"))
			continue;
		cw = !strcmp(str_at(AT(st, "Action", "0")), "kms:Decrypt") &&
		     !strcmp(str_at(AT(st, "Action", "1")), "kms:GenerateDataKey*");
	}
	assert_true(cw);
	/* The service's own topics stay on the AWS-managed key. */
	TF_HAS(&r, "monitoring.tf", "aws_sns_topic\" \"alarms", "kms_master_key_id", "aws_kms_key.alarms.id");
	TF_HAS(&r, "monitoring.tf", "aws_kms_key", "enable_key_rotation", "true");
	TF_HAS(&r, "monitoring.tf", "aws_kms_key", "Service", "\"cloudwatch.amazonaws.com\"");
	done(&r);
}

/* 4: deleting this stack leaves the account's API Gateway logging alone. */
static void test_account_role_retained(void **state)
{
	(void)state;
	run r = generate(spec_yaml);
	assert_string_equal(str_at(AT(r.res, "ApiGatewayAccount", "DeletionPolicy")), "Retain");
	assert_string_equal(str_at(AT(r.res, "ApiGatewayCloudWatchRole", "DeletionPolicy")), "Retain");
	assert_null(AT(r.res, "ApiGatewayCloudWatchRole", "Properties", "RoleName"));
	TF_HAS(&r, "api.tf", "aws_iam_role\" \"api_gateway_cloudwatch", "prevent_destroy", "true");
	done(&r);

	/* account_log_role: existing leaves the account setting alone. */
	r = generate("svcgen: 1\nservice: shop\n"
		     "api:\n  account_log_role: existing\n"
		     "  routes:\n    /a:\n      GET: {function: f}\n");
	assert_null(cJSON_GetObjectItem(r.res, "ApiGatewayAccount"));
	assert_null(cJSON_GetObjectItem(r.res, "ApiGatewayCloudWatchRole"));
	assert_non_null(AT(r.res, "ApiStage", "Properties", "AccessLogSetting"));
	assert_null(AT(r.res, "ApiStage", "DependsOn"));
	assert_false(tf_has(&r, "api.tf", NULL, "cloudwatch_role_arn", "aws_iam_role.api_gateway_cloudwatch.arn"));
	done(&r);
}

/* 6: a browser sees API Gateway's own errors, not a CORS error. */
static void test_gateway_responses(void **state)
{
	(void)state;
	run r = generate(spec_yaml);
	static const char *const types[] = {"DEFAULT_4XX", "DEFAULT_5XX"};
	static const char *const ids[] = {"ApiDefault4xxResponse", "ApiDefault5xxResponse"};
	for (size_t i = 0; i < 2; i++) {
		const cJSON *g = cJSON_GetObjectItem(r.res, ids[i]);
		assert_non_null(g);
		assert_string_equal(str_at(AT(g, "Type")), "AWS::ApiGateway::GatewayResponse");
		assert_string_equal(str_at(AT(g, "Properties", "ResponseType")), types[i]);
		assert_string_equal(str_at(AT(g, "Properties", "ResponseParameters",
					      "gatewayresponse.header.Access-Control-Allow-Origin")),
				    "'https://shop.example.com'");
	}
	/* A deployment snapshots them: it waits for them. */
	const char *did = NULL;
	const cJSON *dep = only(&r, "AWS::ApiGateway::Deployment", &did);
	bool waits = false;
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(dep, "DependsOn"))
		waits |= !strcmp(str_at(it), "ApiDefault4xxResponse");
	assert_true(waits);
	TF_HAS(&r, "api.tf", "aws_api_gateway_gateway_response\" \"default_4xx", "response_type",
	       "\"DEFAULT_4XX\"");
	TF_HAS(&r, "api.tf", "aws_api_gateway_gateway_response\" \"default_5xx",
	       "\"gatewayresponse.header.Access-Control-Allow-Origin\"", "\"'https://shop.example.com'\"");
	done(&r);

	/* Several origins: the request's Origin is echoed, and then never with
	 * Allow-Credentials (any site could read credentialed answers). */
	r = generate("svcgen: 1\nservice: two\napi:\n  type: rest\n"
		     "  cors: {origins: [https://a.example, https://b.example], credentials: true}\n"
		     "  routes:\n    /x:\n      GET: {function: x}\n");
	const cJSON *rp = AT(cJSON_GetObjectItem(r.res, "ApiDefault4xxResponse"), "Properties",
			     "ResponseParameters");
	assert_string_equal(str_at(AT(rp, "gatewayresponse.header.Access-Control-Allow-Origin")),
			    "method.request.header.Origin");
	assert_null(cJSON_GetObjectItem(rp, "gatewayresponse.header.Access-Control-Allow-Credentials"));
	const sg_file *api_tf = sg_fileset_get(&r.fs, "terraform/api.tf");
	assert_non_null(api_tf);
	char *tf = sg_arena_strndup(r.arena, api_tf->data, api_tf->len);
	for (char *g = strstr(tf, "resource \"aws_api_gateway_gateway_response\""); g;
	     g = strstr(g, "resource \"aws_api_gateway_gateway_response\"")) {
		char *end = strstr(g, "\n}\n");
		assert_non_null(end);
		*end = '\0';
		assert_null(strstr(g, "Access-Control-Allow-Credentials"));
		g = end + 1;
	}
	done(&r);
}

/* 8: an index's throttling has alarms of its own. */
static void test_index_alarms(void **state)
{
	(void)state;
	run r = generate(spec_yaml);
	const cJSON *a = alarm(&r, "ReadThrottleEvents", "GlobalSecondaryIndexName");
	assert_string_equal(str_at(AT(a, "Properties", "Dimensions", "1", "Value")), "by_day");
	alarm(&r, "WriteThrottleEvents", "GlobalSecondaryIndexName");
	TF_HAS(&r, "monitoring.tf", "orders_by_day_read_throttles", "GlobalSecondaryIndexName", "\"by_day\"");
	TF_HAS(&r, "monitoring.tf", "orders_by_day_write_throttles", "GlobalSecondaryIndexName", "\"by_day\"");
	done(&r);
}

/* 9: a second region's roles do not collide with the first's. */
static void test_region_safe_roles(void **state)
{
	(void)state;
	run r = generate(spec_yaml);
	assert_string_equal(str_at(AT(r.res, "NotifyRole", "Properties", "RoleName", "Fn::Sub")),
			    "shop-dev-notify-${AWS::Region}");
	TF_HAS(&r, "iam.tf", "aws_iam_role\" \"notify", "name",
	       "\"shop-dev-notify-${data.aws_region.current.region}\"");
	done(&r);
}

/* 10: Cognito's e-mail through SES. */
static void test_cognito_ses(void **state)
{
	(void)state;
	run r = generate(spec_yaml);
	const cJSON *ec = AT(r.res, "UserPool", "Properties", "EmailConfiguration");
	assert_string_equal(str_at(AT(ec, "EmailSendingAccount")), "DEVELOPER");
	assert_string_equal(str_at(AT(ec, "SourceArn", "Fn::Sub")),
			    "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/example.com");
	assert_string_equal(str_at(AT(ec, "From")), "Shop <no-reply@example.com>");
	TF_HAS(&r, "auth.tf", "aws_cognito_user_pool\" \"main", "email_sending_account", "\"DEVELOPER\"");
	TF_HAS(&r, "auth.tf", "aws_cognito_user_pool\" \"main", "source_arn",
	       "\"arn:${data.aws_partition.current.partition}:ses:${data.aws_region.current.region}:"
	       "${data.aws_caller_identity.current.account_id}:identity/example.com\"");
	done(&r);
}

/* 11: terraform plan needs no zip yet. */
static void test_plan_before_build(void **state)
{
	(void)state;
	run r = generate(spec_yaml);
	TF_HAS(&r, "lambda.tf", "aws_lambda_function\" \"notify", "source_code_hash",
	       "try(filebase64sha256(\"${var.artifacts_dir}/notify.zip\"), null)");
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_mapping),
		cmocka_unit_test(test_alarm_topic_key),
		cmocka_unit_test(test_account_role_retained),
		cmocka_unit_test(test_gateway_responses),
		cmocka_unit_test(test_index_alarms),
		cmocka_unit_test(test_region_safe_roles),
		cmocka_unit_test(test_cognito_ses),
		cmocka_unit_test(test_plan_before_build),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
