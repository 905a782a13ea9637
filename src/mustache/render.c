/*
 * render.c - sg_mustache_render: walks a compiled tree against a cJSON
 * context stack and appends the output to an sg_buf.
 *
 * Indentation is lazy: a MARK node (a line start of the template) only
 * notes the indentation owed to the line, and it is written before the
 * first byte of the line that is not a line break.  That is what lets an
 * interpolated value span lines without being indented, and keeps empty
 * lines of an indented partial free of trailing blanks.
 *
 * Recursion is bounded twice: by SG_MUSTACHE_MAX_EXPANSION_DEPTH for
 * partials and parents (a template that includes itself under a context
 * that never runs out), and by SG_MUSTACHE_MAX_RENDER_DEPTH for the whole
 * walk, so no input can exhaust the C stack.  Work is bounded too, by
 * output size and by steps (partials that each include the next twice
 * double the work at every level without recursing).  The first error
 * stops the whole rendering: recursive templates would otherwise repeat it
 * exponentially.
 */
#include "mustache_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The arguments of one parent tag being expanded. */
typedef struct override {
	const sg_mu_node *args;
	size_t nargs;
	const char *indent;       /* the indentation where the arguments were written */
	size_t indent_len;
	const sg_mustache_tpl *tpl;
} override;

typedef struct state {
	sg_buf *out;
	size_t out_start;
	sg_mustache_set *set;
	sg_mustache_escape_fn escape;
	void *payload;
	sg_diags *diags;
	const sg_mustache_tpl *tpl;   /* whose nodes are being walked: diagnostics */
	sg_pos where;                 /* its innermost section or block tag (0:0 at
				       * its top level): text has no position */

	const cJSON *stack[SG_MUSTACHE_MAX_RENDER_DEPTH + 2];
	size_t nstack;
	override frames[SG_MUSTACHE_MAX_EXPANSION_DEPTH + 1];
	size_t nframes;

	const char *indent;           /* what a MARK owes its line */
	size_t indent_len;
	sg_buf pending;               /* owed to the current line, not yet written
				       * (a copy: it may outlive its expansion) */
	unsigned pending_level;       /* expansion level that owed it */
	unsigned level;               /* expansions being walked */

	unsigned depth, expansions;
	unsigned long steps;          /* nodes visited */
	unsigned long max_steps;
	size_t max_output;
	bool failed;
} state;

static void render_nodes(state *st, const sg_mu_node *nodes, size_t n);

