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

#include "svcgen/arena.h"

typedef struct sg_buf {
	char *ptr;   /* NUL-terminated contents; NULL until the first append */
	size_t len;  /* bytes used, excluding the NUL */
	size_t cap;  /* bytes allocated */
} sg_buf;

#define SG_BUF_INIT {NULL, 0, 0}

/* Append `len` bytes.  Aborts on out-of-memory, like the arena. */
void sg_buf_put(sg_buf *b, const void *data, size_t len);
/* Append a NUL-terminated string. */
void sg_buf_puts(sg_buf *b, const char *s);
/* Append one byte. */
void sg_buf_putc(sg_buf *b, char c);
/* Append `n` copies of byte `c`. */
void sg_buf_pad(sg_buf *b, char c, size_t n);
/* printf-append. */
void sg_buf_printf(sg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sg_buf_vprintf(sg_buf *b, const char *fmt, va_list ap);
/* Drop the contents, keep the allocation. */
void sg_buf_clear(sg_buf *b);
/* Release the memory and reset to SG_BUF_INIT. */
void sg_buf_free(sg_buf *b);
/*
 * Copy the contents into `a` (NUL-terminated), free the buffer and return
 * the copy.  `*len_out`, when not NULL, receives the length.
 */
char *sg_buf_to_arena(sg_buf *b, sg_arena *a, size_t *len_out);

#endif
