/*
 * lambda_aws_client.c - the AWS client: configuration from the environment, one
 * libcurl handle per client (so its connection is reused across calls and
 * invocations), signed requests, the retry loop bounded by the
 * invocation's deadline, and the JSON protocol call.  Part of svcgen's
 * handler runtime.
 *
 * Each attempt is signed anew (a retry carries a fresh X-Amz-Date) and has
 * a transfer timeout that ends before the deadline, so a slow answer never
 * keeps the function past its own timeout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "lambda_internal.h"
#include "lambda_aws.h"

/* Longest single attempt when the deadline is far or unknown. */
#define ATTEMPT_TIMEOUT_MS 30000L
#define CONNECT_TIMEOUT_MS 5000L
/* Largest answer read (BatchGetItem answers up to 16 MB). */
#define MAX_RESPONSE_BYTES (32u * 1024 * 1024)

struct lambda_aws {
	char access_key[256];
	char secret_key[256];
	char *session_token;      /* NULL when none */
	char region[72];
	int max_attempts;
	int64_t deadline_ms;      /* set by lambda_aws_set_deadline, 0: none */
	lambda_aws_retry retry;
	lambda_aws_options opts;
	const char *(*getenv_fn)(const char *, void *);
	CURL *curl;
	/* Endpoints resolved once per service. */
	struct endpoint {
		char service[32];
		char url[512];
		char host[300];   /* host[:port] as sent in Host */
	} endpoints[4];
	size_t endpoint_count;
};

/* ---- defaults of the hooks ------------------------------------------------------ */

static const char *real_getenv(const char *name, void *ud)
{
	(void)ud;
	return getenv(name);
}

static int64_t real_now_ms(void *ud)
{
	(void)ud;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void real_sleep_ms(int64_t ms, void *ud)
{
	(void)ud;
	if (ms <= 0)
		return;
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

static double real_random(void *ud)
{
	(void)ud;
	static unsigned long long state;
	if (!state) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		state = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20) ^
			0x9e3779b97f4a7c15ULL;
	}
	/* xorshift64*: jitter needs spread, not secrecy. */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (double)((state * 0x2545f4914f6cdd1dULL) >> 11) / 9007199254740992.0;
}

/* ---- configuration ----------------------------------------------------------- */

static void fail(lambda_aws_error *err, lambda_aws_error_kind kind, const char *fmt, const char *arg)
{
	if (!err)
		return;
	cJSON_Delete(err->details);
	memset(err, 0, sizeof(*err));
	err->kind = kind;
	snprintf(err->message, sizeof(err->message), fmt, arg ? arg : "");
}

static const char *env(const lambda_aws *a, const char *name)
{
	const char *v = a->getenv_fn(name, a->opts.ud);
	return v && *v ? v : NULL;
}

static bool copy(char *dst, size_t size, const char *src)
{
	if (!src || strlen(src) >= size || strpbrk(src, "\r\n"))
		return false;
	strcpy(dst, src);
	return true;
}

int lambda_aws_new(lambda_aws **out, lambda_aws_error *err, const lambda_aws_options *opts)
{
	*out = NULL;
	if (err)
		memset(err, 0, sizeof(*err));
	lambda_aws *a = calloc(1, sizeof(*a));
	if (!a) {
		fail(err, LAMBDA_AWS_NOMEM, "out of memory%s", NULL);
		return LAMBDA_EAWS;
	}
	if (opts)
		a->opts = *opts;
	a->getenv_fn = a->opts.getenv ? a->opts.getenv : real_getenv;
	if (!a->opts.now_ms)
		a->opts.now_ms = real_now_ms;
	if (!a->opts.sleep_ms)
		a->opts.sleep_ms = real_sleep_ms;
	if (!a->opts.random)
		a->opts.random = real_random;

	const char *key = env(a, "AWS_ACCESS_KEY_ID");
	const char *secret = env(a, "AWS_SECRET_ACCESS_KEY");
	const char *token = env(a, "AWS_SESSION_TOKEN");
	const char *region = env(a, "AWS_REGION");
	if (!region)
		region = env(a, "AWS_DEFAULT_REGION");
	if (!copy(a->access_key, sizeof(a->access_key), key) ||
	    !copy(a->secret_key, sizeof(a->secret_key), secret)) {
		fail(err, LAMBDA_AWS_CONFIG,
		     "no usable credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY%s", NULL);
		lambda_aws_free(a);
		return LAMBDA_EAWS;
	}
	if (!copy(a->region, sizeof(a->region), region)) {
		fail(err, LAMBDA_AWS_CONFIG, "no region: set AWS_REGION%s", NULL);
		lambda_aws_free(a);
		return LAMBDA_EAWS;
	}
	if (token) {
		if (strpbrk(token, "\r\n") || !(a->session_token = strdup(token))) {
			fail(err, LAMBDA_AWS_CONFIG, "unusable AWS_SESSION_TOKEN%s", NULL);
			lambda_aws_free(a);
			return LAMBDA_EAWS;
		}
	}
	const char *attempts = env(a, "AWS_MAX_ATTEMPTS");
	lambda_aws_retry_init(&a->retry, attempts ? atoi(attempts) : 0);
	a->curl = curl_easy_init();
	if (!a->curl) {
		fail(err, LAMBDA_AWS_NOMEM, "libcurl failed to initialize%s", NULL);
		lambda_aws_free(a);
		return LAMBDA_EAWS;
	}
	*out = a;
	return LAMBDA_OK;
}

