/*
 * hcl.c - the HCL document model and its serializer (see hcl.h).
 *
 * Serializing happens in two steps, mirroring how hclwrite formats:
 *
 *  1. The tree becomes a flat list of tokens, typed as HCL's scanner would
 *     type them (identifier, `{`, quoted literal, `${`, newline...).  This
 *     step decides only where the line breaks go: that is the layout the
 *     caller chose (one item per line or not), which hclwrite never
 *     changes.
 *  2. The spaces are then computed by a port of hclwrite/format.go
 *     (v2.23.0): indentation from counting brackets per line
 *     (formatIndent), the spaces between tokens (spaceAfterToken), and the
 *     alignment of `=` across consecutive lines that carry a whole
 *     single-line assignment (formatCells).
 *
 * Running the formatter's own algorithm, instead of re-deriving its effects
 * case by case, is what makes the output a fixed point of `terraform fmt`
 * for every combination of nesting and layout, including the odd ones
 * (a multi-line value ends an alignment group because its first line is not
 * an "assign" line; `${-1}` is spaced `${- 1}` by hclwrite, so we do too).
 */
#include "svcgen/hcl.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svcgen/error.h"

/* Deeper trees are refused: keeps the recursion bounded, catches cycles. */
#define MAX_DEPTH 200

/* ---- the model ----------------------------------------------------------- */

enum ekind {
	E_STR,      /* text/len: the raw (unescaped) bytes */
	E_NUM,      /* text: the literal, maybe with a leading '-' */
	E_KEYWORD,  /* text: true, false or null */
	E_REF,      /* text: a validated traversal */
	E_CALL,     /* text: function name; items: arguments */
	E_TEMPLATE, /* items: literal parts (key) and interpolations (value) */
	E_TUPLE,    /* items: elements */
	E_OBJECT,   /* items: key and value */
};

/* One entry of an expression's item list; which fields are used depends on the kind. */
struct item {
	const char *key;
	size_t keylen;
	sg_hcl_expr *value;
};

/*
 * A hash index of the names in a container (object keys, a body's
 * attribute names), so each new name is checked against the earlier ones
 * in constant time: HCL refuses a repeated object key and a redefined
 * attribute, and a scan of every earlier name made a 100,000-key object
 * (a Lambda filter pattern) take 22 seconds.  Containers below INDEX_FROM
 * names are scanned; the index is built when one grows past that.
 */
struct name_index {
	size_t *slots;          /* position of the name's item + 1; 0: empty */
	uint32_t cap;           /* a power of two, or 0: no index yet */
	uint32_t count;
};
#define INDEX_FROM 16

/* Small on purpose: a Terraform configuration holds millions of these
 * (most of them leaves: a string, a reference), and the fields used to
 * be full words each (88 bytes; now 56).  The counts are 32-bit: a tree
 * of 2^32 items would not fit in memory anyway. */
struct sg_hcl_expr {
	unsigned char kind;      /* enum ekind */
	bool broken;
	unsigned char layout;    /* sg_hcl_layout */
	uint32_t len;            /* of text (sg_hcl_strn refuses longer) */
	const char *text;
	sg_arena *arena;
	struct item *items;
	uint32_t n, cap;
	struct name_index keys;  /* E_OBJECT */
};

enum bkind { B_ATTR, B_BLOCK, B_BLANK };

struct body_item {
	enum bkind kind;
	const char *name;       /* attribute name or block type */
	sg_hcl_expr *value;     /* B_ATTR */
	const char **labels;    /* B_BLOCK */
	size_t nlabels;
	sg_hcl_body *body;      /* B_BLOCK */
};

struct sg_hcl_body {
	sg_arena *arena;
	sg_hcl_body *root;      /* the body given to sg_hcl_body_new; holds `broken` */
	bool broken;
	struct body_item *items;
	size_t n, cap;
	struct name_index attrs;
};

/* ---- name indexes ------------------------------------------------------------ */

static size_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a 64 */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (size_t)h;
}

/* The name of item `i` of a container, or NULL when it has none (a block). */
typedef const char *(*name_of_fn)(const void *items, size_t i);

static const char *object_key(const void *items, size_t i)
{
	return ((const struct item *)items)[i].key;
}

/* Whether `name` is among the `n` items; `x` indexes them once n >= INDEX_FROM. */
static bool names_have(const struct name_index *x, const void *items, size_t n,
		       name_of_fn name_of, const char *name)
{
	if (!x->cap) {
		for (size_t i = 0; i < n; i++) {
			const char *k = name_of(items, i);
			if (k && !strcmp(k, name))
				return true;
		}
		return false;
	}
	for (size_t h = name_hash(name) & (x->cap - 1);; h = (h + 1) & (x->cap - 1)) {
		if (!x->slots[h])
			return false;
		if (!strcmp(name_of(items, x->slots[h] - 1), name))
			return true;
	}
}

static void index_insert(struct name_index *x, const void *items, name_of_fn name_of, size_t i)
{
	size_t h = name_hash(name_of(items, i)) & (x->cap - 1);
	while (x->slots[h])
		h = (h + 1) & (x->cap - 1);
	x->slots[h] = i + 1;
	x->count++;
}

/* Item `i`, just added, has a name: index it (building or doubling the
 * index when the container outgrows a scan or half fills it). */
