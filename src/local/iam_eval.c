/*
 * iam_eval.c - identity-policy evaluation for `svcgen local` (rules and
 * their sources in include/svcgen/iam_eval.h).
 */
#include <ctype.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "svcgen/iam_eval.h"

typedef struct iam_statement {
	const char *sid;
	bool deny;
	bool not_action, not_resource;
	bool has_condition;
	const char **actions;
	size_t action_count;
	const char **resources;
	size_t resource_count;
} iam_statement;

struct sg_iam_policy {
	iam_statement *statements;
	size_t count;
};

bool sg_iam_glob(const char *p, const char *v, bool fold)
{
	/* Iterative glob with one backtrack point: linear in practice, and no
	 * recursion a hostile pattern could exploit. */
	const char *star = NULL, *mark = NULL;
	while (*v) {
		if (*p == '*') {
			star = p++;
			mark = v;
		} else if (*p == '?' ||
			   (fold ? tolower((unsigned char)*p) == tolower((unsigned char)*v)
				 : *p == *v)) {
			if (!*p)
				break;
			p++;
			v++;
		} else if (star) {
			p = star + 1;
			v = ++mark;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0' && *v == '\0';
}

/* Split at the first five ':' into 6 parts (the last one holds the rest). */
static size_t arn_split(const char *s, const char *parts[6], size_t lens[6])
{
	size_t n = 0;
	const char *p = s;
	while (n < 5) {
		const char *c = strchr(p, ':');
		if (!c)
			break;
		parts[n] = p;
		lens[n++] = (size_t)(c - p);
		p = c + 1;
	}
	parts[n] = p;
	lens[n++] = strlen(p);
	return n;
}

static bool glob_n(const char *p, size_t pl, const char *v, size_t vl)
{
	char pb[2048], vb[2048];
	if (pl >= sizeof(pb) || vl >= sizeof(vb))
		return false;
	memcpy(pb, p, pl);
	pb[pl] = '\0';
	memcpy(vb, v, vl);
	vb[vl] = '\0';
	return sg_iam_glob(pb, vb, false);
}

bool sg_iam_resource_match(const char *pattern, const char *arn)
{
	if (!strcmp(pattern, "*"))
		return true;
	const char *pp[6], *vp[6];
	size_t pl[6], vl[6];
	size_t pn = arn_split(pattern, pp, pl), vn = arn_split(arn, vp, vl);
	/* IAM refuses a Resource that is neither "*" nor an ARN; one that
	 * slipped through matches nothing. */
	if (pn != 6 || vn != 6)
		return false;
	for (size_t i = 0; i < 6; i++)
		if (!glob_n(pp[i], pl[i], vp[i], vl[i]))
			return false;
	return true;
}

/* A string or an array of strings into `*out`; -1 for anything else. */
static int strings_of(const char ***out, size_t *n, sg_arena *a, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		*out = sg_arena_calloc(a, 1, sizeof(**out));
		(*out)[0] = sg_arena_strdup(a, v->valuestring);
		*n = 1;
		return 0;
	}
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
		return -1;
	*n = (size_t)cJSON_GetArraySize(v);
	*out = sg_arena_calloc(a, *n, sizeof(**out));
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, v)
	{
		if (!cJSON_IsString(e))
			return -1;
		(*out)[i++] = sg_arena_strdup(a, e->valuestring);
	}
	return 0;
}

static int parse_statement(iam_statement *st, sg_arena *a, const cJSON *o, const char **why)
{
	if (!cJSON_IsObject(o)) {
		*why = "a statement is not an object";
		return -1;
	}
	const cJSON *effect = cJSON_GetObjectItemCaseSensitive(o, "Effect");
	if (!cJSON_IsString(effect) ||
	    (strcmp(effect->valuestring, "Allow") && strcmp(effect->valuestring, "Deny"))) {
		*why = "a statement's Effect is not Allow or Deny";
		return -1;
	}
	st->deny = !strcmp(effect->valuestring, "Deny");
	const cJSON *sid = cJSON_GetObjectItemCaseSensitive(o, "Sid");
	st->sid = cJSON_IsString(sid) ? sg_arena_strdup(a, sid->valuestring) : "";
	const cJSON *act = cJSON_GetObjectItemCaseSensitive(o, "Action");
	const cJSON *nact = cJSON_GetObjectItemCaseSensitive(o, "NotAction");
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(o, "Resource");
	const cJSON *nres = cJSON_GetObjectItemCaseSensitive(o, "NotResource");
	if (!!act == !!nact || !!res == !!nres) {
		*why = "a statement needs exactly one of Action/NotAction and of Resource/NotResource";
		return -1;
	}
	st->not_action = nact != NULL;
	st->not_resource = nres != NULL;
	if (strings_of(&st->actions, &st->action_count, a, act ? act : nact) < 0 ||
	    strings_of(&st->resources, &st->resource_count, a, res ? res : nres) < 0) {
		*why = "Action and Resource must be a string or a non-empty array of strings";
		return -1;
	}
	st->has_condition = cJSON_GetObjectItemCaseSensitive(o, "Condition") != NULL;
	return 0;
}

int sg_iam_policy_parse(sg_iam_policy **out, sg_arena *arena, const char *json, size_t len,
			const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	*out = NULL;
	cJSON *doc = cJSON_ParseWithLength(json, len);
	if (!doc) {
		*why = "the policy is not JSON";
		return -1;
	}
	sg_arena_defer(arena, (void (*)(void *))cJSON_Delete, doc);
	const cJSON *stmts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
	sg_iam_policy *p = sg_arena_alloc(arena, sizeof(*p));
	if (cJSON_IsObject(stmts)) {
		p->statements = sg_arena_calloc(arena, 1, sizeof(*p->statements));
		if (parse_statement(&p->statements[0], arena, stmts, why) < 0)
			return -1;
		p->count = 1;
	} else if (cJSON_IsArray(stmts)) {
		p->count = (size_t)cJSON_GetArraySize(stmts);
		p->statements = sg_arena_calloc(arena, p->count ? p->count : 1,
						sizeof(*p->statements));
		size_t i = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, stmts)
		{
			if (parse_statement(&p->statements[i++], arena, e, why) < 0)
				return -1;
		}
	} else {
		*why = "the policy has no Statement";
		return -1;
	}
	*out = p;
	return 0;
}

static bool statement_matches(const iam_statement *st, const char *action, const char *resource)
{
	bool a = false;
	for (size_t i = 0; i < st->action_count && !a; i++)
		a = sg_iam_glob(st->actions[i], action, true);
	if (st->not_action)
		a = !a;
	if (!a)
		return false;
	bool r = false;
	for (size_t i = 0; i < st->resource_count && !r; i++)
		r = sg_iam_resource_match(st->resources[i], resource);
	return st->not_resource ? !r : r;
}

sg_iam_decision sg_iam_evaluate(const sg_iam_policy *policy, const char *action,
				const char *resource, const char **sid)
{
	const char *allow_sid = NULL;
	for (size_t i = 0; i < policy->count; i++) {
		const iam_statement *st = &policy->statements[i];
		if (!statement_matches(st, action, resource))
			continue;
		if (st->deny) {
			/* A Deny with a Condition counts as matching: stricter. */
			if (sid)
				*sid = st->sid;
			return SG_IAM_EXPLICIT_DENY;
		}
		if (st->has_condition)
			continue; /* an Allow we cannot judge never allows */
		if (!allow_sid)
			allow_sid = st->sid;
	}
	if (sid)
		*sid = allow_sid;
	return allow_sid ? SG_IAM_ALLOW : SG_IAM_IMPLICIT_DENY;
}
