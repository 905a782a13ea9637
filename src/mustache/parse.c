/*
 * parse.c - sg_mustache_compile: the lexer's tags become a tree.
 *
 * Three passes over the tag list, none recursive:
 *   1. match open and close tags (and find the blocks that are arguments of
 *      a parent tag: what else lies inside a parent is ignored by the spec);
 *   2. decide, tag by tag, which bytes around it never reach the output:
 *      standalone lines, and the spec's "standalone pairs" of parents and
 *      blocks (specs/whitespace.md of the Mustache spec);
 *   3. build the tree.  Text is split at line starts and each line start
 *      that survives gets a MARK node: the renderer indents there when the
 *      template is expanded by a standalone partial, parent or block.  The
 *      intrinsic indentation of blocks is removed here, once.
 * Whitespace is settled at compile time so rendering never re-parses.
 */
#include "mustache_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fputs("svcgen: out of memory\n", stderr);
		abort();
	}
	return p;
}

static const char *noun(char type)
{
	switch (type) {
	case '^': return "inverted section";
	case '<': return "parent";
	case '$': return "block";
	default: return "section";
	}
}

static void syntax_error(sg_diags *diags, const char *file, const char *code, sg_pos pos,
			 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void syntax_error(sg_diags *diags, const char *file, const char *code, sg_pos pos,
			 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_diag_vadd(diags, SG_SEV_ERROR, code, file, pos, fmt, ap);
	va_end(ap);
}

/* ---- pass 1: matching ---------------------------------------------------- */

static int match(sg_mu_toks *tk, sg_diags *diags, const char *file)
{
	long stack[SG_MUSTACHE_MAX_NESTING];
	bool ign[SG_MUSTACHE_MAX_NESTING];   /* is the content of stack[i] ignored */
	size_t depth = 0;
	for (size_t i = 0; i < tk->count; i++) {
		sg_mu_tok *t = &tk->items[i];
		bool cur_ign = depth ? ign[depth - 1] : false;
		t->match = -1;
		t->arg_of = -1;
		t->ignored = cur_ign;
		switch (t->type) {
		case '#': case '^': case '<': case '$': {
			if (depth == SG_MUSTACHE_MAX_NESTING) {
				syntax_error(diags, file, "template-limit", t->pos,
					     "sections nested more than %d deep", SG_MUSTACHE_MAX_NESTING);
				return SG_EFINDINGS;
			}
			bool inner = cur_ign;
			if (t->type == '<') {
				inner = true;
			} else if (t->type == '$' && depth && tk->items[stack[depth - 1]].type == '<') {
				t->arg_of = stack[depth - 1];
				t->ignored = tk->items[t->arg_of].ignored;
				inner = t->ignored;
			}
			stack[depth] = (long)i;
			ign[depth] = inner;
			depth++;
			break;
		}
		case '/': {
			if (!depth) {
				syntax_error(diags, file, "template-syntax", t->pos,
					     "closing tag '%s%.*s' has no open section",
					     t->dynamic ? "*" : "", (int)t->name_len, t->name);
				return SG_EFINDINGS;
			}
			sg_mu_tok *o = &tk->items[stack[depth - 1]];
			if (o->dynamic != t->dynamic || o->name_len != t->name_len ||
			    memcmp(o->name, t->name, t->name_len)) {
				syntax_error(diags, file, "template-syntax", t->pos,
					     "closing tag '%s%.*s' does not match %s '%s%.*s' opened at %u:%u",
					     t->dynamic ? "*" : "", (int)t->name_len, t->name,
					     noun(o->type), o->dynamic ? "*" : "", (int)o->name_len,
					     o->name, (unsigned)o->pos.line, (unsigned)o->pos.col);
				return SG_EFINDINGS;
			}
			t->match = stack[depth - 1];
			o->match = (long)i;
			t->ignored = o->ignored;
			depth--;
			break;
		}
		default:
			break;
		}
	}
	if (!depth)
		return SG_OK;
	while (depth--) {
		const sg_mu_tok *o = &tk->items[stack[depth]];
		syntax_error(diags, file, "template-syntax", o->pos, "%s '%s%.*s' is never closed",
			     noun(o->type), o->dynamic ? "*" : "", (int)o->name_len, o->name);
	}
	return SG_EFINDINGS;
}

/* ---- pass 2: what never reaches the output -------------------------------- */

/* A standalone tag takes its whole line with it. */
static void take_line(sg_mu_tok *t)
{
	t->drop_start = t->line_start;
	t->drop_end = t->eol;
	t->owns_line = true;
}

static void drops(sg_mu_toks *tk, const char *src, size_t len)
{
	for (size_t i = 0; i < tk->count; i++) {
		tk->items[i].drop_start = tk->items[i].start;
		tk->items[i].drop_end = tk->items[i].end;
	}
	for (size_t i = 0; i < tk->count; i++) {
		sg_mu_tok *t = &tk->items[i];
		bool alone = t->lclear && t->rclear;
		sg_mu_tok *c = t->match >= 0 ? &tk->items[t->match] : NULL;
		switch (t->type) {
		case '!': case '=': case '#': case '^': case '>':
			if (alone)
				take_line(t);
			break;
		case '/':
			/* Parents and blocks settle their close tags themselves. */
			if (alone && (c->type == '#' || c->type == '^'))
				take_line(t);
			break;
		case '<':
			/* A parent pair is standalone as a whole: what lies between its
			 * tags is ignored anyway. */
			if (t->lclear && c->rclear) {
				t->elem = true;
				t->drop_start = t->line_start;
				t->owns_line = true;
				c->drop_end = c->eol;
			} else {
				if (alone)
					take_line(t);
				if (c->lclear && c->rclear)
					take_line(c);
			}
			break;
		case '$':
			if (t->arg_of >= 0) {
				/* An argument: what surrounds its tags inside the parent is
				 * ignored, so only the inner side of each tag counts. */
				if (t->rclear)
					t->drop_end = t->eol;
				if (c->lclear && c->line_start >= t->drop_end) {
					c->drop_start = c->line_start;
					c->owns_line = true;
				}
				break;
			}
			if (alone)
				take_line(t);
			bool c_alone = c->lclear && c->rclear;
			if (c_alone)
				take_line(c);
			if (t->lclear && c->rclear) {
				t->elem = true;
				if (!alone) {
					/* The leading blanks become the indentation of the
					 * content; the line end after the close tag stays. */
					t->drop_start = t->line_start;
					t->owns_line = true;
				}
				if (!c_alone) {
					size_t r = c->end;
					while (r < len && (src[r] == ' ' || src[r] == '\t'))
						r++;
					c->drop_end = r;
				}
			}
			break;
		default:
			break;
		}
	}
}

/* ---- pass 3: the tree ------------------------------------------------------ */

typedef struct vec {
	sg_mu_node *items;
	size_t count, cap;
} vec;

typedef struct frame {
	sg_mu_node node;          /* the container being built */
	vec kids;
	bool parent;              /* a parent tag: its text and tags are dropped */
	bool has_intr;            /* lines of the content lose `intr` at their start */
	const char *intr;
	size_t intr_len;
} frame;

typedef struct builder {
	sg_arena *arena;
	const char *src;
	size_t len;
	frame *frames;            /* frames[0] is the template itself */
	size_t depth;
} builder;

static sg_mu_node *add(vec *v)
{
	if (v->count == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->items = xrealloc(v->items, v->cap * sizeof(*v->items));
	}
	sg_mu_node *n = &v->items[v->count++];
	memset(n, 0, sizeof(*n));
	return n;
}

/* Bytes of intrinsic indentation that the enclosing blocks remove from the
 * line starting at `p` (each block's indentation was measured after its
 * outer blocks' was removed, so they apply outermost first). */
static size_t dedent(const builder *bd, size_t p, size_t limit)
{
	size_t q = p;
	for (size_t k = 0; k < bd->depth; k++) {
		const frame *f = &bd->frames[k];
		if (f->has_intr && f->intr_len <= limit - q && !memcmp(bd->src + q, f->intr, f->intr_len))
			q += f->intr_len;
	}
	return q - p;
}

/* The blanks before tag `t` on its line, after dedenting. */
static void leading_blanks(const builder *bd, const sg_mu_tok *t, const char **s, size_t *n)
{
	size_t a = t->line_start + dedent(bd, t->line_start, t->start);
	*s = bd->src + a;
	*n = t->start - a;
}

/*
 * Text src[a, b) followed by tag `next` (NULL at the end): one TEXT node per
 * line piece, a MARK before each line that keeps some content.  A line that
 * `next` takes whole (standalone) or whose blanks it turns into indentation
 * gets no MARK: its indentation comes from the expansion.
 */
static void emit_text(builder *bd, size_t a, size_t b, const sg_mu_tok *next)
{
	frame *f = &bd->frames[bd->depth - 1];
	if (f->parent)
		return;
	const char *src = bd->src;
	size_t p = a;
	for (;;) {
		if (p > 0 && src[p - 1] == '\n') {
			if (p == b && !(next && !next->owns_line))
				break;
			add(&f->kids)->kind = SG_MU_MARK;
			p += dedent(bd, p, b);
		}
		if (p >= b)
			break;
		const char *nl = memchr(src + p, '\n', b - p);
		size_t q = nl ? (size_t)(nl - src) + 1 : b;
		sg_mu_node *n = add(&f->kids);
		n->kind = SG_MU_TEXT;
		n->text = src + p;
		n->len = q - p;
		p = q;
	}
}

/* Name and dotted parts of tag `t` into node `n`. */
static void set_name(builder *bd, sg_mu_node *n, const sg_mu_tok *t, bool split)
{
	n->name = sg_arena_strndup(bd->arena, t->name, t->name_len);
	n->dynamic = t->dynamic;
	n->pos = t->pos;
	if (!split || (t->name_len == 1 && t->name[0] == '.'))
		return;
	size_t parts = 1;
	for (size_t i = 0; i < t->name_len; i++)
		parts += t->name[i] == '.';
	n->segs = sg_arena_calloc(bd->arena, parts, sizeof(*n->segs));
	const char *s = t->name, *end = t->name + t->name_len;
	while (n->nsegs < parts) {
		const char *dot = memchr(s, '.', (size_t)(end - s));
		const char *e = dot ? dot : end;
		n->segs[n->nsegs++] = sg_arena_strndup(bd->arena, s, (size_t)(e - s));
		s = e + 1;
	}
}

static frame *open_frame(builder *bd, sg_mu_kind kind, const sg_mu_tok *t)
{
	frame *f = &bd->frames[bd->depth++];
	memset(f, 0, sizeof(*f));
	f->node.kind = kind;
	set_name(bd, &f->node, t, kind == SG_MU_SECTION || kind == SG_MU_INVERTED ||
		 (kind == SG_MU_PARENT && t->dynamic));
	return f;
}

/* Move the finished container into its enclosing frame (for an argument
 * block, that is the parent's argument list). */
static void close_frame(builder *bd)
{
	frame *f = &bd->frames[--bd->depth];
	sg_mu_node *kids = NULL;
	if (f->kids.count) {
		kids = sg_arena_calloc(bd->arena, f->kids.count, sizeof(*kids));
		memcpy(kids, f->kids.items, f->kids.count * sizeof(*kids));
	}
	f->node.kids = kids;
	f->node.nkids = f->kids.count;
	free(f->kids.items);
	*add(&bd->frames[bd->depth - 1].kids) = f->node;
}

/* Intrinsic indentation of a block whose open tag ends its line: the blanks
 * that start the next line (after the enclosing blocks' dedent). */
static void intrinsic(builder *bd, frame *f, const sg_mu_tok *t)
{
	size_t nl = t->eol;
	size_t a = nl + dedent(bd, nl, bd->len), b = a;
	while (b < bd->len && (bd->src[b] == ' ' || bd->src[b] == '\t'))
		b++;
	f->has_intr = true;
	f->intr = bd->src + a;
	f->intr_len = b - a;
}

static void build(builder *bd, const sg_mu_toks *tk)
{
	size_t cur = 0;
	for (size_t i = 0; i < tk->count; i++) {
		const sg_mu_tok *t = &tk->items[i];
		if (t->ignored) {
			if (t->drop_end > cur)
				cur = t->drop_end;
			continue;
		}
		size_t ds = t->drop_start < cur ? cur : t->drop_start;
		emit_text(bd, cur, ds, t);
		cur = t->drop_end > ds ? t->drop_end : ds;

		frame *top = &bd->frames[bd->depth - 1];
		switch (t->type) {
		case 0:
		case '&': {
			if (top->parent)
				break;
			sg_mu_node *n = add(&top->kids);
			n->kind = t->type ? SG_MU_RAW : SG_MU_VAR;
			set_name(bd, n, t, true);
			break;
		}
		case '>': {
			if (top->parent)
				break;
			sg_mu_node *n = add(&top->kids);
			n->kind = SG_MU_PARTIAL;
			set_name(bd, n, t, t->dynamic);
			if (t->owns_line) {
				n->standalone = true;
				leading_blanks(bd, t, &n->indent, &n->indent_len);
			}
			break;
		}
		case '#':
		case '^':
			open_frame(bd, t->type == '#' ? SG_MU_SECTION : SG_MU_INVERTED, t);
			break;
		case '<': {
			const char *ws = NULL;
			size_t wn = 0;
			if (t->elem)
				leading_blanks(bd, t, &ws, &wn);
			frame *f = open_frame(bd, SG_MU_PARENT, t);
			f->parent = true;
			f->node.standalone = t->elem;
			f->node.indent = ws;
			f->node.indent_len = wn;
			break;
		}
		case '$': {
			/* Measure before the new frame is on the stack: its own
			 * dedent must not apply to the line that defines it. */
			frame tmp;
			memset(&tmp, 0, sizeof(tmp));
			bool arg = t->arg_of >= 0;
			if ((arg || t->elem) && t->rclear)
				intrinsic(bd, &tmp, t);
			const char *ws = NULL;
			size_t wn = 0;
			if (!arg && t->elem && !tmp.has_intr)
				leading_blanks(bd, t, &ws, &wn);
			frame *f = open_frame(bd, SG_MU_BLOCK, t);
			f->has_intr = tmp.has_intr;
			f->intr = tmp.intr;
			f->intr_len = tmp.intr_len;
			f->node.intrinsic = tmp.has_intr;
			f->node.standalone = !arg && t->elem;
			if (f->node.standalone) {
				f->node.indent = tmp.has_intr ? tmp.intr : ws;
				f->node.indent_len = tmp.has_intr ? tmp.intr_len : wn;
			}
			break;
		}
		case '/':
			close_frame(bd);
			break;
		default:
			break;
		}
	}
	emit_text(bd, cur, bd->len, NULL);
}

int sg_mustache_compile(sg_mustache_tpl **out, sg_arena *arena, sg_diags *diags,
			const char *name, const char *src, size_t len)
{
	if (!out || !arena || !diags || !name || (!src && len))
		return SG_EUSAGE;
	*out = NULL;
	char *copy = sg_arena_strndup(arena, src ? src : "", len);
	const char *file = sg_arena_strdup(arena, name);

	sg_mu_toks tk = {NULL, 0, 0};
	int rc = sg_mu_lex(&tk, diags, file, copy, len);
	if (rc == SG_OK)
		rc = match(&tk, diags, file);
	if (rc != SG_OK) {
		free(tk.items);
		return rc;
	}
	drops(&tk, copy, len);

	builder bd = {arena, copy, len, NULL, 0};
	bd.frames = calloc(SG_MUSTACHE_MAX_NESTING + 1, sizeof(*bd.frames));
	if (!bd.frames) {
		fputs("svcgen: out of memory\n", stderr);
		abort();
	}
	bd.depth = 1;
	build(&bd, &tk);
	free(tk.items);

	vec *root = &bd.frames[0].kids;
	sg_mustache_tpl *tpl = sg_arena_alloc(arena, sizeof(*tpl));
	tpl->name = file;
	tpl->src = copy;
	tpl->len = len;
	tpl->count = root->count;
	if (root->count) {
		sg_mu_node *nodes = sg_arena_calloc(arena, root->count, sizeof(*nodes));
		memcpy(nodes, root->items, root->count * sizeof(*nodes));
		tpl->nodes = nodes;
	}
	free(root->items);
	free(bd.frames);
	*out = tpl;
	return SG_OK;
}

const char *sg_mustache_tpl_name(const sg_mustache_tpl *tpl)
{
	return tpl ? tpl->name : NULL;
}
