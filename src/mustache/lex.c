/*
 * lex.c - the Mustache lexer: finds the tags of a template, switching
 * delimiters at each set-delimiter tag, and notes for every tag whether it
 * is alone on its line (what standalone detection needs later).  Text
 * between tags is not copied: it is whatever lies between two tags.
 */
#include "mustache_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE "template-syntax"

typedef struct lexer {
	sg_diags *diags;
	const char *file;
	const char *src;
	size_t len;
	const char *open, *close;    /* current delimiters */
	size_t open_len, close_len;
	size_t pos;                  /* scan position */
	uint32_t line;               /* line of `pos` */
	size_t line_start;           /* first byte of that line */
} lexer;

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* First occurrence of `needle` in src[from, len), or SIZE_MAX. */
static size_t find(const char *src, size_t len, size_t from, const char *needle, size_t nlen)
{
	while (from + nlen <= len) {
		const char *p = memchr(src + from, needle[0], len - nlen + 1 - from);
		if (!p)
			break;
		size_t at = (size_t)(p - src);
		if (!memcmp(p, needle, nlen))
			return at;
		from = at + 1;
	}
	return SIZE_MAX;
}

/* Move the scan position to `to`, keeping the line count. */
static void advance(lexer *lx, size_t to)
{
	const char *p = lx->src + lx->pos, *end = lx->src + to;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lx->line++;
		p++;
		lx->line_start = (size_t)(p - lx->src);
	}
	lx->pos = to;
}

/* Position of byte `at` on the current line: columns count characters, so
 * UTF-8 continuation bytes do not add to them. */
static sg_pos pos_of(const lexer *lx, size_t at)
{
	uint32_t col = 1;
	for (size_t i = lx->line_start; i < at; i++)
		if (((unsigned char)lx->src[i] & 0xC0) != 0x80)
			col++;
	return (sg_pos){lx->line, col};
}

