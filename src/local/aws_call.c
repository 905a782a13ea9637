/*
 * aws_call.c - svcgen local's own calls to the AWS endpoint, over libcurl
 * with its SigV4 signer (CURLOPT_AWS_SIGV4): as the endpoint's
 * administrator (creating resources, forwarding what the proxy allowed),
 * or as a function through the proxy (the stream poller reads streams with
 * the function's role, as Lambda's event source mappings do).  None of
 * these requests has a query string, which libcurl 7.88 would canonicalize
 * wrongly (curl issue 9717).  Handles are pooled so connections are reused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "local_int.h"

#define POOL 16
static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static CURL *pool[POOL];
static size_t pool_n;

static CURL *handle_get(void)
{
	pthread_mutex_lock(&pool_mu);
	CURL *h = pool_n ? pool[--pool_n] : NULL;
	pthread_mutex_unlock(&pool_mu);
	if (h)
		curl_easy_reset(h);
	else
		h = curl_easy_init();
	return h;
}

static void handle_put(CURL *h)
{
	pthread_mutex_lock(&pool_mu);
	if (pool_n < POOL) {
		pool[pool_n++] = h;
		h = NULL;
	}
	pthread_mutex_unlock(&pool_mu);
	if (h)
		curl_easy_cleanup(h);
}

/* Called once at the end of a run (local.c). */
void local_aws_cleanup(void);
void local_aws_cleanup(void)
{
	pthread_mutex_lock(&pool_mu);
	for (size_t i = 0; i < pool_n; i++)
		curl_easy_cleanup(pool[i]);
	pool_n = 0;
	pthread_mutex_unlock(&pool_mu);
}

void local_reply_free(local_reply *r)
{
	free(r->body);
	r->body = NULL;
	r->len = 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
	sg_buf *b = ud;
	sg_buf_put(b, data, size * n);
	return size * n;
}

typedef struct hdr_sink {
	sg_arena *arena;
	sg_gw_response *resp;
} hdr_sink;

/* Response headers worth handing back to the function's SDK. */
static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
	hdr_sink *s = ud;
	size_t len = size * n;
	if (len >= 5 && !memcmp(data, "HTTP/", 5)) {
		s->resp->header_count = 0; /* a new status line (100 Continue) */
		return len;
	}
	const char *colon = memchr(data, ':', len);
	if (!colon)
		return len;
	char name[128];
	size_t nl = (size_t)(colon - data);
	if (nl >= sizeof(name))
		return len;
	memcpy(name, data, nl);
	name[nl] = '\0';
	static const char *const keep[] = {"Content-Type", "x-amzn-RequestId", "x-amz-crc32",
					   "x-amzn-ErrorType", "x-amz-id-2", NULL};
	for (size_t i = 0; keep[i]; i++) {
		if (strcasecmp(name, keep[i]))
			continue;
		const char *v = colon + 1, *end = data + len;
		while (v < end && *v == ' ')
			v++;
		while (end > v && (end[-1] == '\r' || end[-1] == '\n'))
			end--;
		sg_gw_header(s->resp, s->arena, keep[i], sg_arena_strndup(s->arena, v,
									  (size_t)(end - v)));
	}
	return len;
}

static int perform(const char *url, const char *region, const char *service, const char *key,
		   const char *secret, const char *token, struct curl_slist *hdrs, const char *body,
		   size_t body_len, long *status, sg_buf *out, hdr_sink *sink, char *err,
		   size_t err_len)
{
	CURL *h = handle_get();
	if (!h) {
		snprintf(err, err_len, "libcurl: out of memory");
		return -1;
	}
	char sig[160], userpwd[256];
	snprintf(sig, sizeof(sig), "aws:amz:%s:%s", region, service);
	snprintf(userpwd, sizeof(userpwd), "%s:%s", key, secret);
	struct curl_slist *all = hdrs, *tmp;
	char tokhdr[256];
	if (token && *token) {
		snprintf(tokhdr, sizeof(tokhdr), "X-Amz-Security-Token: %s", token);
		tmp = curl_slist_append(all, tokhdr);
		all = tmp ? tmp : all;
	}
	tmp = curl_slist_append(all, "Expect:");
	all = tmp ? tmp : all;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sig);
	curl_easy_setopt(h, CURLOPT_USERPWD, userpwd);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, all);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	if (sink) {
		curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(h, CURLOPT_HEADERDATA, sink);
	}
	CURLcode cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(all);
	if (cc != CURLE_OK) {
		snprintf(err, err_len, "%s: %s", url, curl_easy_strerror(cc));
		curl_easy_cleanup(h);
		return -1;
	}
	handle_put(h);
	return 0;
}

