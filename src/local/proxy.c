/*
 * proxy.c - the least-privilege proxy: the AWS endpoint every function is
 * given (AWS_ENDPOINT_URL), which lets a call reach the data only when the
 * function's own policy allows every permission it needs.
 *
 * For each request, in AWS's order (IAM User Guide, "Policy evaluation
 * logic"; the services' error references for the answers):
 *   1. authenticate: a SigV4 signature (sigv4.c) with one of the functions'
 *      access keys and its session token, verified against that
 *      function's secret; else UnrecognizedClientException /
 *      InvalidSignatureException / MissingAuthenticationTokenException
 *      (SNS: InvalidClientTokenId, SignatureDoesNotMatch,
 *      MissingAuthenticationToken, HTTP 403, XML);
 *   2. work out every (action, resource) the request needs (aws_authz.c);
 *      a request it does not understand is denied;
 *   3. evaluate the function's policy (iam_eval.c) for each: all must be
 *      allowed.  A denial answers as the service does: DynamoDB 400
 *      AccessDeniedException (JSON 1.0), SNS 403 AuthorizationError (XML),
 *      with AWS's message naming the role session, the action and the
 *      resource; svcgen logs the function, the action, the resource and the
 *      `uses` entry that would grant it (uses.c).  With --iam soft the
 *      denial is logged and the call goes on;
 *   4. forward to the endpoint, signed again as its administrator, and hand
 *      back its answer unchanged.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "local_int.h"
#include "svcgen/aws_authz.h"
#include "svcgen/sigv4.h"

local_fn *local_fn_by_key(local_ctx *ctx, const char *key)
{
	for (size_t i = 0; i < ctx->fn_count; i++)
		if (sg_sigv4_equal(ctx->fns[i].access_key, key))
			return &ctx->fns[i];
	return NULL;
}

static void xml_escape(sg_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': sg_buf_puts(b, "&lt;"); break;
		case '>': sg_buf_puts(b, "&gt;"); break;
		case '&': sg_buf_puts(b, "&amp;"); break;
		case '"': sg_buf_puts(b, "&quot;"); break;
		case '\'': sg_buf_puts(b, "&apos;"); break;
		default: sg_buf_putc(b, *s);
		}
	}
}

/* An error in the request's protocol: JSON 1.0 (DynamoDB) or Query (SNS). */
static void aws_error(sg_gw_response *resp, sg_arena *a, bool query, int json_status,
		      const char *json_type, const char *query_code, const char *message)
{
	char id[37];
	local_uuid(id);
	memset(resp, 0, sizeof(*resp));
	if (query) {
		sg_buf b = SG_BUF_INIT;
		sg_buf_puts(&b, "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n"
				"  <Error>\n    <Type>Sender</Type>\n    <Code>");
		sg_buf_puts(&b, query_code);
		sg_buf_puts(&b, "</Code>\n    <Message>");
		xml_escape(&b, message);
		sg_buf_printf(&b, "</Message>\n  </Error>\n  <RequestId>%s</RequestId>\n"
				  "</ErrorResponse>\n", id);
		resp->status = 403;
		resp->body = sg_buf_to_arena(&b, a, &resp->body_len);
		sg_gw_header(resp, a, "Content-Type", "text/xml");
	} else {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "__type",
					sg_arena_printf(a, "com.amazon.coral.service#%s", json_type));
		/* Coral spells AccessDeniedException's member "Message". */
		cJSON_AddStringToObject(o, strcmp(json_type, "AccessDeniedException") ? "message"
											 : "Message",
					message);
		char *s = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		resp->status = json_status;
		resp->body = sg_arena_strdup(a, s);
		resp->body_len = strlen(resp->body);
		cJSON_free(s);
		sg_gw_header(resp, a, "Content-Type", "application/x-amz-json-1.0");
	}
	sg_gw_header(resp, a, "x-amzn-RequestId", id);
}

static bool is_query(const sg_gw_request *req)
{
	const char *ct = sg_gw_request_header(req, "Content-Type");
	return !sg_gw_request_header(req, "X-Amz-Target") && ct &&
	       !strncasecmp(ct, "application/x-www-form-urlencoded", 33);
}

