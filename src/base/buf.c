/*
 * buf.c - growable byte buffer (see buf.h).
 */
#include "svcgen/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sg_buf_reserve(sg_buf *b, size_t extra)
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

void sg_buf_vprintf(sg_buf *b, const char *fmt, va_list ap)
{
	/* One pass when the result fits the room there is (the usual case);
	 * else measure, grow, and print again. */
	if (b->cap - b->len < 64)
		sg_buf_reserve(b, 64);
	va_list cp;
	va_copy(cp, ap);
	size_t room = b->cap - b->len;
	int n = vsnprintf(b->ptr + b->len, room, fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->ptr[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		sg_buf_reserve(b, (size_t)n);
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	}
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
	if (len_out)
		*len_out = b->len;
	/* A large buffer is handed over, not copied: a generated file is
	 * built once and kept, and a copy would hold it twice at the peak. */
	if (b->len >= 4096) {
		char *p = b->ptr;
		if (b->cap - b->len > b->len / 8) { /* give back the slack */
			char *q = realloc(p, b->len + 1);
			if (q)
				p = q;
		}
		sg_arena_adopt(a, p, b->len + 1);
		*b = (sg_buf)SG_BUF_INIT;
		return p;
	}
	char *p = sg_arena_strndup(a, b->ptr ? b->ptr : "", b->len);
	sg_buf_free(b);
	return p;
}
