/*
 * validate.c - sg_spec_validate: every semantic rule of the spec language
 * (specs/reference.md) that the parser's shape checks leave over: name
 * patterns, ranges, references between parts, and the AWS limits that
 * would otherwise only show up as a failed deployment.
 *
 * All problems are reported, none stops the run; each diagnostic points at
 * the value at fault.  This file has the driver, the top level, function
 * settings and functions, physical name lengths and alarms; tables, topics
 * and Cognito are in validate_data.c, the API and `uses` in validate_api.c,
 * shared helpers in validate_util.c (see validate_int.h).
 */
#include "validate_int.h"

#include <string.h>
#include <strings.h>

#define SERVICE_PATTERN  "^[a-z][a-z0-9-]{1,30}$"
#define STAGE_PATTERN    "^[a-z0-9]{1,10}$"
#define REGION_PATTERN   "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$"
#define FUNCTION_PATTERN "^[a-z][a-z0-9_]{0,39}$"
#define ENV_PATTERN      "^[A-Za-z][A-Za-z0-9_]*$"


/* ---- set-up ----------------------------------------------------------------- */

/* Maps and name lists over the declared tables and topics. */
static void index_names(sg_vctx *c)
{
	const sg_spec *s = c->spec;
	sg_vmap_init(&c->tables, c->a, s->table_count);
	sg_vmap_init(&c->topics, c->a, s->topic_count);
	c->table_names = sg_arena_calloc(c->a, s->table_count + 1, sizeof(char *));
	c->target_names = sg_arena_calloc(c->a, s->table_count + s->topic_count + 1,
					  sizeof(char *));
	c->index_base = sg_arena_calloc(c->a, s->table_count + 1, sizeof(size_t));
	for (size_t i = 0; i < s->table_count; i++) {
		sg_vmap_put(&c->tables, s->tables[i].name.v, i);
		c->table_names[i] = s->tables[i].name.v;
		c->target_names[c->target_count++] = s->tables[i].name.v;
		c->index_base[i] = c->index_total;
		c->index_total += s->tables[i].index_count;
	}
	for (size_t i = 0; i < s->topic_count; i++) {
		sg_vmap_put(&c->topics, s->topics[i].name.v, i);
		c->target_names[c->target_count++] = s->topics[i].name.v;
	}
}

static bool function_name_ok(const char *s)
{
	return sg_v_match(s, "a-z", "a-z0-9_", 1, 40);
}

/*
 * Every function once, in order of first mention: `functions:` entries
 * first, then the functions routes name (which exist implicitly).
 */
static void collect_functions(sg_vctx *c)
{
	const sg_spec *s = c->spec;
	size_t max = s->function_count;
	for (size_t i = 0; i < s->api.route_count; i++)
		max += s->api.routes[i].method_count;
	sg_vmap_init(&c->fns, c->a, max);
	c->fn = sg_arena_calloc(c->a, max + 1, sizeof(*c->fn));
	for (size_t i = 0; i < s->function_count; i++) {
		const sg_function *f = &s->functions[i];
		if (!f->name.v || sg_vmap_put(&c->fns, f->name.v, c->fn_count) != c->fn_count)
			continue;
		c->fn[c->fn_count++] = (sg_vfn){f->name.v, f->name.pos.line ? f->name.pos : f->pos,
						f, false, function_name_ok(f->name.v)};
	}
	for (size_t i = 0; i < s->api.route_count; i++) {
		const sg_route *r = &s->api.routes[i];
		for (size_t m = 0; m < r->method_count; m++) {
			const sg_str *fn = &r->methods[m].function;
			if (!fn->set || !fn->v)
				continue;
			size_t k = sg_vmap_put(&c->fns, fn->v, c->fn_count);
			if (k == c->fn_count)
				c->fn[c->fn_count++] = (sg_vfn){fn->v, fn->pos, NULL, false,
								function_name_ok(fn->v)};
			c->fn[k].routed = true;
		}
	}
}

/* ---- top level ------------------------------------------------------------------ */

/* The ASCII characters AWS allows in tag keys and values; other Unicode
 * letters are allowed too (any byte >= 0x80 is taken as one of them). */
