/*
 * test_local_iam.c - the least-privilege decision of svcgen local: which
 * permissions a request needs (aws_authz.c, per the Service Authorization
 * Reference), how a policy decides them (iam_eval.c, IAM's evaluation
 * logic and wildcard rules), and the `uses` entry named for a denial
 * (uses.c) - on hand-written policies and on the policies svcgen emits for
 * a spec.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "../../src/local/local_int.h"
#include "svcgen/aws_authz.h"
#include "svcgen/emit.h"
#include "svcgen/iam_eval.h"
#include "test_plan_fixture.h"

static void test_glob(void **state)
{
	(void)state;
	assert_true(sg_iam_glob("dynamodb:Get*", "dynamodb:GetItem", true));
	assert_true(sg_iam_glob("DynamoDB:getitem", "dynamodb:GetItem", true));
	assert_false(sg_iam_glob("DynamoDB:getitem", "dynamodb:GetItem", false));
	assert_true(sg_iam_glob("dynamodb:?etItem", "dynamodb:GetItem", true));
	assert_false(sg_iam_glob("dynamodb:?Item", "dynamodb:GetItem", true));
	assert_true(sg_iam_glob("*", "", false));
	assert_true(sg_iam_glob("a*b*c", "aXXbYYc", false));
	assert_false(sg_iam_glob("a*b*c", "aXXbYY", false));
	assert_true(sg_iam_glob("**", "anything", false));
}

static void test_resource_match(void **state)
{
	(void)state;
	const char *t = "arn:aws:dynamodb:us-east-1:123456789012:table/shop-dev-shop";
	assert_true(sg_iam_resource_match(t, t));
	assert_true(sg_iam_resource_match("*", t));
	assert_false(sg_iam_resource_match(t, "arn:aws:dynamodb:us-east-1:123456789012:table/shop-dev-shop/index/by_email"));
	assert_true(sg_iam_resource_match("arn:aws:dynamodb:*:*:table/shop-dev-shop/index/*",
					  "arn:aws:dynamodb:us-east-1:123456789012:table/shop-dev-shop/index/by_email"));
	/* In the resource part "*" spans "/" and ":". */
	assert_true(sg_iam_resource_match("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:*",
					  "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:x"));
	/* Other segments are matched one by one: no wildcard crosses a ':'. */
	assert_false(sg_iam_resource_match("arn:aws:dynamodb:*:table/t", "arn:aws:dynamodb:us-east-1:1:table/t"));
	assert_false(sg_iam_resource_match("arn:aws:dynamodb:us-east-1:1:table/T", "arn:aws:dynamodb:us-east-1:1:table/t"));
	assert_false(sg_iam_resource_match(t, "arn:aws:dynamodb:eu-west-1:123456789012:table/shop-dev-shop"));
}

static sg_iam_policy *policy(sg_arena *a, const char *json)
{
	sg_iam_policy *p = NULL;
	const char *why = NULL;
	if (sg_iam_policy_parse(&p, a, json, strlen(json), &why) < 0)
		fail_msg("policy does not parse: %s", why);
	return p;
}

