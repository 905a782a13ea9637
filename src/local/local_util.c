/*
 * local_util.c - small helpers every part of `svcgen local` uses: random
 * identifiers, base64, UTF-8 checks, clocks, and the one log writer (whole
 * lines, never interleaved, on stderr).
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "local_int.h"

void local_random_bytes(void *out, size_t n)
{
	unsigned char *p = out;
	while (n) {
		ssize_t got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			/* No entropy source at all: the clock, so ids still differ. */
			for (size_t i = 0; i < n; i++)
				p[i] = (unsigned char)(local_now_ms() * 2654435761u >> (i % 24));
			return;
		}
		p += got;
		n -= (size_t)got;
	}
}

void local_uuid(char out[37])
{
	unsigned char b[16];
	local_random_bytes(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
		 b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
		 b[14], b[15]);
}

void local_random_chars(char *out, size_t n, const char *alphabet)
{
	size_t al = strlen(alphabet);
	unsigned char b[64];
	for (size_t i = 0; i < n; i++) {
		if (i % sizeof(b) == 0)
			local_random_bytes(b, sizeof(b));
		/* 256 % al bias is irrelevant for identifiers and local secrets. */
		out[i] = alphabet[b[i % sizeof(b)] % al];
	}
	out[n] = '\0';
}

int64_t local_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t local_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void local_deadline(struct timespec *ts, int64_t ms_from_now)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms_from_now / 1000;
	ts->tv_nsec += (ms_from_now % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *local_base64(sg_arena *a, const void *data, size_t len)
{
	const unsigned char *s = data;
	char *out = sg_arena_alloc(a, (len + 2) / 3 * 4 + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < len)
			v |= s[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < len ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? b64[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

int local_unbase64(char **out, size_t *out_len, sg_arena *a, const char *s)
{
	size_t len = strlen(s);
	char *buf = sg_arena_alloc(a, len / 4 * 3 + 4);
	size_t o = 0;
	unsigned v = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '=')
			break;
		if (c == '\n' || c == '\r' || c == ' ')
			continue;
		const char *p = strchr(b64, c);
		if (!p || !c)
			return -1;
		v = v << 6 | (unsigned)(p - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = (char)(v >> bits & 0xff);
		}
	}
	buf[o] = '\0';
	*out = buf;
	*out_len = o;
	return 0;
}

bool local_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		unsigned c = *p;
		size_t n;
		if (c == 0)
			return false; /* a NUL cannot travel in a JSON string as text */
		else if (c < 0x80)
			n = 0;
		else if ((c & 0xe0) == 0xc0 && c >= 0xc2)
			n = 1;
		else if ((c & 0xf0) == 0xe0)
			n = 2;
		else if ((c & 0xf8) == 0xf0 && c <= 0xf4)
			n = 3;
		else
			return false;
		if ((size_t)(end - p) < n + 1)
			return false;
		for (size_t i = 1; i <= n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false;
		p += n + 1;
	}
	return true;
}

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

void local_log(const char *fmt, ...)
{
	char line[8192];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t l = (size_t)n < sizeof(line) - 2 ? (size_t)n : sizeof(line) - 2;
	if (!l || line[l - 1] != '\n')
		line[l++] = '\n';
	pthread_mutex_lock(&log_mu);
	fwrite(line, 1, l, stderr);
	fflush(stderr);
	pthread_mutex_unlock(&log_mu);
}

void local_log_lines(const char *prefix, const char *data, size_t len)
{
	pthread_mutex_lock(&log_mu);
	for (const char *p = data, *end = data + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		fprintf(stderr, "%s%.*s\n", prefix, (int)(e - p), p);
		p = nl ? nl + 1 : end;
	}
	fflush(stderr);
	pthread_mutex_unlock(&log_mu);
}

void local_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(cv, &attr);
	pthread_condattr_destroy(&attr);
}
