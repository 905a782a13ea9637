/*
 * emit.c - the emitter registry: which outputs exist, and `--only` parsing.
 */
#include "svcgen/emit.h"

#include <string.h>

#include "svcgen/spec.h"

typedef int (*emit_fn)(sg_fileset *fs, const sg_plan *plan, sg_diags *diags);

static const struct emitter {
	const char *name;
	unsigned bit;
	emit_fn fn; /* NULL: not in this build yet */
} emitters[] = {
	{"cfn", SG_EMIT_CFN, sg_emit_cfn},
	{"tf", SG_EMIT_TF, NULL},
	{"iam", SG_EMIT_IAM, sg_emit_iam},
	{"handlers", SG_EMIT_HANDLERS, NULL},
	{"graph", SG_EMIT_GRAPH, NULL},
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
	int rc = SG_OK;
	unsigned miss = 0;
	for (size_t i = 0; i < N_EMITTERS; i++) {
		if (!(what & emitters[i].bit))
			continue;
		if (!emitters[i].fn) {
			miss |= emitters[i].bit;
			continue;
		}
		if (emitters[i].fn(fs, plan, diags) != SG_OK)
			rc = SG_EFINDINGS;
	}
	if (missing)
		*missing = miss;
	return rc;
}
