/*
 * gateway_event.c - the Lambda proxy event API Gateway builds for a routed
 * request: payload format 1.0 for REST APIs, 2.0 for HTTP APIs (members
 * and sources in include/svcgen/gateway.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "local_int.h"
#include "svcgen/gateway.h"

/* "02/Dec/2026:07:22:53 +0000": $context.requestTime's format. */
static void request_time(char out[32], int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	snprintf(out, 32, "%02d/%s/%04d:%02d:%02d:%02d +0000", tm.tm_mday, mon[tm.tm_mon],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char *pct_decode(sg_arena *a, const char *s, size_t len)
{
	char *out = sg_arena_alloc(a, len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			out[o++] = (char)(hexval((unsigned char)s[i + 1]) * 16 +
					  hexval((unsigned char)s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* A string member that survives JSON: invalid UTF-8 becomes U+FFFD. */
static cJSON *text(sg_arena *a, const char *s, size_t len)
{
	if (local_utf8_valid(s, len)) {
		char *c = sg_arena_strndup(a, s, len);
		return cJSON_CreateString(c);
	}
	sg_buf b = SG_BUF_INIT;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : 0;
		for (size_t k = 4; k >= 2 && !n; k--)
			if (i + k <= len && local_utf8_valid(s + i, k))
				n = k;
		if (n && c) {
			sg_buf_put(&b, s + i, n);
			i += n - 1;
		} else {
			sg_buf_puts(&b, "\xef\xbf\xbd");
		}
	}
	cJSON *r = cJSON_CreateString(b.ptr ? b.ptr : "");
	sg_buf_free(&b);
	return r;
}

static cJSON *str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* Query parameters: `single` gets the last value of each (1.0) or all joined
 * by "," (2.0); `multi` (1.0) all values in order. */
static void query_params(sg_arena *a, const char *query, cJSON *single, cJSON *multi, bool join)
{
	for (const char *p = query; p && *p;) {
		const char *e = strchr(p, '&');
		if (!e)
			e = p + strlen(p);
		if (e > p) {
			const char *eq = memchr(p, '=', (size_t)(e - p));
			const char *kend = eq ? eq : e;
			char *k = pct_decode(a, p, (size_t)(kend - p));
			char *v = eq ? pct_decode(a, eq + 1, (size_t)(e - eq - 1)) : sg_arena_strdup(a, "");
			cJSON *old = cJSON_GetObjectItemCaseSensitive(single, k);
			if (old && join) {
				char *j = sg_arena_printf(a, "%s,%s", old->valuestring, v);
				cJSON_ReplaceItemInObjectCaseSensitive(single, k, cJSON_CreateString(j));
			} else if (old) {
				cJSON_ReplaceItemInObjectCaseSensitive(single, k, cJSON_CreateString(v));
			} else {
				cJSON_AddItemToObject(single, k, cJSON_CreateString(v));
			}
			if (multi) {
				cJSON *arr = cJSON_GetObjectItemCaseSensitive(multi, k);
				if (!arr)
					arr = cJSON_AddArrayToObject(multi, k);
				cJSON_AddItemToArray(arr, cJSON_CreateString(v));
			}
		}
		p = *e ? e + 1 : e;
	}
}

/* Claims as API Gateway hands them on: every value a string. */
static cJSON *claims_object(sg_arena *a, const char *json, bool rest)
{
	cJSON *out = cJSON_CreateObject();
	cJSON *in = json ? cJSON_Parse(json) : NULL;
	const cJSON *c;
	cJSON_ArrayForEach(c, in)
	{
		const char *v;
		if (cJSON_IsString(c)) {
			v = c->valuestring;
		} else if (cJSON_IsNumber(c)) {
			if (rest && (!strcmp(c->string, "exp") || !strcmp(c->string, "iat"))) {
				/* REST's Cognito authorizer writes these two as dates. */
				time_t t = (time_t)c->valuedouble;
				struct tm tm;
				char buf[64];
				gmtime_r(&t, &tm);
				strftime(buf, sizeof(buf), "%a %b %d %H:%M:%S UTC %Y", &tm);
				v = sg_arena_strdup(a, buf);
			} else {
				v = sg_arena_printf(a, "%.0f", c->valuedouble);
			}
		} else if (cJSON_IsBool(c)) {
			v = cJSON_IsTrue(c) ? "true" : "false";
		} else if (cJSON_IsArray(c)) {
			sg_buf b = SG_BUF_INIT;
			sg_buf_putc(&b, '[');
			const cJSON *e;
			bool first = true;
			cJSON_ArrayForEach(e, c)
			{
				if (!first)
					sg_buf_putc(&b, ' ');
				first = false;
				if (cJSON_IsString(e)) {
					sg_buf_puts(&b, e->valuestring);
				} else {
					char *s = cJSON_PrintUnformatted(e);
					sg_buf_puts(&b, s ? s : "");
					cJSON_free(s);
				}
			}
			sg_buf_putc(&b, ']');
			v = sg_buf_to_arena(&b, a, NULL);
		} else {
			char *s = cJSON_PrintUnformatted(c);
			v = sg_arena_strdup(a, s ? s : "");
			cJSON_free(s);
		}
		cJSON_AddStringToObject(out, c->string, v);
	}
	cJSON_Delete(in);
	return out;
}

/* Is a body of this Content-Type text for HTTP APIs (else base64)? */
static bool text_content_type(const char *ct)
{
	if (!ct)
		return false;
	char t[128];
	size_t n = strcspn(ct, ";");
	if (n >= sizeof(t))
		return false;
	for (size_t i = 0; i < n; i++)
		t[i] = (char)(ct[i] >= 'A' && ct[i] <= 'Z' ? ct[i] + 32 : ct[i]);
	while (n && t[n - 1] == ' ')
		n--;
	t[n] = '\0';
	const char *slash = strchr(t, '/');
	if (!slash)
		return false;
	size_t tl = strlen(t);
	return !strncmp(t, "text/", 5) || !strcmp(slash, "/json") || !strcmp(slash, "/xml") ||
	       !strcmp(slash, "/javascript") || (tl > 5 && !strcmp(t + tl - 5, "+json")) ||
	       (tl > 4 && !strcmp(t + tl - 4, "+xml"));
}

static void add_body(cJSON *ev, sg_arena *a, const sg_gw_request *req, bool v2)
{
	if (!req->body_len) {
		if (!v2)
			cJSON_AddNullToObject(ev, "body");
		cJSON_AddBoolToObject(ev, "isBase64Encoded", false);
		return;
	}
	bool b64 = v2 ? !text_content_type(sg_gw_request_header(req, "Content-Type")) ||
			       !local_utf8_valid(req->body, req->body_len)
		      : false;
	if (b64)
		cJSON_AddStringToObject(ev, "body", local_base64(a, req->body, req->body_len));
	else
		cJSON_AddItemToObject(ev, "body", text(a, req->body, req->body_len));
	cJSON_AddBoolToObject(ev, "isBase64Encoded", b64);
}

static const char *domain_prefix(sg_arena *a, const char *domain)
{
	size_t n = strcspn(domain, ".:");
	return sg_arena_strndup(a, domain, n);
}

static cJSON *event_v1(sg_arena *a, const sg_plan *plan, const sg_gw_request *req,
		       const sg_gw_route *route, const sg_gw_context *ctx)
{
	cJSON *ev = cJSON_CreateObject();
	const sg_plan_method *m = route->method;
	cJSON_AddStringToObject(ev, "resource", m->node->path);
	char *path = pct_decode(a, route->resource_path, strlen(route->resource_path));
	cJSON_AddStringToObject(ev, "path", path);
	cJSON_AddStringToObject(ev, "httpMethod", req->method);

	cJSON *headers = cJSON_CreateObject(), *mheaders = cJSON_CreateObject();
	for (size_t i = 0; i < req->header_count; i++) {
		const sg_sigv4_header *h = &req->headers[i];
		/* Names keep the first spelling seen; values: last wins (headers),
		 * all in order (multiValueHeaders). */
		cJSON *arr = NULL;
		const cJSON *e;
		cJSON_ArrayForEach(e, mheaders) if (!strcasecmp(e->string, h->name)) arr = (cJSON *)e;
		const char *key = arr ? arr->string : h->name;
		if (!arr)
			arr = cJSON_AddArrayToObject(mheaders, key);
		cJSON_AddItemToArray(arr, cJSON_CreateString(h->value));
		cJSON_DeleteItemFromObjectCaseSensitive(headers, key);
		cJSON_AddStringToObject(headers, key, h->value);
	}
	if (req->header_count) {
		cJSON_AddItemToObject(ev, "headers", headers);
		cJSON_AddItemToObject(ev, "multiValueHeaders", mheaders);
	} else {
		cJSON_Delete(headers);
		cJSON_Delete(mheaders);
		cJSON_AddNullToObject(ev, "headers");
		cJSON_AddNullToObject(ev, "multiValueHeaders");
	}

	cJSON *q = cJSON_CreateObject(), *mq = cJSON_CreateObject();
	query_params(a, req->query, q, mq, false);
	if (q->child) {
		cJSON_AddItemToObject(ev, "queryStringParameters", q);
		cJSON_AddItemToObject(ev, "multiValueQueryStringParameters", mq);
	} else {
		cJSON_Delete(q);
		cJSON_Delete(mq);
		cJSON_AddNullToObject(ev, "queryStringParameters");
		cJSON_AddNullToObject(ev, "multiValueQueryStringParameters");
	}
	if (route->param_count) {
		cJSON *pp = cJSON_AddObjectToObject(ev, "pathParameters");
		for (size_t i = 0; i < route->param_count; i++)
			cJSON_AddStringToObject(pp, route->params[i].key, route->params[i].value);
	} else {
		cJSON_AddNullToObject(ev, "pathParameters");
	}
	cJSON_AddNullToObject(ev, "stageVariables");

	char rt[32];
	request_time(rt, ctx->time_ms);
	cJSON *rc = cJSON_AddObjectToObject(ev, "requestContext");
	cJSON_AddStringToObject(rc, "resourceId", sg_arena_printf(a, "%06llx",
				(unsigned long long)(sg_plan_fnv1a64(SG_PLAN_FNV64_INIT, m->node->path,
								     strlen(m->node->path)) & 0xffffff)));
	cJSON_AddStringToObject(rc, "resourcePath", m->node->path);
	cJSON_AddStringToObject(rc, "httpMethod", req->method);
	cJSON_AddStringToObject(rc, "extendedRequestId", ctx->request_id);
	cJSON_AddStringToObject(rc, "requestTime", rt);
	cJSON_AddStringToObject(rc, "path", pct_decode(a, req->path, strlen(req->path)));
	cJSON_AddStringToObject(rc, "accountId", ctx->account_id);
	cJSON_AddStringToObject(rc, "protocol", req->protocol ? req->protocol : "HTTP/1.1");
	cJSON_AddStringToObject(rc, "stage", plan->stage);
	cJSON_AddStringToObject(rc, "domainPrefix", domain_prefix(a, ctx->domain_name));
	cJSON_AddNumberToObject(rc, "requestTimeEpoch", (double)ctx->time_ms);
	cJSON_AddStringToObject(rc, "requestId", ctx->request_id);
	cJSON *id = cJSON_AddObjectToObject(rc, "identity");
	const sg_gw_identity *who = ctx->identity;
	bool iam = who && who->access_key;
	cJSON_AddNullToObject(id, "cognitoIdentityPoolId");
	cJSON_AddItemToObject(id, "accountId", str_or_null(iam ? who->account_id : NULL));
	cJSON_AddNullToObject(id, "cognitoIdentityId");
	cJSON_AddItemToObject(id, "caller", str_or_null(iam ? who->caller : NULL));
	cJSON_AddStringToObject(id, "sourceIp", req->source_ip ? req->source_ip : "127.0.0.1");
	cJSON_AddNullToObject(id, "principalOrgId");
	cJSON_AddItemToObject(id, "accessKey", str_or_null(iam ? who->access_key : NULL));
	cJSON_AddNullToObject(id, "cognitoAuthenticationType");
	cJSON_AddNullToObject(id, "cognitoAuthenticationProvider");
	cJSON_AddItemToObject(id, "userArn", str_or_null(iam ? who->user_arn : NULL));
	cJSON_AddItemToObject(id, "userAgent", str_or_null(sg_gw_request_header(req, "User-Agent")));
	cJSON_AddItemToObject(id, "user", str_or_null(iam ? who->caller : NULL));
	cJSON_AddStringToObject(rc, "domainName", ctx->domain_name);
	cJSON_AddStringToObject(rc, "apiId", ctx->api_id);
	if (who && who->claims_json) {
		cJSON *au = cJSON_AddObjectToObject(rc, "authorizer");
		cJSON_AddItemToObject(au, "claims", claims_object(a, who->claims_json, true));
	}
	add_body(ev, a, req, false);
	return ev;
}

static cJSON *event_v2(sg_arena *a, const sg_gw_request *req, const sg_gw_route *route,
		       const sg_gw_context *ctx)
{
	cJSON *ev = cJSON_CreateObject();
	const sg_plan_method *m = route->method;
	cJSON_AddStringToObject(ev, "version", "2.0");
	cJSON_AddStringToObject(ev, "routeKey", m->route_key);
	cJSON_AddStringToObject(ev, "rawPath", route->resource_path);
	cJSON_AddStringToObject(ev, "rawQueryString", req->query ? req->query : "");

	cJSON *headers = cJSON_CreateObject();
	cJSON *cookies = cJSON_CreateArray();
	for (size_t i = 0; i < req->header_count; i++) {
		const sg_sigv4_header *h = &req->headers[i];
		if (!strcasecmp(h->name, "Cookie")) {
			for (const char *p = h->value; *p;) {
				while (*p == ' ' || *p == ';')
					p++;
				const char *e = strchr(p, ';');
				if (!e)
					e = p + strlen(p);
				size_t l = (size_t)(e - p);
				while (l && p[l - 1] == ' ')
					l--;
				if (l)
					cJSON_AddItemToArray(cookies, text(a, p, l));
				p = e;
			}
			continue;
		}
		char *lower = sg_arena_strdup(a, h->name);
		for (char *c = lower; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c + 32);
		cJSON *old = cJSON_GetObjectItemCaseSensitive(headers, lower);
		if (old)
			cJSON_ReplaceItemInObjectCaseSensitive(headers, lower, cJSON_CreateString(
				sg_arena_printf(a, "%s,%s", old->valuestring, h->value)));
		else
			cJSON_AddStringToObject(headers, lower, h->value);
	}
	if (cookies->child)
		cJSON_AddItemToObject(ev, "cookies", cookies);
	else
		cJSON_Delete(cookies);
	cJSON_AddItemToObject(ev, "headers", headers);
	cJSON *q = cJSON_CreateObject();
	query_params(a, req->query, q, NULL, true);
	if (q->child)
		cJSON_AddItemToObject(ev, "queryStringParameters", q);
	else
		cJSON_Delete(q);

	char rt[32];
	request_time(rt, ctx->time_ms);
	cJSON *rc = cJSON_AddObjectToObject(ev, "requestContext");
	cJSON_AddStringToObject(rc, "accountId", ctx->account_id);
	cJSON_AddStringToObject(rc, "apiId", ctx->api_id);
	const sg_gw_identity *who = ctx->identity;
	if (who && who->claims_json) {
		cJSON *au = cJSON_AddObjectToObject(rc, "authorizer");
		cJSON *jwt = cJSON_AddObjectToObject(au, "jwt");
		cJSON_AddItemToObject(jwt, "claims", claims_object(a, who->claims_json, false));
		if (who->has_scope_claim) {
			cJSON *sc = cJSON_AddArrayToObject(jwt, "scopes");
			for (size_t i = 0; i < who->scope_count; i++)
				cJSON_AddItemToArray(sc, cJSON_CreateString(who->scopes[i]));
		} else {
			cJSON_AddNullToObject(jwt, "scopes");
		}
	} else if (who && who->access_key) {
		cJSON *au = cJSON_AddObjectToObject(rc, "authorizer");
		cJSON *iam = cJSON_AddObjectToObject(au, "iam");
		cJSON_AddStringToObject(iam, "accessKey", who->access_key);
		cJSON_AddStringToObject(iam, "accountId", who->account_id);
		cJSON_AddStringToObject(iam, "callerId", who->caller);
		cJSON_AddNullToObject(iam, "cognitoIdentity");
		cJSON_AddNullToObject(iam, "principalOrgId");
		cJSON_AddStringToObject(iam, "userArn", who->user_arn);
		cJSON_AddStringToObject(iam, "userId", who->caller);
	}
	cJSON_AddStringToObject(rc, "domainName", ctx->domain_name);
	cJSON_AddStringToObject(rc, "domainPrefix", domain_prefix(a, ctx->domain_name));
	cJSON *http = cJSON_AddObjectToObject(rc, "http");
	cJSON_AddStringToObject(http, "method", req->method);
	cJSON_AddStringToObject(http, "path", route->resource_path);
	cJSON_AddStringToObject(http, "protocol", req->protocol ? req->protocol : "HTTP/1.1");
	cJSON_AddStringToObject(http, "sourceIp", req->source_ip ? req->source_ip : "127.0.0.1");
	const char *ua = sg_gw_request_header(req, "User-Agent");
	cJSON_AddStringToObject(http, "userAgent", ua ? ua : "");
	cJSON_AddStringToObject(rc, "requestId", ctx->request_id);
	cJSON_AddStringToObject(rc, "routeKey", m->route_key);
	cJSON_AddStringToObject(rc, "stage", "$default");
	cJSON_AddStringToObject(rc, "time", rt);
	cJSON_AddNumberToObject(rc, "timeEpoch", (double)ctx->time_ms);
	if (req->body_len)
		add_body(ev, a, req, true);
	else
		cJSON_AddBoolToObject(ev, "isBase64Encoded", false);
	if (route->param_count) {
		cJSON *pp = cJSON_AddObjectToObject(ev, "pathParameters");
		for (size_t i = 0; i < route->param_count; i++)
			cJSON_AddStringToObject(pp, route->params[i].key, route->params[i].value);
	}
	return ev;
}

char *sg_gw_event(sg_arena *arena, const sg_plan *plan, const sg_gw_request *req,
		  const sg_gw_route *route, const sg_gw_context *ctx, size_t *len)
{
	cJSON *ev = plan->api.type == SG_API_HTTP ? event_v2(arena, req, route, ctx)
						  : event_v1(arena, plan, req, route, ctx);
	char *s = cJSON_PrintUnformatted(ev);
	cJSON_Delete(ev);
	char *out = sg_arena_strdup(arena, s ? s : "{}");
	cJSON_free(s);
	if (len)
		*len = strlen(out);
	return out;
}