static void fail(state *st, const char *code, sg_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void fail(state *st, const char *code, sg_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_diag_vadd(st->diags, SG_SEV_ERROR, code, st->tpl->name, pos, fmt, ap);
	va_end(ap);
	st->failed = true;
}

/* ---- output ------------------------------------------------------------- */

/* Settle the indentation owed to the line before `s` is written: dropped
 * when `s` starts with a line break (the line is empty), written otherwise. */
static void settle(state *st, const char *s, size_t len)
{
	if (!st->pending.len || !len)
		return;
	if (s[0] != '\n' && !(s[0] == '\r' && len > 1 && s[1] == '\n'))
		sg_buf_put(st->out, st->pending.ptr, st->pending.len);
	sg_buf_clear(&st->pending);
}

static void owe(state *st, const char *s, size_t len)
{
	sg_buf_clear(&st->pending);
	sg_buf_put(&st->pending, s, len);
	st->pending_level = st->level;
}

/*
 * A MARK: a template line starts.  What it owes replaces what its own
 * expansion owed to a line that stayed empty, but adds to what an outer one
 * owes: an inline partial whose first line was standalone is still on the
 * outer line, whose indentation must not get lost.
 */
static void mark(state *st)
{
	if (st->pending.len && st->pending_level < st->level)
		sg_buf_put(&st->pending, st->indent, st->indent_len);
	else
		owe(st, st->indent, st->indent_len);
}

static void check_size(state *st, sg_pos pos)
{
	if (!st->failed && st->out->len - st->out_start > st->max_output)
		fail(st, "template-limit", pos, "output is over %zu bytes", st->max_output);
}

static void put(state *st, const char *s, size_t len, sg_pos pos)
{
	if (!len)
		return;
	settle(st, s, len);
	sg_buf_put(st->out, s, len);
	check_size(st, pos);
}

static void put_escaped(state *st, const char *s, size_t len, sg_pos pos)
{
	if (!len)
		return;
	settle(st, s, len);
	st->escape(st->out, s, len, st->payload);
	check_size(st, pos);
}

/* ---- values --------------------------------------------------------------- */

/*
 * The member `name` of object `o` (NULL when absent or `o` is not an
 * object): cJSON_GetObjectItemCaseSensitive's answer, with the first byte
 * compared before the call to strcmp.  Contexts are objects of tens of
 * members searched by every tag, so most comparisons end at that byte.
 */
static const cJSON *member(const cJSON *o, const char *name)
{
	if (!o || (o->type & 0xFF) != cJSON_Object)
		return NULL;
	for (const cJSON *c = o->child; c; c = c->next)
		if (c->string && c->string[0] == name[0] && !strcmp(c->string, name))
			return c;
	return NULL;
}

/*
 * The spec's name resolution: the first part is looked up in the context
 * stack from the top, the others in what the previous part gave only.
 */
static const cJSON *lookup(const state *st, const sg_mu_node *n)
{
	if (!n->nsegs)
		return st->stack[st->nstack - 1];
	const cJSON *v = NULL;
	for (size_t i = st->nstack; i-- > 0;)
		if ((v = member(st->stack[i], n->segs[0])) != NULL)
			break;
	for (size_t k = 1; v && k < n->nsegs; k++)
		v = member(v, n->segs[k]);
	return v;
}

static bool truthy(const cJSON *v)
{
	if (!v || cJSON_IsNull(v) || cJSON_IsFalse(v) || cJSON_IsInvalid(v))
		return false;
	if (cJSON_IsArray(v))
		return v->child != NULL;
	if (cJSON_IsString(v))
		return v->valuestring && v->valuestring[0];
	return true;
}

static void interpolate(state *st, const sg_mu_node *n)
{
	const cJSON *v = lookup(st, n);
	if (!v)
		return;
	char num[64];
	size_t len = 0;
	const char *s = sg_mu_scalar_text(v, num, &len);
	char *json = NULL;
	if (!s && (cJSON_IsArray(v) || cJSON_IsObject(v))) {
		json = cJSON_PrintUnformatted(v);
		if (!json) {
			fputs("svcgen: out of memory\n", stderr);
			abort();
		}
		s = json;
		len = strlen(json);
	}
	if (s) {
		if (n->kind == SG_MU_VAR)
			put_escaped(st, s, len, n->pos);
		else
			put(st, s, len, n->pos);
	}
	cJSON_free(json);
}

/* ---- nesting ------------------------------------------------------------------ */

static bool enter(state *st, sg_pos pos)
{
	if (st->depth >= SG_MUSTACHE_MAX_RENDER_DEPTH) {
		fail(st, "template-recursion", pos, "templates nested more than %d deep",
		     SG_MUSTACHE_MAX_RENDER_DEPTH);
		return false;
	}
	st->depth++;
	return true;
}

static void section(state *st, const sg_mu_node *n)
{
	const cJSON *v = lookup(st, n);
	bool go = n->kind == SG_MU_INVERTED ? !truthy(v) : truthy(v);
	if (!go || !enter(st, n->pos))
		return;
	sg_pos saved = st->where;
	st->where = n->pos;
	if (n->kind == SG_MU_INVERTED) {
		render_nodes(st, n->kids, n->nkids);
		st->where = saved;
		st->depth--;
		return;
	}
	if (cJSON_IsArray(v)) {
		for (const cJSON *e = v->child; e && !st->failed; e = e->next) {
			st->stack[st->nstack++] = e;
			render_nodes(st, n->kids, n->nkids);
			st->nstack--;
		}
	} else {
		st->stack[st->nstack++] = v;
		render_nodes(st, n->kids, n->nkids);
		st->nstack--;
	}
	st->where = saved;
	st->depth--;
}

/*
 * Name of the template a partial or parent tag expands: its own, or for
 * {{>*name}} the value `name` resolves to (printed as interpolation prints
 * it).  NULL when a dynamic name resolves to nothing printable.
 */
static const char *target_name(const state *st, const sg_mu_node *n, char num[64])
{
	if (!n->dynamic)
		return n->name;
	size_t len;
	const char *s = sg_mu_scalar_text(lookup(st, n), num, &len);
	return s && len && strlen(s) == len ? s : NULL;
}

/* Look up and compile the template a partial or parent tag expands. */
static const sg_mustache_tpl *target(state *st, const sg_mu_node *n)
{
	char num[64];
	const char *name = target_name(st, n, num);
	if (!name || !st->set)
		return NULL;
	const sg_mustache_tpl *tpl = NULL;
	if (sg_mustache_set_get(&tpl, st->set, st->diags, name) != SG_OK) {
		st->failed = true;
		return NULL;
	}
	if (tpl && st->expansions >= SG_MUSTACHE_MAX_EXPANSION_DEPTH) {
		fail(st, "template-recursion", n->pos,
		     "'%s' is nested more than %d partials deep (does it include itself?)",
		     name, SG_MUSTACHE_MAX_EXPANSION_DEPTH);
		return NULL;
	}
	return tpl;
}

/*
 * Render `nodes` (of template `tpl`) with MARKs owing `a` + `b` to their
 * lines (built in a scratch buffer: the two parts come from different
 * places).  `first` >= 0: the expansion starts a line whose blanks its tag
 * took, and owes that line the first `first` bytes of the indentation.
 * `pos` is the expanding tag; `where` the tag in `tpl` enclosing `nodes`.
 */
static void expand(state *st, const sg_mustache_tpl *tpl, const sg_mu_node *nodes, size_t n,
		   const char *a, size_t alen, const char *b, size_t blen, long first,
		   sg_pos pos, sg_pos where)
{
	if (!enter(st, pos))
		return;
	/* On the stack unless deep (no allocation per expansion). */
	char small[256];
	sg_buf ind = SG_BUF_INIT;
	char *indent = small;
	if (alen + blen >= sizeof(small)) {
		sg_buf_reserve(&ind, alen + blen);
		indent = ind.ptr;
	}
	if (alen)
		memcpy(indent, a, alen);
	if (blen)
		memcpy(indent + alen, b, blen);
	indent[alen + blen] = '\0';
	const char *saved_indent = st->indent;
	size_t saved_len = st->indent_len;
	const sg_mustache_tpl *saved_tpl = st->tpl;
	sg_pos saved_where = st->where;
	st->indent = indent;
	st->indent_len = alen + blen;
	st->tpl = tpl;
	st->where = where;
	st->level++;
	if (first >= 0)
		owe(st, indent, (size_t)first);
	render_nodes(st, nodes, n);
	st->level--;
	st->indent = saved_indent;
	st->indent_len = saved_len;
	st->tpl = saved_tpl;
	st->where = saved_where;
	sg_buf_free(&ind);
	st->depth--;
}

static void partial(state *st, const sg_mu_node *n)
{
	const sg_mustache_tpl *tpl = target(st, n);
	if (!tpl)
		return;
	st->expansions++;
	if (n->standalone)
		expand(st, tpl, tpl->nodes, tpl->count, st->indent, st->indent_len,
		       n->indent, n->indent_len, (long)(st->indent_len + n->indent_len), n->pos,
		       (sg_pos){0, 0});
	else
		expand(st, tpl, tpl->nodes, tpl->count, NULL, 0, NULL, 0, -1, n->pos,
		       (sg_pos){0, 0});
	st->expansions--;
}

static void parent(state *st, const sg_mu_node *n)
{
	const sg_mustache_tpl *tpl = target(st, n);
	if (!tpl)
		return;
	st->expansions++;
	st->frames[st->nframes++] = (override){
		n->kids, n->nkids, st->indent, st->indent_len, st->tpl,
	};
	if (n->standalone)
		expand(st, tpl, tpl->nodes, tpl->count, st->indent, st->indent_len,
		       n->indent, n->indent_len, (long)(st->indent_len + n->indent_len), n->pos,
		       (sg_pos){0, 0});
	else
		expand(st, tpl, tpl->nodes, tpl->count, NULL, 0, NULL, 0, -1, n->pos,
		       (sg_pos){0, 0});
	st->nframes--;
	st->expansions--;
}

/*
 * A block: the argument of the outermost parent tag that passes one
 * (top-level substitutions win), else its own content.  A standalone block
 * indents the lines of what it renders with its own indentation.  Content
 * whose intrinsic indentation was not removed at compile time keeps, on
 * its later lines, the indentation of the place it was written.
 */
static void block(state *st, const sg_mu_node *n)
{
	const sg_mu_node *content = n;
	const override *from = NULL;
	for (size_t f = 0; f < st->nframes && !from; f++)
		for (size_t i = 0; i < st->frames[f].nargs; i++)
			if (!strcmp(st->frames[f].args[i].name, n->name)) {
				content = &st->frames[f].args[i];
				from = &st->frames[f];
				break;
			}
	const char *def = from ? from->indent : st->indent;
	size_t def_len = from ? from->indent_len : st->indent_len;
	const sg_mustache_tpl *tpl = from ? from->tpl : st->tpl;
	if (content->intrinsic)
		def_len = 0;

	if (!n->standalone) {
		expand(st, tpl, content->kids, content->nkids, def, def_len, NULL, 0, -1, n->pos,
		       content->pos);
		return;
	}
	/* site = the current indentation + the block's own: owed to the first
	 * line of the content; later lines are owed site + def. */
	sg_buf site = SG_BUF_INIT;
	sg_buf_put(&site, "", 0);
	sg_buf_put(&site, st->indent, st->indent_len);
	sg_buf_put(&site, n->indent, n->indent_len);
	expand(st, tpl, content->kids, content->nkids, site.ptr, site.len, def, def_len,
	       (long)site.len, n->pos, content->pos);
	sg_buf_free(&site);
}

static void render_nodes(state *st, const sg_mu_node *nodes, size_t n)
{
	for (size_t i = 0; i < n && !st->failed; i++) {
		const sg_mu_node *node = &nodes[i];
		if (++st->steps > st->max_steps) {
			bool text = node->kind == SG_MU_TEXT || node->kind == SG_MU_MARK;
			fail(st, "template-limit", text ? st->where : node->pos,
			     "rendering takes over %lu steps", st->max_steps);
			break;
		}
		switch (node->kind) {
		case SG_MU_TEXT:
			put(st, node->text, node->len, st->where);
			break;
		case SG_MU_MARK:
			mark(st);
			break;
		case SG_MU_VAR:
		case SG_MU_RAW:
			interpolate(st, node);
			break;
		case SG_MU_SECTION:
		case SG_MU_INVERTED:
			section(st, node);
			break;
		case SG_MU_PARTIAL:
			partial(st, node);
			break;
		case SG_MU_PARENT:
			parent(st, node);
			break;
		case SG_MU_BLOCK:
			block(st, node);
			break;
		}
	}
}

int sg_mustache_render(sg_buf *out, const sg_mustache_tpl *tpl, const cJSON *context,
		       const sg_mustache_opts *opts, sg_diags *diags)
{
	if (!out || !tpl || !diags)
		return SG_EUSAGE;
	state *st = calloc(1, sizeof(*st));
	if (!st) {
		fputs("svcgen: out of memory\n", stderr);
		abort();
	}
	st->out = out;
	st->out_start = out->len;
	st->set = opts ? opts->partials : NULL;
	st->escape = opts && opts->escape ? opts->escape : sg_mustache_escape_html;
	st->payload = opts ? opts->escape_payload : NULL;
	st->max_steps = opts && opts->max_steps ? opts->max_steps : SG_MUSTACHE_MAX_STEPS;
	st->max_output = opts && opts->max_output ? opts->max_output : SG_MUSTACHE_MAX_OUTPUT;
	st->diags = diags;
	st->tpl = tpl;
	st->stack[0] = context;
	st->nstack = 1;
	st->indent = "";
	render_nodes(st, tpl->nodes, tpl->count);
	int rc = st->failed ? SG_EFINDINGS : SG_OK;
	sg_buf_free(&st->pending);
	free(st);
	return rc;
}