static char bad_tag_char(const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch >= 0x80 || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr(" _.:/=+-@", ch))
			continue;
		return (char)ch;
	}
	return 0;
}

static const char *char_name(sg_vctx *c, char ch)
{
	if ((unsigned char)ch < 0x20 || ch == 0x7f)
		return sg_arena_printf(c->a, "\\x%02x", (unsigned char)ch);
	return sg_arena_printf(c->a, "%c", ch);
}

#define TAG_CHARS "letters, digits, spaces and _ . : / = + - @"

/* Tags go on every taggable resource, so they follow the strictest common
 * rules: keys 1..128 characters, values 0..256, the tag character set, no
 * "aws:" prefix (reserved), at most 50 per resource - and svcgen adds two
 * of its own (svcgen:service, svcgen:stage), so a spec may give 48. */
static void check_tags(sg_vctx *c)
{
	const sg_kvlist *t = &c->spec->tags;
	if (t->count > SG_V_MAX_TAGS)
		sg_v_error(c, "too-many", t->items[SG_V_MAX_TAGS].key.pos,
			   "the spec has %zu tags; at most %d (AWS allows 50 per resource and "
			   "svcgen adds svcgen:service and svcgen:stage)", t->count, SG_V_MAX_TAGS);
	for (size_t i = 0; i < t->count; i++) {
		const sg_str *k = &t->items[i].key, *v = &t->items[i].value;
		const char *key = k->v ? k->v : "";
		size_t n = sg_v_utf8_len(key);
		char bad;
		if (n < 1 || n > 128)
			sg_v_error(c, "bad-tag", k->pos,
				   "tag key '%s' must be 1 to 128 characters (it has %zu)",
				   sg_v_q(c, key), n);
		else if ((bad = bad_tag_char(key)))
			sg_v_error(c, "bad-tag", k->pos,
				   "tag key '%s' has '%s', which AWS does not allow in tags (allowed: "
				   TAG_CHARS ")", sg_v_q(c, key), char_name(c, bad));
		else if (strncasecmp(key, "aws:", 4) == 0)
			sg_v_error(c, "bad-tag", k->pos,
				   "tag key '%s' starts with 'aws:', which AWS reserves", sg_v_q(c, key));
		const char *val = v->v ? v->v : "";
		n = sg_v_utf8_len(val);
		if (n > 256)
			sg_v_error(c, "bad-tag", v->pos,
				   "value of tag '%s' must be at most 256 characters (it has %zu)",
				   sg_v_q(c, key), n);
		else if ((bad = bad_tag_char(val)))
			sg_v_error(c, "bad-tag", v->pos,
				   "value of tag '%s' has '%s', which AWS does not allow in tags "
				   "(allowed: " TAG_CHARS ")", sg_v_q(c, key), char_name(c, bad));
	}
}

static void check_top(sg_vctx *c)
{
	sg_spec *s = c->spec;
	if (!s->version.set)
		sg_v_error(c, "missing-key", s->pos,
			   "the spec has no 'svcgen' key (write 'svcgen: %d', the format version)",
			   SG_SPEC_VERSION);
	else if (s->version.v != SG_SPEC_VERSION)
		sg_v_error(c, "unsupported-version", s->version.pos,
			   "spec version %lld is not supported (this svcgen reads version %d)",
			   (long long)s->version.v, SG_SPEC_VERSION);

	/* The service name starts every physical name: <service>-<stage>-... */
	bool service_ok = false;
	if (!s->service.set)
		sg_v_error(c, "missing-key", s->pos, "the spec has no 'service' key (the service's name)");
	else if (!(service_ok = sg_v_match(s->service.v, "a-z", "a-z0-9-", 2, 31)))
		sg_v_error(c, "bad-name", s->service.pos, "service name '%s' must match "
			   SERVICE_PATTERN, sg_v_q(c, s->service.v));

	bool stage_ok = true;
	if (!s->stage.set || !s->stage.v)
		s->stage.v = "dev";
	else if (!(stage_ok = sg_v_match(s->stage.v, "a-z0-9", "a-z0-9", 1, 10)))
		sg_v_error(c, "bad-name", s->stage.pos, "stage '%s' must match " STAGE_PATTERN,
			   sg_v_q(c, s->stage.v));

	if (!s->region.set || !s->region.v)
		s->region.v = "us-east-1";
	else if (!sg_v_region_ok(s->region.v))
		sg_v_error(c, "bad-value", s->region.pos,
			   "region '%s' is not an AWS region name (" REGION_PATTERN ", e.g. us-east-1)",
			   sg_v_q(c, s->region.v));
	c->names_ok = service_ok && stage_ok;
	check_tags(c);
}