static int lex_error(lexer *lx, sg_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int lex_error(lexer *lx, sg_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_diag_vadd(lx->diags, SG_SEV_ERROR, CODE, lx->file, pos, fmt, ap);
	va_end(ap);
	return SG_EFINDINGS;
}

/* A dotted name is "." or non-empty parts joined by single dots. */
static bool dotted_ok(const char *s, size_t n)
{
	if (n == 1 && s[0] == '.')
		return true;
	if (s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return false;
	return true;
}

static void push(sg_mu_toks *t, const sg_mu_tok *tok)
{
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		sg_mu_tok *p = realloc(t->items, cap * sizeof(*p));
		if (!p) {
			fputs("svcgen: out of memory\n", stderr);
			abort();
		}
		t->items = p;
		t->cap = cap;
	}
	t->items[t->count++] = *tok;
}

/*
 * {{=<% %>=}}: `p` is just after the '=' sigil, `q` at the closing
 * delimiter.  On success the lexer uses the new delimiters.
 */
static int set_delimiters(lexer *lx, sg_pos pos, size_t p, size_t q)
{
	const char *s = lx->src;
	if (q == p || s[q - 1] != '=')
		return lex_error(lx, pos, "set-delimiter tag must end with '=' before '%.*s'",
				 (int)lx->close_len, lx->close);
	size_t a = p, b = q - 1;
	while (a < b && is_space(s[a]))
		a++;
	while (b > a && is_space(s[b - 1]))
		b--;
	size_t m = a;
	while (m < b && !is_space(s[m]))
		m++;
	size_t c = m;
	while (c < b && is_space(s[c]))
		c++;
	bool two = m > a && c < b;
	for (size_t i = c; two && i < b; i++)
		if (is_space(s[i]))
			two = false;
	if (!two)
		return lex_error(lx, pos, "set-delimiter tag needs two delimiters separated "
				 "by blanks, as in {{=<%% %%>=}}");
	if (memchr(s + a, '=', m - a) || memchr(s + c, '=', b - c))
		return lex_error(lx, pos, "delimiters may not contain '='");
	lx->open = s + a;
	lx->open_len = m - a;
	lx->close = s + c;
	lx->close_len = b - c;
	return SG_OK;
}

int sg_mu_lex(sg_mu_toks *out, sg_diags *diags, const char *file, const char *src, size_t len)
{
	lexer lx = {
		.diags = diags, .file = file, .src = src, .len = len,
		.open = "{{", .close = "}}", .open_len = 2, .close_len = 2,
		.pos = 0, .line = 1, .line_start = 0,
	};
	for (;;) {
		size_t s = find(src, len, lx.pos, lx.open, lx.open_len);
		if (s == SIZE_MAX)
			return SG_OK;
		advance(&lx, s);
		sg_mu_tok t;
		memset(&t, 0, sizeof(t));
		t.start = s;
		t.line_start = lx.line_start;
		t.pos = pos_of(&lx, s);

		size_t p = s + lx.open_len, q, e;
		char type = 0;
		if (p < len && src[p] && strchr("#^/>!<$&={", src[p]))
			type = src[p++];

		if (type == '{') {
			/* {{{name}}}: a '}' right before the closing delimiter. */
			size_t from = p;
			for (;;) {
				q = find(src, len, from, lx.close, lx.close_len);
				if (q == SIZE_MAX)
					return lex_error(&lx, t.pos, "tag is not closed: expected '}%.*s'",
							 (int)lx.close_len, lx.close);
				if (q > p && src[q - 1] == '}')
					break;
				from = q + 1;
			}
			e = q + lx.close_len;
			q--;
			type = '&';
		} else {
			q = find(src, len, p, lx.close, lx.close_len);
			if (q == SIZE_MAX)
				return lex_error(&lx, t.pos, "tag is not closed: expected '%.*s'",
						 (int)lx.close_len, lx.close);
			e = q + lx.close_len;
		}

		if (type != '!' && type != '=') {
			/* A tag that runs into the next one was never closed. */
			if (find(src, q, p, lx.open, lx.open_len) != SIZE_MAX)
				return lex_error(&lx, t.pos, "tag is not closed: expected '%.*s'",
						 (int)lx.close_len, lx.close);
			size_t a = p, b = q;
			while (a < b && is_space(src[a]))
				a++;
			while (b > a && is_space(src[b - 1]))
				b--;
			if ((type == '>' || type == '<' || type == '/') && a < b && src[a] == '*') {
				t.dynamic = true;
				for (a++; a < b && is_space(src[a]); a++)
					;
			}
			if (a == b)
				return lex_error(&lx, t.pos, "tag has no name");
			for (size_t i = a; i < b; i++)
				if (is_space(src[i]))
					return lex_error(&lx, t.pos, "tag name '%.*s' contains blanks",
							 (int)(b - a), src + a);
			bool dotted = t.dynamic || type == 0 || type == '&' || type == '#' || type == '^';
			if (dotted && !dotted_ok(src + a, b - a))
				return lex_error(&lx, t.pos, "'%.*s' is not a valid dotted name",
						 (int)(b - a), src + a);
			t.name = src + a;
			t.name_len = b - a;
		}
		t.type = type;
		t.end = e;

		/* Standalone needs: blanks only before the tag on its first line,
		 * blanks only after it on its last line. */
		t.lclear = true;
		for (size_t i = t.line_start; i < s; i++)
			if (!is_blank(src[i]))
				t.lclear = false;
		size_t r = e;
		while (r < len && is_blank(src[r]))
			r++;
		if (r == len) {
			t.rclear = true;
			t.eol = len;
		} else if (src[r] == '\n') {
			t.rclear = true;
			t.eol = r + 1;
		} else if (src[r] == '\r' && r + 1 < len && src[r + 1] == '\n') {
			t.rclear = true;
			t.eol = r + 2;
		}

		if (type == '=') {
			int rc = set_delimiters(&lx, t.pos, p, q);
			if (rc != SG_OK)
				return rc;
		}
		push(out, &t);
		advance(&lx, e);
	}
}
