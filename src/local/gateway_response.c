/*
 * gateway_response.c - what API Gateway answers: its own gateway responses,
 * the function's proxy result turned into HTTP (payload formats 1.0 and
 * 2.0), and CORS (the REST preflight mock, the HTTP API's CORS
 * configuration).  Rules and sources in include/svcgen/gateway.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "local_int.h"
#include "svcgen/gateway.h"

void sg_gw_header(sg_gw_response *r, sg_arena *a, const char *name, const char *value)
{
	r->headers = sg_arena_grow(a, r->headers, r->header_count, r->header_count + 1,
				   sizeof(*r->headers));
	r->headers[r->header_count].key = sg_arena_strdup(a, name);
	r->headers[r->header_count].value = sg_arena_strdup(a, value);
	r->header_count++;
}

const char *sg_gw_response_header(const sg_gw_response *r, const char *name)
{
	for (size_t i = 0; i < r->header_count; i++)
		if (!strcasecmp(r->headers[i].key, name))
			return r->headers[i].value;
	return NULL;
}

static void drop_header(sg_gw_response *r, const char *name)
{
	size_t o = 0;
	for (size_t i = 0; i < r->header_count; i++)
		if (strcasecmp(r->headers[i].key, name))
			r->headers[o++] = r->headers[i];
	r->header_count = o;
}

void sg_gw_error_response(sg_gw_response *out, sg_arena *a, const sg_plan *plan,
			  sg_gw_error err, const char *request_id)
{
	bool http = plan->api.type == SG_API_HTTP;
	int status = 500;
	const char *msg = "Internal server error", *type = "InternalServerErrorException";
	switch (err) {
	case SG_GW_NOT_FOUND:
		status = http ? 404 : 403;
		msg = http ? "Not Found" : "Missing Authentication Token";
		type = "MissingAuthenticationTokenException";
		break;
	case SG_GW_WRONG_STAGE:
		status = 403;
		msg = "Forbidden";
		type = "ForbiddenException";
		break;
	case SG_GW_UNAUTHORIZED:
		status = 401;
		msg = "Unauthorized";
		type = "UnauthorizedException";
		break;
	case SG_GW_EXPIRED_TOKEN:
		status = 401;
		msg = http ? "Unauthorized" : "The incoming token has expired";
		type = "UnauthorizedException";
		break;
	case SG_GW_FORBIDDEN:
		status = 403;
		msg = "Forbidden";
		type = "AccessDeniedException";
		break;
	case SG_GW_IAM_MISSING:
		status = 403;
		msg = http ? "Forbidden" : "Missing Authentication Token";
		type = "MissingAuthenticationTokenException";
		break;
	case SG_GW_IAM_BAD_KEY:
		status = 403;
		msg = http ? "Forbidden" : "The security token included in the request is invalid.";
		type = "UnrecognizedClientException";
		break;
	case SG_GW_IAM_SIGNATURE:
		status = 403;
		msg = http ? "Forbidden"
			   : "The request signature we calculated does not match the signature you "
			     "provided. Check your AWS Secret Access Key and signing method. Consult "
			     "the service documentation for details.";
		type = "InvalidSignatureException";
		break;
	case SG_GW_IAM_EXPIRED:
		status = 403;
		msg = http ? "Forbidden" : "Signature expired";
		type = "InvalidSignatureException";
		break;
	case SG_GW_BAD_RESPONSE:
	case SG_GW_FUNCTION_ERROR:
	case SG_GW_THROTTLED:
		status = http ? 500 : (err == SG_GW_THROTTLED ? 500 : 502);
		msg = http ? "Internal Server Error" : "Internal server error";
		type = "InternalServerErrorException";
		break;
	case SG_GW_TIMEOUT:
		status = http ? 503 : 504;
		msg = http ? "Service Unavailable" : "Endpoint request timed out";
		type = "IntegrationTimeout";
		break;
	case SG_GW_API_THROTTLED:
		status = 429;
		msg = "Too Many Requests";
		type = "TooManyRequestsException";
		break;
	case SG_GW_TOO_LARGE:
		status = 413;
		msg = "Request Too Long";
		type = "RequestTooLongException";
		break;
	}
	memset(out, 0, sizeof(*out));
	out->status = status;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "message", msg);
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	out->body = sg_arena_strdup(a, s);
	out->body_len = strlen(out->body);
	cJSON_free(s);
	sg_gw_header(out, a, "Content-Type", "application/json");
	if (http) {
		if (request_id)
			sg_gw_header(out, a, "apigw-requestid", request_id);
		if (status == 401)
			sg_gw_header(out, a, "www-authenticate", "Bearer");
	} else {
		sg_gw_header(out, a, "x-amzn-ErrorType", type);
		if (request_id)
			sg_gw_header(out, a, "x-amzn-RequestId", request_id);
	}
}

/* Add a JSON header value (string, number or boolean) as text. */
static bool header_value(sg_gw_response *r, sg_arena *a, const char *name, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		sg_gw_header(r, a, name, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		sg_gw_header(r, a, name, sg_arena_printf(a, "%.15g", v->valuedouble));
	} else if (cJSON_IsBool(v)) {
		sg_gw_header(r, a, name, cJSON_IsTrue(v) ? "true" : "false");
	} else {
		return false;
	}
	return true;
}