static void test_evaluation(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	sg_iam_policy *p = policy(a,
		"{\"Version\":\"2012-10-17\",\"Statement\":["
		"{\"Sid\":\"R\",\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\",\"dynamodb:Query\"],"
		" \"Resource\":\"arn:aws:dynamodb:r:1:table/t\"},"
		"{\"Sid\":\"D\",\"Effect\":\"Deny\",\"Action\":\"dynamodb:Query\",\"Resource\":\"*\"},"
		"{\"Sid\":\"N\",\"Effect\":\"Allow\",\"NotAction\":\"dynamodb:*\",\"Resource\":\"*\"},"
		"{\"Sid\":\"C\",\"Effect\":\"Allow\",\"Action\":\"dynamodb:PutItem\",\"Resource\":\"*\","
		" \"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}},"
		"{\"Sid\":\"NR\",\"Effect\":\"Allow\",\"Action\":\"dynamodb:Scan\","
		" \"NotResource\":\"arn:aws:dynamodb:r:1:table/secret\"}]}");
	const char *sid = NULL;
	assert_int_equal(sg_iam_evaluate(p, "dynamodb:GetItem", "arn:aws:dynamodb:r:1:table/t", &sid),
			 SG_IAM_ALLOW);
	assert_string_equal(sid, "R");
	/* An explicit deny wins over the allow. */
	assert_int_equal(sg_iam_evaluate(p, "dynamodb:Query", "arn:aws:dynamodb:r:1:table/t", &sid),
			 SG_IAM_EXPLICIT_DENY);
	assert_string_equal(sid, "D");
	/* Nothing allows GetItem elsewhere: implicit deny. */
	assert_int_equal(sg_iam_evaluate(p, "dynamodb:GetItem", "arn:aws:dynamodb:r:1:table/u", &sid),
			 SG_IAM_IMPLICIT_DENY);
	assert_null(sid);
	/* NotAction: everything but DynamoDB. */
	assert_int_equal(sg_iam_evaluate(p, "sns:Publish", "arn:aws:sns:r:1:x", NULL), SG_IAM_ALLOW);
	/* An Allow with a Condition cannot be judged here: it never allows. */
	assert_int_equal(sg_iam_evaluate(p, "dynamodb:PutItem", "arn:aws:dynamodb:r:1:table/t", NULL),
			 SG_IAM_IMPLICIT_DENY);
	/* NotResource. */
	assert_int_equal(sg_iam_evaluate(p, "dynamodb:Scan", "arn:aws:dynamodb:r:1:table/t", NULL),
			 SG_IAM_ALLOW);
	assert_int_equal(sg_iam_evaluate(p, "dynamodb:Scan", "arn:aws:dynamodb:r:1:table/secret", NULL),
			 SG_IAM_IMPLICIT_DENY);
	/* A single statement object is a policy too. */
	sg_iam_policy *one = policy(a, "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sns:Publish\","
				       "\"Resource\":\"arn:aws:sns:r:1:t\"}}");
	assert_int_equal(sg_iam_evaluate(one, "sns:publish", "arn:aws:sns:r:1:t", NULL), SG_IAM_ALLOW);
	/* Documents IAM refuses. */
	static const char *const bad[] = {
		"[]", "{}", "{\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"a:b\",\"Resource\":\"*\"}]}",
		"{\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}",
		"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}]}",
		"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"NotAction\":\"c:d\",\"Resource\":\"*\"}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sg_iam_policy *q = NULL;
		assert_int_equal(sg_iam_policy_parse(&q, a, bad[i], strlen(bad[i]), NULL), -1);
	}
	sg_arena_free(a);
}

static sg_aws_needs needs_of(sg_arena *a, const char *service, const char *target,
			     const char *body, int want_rc)
{
	sg_aws_call c = {service, target, body, strlen(body), "aws", "us-east-1", "123456789012"};
	sg_aws_needs n;
	int rc = sg_aws_needs_of(&n, a, &c);
	if (rc != want_rc)
		fail_msg("%s %s: rc %d (%s)", service, target ? target : "", rc, n.error ? n.error : "");
	return n;
}

#define T(x) "arn:aws:dynamodb:us-east-1:123456789012:table/" x

