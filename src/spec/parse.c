/*
 * parse.c - the spec reader: YAML tree -> sg_spec (see spec.h).
 *
 * Each mapping of the language is described by a table of fields (key, type,
 * where it goes in the model).  One generic loop reads a mapping against its
 * table, so unknown keys, wrong types and bad enum values are reported the
 * same way everywhere, with a did-you-mean hint.  Semantic rules (patterns,
 * ranges, references) are validate.c's; this file only decides what the
 * text says.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "svcgen/spec.h"
#include "svcgen/suggest.h"
#include "spell.h"
#include "ytree.h"

typedef struct ctx {
	sg_arena *arena;
	sg_diags *diags;
	sg_spec *spec;
	/*
	 * The key path of the node being read ("defaults.memory",
	 * "api.routes[\"/users\"].GET.uses[0]"): every diagnostic about a
	 * value starts with it, so a message says which key it is about even
	 * where the same word (threshold, table, memory) appears many times.
	 */
	sg_buf path;
} ctx;

/* ---- key paths ---------------------------------------------------------- */

/* Keys that read unambiguously after a '.'; others are written ["..."]. */
static bool simple_key(const char *k)
{
	if (!*k)
		return false;
	for (const char *p = k; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return true;
}

/* Append `key` to the path; returns the length to restore with path_pop. */
static size_t path_key(ctx *c, const char *key)
{
	size_t mark = c->path.len;
	if (!key)
		key = "";
	if (simple_key(key)) {
		if (c->path.len)
			sg_buf_putc(&c->path, '.');
		sg_buf_puts(&c->path, key);
		return mark;
	}
	sg_buf_puts(&c->path, "[\"");
	for (const char *p = key; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '"' || ch == '\\')
			sg_buf_printf(&c->path, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			sg_buf_printf(&c->path, "\\x%02x", ch);
		else
			sg_buf_putc(&c->path, (char)ch);
	}
	sg_buf_puts(&c->path, "\"]");
	return mark;
}

/* Append "[i]" (list item i, from 0). */
static size_t path_index(ctx *c, size_t i)
{
	size_t mark = c->path.len;
	sg_buf_printf(&c->path, "[%zu]", i);
	return mark;
}

static void path_pop(ctx *c, size_t mark)
{
	c->path.len = mark;
	if (c->path.ptr)
		c->path.ptr[mark] = '\0';
}

/* An error about the value at the current path: "PATH: message". */
static void perr(ctx *c, const char *code, sg_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void perr(ctx *c, const char *code, sg_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = sg_arena_vprintf(c->arena, fmt, ap);
	va_end(ap);
	if (c->path.len)
		sg_error(c->diags, code, pos, "%s: %s", c->path.ptr, msg);
	else
		sg_error(c->diags, code, pos, "%s", msg);
}

/* ---- enum spellings ----------------------------------------------------- */

/* The enums' words come from spell.h, shared with the *_name functions. */
typedef sg_spelling enumdef;
#define E_ARCH sg_spell_arch
#define E_ATTR sg_spell_attr
#define E_BILLING sg_spell_billing
#define E_STREAM sg_spell_stream
#define E_SIGNIN sg_spell_sign_in
#define E_MFA sg_spell_mfa
#define E_FLOW sg_spell_oauth_flow
#define E_APITYPE sg_spell_api_type
#define E_AUTH sg_spell_auth
#define E_METHOD sg_spell_method
#define E_START sg_spell_start_pos
#define E_ACCESS sg_spell_access
/* ---- scalar readers ----------------------------------------------------- */

/* What a node is, for "found ...": its text when it is a scalar. */
static const char *found(ctx *c, const sg_ynode *n)
{
	if (n->kind == SG_Y_SCALAR && !sg_ynode_is_null(n))
		return sg_arena_printf(c->arena, n->plain ? "'%s'" : "the string \"%s\"", n->text);
	return sg_ynode_kind_name(n);
}

/*
 * `want` says what the key accepts ("an integer"); `hint`, when not NULL,
 * its unit and range ("MB, 128..10240"), shown in parentheses.
 */
static void type_error_hint(ctx *c, const sg_ynode *n, const char *want, const char *hint)
{
	if (hint)
		perr(c, "type-mismatch", n->pos, "expected %s (%s), found %s", want, hint,
		     found(c, n));
	else
		perr(c, "type-mismatch", n->pos, "expected %s, found %s", want, found(c, n));
}

static void type_error(ctx *c, const sg_ynode *n, const char *want)
{
	type_error_hint(c, n, want, NULL);
}

static bool read_str_hint(ctx *c, const sg_ynode *n, sg_str *out, const char *hint)
{
	if (n->kind != SG_Y_SCALAR || sg_ynode_is_null(n)) {
		type_error_hint(c, n, "a string", hint);
		return false;
	}
	out->v = n->text;
	out->pos = n->pos;
	out->set = true;
	return true;
}

static bool read_str(ctx *c, const sg_ynode *n, sg_str *out)
{
	return read_str_hint(c, n, out, NULL);
}

static bool read_int(ctx *c, const sg_ynode *n, sg_int *out, const char *hint)
{
	if (n->kind != SG_Y_SCALAR || sg_ynode_is_null(n)) {
		type_error_hint(c, n, "an integer", hint);
		return false;
	}
	const char *s = n->text;
	const char *p = s + (*s == '-' || *s == '+');
	bool digits = *p != '\0';
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			digits = false;
	if (!digits) {
		type_error_hint(c, n, "an integer", hint);
		return false;
	}
	if (!n->plain) {
		if (hint)
			perr(c, "type-mismatch", n->pos,
			     "expected an integer (%s), found the string \"%s\" (remove the quotes)",
			     hint, s);
		else
			perr(c, "type-mismatch", n->pos,
			     "expected an integer, found the string \"%s\" (remove the quotes)", s);
		return false;
	}
	errno = 0;
	long long v = strtoll(s, NULL, 10);
	if (errno == ERANGE) {
		if (hint)
			perr(c, "out-of-range", n->pos, "integer '%s' is too large (%s)", s, hint);
		else
			perr(c, "out-of-range", n->pos, "integer '%s' is too large", s);
		return false;
	}
	out->v = v;
	out->pos = n->pos;
	out->set = true;
	return true;
}

static bool read_bool(ctx *c, const sg_ynode *n, sg_bool *out)
{
	if (n->kind == SG_Y_SCALAR && n->plain) {
		const char *s = n->text;
		if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE") ||
		    !strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
			out->v = s[0] == 't' || s[0] == 'T';
			out->pos = n->pos;
			out->set = true;
			return true;
		}
		static const char *const yaml11[] = {"yes", "no", "on", "off", "y", "n",
						     "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"};
		for (size_t i = 0; i < sizeof(yaml11) / sizeof(yaml11[0]); i++)
			if (!strcmp(s, yaml11[i])) {
				perr(c, "type-mismatch", n->pos,
				     "expected true or false, found '%s' (YAML 1.1 booleans are "
				     "not accepted)", s);
				return false;
			}
	}
	type_error(c, n, "true or false");
	return false;
}

static void enum_error(ctx *c, const sg_ynode *n, const enumdef *e, size_t skip)
{
	sg_buf list = SG_BUF_INIT;
	for (size_t i = skip; i < e->n; i++) {
		if (i > skip)
			sg_buf_puts(&list, i + 1 == e->n ? " or " : ", ");
		sg_buf_puts(&list, e->names[i]);
	}
	const char *hint = sg_suggest(n->text, e->names + skip, e->n - skip);
	if (hint)
		perr(c, "bad-enum", n->pos, "unknown %s '%s' (did you mean '%s'?)", e->what,
		     n->text, hint);
	else
		perr(c, "bad-enum", n->pos, "unknown %s '%s' (expected %s)", e->what, n->text,
		     list.ptr);
	sg_buf_free(&list);
}

static int lookup_enum(const enumdef *e, const char *s, size_t skip)
{
	for (size_t i = skip; i < e->n; i++)
		if (!strcmp(e->names[i], s))
			return (int)i;
	return -1;
}

/* `lead` then "a, b or c": the words an enum accepts from `skip` on. */
static const char *enum_words(ctx *c, const char *lead, const enumdef *e, size_t skip)
{
	sg_buf list = SG_BUF_INIT;
	sg_buf_puts(&list, lead);
	for (size_t i = skip; i < e->n; i++) {
		if (i > skip)
			sg_buf_puts(&list, i + 1 == e->n ? " or " : ", ");
		sg_buf_puts(&list, e->names[i]);
	}
	return sg_buf_to_arena(&list, c->arena, NULL);
}

static bool read_enum(ctx *c, const sg_ynode *n, const enumdef *e, sg_enum *out)
{
	if (n->kind != SG_Y_SCALAR || sg_ynode_is_null(n)) {
		type_error(c, n, enum_words(c, "one of ", e, 0));
		return false;
	}
	int v = lookup_enum(e, n->text, 0);
	if (v < 0) {
		enum_error(c, n, e, 0);
		return false;
	}
	out->v = v;
	out->pos = n->pos;
	out->set = true;
	return true;
}

/* `null` for a collection means "empty", which is how YAML users write it.
 * `hint` (or NULL) says what goes in the list. */
static bool want_seq_hint(ctx *c, const sg_ynode *n, const char *hint)
{
	if (n->kind == SG_Y_SEQ || sg_ynode_is_null(n))
		return true;
	type_error_hint(c, n, "a list", hint);
	return false;
}

static bool want_seq(ctx *c, const sg_ynode *n)
{
	return want_seq_hint(c, n, NULL);
}

static bool want_map(ctx *c, const sg_ynode *n)
{
	if (n->kind == SG_Y_MAP || sg_ynode_is_null(n))
		return true;
	type_error(c, n, "a mapping");
	return false;
}

static void read_strlist(ctx *c, const sg_ynode *n, sg_strlist *out, const char *hint)
{
	out->pos = n->pos;
	out->set = true;
	if (!want_seq_hint(c, n, hint) || n->kind != SG_Y_SEQ)
		return;
	out->items = sg_arena_calloc(c->arena, n->count, sizeof(*out->items));
	for (size_t i = 0; i < n->count; i++) {
		size_t mark = path_index(c, i);
		if (read_str(c, n->items[i], &out->items[out->count]))
			out->count++;
		path_pop(c, mark);
	}
}

static void read_enumlist(ctx *c, const sg_ynode *n, const enumdef *e, sg_enumlist *out)
{
	out->pos = n->pos;
	out->set = true;
	if (!want_seq_hint(c, n, enum_words(c, "of ", e, 0)) || n->kind != SG_Y_SEQ)
		return;
	out->items = sg_arena_calloc(c->arena, n->count, sizeof(*out->items));
	for (size_t i = 0; i < n->count; i++) {
		size_t mark = path_index(c, i);
		if (!read_enum(c, n->items[i], e, &out->items[out->count]))
			goto next;
		for (size_t k = 0; k < out->count; k++)
			if (out->items[k].v == out->items[out->count].v) {
				perr(c, "duplicate-value", n->items[i]->pos, "'%s' is listed twice",
				     n->items[i]->text);
				goto next;
			}
		out->count++;
next:
		path_pop(c, mark);
	}
}

/* Tags and environment: string to scalar; the value's text as written. */
static void read_kvlist(ctx *c, const sg_ynode *n, sg_kvlist *out)
{
	out->pos = n->pos;
	out->set = true;
	if (!want_map(c, n) || n->kind != SG_Y_MAP)
		return;
	out->items = sg_arena_calloc(c->arena, n->count, sizeof(*out->items));
	for (size_t i = 0; i < n->count; i++) {
		if (n->pairs[i].key->duplicate)
			continue;
		const sg_ypair *p = &n->pairs[i];
		sg_kv *kv = &out->items[out->count];
		if (!read_str(c, p->key, &kv->key))
			continue;
		if (p->value->kind != SG_Y_SCALAR) {
			size_t mark = path_key(c, p->key->text);
			type_error(c, p->value, "a string");
			path_pop(c, mark);
			continue;
		}
		kv->value.v = sg_ynode_is_null(p->value) ? "" : p->value->text;
		kv->value.pos = p->value->pos;
		kv->value.set = true;
		out->count++;
	}
}

/* ---- field tables ------------------------------------------------------- */

typedef enum { F_STR, F_INT, F_BOOL, F_ENUM, F_STRLIST, F_ENUMLIST, F_KV, F_CUSTOM } ftype;

typedef void (*custom_fn)(ctx *c, const sg_ynode *key, const sg_ynode *val, void *obj);

/*
 * One key of a mapping.  `hint` says what an integer or string key accepts
 * beyond its type (unit and range: "MB, 128..10240"); type diagnostics show
 * it.  The validator checks the ranges themselves.
 */
typedef struct field {
	const char *key;
	ftype type;
	size_t off;
	const enumdef *e;
	custom_fn fn;
	const char *hint;
} field;

#define FSTR(k, T, m) {k, F_STR, offsetof(T, m), NULL, NULL, NULL}
#define FSTRH(k, T, m, h) {k, F_STR, offsetof(T, m), NULL, NULL, h}
#define FINT(k, T, m, h) {k, F_INT, offsetof(T, m), NULL, NULL, h}
#define FBOOL(k, T, m) {k, F_BOOL, offsetof(T, m), NULL, NULL, NULL}
#define FENUM(k, T, m, e) {k, F_ENUM, offsetof(T, m), &e, NULL, NULL}
#define FSLIST(k, T, m, h) {k, F_STRLIST, offsetof(T, m), NULL, NULL, h}
#define FELIST(k, T, m, e) {k, F_ENUMLIST, offsetof(T, m), &e, NULL, NULL}
#define FKV(k, T, m) {k, F_KV, offsetof(T, m), NULL, NULL, NULL}
#define FFN(k, fn) {k, F_CUSTOM, 0, NULL, fn, NULL}
#define NFIELDS(t) (sizeof(t) / sizeof(t[0]))

static void unknown_key(ctx *c, const sg_ynode *key, const field *fields, size_t n,
			const char *where)
{
	const char *names[64];
	size_t k = 0;
	for (size_t i = 0; i < n && k < 64; i++)
		names[k++] = fields[i].key;
	const char *hint = sg_suggest(key->text, names, k);
	/* The mapping's own path says where ("in tables.orders"). */
	if (c->path.len)
		where = c->path.ptr;
	if (hint)
		sg_error(c->diags, "unknown-key", key->pos,
			 "unknown key '%s' in %s (did you mean '%s'?)", key->text, where, hint);
	else
		sg_error(c->diags, "unknown-key", key->pos, "unknown key '%s' in %s", key->text,
			 where);
}

/*
 * Read mapping `map` into `obj` by its field table.  Keys are scalars here
 * (ytree reported the others).  A repeated key was reported by ytree and is
 * skipped everywhere (SKIP_DUP), so every slot is filled at most once: the
 * first value counts.
 */
static void read_fields(ctx *c, const sg_ynode *map, void *obj, const field *fields,
			size_t n, const char *where)
{
	if (!want_map(c, map) || map->kind != SG_Y_MAP)
		return;
	char *base = obj;
	for (size_t i = 0; i < map->count; i++) {
		const sg_ynode *key = map->pairs[i].key, *val = map->pairs[i].value;
		if (key->kind != SG_Y_SCALAR || key->duplicate)
			continue;
		const field *f = NULL;
		for (size_t k = 0; k < n; k++)
			if (!strcmp(fields[k].key, key->text)) {
				f = &fields[k];
				break;
			}
		if (!f) {
			/* A merge key was reported by ytree already. */
			if (!(key->plain && !strcmp(key->text, "<<")))
				unknown_key(c, key, fields, n, where);
			continue;
		}
		size_t mark = path_key(c, key->text);
		if (f->type == F_CUSTOM) {
			f->fn(c, key, val, obj);
			path_pop(c, mark);
			continue;
		}
		void *slot = base + f->off;
		switch (f->type) {
		case F_STR: read_str_hint(c, val, slot, f->hint); break;
		case F_INT: read_int(c, val, slot, f->hint); break;
		case F_BOOL: read_bool(c, val, slot); break;
		case F_ENUM: read_enum(c, val, f->e, slot); break;
		case F_STRLIST: read_strlist(c, val, slot, f->hint); break;
		case F_ENUMLIST: read_enumlist(c, val, f->e, slot); break;
		case F_KV: read_kvlist(c, val, slot); break;
		case F_CUSTOM: break; /* handled above: `obj` may be NULL */
		}
		path_pop(c, mark);
	}
}

/* Position of byte `off` inside a one-line scalar, for errors in its middle. */
static sg_pos inner_pos(const sg_ynode *n, size_t off)
{
	sg_pos p = n->pos;
	if (!n->plain)
		p.col++; /* the opening quote */
	for (size_t i = 0; i < off && n->text[i]; i++)
		if (((unsigned char)n->text[i] & 0xC0) != 0x80)
			p.col++;
	return p;
}

/* ---- function settings ------------------------------------------------- */

/* Function settings, in `defaults:` and per function. */
#define HINT_MEMORY "MB, 128..10240"
#define HINT_TIMEOUT "seconds, 1..900; behind an API at most 29"
#define HINT_RETENTION "days, a retention CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, ..."
#define HINT_CONCURRENCY "concurrent executions, 0..1000"

static const field SETTINGS_FIELDS[] = {
	FENUM("architecture", sg_fn_settings, architecture, E_ARCH),
	FINT("memory", sg_fn_settings, memory, HINT_MEMORY),
	FINT("timeout", sg_fn_settings, timeout, HINT_TIMEOUT),
	FINT("log_retention", sg_fn_settings, log_retention, HINT_RETENTION),
	FBOOL("tracing", sg_fn_settings, tracing),
	FKV("environment", sg_fn_settings, environment),
	FINT("reserved_concurrency", sg_fn_settings, reserved_concurrency, HINT_CONCURRENCY),
};

static void read_defaults(ctx *c, const sg_ynode *key, const sg_ynode *val, void *obj)
{
	read_fields(c, val, &c->spec->defaults, SETTINGS_FIELDS, NFIELDS(SETTINGS_FIELDS),
		    "defaults");
}

/* ---- uses --------------------------------------------------------------- */

static void read_use(ctx *c, const sg_ynode *n, sg_use *u)
{
	const char *s = n->text;
	u->raw = s;
	u->pos = n->pos;
	u->access = SG_ACCESS_DERIVED;
	const char *colon = strchr(s, ':');
	size_t name_len = colon ? (size_t)(colon - s) : strlen(s);
	const char *dot = memchr(s, '.', name_len);
	if (dot) {
		u->target = sg_arena_strndup(c->arena, s, (size_t)(dot - s));
		u->index = sg_arena_strndup(c->arena, dot + 1, name_len - (size_t)(dot - s) - 1);
	} else {
		u->target = sg_arena_strndup(c->arena, s, name_len);
	}
	if (!*u->target || (u->index && !*u->index)) {
		perr(c, "bad-uses", n->pos,
			 "'%s' is not a uses entry (expected TABLE, TABLE:ACCESS, "
			 "TABLE.INDEX:query or TOPIC:publish)", s);
		return;
	}
	if (!colon)
		return;
	int a = lookup_enum(&E_ACCESS, colon + 1, 1);
	if (a < 0) {
		const char *hint = sg_suggest(colon + 1, E_ACCESS.names + 1, E_ACCESS.n - 1);
		sg_pos p = inner_pos(n, (size_t)(colon + 1 - s));
		if (hint)
			perr(c, "bad-enum", p, "unknown access '%s' (did you mean '%s'?)",
				 colon + 1, hint);
		else
			perr(c, "bad-enum", p,
				 "unknown access '%s' (expected get, query, scan, put, update, "
				 "delete, read, write, crud or publish)", colon + 1);
		return;
	}
	u->access = (sg_access)a;
}

/* A list item's text and index, sorted by text, then index. */
typedef struct item_ref {
	const char *text;
	size_t index;
} item_ref;

static int cmp_item_ref(const void *a, const void *b)
{
	const item_ref *x = a, *y = b;
	int r = strcmp(x->text, y->text);
	if (r)
		return r;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Which scalar items of list `n` repeat an earlier item's text: n->count
 * flags (arena).  Sorting keeps it O(n log n) however long the list is (a
 * pairwise scan made 100,000 entries take half a minute).
 */
static bool *repeated_items(ctx *c, const sg_ynode *n)
{
	size_t cap = n->count ? n->count : 1;
	bool *dup = sg_arena_calloc(c->arena, cap, sizeof(*dup));
	item_ref *refs = sg_arena_calloc(c->arena, cap, sizeof(*refs));
	size_t k = 0;
	for (size_t i = 0; i < n->count; i++)
		if (n->items[i]->kind == SG_Y_SCALAR && !sg_ynode_is_null(n->items[i]))
			refs[k++] = (item_ref){n->items[i]->text, i};
	qsort(refs, k, sizeof(*refs), cmp_item_ref);
	for (size_t i = 1; i < k; i++)
		if (!strcmp(refs[i - 1].text, refs[i].text))
			dup[refs[i].index] = true;
	return dup;
}

static void read_uses(ctx *c, const sg_ynode *n, sg_use **out, size_t *count)
{
	if (!want_seq(c, n) || n->kind != SG_Y_SEQ)
		return;
	*out = sg_arena_calloc(c->arena, n->count, sizeof(**out));
	*count = 0;
	bool *dup = repeated_items(c, n);
	for (size_t i = 0; i < n->count; i++) {
		const sg_ynode *item = n->items[i];
		size_t mark = path_index(c, i);
		if (item->kind != SG_Y_SCALAR || sg_ynode_is_null(item))
			type_error_hint(c, item, "a string",
					"TABLE, TABLE:ACCESS, TABLE.INDEX:query or TOPIC:publish, "
					"such as 'orders:read'");
		else if (dup[i])
			perr(c, "duplicate-value", item->pos, "'%s' is listed twice", item->text);
		else
			read_use(c, item, &(*out)[(*count)++]);
		path_pop(c, mark);
	}
}

/* ---- tables ------------------------------------------------------------- */

/* `NAME` or `NAME:S|N|B`; the last colon separates, names may not hold one. */
static void read_key_attr(ctx *c, const sg_ynode *n, sg_key_attr *k)
{
	sg_str s = {0};
	if (!read_str_hint(c, n, &s, "an attribute name, or NAME:S, NAME:N or NAME:B"))
		return;
	k->set = true;
	k->pos = n->pos;
	k->type = SG_ATTR_S;
	const char *colon = strrchr(s.v, ':');
	if (!colon) {
		k->name = s;
		return;
	}
	k->name.v = sg_arena_strndup(c->arena, s.v, (size_t)(colon - s.v));
	k->name.pos = s.pos;
	k->name.set = true;
	int t = lookup_enum(&E_ATTR, colon + 1, 0);
	if (t < 0) {
		perr(c, "bad-enum", inner_pos(n, (size_t)(colon + 1 - s.v)),
			 "unknown attribute type '%s' (expected S, N or B)", colon + 1);
		return;
	}
	k->type = (sg_attr_type)t;
}

static void tbl_pk(ctx *c, const sg_ynode *key, const sg_ynode *v, void *o)
{
	read_key_attr(c, v, &((sg_table *)o)->partition_key);
}
static void tbl_sk(ctx *c, const sg_ynode *key, const sg_ynode *v, void *o)
{
	read_key_attr(c, v, &((sg_table *)o)->sort_key);
}
static void idx_pk(ctx *c, const sg_ynode *key, const sg_ynode *v, void *o)
{
	read_key_attr(c, v, &((sg_index *)o)->partition_key);
}
static void idx_sk(ctx *c, const sg_ynode *key, const sg_ynode *v, void *o)
{
	read_key_attr(c, v, &((sg_index *)o)->sort_key);
}

typedef struct capacity {
	sg_int read, write;
} capacity;

static const field CAPACITY_FIELDS[] = {
	FINT("read", capacity, read, "read capacity units, at least 1"),
	FINT("write", capacity, write, "write capacity units, at least 1"),
};

static void tbl_capacity(ctx *c, const sg_ynode *key, const sg_ynode *v, void *o)
{
	sg_table *t = o;
	capacity cap = {0};
	read_fields(c, v, &cap, CAPACITY_FIELDS, NFIELDS(CAPACITY_FIELDS), "capacity");
	t->read_capacity = cap.read;
	t->write_capacity = cap.write;
	t->capacity_pos = key->pos;
}

static void idx_capacity(ctx *c, const sg_ynode *key, const sg_ynode *v, void *o)
{
	sg_index *x = o;
	capacity cap = {0};
	read_fields(c, v, &cap, CAPACITY_FIELDS, NFIELDS(CAPACITY_FIELDS), "capacity");
	x->read_capacity = cap.read;
	x->write_capacity = cap.write;
	x->capacity_pos = key->pos;
}

/* `projection: all | keys_only | [attr, ...]` */
static void idx_projection(ctx *c, const sg_ynode *key, const sg_ynode *v, void *o)
{
	sg_index *x = o;
	if (v->kind == SG_Y_SEQ) {
		x->projection.v = SG_PROJ_INCLUDE;
		x->projection.pos = v->pos;
		x->projection.set = true;
		read_strlist(c, v, &x->include, NULL);
		return;
	}
	if (v->kind == SG_Y_SCALAR && !sg_ynode_is_null(v)) {
		/* Only all or keys_only are words; "include" is written as a list. */
		enumdef words = {sg_spell_projection.what, sg_spell_projection.names, 2};
		read_enum(c, v, &words, &x->projection);
		return;
	}
	type_error(c, v, "all, keys_only or a list of attribute names");
}

static const field INDEX_FIELDS[] = {
	FFN("partition_key", idx_pk),
	FFN("sort_key", idx_sk),
	FFN("projection", idx_projection),
	FFN("capacity", idx_capacity),
};

static void tbl_indexes(ctx *c, const sg_ynode *key, const sg_ynode *v, void *o)
{
	sg_table *t = o;
	if (!want_map(c, v) || v->kind != SG_Y_MAP)
		return;
	t->indexes = sg_arena_calloc(c->arena, v->count, sizeof(*t->indexes));
	for (size_t i = 0; i < v->count; i++) {
		if (v->pairs[i].key->duplicate)
			continue;
		sg_index *x = &t->indexes[t->index_count];
		if (!read_str(c, v->pairs[i].key, &x->name))
			continue;
		x->pos = v->pairs[i].key->pos;
		t->index_count++;
		size_t mark = path_key(c, x->name.v);
		read_fields(c, v->pairs[i].value, x, INDEX_FIELDS, NFIELDS(INDEX_FIELDS), NULL);
		path_pop(c, mark);
	}
}

static const field TABLE_FIELDS[] = {
	FFN("partition_key", tbl_pk),
	FFN("sort_key", tbl_sk),
	FENUM("billing", sg_table, billing, E_BILLING),
	FFN("capacity", tbl_capacity),
	FENUM("stream", sg_table, stream, E_STREAM),
	FSTR("ttl", sg_table, ttl),
	FBOOL("point_in_time_recovery", sg_table, point_in_time_recovery),
	FFN("indexes", tbl_indexes),
};

static void read_tables(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	sg_spec *s = c->spec;
	if (!want_map(c, v) || v->kind != SG_Y_MAP)
		return;
	s->tables = sg_arena_calloc(c->arena, v->count, sizeof(*s->tables));
	for (size_t i = 0; i < v->count; i++) {
		if (v->pairs[i].key->duplicate)
			continue;
		sg_table *t = &s->tables[s->table_count];
		if (!read_str(c, v->pairs[i].key, &t->name))
			continue;
		t->pos = v->pairs[i].key->pos;
		s->table_count++;
		size_t mark = path_key(c, t->name.v);
		read_fields(c, v->pairs[i].value, t, TABLE_FIELDS, NFIELDS(TABLE_FIELDS), NULL);
		path_pop(c, mark);
	}
}

/* ---- topics ------------------------------------------------------------- */

static const field TOPIC_FIELDS[] = {
	FBOOL("fifo", sg_topic, fifo),
	FSTR("display_name", sg_topic, display_name),
};

static void read_topics(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	sg_spec *s = c->spec;
	if (!want_map(c, v) || v->kind != SG_Y_MAP)
		return;
	s->topics = sg_arena_calloc(c->arena, v->count, sizeof(*s->topics));
	for (size_t i = 0; i < v->count; i++) {
		if (v->pairs[i].key->duplicate)
			continue;
		sg_topic *t = &s->topics[s->topic_count];
		if (!read_str(c, v->pairs[i].key, &t->name))
			continue;
		t->pos = v->pairs[i].key->pos;
		s->topic_count++;
		size_t mark = path_key(c, t->name.v);
		read_fields(c, v->pairs[i].value, t, TOPIC_FIELDS, NFIELDS(TOPIC_FIELDS), NULL);
		path_pop(c, mark);
	}
}

/* ---- auth --------------------------------------------------------------- */

static const field COGNITO_FIELDS[] = {
	FSTR("user_pool", sg_cognito, user_pool),
	FELIST("sign_in", sg_cognito, sign_in, E_SIGNIN),
	FENUM("mfa", sg_cognito, mfa, E_MFA),
	FINT("password_min_length", sg_cognito, password_min_length, "characters, 6..99"),
	FSLIST("callback_urls", sg_cognito, callback_urls, "of URLs such as https://example.com/callback"),
	FSLIST("logout_urls", sg_cognito, logout_urls, "of URLs such as https://example.com/"),
	FELIST("oauth_flows", sg_cognito, oauth_flows, E_FLOW),
	FSLIST("scopes", sg_cognito, scopes, "of OAuth scopes such as openid, email, profile"),
	FSTR("domain_prefix", sg_cognito, domain_prefix),
};

static void auth_cognito(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	sg_cognito *cg = &c->spec->cognito;
	cg->present = true;
	cg->pos = key->pos;
	read_fields(c, v, cg, COGNITO_FIELDS, NFIELDS(COGNITO_FIELDS), "auth.cognito");
}

static const field AUTH_FIELDS[] = {
	FFN("cognito", auth_cognito),
};

static void read_auth(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	read_fields(c, v, NULL, AUTH_FIELDS, NFIELDS(AUTH_FIELDS), "auth");
}

/* ---- api ---------------------------------------------------------------- */

static const field CORS_FIELDS[] = {
	FSLIST("origins", sg_cors, origins, "of origins such as https://example.com, or '*'"),
	FSLIST("headers", sg_cors, headers, "of request header names"),
	FINT("max_age", sg_cors, max_age, "seconds, 0..86400"),
	FBOOL("credentials", sg_cors, credentials),
};

static void api_cors(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	sg_api *api = obj;
	api->cors.set = true;
	api->cors.pos = key->pos;
	read_fields(c, v, &api->cors, CORS_FIELDS, NFIELDS(CORS_FIELDS), "api.cors");
}

typedef struct throttle {
	sg_int rate, burst;
} throttle;

static const field THROTTLE_FIELDS[] = {
	FINT("rate", throttle, rate, "requests per second, at least 1"),
	FINT("burst", throttle, burst, "requests, at least 1 with a rate"),
};

static void api_throttle(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	sg_api *api = obj;
	throttle t = {0};
	read_fields(c, v, &t, THROTTLE_FIELDS, NFIELDS(THROTTLE_FIELDS), "api.throttle");
	api->throttle_rate = t.rate;
	api->throttle_burst = t.burst;
	api->throttle_pos = key->pos;
}

static void method_uses(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	sg_method *m = obj;
	read_uses(c, v, &m->uses, &m->use_count);
}

static const field METHOD_FIELDS[] = {
	FSTR("function", sg_method, function),
	FFN("uses", method_uses),
	FENUM("auth", sg_method, auth, E_AUTH),
	FSLIST("scopes", sg_method, scopes, "of OAuth scopes the method requires"),
};

static void read_route(ctx *c, sg_route *r, const sg_ynode *v)
{
	if (!want_map(c, v) || v->kind != SG_Y_MAP)
		return;
	r->methods = sg_arena_calloc(c->arena, v->count, sizeof(*r->methods));
	for (size_t i = 0; i < v->count; i++) {
		if (v->pairs[i].key->duplicate)
			continue;
		const sg_ynode *mk = v->pairs[i].key;
		sg_method *m = &r->methods[r->method_count];
		if (mk->kind != SG_Y_SCALAR || !read_enum(c, mk, &E_METHOD, &m->verb))
			continue;
		m->pos = mk->pos;
		r->method_count++;
		size_t mark = path_key(c, mk->text);
		read_fields(c, v->pairs[i].value, m, METHOD_FIELDS, NFIELDS(METHOD_FIELDS), NULL);
		path_pop(c, mark);
	}
}

static void api_routes(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	sg_api *api = obj;
	api->routes_pos = key->pos;
	if (!want_map(c, v) || v->kind != SG_Y_MAP)
		return;
	api->routes = sg_arena_calloc(c->arena, v->count, sizeof(*api->routes));
	for (size_t i = 0; i < v->count; i++) {
		if (v->pairs[i].key->duplicate)
			continue;
		sg_route *r = &api->routes[api->route_count];
		if (!read_str(c, v->pairs[i].key, &r->path))
			continue;
		r->pos = v->pairs[i].key->pos;
		api->route_count++;
		size_t mark = path_key(c, r->path.v);
		read_route(c, r, v->pairs[i].value);
		path_pop(c, mark);
	}
}

static const field API_FIELDS[] = {
	FENUM("type", sg_api, type, E_APITYPE),
	FENUM("auth", sg_api, auth, E_AUTH),
	FFN("cors", api_cors),
	FFN("throttle", api_throttle),
	FBOOL("access_logs", sg_api, access_logs),
	FFN("routes", api_routes),
};

static void read_api(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	sg_api *api = &c->spec->api;
	api->present = true;
	api->pos = key->pos;
	read_fields(c, v, api, API_FIELDS, NFIELDS(API_FIELDS), "api");
}

/* ---- functions ---------------------------------------------------------- */

/*
 * A YAML value as JSON, for a Lambda filter pattern.  Plain scalars that read
 * as numbers, booleans or null keep that type (patterns such as
 * {"numeric": [">", 0]} need real numbers); everything else is a string.
 */
static cJSON *to_json(const sg_ynode *n)
{
	switch (n->kind) {
	case SG_Y_MAP: {
		cJSON *o = cJSON_CreateObject();
		for (size_t i = 0; i < n->count; i++)
			if (!n->pairs[i].key->duplicate)
				cJSON_AddItemToObject(o, n->pairs[i].key->text ? n->pairs[i].key->text : "",
						      to_json(n->pairs[i].value));
		return o;
	}
	case SG_Y_SEQ: {
		cJSON *a = cJSON_CreateArray();
		for (size_t i = 0; i < n->count; i++)
			cJSON_AddItemToArray(a, to_json(n->items[i]));
		return a;
	}
	case SG_Y_SCALAR:
		break;
	}
	if (n->plain) {
		if (sg_ynode_is_null(n))
			return cJSON_CreateNull();
		if (!strcmp(n->text, "true") || !strcmp(n->text, "false"))
			return cJSON_CreateBool(n->text[0] == 't');
		char *end;
		errno = 0;
		double d = strtod(n->text, &end);
		if (*n->text && !*end && errno == 0 && strspn(n->text, "+-0123456789.eE") == n->len)
			return cJSON_CreateNumber(d);
	}
	return cJSON_CreateString(n->text);
}

static void ev_filter(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	sg_event *e = obj;
	if (v->kind != SG_Y_MAP) {
		type_error(c, v, "a mapping (a Lambda filter pattern)");
		return;
	}
	cJSON *j = to_json(v);
	char *text = cJSON_PrintUnformatted(j);
	e->filter_json = sg_arena_strdup(c->arena, text ? text : "{}");
	e->filter_pos = v->pos;
	free(text);
	cJSON_Delete(j);
}

static const field STREAM_FIELDS[] = {
	FSTR("table", sg_event, table),
	FINT("batch_size", sg_event, batch_size, "records, 1..10000"),
	FENUM("starting_position", sg_event, starting_position, E_START),
	FINT("batching_window", sg_event, batching_window, "seconds, 0..300"),
	FINT("retries", sg_event, retries, "-1 (until the record expires) or 0..10000"),
	FFN("filter", ev_filter),
};

static void ev_stream(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	read_fields(c, v, obj, STREAM_FIELDS, NFIELDS(STREAM_FIELDS), "stream event");
}

static const field EVENT_FIELDS[] = {
	FFN("stream", ev_stream),
};

static void fn_events(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	sg_function *f = obj;
	if (!want_seq(c, v) || v->kind != SG_Y_SEQ)
		return;
	f->events = sg_arena_calloc(c->arena, v->count, sizeof(*f->events));
	for (size_t i = 0; i < v->count; i++) {
		const sg_ynode *item = v->items[i];
		sg_event *e = &f->events[f->event_count];
		size_t mark = path_index(c, i);
		if (item->kind != SG_Y_MAP || item->count != 1) {
			if (item->kind == SG_Y_MAP && item->count == 0)
				perr(c, "type-mismatch", item->pos,
				     "an event names its source, e.g. '- stream: {table: orders}'");
			else if (item->kind == SG_Y_MAP)
				perr(c, "type-mismatch", item->pos,
				     "an event has exactly one source key, found %zu", item->count);
			else
				type_error(c, item, "a mapping such as '{stream: {table: orders}}'");
			path_pop(c, mark);
			continue;
		}
		e->pos = item->pos;
		size_t before = c->diags->errors;
		read_fields(c, item, e, EVENT_FIELDS, NFIELDS(EVENT_FIELDS), "event");
		if (c->diags->errors == before)
			f->event_count++;
		path_pop(c, mark);
	}
}

static void fn_uses(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	sg_function *f = obj;
	read_uses(c, v, &f->uses, &f->use_count);
}

#define S(m) offsetof(sg_function, settings) + offsetof(sg_fn_settings, m)
static const field FUNCTION_FIELDS[] = {
	FSTR("description", sg_function, description),
	{"architecture", F_ENUM, S(architecture), &E_ARCH, NULL, NULL},
	{"memory", F_INT, S(memory), NULL, NULL, HINT_MEMORY},
	{"timeout", F_INT, S(timeout), NULL, NULL, HINT_TIMEOUT},
	{"log_retention", F_INT, S(log_retention), NULL, NULL, HINT_RETENTION},
	{"tracing", F_BOOL, S(tracing), NULL, NULL, NULL},
	{"environment", F_KV, S(environment), NULL, NULL, NULL},
	{"reserved_concurrency", F_INT, S(reserved_concurrency), NULL, NULL, HINT_CONCURRENCY},
	FFN("events", fn_events),
	FFN("uses", fn_uses),
};
#undef S

static void read_functions(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	sg_spec *s = c->spec;
	if (!want_map(c, v) || v->kind != SG_Y_MAP)
		return;
	s->functions = sg_arena_calloc(c->arena, v->count, sizeof(*s->functions));
	for (size_t i = 0; i < v->count; i++) {
		if (v->pairs[i].key->duplicate)
			continue;
		sg_function *f = &s->functions[s->function_count];
		if (!read_str(c, v->pairs[i].key, &f->name))
			continue;
		f->pos = v->pairs[i].key->pos;
		s->function_count++;
		size_t mark = path_key(c, f->name.v);
		read_fields(c, v->pairs[i].value, f, FUNCTION_FIELDS, NFIELDS(FUNCTION_FIELDS),
			    NULL);
		path_pop(c, mark);
	}
}

/* ---- alarms ------------------------------------------------------------- */

#define HINT_PERIOD "seconds, 10, 30 or a multiple of 60"
#define HINT_EVALS "periods, at least 1; period x evaluation_periods at most one day"

static const field COUNT_RULE_FIELDS[] = {
	FINT("threshold", sg_alarm_rule, threshold, "a count, at least 0"),
	FINT("period", sg_alarm_rule, period, HINT_PERIOD),
	FINT("evaluation_periods", sg_alarm_rule, evaluation_periods, HINT_EVALS),
};

/* Percentile rules are in milliseconds, and the key says so. */
static const field MS_RULE_FIELDS[] = {
	FINT("threshold_ms", sg_alarm_rule, threshold, "milliseconds, at least 1"),
	FINT("period", sg_alarm_rule, period, HINT_PERIOD),
	FINT("evaluation_periods", sg_alarm_rule, evaluation_periods, HINT_EVALS),
};

static void read_rule(ctx *c, const sg_ynode *key, const sg_ynode *v, sg_alarm_rule *r,
		      bool ms)
{
	r->set = true;
	r->pos = key->pos;
	if (ms)
		read_fields(c, v, r, MS_RULE_FIELDS, NFIELDS(MS_RULE_FIELDS), NULL);
	else
		read_fields(c, v, r, COUNT_RULE_FIELDS, NFIELDS(COUNT_RULE_FIELDS), NULL);
}

#define RULE(fname, member, ms)                                                   \
	static void fname(ctx *c, const sg_ynode *k, const sg_ynode *v, void *o)  \
	{                                                                         \
		read_rule(c, k, v, &c->spec->alarms.member, ms);                  \
	}
RULE(rule_fn_errors, fn_errors, false)
RULE(rule_fn_throttles, fn_throttles, false)
RULE(rule_fn_duration, fn_duration_p99, true)
RULE(rule_api_5xx, api_5xx, false)
RULE(rule_api_4xx, api_4xx, false)
RULE(rule_api_latency, api_latency_p99, true)
RULE(rule_table_throttles, table_throttles, false)
#undef RULE

static const field ALARM_FN_FIELDS[] = {
	FFN("errors", rule_fn_errors),
	FFN("throttles", rule_fn_throttles),
	FFN("duration_p99", rule_fn_duration),
};
static const field ALARM_API_FIELDS[] = {
	FFN("5xx", rule_api_5xx),
	FFN("4xx", rule_api_4xx),
	FFN("latency_p99", rule_api_latency),
};
static const field ALARM_TABLE_FIELDS[] = {
	FFN("throttles", rule_table_throttles),
};

static void alarms_functions(ctx *c, const sg_ynode *k, const sg_ynode *v, void *o)
{
	read_fields(c, v, NULL, ALARM_FN_FIELDS, NFIELDS(ALARM_FN_FIELDS), "alarms.functions");
}
static void alarms_api(ctx *c, const sg_ynode *k, const sg_ynode *v, void *o)
{
	read_fields(c, v, NULL, ALARM_API_FIELDS, NFIELDS(ALARM_API_FIELDS), "alarms.api");
}
static void alarms_tables(ctx *c, const sg_ynode *k, const sg_ynode *v, void *o)
{
	read_fields(c, v, NULL, ALARM_TABLE_FIELDS, NFIELDS(ALARM_TABLE_FIELDS), "alarms.tables");
}

static const field ALARMS_FIELDS[] = {
	FSLIST("notify", sg_alarms, notify, "of e-mail addresses"),
	FFN("functions", alarms_functions),
	FFN("api", alarms_api),
	FFN("tables", alarms_tables),
};

static void read_alarms(ctx *c, const sg_ynode *key, const sg_ynode *v, void *obj)
{
	sg_alarms *al = &c->spec->alarms;
	al->present = true;
	al->pos = key->pos;
	read_fields(c, v, al, ALARMS_FIELDS, NFIELDS(ALARMS_FIELDS), "alarms");
}

/* ---- top level ---------------------------------------------------------- */

static const field TOP_FIELDS[] = {
	FINT("svcgen", sg_spec, version, "the spec format version: 1"),
	FSTRH("service", sg_spec, service, "a name matching ^[a-z][a-z0-9-]{1,30}$"),
	FSTR("description", sg_spec, description),
	FSTR("stage", sg_spec, stage),
	FSTR("region", sg_spec, region),
	FKV("tags", sg_spec, tags),
	FFN("defaults", read_defaults),
	FFN("tables", read_tables),
	FFN("topics", read_topics),
	FFN("auth", read_auth),
	FFN("api", read_api),
	FFN("functions", read_functions),
	FFN("alarms", read_alarms),
};

int sg_spec_parse(sg_spec **out, sg_arena *arena, sg_diags *diags, const char *file,
		  const char *data, size_t len)
{
	size_t errors_before = diags->errors;
	sg_spec *spec = sg_arena_alloc(arena, sizeof(*spec));
	spec->file = sg_arena_strdup(arena, file);
	*out = spec;

	sg_ynode *root = NULL;
	if (sg_ytree_parse(&root, arena, diags, data, len) < 0)
		return SG_EFINDINGS;
	ctx c = {arena, diags, spec, SG_BUF_INIT};
	if (root->kind != SG_Y_MAP) {
		sg_error(diags, "type-mismatch", root->pos,
			 "a spec is a mapping of keys (svcgen, service, api, ...), found %s",
			 sg_ynode_kind_name(root));
		return SG_EFINDINGS;
	}
	spec->pos = root->pos;
	read_fields(&c, root, spec, TOP_FIELDS, NFIELDS(TOP_FIELDS), "the spec");
	sg_buf_free(&c.path);
	return diags->errors > errors_before ? SG_EFINDINGS : SG_OK;
}