static void names_added(struct name_index *x, sg_arena *a, const void *items, size_t n,
			name_of_fn name_of, size_t i)
{
	if (!x->cap && n < INDEX_FROM)
		return;
	if (!x->cap || 2 * (x->count + 1) > x->cap) {
		uint32_t cap = x->cap ? 2 * x->cap : 4 * INDEX_FROM;
		while (cap < 4 * n)
			cap *= 2;
		x->slots = sg_arena_calloc(a, cap, sizeof(*x->slots));
		x->cap = cap;
		x->count = 0;
		for (size_t k = 0; k < n; k++)
			if (k != i && name_of(items, k))
				index_insert(x, items, name_of, k);
	}
	index_insert(x, items, name_of, i);
}

/* ---- identifiers ---------------------------------------------------------- */

static bool ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_cont(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/* Length of the identifier at the start of `s`, 0 when there is none. */
static size_t ident_len(const char *s)
{
	if (!ident_start(s[0]))
		return 0;
	size_t n = 1;
	while (ident_cont(s[n]))
		n++;
	return n;
}

bool sg_hcl_is_ident(const char *s)
{
	return s && ident_len(s) > 0 && s[ident_len(s)] == '\0';
}

/* `name` or `ns::name`, `provider::aws::arn_parse` (Terraform 1.8). */
static bool valid_function_name(const char *s)
{
	for (;;) {
		size_t n = ident_len(s);
		if (!n)
			return false;
		s += n;
		if (*s == '\0')
			return true;
		if (s[0] != ':' || s[1] != ':')
			return false;
		s += 2;
	}
}

/*
 * Object keys that HCL would not read as a name: the keywords true, false
 * and null are literals (a null key is an error), and `{ for` starts a for
 * expression.
 */
static bool bare_key(const char *s)
{
	return sg_hcl_is_ident(s) && strcmp(s, "true") && strcmp(s, "false") &&
	       strcmp(s, "null") && strcmp(s, "for");
}

/* ---- tokens --------------------------------------------------------------- */

/* Token types, named after hclsyntax's; only those this writer produces. */
enum tok {
	T_NIL, T_NEWLINE, T_IDENT, T_NUMBER, T_MINUS, T_DOT, T_STAR, T_DCOLON,
	T_OBRACK, T_CBRACK, T_OPAREN, T_CPAREN, T_OBRACE, T_CBRACE, T_COMMA,
	T_EQUAL, T_OQUOTE, T_CQUOTE, T_QLIT, T_TINTERP, T_TSEQEND,
};

/* 16 bytes: a large file has millions (Terraform's iam.tf at 4,000
 * routes: about a million), so their size is a good part of the peak
 * memory.  A text past 4 GiB is refused (gen.err). */
struct token {
	uint32_t off, len;  /* bytes in gen.text */
	uint32_t spaces;    /* before the token, set by the format passes */
	uint8_t type;       /* enum tok */
};

struct gen {
	struct token *toks;
	size_t n, cap;
	sg_buf text;
	bool err;
};

static void *xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		fputs("svcgen: out of memory\n", stderr);
		abort();
	}
	p = realloc(p, n * size);
	if (!p) {
		fputs("svcgen: out of memory\n", stderr);
		abort();
	}
	return p;
}

/* Add a token whose text was just appended to g->text, starting at `off`. */
static void push_tok(struct gen *g, enum tok type, size_t off)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 256;
		g->toks = xrealloc(g->toks, g->cap, sizeof *g->toks);
	}
	if (g->text.len > UINT32_MAX) {
		g->err = true;
		return;
	}
	g->toks[g->n++] = (struct token){(uint32_t)off, (uint32_t)(g->text.len - off), 0,
					 (uint8_t)type};
}

static void tok(struct gen *g, enum tok type, const char *s, size_t len)
{
	size_t off = g->text.len;
	sg_buf_put(&g->text, s, len);
	push_tok(g, type, off);
}

static void tok_s(struct gen *g, enum tok type, const char *s)
{
	tok(g, type, s, strlen(s));
}

/* A token whose text is a string literal: its length known at compile time. */
#define TOK_LIT(g, type, lit) tok((g), (type), (lit), sizeof(lit) - 1)

/* "raw", escaped.  hclwrite has no literal token for an empty string. */
static void tok_quoted(struct gen *g, const char *raw, size_t len)
{
	tok_s(g, T_OQUOTE, "\"");
	if (len) {
		size_t off = g->text.len;
		sg_hcl_escape(&g->text, raw, len);
		push_tok(g, T_QLIT, off);
	}
	tok_s(g, T_CQUOTE, "\"");
}

static inline int bracket_change(enum tok t)
{
	/* A table: the format passes ask for every token of every line. */
	static const signed char change[] = {
		[T_OBRACE] = 1, [T_OBRACK] = 1, [T_OPAREN] = 1, [T_TINTERP] = 1,
		[T_CBRACE] = -1, [T_CBRACK] = -1, [T_CPAREN] = -1, [T_TSEQEND] = -1,
	};
	return (unsigned)t < sizeof(change) ? change[t] : 0;
}

/* ---- references ----------------------------------------------------------- */

/*
 * After "." or "[": a splat "*" or a numeric index.  Consumes it from `*sp`
 * and, when `g` is not NULL, adds its token; false when neither is there.
 */