/* ---- function settings ------------------------------------------------------- */

/* CloudWatch Logs: the retention periods PutRetentionPolicy accepts. */
static const int64_t log_retention_days[] = {
	1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
	2192, 2557, 2922, 3288, 3653,
};
#define LOG_RETENTION_LIST "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, " \
	"731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"

static void check_range(sg_vctx *c, const sg_int *v, const char *what, int64_t lo, int64_t hi,
			const char *unit)
{
	if (v->set && (v->v < lo || v->v > hi))
		sg_v_error(c, "out-of-range", v->pos, "%s %lld is out of range (%lld to %lld%s)",
			   what, (long long)v->v, (long long)lo, (long long)hi, unit);
}

/* Lower-case copy of `s` when it is all upper-case letters, digits and
 * '_', i.e. when it could be a name svcgen upper-cased; else NULL. */
static char *unupper(sg_vctx *c, const char *s, size_t n)
{
	if (!sg_v_match_n(s, n, "A-Z0-9_", "A-Z0-9_", 1, 64))
		return NULL;
	char *r = sg_arena_strndup(c->a, s, n);
	for (char *p = r; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return r;
}

/*
 * What svcgen itself would set under this name: TABLE_<TABLE>,
 * INDEX_<TABLE>_<INDEX>, TOPIC_<TOPIC> (DESIGN.md section 4).  Returns a
 * description such as "table 'orders'", or NULL.  The names are reserved
 * whether or not a given function uses the table: they are svcgen's.
 */
static const char *generated_owner(sg_vctx *c, const char *key)
{
	const sg_spec *s = c->spec;
	size_t n = strlen(key);
	if (n > 6 && strncmp(key, "TABLE_", 6) == 0) {
		char *t = unupper(c, key + 6, n - 6);
		if (t && sg_vmap_get(&c->tables, t) != SG_VMAP_NONE)
			return sg_arena_printf(c->a, "table '%s'", t);
	} else if (n > 6 && strncmp(key, "TOPIC_", 6) == 0) {
		char *t = unupper(c, key + 6, n - 6);
		if (t && sg_vmap_get(&c->topics, t) != SG_VMAP_NONE)
			return sg_arena_printf(c->a, "topic '%s'", t);
	} else if (n > 6 && strncmp(key, "INDEX_", 6) == 0) {
		/* Table and index names may hold '_': try every split. */
		for (size_t i = 7; i + 1 < n; i++) {
			if (key[i] != '_')
				continue;
			char *t = unupper(c, key + 6, i - 6), *x = unupper(c, key + i + 1, n - i - 1);
			size_t ti = t ? sg_vmap_get(&c->tables, t) : SG_VMAP_NONE;
			if (ti != SG_VMAP_NONE && x && sg_table_index(&s->tables[ti], x))
				return sg_arena_printf(c->a, "index '%s' of table '%s'", x, t);
		}
	}
	return NULL;
}

static void check_environment_names(sg_vctx *c, const sg_kvlist *env)
{
	for (size_t i = 0; i < env->count; i++) {
		const sg_str *k = &env->items[i].key;
		const char *key = k->v ? k->v : "";
		const char *owner;
		if (!sg_v_match(key, "A-Za-z", "A-Za-z0-9_", 1, (size_t)-1))
			sg_v_error(c, "bad-env", k->pos,
				   "environment variable name '%s' must match " ENV_PATTERN,
				   sg_v_q(c, key));
		else if (strncmp(key, "AWS_", 4) == 0)
			/* Lambda reserves AWS_* names for the runtime. */
			sg_v_error(c, "bad-env", k->pos,
				   "environment variable '%s' starts with AWS_, which Lambda reserves",
				   sg_v_q(c, key));
		else if ((owner = generated_owner(c, key)))
			sg_v_error(c, "bad-env", k->pos,
				   "environment variable '%s' is the one svcgen sets for %s",
				   sg_v_q(c, key), owner);
	}
}

/* Settings of `defaults:` or of one `functions:` entry. */
static void check_settings(sg_vctx *c, const sg_fn_settings *s)
{
	check_range(c, &s->memory, "memory", 128, 10240, " MB");        /* Lambda MemorySize */
	check_range(c, &s->timeout, "timeout", 1, 900, " seconds");     /* Lambda Timeout */
	check_range(c, &s->reserved_concurrency, "reserved_concurrency", 0, 1000, "");
	if (s->log_retention.set) {
		bool ok = false;
		for (size_t i = 0; i < sizeof(log_retention_days) / sizeof(log_retention_days[0]); i++)
			ok = ok || s->log_retention.v == log_retention_days[i];
		if (!ok)
			sg_v_error(c, "bad-value", s->log_retention.pos,
				   "log_retention %lld is not a retention CloudWatch Logs accepts "
				   "(one of " LOG_RETENTION_LIST " days)", (long long)s->log_retention.v);
	}
	check_environment_names(c, &s->environment);
}

/* ---- functions ----------------------------------------------------------------- */

static void check_events(sg_vctx *c, const sg_function *f)
{
	for (size_t i = 0; i < f->event_count; i++) {
		const sg_event *e = &f->events[i];
		if (i == SG_V_MAX_EVENTS)
			sg_v_error(c, "too-many", e->pos, "function '%s' has %zu events; at most %d",
				   sg_v_q(c, f->name.v), f->event_count, SG_V_MAX_EVENTS);
		if (!e->table.set) {
			sg_v_error(c, "missing-key", e->pos, "stream event has no table");
		} else {
			size_t t = sg_vmap_get(&c->tables, e->table.v);
			if (t == SG_VMAP_NONE) {
				sg_v_error(c, "undeclared-table", e->table.pos,
					   "table '%s' is not declared%s", sg_v_q(c, e->table.v),
					   sg_v_hint(c, e->table.v, c->table_names,
						     c->spec->table_count));
			} else {
				const sg_enum *st = &c->spec->tables[t].stream;
				if (!st->set || st->v == SG_STREAM_NONE)
					sg_v_error(c, "stream-disabled", e->table.pos,
						   "table '%s' has no stream (add "
						   "'stream: new_and_old_images' to it)",
						   sg_v_q(c, e->table.v));
			}
		}
		/* Lambda: a filter pattern is at most 4096 characters. */
		if (e->filter_json && strlen(e->filter_json) > SG_V_FILTER_LIMIT)
			sg_v_error(c, "too-large", e->filter_pos,
				   "the filter pattern is %zu characters as JSON; Lambda accepts "
				   "at most %d", strlen(e->filter_json), SG_V_FILTER_LIMIT);
		/* Lambda event source mapping limits for DynamoDB streams. */
		check_range(c, &e->batch_size, "batch_size", 1, 10000, "");
		check_range(c, &e->batching_window, "batching_window", 0, 300, " seconds");
		check_range(c, &e->retries, "retries", -1, 10000, "");
	}
}

static void check_functions(sg_vctx *c)
{
	const sg_spec *s = c->spec;
	for (size_t i = 0; i < s->function_count; i++) {
		const sg_function *f = &s->functions[i];
		sg_pos at = f->name.pos.line ? f->name.pos : f->pos;
		/* Function names become C identifiers and file names. */
		if (!function_name_ok(f->name.v))
			sg_v_error(c, "bad-name", at,
				   "function name '%s' must match " FUNCTION_PATTERN
				   " (it becomes a C identifier and a file name)", sg_v_q(c, f->name.v));
		check_settings(c, &f->settings);
		check_events(c, f);
		if (f->use_count > SG_V_MAX_USES)
			sg_v_error(c, "too-many", f->uses[SG_V_MAX_USES].pos,
				   "function '%s' lists %zu uses entries; at most %d",
				   sg_v_q(c, f->name.v), f->use_count, SG_V_MAX_USES);
		for (size_t u = 0; u < f->use_count && f->use_count <= SG_V_MAX_USES; u++)
			sg_v_check_use(c, &f->uses[u], -1);
		size_t k = sg_vmap_get(&c->fns, f->name.v);
		if (f->event_count == 0 && k != SG_VMAP_NONE && !c->fn[k].routed)
			sg_v_warning(c, "unused-function", at,
				     "function '%s' has no route and no event: nothing invokes it",
				     sg_v_q(c, f->name.v));
	}
	if (c->fn_count > SG_V_MAX_FUNCTIONS)
		sg_v_error(c, "too-many", c->fn[SG_V_MAX_FUNCTIONS].pos,
			   "the spec has %zu functions; at most %d", c->fn_count, SG_V_MAX_FUNCTIONS);
}

/* API Gateway gives up on an integration after 29 seconds: a longer
 * Lambda timeout behind a route only hides that the client got a 504. */
static void check_api_timeouts(sg_vctx *c)
{
	const sg_int *dt = &c->spec->defaults.timeout;
	for (size_t i = 0; i < c->fn_count; i++) {
		const sg_vfn *f = &c->fn[i];
		if (!f->routed)
			continue;
		const sg_int *t = f->decl && f->decl->settings.timeout.set ? &f->decl->settings.timeout : dt;
		if (!t->set || t->v <= SG_V_API_TIMEOUT || t->v > 900)
			continue; /* over 900 is out-of-range already */
		sg_v_error(c, "timeout-over-api-limit", t->pos,
			   "timeout %lld seconds%s of function '%s' is over API Gateway's %d-second "
			   "limit for the routes it serves", (long long)t->v,
			   t == dt ? " (from defaults)" : "", sg_v_q(c, f->name), SG_V_API_TIMEOUT);
	}
}

/* HTTP APIs have no X-Ray integration: warn once, wherever tracing is on. */
static void check_tracing(sg_vctx *c)
{
	const sg_spec *s = c->spec;
	if (!s->api.present || !s->api.type.set || s->api.type.v != SG_API_HTTP)
		return;
	const sg_bool *on = s->defaults.tracing.set && s->defaults.tracing.v ? &s->defaults.tracing : NULL;
	for (size_t i = 0; !on && i < s->function_count; i++) {
		const sg_bool *t = &s->functions[i].settings.tracing;
		if (t->set && t->v)
			on = t;
	}
	if (on) /* at `type: http`, the choice that loses the tracing */
		sg_v_warning(c, "xray-http-api", s->api.type.pos,
			     "an HTTP API has no X-Ray tracing: traces start at the functions, "
			     "not at the API");
}

/* ---- environment size -------------------------------------------------------- */

static size_t env_bytes(const sg_kvlist *env)
{
	size_t n = 0;
	for (size_t i = 0; i < env->count; i++)
		n += strlen(env->items[i].key.v ? env->items[i].key.v : "") +
		     strlen(env->items[i].value.v ? env->items[i].value.v : "");
	return n;
}

/* The user's variables of one function: its own plus the defaults it does
 * not override (by name). */
static size_t user_env_bytes(const sg_kvlist *own, const sg_kvlist *def)
{
	size_t n = env_bytes(own) + env_bytes(def);
	if (own->count * def->count > 1000000)
		return n; /* an approximation is enough for such a spec */
	for (size_t i = 0; i < def->count; i++) {
		const char *k = def->items[i].key.v;
		for (size_t j = 0; k && j < own->count; j++) {
			if (own->items[j].key.v && strcmp(own->items[j].key.v, k) == 0) {
				n -= strlen(k) + strlen(def->items[i].value.v ? def->items[i].value.v : "");
				break;
			}
		}
	}
	return n;
}

/* Bookkeeping for the variables svcgen adds to one function. */
typedef struct gen_env {
	size_t *table_seen, *index_seen, *topic_seen; /* function index + 1 */
	size_t stamp, bytes, count;
} gen_env;

/*
 * Add what svcgen sets for one `uses` entry: TABLE_<T> = <service>-<stage>-<t>,
 * INDEX_<T>_<I> = <i>, TOPIC_<T> = the topic ARN.  Unknown targets are
 * reported elsewhere and add nothing.
 */
static void add_generated(sg_vctx *c, gen_env *g, const sg_use *u)
{
	const sg_spec *s = c->spec;
	size_t prefix = strlen(s->service.v ? s->service.v : "") + strlen(s->stage.v) + 2;
	size_t t = sg_vmap_get(&c->tables, u->target);
	if (t != SG_VMAP_NONE) {
		size_t tn = strlen(u->target);
		if (g->table_seen[t] != g->stamp) {
			g->table_seen[t] = g->stamp;
			g->bytes += 6 + tn + prefix + tn;
			g->count++;
		}
		const sg_table *tb = &s->tables[t];
		for (size_t i = 0; u->index && i < tb->index_count; i++) {
			if (!tb->indexes[i].name.v || strcmp(tb->indexes[i].name.v, u->index) != 0)
				continue;
			size_t x = c->index_base[t] + i;
			if (g->index_seen[x] != g->stamp) {
				g->index_seen[x] = g->stamp;
				g->bytes += 6 + tn + 1 + 2 * strlen(u->index);
				g->count++;
			}
			break;
		}
		return;
	}
	size_t p = sg_vmap_get(&c->topics, u->target);
	if (p != SG_VMAP_NONE && g->topic_seen[p] != g->stamp) {
		size_t tn = strlen(u->target);
		/* arn:aws:sns:<region>:<12-digit account>:<service>-<stage>-<topic>[.fifo] */
		g->topic_seen[p] = g->stamp;
		g->bytes += 6 + tn + strlen("arn:aws:sns:") + strlen(s->region.v) + 1 + 12 + 1 +
			    prefix + tn + (s->topics[p].fifo.v ? 5 : 0);
		g->count++;
	}
}

/* Lambda: the environment of a function (names and values) is at most 4 KB. */
static void check_environment_sizes(sg_vctx *c)
{
	const sg_spec *s = c->spec;
	const sg_kvlist *def = &s->defaults.environment;
	bool defaults_over = env_bytes(def) > SG_V_ENV_LIMIT;
	if (defaults_over)
		sg_v_error(c, "bad-env", def->pos,
			   "the defaults environment is %zu bytes; Lambda allows %d per function "
			   "(names and values)", env_bytes(def), SG_V_ENV_LIMIT);

	/* Each function's `uses`, from its entry and from every route method. */
	size_t *n = sg_arena_calloc(c->a, c->fn_count + 1, sizeof(size_t));
	const sg_use ***uses = sg_arena_calloc(c->a, c->fn_count + 1, sizeof(*uses));
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			for (size_t i = 0; i < c->fn_count; i++) {
				uses[i] = sg_arena_calloc(c->a, n[i] + 1, sizeof(**uses));
				n[i] = 0;
			}
		}
		for (size_t i = 0; i < c->fn_count; i++) {
			const sg_function *d = c->fn[i].decl;
			for (size_t u = 0; d && u < d->use_count; u++) {
				if (pass == 1)
					uses[i][n[i]] = &d->uses[u];
				n[i]++;
			}
		}
		for (size_t r = 0; r < s->api.route_count; r++) {
			const sg_route *rt = &s->api.routes[r];
			for (size_t m = 0; m < rt->method_count; m++) {
				size_t i = sg_vmap_get(&c->fns, rt->methods[m].function.v);
				for (size_t u = 0; i != SG_VMAP_NONE && u < rt->methods[m].use_count; u++) {
					if (pass == 1)
						uses[i][n[i]] = &rt->methods[m].uses[u];
					n[i]++;
				}
			}
		}
	}

	gen_env g = {
		sg_arena_calloc(c->a, s->table_count + 1, sizeof(size_t)),
		sg_arena_calloc(c->a, c->index_total + 1, sizeof(size_t)),
		sg_arena_calloc(c->a, s->topic_count + 1, sizeof(size_t)),
		0, 0, 0,
	};
	for (size_t i = 0; i < c->fn_count; i++) {
		const sg_vfn *f = &c->fn[i];
		const sg_kvlist *own = f->decl ? &f->decl->settings.environment : NULL;
		bool has_own = own && own->count > 0;
		if (defaults_over && !has_own)
			continue; /* said once above */
		g.stamp = i + 1;
		g.bytes = g.count = 0;
		for (size_t u = 0; u < n[i]; u++)
			add_generated(c, &g, uses[i][u]);
		static const sg_kvlist none;
		size_t total = user_env_bytes(own ? own : &none, def) + g.bytes;
		if (total <= SG_V_ENV_LIMIT)
			continue;
		sg_pos at = has_own ? own->pos : def->count ? def->pos : f->pos;
		sg_v_error(c, "bad-env", at,
			   "the environment of function '%s' would be %zu bytes (names and values, "
			   "counting %zu variable%s svcgen adds); Lambda allows %d",
			   sg_v_q(c, f->name), total, g.count, g.count == 1 ? "" : "s",
			   SG_V_ENV_LIMIT);
	}
}

