/*
 * parallel.c - the caller and a few threads on one piece of work
 * (parallel.h).
 */
#include "svcgen/parallel.h"

#include <pthread.h>
#include <unistd.h>

#define MOST 4

size_t sg_parallel_width(size_t items)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t w = cpus > 1 ? (size_t)(cpus < MOST ? cpus : MOST) : 1;
	if (w > items)
		w = items;
	return w ? w : 1;
}

void sg_parallel_run(void *(*fn)(void *), void *arg, size_t width)
{
	pthread_t th[MOST - 1];
	size_t started = 0;
	while (started + 1 < width && started < MOST - 1 &&
	       pthread_create(&th[started], NULL, fn, arg) == 0)
		started++;
	fn(arg); /* the caller works too, and alone if no thread started */
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
}
