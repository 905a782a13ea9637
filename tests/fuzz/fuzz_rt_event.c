/*
 * fuzz_rt_event.c - libFuzzer harness of the handler runtime's event
 * handling: the bytes as an API Gateway event (payload 1.0 and 2.0) and a
 * DynamoDB Streams event, through the parsers, every lookup a handler
 * makes, route matching, the key a CRUD scaffold builds from path
 * parameters, responses and their serialization, the sample-event
 * rewriting of the scaffold tests, and the whole lambda_invoke dispatch
 * for HTTP, stream and plain functions under a REST (CORS) and an HTTP
 * API configuration.
 *
 * Properties beyond no crash, leak or hang: every payload lambda_invoke
 * answers is JSON (an API Gateway response has a statusCode from 100 to
 * 599, a malformed API Gateway event answers 400 and never reaches the
 * handler); an error outcome has a type and a message; a serialized
 * response or batch result parses back; a key built from path parameters
 * is an object of S, N or B values; the test helper's copy of an event
 * that parses, aimed at another route, parses as an event of that route.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_crud.h"
#include "lambda_testing.h"
#include "rt_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int calls;

static int http(const lambda_request *req, lambda_response *res, const lambda_context *ctx)
{
	(void)ctx;
	calls++;
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
	lambda_response_header(res, "X-Path", req->path ? req->path : "");
	if (req->body_len & 1)
		return lambda_response_binary(res, 200, "application/octet-stream", req->body,
					      req->body_len);
	/* 0: no status set, which must become a 500. */
	return lambda_response_message(res, req->body_len % 3 ? 200 : 0, req->path);
}

static int stream(const lambda_stream_batch *batch, lambda_batch_result *result,
		  const lambda_context *ctx)
{
	(void)ctx;
	for (size_t i = 0; i < batch->count; i++) {
		(void)lambda_attr_s(batch->records[i].keys, "PK");
		(void)lambda_attr_n(batch->records[i].new_image, "N");
		cJSON *plain = lambda_ddb_item_to_plain(batch->records[i].new_image, NULL);
		cJSON_Delete(plain);
		if (i & 1)
			lambda_batch_fail(result, &batch->records[i]);
	}
	return batch->count > 7 ? -1 : 0;
}

static int json(const cJSON *event, cJSON **result, const lambda_context *ctx)
{
	(void)ctx;
	*result = cJSON_Duplicate(event, 1);
	return cJSON_IsNumber(event) ? -1 : 0;
}

static void check_outcome(const lambda_outcome *out, bool http_fn, bool http_event)
{
	if (out->is_error) {
		if (!out->error_type || !*out->error_type || !out->error_message)
			abort();
		return;
	}
	cJSON *p = cJSON_ParseWithLength(out->payload, out->payload_len);
	if (!p || strlen(out->payload) != out->payload_len)
		abort();
	if (http_fn && http_event && !cJSON_GetObjectItemCaseSensitive(p, "batchItemFailures")) {
		const cJSON *sc = cJSON_GetObjectItemCaseSensitive(p, "statusCode");
		if (!cJSON_IsNumber(sc) || sc->valueint < 100 || sc->valueint > 599)
			abort();
	}
	cJSON_Delete(p);
}

static const lambda_config configs[] = {
	{.service = "fuzz", .payload_version = 1,
	 .cors_origins = (const char *const[]){"https://example.com", "https://a.example", NULL},
	 .cors_credentials = true},
	{.service = "fuzz", .payload_version = 2, .cors_origins = NULL},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rt_fuzz_quiet();
	static const lambda_function fns[] = {
		{.name = "h", .http = http},
		{.name = "s", .stream = stream},
		{.name = "j", .json = json},
		{.name = "hs", .http = http, .stream = stream},
	};
	const char *text = (const char *)data;
	lambda_context ctx = {.request_id = "fuzz", .function_name = "fuzz",
			      .trace_id = "Root=1-5759e988-bd862e3fe1be46a994272793"};
	lambda_request req;
	const char *why = NULL;
	bool is_request = lambda_request_parse(&req, &why, text, size) == LAMBDA_OK;
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		lambda_outcome out;
		calls = 0;
		if (lambda_invoke(&out, &fns[i], &configs[i & 1], text, size, &ctx) != LAMBDA_OK)
			continue;
		/* A function with an HTTP handler answers API Gateway. */
		bool http_event = fns[i].http && !out.is_error;
		check_outcome(&out, fns[i].http != NULL, http_event);
		if (fns[i].http && !fns[i].stream && !is_request && calls)
			abort(); /* a malformed event reached the handler */
		lambda_outcome_free(&out);
	}
	if (is_request) {
		/* The key of a CRUD scaffold, from the path parameters. */
		static const lambda_crud_attr key_attrs[] = {
			{"id", 'S', "id", NULL}, {"n", 'N', "n", NULL}, {"b", 'B', "b", NULL},
			{"fixed", 'S', NULL, "TODO"},
		};
		for (size_t n = 1; n <= 4; n++) {
			cJSON *key = lambda_crud_key(&req, key_attrs, n);
			for (const cJSON *k = key ? key->child : NULL; k; k = k->next) {
				lambda_ddb_type t = lambda_ddb_av_type(k);
				if (t != LAMBDA_DDB_S && t != LAMBDA_DDB_N && t != LAMBDA_DDB_B)
					abort();
			}
			cJSON_Delete(key);
		}
		char *s = NULL;
		size_t slen = 0;
		lambda_response res;
		lambda_response_init(&res);
		lambda_response_text(&res, 201, "text/plain", req.body, req.body_len);
		lambda_response_header(&res, "Set-Cookie", req.path ? req.path : "x");
		if (lambda_response_serialize(&s, &slen, &res, &req, &configs[0]) == LAMBDA_OK) {
			cJSON *p = cJSON_ParseWithLength(s, slen);
			if (!p)
				abort();
			cJSON_Delete(p);
			free(s);
		}
		lambda_response_free(&res);
		lambda_request_free(&req);
	}
	/* What the scaffold tests do to a sample event: aimed at another
	 * route, an event that parsed still parses, as that route's. */
	char *routed = lambda_testing_route_event(text, size, "PUT", "/items/{id}/parts/{part+}");
	if (routed && is_request) {
		lambda_request r2;
		if (lambda_request_parse(&r2, &why, routed, strlen(routed)) != LAMBDA_OK ||
		    !lambda_route_is(&r2, "PUT", "/items/{id}/parts/{part+}"))
			abort();
		lambda_request_free(&r2);
	}
	free(routed);
	lambda_stream_batch batch;
	if (lambda_stream_parse(&batch, &why, text, size) == LAMBDA_OK) {
		lambda_batch_result result;
		lambda_batch_result_init(&result);
		for (size_t i = 0; i < batch.count; i++)
			lambda_batch_fail(&result, &batch.records[i]);
		char *s = NULL;
		size_t slen = 0;
		if (lambda_batch_result_serialize(&s, &slen, &result) == LAMBDA_OK) {
			cJSON *p = cJSON_ParseWithLength(s, slen);
			if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(p, "batchItemFailures")))
				abort();
			cJSON_Delete(p);
			free(s);
		}
		lambda_batch_result_free(&result);
		lambda_stream_free(&batch);
	}
	return 0;
}