/* ---- physical names ------------------------------------------------------------ */

/*
 * Names svcgen gives resources: <service>-<stage>-<name>.  Checked only for
 * valid parts (a bad service name is reported once, not per resource).
 */
static void check_physical_names(sg_vctx *c)
{
	const sg_spec *s = c->spec;
	if (!c->names_ok)
		return;
	const char *svc = s->service.v, *stage = s->stage.v;
	for (size_t i = 0; i < c->fn_count; i++) {
		const sg_vfn *f = &c->fn[i];
		if (!f->name_ok)
			continue;
		char *name = sg_arena_printf(c->a, "%s-%s-%s", svc, stage, f->name);
		size_t n = strlen(name);
		/* Lambda FunctionName and IAM RoleName: 64 characters. */
		if (n > 64)
			sg_v_error(c, "name-too-long", f->pos,
				   "function name '%s' is %zu characters; Lambda function and IAM "
				   "role names allow 64", name, n);
		/* CloudWatch Logs: log group names up to 512 characters. */
		else if (n + strlen("/aws/lambda/") > 512)
			sg_v_error(c, "name-too-long", f->pos,
				   "log group name '/aws/lambda/%s' is %zu characters; CloudWatch "
				   "Logs allows 512", name, n + strlen("/aws/lambda/"));
	}
	for (size_t i = 0; i < s->table_count; i++) {
		const sg_table *t = &s->tables[i];
		if (!sg_v_match(t->name.v, "a-z", "a-z0-9_", 1, 31))
			continue;
		char *name = sg_arena_printf(c->a, "%s-%s-%s", svc, stage, t->name.v);
		if (strlen(name) > 255) /* DynamoDB TableName */
			sg_v_error(c, "name-too-long", t->name.pos,
				   "table name '%s' is %zu characters; DynamoDB allows 255",
				   name, strlen(name));
	}
	for (size_t i = 0; i < s->topic_count; i++) {
		const sg_topic *t = &s->topics[i];
		if (!sg_v_match(t->name.v, "a-z", "a-z0-9_", 1, 31))
			continue;
		char *name = sg_arena_printf(c->a, "%s-%s-%s%s", svc, stage, t->name.v,
					     t->fifo.v ? ".fifo" : "");
		if (strlen(name) > 256) /* SNS TopicName, .fifo included */
			sg_v_error(c, "name-too-long", t->name.pos,
				   "topic name '%s' is %zu characters; SNS allows 256",
				   name, strlen(name));
	}
}

