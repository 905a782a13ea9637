/*
 * test_rt_aws.c - unit tests of the handler runtime's AWS pieces that need
 * no network: endpoint resolution and partitions, the signer (against the
 * AWS Signature Version 4 test suite's get-vanilla-style known answer),
 * the standard retry mode with a fake clock, error parsing (JSON and XML,
 * cancellation reasons), AttributeValue builders, readers and plain-JSON
 * conversion, page tokens, the SNS form body, and the client through its
 * `http` hook (retries signed anew, the trace header, UpdateItem bodies).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lambda_ddb.h"
#include "lambda_sns.h"
#include "rt_test.h"

static const char *fake_env_vals[16][2];

static const char *fake_getenv(const char *name, void *ud)
{
	(void)ud;
	for (size_t i = 0; i < 16 && fake_env_vals[i][0]; i++)
		if (!strcmp(fake_env_vals[i][0], name))
			return fake_env_vals[i][1];
	return NULL;
}

static void set_env(const char *const *pairs)
{
	memset(fake_env_vals, 0, sizeof(fake_env_vals));
	for (size_t i = 0; pairs[2 * i]; i++) {
		fake_env_vals[i][0] = pairs[2 * i];
		fake_env_vals[i][1] = pairs[2 * i + 1];
	}
}

static void test_endpoints(void **state)
{
	(void)state;
	char url[256];
	set_env((const char *[]){NULL});
	assert_int_equal(lambda_aws_endpoint(url, sizeof(url), "dynamodb", "eu-west-1", fake_getenv, NULL), LAMBDA_OK);
	assert_string_equal(url, "https://dynamodb.eu-west-1.amazonaws.com");
	lambda_aws_endpoint(url, sizeof(url), "sns", "cn-north-1", fake_getenv, NULL);
	assert_string_equal(url, "https://sns.cn-north-1.amazonaws.com.cn");
	lambda_aws_endpoint(url, sizeof(url), "dynamodb", "us-isob-east-1", fake_getenv, NULL);
	assert_string_equal(url, "https://dynamodb.us-isob-east-1.sc2s.sgov.gov");
	assert_string_equal(lambda_aws_partition("us-gov-west-1"), "aws-us-gov");
	assert_string_equal(lambda_aws_partition("us-iso-east-1"), "aws-iso");
	assert_string_equal(lambda_aws_partition("eu-west-3"), "aws");
	set_env((const char *[]){"AWS_USE_FIPS_ENDPOINT", "true", NULL});
	lambda_aws_endpoint(url, sizeof(url), "dynamodb", "us-east-1", fake_getenv, NULL);
	assert_string_equal(url, "https://dynamodb-fips.us-east-1.amazonaws.com");
	set_env((const char *[]){"AWS_ENDPOINT_URL", "http://127.0.0.1:4566/", NULL});
	lambda_aws_endpoint(url, sizeof(url), "dynamodb", "us-east-1", fake_getenv, NULL);
	assert_string_equal(url, "http://127.0.0.1:4566");
	set_env((const char *[]){"AWS_ENDPOINT_URL", "http://a:1", "AWS_ENDPOINT_URL_DYNAMODB",
				 "http://b:2", NULL});
	lambda_aws_endpoint(url, sizeof(url), "dynamodb", "us-east-1", fake_getenv, NULL);
	assert_string_equal(url, "http://b:2");
	lambda_aws_endpoint(url, sizeof(url), "sns", "us-east-1", fake_getenv, NULL);
	assert_string_equal(url, "http://a:1");
	set_env((const char *[]){"AWS_ENDPOINT_URL", "http://a:1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
				 "true", NULL});
	lambda_aws_endpoint(url, sizeof(url), "sns", "us-east-1", fake_getenv, NULL);
	assert_string_equal(url, "https://sns.us-east-1.amazonaws.com");
	set_env((const char *[]){"AWS_ENDPOINT_URL", "ftp://x", NULL});
	assert_int_equal(lambda_aws_endpoint(url, sizeof(url), "sns", "us-east-1", fake_getenv, NULL),
			 LAMBDA_EINVALID);
	set_env((const char *[]){NULL});
	assert_int_equal(lambda_aws_endpoint(url, sizeof(url), "sns", "bad region!", fake_getenv, NULL),
			 LAMBDA_EINVALID);
}

/* The AWS SigV4 test suite's "post-vanilla" request (example key, 2015). */
static void test_sigv4_known_answer(void **state)
{
	(void)state;
	lambda_aws_header h[] = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
	char *auth = NULL;
	assert_int_equal(lambda_aws_sigv4(&auth, "POST", "/", "", h, 2, "", 0, "20150830T123600Z",
					  "us-east-1", "service", "AKIDEXAMPLE",
					  "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
			 LAMBDA_OK);
	assert_string_equal(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
				  "aws4_request, SignedHeaders=host;x-amz-date, Signature="
				  "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
	free(auth);
	lambda_aws_header evil[] = {{"Host", "x"}, {"X-A", "a\r\nInjected: 1"}};
	assert_int_equal(lambda_aws_sigv4(&auth, "POST", "/", "", evil, 2, "", 0, "20150830T123600Z",
					  "us-east-1", "s", "k", "s"),
			 LAMBDA_EINVALID);
}

static void test_retry_policy(void **state)
{
	(void)state;
	lambda_aws_retry r;
	lambda_aws_retry_init(&r, 3);
	lambda_aws_error e;
	memset(&e, 0, sizeof(e));
	e.kind = LAMBDA_AWS_THROTTLED;
	e.retryable = true;
	bool stop = false;
	/* Full jitter: random * 2^(attempt-1) s. */
	assert_int_equal(lambda_aws_retry_next(&r, &e, 1, 0, 0, 0.5, &stop), 500);
	assert_int_equal(lambda_aws_retry_next(&r, &e, 2, 0, 0, 0.5, &stop), 1000);
	/* Attempts are bounded. */
	assert_int_equal(lambda_aws_retry_next(&r, &e, 3, 0, 0, 0.5, &stop), -1);
	assert_false(stop);
	/* Capped at 20 s. */
	lambda_aws_retry_init(&r, 10);
	assert_int_equal(lambda_aws_retry_next(&r, &e, 9, 0, 0, 0.99, NULL), 20000);
	/* Never past the deadline: the fake clock is 1000 ms before it. */
	assert_int_equal(lambda_aws_retry_next(&r, &e, 1, 10000, 11000, 0.99, &stop), -1);
	assert_true(stop);
	assert_true(lambda_aws_retry_next(&r, &e, 1, 10000, 11000, 0.5, &stop) == 500);
	/* Not retryable: no retry. */
	e.retryable = false;
	assert_int_equal(lambda_aws_retry_next(&r, &e, 1, 0, 0, 0.5, NULL), -1);
	/* The quota: 500 tokens, 5 a retry (10 after a network failure). */
	lambda_aws_retry_init(&r, 10);
	e.retryable = true;
	e.kind = LAMBDA_AWS_NETWORK;
	int retries = 0;
	while (lambda_aws_retry_next(&r, &e, 1, 0, 0, 0.0, NULL) >= 0)
		retries++;
	assert_int_equal(retries, 50);
	lambda_aws_retry_success(&r, 2);
	assert_int_equal(r.quota, 5);
}

static void test_json_errors(void **state)
{
	(void)state;
	lambda_aws_error e;
	memset(&e, 0, sizeof(e));
	static const char cond[] = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
				   "\"message\":\"The conditional request failed\"}";
	lambda_aws_parse_json_error(&e, 400, cond, sizeof(cond) - 1, NULL);
	assert_int_equal(e.kind, LAMBDA_AWS_CONDITION_FAILED);
	assert_string_equal(e.code, "ConditionalCheckFailedException");
	assert_string_equal(e.message, "The conditional request failed");
	assert_false(e.retryable);
	assert_int_equal(lambda_aws_http_status(&e), 409);
	static const char tx[] = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
				 "\"Message\":\"Transaction cancelled\",\"CancellationReasons\":[{\"Code\":\"None\"},"
				 "{\"Code\":\"ConditionalCheckFailed\",\"Message\":\"x\"}]}";
	lambda_aws_parse_json_error(&e, 400, tx, sizeof(tx) - 1, NULL);
	assert_int_equal(e.kind, LAMBDA_AWS_TRANSACTION_CANCELED);
	assert_string_equal(lambda_aws_cancellation_code(&e, 0), "None");
	assert_string_equal(lambda_aws_cancellation_code(&e, 1), "ConditionalCheckFailed");
	assert_null(lambda_aws_cancellation_code(&e, 2));
	static const char thr[] = "{\"__type\":\"x#ProvisionedThroughputExceededException\",\"message\":\"m\"}";
	lambda_aws_parse_json_error(&e, 400, thr, sizeof(thr) - 1, NULL);
	assert_int_equal(e.kind, LAMBDA_AWS_THROTTLED);
	assert_true(e.retryable);
	lambda_aws_parse_json_error(&e, 400, "{}", 2, "AccessDeniedException:http://internal/");
	assert_int_equal(e.kind, LAMBDA_AWS_ACCESS_DENIED);
	assert_string_equal(e.code, "AccessDeniedException");
	lambda_aws_parse_json_error(&e, 503, "<html>", 6, NULL);
	assert_int_equal(e.kind, LAMBDA_AWS_UNAVAILABLE);
	assert_true(e.retryable);
	lambda_aws_error_free(&e);
}

static void test_xml_errors(void **state)
{
	(void)state;
	static const char x[] = "<ErrorResponse><Error><Type>Sender</Type><Code>AuthorizationError</Code>"
				"<Message>User &lt;u&gt; is not &amp; &#x41;uthorized</Message></Error>"
				"<RequestId>r-1</RequestId></ErrorResponse>";
	lambda_aws_error e;
	memset(&e, 0, sizeof(e));
	lambda_aws_parse_xml_error(&e, 403, x, sizeof(x) - 1, NULL);
	assert_int_equal(e.kind, LAMBDA_AWS_ACCESS_DENIED);
	assert_string_equal(e.code, "AuthorizationError");
	assert_string_equal(e.message, "User <u> is not & Authorized");
	assert_string_equal(e.request_id, "r-1");
	char id[64];
	static const char ok[] = "<PublishResponse><PublishResult><MessageId>abc-1</MessageId>"
				 "</PublishResult></PublishResponse>";
	assert_true(lambda_sns_parse_publish_response(id, sizeof(id), ok, sizeof(ok) - 1));
	assert_string_equal(id, "abc-1");
	assert_false(lambda_sns_parse_publish_response(id, sizeof(id), "<a>", 3));
	lambda_aws_error_free(&e);
}

static void test_attribute_values(void **state)
{
	(void)state;
	const char *why = NULL;
	cJSON *plain = cJSON_Parse("{\"s\":\"x\",\"n\":5.5,\"i\":42,\"b\":true,\"z\":null,"
				   "\"m\":{\"a\":[1,\"two\"]}}");
	cJSON *item = lambda_ddb_item_from_plain(plain, &why);
	assert_non_null(item);
	char *text = cJSON_PrintUnformatted(item);
	assert_string_equal(text, "{\"s\":{\"S\":\"x\"},\"n\":{\"N\":\"5.5\"},\"i\":{\"N\":\"42\"},"
				  "\"b\":{\"BOOL\":true},\"z\":{\"NULL\":true},\"m\":{\"M\":{\"a\":{\"L\":"
				  "[{\"N\":\"1\"},{\"S\":\"two\"}]}}}}");
	free(text);
	cJSON *back = lambda_ddb_item_to_plain(item, &why);
	assert_true(cJSON_Compare(back, plain, true));
	assert_string_equal(lambda_ddb_attr_s(item, "s"), "x");
	long long n;
	assert_true(lambda_ddb_av_get_int(lambda_ddb_attr(item, "i"), &n));
	assert_int_equal(n, 42);
	assert_false(lambda_ddb_av_get_int(lambda_ddb_attr(item, "n"), &n));
	assert_int_equal(lambda_ddb_av_type(lambda_ddb_attr(item, "m")), LAMBDA_DDB_M);
	cJSON_Delete(back);
	cJSON_Delete(item);
	cJSON_Delete(plain);
	/* Builders, sets, binary. */
	cJSON *b = lambda_ddb_av_b("\x00\x01hi", 4);
	void *data;
	size_t len;
	assert_true(lambda_ddb_av_get_b(b, &data, &len));
	assert_int_equal(len, 4);
	assert_memory_equal(data, "\x00\x01hi", 4);
	free(data);
	cJSON_Delete(b);
	const char *nums[] = {"1", "2.5"};
	cJSON *ns = lambda_ddb_av_ns(nums, 2);
	cJSON *pns = lambda_ddb_to_plain(ns, NULL);
	assert_int_equal(cJSON_GetArraySize(pns), 2);
	cJSON_Delete(pns);
	cJSON_Delete(ns);
	assert_null(lambda_ddb_av_n("12abc"));
	assert_null(lambda_ddb_av_double(1.0 / 0.0));
	cJSON *not_av = cJSON_Parse("{\"X\":1}");
	assert_null(lambda_ddb_to_plain(not_av, &why));
	cJSON_Delete(not_av);
	/* Whole requests: boto3 resource style to the wire. */
	cJSON *params = cJSON_Parse("{\"TableName\":\"t\",\"Key\":{\"id\":\"1\"},"
				    "\"ExpressionAttributeValues\":{\":v\":3}}");
	cJSON *wire = lambda_ddb_request_from_plain(params, &why);
	text = cJSON_PrintUnformatted(wire);
	assert_string_equal(text, "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"}},"
				  "\"ExpressionAttributeValues\":{\":v\":{\"N\":\"3\"}}}");
	free(text);
	cJSON_Delete(wire);
	cJSON_Delete(params);
	cJSON *res = cJSON_Parse("{\"Items\":[{\"id\":{\"S\":\"1\"}}],\"Count\":1,"
				 "\"LastEvaluatedKey\":{\"id\":{\"S\":\"1\"}}}");
	cJSON *pres = lambda_ddb_response_to_plain(res, &why);
	text = cJSON_PrintUnformatted(pres);
	assert_string_equal(text, "{\"Items\":[{\"id\":\"1\"}],\"Count\":1,\"LastEvaluatedKey\":{\"id\":\"1\"}}");
	free(text);
	cJSON_Delete(pres);
	cJSON_Delete(res);
}