static bool star_or_number(const char **sp, struct gen *g)
{
	const char *s = *sp;
	size_t n = 0;
	if (*s == '*') {
		if (g)
			TOK_LIT(g, T_STAR, "*");
		*sp = s + 1;
		return true;
	}
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (!n)
		return false;
	if (g)
		tok(g, T_NUMBER, s, n);
	*sp = s + n;
	return true;
}

/*
 * Check that `s` is a traversal (see sg_hcl_ref) and, when `g` is not NULL,
 * add its tokens.  Validating and tokenizing are one routine so they cannot
 * disagree.
 */
static bool scan_ref(const char *s, struct gen *g)
{
	size_t n = ident_len(s);
	if (!n)
		return false;
	if (g)
		tok(g, T_IDENT, s, n);
	s += n;
	while (*s) {
		if (*s == '.') {
			if (g)
				TOK_LIT(g, T_DOT, ".");
			s++;
			if (star_or_number(&s, g)) {
				/* consumed */
			} else if ((n = ident_len(s)) > 0) {
				if (g)
					tok(g, T_IDENT, s, n);
				s += n;
			} else {
				return false;
			}
		} else if (*s == '[') {
			if (g)
				TOK_LIT(g, T_OBRACK, "[");
			s++;
			if (star_or_number(&s, g)) {
				/* consumed */
			} else if (*s == '"') {
				/* printable ASCII that needs no escape inside quotes */
				for (n = 1; s[n] != '"'; n++) {
					char c = s[n];
					if (c < 0x20 || c > 0x7E || c == '\\' ||
					    ((c == '$' || c == '%') && s[n + 1] == '{'))
						return false;
				}
				if (g) {
					tok_s(g, T_OQUOTE, "\"");
					if (n > 1)
						tok(g, T_QLIT, s + 1, n - 1);
					tok_s(g, T_CQUOTE, "\"");
				}
				s += n + 1;
			} else {
				return false;
			}
			if (*s != ']')
				return false;
			if (g)
				TOK_LIT(g, T_CBRACK, "]");
			s++;
		} else {
			return false;
		}
	}
	return true;
}

/* ---- expressions: construction --------------------------------------------- */

static sg_hcl_expr *expr_new(sg_arena *a, enum ekind kind)
{
	sg_hcl_expr *e = sg_arena_alloc(a, sizeof *e);
	e->kind = kind;
	e->arena = a;
	e->layout = SG_HCL_AUTO;
	return e;
}

static void add_item(sg_hcl_expr *e, const char *key, size_t keylen, sg_hcl_expr *value)
{
	if (e->n == e->cap) {
		uint32_t cap = e->cap ? e->cap * 2 : 4;
		e->items = sg_arena_grow(e->arena, e->items, e->n, cap, sizeof *e->items);
		e->cap = cap;
	}
	e->items[e->n++] = (struct item){key, keylen, value};
}

/* Fail a mutation of `e`: mark it broken so sg_hcl_write refuses it. */
static int expr_fail(sg_hcl_expr *e)
{
	if (e)
		e->broken = true;
	return SG_EUSAGE;
}

sg_hcl_expr *sg_hcl_strn(sg_arena *a, const char *s, size_t len)
{
	if (!a || (!s && len) || len > UINT32_MAX)
		return NULL;
	sg_hcl_expr *e = expr_new(a, E_STR);
	e->text = sg_arena_strndup(a, s ? s : "", len);
	e->len = (uint32_t)len;
	return e;
}

sg_hcl_expr *sg_hcl_str(sg_arena *a, const char *s)
{
	return s ? sg_hcl_strn(a, s, strlen(s)) : NULL;
}

sg_hcl_expr *sg_hcl_int(sg_arena *a, int64_t v)
{
	if (!a)
		return NULL;
	sg_hcl_expr *e = expr_new(a, E_NUM);
	e->text = sg_arena_printf(a, "%lld", (long long)v);
	e->len = strlen(e->text);
	return e;
}

sg_hcl_expr *sg_hcl_num(sg_arena *a, double v)
{
	if (!a || !isfinite(v))
		return NULL;
	/* the shortest %g that reads back as the same double */
	char b[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(b, sizeof b, "%.*g", prec, v);
		if (strtod(b, NULL) == v)
			break;
	}
	/* a locale may have put a decimal comma: HCL wants a point */
	for (char *p = b; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == 'e' || *p == '+' || *p == '-'))
			*p = '.';
	return sg_hcl_num_text(a, b);
}

sg_hcl_expr *sg_hcl_num_text(sg_arena *a, const char *text)
{
	if (!a || !text)
		return NULL;
	const char *p = text;
	if (*p == '-')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return NULL;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return NULL;
	sg_hcl_expr *e = expr_new(a, E_NUM);
	e->text = sg_arena_strdup(a, text);
	e->len = strlen(text);
	return e;
}

sg_hcl_expr *sg_hcl_bool(sg_arena *a, bool v)
{
	if (!a)
		return NULL;
	sg_hcl_expr *e = expr_new(a, E_KEYWORD);
	e->text = v ? "true" : "false";
	e->len = strlen(e->text);
	return e;
}

sg_hcl_expr *sg_hcl_null(sg_arena *a)
{
	if (!a)
		return NULL;
	sg_hcl_expr *e = expr_new(a, E_KEYWORD);
	e->text = "null";
	e->len = 4;
	return e;
}

sg_hcl_expr *sg_hcl_ref(sg_arena *a, const char *traversal)
{
	if (!a || !traversal || !scan_ref(traversal, NULL))
		return NULL;
	sg_hcl_expr *e = expr_new(a, E_REF);
	e->text = sg_arena_strdup(a, traversal);
	e->len = strlen(traversal);
	return e;
}

