/*
 * test_local_gateway.c - API Gateway as svcgen local plays it
 * (gateway_route.c, gateway_event.c, gateway_response.c): routing over the
 * plan's resource tree (stage prefix, literal before {param} before
 * {proxy+}, backtracking, ANY, trailing slash), the proxy events of payload
 * formats 1.0 and 2.0 member by member, the function's answer turned into
 * HTTP (and the malformed answers that are 502s), API Gateway's own errors
 * and CORS on REST and HTTP APIs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "svcgen/gateway.h"
#include "test_plan_fixture.h"

static const char rest_yaml[] =
	"svcgen: 1\nservice: gw\nstage: dev\n"
	"tables:\n  t: {partition_key: id}\n"
	"api:\n  type: rest\n"
	"  cors: {origins: [https://a.example, https://b.example], max_age: 60, credentials: true}\n"
	"  routes:\n"
	"    /:\n      GET: {function: root}\n"
	"    /users:\n      GET: {function: list_users}\n      POST: {function: add_user}\n"
	"    /users/me:\n      GET: {function: me}\n"
	"    /users/{id}:\n      GET: {function: get_user}\n      ANY: {function: any_user}\n"
	"    /users/{id}/orders:\n      GET: {function: orders}\n"
	"    /files/{path+}:\n      GET: {function: files}\n";

static const char http_yaml[] =
	"svcgen: 1\nservice: gh\n"
	"api:\n  type: http\n"
	"  cors: {origins: [https://a.example]}\n"
	"  routes:\n"
	"    /items/{id}:\n      GET: {function: get_item}\n"
	"    /items:\n      POST: {function: add_item}\n";

static sg_gw_request request(const char *method, const char *path, const char *query,
			     const sg_sigv4_header *h, size_t n, const char *body)
{
	sg_gw_request r = {method, path, query, h, n, body, body ? strlen(body) : 0, "10.0.0.1",
			   "HTTP/1.1"};
	return r;
}

static const char *routed(plan_fx *fx, const char *method, const char *path, sg_gw_route *out)
{
	sg_gw_request r = request(method, path, "", NULL, 0, NULL);
	sg_gw_route_request(out, fx->arena, fx->plan, &r);
	return out->method ? out->method->function->name : NULL;
}

static void test_rest_routing(void **state)
{
	(void)state;
	plan_fx fx = fx_build(rest_yaml);
	sg_gw_route r;
	assert_string_equal(routed(&fx, "GET", "/dev", &r), "root");
	assert_string_equal(routed(&fx, "GET", "/dev/", &r), "root");
	assert_string_equal(routed(&fx, "GET", "/dev/users", &r), "list_users");
	assert_string_equal(routed(&fx, "GET", "/dev/users/", &r), "list_users");
	assert_string_equal(routed(&fx, "POST", "/dev/users", &r), "add_user");
	/* A literal wins over a parameter. */
	assert_string_equal(routed(&fx, "GET", "/dev/users/me", &r), "me");
	assert_int_equal(r.param_count, 0);
	assert_string_equal(routed(&fx, "GET", "/dev/users/a%20b", &r), "get_user");
	assert_int_equal(r.param_count, 1);
	assert_string_equal(r.params[0].key, "id");
	assert_string_equal(r.params[0].value, "a b");
	/* ANY takes the other methods. */
	assert_string_equal(routed(&fx, "DELETE", "/dev/users/7", &r), "any_user");
	/* No /users/me/orders: the walk goes back and takes {id}. */
	assert_string_equal(routed(&fx, "GET", "/dev/users/me/orders", &r), "orders");
	assert_string_equal(r.params[0].value, "me");
	/* {path+} takes one or more segments, decoded. */
	assert_string_equal(routed(&fx, "GET", "/dev/files/a/b%2Fc/d", &r), "files");
	assert_string_equal(r.params[0].key, "path");
	assert_string_equal(r.params[0].value, "a/b/c/d");
	assert_null(routed(&fx, "GET", "/dev/files", &r));
	/* A resource without the method; no resource; another stage. */
	assert_null(routed(&fx, "PUT", "/dev/users", &r));
	assert_non_null(r.node);
	assert_true(r.stage_ok);
	assert_null(routed(&fx, "GET", "/dev/nothing", &r));
	assert_null(r.node);
	assert_null(routed(&fx, "GET", "/prod/users", &r));
	assert_false(r.stage_ok);
	assert_null(routed(&fx, "GET", "/devices", &r));
	assert_false(r.stage_ok);
	/* OPTIONS on a resource with a preflight is the preflight. */
	routed(&fx, "OPTIONS", "/dev/users", &r);
	assert_true(r.preflight);
	fx_free(&fx);
}

