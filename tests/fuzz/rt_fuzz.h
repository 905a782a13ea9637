/*
 * rt_fuzz.h - shared by the handler runtime's harnesses
 * (tests/fuzz/fuzz_rt_*.c; included once by each): the service
 * configuration a generated project's runtime/lambda_config.c defines, a
 * way to keep the runtime's logs off the fuzzer's output, the checks
 * every harness makes of text the runtime hands out, and a scripted AWS
 * endpoint: an AWS client whose `http` hook answers each exchange with
 * the next block of the fuzz input, so the whole client (signing, the
 * retry loop, error parsing, the operations reading their answers) runs
 * on arbitrary answers without a network.
 *
 * Script format (the seeds in tests/fuzz/corpus/rt_* are written in it):
 * blocks separated by a line "--"; each block is a first line
 * "STATUS[ ERROR-TYPE]" (a 3-digit HTTP status, then optionally the
 * X-Amzn-ErrorType header) and the body after it.  A block whose first
 * line is not that is a network failure (no answer).  Past the last
 * block every exchange is a network failure, so every retry loop ends.
 */
#ifndef RT_FUZZ_H
#define RT_FUZZ_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lambda_aws.h"

const lambda_config lambda_service_config = {
	.service = "fuzz",
	.payload_version = 1,
	.cors_origins = NULL,
	.cors_credentials = false,
};

/* The runtime logs to stdout, one line per event; millions of inputs
 * would make that the fuzzer's bottleneck.  The code still runs (its
 * formatting and escaping are fuzzed with the rest); the lines go to
 * /dev/null. */
static inline void rt_fuzz_quiet(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	fflush(stdout);
	int fd = open("/dev/null", O_WRONLY);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
}

/* Text the runtime hands out for logs and callers: NUL-terminated
 * within `size`, no control character but tab and line feed. */