sg_hcl_expr *sg_hcl_call(sg_arena *a, const char *fn, sg_hcl_expr *const *args, size_t nargs)
{
	if (!a || !fn || !valid_function_name(fn) || (!args && nargs))
		return NULL;
	for (size_t i = 0; i < nargs; i++)
		if (!args[i] || args[i]->broken)
			return NULL;
	sg_hcl_expr *e = expr_new(a, E_CALL);
	e->text = sg_arena_strdup(a, fn);
	e->len = strlen(fn);
	for (size_t i = 0; i < nargs; i++)
		add_item(e, NULL, 0, args[i]);
	return e;
}

sg_hcl_expr *sg_hcl_call1(sg_arena *a, const char *fn, sg_hcl_expr *arg)
{
	return sg_hcl_call(a, fn, &arg, 1);
}

sg_hcl_expr *sg_hcl_template(sg_arena *a)
{
	return a ? expr_new(a, E_TEMPLATE) : NULL;
}

int sg_hcl_template_lit(sg_hcl_expr *tmpl, const char *text)
{
	if (!tmpl || tmpl->kind != E_TEMPLATE || !text)
		return expr_fail(tmpl);
	if (*text) /* empty parts would only get in the way of merging */
		add_item(tmpl, sg_arena_strdup(tmpl->arena, text), strlen(text), NULL);
	return SG_OK;
}

int sg_hcl_template_interp(sg_hcl_expr *tmpl, sg_hcl_expr *expr)
{
	if (!tmpl || tmpl->kind != E_TEMPLATE || !expr || expr->broken || expr == tmpl)
		return expr_fail(tmpl);
	add_item(tmpl, NULL, 0, expr);
	return SG_OK;
}

sg_hcl_expr *sg_hcl_tuple(sg_arena *a, sg_hcl_expr *const *items, size_t n)
{
	if (!a || (!items && n))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!items[i] || items[i]->broken)
			return NULL;
	sg_hcl_expr *e = expr_new(a, E_TUPLE);
	for (size_t i = 0; i < n; i++)
		add_item(e, NULL, 0, items[i]);
	return e;
}

int sg_hcl_tuple_push(sg_hcl_expr *tuple, sg_hcl_expr *item)
{
	if (!tuple || tuple->kind != E_TUPLE || !item || item->broken || item == tuple)
		return expr_fail(tuple);
	add_item(tuple, NULL, 0, item);
	return SG_OK;
}

sg_hcl_expr *sg_hcl_tuple_strs(sg_arena *a, const char *const *strs, size_t n)
{
	if (!a || (!strs && n))
		return NULL;
	sg_hcl_expr *e = expr_new(a, E_TUPLE);
	for (size_t i = 0; i < n; i++) {
		sg_hcl_expr *s = sg_hcl_str(a, strs[i]);
		if (!s)
			return NULL;
		add_item(e, NULL, 0, s);
	}
	return e;
}

sg_hcl_expr *sg_hcl_object(sg_arena *a)
{
	return a ? expr_new(a, E_OBJECT) : NULL;
}

int sg_hcl_object_put(sg_hcl_expr *obj, const char *key, sg_hcl_expr *value)
{
	if (!obj || obj->kind != E_OBJECT || !key || !value || value->broken || value == obj)
		return expr_fail(obj);
	/* HCL rejects an object constructor that repeats a key */
	if (names_have(&obj->keys, obj->items, obj->n, object_key, key))
		return expr_fail(obj);
	add_item(obj, sg_arena_strdup(obj->arena, key), strlen(key), value);
	names_added(&obj->keys, obj->arena, obj->items, obj->n, object_key, obj->n - 1);
	return SG_OK;
}

int sg_hcl_set_layout(sg_hcl_expr *e, sg_hcl_layout layout)
{
	if (!e || (e->kind != E_OBJECT && e->kind != E_TUPLE && e->kind != E_CALL) ||
	    (layout != SG_HCL_AUTO && layout != SG_HCL_ONELINE && layout != SG_HCL_MULTILINE))
		return expr_fail(e);
	e->layout = layout;
	return SG_OK;
}

/* ---- bodies: construction -------------------------------------------------- */

sg_hcl_body *sg_hcl_body_new(sg_arena *a)
{
	if (!a)
		return NULL;
	sg_hcl_body *b = sg_arena_alloc(a, sizeof *b);
	b->arena = a;
	b->root = b;
	return b;
}

sg_arena *sg_hcl_body_arena(const sg_hcl_body *body)
{
	return body ? body->arena : NULL;
}

static int body_fail(sg_hcl_body *body)
{
	if (body)
		body->root->broken = true;
	return SG_EUSAGE;
}

static const char *attr_name(const void *items, size_t i)
{
	const struct body_item *it = &((const struct body_item *)items)[i];
	return it->kind == B_ATTR ? it->name : NULL;
}

static struct body_item *body_add(sg_hcl_body *b, enum bkind kind)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		b->items = sg_arena_grow(b->arena, b->items, b->n, cap, sizeof *b->items);
		b->cap = cap;
	}
	struct body_item *it = &b->items[b->n++];
	it->kind = kind;
	return it;
}