static void test_page_tokens(void **state)
{
	(void)state;
	cJSON *key = cJSON_Parse("{\"id\":{\"S\":\"a/b+c?\"}}");
	char *t = lambda_ddb_page_token(key);
	assert_non_null(t);
	assert_null(strpbrk(t, "+/="));
	cJSON *back = lambda_ddb_page_token_parse(t);
	assert_true(cJSON_Compare(back, key, true));
	assert_null(lambda_ddb_page_token_parse("bad!"));
	assert_null(lambda_ddb_page_token_parse("e30")); /* {} is no key */
	free(t);
	cJSON_Delete(back);
	cJSON_Delete(key);
}

static void test_sns_body(void **state)
{
	(void)state;
	lambda_sns_attribute a[] = {{"kind", "String", "new order", 0}, {"bin", "Binary", "\x01\x02", 2}};
	lambda_sns_publish_opts o = {.attributes = a, .attribute_count = 2, .group_id = "g",
			      .deduplication_id = "d"};
	char *b = lambda_sns_publish_body("arn:aws:sns:us-east-1:1:t.fifo", "h\xc3\xa9 & =", &o);
	assert_string_equal(b, "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1"
			       "%3A1%3At.fifo&Message=h%C3%A9%20%26%20%3D&MessageGroupId=g"
			       "&MessageDeduplicationId=d&MessageAttributes.entry.1.Name=kind"
			       "&MessageAttributes.entry.1.Value.DataType=String"
			       "&MessageAttributes.entry.1.Value.StringValue=new%20order"
			       "&MessageAttributes.entry.2.Name=bin"
			       "&MessageAttributes.entry.2.Value.DataType=Binary"
			       "&MessageAttributes.entry.2.Value.BinaryValue=AQI%3D");
	free(b);
	assert_null(lambda_sns_publish_body(NULL, "m", NULL));
}

