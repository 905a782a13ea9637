/*
 * ytree.c - libyaml events folded into a positioned tree (see ytree.h).
 *
 * Everything that can make a YAML file expensive is bounded here, before the
 * spec reader sees it: input size is bounded by the caller, nesting depth by
 * SG_SPEC_MAX_DEPTH, and alias expansion by SG_SPEC_MAX_NODES (an alias
 * shares the anchored node, so the tree stays small, but every later walk
 * visits the expanded tree; counting the expanded size as we go stops
 * "billion laughs" documents before any of that work happens).
 */
#include "ytree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "svcgen/spec.h"

/*
 * Anchors by name, in an open-addressing table (a list made a document of
 * many anchors and aliases quadratic).  A later anchor of the same name
 * replaces the earlier one: YAML lets it shadow.
 */
struct anchor {
	const char *name;
	sg_ynode *node;
};

struct anchors {
	struct anchor *slots;
	size_t cap, count;    /* cap: a power of two, or 0 */
};

struct frame {
	sg_ynode *node;
	sg_ynode *pending_key; /* map: key read, value not yet */
};

struct builder {
	sg_arena *arena;
	sg_diags *diags;
	struct frame stack[SG_SPEC_MAX_DEPTH + 1];
	size_t depth;
	sg_ynode *root;
	struct anchors anchors;
	size_t expanded; /* nodes in the tree with aliases expanded */
	bool failed;
	bool nul_seen;    /* a scalar held an escaped NUL: the tree is unusable,
	                     but parsing goes on to report every one */
	const char *src;  /* the document, for positions inside scalars */
	size_t src_len;
};

static sg_pos mark_pos(yaml_mark_t m)
{
	sg_pos p = {(uint32_t)m.line + 1, (uint32_t)m.column + 1};
	return p;
}

bool sg_ynode_is_null(const sg_ynode *n)
{
	if (!n || n->kind != SG_Y_SCALAR || !n->plain)
		return false;
	return n->len == 0 || !strcmp(n->text, "~") || !strcmp(n->text, "null") ||
	       !strcmp(n->text, "Null") || !strcmp(n->text, "NULL");
}

const char *sg_ynode_kind_name(const sg_ynode *n)
{
	if (!n)
		return "nothing";
	switch (n->kind) {
	case SG_Y_MAP: return "a mapping";
	case SG_Y_SEQ: return "a list";
	case SG_Y_SCALAR: return sg_ynode_is_null(n) ? "null" : "a scalar";
	}
	return "a value";
}

/*
 * UTF-8 is checked here, not left to libyaml, so the diagnostic can name the
 * exact line and column and say what the file looks like instead.
 */
static int check_utf8(sg_diags *d, const unsigned char *s, size_t len)
{
	if ((len >= 2 && ((s[0] == 0xFE && s[1] == 0xFF) || (s[0] == 0xFF && s[1] == 0xFE)))) {
		sg_error(d, "bad-encoding", (sg_pos){0, 0},
			 "the file is UTF-16; save the spec as UTF-8");
		return -1;
	}
	uint32_t line = 1, col = 1;
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;
		if (c < 0x80) {
			n = 1;
			cp = c;
		} else if ((c & 0xE0) == 0xC0) {
			n = 2;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 3;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 4;
			cp = c & 0x07;
		} else {
			goto bad;
		}
		if (i + n > len)
			goto bad;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			goto bad;
		if (c == 0) {
			sg_error(d, "bad-encoding", (sg_pos){line, col},
				 "NUL byte in the spec; is this a binary file?");
			return -1;
		}
		if (c == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		i += n;
		continue;
bad:
		sg_error(d, "bad-encoding", (sg_pos){line, col},
			 "invalid UTF-8 byte 0x%02X; the spec must be UTF-8", c);
		return -1;
	}
	return 0;
}

/*
 * Where the escape that decodes to NUL is in the double-quoted scalar that
 * starts at `start` (\0, \x00, \u0000, \U00000000): the only way a NUL
 * reaches a scalar, since check_utf8 refuses raw ones.  Lines and columns
 * count as libyaml's marks do (characters); the scalar's own position when
 * the escape cannot be found.
 */