void lambda_aws_free(lambda_aws *a)
{
	if (!a)
		return;
	if (a->curl)
		curl_easy_cleanup(a->curl);
	free(a->session_token);
	memset(a->secret_key, 0, sizeof(a->secret_key));
	free(a);
}

static lambda_aws *default_client;

static void free_default(void)
{
	lambda_aws_free(default_client);
	default_client = NULL;
}

lambda_aws *lambda_aws_default(lambda_aws_error *err)
{
	if (default_client)
		return default_client;
	/* Harmless when the runtime loop already did it (it counts). */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	lambda_aws_error local;
	memset(&local, 0, sizeof(local));
	if (lambda_aws_new(&default_client, err ? err : &local, NULL) != LAMBDA_OK)
		return NULL;
	atexit(free_default);
	return default_client;
}

const char *lambda_aws_region(const lambda_aws *a)
{
	return a ? a->region : NULL;
}

void lambda_aws_set_deadline(lambda_aws *a, int64_t deadline_ms)
{
	if (a)
		a->deadline_ms = deadline_ms;
}

/* The endpoint of `service`, resolved on first use. */
static const struct endpoint *endpoint_of(lambda_aws *a, const char *service)
{
	for (size_t i = 0; i < a->endpoint_count; i++)
		if (!strcmp(a->endpoints[i].service, service))
			return &a->endpoints[i];
	struct endpoint e;
	memset(&e, 0, sizeof(e));
	if (!copy(e.service, sizeof(e.service), service) ||
	    lambda_aws_endpoint(e.url, sizeof(e.url), service, a->region, a->getenv_fn, a->opts.ud) !=
		    LAMBDA_OK)
		return NULL;
	/* Host (and port) of the URL, for the Host header that is signed. */
	const char *h = strstr(e.url, "://") + 3;
	size_t n = strcspn(h, "/");
	if (n == 0 || n >= sizeof(e.host))
		return NULL;
	memcpy(e.host, h, n);
	e.host[n] = '\0';
	/* A default port is not part of Host (botocore drops it too). */
	size_t hl = strlen(e.host);
	bool https = !strncmp(e.url, "https", 5);
	if (https && hl > 4 && !strcmp(e.host + hl - 4, ":443"))
		e.host[hl - 4] = '\0';
	else if (!https && hl > 3 && !strcmp(e.host + hl - 3, ":80"))
		e.host[hl - 3] = '\0';
	if (a->endpoint_count == sizeof(a->endpoints) / sizeof(a->endpoints[0]))
		a->endpoint_count = 0; /* a cache, not a registry */
	a->endpoints[a->endpoint_count] = e;
	return &a->endpoints[a->endpoint_count++];
}

/* ---- one HTTP exchange over libcurl ----------------------------------------------- */

typedef struct answer {
	lambda_strbuf body;
	bool too_big;
	char error_type[160];
	char request_id[128];
} answer;

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
	answer *a = ud;
	size_t add = size * n;
	if (a->body.len + add > MAX_RESPONSE_BYTES) {
		a->too_big = true;
		return 0;
	}
	return lambda_strbuf_put(&a->body, data, add) == LAMBDA_OK ? add : 0;
}