static inline void rt_fuzz_check_text(const char *s, size_t size)
{
	const char *end = memchr(s, '\0', size);
	if (!end)
		abort();
	for (const char *p = s; p < end; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n')
			abort();
}

/* ---- the scripted endpoint --------------------------------------------------------- */

#define RT_FUZZ_MAX_BLOCKS 64

typedef struct rt_fuzz_script {
	const char *block[RT_FUZZ_MAX_BLOCKS];
	size_t len[RT_FUZZ_MAX_BLOCKS];
	size_t count;
	size_t next;          /* the block the next exchange answers with */
	size_t exchanges;     /* exchanges since rt_fuzz_rewind */
	int64_t clock_ms;     /* the fake clock; sleeps advance it */
	char last_target[128]; /* X-Amz-Target of the last exchange */
} rt_fuzz_script;

static inline void rt_fuzz_script_init(rt_fuzz_script *s, const char *data, size_t size)
{
	memset(s, 0, sizeof(*s));
	s->clock_ms = 1700000000000LL;
	const char *p = data, *end = data + size;
	while (s->count < RT_FUZZ_MAX_BLOCKS) {
		const char *sep = NULL;
		for (const char *q = p; q + 4 <= end; q++)
			if (!memcmp(q, "\n--\n", 4)) {
				sep = q;
				break;
			}
		s->block[s->count] = p;
		s->len[s->count] = (size_t)((sep ? sep : end) - p);
		s->count++;
		if (!sep)
			break;
		p = sep + 4;
	}
}

/* Every operation starts from the first block again. */
static inline void rt_fuzz_rewind(rt_fuzz_script *s)
{
	s->next = 0;
	s->exchanges = 0;
}

static inline const char *rt_fuzz_header(const lambda_aws_http_request *req, const char *name)
{
	for (size_t i = 0; i < req->header_count; i++)
		if (!strcmp(req->headers[i].name, name))
			return req->headers[i].value;
	return NULL;
}

static inline int rt_fuzz_http(lambda_aws_response *res, lambda_aws_error *err,
			       const lambda_aws_http_request *req, void *ud)
{
	rt_fuzz_script *s = ud;
	s->exchanges++;
	/* What the client sends, whatever it was answered before. */
	const char *authz = rt_fuzz_header(req, "Authorization");
	const char *date = rt_fuzz_header(req, "X-Amz-Date");
	if (!authz || strncmp(authz, "AWS4-HMAC-SHA256 Credential=AKIDFUZZ/", 37) || !date ||
	    strlen(date) != 16 || !rt_fuzz_header(req, "Host") || !req->url ||
	    strncmp(req->url, "https://", 8) || (req->body_len && !req->body))
		abort();
	const char *target = rt_fuzz_header(req, "X-Amz-Target");
	snprintf(s->last_target, sizeof(s->last_target), "%s", target ? target : "");

	if (s->next >= s->count) {
		err->kind = LAMBDA_AWS_NETWORK;
		err->retryable = true;
		snprintf(err->message, sizeof(err->message), "the script ended");
		return LAMBDA_EAWS;
	}
	const char *b = s->block[s->next];
	size_t n = s->len[s->next];
	s->next++;
	const char *nl = memchr(b, '\n', n);
	size_t first = nl ? (size_t)(nl - b) : n;
	if (first < 3 || b[0] < '1' || b[0] > '5' || b[1] < '0' || b[1] > '9' || b[2] < '0' ||
	    b[2] > '9' || (first > 3 && b[3] != ' ')) {
		err->kind = LAMBDA_AWS_NETWORK;
		err->retryable = true;
		snprintf(err->message, sizeof(err->message), "connection reset (scripted)");
		return LAMBDA_EAWS;
	}
	res->status = (b[0] - '0') * 100 + (b[1] - '0') * 10 + (b[2] - '0');
	if (first > 4) {
		size_t tl = first - 4;
		if (tl >= sizeof(res->error_type))
			tl = sizeof(res->error_type) - 1;
		memcpy(res->error_type, b + 4, tl);
		res->error_type[tl] = '\0';
		/* As the client's own header reader hands it over: one line. */
		for (char *p = res->error_type; *p; p++)
			if (*p == '\r')
				*p = ' ';
	}
	snprintf(res->request_id, sizeof(res->request_id), "fuzz-request-%zu", s->next);
	size_t body_len = nl ? n - first - 1 : 0;
	res->body = malloc(body_len + 1);
	if (!res->body)
		abort();
	memcpy(res->body, nl ? nl + 1 : "", body_len);
	res->body[body_len] = '\0';
	res->body_len = body_len;
	return LAMBDA_OK;
}

static inline const char *rt_fuzz_getenv(const char *name, void *ud)
{
	(void)ud;
	static const char *const env[][2] = {
		{"AWS_ACCESS_KEY_ID", "AKIDFUZZ"},
		{"AWS_SECRET_ACCESS_KEY", "fuzz-secret"},
		{"AWS_SESSION_TOKEN", "fuzz-token"},
		{"AWS_REGION", "eu-west-1"},
	};
	for (size_t i = 0; i < sizeof(env) / sizeof(env[0]); i++)
		if (!strcmp(env[i][0], name))
			return env[i][1];
	return NULL;
}

static inline int64_t rt_fuzz_now(void *ud)
{
	return ((rt_fuzz_script *)ud)->clock_ms;
}

static inline void rt_fuzz_sleep(int64_t ms, void *ud)
{
	if (ms < 0 || ms > LAMBDA_AWS_MAX_BACKOFF_MS)
		abort(); /* the retry mode's cap */
	((rt_fuzz_script *)ud)->clock_ms += ms;
}

static inline double rt_fuzz_random(void *ud)
{
	return (double)(((rt_fuzz_script *)ud)->exchanges % 7) / 7.0;
}

/* A client of the scripted endpoint (abort when it cannot be made). */
static inline lambda_aws *rt_fuzz_client(rt_fuzz_script *s)
{
	lambda_aws_options o = {
		.getenv = rt_fuzz_getenv,
		.now_ms = rt_fuzz_now,
		.sleep_ms = rt_fuzz_sleep,
		.random = rt_fuzz_random,
		.http = rt_fuzz_http,
		.ud = s,
	};
	lambda_aws *aws = NULL;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	if (lambda_aws_new(&aws, &err, &o) != LAMBDA_OK)
		abort();
	return aws;
}

/* After a call: what every outcome must look like.  `max_exchanges` is
 * the bound the retry mode puts on it. */
static inline void rt_fuzz_check_call(const rt_fuzz_script *s, int rc, const lambda_aws_error *err,
				      size_t max_exchanges)
{
	if (s->exchanges > max_exchanges)
		abort(); /* retried past the attempts */
	if (rc != LAMBDA_OK && rc != LAMBDA_EAWS)
		abort();
	if (rc == LAMBDA_EAWS && err->kind == LAMBDA_AWS_OK)
		abort(); /* a failure must say what kind */
	if (rc == LAMBDA_OK && (err->kind != LAMBDA_AWS_OK || err->details))
		abort(); /* success leaves no error behind */
	rt_fuzz_check_text(err->code, sizeof(err->code));
	rt_fuzz_check_text(err->message, sizeof(err->message));
	rt_fuzz_check_text(err->request_id, sizeof(err->request_id));
}

#endif