static void test_http_routing(void **state)
{
	(void)state;
	plan_fx fx = fx_build(http_yaml);
	sg_gw_route r;
	assert_string_equal(routed(&fx, "GET", "/items/9", &r), "get_item");
	assert_string_equal(r.resource_path, "/items/9");
	assert_null(routed(&fx, "GET", "/dev/items/9", &r));
	assert_null(routed(&fx, "DELETE", "/items/9", &r));
	/* A preflight is API Gateway's whatever the routes. */
	sg_sigv4_header h[] = {{"Origin", "https://a.example"},
			       {"Access-Control-Request-Method", "PUT"}};
	sg_gw_request q = request("OPTIONS", "/anything", "", h, 2, NULL);
	sg_gw_route_request(&r, fx.arena, fx.plan, &q);
	assert_true(r.preflight);
	fx_free(&fx);
}

static cJSON *event(plan_fx *fx, const sg_gw_request *req, const sg_gw_identity *who)
{
	sg_gw_route r;
	sg_gw_route_request(&r, fx->arena, fx->plan, req);
	assert_non_null(r.method);
	sg_gw_context ctx = {"req-1", "abcdefghij", "123456789012", "127.0.0.1:3000",
			     1796196600123LL, who};
	size_t len;
	char *s = sg_gw_event(fx->arena, fx->plan, req, &r, &ctx, &len);
	cJSON *ev = cJSON_Parse(s);
	assert_non_null(ev);
	return ev;
}

static const char *str_at(const cJSON *o, const char *a, const char *b, const char *c)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);
	if (b)
		v = cJSON_GetObjectItemCaseSensitive(v, b);
	if (c)
		v = cJSON_GetObjectItemCaseSensitive(v, c);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void test_event_v1(void **state)
{
	(void)state;
	plan_fx fx = fx_build(rest_yaml);
	sg_sigv4_header h[] = {{"X-Thing", "one"}, {"User-Agent", "ua"}, {"x-thing", "two"}};
	sg_gw_request req = request("GET", "/dev/users/a%20b", "q=1&q=2&flag&x=%C3%A9", h, 3, "{\"a\":1}");
	sg_gw_identity who = {.claims_json = "{\"sub\":\"u1\",\"exp\":1796200000,\"email_verified\":true,"
					     "\"cognito:groups\":[\"a\",\"b\"]}"};
	cJSON *ev = event(&fx, &req, &who);
	assert_string_equal(str_at(ev, "resource", NULL, NULL), "/users/{id}");
	assert_string_equal(str_at(ev, "path", NULL, NULL), "/users/a b");
	assert_string_equal(str_at(ev, "httpMethod", NULL, NULL), "GET");
	assert_string_equal(str_at(ev, "pathParameters", "id", NULL), "a b");
	/* headers: the last value under the first spelling; multiValueHeaders: all. */
	assert_string_equal(str_at(ev, "headers", "X-Thing", NULL), "two");
	const cJSON *mv = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(ev, "multiValueHeaders"), "X-Thing");
	assert_int_equal(cJSON_GetArraySize(mv), 2);
	assert_string_equal(str_at(ev, "queryStringParameters", "q", NULL), "2");
	assert_string_equal(str_at(ev, "queryStringParameters", "flag", NULL), "");
	assert_string_equal(str_at(ev, "queryStringParameters", "x", NULL), "\xc3\xa9");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
				 cJSON_GetObjectItemCaseSensitive(ev, "multiValueQueryStringParameters"),
				 "q")),
			 2);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(ev, "stageVariables")));
	assert_string_equal(str_at(ev, "requestContext", "stage", NULL), "dev");
	assert_string_equal(str_at(ev, "requestContext", "path", NULL), "/dev/users/a b");
	assert_string_equal(str_at(ev, "requestContext", "resourcePath", NULL), "/users/{id}");
	assert_string_equal(str_at(ev, "requestContext", "requestTime", NULL), "02/Dec/2026:07:30:00 +0000");
	assert_string_equal(str_at(ev, "requestContext", "identity", "sourceIp"), "10.0.0.1");
	assert_string_equal(str_at(ev, "requestContext", "identity", "userAgent"), "ua");
	const cJSON *claims = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ev, "requestContext"),
						 "authorizer"),
		"claims");
	/* Every claim a string; REST writes exp as a date. */
	assert_string_equal(str_at(claims, "sub", NULL, NULL), "u1");
	assert_string_equal(str_at(claims, "exp", NULL, NULL), "Wed Dec 02 08:26:40 UTC 2026");
	assert_string_equal(str_at(claims, "email_verified", NULL, NULL), "true");
	assert_string_equal(str_at(claims, "cognito:groups", NULL, NULL), "[a b]");
	assert_string_equal(str_at(ev, "body", NULL, NULL), "{\"a\":1}");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(ev, "isBase64Encoded")));
	cJSON_Delete(ev);
	/* No headers, no query, no body: nulls. */
	req = request("GET", "/dev/users", "", NULL, 0, NULL);
	ev = event(&fx, &req, NULL);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(ev, "queryStringParameters")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(ev, "pathParameters")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(ev, "body")));
	assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ev, "requestContext"),
						     "authorizer"));
	cJSON_Delete(ev);
	fx_free(&fx);
}

