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
 *
 * A large batch (a new project of hundreds of functions) is another
 * matter: each fsync also writes its inode's table block on its own, so
 * 8,000 of them cost a 4,000-route generate about 0.4 s more processor
 * time than one syncfs(2) writing every block once (and a 600-route one
 * about 40 ms of its 250).  From SG_SYNC_WHOLE descriptors on, one
 * background thread calls syncfs per filesystem instead; its wait for
 * other processes' dirty pages runs behind the generated files being
 * written meanwhile.
 */
#define _GNU_SOURCE /* syncfs */
#include "write_int.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
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
		sg_write__fail_once(&s->failed, &s->err, i, e);
	}
}

static void *worker(void *arg)
{
	work(arg);
	return NULL;
}

/* The large batch: syncfs for the filesystem of the first descriptor,
 * fsync for any on another one (a mount point inside the directory). */
static void *whole_fs(void *arg)
{
	sg_syncer *s = arg;
	struct stat first;
	if (fstat(s->fds[0], &first) < 0 || syncfs(s->fds[0]) < 0) {
		s->next = 0;
		work(s); /* one by one after all */
		return NULL;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct stat st;
		if (fstat(s->fds[i], &st) == 0 && st.st_dev == first.st_dev)
			continue;
		if (fsync(s->fds[i]) < 0)
			sg_write__fail_once(&s->failed, &s->err, i, errno);
	}
	return NULL;
}

void sg_write__sync_start(sg_syncer *s, const int *fds, size_t n, bool lenient)
{
	memset(s, 0, sizeof(*s));
	s->fds = fds;
	s->n = n;
	s->lenient = lenient;
	s->failed = SIZE_MAX;
	if (n >= SG_SYNC_WHOLE && !lenient) {
		s->next = n; /* nothing for sync_wait's own loop */
		if (pthread_create(&s->threads[0], NULL, whole_fs, s) == 0)
			s->nthreads = 1;
		else
			s->next = 0; /* no thread: one by one, in sync_wait */
		return;
	}
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