static void header_value(char *dst, size_t size, const char *v, size_t len)
{
	while (len && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
	answer *a = ud;
	size_t len = size * n;
	const char *colon = memchr(data, ':', len);
	if (!colon)
		return len;
	size_t nl = (size_t)(colon - data);
	const char *v = colon + 1;
	size_t vl = len - nl - 1;
	if (nl == 16 && !strncasecmp(data, "x-amzn-errortype", nl))
		header_value(a->error_type, sizeof(a->error_type), v, vl);
	else if ((nl == 16 && !strncasecmp(data, "x-amzn-requestid", nl)) ||
		 (nl == 16 && !strncasecmp(data, "x-amz-request-id", nl)))
		header_value(a->request_id, sizeof(a->request_id), v, vl);
	return len;
}

/* Append "Name: value" to a curl header list; false when out of memory. */
static bool add_header(struct curl_slist **list, const char *name, const char *value)
{
	lambda_strbuf b = LAMBDA_STRBUF_INIT;
	if (lambda_strbuf_printf(&b, "%s: %s", name, value) != LAMBDA_OK)
		return false;
	struct curl_slist *l = curl_slist_append(*list, b.ptr);
	lambda_strbuf_free(&b);
	if (!l)
		return false;
	*list = l;
	return true;
}

/* The default `http` hook: the exchange over the client's curl handle,
 * whose connection cache keeps the connection open between calls. */
static int curl_exchange(lambda_aws *a, lambda_aws_response *res, lambda_aws_error *err,
			 const lambda_aws_http_request *req)
{
	struct curl_slist *hdrs = NULL;
	bool ok = true;
	/* Host is curl's own (from the URL, the same text); the rest are ours. */
	for (size_t i = 0; i < req->header_count && ok; i++)
		if (strcasecmp(req->headers[i].name, "Host"))
			ok = add_header(&hdrs, req->headers[i].name, req->headers[i].value);
	/* No 100-continue round trip for large batch requests. */
	struct curl_slist *l = ok ? curl_slist_append(hdrs, "Expect:") : NULL;
	if (!l) {
		curl_slist_free_all(hdrs);
		fail(err, LAMBDA_AWS_NOMEM, "out of memory%s", NULL);
		return LAMBDA_EAWS;
	}
	hdrs = l;
	answer ans;
	memset(&ans, 0, sizeof(ans));
	CURL *h = a->curl;
	curl_easy_reset(h); /* keeps the connection cache */
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "svcgen-lambda-runtime/1 (C; libcurl)");
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
			 req->timeout_ms < CONNECT_TIMEOUT_MS ? req->timeout_ms : CONNECT_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &ans);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &ans);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	CURLcode cc = curl_easy_perform(h);
	curl_slist_free_all(hdrs);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (cc != CURLE_OK) {
		lambda_strbuf_free(&ans.body);
		fail(err, ans.too_big ? LAMBDA_AWS_BAD_RESPONSE : LAMBDA_AWS_NETWORK, "%s",
		     ans.too_big ? "the answer is over the size limit" : curl_easy_strerror(cc));
		err->retryable = !ans.too_big;
		return LAMBDA_EAWS;
	}
	size_t len = ans.body.len;
	res->body = lambda_strbuf_take(&ans.body);
	if (!res->body) {
		fail(err, LAMBDA_AWS_NOMEM, "out of memory%s", NULL);
		return LAMBDA_EAWS;
	}
	res->status = (int)status;
	res->body_len = len;
	snprintf(res->error_type, sizeof(res->error_type), "%s", ans.error_type);
	snprintf(res->request_id, sizeof(res->request_id), "%s", ans.request_id);
	return LAMBDA_OK;
}

/* ---- one signed attempt ---------------------------------------------------------- */

