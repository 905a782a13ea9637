/*
 * arena.h - one allocator per run.
 *
 * Every object of a run (the YAML tree, the spec model, diagnostics, the plan,
 * emitted files) lives in one sg_arena and is released by one sg_arena_free.
 * Nothing handed out by the arena is freed on its own.  Foreign objects that
 * own malloc'd memory (cJSON trees) are tied to the arena with
 * sg_arena_defer, so they die with it.
 */
#ifndef SVCGEN_ARENA_H
#define SVCGEN_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct sg_arena sg_arena;

/*
 * Create an empty arena.  Returns NULL when out of memory.  The caller owns
 * the arena and releases it with sg_arena_free.
 */
sg_arena *sg_arena_new(void);

/*
 * Release every block of the arena, after running the deferred cleanups in
 * reverse order of registration.  NULL is accepted and ignored.
 */
void sg_arena_free(sg_arena *a);

/*
 * Empty the arena for reuse: run the deferred cleanups (as sg_arena_free
 * does), release every block but the current one, and make that one free
 * again.  Everything the arena handed out is invalid afterwards.  For
 * scratch arenas used once per item of a loop: the same memory serves each
 * item instead of fresh pages for every one.  NULL is ignored.
 */
void sg_arena_reset(sg_arena *a);

/*
 * Allocate `size` bytes aligned for any object, zero-filled.  Aborts the
 * process on out-of-memory (svcgen's inputs are bounded, so running out of
 * memory is a fault of the machine, not a diagnostic for the user).
 */
void *sg_arena_alloc(sg_arena *a, size_t size);

/* Allocate `n` zeroed objects of `size` bytes each; aborts on overflow. */
void *sg_arena_calloc(sg_arena *a, size_t n, size_t size);

/*
 * Grow an array that lives in the arena: returns a new block of `new_n`
 * objects holding the first `old_n` of `old` (the old block is not reused).
 */
void *sg_arena_grow(sg_arena *a, void *old, size_t old_n, size_t new_n, size_t size);

/* Copy a NUL-terminated string into the arena.  NULL gives NULL. */
char *sg_arena_strdup(sg_arena *a, const char *s);

/* Copy `len` bytes of `s` into the arena and NUL-terminate the copy. */
char *sg_arena_strndup(sg_arena *a, const char *s, size_t len);

/* printf into a string owned by the arena. */
char *sg_arena_printf(sg_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *sg_arena_vprintf(sg_arena *a, const char *fmt, va_list ap);

/*
 * Run `fn(ptr)` when the arena is freed.  Used for cJSON trees and other
 * objects that manage their own memory.
 */
void sg_arena_defer(sg_arena *a, void (*fn)(void *), void *ptr);

/*
 * Give the arena a block from malloc (`size` bytes, counted in its
 * footprint): it is freed with the arena.  Lets a buffer built outside the
 * arena (sg_buf) join it without a copy.
 */
void sg_arena_adopt(sg_arena *a, void *ptr, size_t size);

/* Bytes requested from the system so far (for benchmarks). */
size_t sg_arena_footprint(const sg_arena *a);

#endif