static sg_pos nul_escape_pos(const struct builder *b, yaml_mark_t start)
{
	const char *s = b->src, *end = b->src + b->src_len;
	for (size_t line = 0; line < start.line && s < end; s++)
		if (*s == '\n')
			line++;
	for (size_t col = 0; col < start.column && s < end; col++)
		do
			s++;
		while (s < end && ((unsigned char)*s & 0xC0) == 0x80);
	sg_pos pos = mark_pos(start);
	if (s >= end || *s != '"')
		return mark_pos(start);
	static const struct { char c; size_t zeros; } nul[] = {
		{'0', 0}, {'x', 2}, {'u', 4}, {'U', 8},
	};
	for (s++, pos.col++; s < end && *s != '"'; s++) {
		if (*s == '\n') {
			pos.line++;
			pos.col = 1;
			continue;
		}
		if (((unsigned char)*s & 0xC0) != 0x80)
			pos.col++;
		if (*s != '\\' || s + 1 >= end)
			continue;
		for (size_t i = 0; i < sizeof(nul) / sizeof(nul[0]); i++) {
			if (s[1] != nul[i].c || (size_t)(end - s) < 2 + nul[i].zeros)
				continue;
			size_t z = 0;
			while (z < nul[i].zeros && s[2 + z] == '0')
				z++;
			if (z == nul[i].zeros)
				return (sg_pos){pos.line, pos.col - 1};
		}
		if (s[1] != '\n' && s[1] != '\r') {
			s++; /* the escaped character cannot end the scalar */
			pos.col++;
		}
	}
	return mark_pos(start);
}

static sg_ynode *new_node(struct builder *b, sg_ykind kind, yaml_mark_t m)
{
	sg_ynode *n = sg_arena_alloc(b->arena, sizeof(*n));
	n->kind = kind;
	n->pos = mark_pos(m);
	n->weight = 1;
	b->expanded++;
	return n;
}

static bool over_bound(struct builder *b, sg_pos pos)
{
	if (b->expanded <= SG_SPEC_MAX_NODES)
		return false;
	sg_error(b->diags, "yaml-too-large", pos,
		 "the document expands to more than %u nodes (aliases are expanded "
		 "with a hard bound)", SG_SPEC_MAX_NODES);
	b->failed = true;
	return true;
}

static size_t anchor_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a 64 */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (size_t)h;
}

/* The slot of `name`: its anchor, or the empty slot where it would go. */
static struct anchor *anchor_slot(const struct anchors *t, const char *name)
{
	for (size_t h = anchor_hash(name) & (t->cap - 1);; h = (h + 1) & (t->cap - 1))
		if (!t->slots[h].name || !strcmp(t->slots[h].name, name))
			return &t->slots[h];
}

static sg_ynode *find_anchor(const struct builder *b, const char *name)
{
	if (!b->anchors.cap)
		return NULL;
	return anchor_slot(&b->anchors, name)->node;
}

static void add_anchor(struct builder *b, const yaml_char_t *name, sg_ynode *n)
{
	if (!name)
		return;
	struct anchors *t = &b->anchors;
	if (2 * (t->count + 1) > t->cap) {
		struct anchors bigger = {NULL, t->cap ? 2 * t->cap : 64, 0};
		bigger.slots = sg_arena_calloc(b->arena, bigger.cap, sizeof(*bigger.slots));
		for (size_t i = 0; i < t->cap; i++)
			if (t->slots[i].name) {
				*anchor_slot(&bigger, t->slots[i].name) = t->slots[i];
				bigger.count++;
			}
		*t = bigger;
	}
	struct anchor *a = anchor_slot(t, (const char *)name);
	if (!a->name) {
		a->name = sg_arena_strdup(b->arena, (const char *)name);
		t->count++;
	}
	a->node = n;
}

/*
 * Explicit tags: the standard ones are harmless (!!str even helps: it makes a
 * scalar count as quoted); anything else would change meaning we ignore.
 */