int sg_hcl_attr(sg_hcl_body *body, const char *name, sg_hcl_expr *value)
{
	if (!body || !value || value->broken || !sg_hcl_is_ident(name))
		return body_fail(body);
	/* "Attribute redefined" is an error in HCL */
	if (names_have(&body->attrs, body->items, body->n, attr_name, name))
		return body_fail(body);
	struct body_item *it = body_add(body, B_ATTR);
	it->name = sg_arena_strdup(body->arena, name);
	it->value = value;
	names_added(&body->attrs, body->arena, body->items, body->n, attr_name, body->n - 1);
	return SG_OK;
}

int sg_hcl_attr_str(sg_hcl_body *body, const char *name, const char *s)
{
	return sg_hcl_attr(body, name, sg_hcl_str(sg_hcl_body_arena(body), s));
}

int sg_hcl_attr_ref(sg_hcl_body *body, const char *name, const char *traversal)
{
	return sg_hcl_attr(body, name, sg_hcl_ref(sg_hcl_body_arena(body), traversal));
}

int sg_hcl_attr_int(sg_hcl_body *body, const char *name, int64_t v)
{
	return sg_hcl_attr(body, name, sg_hcl_int(sg_hcl_body_arena(body), v));
}

int sg_hcl_attr_bool(sg_hcl_body *body, const char *name, bool v)
{
	return sg_hcl_attr(body, name, sg_hcl_bool(sg_hcl_body_arena(body), v));
}

int sg_hcl_block_add(sg_hcl_body **out, sg_hcl_body *parent, const char *type,
                     const char *const *labels, size_t nlabels)
{
	if (out)
		*out = NULL;
	if (!out || !parent || !sg_hcl_is_ident(type) || (!labels && nlabels))
		return body_fail(parent);
	/*
	 * terraform fmt re-reads each label and keeps it only when the scanner
	 * gave a single literal token; `$` and `%` always start a new token,
	 * so such a label would be deleted by the formatter.
	 */
	for (size_t i = 0; i < nlabels; i++)
		if (!labels[i] || strpbrk(labels[i], "$%"))
			return body_fail(parent);
	sg_arena *a = parent->arena;
	sg_hcl_body *child = sg_arena_alloc(a, sizeof *child);
	child->arena = a;
	child->root = parent->root;
	struct body_item *it = body_add(parent, B_BLOCK);
	it->name = sg_arena_strdup(a, type);
	it->labels = sg_arena_calloc(a, nlabels ? nlabels : 1, sizeof *it->labels);
	for (size_t i = 0; i < nlabels; i++)
		it->labels[i] = sg_arena_strdup(a, labels[i]);
	it->nlabels = nlabels;
	it->body = child;
	*out = child;
	return SG_OK;
}

int sg_hcl_blank(sg_hcl_body *body)
{
	if (!body)
		return SG_EUSAGE;
	body_add(body, B_BLANK);
	return SG_OK;
}

/* ---- step 1: tokens ------------------------------------------------------- */

static void gen_expr(struct gen *g, const sg_hcl_expr *e, bool flat, int depth);

/* Whether `e` as laid out will span several lines. */
static bool spans_lines(const sg_hcl_expr *e, int depth)
{
	if (depth > MAX_DEPTH)
		return false; /* gen_expr reports the error */
	switch (e->kind) {
	case E_OBJECT:
		if (e->n && e->layout != SG_HCL_ONELINE)
			return true;
		break;
	case E_TUPLE:
	case E_CALL:
		if (e->n && e->layout == SG_HCL_MULTILINE)
			return true;
		break;
	default:
		return false; /* templates are always written on one line */
	}
	for (size_t i = 0; i < e->n; i++)
		if (spans_lines(e->items[i].value, depth + 1))
			return true;
	return false;
}

static void gen_key(struct gen *g, const char *key, size_t len)
{
	if (bare_key(key))
		tok(g, T_IDENT, key, len);
	else
		tok_quoted(g, key, len);
}

static void gen_object(struct gen *g, const sg_hcl_expr *e, bool flat, int depth)
{
	TOK_LIT(g, T_OBRACE, "{");
	bool multi = e->n && !flat && e->layout != SG_HCL_ONELINE;
	if (multi)
		TOK_LIT(g, T_NEWLINE, "\n");
	for (size_t i = 0; i < e->n; i++) {
		if (i && !multi)
			TOK_LIT(g, T_COMMA, ",");
		gen_key(g, e->items[i].key, e->items[i].keylen);
		TOK_LIT(g, T_EQUAL, "=");
		gen_expr(g, e->items[i].value, flat, depth + 1);
		if (multi)
			TOK_LIT(g, T_NEWLINE, "\n");
	}
	TOK_LIT(g, T_CBRACE, "}");
}

/* Tuple elements or call arguments, inside their brackets. */
static void gen_list(struct gen *g, const sg_hcl_expr *e, bool multi, bool flat, int depth)
{
	if (multi)
		TOK_LIT(g, T_NEWLINE, "\n");
	for (size_t i = 0; i < e->n; i++) {
		if (i && !multi)
			TOK_LIT(g, T_COMMA, ",");
		gen_expr(g, e->items[i].value, flat, depth + 1);
		if (multi) {
			/* trailing commas, as hand-written multi-line lists have */
			TOK_LIT(g, T_COMMA, ",");
			TOK_LIT(g, T_NEWLINE, "\n");
		}
	}
}

