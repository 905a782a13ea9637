/*
 * gateway.h - API Gateway as `svcgen local` plays it: routing over the
 * plan's route tree, the Lambda proxy events, the function's answer turned
 * into HTTP, CORS, and API Gateway's own error answers.
 *
 * Sources: API Gateway Developer Guide, "Set up Lambda proxy integrations"
 * (REST, payload format 1.0: input format, output format), "Working with
 * AWS Lambda proxy integrations for HTTP APIs" (payload formats 1.0 and 2.0,
 * "Lambda function response format"), "Working with routes for HTTP APIs"
 * (route selection: most specific match, greedy path variables, ANY), "Gateway
 * response types" (REST error bodies and statuses), "Configure CORS for HTTP
 * APIs".  REST APIs are served under /<stage> as on the default execute-api
 * endpoint; HTTP APIs on the $default stage, at the root.
 *
 * All functions are pure (no I/O); results live in the arena given.
 */
#ifndef SVCGEN_GATEWAY_H
#define SVCGEN_GATEWAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svcgen/arena.h"
#include "svcgen/plan.h"
#include "svcgen/sigv4.h"

/* A request as it reached the gateway. */
typedef struct sg_gw_request {
	const char *method;          /* "GET" */
	const char *path;            /* raw path as sent, "/dev/users/a%20b" */
	const char *query;           /* raw query after '?', "" when none */
	const sg_sigv4_header *headers; /* as received, in order, repeats kept */
	size_t header_count;
	const char *body;
	size_t body_len;
	const char *source_ip;
	const char *protocol;        /* "HTTP/1.1" */
} sg_gw_request;

/* Where a request goes. */
typedef struct sg_gw_route {
	const sg_plan_method *method; /* NULL: nothing matched */
	const sg_plan_node *node;     /* the matched resource, even with no method */
	sg_plan_pair *params;         /* path parameters, decoded, in path order */
	size_t param_count;
	const char *resource_path;    /* request path without the stage, raw */
	bool stage_ok;                /* REST: the path starts with /<stage> */
	bool preflight;               /* answered by the API's CORS preflight */
} sg_gw_route;

/*
 * Route `req` over `plan`'s API: REST resources match segment by segment,
 * a literal before a {param} before a {proxy+} (which takes one or more
 * segments), then the method or ANY; HTTP API routes the same way with
 * routes most specific first.  Path parameter values are percent-decoded.
 * REST: OPTIONS on a resource with a CORS preflight is `preflight`; HTTP
 * APIs with CORS: an OPTIONS with Origin and Access-Control-Request-Method
 * is `preflight` whatever the routes.  Always returns 0.
 */
int sg_gw_route_request(sg_gw_route *out, sg_arena *arena, const sg_plan *plan,
			const sg_gw_request *req);

/* An HTTP answer. */
typedef struct sg_gw_response {
	int status;
	sg_plan_pair *headers;       /* in order; repeats allowed */
	size_t header_count;
	const char *body;
	size_t body_len;
} sg_gw_response;

/* Append header `name`: `value` to `r` (both copied into `arena`). */
void sg_gw_header(sg_gw_response *r, sg_arena *arena, const char *name, const char *value);
/* The first value of header `name` (case-insensitive) in `r`, or NULL. */
const char *sg_gw_response_header(const sg_gw_response *r, const char *name);

/*
 * API Gateway's own answers (gateway responses).  REST bodies are
 * {"message": "..."} with x-amzn-ErrorType; HTTP API bodies
 * {"message": "..."}:
 *   NOT_FOUND        REST 403 "Missing Authentication Token"   HTTP 404 "Not Found"
 *   WRONG_STAGE      REST 403 "Forbidden"
 *   UNAUTHORIZED     401 "Unauthorized" (both)
 *   EXPIRED_TOKEN    REST 401 "The incoming token has expired"; HTTP 401 "Unauthorized"
 *   FORBIDDEN        REST 403 "Forbidden" (e.g. scopes on HTTP)  HTTP 403 "Forbidden"
 *   IAM_MISSING      REST 403 "Missing Authentication Token"    HTTP 403 "Forbidden"
 *   IAM_BAD_KEY      REST 403 "The security token included in the request is invalid."
 *   IAM_SIGNATURE    REST 403 signature mismatch text           HTTP 403 "Forbidden"
 *   IAM_EXPIRED      REST 403 "Signature expired: ..."          HTTP 403 "Forbidden"
 *   BAD_RESPONSE     REST 502 "Internal server error"           HTTP 500 "Internal Server Error"
 *   FUNCTION_ERROR   REST 502 "Internal server error"           HTTP 500 "Internal Server Error"
 *   TIMEOUT          REST 504 "Endpoint request timed out"      HTTP 503 "Service Unavailable"
 *   THROTTLED        the function's concurrency is used up (Lambda's
 *                    TooManyRequestsException): REST 500 "Internal server error",
 *                    HTTP 500 "Internal Server Error"
 *   API_THROTTLED    the stage's rate/burst is used up: 429 "Too Many Requests"
 *   TOO_LARGE        413 "Request Too Long" (both; API Gateway takes 10 MB)
 */