static void proxy_handler(void *ud, sg_arena *a, const sg_gw_request *req, sg_gw_response *resp)
{
	local_ctx *ctx = ud;
	bool query = is_query(req);
	if (req->body_len == SIZE_MAX) {
		aws_error(resp, a, query, 413, "RequestEntityTooLarge", "RequestEntityTooLarge",
			  "Request entity too large");
		return;
	}
	sg_sigv4_request sr = {req->method, req->path, req->query, req->headers, req->header_count,
			       req->body, req->body_len};
	sg_sigv4_auth auth;
	const char *why;
	sg_sigv4_status st = sg_sigv4_parse(&auth, &sr, &why);
	if (st == SG_SIGV4_MISSING) {
		aws_error(resp, a, query, 400, "MissingAuthenticationTokenException",
			  "MissingAuthenticationToken", "Request is missing Authentication Token");
		return;
	}
	if (st != SG_SIGV4_OK) {
		aws_error(resp, a, query, 400, "IncompleteSignatureException", "IncompleteSignature",
			  why);
		return;
	}
	local_fn *fn = local_fn_by_key(ctx, auth.access_key);
	if (!fn || !sg_sigv4_equal(auth.session_token, fn->session_token)) {
		aws_error(resp, a, query, 400, "UnrecognizedClientException", "InvalidClientTokenId",
			  "The security token included in the request is invalid.");
		local_log("[iam] refused a call signed with %s key %s", fn ? "the session token of no "
									     "function and"
									   : "no function's",
			  auth.access_key);
		return;
	}
	st = sg_sigv4_verify(&auth, &sr, fn->secret_key, time(NULL), &why);
	if (st != SG_SIGV4_OK) {
		aws_error(resp, a, query, 400, "InvalidSignatureException", "SignatureDoesNotMatch", why);
		local_log("[iam] %s: signature refused: %s", fn->name, why);
		return;
	}

	sg_aws_call call = {auth.service, sg_gw_request_header(req, "X-Amz-Target"), req->body,
			    req->body_len, ctx->partition, ctx->region, ctx->account};
	sg_aws_needs needs;
	/* The role's name as deployed here: its prefix and the region (the
	 * plan's role_name is the Fn::Sub form). */
	const char *session = sg_arena_printf(a, "arn:%s:sts::%s:assumed-role/%s-%s/%s",
					      ctx->partition, ctx->account,
					      fn->plan->role_name_prefix, ctx->region, fn->physical);
	bool soft = ctx->opts->iam == SG_LOCAL_IAM_SOFT;
	if (sg_aws_needs_of(&needs, a, &call) < 0) {
		const char *op = needs.operation ? needs.operation : "(unknown)";
		local_log("[iam] %s: %s %s.%s: %s", fn->name, soft ? "would deny" : "denied",
			  auth.service, op, needs.error);
		if (!soft) {
			aws_error(resp, a, query, 400, "AccessDeniedException", "AuthorizationError",
				  sg_arena_printf(a, "User: %s is not authorized to perform: %s:%s "
						     "because svcgen local does not authorize it (%s)",
						  session, auth.service, op, needs.error));
			return;
		}
	}
	for (size_t i = 0; i < needs.count; i++) {
		const sg_aws_need *n = &needs.items[i];
		const char *sid = NULL;
		sg_iam_decision d = sg_iam_evaluate(fn->policy, n->action, n->resource, &sid);
		local_seen_add(fn, n->action, n->resource, d == SG_IAM_ALLOW);
		if (d == SG_IAM_ALLOW)
			continue;
		const char *uses = local_uses_for(ctx, a, n->action, n->resource);
		local_log("[iam] %s: %s %s on %s; the uses entry that grants it: %s", fn->name,
			  soft ? "would deny" : "denied", n->action, n->resource, uses);
		if (soft)
			continue;
		/* SNS spells the service prefix in capitals in its message. */
		const char *act = n->action;
		if (query && !strncmp(act, "sns:", 4))
			act = sg_arena_printf(a, "SNS:%s", act + 4);
		const char *msg = sg_arena_printf(
			a, "User: %s is not authorized to perform: %s on resource: %s because %s",
			session, act, n->resource,
			d == SG_IAM_EXPLICIT_DENY
				? "of an explicit deny in an identity-based policy"
				: sg_arena_printf(a, "no identity-based policy allows the %s action", act));
		aws_error(resp, a, query, 400, "AccessDeniedException", "AuthorizationError", msg);
		return;
	}
	if (local_aws_forward(ctx, auth.service, req, a, resp) < 0)
		aws_error(resp, a, query, 500, "InternalServerError", "InternalError",
			  "the local AWS endpoint did not answer");
}

int local_proxy_start(local_ctx *ctx, char *err, size_t err_len)
{
	if (local_http_start(&ctx->proxy, "127.0.0.1", 0, 16u * 1024 * 1024, proxy_handler, ctx, err,
			     err_len) < 0)
		return -1;
	ctx->proxy_port = local_http_port(ctx->proxy);
	ctx->proxy_url = sg_arena_printf(ctx->arena, "http://127.0.0.1:%u", ctx->proxy_port);
	return 0;
}