int sg_gw_lambda_response(sg_gw_response *out, sg_arena *a, const sg_plan *plan,
			  const char *payload, size_t len, const char *request_id)
{
	bool v2 = plan->api.type == SG_API_HTTP;
	memset(out, 0, sizeof(*out));
	cJSON *doc = cJSON_ParseWithLength(payload, len);
	if (!doc)
		goto bad;
	const cJSON *sc = cJSON_GetObjectItemCaseSensitive(doc, "statusCode");
	if (v2 && (!cJSON_IsObject(doc) || !sc)) {
		/* 2.0 infers a 200 JSON answer from any other valid JSON. */
		out->status = 200;
		if (cJSON_IsString(doc)) {
			out->body = sg_arena_strdup(a, doc->valuestring);
		} else {
			char *s = cJSON_PrintUnformatted(doc);
			out->body = sg_arena_strdup(a, s);
			cJSON_free(s);
		}
		out->body_len = strlen(out->body);
		sg_gw_header(out, a, "Content-Type", "application/json");
		cJSON_Delete(doc);
		return 0;
	}
	if (!cJSON_IsObject(doc))
		goto bad;
	/* 1.0 accepts only these members (anything else: a malformed answer). */
	static const char *const known[] = {"statusCode", "headers", "multiValueHeaders", "body",
					    "isBase64Encoded", "cookies", NULL};
	const cJSON *m;
	cJSON_ArrayForEach(m, doc)
	{
		bool ok = false;
		for (size_t i = 0; known[i] && !ok; i++)
			ok = !strcmp(m->string, known[i]) && (v2 || strcmp(m->string, "cookies"));
		if (!ok)
			goto bad;
	}
	double code = cJSON_IsNumber(sc) ? sc->valuedouble
		      : cJSON_IsString(sc) ? (double)strtol(sc->valuestring, NULL, 10) : 0;
	if (code < 100 || code > 599 || code != (int)code)
		goto bad;
	out->status = (int)code;
	const cJSON *hs = cJSON_GetObjectItemCaseSensitive(doc, "headers");
	const cJSON *mhs = cJSON_GetObjectItemCaseSensitive(doc, "multiValueHeaders");
	if ((hs && !cJSON_IsNull(hs) && !cJSON_IsObject(hs)) ||
	    (mhs && !cJSON_IsNull(mhs) && !cJSON_IsObject(mhs)))
		goto bad;
	const cJSON *h;
	/* multiValueHeaders first; a header in both keeps only the
	 * multi-value form's values (API Gateway merges them that way). */
	cJSON_ArrayForEach(h, mhs)
	{
		if (!cJSON_IsArray(h))
			goto bad;
		const cJSON *v;
		cJSON_ArrayForEach(v, h) if (!header_value(out, a, h->string, v)) goto bad;
	}
	cJSON_ArrayForEach(h, hs)
	{
		if (cJSON_GetObjectItem(mhs, h->string))
			continue;
		if (!header_value(out, a, h->string, h))
			goto bad;
	}
	const cJSON *cookies = cJSON_GetObjectItemCaseSensitive(doc, "cookies");
	const cJSON *c;
	cJSON_ArrayForEach(c, cookies) if (cJSON_IsString(c))
		sg_gw_header(out, a, "Set-Cookie", c->valuestring);
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(doc, "body");
	const cJSON *b64 = cJSON_GetObjectItemCaseSensitive(doc, "isBase64Encoded");
	if (body && !cJSON_IsNull(body)) {
		if (!cJSON_IsString(body))
			goto bad;
		if (cJSON_IsTrue(b64)) {
			char *raw;
			size_t rl;
			if (local_unbase64(&raw, &rl, a, body->valuestring) < 0)
				goto bad;
			out->body = raw;
			out->body_len = rl;
		} else {
			out->body = sg_arena_strdup(a, body->valuestring);
			out->body_len = strlen(out->body);
		}
	} else {
		out->body = "";
	}
	if (!sg_gw_response_header(out, "Content-Type"))
		sg_gw_header(out, a, "Content-Type", "application/json");
	cJSON_Delete(doc);
	return 0;
bad:
	cJSON_Delete(doc);
	sg_gw_error_response(out, a, plan, SG_GW_BAD_RESPONSE, request_id);
	return -1;
}

