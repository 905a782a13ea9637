/*
 * bench_gen.c - the benchmark's specs, and `generate` with svcgen's size
 * limits lifted, for sizes the command line still refuses.  Prints
 * figures' inputs; asserts nothing (see bench/run.sh).
 *
 *   bench_gen spec ROUTES           print a spec of ROUTES routes (ROUTES/2
 *                                   paths with GET and PUT), one function
 *                                   each, over 10 tables
 *   bench_gen generate SPEC DIR     what `svcgen generate SPEC -o DIR` does
 *                                   (read, parse, validate, plan, emit every
 *                                   output, manifest, write), except that
 *                                   the validator's function limit
 *                                   ("too-many"), the planner's resource
 *                                   limit ("too-many-resources") and the
 *                                   template size ("template-too-large":
 *                                   CloudFormation left out) do not stop it.
 *                                   Prints the outputs it wrote and what
 *                                   the writer did.
 *
 * The command line is measured wherever it accepts the spec; this program
 * only stands in where it does not (run.sh says which was used).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svcgen/emit.h"
#include "svcgen/manifest.h"
#include "svcgen/plan.h"
#include "svcgen/readfile.h"
#include "svcgen/sha256.h"
#include "svcgen/spec.h"
#include "svcgen/write.h"

static int print_spec(int routes)
{
	printf("svcgen: 1\nservice: bench\ndefaults: {memory: 256, timeout: 10}\ntables:\n");
	for (int t = 0; t < 10; t++)
		printf("  t%d: {partition_key: PK, sort_key: SK, indexes: {by_a: {partition_key: A}}}\n",
		       t);
	printf("api:\n  type: rest\n  routes:\n");
	for (int r = 0; r < routes; r += 2) {
		printf("    /r%d/items/{id}:\n", r / 2);
		printf("      GET: {function: get_%d, uses: [t%d, t%d.by_a:query]}\n", r / 2, r % 10,
		       (r + 1) % 10);
		if (r + 1 < routes)
			printf("      PUT: {function: put_%d, uses: [t%d:update]}\n", r / 2, (r + 1) % 10);
	}
	return 0;
}

/* Drop the errors with these codes; 1 if any other error is left. */
static int only_limits(sg_diags *d)
{
	static const char *const lifted[] = {"too-many", "too-many-resources", "template-too-large"};
	size_t k = 0;
	int other = 0;
	for (size_t i = 0; i < d->count; i++) {
		bool drop = false;
		for (size_t j = 0; j < sizeof(lifted) / sizeof(lifted[0]); j++)
			drop |= d->items[i].severity == SG_SEV_ERROR && !strcmp(d->items[i].code, lifted[j]);
		if (drop)
			continue;
		other |= d->items[i].severity == SG_SEV_ERROR;
		d->items[k++] = d->items[i];
	}
	d->count = k;
	d->errors = other;
	return other;
}

static int generate(const char *spec_path, const char *dir)
{
	sg_arena *a = sg_arena_new();
	sg_diags d;
	sg_diags_init(&d, a, spec_path);
	const char *text;
	size_t len;
	sg_spec *spec = NULL;
	sg_plan *plan = NULL;
	if (sg_read_file(&text, &len, NULL, a, &d, spec_path, SG_SPEC_MAX_BYTES) != SG_OK ||
	    sg_spec_parse(&spec, a, &d, spec_path, text, len) != SG_OK)
		goto fail;
	sg_spec_validate(spec, &d);
	if (only_limits(&d))
		goto fail;
	sg_plan_build(&plan, a, spec, &d);
	if (!plan || only_limits(&d))
		goto fail;
	/* CloudFormation on its own first: past 1 MB it is left out (as
	 * `--only` without cfn would), and the rest is emitted once. */
	unsigned what = sg_emit_available();
	sg_fileset fs, cfn;
	sg_fileset_init(&fs, a);
	sg_fileset_init(&cfn, a);
	if (what & SG_EMIT_CFN) {
		if (sg_emit_run(&cfn, NULL, plan, SG_EMIT_CFN, &d) != SG_OK) {
			if (only_limits(&d))
				goto fail;
			what &= ~(unsigned)SG_EMIT_CFN;
		}
	}
	if (sg_emit_run(&fs, NULL, plan, what & ~(unsigned)SG_EMIT_CFN, &d) != SG_OK)
		goto fail;
	for (size_t i = 0; (what & SG_EMIT_CFN) && i < cfn.count; i++)
		sg_fileset_add_owned(&fs, cfn.files[i].path, cfn.files[i].data, cfn.files[i].len,
				     cfn.files[i].kind);
	char hex[SG_SHA256_HEX_SIZE];
	sg_sha256_hex(hex, text, len);
	sg_manifest_add(&fs, hex, what);
	sg_fileset_sort(&fs);
	sg_write_stats st;
	if (sg_write_fileset(&st, &fs, dir, NULL, &d) != SG_OK)
		goto fail;
	static const char *const names[] = {"cfn", "tf", "iam", "handlers", "graph"};
	printf("outputs:");
	for (int i = 0; i < 5; i++)
		if (what & (1u << i))
			printf(" %s", names[i]);
	printf("; %zu files written, %zu unchanged, %zu scaffolds kept\n", st.written,
	       st.unchanged, st.kept);
	sg_arena_free(a);
	return 0;
fail:
	sg_diags_sort(&d);
	sg_diags_print_text(&d, stderr);
	sg_arena_free(a);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "spec"))
		return print_spec(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "generate"))
		return generate(argv[2], argv[3]);
	fputs("usage: bench_gen spec ROUTES | bench_gen generate SPEC DIR\n", stderr);
	return 2;
}
