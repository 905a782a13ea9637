/*
 * front.c - the API front: what API Gateway does with a request before and
 * after the function, in its order: payload limit, the stage's throttle,
 * routing (a REST API's stage prefix, resources and methods; an HTTP API's
 * routes), CORS preflights, the method's authorizer (Cognito/JWT, IAM
 * SigV4, none), the proxy event, the invocation within the integration
 * timeout (REST 29 s, HTTP APIs 30 s), and the answer (the function's, or
 * API Gateway's own: 502/500 for a function error or a malformed answer,
 * 504/503 past the integration timeout).  gateway_*.c and jwt_auth.c hold
 * the rules; this file wires them to a server and a function.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "local_int.h"
#include "svcgen/jwt_auth.h"
#include "svcgen/sigv4.h"

/* The stage's throttle: a token bucket of `burst` refilled at `rate`/s. */
static bool throttle_take(local_ctx *ctx)
{
	const sg_plan_api *api = &ctx->plan->api;
	if (!api->throttle_set)
		return true;
	double rate = api->throttle_rate >= 0 ? (double)api->throttle_rate : 1e9;
	double burst = api->throttle_burst >= 0 ? (double)api->throttle_burst : rate;
	pthread_mutex_lock(&ctx->throttle_mu);
	int64_t now = local_mono_ms();
	ctx->tokens += (double)(now - ctx->tokens_at_ms) / 1000.0 * rate;
	if (ctx->tokens > burst)
		ctx->tokens = burst;
	ctx->tokens_at_ms = now;
	bool ok = ctx->tokens >= 1.0;
	if (ok)
		ctx->tokens -= 1.0;
	pthread_mutex_unlock(&ctx->throttle_mu);
	return ok;
}

static local_fn *fn_of(local_ctx *ctx, const sg_plan_function *pf)
{
	for (size_t i = 0; i < ctx->fn_count; i++)
		if (ctx->fns[i].plan == pf)
			return &ctx->fns[i];
	return NULL;
}

/* The method's authorizer; 0 when the caller may go on (identity filled). */
static int authorize(local_ctx *ctx, sg_arena *a, const sg_gw_request *req,
		     const sg_plan_method *m, sg_gw_identity *who, sg_gw_error *err,
		     const char **why)
{
	memset(who, 0, sizeof(*who));
	bool http = ctx->plan->api.type == SG_API_HTTP;
	if (m->auth == SG_AUTH_COGNITO) {
		if (!ctx->jwt) {
			*err = SG_GW_UNAUTHORIZED;
			*why = "no user pool keys";
			return -1;
		}
		sg_jwt_claims c;
		sg_jwt_status st = sg_jwt_check(&c, a, ctx->jwt, http ? SG_JWT_HTTP : SG_JWT_REST_COGNITO,
						sg_gw_request_header(req, "Authorization"), m->scopes,
						m->scope_count, time(NULL));
		if (st != SG_JWT_OK) {
			*why = sg_jwt_status_text(st);
			*err = st == SG_JWT_EXPIRED ? SG_GW_EXPIRED_TOKEN
			       : st == SG_JWT_SCOPE && http ? SG_GW_FORBIDDEN
							    : SG_GW_UNAUTHORIZED;
			return -1;
		}
		who->claims_json = c.claims_json;
		who->scopes = c.scopes;
		who->scope_count = c.scope_count;
		who->has_scope_claim = c.has_scope_claim;
		return 0;
	}
	if (m->auth == SG_AUTH_IAM) {
		sg_sigv4_request sr = {req->method, req->path, req->query, req->headers,
				       req->header_count, req->body, req->body_len};
		sg_sigv4_auth auth;
		sg_sigv4_status st = sg_sigv4_parse(&auth, &sr, why);
		if (st == SG_SIGV4_MISSING) {
			*err = SG_GW_IAM_MISSING;
			return -1;
		}
		if (st != SG_SIGV4_OK) {
			*err = SG_GW_IAM_SIGNATURE;
			return -1;
		}
		if (!sg_sigv4_equal(auth.access_key, ctx->admin_key)) {
			*err = SG_GW_IAM_BAD_KEY;
			*why = "the key is not the local administrator's (local.json)";
			return -1;
		}
		if (strcmp(auth.service, "execute-api") || strcmp(auth.region, ctx->region)) {
			*err = SG_GW_IAM_SIGNATURE;
			*why = sg_arena_printf(a, "signed for %s in %s, not execute-api in %s",
					       auth.service, auth.region, ctx->region);
			return -1;
		}
		st = sg_sigv4_verify(&auth, &sr, ctx->admin_secret, time(NULL), why);
		if (st != SG_SIGV4_OK) {
			*err = st == SG_SIGV4_EXPIRED ? SG_GW_IAM_EXPIRED : SG_GW_IAM_SIGNATURE;
			return -1;
		}
		who->access_key = ctx->admin_key;
		who->account_id = ctx->account;
		who->caller = "AIDASVCGENLOCALADMIN";
		who->user_arn = sg_arena_printf(a, "arn:%s:iam::%s:user/svcgen-local", ctx->partition,
						ctx->account);
		return 0;
	}
	return 0;
}