/* ---- alarms ---------------------------------------------------------------------- */

/* CloudWatch alarms: Period is 10, 30 or a multiple of 60 seconds, at
 * least one evaluation period, and Period x EvaluationPeriods <= one day. */
static void check_rule(sg_vctx *c, const sg_alarm_rule *r, const char *name, bool p99)
{
	if (!r->set)
		return;
	int64_t min = p99 ? 1 : 0;
	if (!r->threshold.set)
		sg_v_error(c, "missing-key", r->pos, "alarm '%s' has no %s", name,
			   p99 ? "threshold_ms" : "threshold");
	else if (r->threshold.v < min)
		sg_v_error(c, "out-of-range", r->threshold.pos,
			   "%s %lld of alarm '%s' is out of range (at least %lld%s)",
			   p99 ? "threshold_ms" : "threshold", (long long)r->threshold.v, name,
			   (long long)min, p99 ? " ms" : "");
	int64_t period = 60, evals = 1;
	bool period_ok = true;
	if (r->period.set) {
		int64_t p = r->period.v;
		period_ok = p == 10 || p == 30 || (p > 0 && p % 60 == 0);
		if (!period_ok)
			sg_v_error(c, "bad-value", r->period.pos,
				   "period %lld of alarm '%s' must be 10, 30 or a multiple of 60 seconds",
				   (long long)p, name);
		else
			period = p;
	}
	if (r->evaluation_periods.set) {
		if (r->evaluation_periods.v < 1) {
			sg_v_error(c, "out-of-range", r->evaluation_periods.pos,
				   "evaluation_periods %lld of alarm '%s' is out of range (at least 1)",
				   (long long)r->evaluation_periods.v, name);
			return;
		}
		evals = r->evaluation_periods.v;
	}
	if (period_ok && evals > 86400 / period) {
		sg_pos at = r->evaluation_periods.set ? r->evaluation_periods.pos : r->period.pos;
		sg_v_error(c, "out-of-range", at,
			   "alarm '%s' looks back period x evaluation_periods = %lld x %lld seconds; "
			   "CloudWatch allows at most 86400 (one day)", name, (long long)period,
			   (long long)evals);
	}
}

