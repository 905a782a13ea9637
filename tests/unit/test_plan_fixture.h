/*
 * test_plan_fixture.h - helpers shared by the plan's unit tests: build a
 * plan from inline YAML, find functions, statements and environment
 * variables in it.
 *
 * Include after <cmocka.h>.  Everything is `static inline` so a test file
 * that uses only some helpers does not trip -Wunused-function.
 */
#ifndef TEST_PLAN_FIXTURE_H
#define TEST_PLAN_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "svcgen/plan.h"

typedef struct plan_fx {
	sg_arena *arena;
	sg_diags diags;
	sg_spec *spec;
	sg_plan *plan;
	int rc;        /* of sg_plan_build */
	size_t spec_diags; /* diagnostics before the plan was built */
} plan_fx;

/* Print the diagnostics, to make a failing assertion readable. */
static inline void fx_dump_diags(const plan_fx *fx)
{
	sg_diags_print_text(&fx->diags, stderr);
}

/*
 * Parse `yaml`; with `validate` also run the validator and insist that
 * neither stage found an error (the plan's input contract); then build
 * the plan.  The caller frees with fx_free.
 */
static inline plan_fx fx_build_ex(const char *yaml, bool validate)
{
	plan_fx fx;
	memset(&fx, 0, sizeof(fx));
	fx.arena = sg_arena_new();
	assert_non_null(fx.arena);
	sg_diags_init(&fx.diags, fx.arena, "t.yaml");
	int rc = sg_spec_parse(&fx.spec, fx.arena, &fx.diags, "t.yaml", yaml, strlen(yaml));
	if (rc == SG_OK && validate)
		rc = sg_spec_validate(fx.spec, &fx.diags);
	if (rc != SG_OK || (validate && fx.diags.errors)) {
		fx_dump_diags(&fx);
		fail_msg("the test spec does not %s", validate ? "validate" : "parse");
	}
	fx.spec_diags = fx.diags.count;
	fx.rc = sg_plan_build(&fx.plan, fx.arena, fx.spec, &fx.diags);
	assert_non_null(fx.plan);
	return fx;
}

/* A spec that must validate (warnings allowed), and a plan that must build
 * without findings of its own. */
static inline plan_fx fx_build(const char *yaml)
{
	plan_fx fx = fx_build_ex(yaml, true);
	if (fx.rc != SG_OK || fx.diags.count != fx.spec_diags) {
		fx_dump_diags(&fx);
		fail_msg("the plan reported findings");
	}
	return fx;
}

static inline void fx_free(plan_fx *fx)
{
	sg_arena_free(fx->arena);
	fx->arena = NULL;
}

/* The first diagnostic with `code` the plan reported, or NULL. */
static inline const sg_diag *fx_diag(const plan_fx *fx, const char *code)
{
	for (size_t i = fx->spec_diags; i < fx->diags.count; i++)
		if (strcmp(fx->diags.items[i].code, code) == 0)
			return &fx->diags.items[i];
	return NULL;
}

static inline const sg_plan_function *fx_fn(const plan_fx *fx, const char *name)
{
	const sg_plan_function *f = sg_plan_function_by_name(fx->plan, name);
	if (!f)
		fail_msg("no function '%s' in the plan", name);
	return f;
}

/* The statement with `sid`, or NULL. */
static inline const sg_plan_statement *fx_stmt(const sg_plan_function *f, const char *sid)
{
	for (size_t i = 0; i < f->statement_count; i++)
		if (strcmp(f->statements[i].sid, sid) == 0)
			return &f->statements[i];
	return NULL;
}

/* Actions of a statement joined with " ", for one-line comparisons. */
static inline const char *fx_actions(const plan_fx *fx, const sg_plan_statement *st)
{
	if (!st)
		return "(no statement)";
	char *out = sg_arena_strdup(fx->arena, "");
	for (size_t i = 0; i < st->action_count; i++)
		out = sg_arena_printf(fx->arena, "%s%s%s", out, i ? " " : "", st->actions[i]);
	return out;
}

/* Sids of a function in order, joined with " ". */
static inline const char *fx_sids(const plan_fx *fx, const sg_plan_function *f)
{
	char *out = sg_arena_strdup(fx->arena, "");
	for (size_t i = 0; i < f->statement_count; i++)
		out = sg_arena_printf(fx->arena, "%s%s%s", out, i ? " " : "", f->statements[i].sid);
	return out;
}

/* The literal resource ARN of a statement. */
static inline const char *fx_resource(const plan_fx *fx, const sg_plan_statement *st)
{
	return st ? sg_plan_arn_literal(fx->arena, fx->plan, &st->resource) : "(no statement)";
}

/* The environment variable `key` of `f`, or NULL. */
static inline const sg_plan_env *fx_env(const sg_plan_function *f, const char *key)
{
	for (size_t i = 0; i < f->env_count; i++)
		if (strcmp(f->environment[i].key, key) == 0)
			return &f->environment[i];
	return NULL;
}

/* A whole policy as text: "Sid: actions @ resource" lines. */
static inline const char *fx_policy_text(const plan_fx *fx, const sg_plan_function *f)
{
	char *out = sg_arena_strdup(fx->arena, "");
	for (size_t i = 0; i < f->statement_count; i++)
		out = sg_arena_printf(fx->arena, "%s%s: %s @ %s\n", out, f->statements[i].sid,
				      fx_actions(fx, &f->statements[i]),
				      fx_resource(fx, &f->statements[i]));
	return out;
}

/* Read a file of the repository (tests run from its root). */
static inline char *fx_read_file(sg_arena *a, const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	char *data = sg_arena_strdup(a, "");
	size_t len = 0;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		char *grown = sg_arena_alloc(a, len + n + 1);
		memcpy(grown, data, len);
		memcpy(grown + len, chunk, n);
		grown[len + n] = '\0';
		data = grown;
		len += n;
	}
	fclose(fp);
	return data;
}

/* The spec examples every plan test may run over. */
static const char *const fx_examples[] = {
	"examples/users-orders/service.yaml", "examples/dynamodb-manager/service.yaml",
	"examples/items-api/service.yaml", "examples/proxy-app/service.yaml",
};
#define FX_EXAMPLE_COUNT (sizeof(fx_examples) / sizeof(fx_examples[0]))

#endif
