/*
 * buf.c - growable byte buffer (see buf.h).
 */
#include "svcgen/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(sg_buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1) {
		fputs("svcgen: out of memory\n", stderr);
		abort();
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->ptr, cap);
	if (!p) {
		fputs("svcgen: out of memory\n", stderr);
		abort();
	}
	b->ptr = p;
	b->cap = cap;
}

void sg_buf_put(sg_buf *b, const void *data, size_t len)
{
	reserve(b, len);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void sg_buf_puts(sg_buf *b, const char *s)
{
	sg_buf_put(b, s, strlen(s));
}

void sg_buf_putc(sg_buf *b, char c)
{
	sg_buf_put(b, &c, 1);
}

void sg_buf_pad(sg_buf *b, char c, size_t n)
{
	reserve(b, n);
	memset(b->ptr + b->len, c, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void sg_buf_vprintf(sg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	reserve(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sg_buf_printf(sg_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void sg_buf_clear(sg_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void sg_buf_free(sg_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

char *sg_buf_to_arena(sg_buf *b, sg_arena *a, size_t *len_out)
{
	char *p = sg_arena_strndup(a, b->ptr ? b->ptr : "", b->len);
	if (len_out)
		*len_out = b->len;
	sg_buf_free(b);
	return p;
}
