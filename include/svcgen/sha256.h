/*
 * sha256.h - SHA-256 (FIPS 180-4, section 6.2).
 *
 * A small, dependency-free implementation for the manifest's file hashes:
 * svcgen does not link OpenSSL, and libgit2 offers only SHA-1 through its
 * API.  Streaming (init, update, final) and one-shot forms.  No memory is
 * allocated; a context lives wherever the caller puts it.
 */
#ifndef SVCGEN_SHA256_H
#define SVCGEN_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SG_SHA256_SIZE 32     /* digest bytes */
#define SG_SHA256_HEX_SIZE 65 /* 64 lowercase hex digits and a NUL */

/* A hash in progress.  Treat as opaque; initialise with sg_sha256_init. */
typedef struct sg_sha256_ctx {
	uint32_t h[8];        /* intermediate hash value H(i) */
	uint64_t bytes;       /* message length so far, in bytes */
	uint8_t block[64];    /* a partial message block */
	size_t used;          /* bytes of `block` in use */
} sg_sha256_ctx;

/* Start a hash with the initial hash value of FIPS 180-4 section 5.3.3. */
void sg_sha256_init(sg_sha256_ctx *ctx);

/* Add `len` bytes of `data` (any length; NULL is fine when len is 0). */
void sg_sha256_update(sg_sha256_ctx *ctx, const void *data, size_t len);

/*
 * Pad the message (section 5.1.1), write the 32-byte digest to `out` and
 * leave `ctx` wiped; it may be initialised again.
 */
void sg_sha256_final(uint8_t out[SG_SHA256_SIZE], sg_sha256_ctx *ctx);

/* The digest of `len` bytes of `data`, in one call. */
void sg_sha256(uint8_t out[SG_SHA256_SIZE], const void *data, size_t len);

/* The digest as 64 lowercase hex digits, NUL-terminated. */
void sg_sha256_hex(char out[SG_SHA256_HEX_SIZE], const void *data, size_t len);

/* Format a digest as 64 lowercase hex digits, NUL-terminated. */
void sg_sha256_to_hex(char out[SG_SHA256_HEX_SIZE], const uint8_t digest[SG_SHA256_SIZE]);

/*
 * Which block function to use: `portable` true forces the portable C code
 * (for tests that compare the two), false restores the default (the
 * processor's SHA instructions where it has them).  Returns whether the
 * portable code is now in use.  Not thread-safe; svcgen runs one thread.
 */
bool sg_sha256_use_portable(bool portable);

#endif
