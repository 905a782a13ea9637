/*
 * emit.c - the emitter registry: which outputs exist, and `--only` parsing.
 */
#include "svcgen/emit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svcgen/buildid.h"
#include "svcgen/graph.h"
#include "svcgen/parallel.h"
#include "svcgen/handlers.h"
#include "svcgen/sha256.h"
#include "svcgen/spec.h"

typedef int (*emit_fn)(sg_fileset *fs, const sg_plan *plan, sg_diags *diags);

/* The handler emitter renders templates: with the stock ones when run
 * through the table; sg_emit_run_opts hands it the caller's set instead. */
static int emit_handlers_stock(sg_fileset *fs, const sg_plan *plan, sg_diags *diags)
{
	return sg_emit_handlers(fs, plan, NULL, diags);
}

static const struct emitter {
	const char *name;
	unsigned bit;
	emit_fn fn; /* NULL: not in this build yet */
} emitters[] = {
	{"cfn", SG_EMIT_CFN, sg_emit_cfn},
	{"tf", SG_EMIT_TF, sg_emit_tf},
	{"iam", SG_EMIT_IAM, sg_emit_iam},
	{"handlers", SG_EMIT_HANDLERS, emit_handlers_stock}, /* handlers/ (handlers.h) */
	{"graph", SG_EMIT_GRAPH, sg_emit_graph},   /* diagram.mmd (graph.h) */
};

#define N_EMITTERS (sizeof(emitters) / sizeof(emitters[0]))

