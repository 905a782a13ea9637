/*
 * syncer.c - fsync many descriptors at once, in the background
 * (sg_write__sync_start / sg_write__sync_wait, write_int.h).
 *
 * A new project's scaffolds must be durable before they get their names
 * (tree.c).  One fsync after another costs a device flush each (about
 * 0.2 to 1 ms on the virtual disks this is built on: 120 scaffolds were
 * 25 ms of a 60-route generate), and syncfs(2) waits for every dirty page
 * of the filesystem, other processes' included (20 ms and more on a busy
 * machine).  fsyncs issued together from several threads cost about one
 * flush per round, since the block layer merges the flush requests that
 * are pending at once; and they run while the writer goes on with the
 * generated files, which need no fsync.
 */
#include "write_int.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

static void work(sg_syncer *s)
{
	for (;;) {
		size_t i = __atomic_fetch_add(&s->next, 1, __ATOMIC_RELAXED);
		if (i >= s->n)
			return;
		if (fsync(s->fds[i]) == 0)
			continue;
		int e = errno;
		if (s->lenient && (e == EINVAL || e == EROFS))
			continue; /* a directory that cannot be synced: nothing to make durable */
		size_t none = SIZE_MAX; /* the first failure is the one kept */
		if (__atomic_compare_exchange_n(&s->failed, &none, i, false, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			s->err = e;
	}
}

static void *worker(void *arg)
{
	work(arg);
	return NULL;
}

void sg_write__sync_start(sg_syncer *s, const int *fds, size_t n, bool lenient)
{
	memset(s, 0, sizeof(*s));
	s->fds = fds;
	s->n = n;
	s->lenient = lenient;
	s->failed = SIZE_MAX;
	/* Threads beyond the first few buy little: the flushes merge. */
	size_t want = n < SG_SYNC_THREADS ? n : SG_SYNC_THREADS;
	for (size_t i = 0; i < want; i++) {
		if (pthread_create(&s->threads[s->nthreads], NULL, worker, s) != 0)
			break; /* the waiting caller does the rest */
		s->nthreads++;
	}
}

int sg_write__sync_wait(sg_syncer *s, size_t *failed)
{
	work(s); /* the caller helps, and finishes alone if no thread started */
	for (size_t i = 0; i < s->nthreads; i++)
		pthread_join(s->threads[i], NULL);
	s->nthreads = 0;
	if (failed)
		*failed = s->failed;
	return s->failed == SIZE_MAX ? 0 : s->err;
}
