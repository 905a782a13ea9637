/*
 * buf.h - growable byte buffer for building text (generated files, messages).
 *
 * A sg_buf owns malloc'd memory; the contents are always NUL-terminated so
 * `b.ptr` can be used as a C string.  Release with sg_buf_free, or hand the
 * bytes to an arena with sg_buf_to_arena.
 */
#ifndef SVCGEN_BUF_H
#define SVCGEN_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "svcgen/arena.h"

typedef struct sg_buf {
	char *ptr;   /* NUL-terminated contents; NULL until the first append */
	size_t len;  /* bytes used, excluding the NUL */
	size_t cap;  /* bytes allocated */
} sg_buf;

#define SG_BUF_INIT {NULL, 0, 0}

/*
 * Make room for `extra` more bytes (and the NUL) beyond b->len: the slow
 * path of the appends below, which are inline because generated files are
 * built a few bytes at a time (tens of millions of calls for a large
 * service).  Aborts on out-of-memory, like the arena.
 */
void sg_buf_reserve(sg_buf *b, size_t extra);

/* Append `len` bytes.  Aborts on out-of-memory, like the arena. */
static inline void sg_buf_put(sg_buf *b, const void *data, size_t len)
{
	if (b->cap - b->len <= len) /* cap 0 (NULL ptr) lands here too */
		sg_buf_reserve(b, len);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

/* Append a NUL-terminated string. */
static inline void sg_buf_puts(sg_buf *b, const char *s)
{
	sg_buf_put(b, s, strlen(s));
}

/* Append one byte. */
static inline void sg_buf_putc(sg_buf *b, char c)
{
	if (b->cap - b->len <= 1)
		sg_buf_reserve(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}

/* Append `n` copies of byte `c`. */
static inline void sg_buf_pad(sg_buf *b, char c, size_t n)
{
	if (b->cap - b->len <= n)
		sg_buf_reserve(b, n);
	memset(b->ptr + b->len, c, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

/* printf-append. */
void sg_buf_printf(sg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sg_buf_vprintf(sg_buf *b, const char *fmt, va_list ap);
/* Drop the contents, keep the allocation. */
void sg_buf_clear(sg_buf *b);
/* Release the memory and reset to SG_BUF_INIT. */
void sg_buf_free(sg_buf *b);
/*
 * Hand the contents to `a` (NUL-terminated) and reset the buffer: a small
 * buffer is copied into the arena, a large one becomes the arena's as it
 * is (no copy; freed with the arena).  Returns the arena's string.  `*len_out`, when not NULL, receives the length.
 */
char *sg_buf_to_arena(sg_buf *b, sg_arena *a, size_t *len_out);

#endif
