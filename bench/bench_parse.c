/*
 * bench_parse.c - how long each stage takes on a large spec, and the peak
 * memory: parse + validate, plan, emit (CloudFormation + IAM).  Prints
 * figures; asserts nothing (see bench/run.sh).
 *
 *   bench_parse [ROUTES] [RUNS]     default 2000 routes, 20 runs
 *
 * Past CloudFormation's 500 resources the plan reports an error (generate
 * stops there), but the plan is complete, so emit is still measured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "svcgen/buf.h"
#include "svcgen/emit.h"
#include "svcgen/plan.h"
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

	double best[3] = {1e30, 1e30, 1e30}, total[3] = {0, 0, 0};
	size_t footprint = 0, resources = 0, bytes = 0;
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
		double t1 = now_ms();
		sg_plan *plan = NULL;
		sg_plan_build(&plan, a, s, &d);
		double t2 = now_ms();
		sg_fileset fs;
		sg_fileset_init(&fs, a);
		sg_emit_run(&fs, NULL, plan, SG_EMIT_CFN | SG_EMIT_IAM, &d);
		double t3 = now_ms();
		resources = plan->resource_count;
		bytes = 0;
		for (size_t k = 0; k < fs.count; k++)
			bytes += fs.files[k].len;
		footprint = sg_arena_footprint(a);
		sg_arena_free(a);
		double ms[3] = {t1 - t0, t2 - t1, t3 - t2};
		for (int k = 0; k < 3; k++) {
			total[k] += ms[k];
			if (ms[k] < best[k])
				best[k] = ms[k];
		}
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("%5d routes (%4zu KiB YAML, %5zu resources, %6zu KiB out): "
	       "parse+validate %6.2f ms, plan %6.2f ms, emit cfn+iam %6.2f ms "
	       "(best of %d; means %.2f/%.2f/%.2f); arena %.1f MiB; peak RSS %.1f MiB\n",
	       routes, spec.len / 1024, resources, bytes / 1024, best[0], best[1], best[2], runs,
	       total[0] / runs, total[1] / runs, total[2] / runs, footprint / 1048576.0,
	       ru.ru_maxrss / 1024.0);
	sg_buf_free(&spec);
	return 0;
}