static void test_needs(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	sg_aws_needs n = needs_of(a, "dynamodb", "DynamoDB_20120810.GetItem",
				  "{\"TableName\":\"t1\",\"Key\":{}}", 0);
	assert_int_equal(n.count, 1);
	assert_string_equal(n.items[0].action, "dynamodb:GetItem");
	assert_string_equal(n.items[0].resource, T("t1"));
	/* TableName as an ARN is taken as is. */
	n = needs_of(a, "dynamodb", "DynamoDB_20120810.PutItem",
		     "{\"TableName\":\"arn:aws:dynamodb:eu-west-1:1:table/x\",\"Item\":{}}", 0);
	assert_string_equal(n.items[0].resource, "arn:aws:dynamodb:eu-west-1:1:table/x");
	/* Query on an index is authorized on the index. */
	n = needs_of(a, "dynamodb", "DynamoDB_20120810.Query",
		     "{\"TableName\":\"t1\",\"IndexName\":\"by_email\"}", 0);
	assert_string_equal(n.items[0].resource, T("t1/index/by_email"));
	/* Batches: the batch action on every table named. */
	n = needs_of(a, "dynamodb", "DynamoDB_20120810.BatchWriteItem",
		     "{\"RequestItems\":{\"t1\":[],\"t2\":[]}}", 0);
	assert_int_equal(n.count, 2);
	assert_string_equal(n.items[0].action, "dynamodb:BatchWriteItem");
	assert_string_equal(n.items[1].resource, T("t2"));
	/* Transactions: each item's own action on its own table, unique. */
	n = needs_of(a, "dynamodb", "DynamoDB_20120810.TransactWriteItems",
		     "{\"TransactItems\":[{\"Put\":{\"TableName\":\"t1\"}},"
		     "{\"ConditionCheck\":{\"TableName\":\"t2\"}},{\"Delete\":{\"TableName\":\"t1\"}},"
		     "{\"Put\":{\"TableName\":\"t1\"}},{\"Update\":{\"TableName\":\"t3\"}}]}",
		     0);
	assert_int_equal(n.count, 4);
	assert_string_equal(n.items[0].action, "dynamodb:PutItem");
	assert_string_equal(n.items[1].action, "dynamodb:ConditionCheckItem");
	assert_string_equal(n.items[1].resource, T("t2"));
	assert_string_equal(n.items[2].action, "dynamodb:DeleteItem");
	assert_string_equal(n.items[3].action, "dynamodb:UpdateItem");
	n = needs_of(a, "dynamodb", "DynamoDB_20120810.TransactGetItems",
		     "{\"TransactItems\":[{\"Get\":{\"TableName\":\"t1\"}}]}", 0);
	assert_string_equal(n.items[0].action, "dynamodb:GetItem");
	/* Streams: GetRecords on the stream its iterator starts with. */
	n = needs_of(a, "dynamodb", "DynamoDBStreams_20120810.GetRecords",
		     "{\"ShardIterator\":\"" T("t1/stream/2026-01-01T00:00:00.000") "|1|AAAA\"}", 0);
	assert_string_equal(n.items[0].resource, T("t1/stream/2026-01-01T00:00:00.000"));
	n = needs_of(a, "dynamodb", "DynamoDBStreams_20120810.ListStreams", "{}", 0);
	assert_string_equal(n.items[0].resource, "*");
	/* SNS, Query protocol. */
	n = needs_of(a, "sns", NULL,
		     "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At"
		     "&Message=a+b",
		     0);
	assert_string_equal(n.protocol, "query");
	assert_string_equal(n.items[0].action, "sns:Publish");
	assert_string_equal(n.items[0].resource, "arn:aws:sns:us-east-1:1:t");
	n = needs_of(a, "sns", NULL, "Action=Publish&TargetArn=arn%3Aaws%3Asns%3Ar%3A1%3Ae", 0);
	assert_string_equal(n.items[0].resource, "arn:aws:sns:r:1:e");
	/* What is not understood is refused, with a reason. */
	n = needs_of(a, "dynamodb", "DynamoDB_20120810.ExecuteStatement", "{\"Statement\":\"x\"}", -1);
	assert_non_null(n.error);
	assert_string_equal(n.protocol, "json");
	needs_of(a, "dynamodb", "DynamoDB_20120810.GetItem", "not json", -1);
	needs_of(a, "dynamodb", "DynamoDB_20120810.GetItem", "{}", -1);
	needs_of(a, "dynamodb", NULL, "{}", -1);
	needs_of(a, "dynamodb", "DynamoDB_20120810.TransactWriteItems",
		 "{\"TransactItems\":[{\"Nothing\":{}}]}", -1);
	needs_of(a, "sns", NULL, "Action=Subscribe&TopicArn=x", -1);
	/* SQS: the queue of QueueUrl, JSON or Query; a batch is SendMessage. */
	n = needs_of(a, "sqs", "AmazonSQS.SendMessage",
		     "{\"QueueUrl\":\"http://127.0.0.1:5000/123456789012/q-failed\",\"MessageBody\":\"x\"}",
		     0);
	assert_string_equal(n.protocol, "json");
	assert_string_equal(n.items[0].action, "sqs:SendMessage");
	assert_string_equal(n.items[0].resource, "arn:aws:sqs:us-east-1:123456789012:q-failed");
	n = needs_of(a, "sqs", "AmazonSQS.SendMessageBatch",
		     "{\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/1/q\",\"Entries\":[]}", 0);
	assert_string_equal(n.items[0].action, "sqs:SendMessage");
	assert_string_equal(n.items[0].resource, "arn:aws:sqs:us-east-1:1:q");
	n = needs_of(a, "sqs", NULL,
		     "Action=SendMessage&QueueUrl=http%3A%2F%2Fh%2F1%2Fq&MessageBody=x", 0);
	assert_string_equal(n.protocol, "query");
	assert_string_equal(n.items[0].resource, "arn:aws:sqs:us-east-1:1:q");
	needs_of(a, "sqs", "AmazonSQS.ReceiveMessage", "{\"QueueUrl\":\"http://h/1/q\"}", -1);
	needs_of(a, "sqs", "AmazonSQS.SendMessage", "{\"QueueUrl\":\"http://h/q\"}", -1);
	needs_of(a, "sqs", "AmazonSQS.SendMessage", "{}", -1);
	needs_of(a, "sqs", "DynamoDB_20120810.GetItem", "{}", -1);
	needs_of(a, "s3", NULL, "", -1);
	sg_arena_free(a);
}

