/*
 * validate_int.h - private to the validator (validate*.c).
 *
 * sg_spec_validate (validate.c) builds one sg_vctx, then runs one checker
 * per part of the spec: validate.c has the top level, function settings,
 * functions, physical names and alarms; validate_data.c tables, topics and
 * Cognito; validate_api.c the API, its routes and every `uses` entry;
 * validate_util.c the pattern matchers and small helpers they share.
 *
 * Rules come from specs/reference.md; each comment says which AWS limit a
 * rule stands for, so a rule can be checked against the service's docs.
 */
#ifndef SVCGEN_VALIDATE_INT_H
#define SVCGEN_VALIDATE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "svcgen/spec.h"

/* Count limits that the brief and AWS quotas share. */
#define SG_V_MAX_TAGS        48     /* AWS's 50 per resource, less svcgen:service and svcgen:stage */
#define SG_V_MAX_GSIS        20     /* DynamoDB: global secondary indexes per table */
#define SG_V_MAX_INCLUDE     100    /* DynamoDB: projected non-key attributes */
#define SG_V_MAX_EVENTS      5      /* stream events per function (svcgen's bound) */
#define SG_V_MAX_FUNCTIONS   200    /* functions per spec (svcgen's bound) */
#define SG_V_MAX_ROUTES      3000   /* path+method pairs per API (svcgen's bound) */
#define SG_V_API_TIMEOUT     29     /* API Gateway: integration timeout, seconds */
/*
 * Lists, bounded by the AWS limit they map to (or, where AWS sets none
 * that a spec could reach, by svcgen's own, argued in specs/reference.md),
 * so that no list is larger than what it becomes can hold, and nothing
 * large is built from one before the validator refuses it.
 */
#define SG_V_MAX_CALLBACK_URLS 100  /* Cognito: CallbackURLs, LogoutURLs items */
#define SG_V_MAX_CLIENT_SCOPES 50   /* Cognito: AllowedOAuthScopes items */
#define SG_V_MAX_ROUTE_SCOPES_HTTP 10 /* API Gateway HTTP API: scopes per route */
#define SG_V_MAX_ROUTE_SCOPES_REST SG_V_MAX_CLIENT_SCOPES /* more than a client can hold */
#define SG_V_MAX_CORS_ORIGINS  100  /* svcgen's bound: one REST preflight template lists them */
#define SG_V_MAX_CORS_HEADERS  100  /* svcgen's bound */
#define SG_V_MAX_NOTIFY        100  /* svcgen's bound: each is a subscription resource */
#define SG_V_MAX_USES          100  /* svcgen's bound: each is a policy statement */
#define SG_V_FILTER_LIMIT      4096 /* Lambda: Filter.Pattern, characters */
#define SG_V_ENV_LIMIT       4096   /* Lambda: environment variables, bytes */

/* A name -> index map (open addressing) so large specs stay linear. */
typedef struct sg_vmap {
	const char **keys;
	size_t *vals;
	size_t cap;   /* power of two, or 0 when empty */
} sg_vmap;

/* One Lambda function: a `functions:` entry, a route's `function`, or both. */
typedef struct sg_vfn {
	const char *name;
	sg_pos pos;               /* the entry's name, else its first route reference */
	const sg_function *decl;  /* the `functions:` entry, or NULL */
	bool routed;              /* named by at least one route method */
	bool name_ok;             /* matches the function name pattern */
} sg_vfn;

typedef struct sg_vctx {
	sg_spec *spec;
	sg_diags *d;
	sg_arena *a;
	const char *file;

	sg_vmap tables, topics, fns;
	const char **table_names;   /* declared tables, for did-you-mean */
	const char **target_names;  /* tables then topics, for did-you-mean */
	size_t target_count;
	size_t *index_base;         /* flat numbering of all indexes, per table */
	size_t index_total;

	sg_vfn *fn;                 /* every function, in order of first mention */
	size_t fn_count;

	bool names_ok;              /* service and stage valid: physical names are meaningful */
} sg_vctx;

/* ---- diagnostics (validate_util.c) ------------------------------------ */

void sg_v_error(sg_vctx *c, const char *code, sg_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void sg_v_warning(sg_vctx *c, const char *code, sg_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * A user string made safe to quote in a message: control bytes and quotes
 * escaped, anything past 80 bytes cut to "...".  Arena-owned.
 */
const char *sg_v_q(sg_vctx *c, const char *s);

/*
 * Whether `list` has at most `max` items; else a "too-many" error at the
 * first item past the bound: "<what> lists N <items>; at most MAX<why>"
 * (`why` starts with " (" or is "").
 */
bool sg_v_bound(sg_vctx *c, const sg_strlist *list, size_t max, const char *what,
		const char *items, const char *why);

/* " (did you mean 'x'?)" for the closest of `names`, or "" when none is close. */
const char *sg_v_hint(sg_vctx *c, const char *word, const char *const *names, size_t n);

/* ---- patterns (validate_util.c) ---------------------------------------- */

/*
 * True when `s` (n bytes) is min..max bytes long, its first byte is in the
 * class `first` and every other byte in `rest`.  A class is written like a
 * regex bracket body without negation: "a-z0-9_", a trailing '-' is literal.
 */
bool sg_v_match_n(const char *s, size_t n, const char *first, const char *rest,
		  size_t min, size_t max);
bool sg_v_match(const char *s, const char *first, const char *rest, size_t min, size_t max);

/* Characters (UTF-8 code points) in `s`; bytes are not characters. */
size_t sg_v_utf8_len(const char *s);

/* ^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$ (AWS region names). */
bool sg_v_region_ok(const char *s);

/* Cognito callback/logout URL: https://host..., or http://localhost[:port]...;
 * no fragment.  `why` gets a short reason on failure. */
bool sg_v_callback_url_ok(const char *s, const char **why);

/* A CORS origin: "*" or scheme://host[:port], nothing after. */
bool sg_v_origin_ok(const char *s, const char **why);

/* local@domain.tld, loosely (SNS e-mail subscriptions confirm the rest). */
bool sg_v_email_ok(const char *s);

/* ---- name maps (validate_util.c) --------------------------------------- */

/* An empty map with room for `max_entries` names. */
void sg_vmap_init(sg_vmap *m, sg_arena *a, size_t max_entries);
/* Store `name` -> `val` unless `name` is there; returns the value stored for it. */
size_t sg_vmap_put(sg_vmap *m, const char *name, size_t val);
/* The value stored for `name`, or SG_VMAP_NONE. */
size_t sg_vmap_get(const sg_vmap *m, const char *name);
#define SG_VMAP_NONE ((size_t)-1)

/* ---- checkers ----------------------------------------------------------- */

/* validate_data.c */
void sg_v_check_tables(sg_vctx *c);
void sg_v_check_topics(sg_vctx *c);
void sg_v_check_cognito(sg_vctx *c);

/* validate_api.c */
void sg_v_check_api(sg_vctx *c);
/* One `uses` entry; `verb` is the route method's sg_method_verb, or -1 for
 * a `functions:` entry's list (no method to derive access from). */
void sg_v_check_use(sg_vctx *c, const sg_use *u, int verb);

#endif