static int call(local_ctx *ctx, const local_fn *as, const char *service, const char *ctype,
		const char *target, const char *body, local_reply *out)
{
	memset(out, 0, sizeof(*out));
	struct curl_slist *hdrs = NULL, *tmp;
	char h1[160], h2[200];
	snprintf(h1, sizeof(h1), "Content-Type: %s", ctype);
	tmp = curl_slist_append(hdrs, h1);
	hdrs = tmp ? tmp : hdrs;
	if (target) {
		snprintf(h2, sizeof(h2), "X-Amz-Target: %s", target);
		tmp = curl_slist_append(hdrs, h2);
		hdrs = tmp ? tmp : hdrs;
	}
	sg_buf b = SG_BUF_INIT;
	const char *url = as ? ctx->proxy_url : ctx->aws_endpoint;
	int rc = perform(url, ctx->region, service, as ? as->access_key : ctx->admin_key,
			 as ? as->secret_key : ctx->admin_secret, as ? as->session_token : NULL,
			 hdrs, body, strlen(body), &out->status, &b, NULL, out->error,
			 sizeof(out->error));
	if (!b.ptr)
		sg_buf_puts(&b, "");
	out->body = b.ptr;
	out->len = b.len;
	return rc;
}

int local_aws_json(local_ctx *ctx, const local_fn *as, const char *service, const char *target,
		   const char *body, local_reply *out)
{
	/* Cognito speaks JSON 1.1; DynamoDB and its streams 1.0. */
	bool v11 = target && !strncmp(target, "AWSCognito", 10);
	return call(ctx, as, service, v11 ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0",
		    target, body, out);
}

int local_aws_query(local_ctx *ctx, const char *service, const char *body, local_reply *out)
{
	return call(ctx, NULL, service, "application/x-www-form-urlencoded; charset=utf-8", NULL,
		    body, out);
}

int local_aws_forward(local_ctx *ctx, const char *service, const sg_gw_request *req,
		      sg_arena *arena, sg_gw_response *resp)
{
	struct curl_slist *hdrs = NULL, *tmp;
	static const char *const pass[] = {"Content-Type", "X-Amz-Target", "Accept-Encoding",
					   "X-Amzn-Trace-Id", NULL};
	for (size_t i = 0; pass[i]; i++) {
		const char *v = sg_gw_request_header(req, pass[i]);
		if (!v)
			continue;
		char line[1024];
		snprintf(line, sizeof(line), "%s: %s", pass[i], v);
		tmp = curl_slist_append(hdrs, line);
		hdrs = tmp ? tmp : hdrs;
	}
	const char *url = ctx->aws_endpoint;
	if (req->path && strcmp(req->path, "/") && *req->path)
		url = sg_arena_printf(arena, "%s%s", ctx->aws_endpoint, req->path);
	sg_buf b = SG_BUF_INIT;
	hdr_sink sink = {arena, resp};
	char err[256];
	long status = 0;
	int rc = perform(url, ctx->region, service, ctx->admin_key, ctx->admin_secret, NULL, hdrs,
			 req->body ? req->body : "", req->body ? req->body_len : 0, &status, &b,
			 &sink, err, sizeof(err));
	if (rc < 0) {
		sg_buf_free(&b);
		local_log("proxy: the AWS endpoint did not answer: %s", err);
		return -1;
	}
	resp->status = (int)status;
	resp->body = sg_buf_to_arena(&b, arena, &resp->body_len);
	if (!resp->body) {
		resp->body = "";
		resp->body_len = 0;
	}
	return 0;
}