static void gen_call(struct gen *g, const sg_hcl_expr *e, bool flat, int depth)
{
	const char *s = e->text;
	for (;;) {
		size_t n = ident_len(s);
		tok(g, T_IDENT, s, n);
		s += n;
		if (!*s)
			break;
		TOK_LIT(g, T_DCOLON, "::");
		s += 2;
	}
	TOK_LIT(g, T_OPAREN, "(");
	gen_list(g, e, e->n && !flat && e->layout == SG_HCL_MULTILINE, flat, depth);
	TOK_LIT(g, T_CPAREN, ")");
}

static void gen_tuple(struct gen *g, const sg_hcl_expr *e, bool flat, int depth)
{
	bool multi = false;
	if (e->n && !flat) {
		if (e->layout == SG_HCL_MULTILINE)
			multi = true;
		else if (e->layout == SG_HCL_AUTO)
			multi = spans_lines(e, depth);
	}
	TOK_LIT(g, T_OBRACK, "[");
	gen_list(g, e, multi, flat, depth);
	TOK_LIT(g, T_CBRACK, "]");
}

/*
 * A template: adjacent literal parts are merged before escaping, so an
 * escape is never split across parts.  A literal that ends in `$` right
 * before `${` would read as the escape `$${`, so its trailing `$` run is
 * written as an interpolated string instead: "a${"$"}${x}".
 */
static void gen_template(struct gen *g, const sg_hcl_expr *e, int depth)
{
	sg_buf lit = SG_BUF_INIT;
	tok_s(g, T_OQUOTE, "\"");
	for (size_t i = 0; i <= e->n; i++) {
		const struct item *it = i < e->n ? &e->items[i] : NULL;
		if (it && !it->value) {
			sg_buf_put(&lit, it->key, it->keylen);
			continue;
		}
		size_t keep = lit.len, dollars = 0;
		if (it)
			while (keep && lit.ptr[keep - 1] == '$')
				keep--, dollars++;
		if (keep) {
			size_t off = g->text.len;
			sg_hcl_escape(&g->text, lit.ptr, keep);
			push_tok(g, T_QLIT, off);
		}
		if (dollars) {
			TOK_LIT(g, T_TINTERP, "${");
			tok_s(g, T_OQUOTE, "\"");
			tok(g, T_QLIT, lit.ptr + keep, dollars);
			tok_s(g, T_CQUOTE, "\"");
			TOK_LIT(g, T_TSEQEND, "}");
		}
		sg_buf_clear(&lit);
		if (it) {
			TOK_LIT(g, T_TINTERP, "${");
			gen_expr(g, it->value, true, depth + 1);
			TOK_LIT(g, T_TSEQEND, "}");
		}
	}
	tok_s(g, T_CQUOTE, "\"");
	sg_buf_free(&lit);
}

static void gen_number(struct gen *g, const sg_hcl_expr *e)
{
	/* `-1` is the unary operator applied to a literal, two tokens */
	const char *s = e->text;
	if (*s == '-') {
		TOK_LIT(g, T_MINUS, "-");
		s++;
	}
	tok_s(g, T_NUMBER, s);
}

static void gen_expr(struct gen *g, const sg_hcl_expr *e, bool flat, int depth)
{
	if (!e || e->broken || depth > MAX_DEPTH) {
		g->err = true;
		return;
	}
	switch (e->kind) {
	case E_STR:
		tok_quoted(g, e->text, e->len);
		break;
	case E_NUM:
		gen_number(g, e);
		break;
	case E_KEYWORD:
		tok(g, T_IDENT, e->text, e->len);
		break;
	case E_REF:
		scan_ref(e->text, g);
		break;
	case E_CALL:
		gen_call(g, e, flat, depth);
		break;
	case E_TEMPLATE:
		gen_template(g, e, depth);
		break;
	case E_TUPLE:
		gen_tuple(g, e, flat, depth);
		break;
	case E_OBJECT:
		gen_object(g, e, flat, depth);
		break;
	}
}

/*
 * `terraform fmt` replaces an attribute value "${expr}" by expr; do the
 * same, repeatedly, so its result would not change again.
 */
static const sg_hcl_expr *unwrap_interpolation(const sg_hcl_expr *e)
{
	for (int i = 0; e && i < MAX_DEPTH; i++) {
		if (e->kind != E_TEMPLATE || e->broken || e->n != 1 || !e->items[0].value)
			break;
		e = e->items[0].value;
	}
	return e;
}

static void gen_body(struct gen *g, const sg_hcl_body *b, int depth)
{
	if (depth > MAX_DEPTH) {
		g->err = true;
		return;
	}
	bool first = true, blank = false;
	enum bkind prev = B_BLANK;
	for (size_t i = 0; i < b->n; i++) {
		const struct body_item *it = &b->items[i];
		if (it->kind == B_BLANK) {
			blank = !first;
			continue;
		}
		/* one blank line around blocks, or where the caller asked */
		if (!first && (blank || it->kind == B_BLOCK || prev == B_BLOCK))
			TOK_LIT(g, T_NEWLINE, "\n");
		first = blank = false;
		prev = it->kind;
		tok_s(g, T_IDENT, it->name);
		if (it->kind == B_ATTR) {
			TOK_LIT(g, T_EQUAL, "=");
			gen_expr(g, unwrap_interpolation(it->value), false, depth + 1);
			TOK_LIT(g, T_NEWLINE, "\n");
			continue;
		}
		for (size_t l = 0; l < it->nlabels; l++)
			tok_quoted(g, it->labels[l], strlen(it->labels[l]));
		TOK_LIT(g, T_OBRACE, "{");
		bool empty = true;
		for (size_t j = 0; j < it->body->n && empty; j++)
			empty = it->body->items[j].kind == B_BLANK;
		if (!empty) {
			TOK_LIT(g, T_NEWLINE, "\n");
			gen_body(g, it->body, depth + 1);
		}
		TOK_LIT(g, T_CBRACE, "}");
		TOK_LIT(g, T_NEWLINE, "\n");
	}
}