typedef enum sg_gw_error {
	SG_GW_NOT_FOUND,
	SG_GW_WRONG_STAGE,
	SG_GW_UNAUTHORIZED,
	SG_GW_EXPIRED_TOKEN,
	SG_GW_FORBIDDEN,
	SG_GW_IAM_MISSING,
	SG_GW_IAM_BAD_KEY,
	SG_GW_IAM_SIGNATURE,
	SG_GW_IAM_EXPIRED,
	SG_GW_BAD_RESPONSE,
	SG_GW_FUNCTION_ERROR,
	SG_GW_TIMEOUT,
	SG_GW_THROTTLED,
	SG_GW_API_THROTTLED,
	SG_GW_TOO_LARGE,
} sg_gw_error;

/* The gateway's answer for `err` on `plan`'s API type, into `*out`. */
void sg_gw_error_response(sg_gw_response *out, sg_arena *arena, const sg_plan *plan,
			  sg_gw_error err, const char *request_id);

/* The caller as an authorizer saw it; goes into the event's requestContext. */
typedef struct sg_gw_identity {
	/* Cognito/JWT: the token's claims (cJSON object text) and scopes. */
	const char *claims_json;
	const char *const *scopes;
	size_t scope_count;
	bool has_scope_claim;
	/* IAM: the signer. */
	const char *access_key;
	const char *account_id;
	const char *caller;       /* principal id */
	const char *user_arn;
} sg_gw_identity;

/* What the event needs beyond the request. */
typedef struct sg_gw_context {
	const char *request_id;   /* UUID */
	const char *api_id;       /* 10 lower-case alphanumerics */
	const char *account_id;
	const char *domain_name;  /* the Host header, or 127.0.0.1:PORT */
	int64_t time_ms;          /* request time, ms since the epoch */
	const sg_gw_identity *identity; /* NULL for an open method */
} sg_gw_context;

/*
 * The Lambda proxy event for `req` routed as `route` (which has a method):
 * REST APIs payload 1.0, HTTP APIs payload 2.0, every member as API Gateway
 * fills it (1.0: resource, path, httpMethod, headers and multiValueHeaders,
 * query string parameters and their multi-value form, pathParameters,
 * stageVariables, requestContext with identity and authorizer claims, body,
 * isBase64Encoded; 2.0: version, routeKey, rawPath, rawQueryString,
 * cookies, lower-cased headers joined by ",", queryStringParameters joined
 * by ",", requestContext.http and authorizer.jwt/iam).  Bodies that are not
 * text (2.0: by Content-Type; 1.0 has no binary media types here) are
 * base64-encoded with isBase64Encoded true.  Returns the JSON text.
 */
char *sg_gw_event(sg_arena *arena, const sg_plan *plan, const sg_gw_request *req,
		  const sg_gw_route *route, const sg_gw_context *ctx, size_t *len);

/*
 * The HTTP answer for the function's result `payload` (`len` bytes of JSON):
 * 1.0: {statusCode, headers, multiValueHeaders, body, isBase64Encoded}
 * (anything else is BAD_RESPONSE: 502); 2.0: the same with cookies, and a
 * JSON value without statusCode is a 200 application/json answer whose body
 * is that JSON.  Returns 0, or -1 when the payload is not a valid answer
 * (`*out` then holds the gateway's error).
 */
int sg_gw_lambda_response(sg_gw_response *out, sg_arena *arena, const sg_plan *plan,
			  const char *payload, size_t len, const char *request_id);

/*
 * CORS as the generated API answers it.  REST: the preflight mock method's
 * answer (204 with Allow-Methods of the resource, Allow-Headers, Max-Age,
 * Allow-Credentials, and Allow-Origin: the one origin, or with several the
 * request's Origin when it is one of them, plus Vary: Origin).  HTTP APIs:
 * API Gateway's own preflight answer (204; CORS headers only when Origin is
 * allowed), and sg_gw_cors_decorate adds Access-Control-Allow-Origin (and
 * -Credentials) to every answer for an allowed Origin, dropping the
 * function's own CORS headers (API Gateway ignores them).
 */
void sg_gw_preflight(sg_gw_response *out, sg_arena *arena, const sg_plan *plan,
		     const sg_gw_request *req, const sg_gw_route *route);
void sg_gw_cors_decorate(sg_gw_response *r, sg_arena *arena, const sg_plan *plan,
			 const sg_gw_request *req);

/*
 * The REST API's gateway responses (the plan's DEFAULT_4XX and DEFAULT_5XX,
 * present with CORS) on `r`, an answer API Gateway made itself (an
 * sg_gw_error_response): the plan's response parameters
 * "gatewayresponse.header.<Name>" become headers, their values a quoted
 * literal ('https://a.example') or "method.request.header.<Name>", the
 * request's header (left out when the request has none), as API Gateway
 * maps them (API Gateway developer guide, "Gateway responses").  Nothing
 * for HTTP APIs, whose CORS configuration covers every answer
 * (sg_gw_cors_decorate), or without gateway responses.
 */
void sg_gw_gateway_response(sg_gw_response *r, sg_arena *arena, const sg_plan *plan,
			    const sg_gw_request *req);

/* The first request header named `name` (case-insensitive), or NULL. */
const char *sg_gw_request_header(const sg_gw_request *req, const char *name);

#endif
