/*
 * test_app.c - tests of function app (cmocka), run by `make test` from
 * handlers/: the sample event (events/app.json) aimed at each route of the
 * application, as API Gateway's {proxy+} would hand it over.
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

#define EVENT_FILE "events/app.json"

/* The answer to `method` `path` with `body` (NULL: none); the body parsed
 * (the caller's). */
static cJSON *call(lambda_response *res, const char *method, const char *path, const char *body)
{
	size_t len;
	char *json = lambda_testing_read_file(EVENT_FILE, &len);
	if (!json)
		fail_msg("cannot read %s: run the tests from the project directory", EVENT_FILE);
	char *routed = lambda_testing_route_event(json, len, method, path);
	assert_non_null(routed);
	cJSON *event = cJSON_Parse(routed);
	assert_non_null(event);
	cJSON_ReplaceItemInObject(event, "path", cJSON_CreateString(path));
	cJSON_DeleteItemFromObject(event, "body");
	if (body)
		cJSON_AddStringToObject(event, "body", body);
	else
		cJSON_AddNullToObject(event, "body");
	lambda_request req;
	const char *why = NULL;
	assert_int_equal(lambda_request_from_json(&req, &why, event), LAMBDA_OK);
	lambda_context ctx = lambda_testing_context("app");
	lambda_response_init(res);
	assert_int_equal(handle_http_app(&req, res, &ctx), 0);
	lambda_request_free(&req);
	cJSON_Delete(event);
	free(routed);
	free(json);
	cJSON *doc = cJSON_ParseWithLength(res->body, res->body_len);
	assert_non_null(doc);
	return doc;
}

static const char *member(const cJSON *doc, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, name));
}

static void test_routes(void **state)
{
	(void)state;
	lambda_response res;
	cJSON *doc = call(&res, "GET", "/", NULL);
	assert_int_equal(res.status, 200);
	assert_string_equal(member(doc, "message"), "Hello from proxy-app");
	cJSON_Delete(doc);
	lambda_response_free(&res);
	doc = call(&res, "GET", "/health", NULL);
	assert_int_equal(res.status, 200);
	assert_string_equal(member(doc, "status"), "ok");
	cJSON_Delete(doc);
	lambda_response_free(&res);
	doc = call(&res, "GET", "/hello/ada", NULL);
	assert_int_equal(res.status, 200);
	assert_string_equal(member(doc, "message"), "Hello, ada!");
	cJSON_Delete(doc);
	lambda_response_free(&res);
	doc = call(&res, "POST", "/echo", "{\"a\": [1, 2]}");
	assert_int_equal(res.status, 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "echo"), "a")), 2);
	cJSON_Delete(doc);
	lambda_response_free(&res);
}

static void test_errors(void **state)
{
	(void)state;
	lambda_response res;
	cJSON *doc = call(&res, "GET", "/nothing/here", NULL);
	assert_int_equal(res.status, 404);
	assert_string_equal(member(doc, "path"), "/nothing/here");
	cJSON_Delete(doc);
	lambda_response_free(&res);
	doc = call(&res, "DELETE", "/health", NULL);
	assert_int_equal(res.status, 405);
	assert_string_equal(member(doc, "allow"), "GET, HEAD");
	cJSON_Delete(doc);
	lambda_response_free(&res);
	doc = call(&res, "GET", "/echo", NULL);
	assert_int_equal(res.status, 405);
	cJSON_Delete(doc);
	lambda_response_free(&res);
	doc = call(&res, "POST", "/echo", "not json");
	assert_int_equal(res.status, 400);
	cJSON_Delete(doc);
	lambda_response_free(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests_name("app", tests, NULL, NULL);
}