static void test_event_v2(void **state)
{
	(void)state;
	plan_fx fx = fx_build(http_yaml);
	sg_sigv4_header h[] = {{"X-Thing", "one"}, {"Cookie", "a=1; b=2"}, {"x-thing", "two"},
			       {"Content-Type", "application/octet-stream"}};
	sg_gw_request req = request("GET", "/items/a%2Fb", "q=1&q=2", h, 4, "\x01\x02");
	sg_gw_identity who = {.claims_json = "{\"sub\":\"u\",\"scope\":\"s1 s2\"}",
			      .scopes = (const char *[]){"s1", "s2"}, .scope_count = 2,
			      .has_scope_claim = true};
	cJSON *ev = event(&fx, &req, &who);
	assert_string_equal(str_at(ev, "version", NULL, NULL), "2.0");
	assert_string_equal(str_at(ev, "routeKey", NULL, NULL), "GET /items/{id}");
	assert_string_equal(str_at(ev, "rawPath", NULL, NULL), "/items/a%2Fb");
	assert_string_equal(str_at(ev, "rawQueryString", NULL, NULL), "q=1&q=2");
	assert_string_equal(str_at(ev, "pathParameters", "id", NULL), "a/b");
	assert_string_equal(str_at(ev, "headers", "x-thing", NULL), "one,two");
	assert_null(str_at(ev, "headers", "cookie", NULL));
	const cJSON *cookies = cJSON_GetObjectItemCaseSensitive(ev, "cookies");
	assert_int_equal(cJSON_GetArraySize(cookies), 2);
	assert_string_equal(cJSON_GetArrayItem(cookies, 1)->valuestring, "b=2");
	assert_string_equal(str_at(ev, "queryStringParameters", "q", NULL), "1,2");
	assert_string_equal(str_at(ev, "requestContext", "stage", NULL), "$default");
	assert_string_equal(str_at(ev, "requestContext", "http", "method"), "GET");
	assert_string_equal(str_at(ev, "requestContext", "http", "sourceIp"), "10.0.0.1");
	/* Binary bodies travel base64-encoded. */
	assert_string_equal(str_at(ev, "body", NULL, NULL), "AQI=");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ev, "isBase64Encoded")));
	const cJSON *jwt = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ev, "requestContext"),
						 "authorizer"),
		"jwt");
	assert_string_equal(str_at(jwt, "claims", "sub", NULL), "u");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(jwt, "scopes")), 2);
	cJSON_Delete(ev);
	/* JSON bodies stay text. */
	sg_sigv4_header j[] = {{"Content-Type", "application/json; charset=utf-8"}};
	req = request("POST", "/items", "", j, 1, "{\"x\":1}");
	ev = event(&fx, &req, NULL);
	assert_string_equal(str_at(ev, "body", NULL, NULL), "{\"x\":1}");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(ev, "isBase64Encoded")));
	cJSON_Delete(ev);
	fx_free(&fx);
}