/* ---- step 2: spaces, a port of hclwrite/format.go ---------------------------- */

struct line {
	size_t start, end;  /* tokens [start, end), the newline included */
	size_t assign;      /* first token of the "assign" cell, or SIZE_MAX */
	size_t cols;        /* columns of the cells before it (formatCells) */
	int net;            /* brackets opened minus closed on the line */
};

static const struct token nil_token = {0, 0, 0, T_NIL};

/* spaceAfterToken, for the token types this writer produces. */
static bool space_after(const struct gen *g, const struct token *subject,
                        const struct token *before, const struct token *after)
{
	enum tok s = subject->type, a = after->type;
	if (a == T_NEWLINE || a == T_NIL)
		return false;
	if (s == T_IDENT && a == T_OPAREN)
		return false;
	if ((s == T_IDENT && a == T_DCOLON) || (s == T_DCOLON && a == T_IDENT))
		return false;
	if (s == T_DOT || a == T_DOT)
		return false;
	if (a == T_COMMA)
		return false;
	if (s == T_COMMA)
		return true;
	if (s == T_QLIT || s == T_OQUOTE || a == T_QLIT || a == T_CQUOTE)
		return false;
	if (s == T_IDENT && subject->len == 2 && !memcmp(g->text.ptr + subject->off, "in", 2) &&
	    before->type == T_IDENT)
		return true;
	if (a == T_OBRACK && (s == T_IDENT || s == T_NUMBER || bracket_change(s) < 0))
		return false;
	if (s == T_MINUS) {
		/* a negation when what precedes cannot end an operand */
		switch (before->type) {
		case T_NIL: case T_OPAREN: case T_OBRACE: case T_OBRACK:
		case T_EQUAL: case T_COMMA: case T_MINUS:
			return false;
		default:
			return true;
		}
	}
	if (s == T_OBRACE || a == T_CBRACE)
		return !(s == T_OBRACE && a == T_CBRACE);
	if (s == T_TINTERP && a == T_OBRACE)
		return true;
	if (s == T_CBRACE && a == T_TSEQEND)
		return true;
	if (s == T_TSEQEND && a == T_TINTERP)
		return false;
	if (bracket_change(s) > 0)
		return false;
	if (bracket_change(a) < 0)
		return false;
	return true;
}

/* Spaces between the tokens of [start, end), as formatSpaces does per cell. */
static void format_cell(struct gen *g, size_t start, size_t end)
{
	for (size_t i = start; i + 1 < end; i++) {
		const struct token *before = i > start ? &g->toks[i - 1] : &nil_token;
		g->toks[i + 1].spaces = space_after(g, &g->toks[i], before, &g->toks[i + 1]);
	}
}

/*
 * Columns of a quoted literal as hclwrite counts them: HCL's scanner cuts
 * the literal into several tokens, a `$` or `%` (or the escapes `$${`,
 * `%%{`) each being one, and graphemes are counted per token, so a
 * combining mark after a `$` counts on its own.
 */
static size_t qlit_columns(const char *s, size_t len)
{
	size_t n = 0, i = 0;
	while (i < len) {
		size_t j = i + 1;
		if (s[i] == '$' || s[i] == '%') {
			if (i + 2 < len && s[i + 1] == s[i] && s[i + 2] == '{')
				j = i + 3;
		} else {
			while (j < len && s[j] != '$' && s[j] != '%')
				j++;
		}
		n += sg_hcl_columns(s + i, j - i);
		i = j;
	}
	return n;
}

static size_t cell_columns(const struct gen *g, size_t start, size_t end)
{
	size_t n = 0;
	for (size_t i = start; i < end; i++) {
		const struct token *t = &g->toks[i];
		const char *s = g->text.ptr + t->off;
		n += t->spaces + (t->type == T_QLIT ? qlit_columns(s, t->len) : sg_hcl_columns(s, t->len));
	}
	return n;
}