/* The trace header of the invocation, when it is safe to send. */
static const char *trace_id(void)
{
	const lambda_context *ctx = lambda_current_context();
	const char *t = ctx && ctx->trace_id ? ctx->trace_id : getenv("_X_AMZN_TRACE_ID");
	if (!t || !*t || strlen(t) > 256)
		return NULL;
	for (const char *p = t; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return NULL;
	return t;
}

static int64_t deadline_of(const lambda_aws *a)
{
	if (a->deadline_ms > 0)
		return a->deadline_ms;
	const lambda_context *ctx = lambda_current_context();
	return ctx && ctx->deadline_ms > 0 ? ctx->deadline_ms : 0;
}

/*
 * One signed attempt.  LAMBDA_OK with `*res` filled when an HTTP answer
 * came (whatever its status; its body is the caller's); LAMBDA_EAWS with
 * `err` filled (network, nomem) when not.
 */
static int attempt(lambda_aws *a, const struct endpoint *ep, const lambda_aws_request *req,
		   long timeout_ms, lambda_aws_response *res, lambda_aws_error *err)
{
	char amz_date[17];
	time_t now = (time_t)(a->opts.now_ms(a->opts.ud) / 1000);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(amz_date, sizeof(amz_date), "%Y%m%dT%H%M%SZ", &tm);

	/* The signed headers first, then Authorization and the unsigned trace. */
	lambda_aws_header h[7];
	size_t n = 0;
	h[n++] = (lambda_aws_header){"Host", ep->host};
	h[n++] = (lambda_aws_header){"X-Amz-Date", amz_date};
	h[n++] = (lambda_aws_header){"Content-Type", req->content_type};
	if (req->target)
		h[n++] = (lambda_aws_header){"X-Amz-Target", req->target};
	if (a->session_token)
		h[n++] = (lambda_aws_header){"X-Amz-Security-Token", a->session_token};
	char *authz = NULL;
	int rc = lambda_aws_sigv4(&authz, "POST", "/", "", h, n, req->body, req->body_len, amz_date,
				  a->region, req->service, a->access_key, a->secret_key);
	if (rc != LAMBDA_OK) {
		fail(err, rc == LAMBDA_ENOMEM ? LAMBDA_AWS_NOMEM : LAMBDA_AWS_INVALID_ARGUMENT,
		     "cannot sign the request%s", NULL);
		return LAMBDA_EAWS;
	}
	h[n++] = (lambda_aws_header){"Authorization", authz};
	const char *trace = trace_id();
	if (trace)
		h[n++] = (lambda_aws_header){"X-Amzn-Trace-Id", trace};
	char url[600];
	snprintf(url, sizeof(url), "%s/", ep->url);
	lambda_aws_http_request http = {
		.url = url,
		.headers = h,
		.header_count = n,
		.body = req->body,
		.body_len = req->body_len,
		.timeout_ms = timeout_ms,
	};
	memset(res, 0, sizeof(*res));
	lambda_aws_error_free(err); /* this attempt's failure replaces the last one's */
	rc = a->opts.http ? a->opts.http(res, err, &http, a->opts.ud)
			  : curl_exchange(a, res, err, &http);
	free(authz);
	if (rc != LAMBDA_OK) {
		free(res->body);
		memset(res, 0, sizeof(*res));
		if (err->kind == LAMBDA_AWS_OK)
			fail(err, LAMBDA_AWS_NETWORK, "no answer%s", NULL);
		return LAMBDA_EAWS;
	}
	if (!res->body && !(res->body = calloc(1, 1))) {
		fail(err, LAMBDA_AWS_NOMEM, "out of memory%s", NULL);
		return LAMBDA_EAWS;
	}
	return LAMBDA_OK;
}

/* lambda_aws_send with an `err` to fill (the caller's or a scratch one). */
static int send_loop(lambda_aws_response *res, lambda_aws_error *err, lambda_aws *a,
		     const lambda_aws_request *req, lambda_aws_error_parser parse_error)
{
	if (!a && !(a = lambda_aws_default(err)))
		return LAMBDA_EAWS;
	if (!req || !req->service || !req->content_type || (!req->body && req->body_len)) {
		fail(err, LAMBDA_AWS_INVALID_ARGUMENT, "incomplete request%s", NULL);
		return LAMBDA_EAWS;
	}
	const struct endpoint *ep = endpoint_of(a, req->service);
	if (!ep) {
		fail(err, LAMBDA_AWS_CONFIG, "no usable endpoint for %s (check AWS_ENDPOINT_URL*)",
		     req->service);
		return LAMBDA_EAWS;
	}
	int64_t deadline = deadline_of(a);
	for (int n = 1;; n++) {
		int64_t now = a->opts.now_ms(a->opts.ud);
		long timeout = ATTEMPT_TIMEOUT_MS;
		if (deadline > 0) {
			int64_t left = deadline - now;
			if (left < LAMBDA_AWS_MIN_ATTEMPT_MS) {
				if (n == 1) {
					fail(err, LAMBDA_AWS_DEADLINE,
					     "no time left before the invocation's deadline%s", NULL);
					err->attempts = 0;
				} else {
					err->kind = LAMBDA_AWS_DEADLINE;
					err->attempts = n - 1;
				}
				return LAMBDA_EAWS;
			}
			if (left < timeout)
				timeout = (long)left;
		}
		lambda_aws_response ans;
		int rc = attempt(a, ep, req, timeout, &ans, err);
		if (rc == LAMBDA_OK && ans.status >= 200 && ans.status <= 299) {
			lambda_aws_retry_success(&a->retry, n);
			*res = ans;
			lambda_aws_error_free(err);
			return LAMBDA_OK;
		}
		if (rc == LAMBDA_OK) {
			parse_error(err, ans.status, ans.body, ans.body_len, ans.error_type);
			snprintf(err->request_id, sizeof(err->request_id), "%s", ans.request_id);
			free(ans.body);
		}
		err->attempts = n;
		if (err->kind == LAMBDA_AWS_NOMEM || err->kind == LAMBDA_AWS_INVALID_ARGUMENT)
			return LAMBDA_EAWS;
		bool deadline_stop = false;
		int64_t wait = lambda_aws_retry_next(&a->retry, err, n, a->opts.now_ms(a->opts.ud),
						     deadline, a->opts.random(a->opts.ud),
						     &deadline_stop);
		if (wait < 0) {
			if (deadline_stop) {
				/* Keep the code and message of the last answer. */
				err->kind = LAMBDA_AWS_DEADLINE;
			}
			return LAMBDA_EAWS;
		}
		lambda_log_debug("%s: %s %s, attempt %d; retrying in %lld ms", req->service,
				 err->code[0] ? err->code : lambda_aws_error_kind_name(err->kind),
				 err->message, n, (long long)wait);
		a->opts.sleep_ms(wait, a->opts.ud);
	}
}

int lambda_aws_send(lambda_aws_response *res, lambda_aws_error *err, lambda_aws *a,
		    const lambda_aws_request *req, lambda_aws_error_parser parse_error)
{
	memset(res, 0, sizeof(*res));
	lambda_aws_error scratch;
	memset(&scratch, 0, sizeof(scratch));
	lambda_aws_error_free(err);
	int rc = send_loop(res, err ? err : &scratch, a, req, parse_error);
	lambda_aws_error_free(&scratch);
	return rc;
}

int lambda_aws_backoff(lambda_aws *a, lambda_aws_retry *r, const lambda_aws_error *err,
		       int attempt)
{
	if (!a && !(a = lambda_aws_default(NULL)))
		return LAMBDA_EAWS;
	int64_t wait = lambda_aws_retry_next(r, err, attempt, a->opts.now_ms(a->opts.ud),
					     deadline_of(a), a->opts.random(a->opts.ud), NULL);
	if (wait < 0)
		return LAMBDA_EAWS;
	a->opts.sleep_ms(wait, a->opts.ud);
	return LAMBDA_OK;
}

int lambda_aws_max_attempts(lambda_aws *a)
{
	if (!a && !(a = lambda_aws_default(NULL)))
		return LAMBDA_AWS_DEFAULT_ATTEMPTS;
	return a->retry.max_attempts;
}

int lambda_aws_call_json(cJSON **out, lambda_aws_error *err, lambda_aws *a, const char *service,
			 const char *target, const cJSON *request)
{
	*out = NULL;
	lambda_aws_error scratch;
	memset(&scratch, 0, sizeof(scratch));
	if (!err)
		err = &scratch;
	char *body = request ? cJSON_PrintUnformatted(request) : strdup("{}");
	if (!body) {
		fail(err, request ? LAMBDA_AWS_NOMEM : LAMBDA_AWS_INVALID_ARGUMENT,
		     "cannot serialize the request%s", NULL);
		return LAMBDA_EAWS;
	}
	lambda_aws_request req = {
		.service = service,
		.content_type = "application/x-amz-json-1.0",
		.target = target,
		.body = body,
		.body_len = strlen(body),
	};
	lambda_aws_response res;
	int rc = lambda_aws_send(&res, err, a, &req, lambda_aws_parse_json_error);
	free(body);
	if (rc != LAMBDA_OK) {
		lambda_aws_error_free(&scratch);
		return rc;
	}
	*out = res.body_len ? cJSON_ParseWithLength(res.body, res.body_len) : cJSON_CreateObject();
	free(res.body);
	if (!cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		fail(err, LAMBDA_AWS_BAD_RESPONSE, "%s answered something that is not a JSON object",
		     target);
		return LAMBDA_EAWS;
	}
	return LAMBDA_OK;
}