static const char shop_yaml[] =
	"svcgen: 1\nservice: shop\nregion: us-east-1\n"
	"tables:\n  shop:\n    partition_key: PK\n    sort_key: SK\n    stream: new_image\n"
	"    indexes:\n      by_email: {partition_key: Email}\n"
	"topics:\n  order_events: {}\n"
	"api:\n  type: rest\n  routes:\n"
	"    /users:\n      GET: {function: find_users, uses: [shop.by_email:query]}\n"
	"    /users/{id}:\n      GET: {function: get_user, uses: [shop]}\n"
	"      PUT: {function: put_user, uses: [shop:put, shop:update]}\n"
	"functions:\n  notify:\n    uses: [order_events:publish]\n"
	"    events:\n      - stream: {table: shop}\n";

/* The policy svcgen emits for `fn`, rendered for the local account. */
static sg_iam_policy *emitted(sg_arena *a, const sg_plan *plan, const char *fn,
			      const char *stream_arn)
{
	static const sg_plan_arn_style style = {"aws", "us-east-1", "123456789012", NULL,
						SG_PLAN_ARN_FLAVOR_CFN};
	cJSON *doc = sg_emit_policy_json(plan, sg_plan_function_by_name(plan, fn), a, &style, false);
	char *s = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	/* The stream's attribute reference, as the endpoint resolves it. */
	sg_buf b = SG_BUF_INIT;
	const char *ref = "${ShopTable.StreamArn}";
	for (const char *p = s; *p;) {
		const char *r = strstr(p, ref);
		if (!r) {
			sg_buf_puts(&b, p);
			break;
		}
		sg_buf_put(&b, p, (size_t)(r - p));
		sg_buf_puts(&b, stream_arn);
		p = r + strlen(ref);
	}
	cJSON_free(s);
	char *text = sg_buf_to_arena(&b, a, NULL);
	return policy(a, text);
}