static const char *allowed_origin(const sg_plan_api *api, const char *origin)
{
	if (!origin)
		return NULL;
	for (size_t i = 0; i < api->cors_origin_count; i++)
		if (!strcmp(api->cors_origins[i], "*") || !strcmp(api->cors_origins[i], origin))
			return api->cors_origins[i];
	return NULL;
}

void sg_gw_preflight(sg_gw_response *out, sg_arena *a, const sg_plan *plan,
		     const sg_gw_request *req, const sg_gw_route *route)
{
	const sg_plan_api *api = &plan->api;
	const char *origin = sg_gw_request_header(req, "Origin");
	memset(out, 0, sizeof(*out));
	out->status = 204;
	out->body = "";
	if (api->type == SG_API_REST) {
		/* The MOCK integration of the generated OPTIONS method. */
		if (api->cors_origin_count == 1) {
			sg_gw_header(out, a, "Access-Control-Allow-Origin", api->cors_origins[0]);
		} else {
			sg_gw_header(out, a, "Vary", "Origin");
			for (size_t i = 0; origin && i < api->cors_origin_count; i++)
				if (!strcmp(api->cors_origins[i], origin))
					sg_gw_header(out, a, "Access-Control-Allow-Origin", origin);
		}
		sg_gw_header(out, a, "Access-Control-Allow-Methods", route->node->cors_methods);
		sg_gw_header(out, a, "Access-Control-Allow-Headers", api->cors_header_list);
		if (api->cors_max_age_set)
			sg_gw_header(out, a, "Access-Control-Max-Age",
				     sg_arena_printf(a, "%lld", (long long)api->cors_max_age));
		if (api->cors_credentials)
			sg_gw_header(out, a, "Access-Control-Allow-Credentials", "true");
		sg_gw_header(out, a, "Content-Type", "application/json");
		return;
	}
	/* HTTP API: the CORS configuration answers for an allowed origin. */
	const char *ok = allowed_origin(api, origin);
	if (!ok)
		return;
	sg_gw_header(out, a, "Access-Control-Allow-Origin", !strcmp(ok, "*") ? "*" : origin);
	sg_gw_header(out, a, "Access-Control-Allow-Methods", api->cors_methods);
	sg_gw_header(out, a, "Access-Control-Allow-Headers", api->cors_header_list);
	if (api->cors_max_age_set)
		sg_gw_header(out, a, "Access-Control-Max-Age",
			     sg_arena_printf(a, "%lld", (long long)api->cors_max_age));
	if (api->cors_credentials)
		sg_gw_header(out, a, "Access-Control-Allow-Credentials", "true");
}

void sg_gw_cors_decorate(sg_gw_response *r, sg_arena *a, const sg_plan *plan,
			 const sg_gw_request *req)
{
	const sg_plan_api *api = &plan->api;
	if (api->type != SG_API_HTTP || !api->cors)
		return;
	static const char *const cors[] = {
		"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
		"Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
		"Access-Control-Max-Age", "Access-Control-Expose-Headers", NULL,
	};
	for (size_t i = 0; cors[i]; i++)
		drop_header(r, cors[i]);
	const char *origin = sg_gw_request_header(req, "Origin");
	const char *ok = allowed_origin(api, origin);
	if (!ok)
		return;
	sg_gw_header(r, a, "Access-Control-Allow-Origin", !strcmp(ok, "*") ? "*" : origin);
	if (api->cors_credentials)
		sg_gw_header(r, a, "Access-Control-Allow-Credentials", "true");
}

void sg_gw_gateway_response(sg_gw_response *r, sg_arena *a, const sg_plan *plan,
			    const sg_gw_request *req)
{
	const sg_plan_api *api = &plan->api;
	if (api->type != SG_API_REST || !api->gateway_response_count || r->status < 400 ||
	    r->status > 599)
		return;
	/* DEFAULT_4XX or DEFAULT_5XX: the plan gives both the same mappings. */
	static const char hdr[] = "gatewayresponse.header.";
	static const char reqhdr[] = "method.request.header.";
	for (size_t i = 0; i < api->gateway_response_header_count; i++) {
		const char *k = api->gateway_response_headers[i].key;
		const char *v = api->gateway_response_headers[i].value;
		if (strncmp(k, hdr, sizeof(hdr) - 1))
			continue;
		k += sizeof(hdr) - 1;
		size_t vl = strlen(v);
		const char *val = NULL;
		if (vl >= 2 && v[0] == '\'' && v[vl - 1] == '\'')
			val = sg_arena_strndup(a, v + 1, vl - 2);
		else if (!strncmp(v, reqhdr, sizeof(reqhdr) - 1))
			val = sg_gw_request_header(req, v + sizeof(reqhdr) - 1);
		drop_header(r, k);
		if (val)
			sg_gw_header(r, a, k, val);
	}
}