static void check_alarms(sg_vctx *c)
{
	const sg_spec *s = c->spec;
	const sg_alarms *al = &s->alarms;
	if (!al->present)
		return;
	bool notify_ok = sg_v_bound(c, &al->notify, SG_V_MAX_NOTIFY, "alarms.notify",
				    "addresses", " (a mailing list scales past that)");
	for (size_t i = 0; notify_ok && i < al->notify.count; i++)
		if (!sg_v_email_ok(al->notify.items[i].v))
			sg_v_error(c, "bad-email", al->notify.items[i].pos,
				   "'%s' is not an e-mail address (local@domain.tld)",
				   sg_v_q(c, al->notify.items[i].v));
	check_rule(c, &al->fn_errors, "functions.errors", false);
	check_rule(c, &al->fn_throttles, "functions.throttles", false);
	check_rule(c, &al->fn_duration_p99, "functions.duration_p99", true);
	check_rule(c, &al->api_5xx, "api.5xx", false);
	check_rule(c, &al->api_4xx, "api.4xx", false);
	check_rule(c, &al->api_latency_p99, "api.latency_p99", true);
	check_rule(c, &al->table_throttles, "tables.throttles", false);

	const sg_alarm_rule *api_rules[] = {&al->api_5xx, &al->api_4xx, &al->api_latency_p99};
	for (size_t i = 0; i < 3 && !s->api.present; i++) {
		if (api_rules[i]->set) {
			sg_v_error(c, "alarm-without-target", api_rules[i]->pos,
				   "api alarms need an api, and the spec has none");
			break;
		}
	}
	if (al->table_throttles.set && s->table_count == 0)
		sg_v_warning(c, "alarm-without-target", al->table_throttles.pos,
			     "table alarms have no table to watch");
}

/* ---- entry point ----------------------------------------------------------------- */

int sg_spec_validate(sg_spec *spec, sg_diags *diags)
{
	size_t errors_before = diags->errors;
	sg_vctx c;
	memset(&c, 0, sizeof(c));
	c.spec = spec;
	c.d = diags;
	c.a = diags->arena;
	c.file = spec->file ? spec->file : diags->file;

	index_names(&c);
	check_top(&c);
	check_settings(&c, &spec->defaults);
	sg_v_check_tables(&c);
	sg_v_check_topics(&c);
	sg_v_check_cognito(&c);
	collect_functions(&c);
	check_functions(&c);
	sg_v_check_api(&c);
	check_api_timeouts(&c);
	check_tracing(&c);
	check_environment_sizes(&c);
	check_physical_names(&c);
	check_alarms(&c);
	return diags->errors > errors_before ? SG_EFINDINGS : SG_OK;
}