static void test_emitted_policies(void **state)
{
	(void)state;
	plan_fx fx = fx_build(shop_yaml);
	const char *stream = T("shop-dev-shop/stream/2026-12-02T07:44:17.826983");
	sg_iam_policy *get = emitted(fx.arena, fx.plan, "get_user", stream);
	assert_int_equal(sg_iam_evaluate(get, "dynamodb:GetItem", T("shop-dev-shop"), NULL), SG_IAM_ALLOW);
	assert_int_equal(sg_iam_evaluate(get, "dynamodb:PutItem", T("shop-dev-shop"), NULL),
			 SG_IAM_IMPLICIT_DENY);
	assert_int_equal(sg_iam_evaluate(get, "dynamodb:GetItem", T("shop-dev-other"), NULL),
			 SG_IAM_IMPLICIT_DENY);
	sg_iam_policy *find = emitted(fx.arena, fx.plan, "find_users", stream);
	assert_int_equal(sg_iam_evaluate(find, "dynamodb:Query", T("shop-dev-shop/index/by_email"), NULL),
			 SG_IAM_ALLOW);
	/* The index grant does not reach the table itself. */
	assert_int_equal(sg_iam_evaluate(find, "dynamodb:Query", T("shop-dev-shop"), NULL),
			 SG_IAM_IMPLICIT_DENY);
	sg_iam_policy *notify = emitted(fx.arena, fx.plan, "notify", stream);
	assert_int_equal(sg_iam_evaluate(notify, "sns:Publish",
					 "arn:aws:sns:us-east-1:123456789012:shop-dev-order_events", NULL),
			 SG_IAM_ALLOW);
	assert_int_equal(sg_iam_evaluate(notify, "dynamodb:GetRecords", stream, NULL), SG_IAM_ALLOW);
	assert_int_equal(sg_iam_evaluate(notify, "dynamodb:GetRecords",
					 T("shop-dev-shop/stream/2025-01-01T00:00:00.000"), NULL),
			 SG_IAM_IMPLICIT_DENY);
	assert_int_equal(sg_iam_evaluate(notify, "dynamodb:PutItem", T("shop-dev-shop"), NULL),
			 SG_IAM_IMPLICIT_DENY);
	fx_free(&fx);
}

static void test_uses_named(void **state)
{
	(void)state;
	plan_fx fx = fx_build(shop_yaml);
	local_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.arena = fx.arena;
	ctx.plan = fx.plan;
	ctx.partition = "aws";
	ctx.region = "us-east-1";
	ctx.account = "123456789012";
	const char *topics[3] = {"arn:aws:sns:us-east-1:123456789012:shop-dev-order_events", NULL, NULL};
	ctx.topic_arns = topics;
	assert_string_equal(local_uses_for(&ctx, fx.arena, "dynamodb:PutItem", T("shop-dev-shop")), "shop:put");
	assert_string_equal(local_uses_for(&ctx, fx.arena, "dynamodb:GetItem", T("shop-dev-shop")), "shop:get");
	assert_string_equal(local_uses_for(&ctx, fx.arena, "dynamodb:Scan", T("shop-dev-shop")), "shop:scan");
	assert_string_equal(local_uses_for(&ctx, fx.arena, "dynamodb:Query", T("shop-dev-shop/index/by_email")),
			    "shop.by_email:query");
	assert_string_equal(local_uses_for(&ctx, fx.arena, "sns:Publish", topics[0]), "order_events:publish");
	/* ConditionCheckItem comes with every write access that has it. */
	const char *cc = local_uses_for(&ctx, fx.arena, "dynamodb:ConditionCheckItem", T("shop-dev-shop"));
	assert_non_null(strstr(cc, "shop:put"));
	assert_non_null(strstr(cc, "shop:update"));
	/* The language's access table decides BatchWriteItem, whatever it is. */
	const char *bw = local_uses_for(&ctx, fx.arena, "dynamodb:BatchWriteItem", T("shop-dev-shop"));
	assert_non_null(strstr(bw, "shop:"));
	/* No entry can grant these; the answer says why. */
	assert_true(!strncmp(local_uses_for(&ctx, fx.arena, "dynamodb:DeleteTable", T("shop-dev-shop")), "none", 4));
	assert_true(!strncmp(local_uses_for(&ctx, fx.arena, "dynamodb:GetItem", T("elsewhere")), "none", 4));
	assert_true(!strncmp(local_uses_for(&ctx, fx.arena, "dynamodb:PutItem", T("shop-dev-shop/index/by_email")),
			     "none", 4));
	assert_non_null(strstr(local_uses_for(&ctx, fx.arena, "dynamodb:GetRecords", T("shop-dev-shop/stream/x")),
			       "stream event"));
	fx_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_resource_match),
		cmocka_unit_test(test_evaluation),
		cmocka_unit_test(test_needs),
		cmocka_unit_test(test_emitted_policies),
		cmocka_unit_test(test_uses_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
