/*
 * fuzz_event.c - libFuzzer target for the generated runtime's event
 * handling: API Gateway (1.0, 2.0) and DynamoDB Streams parsing, the
 * lookups, route matching, response serialization and the whole
 * lambda_invoke dispatch, on arbitrary bytes.  Not part of CI; run it with
 * tests/handlers/fuzz.sh (clang, a few minutes).
 *
 * The property: no crash, no sanitizer report, no leak, whatever the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_runtime.h"

static int http(const lambda_request *req, lambda_response *res, const lambda_context *ctx)
{
	(void)ctx;
	/* Touch everything a handler could read. */
	(void)lambda_header(req, "Content-Type");
	(void)lambda_query(req, "q");
	(void)lambda_path_param(req, "id");
	(void)lambda_cookie(req, "session");
	(void)lambda_claim(req, "sub");
	cJSON *body = lambda_request_json(req);
	cJSON_Delete(body);
	if (lambda_route_is(req, "ANY", "/{proxy+}") || lambda_route_is(req, "GET", "/a/{b}/c"))
		lambda_response_cookie(res, "a=b");
	if (req->body_len & 1)
		return lambda_response_binary(res, 200, "application/octet-stream", req->body,
					      req->body_len);
	return lambda_response_message(res, req->body_len % 3 ? 200 : 0, req->path);
}

static int stream(const lambda_stream_batch *batch, lambda_batch_result *result,
		  const lambda_context *ctx)
{
	(void)ctx;
	for (size_t i = 0; i < batch->count; i++) {
		(void)lambda_attr_s(batch->records[i].keys, "PK");
		(void)lambda_attr_n(batch->records[i].new_image, "N");
		if (i & 1)
			lambda_batch_fail(result, &batch->records[i]);
	}
	return 0;
}

static int json(const cJSON *event, cJSON **result, const lambda_context *ctx)
{
	(void)ctx;
	*result = cJSON_Duplicate(event, 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const lambda_function fns[] = {
		{.name = "h", .http = http},
		{.name = "s", .stream = stream},
		{.name = "j", .json = json},
		{.name = "hs", .http = http, .stream = stream},
	};
	const char *text = (const char *)data;
	lambda_context ctx = {.request_id = "fuzz", .function_name = "fuzz"};
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		lambda_outcome out;
		if (lambda_invoke(&out, &fns[i], NULL, text, size, &ctx) == LAMBDA_OK)
			lambda_outcome_free(&out);
	}
	lambda_request req;
	const char *why;
	if (lambda_request_parse(&req, &why, text, size) == LAMBDA_OK) {
		char *s = NULL;
		lambda_response res;
		lambda_response_init(&res);
		lambda_response_text(&res, 200, "text/plain", req.body, req.body_len);
		if (lambda_response_serialize(&s, NULL, &res, &req, NULL) == LAMBDA_OK)
			free(s);
		lambda_response_free(&res);
		lambda_request_free(&req);
	}
	lambda_stream_batch batch;
	if (lambda_stream_parse(&batch, &why, text, size) == LAMBDA_OK)
		lambda_stream_free(&batch);
	return 0;
}
