/*
 * arena.c - bump allocator with deferred cleanups (see arena.h).
 *
 * Blocks grow geometrically so a run that allocates many small objects makes
 * few system calls; an oversized request gets a block of its own.
 */
#include "svcgen/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SG_ARENA_MIN_BLOCK (64 * 1024)
#define SG_ARENA_MAX_BLOCK (4 * 1024 * 1024)
#define SG_ALIGN 16

struct block {
	struct block *next;
	size_t used, cap;
	_Alignas(SG_ALIGN) unsigned char data[];
};

struct deferred {
	struct deferred *next;
	void (*fn)(void *);
	void *ptr;
};

struct sg_arena {
	struct block *head;
	struct deferred *cleanups;
	size_t next_block;
	size_t footprint;
};

static void oom(void)
{
	fputs("svcgen: out of memory\n", stderr);
	abort();
}

sg_arena *sg_arena_new(void)
{
	sg_arena *a = calloc(1, sizeof(*a));
	if (a)
		a->next_block = SG_ARENA_MIN_BLOCK;
	return a;
}

static void run_cleanups(sg_arena *a)
{
	for (struct deferred *d = a->cleanups; d; d = d->next)
		d->fn(d->ptr);
	a->cleanups = NULL;
}

static void free_blocks(struct block *b)
{
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
}

void sg_arena_free(sg_arena *a)
{
	if (!a)
		return;
	run_cleanups(a);
	free_blocks(a->head);
	free(a);
}

void sg_arena_reset(sg_arena *a)
{
	if (!a)
		return;
	run_cleanups(a);
	struct block *b = a->head;
	if (!b)
		return;
	free_blocks(b->next);
	b->next = NULL;
	b->used = 0;
	a->footprint = sizeof(*b) + b->cap;
}

static struct block *new_block(sg_arena *a, size_t need)
{
	size_t cap = a->next_block;
	if (cap < need)
		cap = need;
	if (cap > SIZE_MAX - sizeof(struct block))
		oom();
	struct block *b = malloc(sizeof(*b) + cap);
	if (!b)
		oom();
	b->used = 0;
	b->cap = cap;
	a->footprint += sizeof(*b) + cap;
	if (a->next_block < SG_ARENA_MAX_BLOCK)
		a->next_block *= 2;
	return b;
}

/* `size` bytes, not zeroed (for copies, which overwrite them anyway). */
static void *alloc_raw(sg_arena *a, size_t size)
{
	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - SG_ALIGN)
		oom();
	size = (size + SG_ALIGN - 1) & ~(size_t)(SG_ALIGN - 1);
	struct block *b = a->head;
	if (!b || b->cap - b->used < size) {
		struct block *nb = new_block(a, size);
		/* A big one-off block goes behind the current one so the
		 * current block's free tail stays usable. */
		if (b && size > a->next_block / 2) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += size;
	return p;
}

void *sg_arena_alloc(sg_arena *a, size_t size)
{
	void *p = alloc_raw(a, size);
	memset(p, 0, size ? size : 1);
	return p;
}

void *sg_arena_calloc(sg_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	return sg_arena_alloc(a, n * size);
}

void *sg_arena_grow(sg_arena *a, void *old, size_t old_n, size_t new_n, size_t size)
{
	void *p = sg_arena_calloc(a, new_n, size);
	if (old && old_n)
		memcpy(p, old, (old_n < new_n ? old_n : new_n) * size);
	return p;
}

char *sg_arena_strndup(sg_arena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		oom();
	char *p = alloc_raw(a, len + 1);
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *sg_arena_strdup(sg_arena *a, const char *s)
{
	return s ? sg_arena_strndup(a, s, strlen(s)) : NULL;
}

char *sg_arena_vprintf(sg_arena *a, const char *fmt, va_list ap)
{
	/* Printed straight into the current block's free tail when it fits
	 * (one pass of vsnprintf, the usual case for names and paths); else
	 * measured, allocated and printed again. */
	struct block *b = a->head;
	if (b && b->cap - b->used > 1) {
		va_list cp;
		va_copy(cp, ap);
		size_t room = b->cap - b->used;
		char *p = (char *)b->data + b->used;
		int n = vsnprintf(p, room, fmt, cp);
		va_end(cp);
		if (n < 0)
			oom();
		if ((size_t)n < room) {
			size_t size = ((size_t)n + 1 + SG_ALIGN - 1) & ~(size_t)(SG_ALIGN - 1);
			b->used += size < room ? size : room;
			return p;
		}
	}
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		oom();
	char *p = alloc_raw(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *sg_arena_printf(sg_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = sg_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

static void free_adopted(void *p)
{
	free(p);
}

void sg_arena_adopt(sg_arena *a, void *ptr, size_t size)
{
	if (!ptr)
		return;
	sg_arena_defer(a, free_adopted, ptr);
	a->footprint += size;
}

void sg_arena_defer(sg_arena *a, void (*fn)(void *), void *ptr)
{
	struct deferred *d = sg_arena_alloc(a, sizeof(*d));
	d->fn = fn;
	d->ptr = ptr;
	d->next = a->cleanups;
	a->cleanups = d;
}

size_t sg_arena_footprint(const sg_arena *a)
{
	return a->footprint;
}