static void check_tag(struct builder *b, const yaml_char_t *tag, sg_ynode *n)
{
	if (!tag)
		return;
	const char *t = (const char *)tag;
	if (!strcmp(t, YAML_STR_TAG)) {
		n->plain = false;
		return;
	}
	if (!strcmp(t, YAML_INT_TAG) || !strcmp(t, YAML_BOOL_TAG) || !strcmp(t, YAML_NULL_TAG) ||
	    !strcmp(t, YAML_MAP_TAG) || !strcmp(t, YAML_SEQ_TAG) || !strcmp(t, YAML_FLOAT_TAG))
		return;
	sg_error(b->diags, "yaml-tag", n->pos, "unsupported YAML tag '%s'", t);
}

static void attach(struct builder *b, sg_ynode *n)
{
	if (b->depth == 0) {
		b->root = n;
		return;
	}
	struct frame *f = &b->stack[b->depth - 1];
	sg_ynode *p = f->node;
	p->weight += n->weight;
	if (p->kind == SG_Y_SEQ) {
		if (p->count == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 4;
			p->items = sg_arena_grow(b->arena, p->items, p->count, cap, sizeof(*p->items));
			p->cap = cap;
		}
		p->items[p->count++] = n;
		return;
	}
	if (!f->pending_key) {
		if (n->kind != SG_Y_SCALAR) {
			sg_error(b->diags, "yaml-complex-key", n->pos,
				 "mapping keys must be plain strings, not %s", sg_ynode_kind_name(n));
			b->failed = true;
		} else if (n->plain && !strcmp(n->text, "<<")) {
			sg_error(b->diags, "yaml-merge-key", n->pos,
				 "merge keys ('<<') are not supported; write the keys out");
		}
		f->pending_key = n;
		return;
	}
	if (p->count == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4;
		p->pairs = sg_arena_grow(b->arena, p->pairs, p->count, cap, sizeof(*p->pairs));
		p->cap = cap;
	}
	p->pairs[p->count].key = f->pending_key;
	p->pairs[p->count].value = n;
	p->count++;
	f->pending_key = NULL;
}

static int cmp_pair_key(const void *x, const void *y)
{
	const sg_ypair *a = *(const sg_ypair *const *)x, *b = *(const sg_ypair *const *)y;
	int c = strcmp(a->key->text ? a->key->text : "", b->key->text ? b->key->text : "");
	if (c)
		return c;
	/* Same key: keep file order so the first one is reported as "first". */
	return a < b ? -1 : a > b;
}

static void report_duplicates(struct builder *b, sg_ynode *map)
{
	if (map->count < 2)
		return;
	sg_ypair **sorted = malloc(map->count * sizeof(*sorted));
	if (!sorted)
		return;
	for (size_t i = 0; i < map->count; i++)
		sorted[i] = &map->pairs[i];
	qsort(sorted, map->count, sizeof(*sorted), cmp_pair_key);
	size_t k = 0; /* the first of the run of equal keys sorted[i] is in */
	for (size_t i = 1; i < map->count; i++) {
		const sg_ypair *prev = sorted[i - 1];
		sg_ypair *dup = sorted[i];
		if (prev->key->kind != SG_Y_SCALAR || dup->key->kind != SG_Y_SCALAR ||
		    strcmp(prev->key->text, dup->key->text)) {
			k = i;
			continue;
		}
		dup->key->duplicate = true;
		sg_error(b->diags, "duplicate-key", dup->key->pos,
			 "duplicate key '%s' (first defined at %u:%u)", dup->key->text,
			 sorted[k]->key->pos.line, sorted[k]->key->pos.col);
	}
	free(sorted);
}

static void report_libyaml_error(struct builder *b, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "malformed YAML";
	if (p->error == YAML_READER_ERROR) {
		sg_error(b->diags, "yaml-syntax", (sg_pos){0, 0}, "%s", problem);
	} else if (p->context) {
		sg_error(b->diags, "yaml-syntax", mark_pos(p->problem_mark), "%s %s (at %zu:%zu)",
			 problem, p->context, p->context_mark.line + 1, p->context_mark.column + 1);
	} else {
		sg_error(b->diags, "yaml-syntax", mark_pos(p->problem_mark), "%s", problem);
	}
	b->failed = true;
}