static int answer(plan_fx *fx, const char *payload, sg_gw_response *r)
{
	return sg_gw_lambda_response(r, fx->arena, fx->plan, payload, strlen(payload), "rid");
}

static void test_lambda_answers(void **state)
{
	(void)state;
	plan_fx fx = fx_build(rest_yaml);
	sg_gw_response r;
	assert_int_equal(answer(&fx, "{\"statusCode\":201,\"headers\":{\"X-A\":\"1\",\"N\":5},"
				     "\"multiValueHeaders\":{\"Set-Cookie\":[\"a=1\",\"b=2\"]},"
				     "\"body\":\"made\"}", &r), 0);
	assert_int_equal(r.status, 201);
	assert_string_equal(sg_gw_response_header(&r, "x-a"), "1");
	assert_string_equal(sg_gw_response_header(&r, "N"), "5");
	assert_string_equal(sg_gw_response_header(&r, "Content-Type"), "application/json");
	assert_int_equal(r.body_len, 4);
	size_t cookies = 0;
	for (size_t i = 0; i < r.header_count; i++)
		cookies += !strcmp(r.headers[i].key, "Set-Cookie");
	assert_int_equal(cookies, 2);
	assert_int_equal(answer(&fx, "{\"statusCode\":200,\"body\":\"AAEC\",\"isBase64Encoded\":true}", &r), 0);
	assert_int_equal(r.body_len, 3);
	assert_int_equal(r.body[2], 2);
	/* What API Gateway calls a malformed Lambda proxy response: 502. */
	static const char *const bad[] = {
		"not json", "[1]", "{\"body\":\"x\"}", "{\"statusCode\":\"abc\"}",
		"{\"statusCode\":200,\"body\":{\"a\":1}}", "{\"statusCode\":200,\"extra\":1}",
		"{\"statusCode\":200,\"headers\":{\"a\":{}}}", "{\"statusCode\":700}",
		"{\"statusCode\":200,\"cookies\":[\"a=1\"]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(answer(&fx, bad[i], &r), -1);
		assert_int_equal(r.status, 502);
		assert_string_equal(r.body, "{\"message\":\"Internal server error\"}");
	}
	fx_free(&fx);

	fx = fx_build(http_yaml);
	/* 2.0: any JSON without statusCode is a 200 with that JSON. */
	assert_int_equal(answer(&fx, "{\"hello\":\"world\"}", &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"hello\":\"world\"}");
	assert_int_equal(answer(&fx, "\"text\"", &r), 0);
	assert_string_equal(r.body, "text");
	assert_int_equal(answer(&fx, "{\"statusCode\":200,\"cookies\":[\"a=1\"],\"body\":\"\"}", &r), 0);
	assert_string_equal(sg_gw_response_header(&r, "Set-Cookie"), "a=1");
	assert_int_equal(answer(&fx, "nope", &r), -1);
	assert_int_equal(r.status, 500);
	assert_string_equal(r.body, "{\"message\":\"Internal Server Error\"}");
	fx_free(&fx);
}

static void test_gateway_errors(void **state)
{
	(void)state;
	plan_fx rest = fx_build(rest_yaml), http = fx_build(http_yaml);
	sg_gw_response r;
	sg_gw_error_response(&r, rest.arena, rest.plan, SG_GW_NOT_FOUND, "id");
	assert_int_equal(r.status, 403);
	assert_string_equal(r.body, "{\"message\":\"Missing Authentication Token\"}");
	assert_string_equal(sg_gw_response_header(&r, "x-amzn-ErrorType"),
			    "MissingAuthenticationTokenException");
	sg_gw_error_response(&r, http.arena, http.plan, SG_GW_NOT_FOUND, "id");
	assert_int_equal(r.status, 404);
	assert_string_equal(r.body, "{\"message\":\"Not Found\"}");
	sg_gw_error_response(&r, rest.arena, rest.plan, SG_GW_EXPIRED_TOKEN, "id");
	assert_int_equal(r.status, 401);
	assert_string_equal(r.body, "{\"message\":\"The incoming token has expired\"}");
	sg_gw_error_response(&r, rest.arena, rest.plan, SG_GW_TIMEOUT, "id");
	assert_int_equal(r.status, 504);
	sg_gw_error_response(&r, http.arena, http.plan, SG_GW_TIMEOUT, "id");
	assert_int_equal(r.status, 503);
	sg_gw_error_response(&r, http.arena, http.plan, SG_GW_IAM_SIGNATURE, "id");
	assert_int_equal(r.status, 403);
	assert_string_equal(r.body, "{\"message\":\"Forbidden\"}");
	sg_gw_error_response(&r, rest.arena, rest.plan, SG_GW_FUNCTION_ERROR, "id");
	assert_int_equal(r.status, 502);
	sg_gw_error_response(&r, rest.arena, rest.plan, SG_GW_API_THROTTLED, "id");
	assert_int_equal(r.status, 429);
	fx_free(&rest);
	fx_free(&http);
}

static void test_cors(void **state)
{
	(void)state;
	plan_fx fx = fx_build(rest_yaml);
	sg_gw_route route;
	sg_sigv4_header h[] = {{"Origin", "https://b.example"}};
	sg_gw_request req = request("OPTIONS", "/dev/users", "", h, 1, NULL);
	sg_gw_route_request(&route, fx.arena, fx.plan, &req);
	sg_gw_response r;
	sg_gw_preflight(&r, fx.arena, fx.plan, &req, &route);
	assert_int_equal(r.status, 204);
	/* Several origins: the request's own when it is one of them. */
	assert_string_equal(sg_gw_response_header(&r, "Access-Control-Allow-Origin"), "https://b.example");
	assert_string_equal(sg_gw_response_header(&r, "Vary"), "Origin");
	assert_string_equal(sg_gw_response_header(&r, "Access-Control-Allow-Methods"), "GET,OPTIONS,POST");
	assert_string_equal(sg_gw_response_header(&r, "Access-Control-Max-Age"), "60");
	assert_string_equal(sg_gw_response_header(&r, "Access-Control-Allow-Credentials"), "true");
	h[0].value = "https://evil.example";
	sg_gw_preflight(&r, fx.arena, fx.plan, &req, &route);
	assert_null(sg_gw_response_header(&r, "Access-Control-Allow-Origin"));
	fx_free(&fx);

	fx = fx_build(http_yaml);
	sg_sigv4_header p[] = {{"Origin", "https://a.example"},
			       {"Access-Control-Request-Method", "GET"}};
	req = request("OPTIONS", "/items/1", "", p, 2, NULL);
	sg_gw_route_request(&route, fx.arena, fx.plan, &req);
	sg_gw_preflight(&r, fx.arena, fx.plan, &req, &route);
	assert_int_equal(r.status, 204);
	assert_string_equal(sg_gw_response_header(&r, "Access-Control-Allow-Origin"), "https://a.example");
	assert_string_equal(sg_gw_response_header(&r, "Access-Control-Allow-Methods"), "GET,OPTIONS,POST");
	p[0].value = "https://evil.example";
	sg_gw_preflight(&r, fx.arena, fx.plan, &req, &route);
	assert_null(sg_gw_response_header(&r, "Access-Control-Allow-Origin"));
	/* Every answer: the configuration's CORS headers, never the function's. */
	p[0].value = "https://a.example";
	req = request("GET", "/items/1", "", p, 1, NULL);
	answer(&fx, "{\"statusCode\":200,\"headers\":{\"Access-Control-Allow-Origin\":\"*\"},\"body\":\"\"}", &r);
	sg_gw_cors_decorate(&r, fx.arena, fx.plan, &req);
	assert_string_equal(sg_gw_response_header(&r, "Access-Control-Allow-Origin"), "https://a.example");
	size_t n = 0;
	for (size_t i = 0; i < r.header_count; i++)
		n += !strcasecmp(r.headers[i].key, "Access-Control-Allow-Origin");
	assert_int_equal(n, 1);
	fx_free(&fx);
}

/* A REST API's own errors carry the CORS headers of its gateway responses
 * (DEFAULT_4XX, DEFAULT_5XX); nothing without CORS or on an HTTP API. */
static void test_gateway_responses(void **state)
{
	(void)state;
	plan_fx fx = fx_build(rest_yaml);
	sg_sigv4_header h[] = {{"Origin", "https://evil.example"}};
	sg_gw_request req = request("GET", "/dev/nothing", "", h, 1, NULL);
	sg_gw_response r;
	sg_gw_error_response(&r, fx.arena, fx.plan, SG_GW_NOT_FOUND, "id");
	sg_gw_gateway_response(&r, fx.arena, fx.plan, &req);
	assert_int_equal(r.status, 403);
	/* Several origins: the mapping echoes the request's Origin, with Vary. */
	assert_string_equal(sg_gw_response_header(&r, "Access-Control-Allow-Origin"),
			    "https://evil.example");
	assert_string_equal(sg_gw_response_header(&r, "Vary"), "Origin");
	assert_string_equal(sg_gw_response_header(&r, "Access-Control-Allow-Headers"),
			    "Authorization,Content-Type");
	/* An echoed Origin never goes with Allow-Credentials. */
	assert_null(sg_gw_response_header(&r, "Access-Control-Allow-Credentials"));
	/* No Origin in the request: no Allow-Origin. */
	req = request("GET", "/dev/nothing", "", NULL, 0, NULL);
	sg_gw_error_response(&r, fx.arena, fx.plan, SG_GW_FUNCTION_ERROR, "id");
	sg_gw_gateway_response(&r, fx.arena, fx.plan, &req);
	assert_int_equal(r.status, 502);
	assert_null(sg_gw_response_header(&r, "Access-Control-Allow-Origin"));
	assert_string_equal(sg_gw_response_header(&r, "Vary"), "Origin");
	fx_free(&fx);

	/* One origin: the literal, on 4xx and 5xx alike. */
	fx = fx_build("svcgen: 1\nservice: one\napi:\n  type: rest\n"
		      "  cors: {origins: [https://a.example], headers: [X-Api-Key]}\n"
		      "  routes:\n    /x:\n      GET: {function: x}\n");
	req = request("GET", "/dev/x", "", h, 1, NULL);
	for (int e = 0; e < 2; e++) {
		sg_gw_error_response(&r, fx.arena, fx.plan, e ? SG_GW_TIMEOUT : SG_GW_UNAUTHORIZED,
				     "id");
		sg_gw_gateway_response(&r, fx.arena, fx.plan, &req);
		assert_int_equal(r.status, e ? 504 : 401);
		assert_string_equal(sg_gw_response_header(&r, "Access-Control-Allow-Origin"),
				    "https://a.example");
		assert_null(sg_gw_response_header(&r, "Vary"));
		assert_null(sg_gw_response_header(&r, "Access-Control-Allow-Credentials"));
		assert_string_equal(sg_gw_response_header(&r, "Access-Control-Allow-Headers"),
				    "X-Api-Key");
	}
	fx_free(&fx);

	/* Without CORS, and on an HTTP API: untouched. */
	const char *const none[] = {
		"svcgen: 1\nservice: bare\napi:\n  type: rest\n"
		"  routes:\n    /x:\n      GET: {function: x}\n",
		http_yaml,
	};
	for (size_t i = 0; i < 2; i++) {
		fx = fx_build(none[i]);
		sg_gw_error_response(&r, fx.arena, fx.plan, SG_GW_NOT_FOUND, "id");
		size_t before = r.header_count;
		sg_gw_gateway_response(&r, fx.arena, fx.plan, &req);
		assert_int_equal(r.header_count, before);
		assert_null(sg_gw_response_header(&r, "Access-Control-Allow-Origin"));
		fx_free(&fx);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rest_routing),
		cmocka_unit_test(test_http_routing),
		cmocka_unit_test(test_event_v1),
		cmocka_unit_test(test_event_v2),
		cmocka_unit_test(test_lambda_answers),
		cmocka_unit_test(test_gateway_errors),
		cmocka_unit_test(test_cors),
		cmocka_unit_test(test_gateway_responses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
