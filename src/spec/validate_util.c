/*
 * validate_util.c - helpers shared by the validator's checkers: reporting,
 * quoting, did-you-mean, hand-written pattern matchers (no regex library:
 * every pattern of the language is a character class with a length, or a
 * short fixed grammar) and a small name map.
 */
#include "validate_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "svcgen/buf.h"
#include "svcgen/suggest.h"

/* ---- diagnostics ---------------------------------------------------------- */

void sg_v_error(sg_vctx *c, const char *code, sg_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_diag_vadd(c->d, SG_SEV_ERROR, code, c->file, pos, fmt, ap);
	va_end(ap);
}

void sg_v_warning(sg_vctx *c, const char *code, sg_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_diag_vadd(c->d, SG_SEV_WARNING, code, c->file, pos, fmt, ap);
	va_end(ap);
}

/* Messages quote what the user wrote; a multi-kilobyte value or an embedded
 * newline would make the one-line-per-diagnostic output unreadable. */
#define QUOTE_MAX 80

const char *sg_v_q(sg_vctx *c, const char *s)
{
	if (!s)
		return "";
	size_t len = strlen(s), cut = len;
	if (len > QUOTE_MAX) {
		cut = QUOTE_MAX;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--; /* never split a UTF-8 sequence */
	}
	bool plain = cut == len;
	for (size_t i = 0; plain && i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == '\'' || s[i] == '\\')
			plain = false;
	if (plain)
		return s;
	sg_buf b = SG_BUF_INIT;
	for (size_t i = 0; i < cut; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\n')
			sg_buf_puts(&b, "\\n");
		else if (ch == '\t')
			sg_buf_puts(&b, "\\t");
		else if (ch == '\'' || ch == '\\') {
			sg_buf_putc(&b, '\\');
			sg_buf_putc(&b, (char)ch);
		} else if (ch < 0x20 || ch == 0x7f)
			sg_buf_printf(&b, "\\x%02x", ch);
		else
			sg_buf_putc(&b, (char)ch);
	}
	if (cut < len)
		sg_buf_puts(&b, "...");
	if (!b.ptr)
		return "";
	return sg_buf_to_arena(&b, c->a, NULL);
}

bool sg_v_bound(sg_vctx *c, const sg_strlist *list, size_t max, const char *what,
		const char *items, const char *why)
{
	if (list->count <= max)
		return true;
	sg_v_error(c, "too-many", list->items[max].pos, "%s lists %zu %s; at most %zu%s", what,
		   list->count, items, max, why);
	return false;
}

const char *sg_v_hint(sg_vctx *c, const char *word, const char *const *names, size_t n)
{
	const char *best = word ? sg_suggest(word, names, n) : NULL;
	if (!best)
		return "";
	return sg_arena_printf(c->a, " (did you mean '%s'?)", best);
}

/* ---- patterns ----------------------------------------------------------- */

static bool in_class(unsigned char ch, const char *cls)
{
	for (const char *p = cls; *p; p++) {
		if (p[1] == '-' && p[2]) {
			if (ch >= (unsigned char)p[0] && ch <= (unsigned char)p[2])
				return true;
			p += 2;
		} else if (ch == (unsigned char)*p) {
			return true;
		}
	}
	return false;
}

bool sg_v_match_n(const char *s, size_t n, const char *first, const char *rest,
		  size_t min, size_t max)
{
	if (!s || n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!in_class((unsigned char)s[i], i == 0 ? first : rest))
			return false;
	return true;
}

bool sg_v_match(const char *s, const char *first, const char *rest, size_t min, size_t max)
{
	return s && sg_v_match_n(s, strlen(s), first, rest, min, max);
}