static void handle(struct builder *b, const yaml_event_t *ev, int *documents)
{
	sg_ynode *n;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*documents > 1) {
			sg_error(b->diags, "multiple-documents", mark_pos(ev->start_mark),
				 "a spec is one YAML document; remove the second '---'");
			b->failed = true;
		}
		return;
	case YAML_SCALAR_EVENT:
		n = new_node(b, SG_Y_SCALAR, ev->start_mark);
		n->text = sg_arena_strndup(b->arena, (const char *)ev->data.scalar.value,
					   ev->data.scalar.length);
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		/* C strings, AWS names and files cannot hold a NUL: an escaped
		 * one would silently cut the value short. */
		if (memchr(ev->data.scalar.value, 0, ev->data.scalar.length)) {
			sg_error(b->diags, "nul-character", nul_escape_pos(b, ev->start_mark),
				 "an escaped NUL character is not allowed in a spec string");
			b->nul_seen = true;
		}
		check_tag(b, ev->data.scalar.tag, n);
		add_anchor(b, ev->data.scalar.anchor, n);
		attach(b, n);
		over_bound(b, n->pos);
		return;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		bool map = ev->type == YAML_MAPPING_START_EVENT;
		n = new_node(b, map ? SG_Y_MAP : SG_Y_SEQ, ev->start_mark);
		n->open = true;
		const yaml_char_t *tag = map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
		check_tag(b, tag, n);
		add_anchor(b, map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor, n);
		if (b->depth >= SG_SPEC_MAX_DEPTH) {
			sg_error(b->diags, "yaml-too-deep", n->pos,
				 "collections nested more than %d levels deep", SG_SPEC_MAX_DEPTH);
			b->failed = true;
			return;
		}
		b->stack[b->depth].node = n;
		b->stack[b->depth].pending_key = NULL;
		b->depth++;
		over_bound(b, n->pos);
		return;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth == 0)
			return;
		n = b->stack[--b->depth].node;
		n->open = false;
		if (n->kind == SG_Y_MAP)
			report_duplicates(b, n);
		attach(b, n);
		return;
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		sg_ynode *target = find_anchor(b, name);
		sg_pos pos = mark_pos(ev->start_mark);
		if (!target) {
			sg_error(b->diags, "yaml-alias", pos, "alias '*%s' names no anchor", name);
			b->failed = true;
			return;
		}
		if (target->open) {
			sg_error(b->diags, "yaml-alias", pos,
				 "alias '*%s' refers to a node that contains it", name);
			b->failed = true;
			return;
		}
		b->expanded += target->weight;
		if (over_bound(b, pos))
			return;
		attach(b, target);
		return;
	}
	default:
		return;
	}
}

int sg_ytree_parse(sg_ynode **root, sg_arena *arena, sg_diags *diags,
		   const char *data, size_t len)
{
	*root = NULL;
	if (check_utf8(diags, (const unsigned char *)data, len) < 0)
		return -1;

	struct builder b;
	memset(&b, 0, sizeof(b));
	b.arena = arena;
	b.diags = diags;
	b.src = data;
	b.src_len = len;

	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		sg_error(diags, "yaml-syntax", (sg_pos){0, 0}, "cannot start the YAML parser");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	int documents = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			report_libyaml_error(&b, &parser);
			break;
		}
		bool end = ev.type == YAML_STREAM_END_EVENT;
		handle(&b, &ev, &documents);
		yaml_event_delete(&ev);
		if (end || b.failed)
			break;
	}
	yaml_parser_delete(&parser);

	if (b.failed || b.nul_seen)
		return -1;
	if (!b.root || sg_ynode_is_null(b.root)) {
		sg_error(diags, "empty-spec", (sg_pos){0, 0},
			 "the spec is empty; `svcgen init` writes a starter spec");
		return -1;
	}
	*root = b.root;
	return 0;
}
