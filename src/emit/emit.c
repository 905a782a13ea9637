/*
 * emit.c - the emitter registry: which outputs exist, and `--only` parsing.
 */
#include "svcgen/emit.h"

#include <stdint.h>
#include <string.h>

#include "svcgen/buildid.h"
#include "svcgen/graph.h"
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

int sg_emit_run_opts(sg_fileset *fs, unsigned *missing, const sg_plan *plan, unsigned what,
		     const sg_emit_opts *opts, sg_diags *diags)
{
	int rc = SG_OK;
	unsigned miss = 0;
	for (size_t i = 0; i < N_EMITTERS; i++) {
		if (!(what & emitters[i].bit))
			continue;
		if (!emitters[i].fn) {
			miss |= emitters[i].bit;
			continue;
		}
		int erc;
		if (emitters[i].bit == SG_EMIT_HANDLERS && opts && opts->templates)
			erc = sg_emit_handlers(fs, plan, opts->templates, diags);
		else
			erc = emitters[i].fn(fs, plan, diags);
		if (erc != SG_OK)
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