size_t sg_v_utf8_len(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static bool lower(char ch)
{
	return ch >= 'a' && ch <= 'z';
}

/* -[a-z]+-[0-9]$ */
static bool region_tail(const char *p)
{
	if (*p++ != '-' || !lower(*p))
		return false;
	while (lower(*p))
		p++;
	return p[0] == '-' && p[1] >= '0' && p[1] <= '9' && p[2] == '\0';
}

bool sg_v_region_ok(const char *s)
{
	if (!s || !lower(s[0]) || !lower(s[1]))
		return false;
	const char *p = s + 2;
	/* The optional partition infix, tried before the plain form so that
	 * both us-gov-west-1 and a made-up us-govern-1 parse as the regex would. */
	if (region_tail(p))
		return true;
	if (strncmp(p, "-gov", 4) == 0 && region_tail(p + 4))
		return true;
	if (strncmp(p, "-iso", 4) == 0)
		return region_tail(p + 4) || (lower(p[4]) && region_tail(p + 5));
	return false;
}

/* scheme://host[:port]rest, split without judging the scheme or the rest. */
typedef struct url_parts {
	const char *scheme;
	size_t scheme_len;
	const char *host;
	size_t host_len;
	const char *rest;   /* "", or starts with '/', '?' or '#' */
} url_parts;

static bool split_url(const char *s, url_parts *u, const char **why)
{
	for (const char *p = s; *p; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
			*why = "it contains a space or a control character";
			return false;
		}
	}
	const char *p = s;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
		*why = "it does not start with a scheme such as https://";
		return false;
	}
	while (in_class((unsigned char)*p, "A-Za-z0-9+.-"))
		p++;
	if (strncmp(p, "://", 3) != 0) {
		*why = "it does not start with a scheme such as https://";
		return false;
	}
	u->scheme = s;
	u->scheme_len = (size_t)(p - s);
	p += 3;
	u->host = p;
	while (*p && *p != ':' && *p != '/' && *p != '?' && *p != '#')
		p++;
	u->host_len = (size_t)(p - u->host);
	if (u->host_len == 0) {
		*why = "it has no host";
		return false;
	}
	/* Host names only: no user info ('@'), no wildcards, no IP literals in
	 * brackets; API Gateway and Cognito match origins and URLs as strings. */
	if (!sg_v_match_n(u->host, u->host_len, "A-Za-z0-9", "A-Za-z0-9.-", 1, 253) ||
	    u->host[u->host_len - 1] == '.' || u->host[u->host_len - 1] == '-') {
		*why = "its host is not a host name";
		return false;
	}
	if (*p == ':') {
		const char *d = ++p;
		uint32_t port = 0;
		while (*p >= '0' && *p <= '9' && p - d < 6)
			port = port * 10 + (uint32_t)(*p++ - '0');
		if (p == d || port == 0 || port > 65535 || (*p && *p != '/' && *p != '?' && *p != '#')) {
			*why = "its port is not a number from 1 to 65535";
			return false;
		}
	}
	u->rest = p;
	return true;
}

bool sg_v_callback_url_ok(const char *s, const char **why)
{
	url_parts u;
	if (!s || !split_url(s, &u, why))
		return false;
	bool https = u.scheme_len == 5 && strncmp(u.scheme, "https", 5) == 0;
	bool http = u.scheme_len == 4 && strncmp(u.scheme, "http", 4) == 0;
	bool localhost = u.host_len == 9 && strncmp(u.host, "localhost", 9) == 0;
	/* Cognito: callback and sign-out URLs must use HTTPS, except
	 * http://localhost for testing. */
	if (!https && !(http && localhost)) {
		*why = "it must use https:// (http:// only for localhost)";
		return false;
	}
	/* Cognito (OAuth 2.0, RFC 6749 3.1.2): redirect URIs have no fragment. */
	if (strchr(s, '#')) {
		*why = "it has a fragment ('#')";
		return false;
	}
	return true;
}

bool sg_v_origin_ok(const char *s, const char **why)
{
	if (s && strcmp(s, "*") == 0)
		return true;
	url_parts u;
	if (!s || !split_url(s, &u, why))
		return false;
	/* Browsers send Origin as scheme://host[:port]; API Gateway compares it
	 * as a string, so anything after the port would never match. */
	if (*u.rest) {
		*why = "an origin has no path, query or trailing '/'";
		return false;
	}
	return true;
}

bool sg_v_email_ok(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	for (const char *p = s; p < at; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || strchr("<>()[]\\,;:\"", *p))
			return false;
	/* domain: two or more dot-separated labels, the last all letters. */
	const char *p = at + 1;
	size_t labels = 0;
	const char *last = NULL;
	for (;;) {
		const char *l = p;
		while (*p && *p != '.')
			p++;
		size_t n = (size_t)(p - l);
		if (!sg_v_match_n(l, n, "A-Za-z0-9", "A-Za-z0-9-", 1, 63) || l[n - 1] == '-')
			return false;
		labels++;
		last = l;
		if (!*p)
			break;
		p++;
	}
	return labels >= 2 && sg_v_match(last, "A-Za-z", "A-Za-z", 2, 63);
}

/* ---- name maps ---------------------------------------------------------- */

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

void sg_vmap_init(sg_vmap *m, sg_arena *a, size_t max_entries)
{
	size_t cap = 8;
	while (cap < 2 * max_entries + 1)
		cap *= 2;
	m->cap = cap;
	m->keys = sg_arena_calloc(a, cap, sizeof(*m->keys));
	m->vals = sg_arena_calloc(a, cap, sizeof(*m->vals));
}

/* The slot holding `name`, or the empty slot where it would go (open
 * addressing, linear probing; the table is never full). */
static size_t probe(const sg_vmap *m, const char *name)
{
	size_t i = hash(name) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], name) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

size_t sg_vmap_put(sg_vmap *m, const char *name, size_t val)
{
	if (!name || !m->cap)
		return SG_VMAP_NONE;
	size_t i = probe(m, name);
	if (m->keys[i])
		return m->vals[i];
	m->keys[i] = name;
	m->vals[i] = val;
	return val;
}

size_t sg_vmap_get(const sg_vmap *m, const char *name)
{
	if (!name || !m->cap)
		return SG_VMAP_NONE;
	size_t i = probe(m, name);
	return m->keys[i] ? m->vals[i] : SG_VMAP_NONE;
}
