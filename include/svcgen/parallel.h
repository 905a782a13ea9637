/*
 * parallel.h - one piece of work shared by a few threads.
 *
 * The emitters (emit.c) and the writer's generated files (tree.c) run on
 * several threads the same way: the caller and up to three more take
 * items from an atomic counter the work function keeps itself, and the
 * call returns once all of them have.  The caller always works too, so
 * the work is done even when no thread can be started.
 */
#ifndef SVCGEN_PARALLEL_H
#define SVCGEN_PARALLEL_H

#include <stddef.h>

/* How many threads, the caller's included, work on `items` items: one per
 * processor online, four at most, never more than the items, at least
 * one. */
size_t sg_parallel_width(size_t items);

/*
 * Run `fn(arg)` on the calling thread and on `width` - 1 threads started
 * for it (fewer if the system refuses one), and return when every one has
 * returned.  `fn` shares the work out itself.
 */
void sg_parallel_run(void *(*fn)(void *), void *arg, size_t width);

#endif
