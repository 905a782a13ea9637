/*
 * test_dynamodb_manager.c - tests of function dynamodb_manager (cmocka),
 * run by `make test` from handlers/.
 *
 * The sample event (events/dynamodb_manager.json) with bodies put in, fed
 * through the runtime's parsing, as Lambda would.  Only what answers
 * without AWS is tested here (echo, ping, the 400s); the DynamoDB
 * operations are proven against `svcgen local` (README.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "handlers.h"
#include "lambda_testing.h"

#define EVENT_FILE "events/dynamodb_manager.json"

/* The handler's answer to a POST of `body` (NULL: none); the caller frees
 * `res` and the returned document (the body parsed). */
static cJSON *call(lambda_response *res, const char *body)
{
	size_t len;
	char *json = lambda_testing_read_file(EVENT_FILE, &len);
	if (!json)
		fail_msg("cannot read %s: run the tests from the project directory", EVENT_FILE);
	cJSON *event = cJSON_ParseWithLength(json, len);
	assert_non_null(event);
	cJSON_DeleteItemFromObject(event, "body");
	if (body)
		cJSON_AddStringToObject(event, "body", body);
	else
		cJSON_AddNullToObject(event, "body");
	lambda_request req;
	const char *why = NULL;
	assert_int_equal(lambda_request_from_json(&req, &why, event), LAMBDA_OK);
	lambda_context ctx = lambda_testing_context("dynamodb_manager");
	lambda_response_init(res);
	assert_int_equal(handle_http_dynamodb_manager(&req, res, &ctx), 0);
	lambda_request_free(&req);
	cJSON_Delete(event);
	free(json);
	assert_non_null(res->body);
	cJSON *doc = cJSON_ParseWithLength(res->body, res->body_len);
	assert_non_null(doc);
	return doc;
}

static void test_echo(void **state)
{
	(void)state;
	lambda_response res;
	cJSON *doc = call(&res, "{\"operation\": \"echo\", \"payload\": {\"somekey1\": \"somevalue1\"}}");
	assert_int_equal(res.status, 200);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "somekey1")), "somevalue1");
	cJSON_Delete(doc);
	lambda_response_free(&res);
}

static void test_ping(void **state)
{
	(void)state;
	lambda_response res;
	cJSON *doc = call(&res, "{\"operation\": \"ping\"}");
	assert_int_equal(res.status, 200);
	assert_string_equal(cJSON_GetStringValue(doc), "pong");
	cJSON_Delete(doc);
	lambda_response_free(&res);
}

static void test_unknown_operation(void **state)
{
	(void)state;
	lambda_response res;
	cJSON *doc = call(&res, "{\"operation\": \"frobnicate\", \"tableName\": \"lambda-apigateway\"}");
	assert_int_equal(res.status, 400);
	assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "message")), "'frobnicate'"));
	cJSON_Delete(doc);
	lambda_response_free(&res);
}

static void test_bad_bodies(void **state)
{
	(void)state;
	static const char *const bodies[] = {
		NULL, "not json", "[1]", "{\"payload\": {}}",
		"{\"operation\": \"read\", \"payload\": {\"Key\": {\"id\": \"1\"}}}",
		"{\"operation\": \"read\", \"tableName\": \"lambda-apigateway\", \"payload\": 3}",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		lambda_response res;
		cJSON *doc = call(&res, bodies[i]);
		assert_int_equal(res.status, 400);
		assert_non_null(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "message")));
		cJSON_Delete(doc);
		lambda_response_free(&res);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_ping),
		cmocka_unit_test(test_unknown_operation),
		cmocka_unit_test(test_bad_bodies),
	};
	return cmocka_run_group_tests_name("dynamodb_manager", tests, NULL, NULL);
}