static void front_handler(void *ud, sg_arena *a, const sg_gw_request *req, sg_gw_response *resp)
{
	local_ctx *ctx = ud;
	const sg_plan *plan = ctx->plan;
	bool http = plan->api.type == SG_API_HTTP;
	int64_t t0 = local_mono_ms();
	char request_id[37];
	local_uuid(request_id);
	const char *note = "";
	sg_gw_route route;
	memset(&route, 0, sizeof(route));
	bool own = false; /* API Gateway's own answer, not the function's */

	if (req->body_len == SIZE_MAX) {
		own = true;
		sg_gw_error_response(resp, a, plan, SG_GW_TOO_LARGE, request_id);
		goto done;
	}
	if (!throttle_take(ctx)) {
		own = true;
		sg_gw_error_response(resp, a, plan, SG_GW_API_THROTTLED, request_id);
		goto done;
	}
	sg_gw_route_request(&route, a, plan, req);
	if (!route.stage_ok) {
		/* No stage, no deployment: its gateway responses do not apply. */
		sg_gw_error_response(resp, a, plan, SG_GW_WRONG_STAGE, request_id);
		note = sg_arena_printf(a, " (REST APIs are served under /%s)", plan->stage);
		goto done;
	}
	if (route.preflight) {
		sg_gw_preflight(resp, a, plan, req, &route);
		note = " (CORS preflight)";
		goto done;
	}
	if (!route.method) {
		own = true;
		sg_gw_error_response(resp, a, plan, SG_GW_NOT_FOUND, request_id);
		note = route.node ? " (no such method on the resource)" : " (no such route)";
		goto done;
	}
	sg_gw_identity who;
	sg_gw_error err;
	const char *why = "";
	if (authorize(ctx, a, req, route.method, &who, &err, &why) < 0) {
		own = true;
		sg_gw_error_response(resp, a, plan, err, request_id);
		note = sg_arena_printf(a, " (%s authorizer: %s)", sg_auth_name(route.method->auth), why);
		goto done;
	}
	char host[300];
	const char *h = sg_gw_request_header(req, "Host");
	snprintf(host, sizeof(host), "%s", h ? h : "127.0.0.1");
	sg_gw_context gc = {request_id, ctx->api_id, ctx->account, host, local_now_ms(),
			    route.method->auth == SG_AUTH_NONE ? NULL : &who};
	size_t ev_len;
	char *ev = sg_gw_event(a, plan, req, &route, &gc, &ev_len);
	local_fn *fn = fn_of(ctx, route.method->function);
	local_result res;
	local_fn_invoke(fn, ev, ev_len, http ? LOCAL_HTTP_INTEGRATION_MS : LOCAL_REST_INTEGRATION_MS,
			&res);
	switch (res.outcome) {
	case LOCAL_OUT_OK:
		if (sg_gw_lambda_response(resp, a, plan, res.payload, res.len, request_id) < 0) {
			own = true;
			note = " (the function's answer is not a valid proxy response)";
		}
		break;
	case LOCAL_OUT_WAIT_TIMEOUT:
		own = true;
		sg_gw_error_response(resp, a, plan, SG_GW_TIMEOUT, request_id);
		note = " (integration timeout)";
		break;
	case LOCAL_OUT_THROTTLED:
		own = true;
		sg_gw_error_response(resp, a, plan, SG_GW_THROTTLED, request_id);
		note = " (function throttled)";
		break;
	default:
		own = true;
		sg_gw_error_response(resp, a, plan, SG_GW_FUNCTION_ERROR, request_id);
		note = sg_arena_printf(a, " (function error: %.200s)", res.payload ? res.payload : "");
		break;
	}
	local_result_free(&res);
done:
	/* API Gateway's CORS headers on every answer but its own preflight's;
	 * a REST API's on its own errors, through its gateway responses. */
	if (http && !route.preflight)
		sg_gw_cors_decorate(resp, a, plan, req);
	if (!http && own)
		sg_gw_gateway_response(resp, a, plan, req);
	if (!sg_gw_response_header(resp, http ? "apigw-requestid" : "x-amzn-RequestId"))
		sg_gw_header(resp, a, http ? "apigw-requestid" : "x-amzn-RequestId", request_id);
	local_log("[api] %s %s%s%s -> %d%s (%lld ms)", req->method, req->path, *req->query ? "?" : "",
		  req->query, resp->status, note, (long long)(local_mono_ms() - t0));
}

int local_front_start(local_ctx *ctx, char *err, size_t err_len)
{
	pthread_mutex_init(&ctx->throttle_mu, NULL);
	const sg_plan_api *api = &ctx->plan->api;
	ctx->tokens = api->throttle_burst > 0 ? (double)api->throttle_burst : 1e9;
	ctx->tokens_at_ms = local_mono_ms();
	if (local_http_start(&ctx->front, ctx->opts->host, ctx->opts->port, LOCAL_MAX_API_BODY,
			     front_handler, ctx, err, err_len) < 0)
		return -1;
	ctx->front_port = local_http_port(ctx->front);
	return 0;
}