/* No credentials: a typed configuration error, no crash. */
static void test_client_config(void **state)
{
	(void)state;
	set_env((const char *[]){"AWS_REGION", "us-east-1", NULL});
	lambda_aws_options o = {.getenv = fake_getenv};
	lambda_aws *a = NULL;
	lambda_aws_error e;
	memset(&e, 0, sizeof(e));
	assert_int_equal(lambda_aws_new(&a, &e, &o), LAMBDA_EAWS);
	assert_int_equal(e.kind, LAMBDA_AWS_CONFIG);
	set_env((const char *[]){"AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s", "AWS_REGION",
				 "eu-west-1", "AWS_MAX_ATTEMPTS", "5", NULL});
	assert_int_equal(lambda_aws_new(&a, &e, &o), LAMBDA_OK);
	assert_string_equal(lambda_aws_region(a), "eu-west-1");
	assert_int_equal(lambda_aws_max_attempts(a), 5);
	lambda_aws_free(a);
}

/* The `http` hook: records each exchange, answers from a list. */
typedef struct exchange_log {
	const char *answers[4][2]; /* status text, body */
	size_t next;
	char bodies[4][1024];
	char trace[4][128];
	char authz[4][512];
	int64_t now;
} exchange_log;

static int recording_http(lambda_aws_response *res, lambda_aws_error *err,
			  const lambda_aws_http_request *req, void *ud)
{
	exchange_log *l = ud;
	size_t i = l->next++;
	assert_true(i < 4);
	snprintf(l->bodies[i], sizeof(l->bodies[i]), "%.*s", (int)req->body_len, req->body);
	for (size_t h = 0; h < req->header_count; h++) {
		if (!strcmp(req->headers[h].name, "X-Amzn-Trace-Id"))
			snprintf(l->trace[i], sizeof(l->trace[i]), "%s", req->headers[h].value);
		if (!strcmp(req->headers[h].name, "Authorization"))
			snprintf(l->authz[i], sizeof(l->authz[i]), "%s", req->headers[h].value);
	}
	if (!l->answers[i][0]) {
		err->kind = LAMBDA_AWS_NETWORK;
		err->retryable = true;
		return LAMBDA_EAWS;
	}
	res->status = atoi(l->answers[i][0]);
	res->body = strdup(l->answers[i][1]);
	res->body_len = strlen(res->body);
	return LAMBDA_OK;
}