int sg_emit_parse_only(unsigned *out, const char **bad, size_t *bad_len, const char *list)
{
	unsigned what = 0;
	const char *p = list;
	for (;;) {
		size_t n = strcspn(p, ",");
		bool found = false;
		for (size_t i = 0; i < N_EMITTERS; i++)
			if (strlen(emitters[i].name) == n && !strncmp(p, emitters[i].name, n)) {
				what |= emitters[i].bit;
				found = true;
			}
		if (!found) {
			*bad = p;
			*bad_len = n;
			return SG_EUSAGE;
		}
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	*out = what;
	return SG_OK;
}

unsigned sg_emit_available(void)
{
	unsigned bits = 0;
	for (size_t i = 0; i < N_EMITTERS; i++)
		if (emitters[i].fn)
			bits |= emitters[i].bit;
	return bits;
}

int sg_emit_run(sg_fileset *fs, unsigned *missing, const sg_plan *plan, unsigned what,
		sg_diags *diags)
{
	return sg_emit_run_opts(fs, missing, plan, what, NULL, diags);
}

/*
 * The emitters run side by side, one thread each (up to the processors
 * there are, four at most): they only read the plan, and each writes a
 * file set and a diagnostics list of its own, in an arena of its own.
 * The results are merged in the table's order, so the file set and the
 * diagnostics are the same bytes and order as one emitter after another
 * would give.  Terraform, the largest, is taken first; CloudFormation
 * runs after it on the same thread, never beside it: their trees (the
 * HCL model, the templates' cJSON) are the two large transient memories
 * of a run (about 100 and 85 MiB at 4,000 routes), and side by side they
 * raised the peak by the smaller one.
 */
typedef struct job {
	const struct emitter *e;
	const sg_plan *plan;
	const sg_emit_opts *opts;
	sg_arena *arena;
	sg_fileset fs;
	sg_diags diags;
	int rc;
	struct job *then;  /* run next on the same thread */
	bool follows;      /* another job's `then`: not taken on its own */
} job;

typedef struct jobs {
	job *list;
	size_t n;
	size_t next; /* atomic */
} jobs;

/* An emitter, then the hashes of what it made (the manifest's), on the
 * same thread: hashing every output was a tenth of a large generate when
 * the manifest did it alone. */
static void run_job(job *j)
{
	for (; j; j = j->then) {
		if (j->e->bit == SG_EMIT_HANDLERS && j->opts && j->opts->templates)
			j->rc = sg_emit_handlers(&j->fs, j->plan, j->opts->templates, &j->diags);
		else
			j->rc = j->e->fn(&j->fs, j->plan, &j->diags);
		char *hex = sg_arena_alloc(j->arena, j->fs.count * SG_SHA256_HEX_SIZE + 1);
		for (size_t k = 0; k < j->fs.count; k++, hex += SG_SHA256_HEX_SIZE) {
			sg_sha256_hex(hex, j->fs.files[k].data, j->fs.files[k].len);
			j->fs.files[k].sha256 = hex;
		}
	}
}

static void *run_jobs(void *arg)
{
	jobs *js = arg;
	for (;;) {
		size_t i = __atomic_fetch_add(&js->next, 1, __ATOMIC_RELAXED);
		if (i >= js->n)
			return NULL;
		if (!js->list[i].follows)
			run_job(&js->list[i]);
	}
}

/* Largest first: the order jobs are taken in (not the merge order). */
static int weight(unsigned bit)
{
	switch (bit) {
	case SG_EMIT_TF: return 0;
	case SG_EMIT_HANDLERS: return 1;
	case SG_EMIT_CFN: return 2;
	}
	return 3;
}

/* CloudFormation after Terraform, when both run (see above). */
static void chain(job *list, size_t n)
{
	job *tf = NULL, *cfn = NULL;
	for (size_t i = 0; i < n; i++) {
		if (list[i].e->bit == SG_EMIT_TF)
			tf = &list[i];
		else if (list[i].e->bit == SG_EMIT_CFN)
			cfn = &list[i];
	}
	if (tf && cfn) {
		tf->then = cfn;
		cfn->follows = true;
	}
}

static int by_weight(const void *a, const void *b)
{
	return weight(((const job *)a)->e->bit) - weight(((const job *)b)->e->bit);
}

static int by_table(const void *a, const void *b)
{
	const job *x = a, *y = b;
	return x->e < y->e ? -1 : x->e > y->e;
}

static void free_arena(void *a)
{
	sg_arena_free(a);
}

int sg_emit_run_opts(sg_fileset *fs, unsigned *missing, const sg_plan *plan, unsigned what,
		     const sg_emit_opts *opts, sg_diags *diags)
{
	unsigned miss = 0;
	job list[N_EMITTERS];
	jobs js = {list, 0, 0};
	for (size_t i = 0; i < N_EMITTERS; i++) {
		if (!(what & emitters[i].bit))
			continue;
		if (!emitters[i].fn) {
			miss |= emitters[i].bit;
			continue;
		}
		job *j = &list[js.n++];
		*j = (job){.e = &emitters[i], .plan = plan, .opts = opts, .arena = sg_arena_new()};
		if (!j->arena) {
			fputs("svcgen: out of memory\n", stderr);
			abort();
		}
		/* Freed with the caller's set: the files stay where they were
		 * made. */
		sg_arena_defer(fs->arena, free_arena, j->arena);
		sg_fileset_init(&j->fs, j->arena);
		sg_diags_init(&j->diags, j->arena, diags->file);
		j->diags.limit = diags->limit;
	}
	qsort(list, js.n, sizeof(*list), by_weight);
	chain(list, js.n);
	sg_parallel_run(run_jobs, &js, sg_parallel_width(js.n));

	qsort(list, js.n, sizeof(*list), by_table); /* (the `then` links are not used again) */
	int rc = SG_OK;
	for (size_t i = 0; i < js.n; i++) {
		const job *j = &list[i];
		for (size_t k = 0; k < j->fs.count; k++) {
			const sg_file *f = &j->fs.files[k];
			if (sg_fileset_add_owned(fs, f->path, f->data, f->len, f->kind) != SG_OK) {
				rc = SG_EUSAGE;
				continue;
			}
			sg_file *merged = (sg_file *)sg_fileset_get(fs, f->path);
			merged->executable = f->executable;
			merged->sha256 = f->sha256;
		}
		sg_diags_append(diags, &j->diags);
		if (j->rc != SG_OK)
			rc = SG_EFINDINGS;
	}
	if (missing)
		*missing = miss;
	return rc;
}

/* `v` as 8 little-endian bytes, whatever the host's order. */
static void hash_u64(sg_sha256_ctx *c, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	sg_sha256_update(c, b, sizeof(b));
}

int sg_emit_inputs(char hex[SG_SHA256_HEX_SIZE], const char *spec, size_t len, unsigned what)
{
	hex[0] = '\0';
	const unsigned char *id;
	size_t id_len;
	if (sg_build_id(&id, &id_len) != SG_OK)
		return SG_EUSAGE;
	/* Each part is preceded by its length, so no two different inputs
	 * run together into the same bytes. */
	sg_sha256_ctx c;
	sg_sha256_init(&c);
	sg_sha256_update(&c, "svcgen-inputs 1", 15);
	hash_u64(&c, id_len);
	sg_sha256_update(&c, id, id_len);
	hash_u64(&c, len);
	sg_sha256_update(&c, spec, len);
	hash_u64(&c, what);
	uint8_t digest[SG_SHA256_SIZE];
	sg_sha256_final(digest, &c);
	sg_sha256_to_hex(hex, digest);
	return SG_OK;
}