static void format(struct gen *g)
{
	/* linesForFormat: split after newlines, find the "assign" cells */
	size_t nlines = 0;
	for (size_t i = 0; i < g->n; i++)
		nlines += g->toks[i].type == T_NEWLINE;
	struct line *lines = xrealloc(NULL, nlines ? nlines : 1, sizeof *lines);
	size_t li = 0, start = 0;
	for (size_t i = 0; i < g->n; i++) {
		if (g->toks[i].type != T_NEWLINE)
			continue;
		struct line *l = &lines[li++];
		l->start = start;
		l->end = i + 1;
		l->assign = SIZE_MAX;
		start = i + 1;
		/*
		 * A line gets an assign cell only when the expression after its
		 * first `=` closes on the same line: `tags = {` does not, so it
		 * ends an alignment group rather than joining it.
		 */
		int net = bracket_change(g->toks[l->start].type), before_eq = 0;
		size_t eq = SIZE_MAX;
		for (size_t j = l->start + 1; j < l->end; j++) {
			if (eq == SIZE_MAX && g->toks[j].type == T_EQUAL) {
				eq = j;
				before_eq = net;
			}
			net += bracket_change(g->toks[j].type);
		}
		if (eq != SIZE_MAX && net == before_eq)
			l->assign = eq;
		l->net = net;
	}

	/* formatIndent: an indent stack of bracket counts per opening line */
	int *indents = NULL;
	size_t nind = 0, capind = 0;
	for (li = 0; li < nlines; li++) {
		struct line *l = &lines[li];
		struct token *first = &g->toks[l->start];
		if (first->type == T_NEWLINE) {
			first->spaces = 0;
			continue;
		}
		int net = l->net;
		if (net > 0) {
			first->spaces = 2 * nind;
			if (nind == capind) {
				capind = capind ? capind * 2 : 16;
				indents = xrealloc(indents, capind, sizeof *indents);
			}
			indents[nind++] = net;
		} else {
			int closed = -net;
			while (closed > 0 && nind > 0) {
				if (closed > indents[nind - 1]) {
					closed -= indents[nind - 1];
					nind--;
				} else if (closed < indents[nind - 1]) {
					indents[nind - 1] -= closed;
					closed = 0;
				} else {
					nind--;
					closed = 0;
				}
			}
			first->spaces = 2 * nind;
		}
	}
	free(indents);

	/* formatSpaces */
	for (li = 0; li < nlines; li++) {
		struct line *l = &lines[li];
		size_t lead_end = l->assign != SIZE_MAX ? l->assign : l->end;
		format_cell(g, l->start, lead_end);
		if (l->assign != SIZE_MAX) {
			g->toks[l->assign].spaces = 1;
			format_cell(g, l->assign, l->end);
		}
	}

	/* formatCells: align `=` over each run of consecutive assign lines */
	size_t chain = SIZE_MAX, maxcol = 0;
	for (li = 0; li <= nlines; li++) {
		bool assign = li < nlines && lines[li].assign != SIZE_MAX;
		if (assign) {
			if (chain == SIZE_MAX)
				chain = li;
			size_t c = lines[li].cols = cell_columns(g, lines[li].start, lines[li].assign);
			if (c > maxcol)
				maxcol = c;
			continue;
		}
		if (chain == SIZE_MAX)
			continue;
		for (size_t k = chain; k < li; k++)
			g->toks[lines[k].assign].spaces = maxcol - lines[k].cols + 1;
		chain = SIZE_MAX;
		maxcol = 0;
	}
	free(lines);
}

int sg_hcl_write(sg_buf *out, const sg_hcl_body *body)
{
	if (!out || !body || body->root->broken)
		return SG_EUSAGE;
	struct gen g = {0};
	gen_body(&g, body, 0);
	if (!g.err)
		format(&g);
	if (!g.err) {
		size_t total = g.text.len;
		for (size_t i = 0; i < g.n; i++)
			total += g.toks[i].spaces;
		sg_buf_reserve(out, total);
		for (size_t i = 0; i < g.n; i++) {
			sg_buf_pad(out, ' ', g.toks[i].spaces);
			sg_buf_put(out, g.text.ptr + g.toks[i].off, g.toks[i].len);
		}
	}
	free(g.toks);
	sg_buf_free(&g.text);
	return g.err ? SG_EUSAGE : SG_OK;
}

/* ---- from cJSON ----------------------------------------------------------- */

static sg_hcl_expr *from_json(sg_arena *a, const cJSON *j, sg_hcl_json_hook hook, void *ctx,
                              int depth)
{
	if (!j || depth > MAX_DEPTH)
		return NULL;
	if (hook) {
		sg_hcl_expr *e = hook(ctx, a, j);
		if (e)
			return e;
	}
	if (cJSON_IsString(j))
		return sg_hcl_str(a, j->valuestring);
	if (cJSON_IsBool(j))
		return sg_hcl_bool(a, cJSON_IsTrue(j));
	if (cJSON_IsNull(j))
		return sg_hcl_null(a);
	if (cJSON_IsNumber(j)) {
		double d = j->valuedouble;
		/* integers print exactly; beyond 2^53 a double is only approximate */
		if (isfinite(d) && d == floor(d) && fabs(d) <= 9007199254740992.0)
			return sg_hcl_int(a, (int64_t)d);
		return sg_hcl_num(a, d);
	}
	if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
		bool obj = cJSON_IsObject(j);
		sg_hcl_expr *e = obj ? sg_hcl_object(a) : sg_hcl_tuple(a, NULL, 0);
		for (const cJSON *c = j->child; c; c = c->next) {
			sg_hcl_expr *v = from_json(a, c, hook, ctx, depth + 1);
			if (!v)
				return NULL;
			if ((obj ? sg_hcl_object_put(e, c->string, v) : sg_hcl_tuple_push(e, v)) != SG_OK)
				return NULL;
		}
		return e;
	}
	return NULL; /* cJSON_Raw, cJSON_Invalid */
}

int sg_hcl_from_json(sg_hcl_expr **out, sg_arena *a, const cJSON *json,
                     sg_hcl_json_hook hook, void *ctx)
{
	if (!out)
		return SG_EUSAGE;
	*out = a ? from_json(a, json, hook, ctx, 0) : NULL;
	return *out ? SG_OK : SG_EUSAGE;
}