static int64_t log_now(void *ud)
{
	return ((exchange_log *)ud)->now;
}

static void log_sleep(int64_t ms, void *ud)
{
	((exchange_log *)ud)->now += ms;
}

static double half(void *ud)
{
	(void)ud;
	return 0.5;
}

/* Through the hook: a throttled call is retried, signed again, the trace
 * header sent and never signed, the backoff waited; an update with nothing to set sends no
 * UpdateExpression (SET of a key attribute, even to itself, is refused by
 * DynamoDB), only the existence condition. */
static void test_client_exchanges(void **state)
{
	(void)state;
	set_env((const char *[]){"AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "s",
				 "AWS_REGION", "eu-west-1", NULL});
	exchange_log l = {
		.answers = {{"400", "{\"__type\":\"x#ThrottlingException\",\"message\":\"slow\"}"},
			    {"200", "{\"Attributes\":{\"id\":{\"S\":\"k\"}}}"}},
		.now = 1700000000000LL,
	};
	lambda_aws_options o = {.getenv = fake_getenv, .http = recording_http, .now_ms = log_now,
				.sleep_ms = log_sleep, .random = half, .ud = &l};
	lambda_aws *a = NULL;
	lambda_aws_error e;
	memset(&e, 0, sizeof(e));
	assert_int_equal(lambda_aws_new(&a, &e, &o), LAMBDA_OK);
	setenv("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793", 1);
	cJSON *key = cJSON_Parse("{\"id\":{\"S\":\"k\"}}");
	cJSON *none = cJSON_CreateObject();
	cJSON *attrs = NULL;
	assert_int_equal(lambda_ddb_update_fields(&attrs, &e, a, "t", key, none, true), LAMBDA_OK);
	assert_int_equal(l.next, 2);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(attrs, "id"), "S")->valuestring,
			    "k");
	cJSON *sent = cJSON_Parse(l.bodies[1]);
	assert_null(cJSON_GetObjectItem(sent, "UpdateExpression"));
	assert_string_equal(cJSON_GetObjectItem(sent, "ConditionExpression")->valuestring,
			    "attribute_exists(#k0)");
	assert_null(cJSON_GetObjectItem(sent, "ExpressionAttributeValues"));
	cJSON_Delete(sent);
	assert_string_equal(l.trace[0], "Root=1-5759e988-bd862e3fe1be46a994272793");
	assert_null(strstr(l.authz[0], "x-amzn-trace-id"));
	assert_non_null(strstr(l.authz[0], "SignedHeaders=content-type;host;x-amz-date;x-amz-target,"));
	/* Full jitter: 0.5 of the first backoff (1 s), then signed anew. */
	assert_int_equal(l.now, 1700000000000LL + 500);
	assert_non_null(strstr(l.authz[1], "Signature="));
	assert_int_equal(e.kind, LAMBDA_AWS_OK);
	cJSON_Delete(attrs);
	cJSON_Delete(none);
	cJSON_Delete(key);
	unsetenv("_X_AMZN_TRACE_ID");
	lambda_aws_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endpoints),       cmocka_unit_test(test_sigv4_known_answer),
		cmocka_unit_test(test_retry_policy),    cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_xml_errors),      cmocka_unit_test(test_attribute_values),
		cmocka_unit_test(test_page_tokens),     cmocka_unit_test(test_sns_body),
		cmocka_unit_test(test_client_config),   cmocka_unit_test(test_client_exchanges),
	};
	return cmocka_run_group_tests_name("runtime_aws", tests, NULL, NULL);
}
