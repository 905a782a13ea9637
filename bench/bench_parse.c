/*
 * bench_parse.c - how long parse + validate takes on a large spec, and the
 * peak memory.  Prints figures; asserts nothing (see bench/run.sh).
 *
 *   bench_parse [ROUTES] [RUNS]     default 2000 routes, 20 runs
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "svcgen/buf.h"
#include "svcgen/spec.h"

/* A spec with `routes` routes over 10 tables and up to 200 functions. */
static void make_spec(sg_buf *b, int routes)
{
	sg_buf_puts(b, "svcgen: 1\nservice: bench\ndefaults: {memory: 256, timeout: 10}\n"
		       "tables:\n");
	for (int t = 0; t < 10; t++)
		sg_buf_printf(b, "  t%d: {partition_key: PK, sort_key: SK,"
				 " indexes: {by_a: {partition_key: A}}}\n", t);
	sg_buf_puts(b, "api:\n  type: rest\n  routes:\n");
	static const char *const verbs[] = {"GET", "POST", "PUT", "DELETE"};
	for (int r = 0; r < routes; r += 2) {
		sg_buf_printf(b, "    /r%d/items/{id}:\n", r / 2);
		for (int k = 0; k < 2 && r + k < routes; k++)
			sg_buf_printf(b, "      %s: {function: fn_%d, uses: [t%d, t%d.by_a:query]}\n",
				      verbs[(r + k) % 4], (r + k) % 200, (r + k) % 10, (r + k + 1) % 10);
	}
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	int routes = argc > 1 ? atoi(argv[1]) : 2000;
	int runs = argc > 2 ? atoi(argv[2]) : 20;
	sg_buf spec = SG_BUF_INIT;
	make_spec(&spec, routes);

	double best = 1e30, total = 0;
	size_t footprint = 0;
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms();
		sg_arena *a = sg_arena_new();
		sg_diags d;
		sg_diags_init(&d, a, "bench.yaml");
		sg_spec *s = NULL;
		int rc = sg_spec_parse(&s, a, &d, "bench.yaml", spec.ptr, spec.len);
		if (rc == SG_OK)
			rc = sg_spec_validate(s, &d);
		if (rc != SG_OK || d.count) {
			sg_diags_print_text(&d, stderr);
			return 1;
		}
		footprint = sg_arena_footprint(a);
		sg_arena_free(a);
		double ms = now_ms() - t0;
		total += ms;
		if (ms < best)
			best = ms;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("parse+validate: %d routes, %zu KiB of YAML: best %.2f ms, mean %.2f ms over %d runs; "
	       "arena %.1f MiB; peak RSS %.1f MiB\n",
	       routes, spec.len / 1024, best, total / runs, runs, footprint / 1048576.0,
	       ru.ru_maxrss / 1024.0);
	sg_buf_free(&spec);
	return 0;
}
