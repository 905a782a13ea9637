/*
 * names.c - name shapes and uniqueness for the plan (see plan.h, "names").
 *
 * Every generated identifier goes through here: CloudFormation logical IDs
 * (alphanumeric, at most 255 characters, unique in a template), Terraform
 * names (snake_case, unique per resource type), environment variable names,
 * and physical names cut to AWS length limits.  Keeping the rules in one
 * file is what makes the CloudFormation and Terraform outputs agree.
 *
 * Uniqueness is decided by claiming: the first claimant of a name keeps it,
 * later ones get a counter.  The plan claims in a fixed order, so the result
 * is the same on every run.
 */
#include "svcgen/plan.h"

#include <stdio.h>
#include <string.h>

/* ---- hashing ------------------------------------------------------------ */

uint64_t sg_plan_fnv1a64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint32_t fnv1a32(const char *s)
{
	uint32_t h = 0x811c9dc5u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x01000193u;
	}
	return h;
}

/* ---- character classes (ASCII only: names are ASCII by the spec rules,
 *      and locale-dependent <ctype.h> must not change the output) ------- */

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
static char to_upper(char c) { return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c; }
static char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

/* ---- the set of given-out names ---------------------------------------------
 * Open addressing over a power-of-two table; a template has at most a few
 * thousand names, and the plan builds each once. */

struct sg_plan_names {
	sg_arena *arena;
	bool fold_case;
	const char **slots;
	size_t cap, count;
};

sg_plan_names *sg_plan_names_new(sg_arena *arena, bool fold_case)
{
	sg_plan_names *n = sg_arena_alloc(arena, sizeof(*n));
	n->arena = arena;
	n->fold_case = fold_case;
	n->cap = 64;
	n->slots = sg_arena_calloc(arena, n->cap, sizeof(*n->slots));
	return n;
}

static uint64_t name_hash(const sg_plan_names *n, const char *s)
{
	uint64_t h = SG_PLAN_FNV64_INIT;
	for (; *s; s++) {
		char c = n->fold_case ? to_lower(*s) : *s;
		h = sg_plan_fnv1a64(h, &c, 1);
	}
	return h;
}

static bool name_eq(const sg_plan_names *n, const char *a, const char *b)
{
	if (!n->fold_case)
		return strcmp(a, b) == 0;
	for (; *a && *b; a++, b++)
		if (to_lower(*a) != to_lower(*b))
			return false;
	return *a == *b;
}

static size_t find_slot(const sg_plan_names *n, const char *name)
{
	size_t i = (size_t)name_hash(n, name) & (n->cap - 1);
	while (n->slots[i] && !name_eq(n, n->slots[i], name))
		i = (i + 1) & (n->cap - 1);
	return i;
}

bool sg_plan_names_has(const sg_plan_names *names, const char *name)
{
	return names->slots[find_slot(names, name)] != NULL;
}

static void names_add(sg_plan_names *n, const char *name)
{
	if ((n->count + 1) * 2 > n->cap) {
		const char **old = n->slots;
		size_t old_cap = n->cap;
		n->cap *= 2;
		n->slots = sg_arena_calloc(n->arena, n->cap, sizeof(*n->slots));
		for (size_t i = 0; i < old_cap; i++)
			if (old[i])
				n->slots[find_slot(n, old[i])] = old[i];
	}
	n->slots[find_slot(n, name)] = name;
	n->count++;
}

const char *sg_plan_names_claim(sg_plan_names *names, const char *want, const char *sep)
{
	const char *got = want;
	for (unsigned k = 2; sg_plan_names_has(names, got); k++)
		got = sg_arena_printf(names->arena, "%s%s%u", want, sep ? sep : "", k);
	got = sg_arena_strdup(names->arena, got);
	names_add(names, got);
	return got;
}

/* ---- shapes ---------------------------------------------------------------- */

char *sg_plan_pascal(sg_arena *arena, const char *name)
{
	size_t len = strlen(name);
	char *out = sg_arena_alloc(arena, len + 1);
	size_t o = 0;
	bool start = true;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!is_alnum(c)) {
			start = true;
			continue;
		}
		out[o++] = start ? to_upper(c) : c;
		start = false;
	}
	out[o] = '\0';
	return out;
}

char *sg_plan_snake(sg_arena *arena, const char *name)
{
	size_t len = strlen(name);
	char *out = sg_arena_alloc(arena, len + 2);
	size_t o = 0;
	bool gap = false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!is_alnum(c)) {
			gap = o > 0;
			continue;
		}
		if (gap)
			out[o++] = '_';
		gap = false;
		if (o == 0 && is_digit(c))
			out[o++] = '_';
		out[o++] = to_lower(c);
	}
	out[o] = '\0';
	return out;
}

char *sg_plan_shout(sg_arena *arena, const char *name)
{
	char *out = sg_arena_strdup(arena, name);
	for (char *p = out; *p; p++)
		*p = is_alnum(*p) ? to_upper(*p) : '_';
	return out;
}

char *sg_plan_shorten(sg_arena *arena, const char *name, size_t max)
{
	size_t len = strlen(name);
	if (len <= max || max < 16)
		return sg_arena_strdup(arena, name);
	return sg_arena_printf(arena, "%.*s-%08x", (int)(max - 9), name, fnv1a32(name));
}

/* Room left for the collision counter ("2" ... "99999"). */
#define COUNTER_ROOM 5

const char *sg_plan_logical_id(sg_plan_names *ids, const char *base, const char *suffix)
{
	sg_arena *a = ids->arena;
	char *pascal = sg_plan_pascal(a, base ? base : "");
	/* The suffix is ours and alphanumeric, but filter it all the same so a
	 * logical ID can never hold anything else. */
	char *suf = sg_plan_pascal(a, suffix ? suffix : "");
	size_t max = SG_PLAN_LOGICAL_ID_MAX - COUNTER_ROOM;
	size_t blen = strlen(pascal), slen = strlen(suf);
	char *want;
	if (blen + slen <= max) {
		want = sg_arena_printf(a, "%s%s", pascal, suf);
	} else {
		/* Cut the base, keep 8 hex digits of the whole base. */
		size_t keep = max > slen + 8 ? max - slen - 8 : 0;
		want = sg_arena_printf(a, "%.*s%08X%.*s", (int)(keep < blen ? keep : blen),
				       pascal, fnv1a32(pascal),
				       (int)(max - 8 - (keep < blen ? keep : blen)), suf);
	}
	if (!want[0])
		want = "Resource";
	return sg_plan_names_claim(ids, want, "");
}

bool sg_plan_logical_id_valid(const char *id)
{
	size_t n = 0;
	if (!id)
		return false;
	for (; id[n]; n++)
		if (!is_alnum(id[n]))
			return false;
	return n >= 1 && n <= SG_PLAN_LOGICAL_ID_MAX;
}
