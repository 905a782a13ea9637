/*
 * mustache_int.h - what the Mustache engine's source files share and nobody
 * else needs: the token list of the lexer and the compiled tree.
 *
 *   lex.c       template text -> tags (set-delimiter tags applied)
 *   parse.c     tags -> tree: sections matched, standalone lines removed,
 *               indentation points marked (sg_mustache_compile)
 *   render.c    tree + cJSON -> bytes (sg_mustache_render)
 *   value.c     how JSON values print and how output is escaped
 *   registry.c  named templates: embedded, added, read from a directory
 */
#ifndef SVCGEN_MUSTACHE_INT_H
#define SVCGEN_MUSTACHE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svcgen/mustache.h"

/* ---- lexer ------------------------------------------------------------- */

/*
 * One tag.  Offsets index the template source.  The lexer fills the first
 * group; parse.c fills the rest.
 */
typedef struct sg_mu_tok {
	size_t start, end;        /* the tag, delimiters included */
	size_t line_start;        /* first byte of the line the tag starts on */
	size_t eol;               /* byte after the line break that ends the tag's
				   * last line (or the template's length) */
	sg_pos pos;               /* of the opening delimiter */
	char type;                /* 0 variable, '&' unescaped ({{{x}}} too),
				   * '#' '^' '/' '>' '<' '$' '!' '=' */
	bool dynamic;             /* a name after "*": {{>*name}}, {{<*name}} */
	bool lclear;              /* only blanks between the line start and the tag */
	bool rclear;              /* only blanks between the tag and the line end */
	const char *name;         /* trimmed content, not NUL-terminated */
	size_t name_len;

	/* parse.c */
	long match;               /* index of the matching open or close tag */
	long arg_of;              /* '$' directly inside a '<': index of the '<' */
	bool ignored;             /* inside a parent tag but not in an argument */
	bool owns_line;           /* removes its line's leading blanks */
	bool elem;                /* '<' / parameter '$' pair standalone as a whole */
	size_t drop_start, drop_end; /* bytes of the source that never reach output */
} sg_mu_tok;

typedef struct sg_mu_toks {
	sg_mu_tok *items;         /* malloc'd; the caller frees it */
	size_t count, cap;
} sg_mu_toks;

/*
 * Split `src` into tags.  Syntax errors are reported to `diags` with `file`
 * and the tag's position; returns SG_OK or SG_EFINDINGS (stops at the first
 * error, as everything after a broken tag would be noise).
 */
int sg_mu_lex(sg_mu_toks *out, sg_diags *diags, const char *file,
	      const char *src, size_t len);

/* ---- compiled tree ----------------------------------------------------- */

typedef enum sg_mu_kind {
	SG_MU_TEXT,      /* literal bytes */
	SG_MU_MARK,      /* a line of the template starts here: indentation point */
	SG_MU_VAR,       /* {{name}} */
	SG_MU_RAW,       /* {{{name}}} / {{&name}} */
	SG_MU_SECTION,   /* {{#name}}...{{/name}} */
	SG_MU_INVERTED,  /* {{^name}}...{{/name}} */
	SG_MU_PARTIAL,   /* {{>name}} */
	SG_MU_PARENT,    /* {{<name}}...{{/name}}: kids are its argument blocks */
	SG_MU_BLOCK,     /* {{$name}}...{{/name}} */
} sg_mu_kind;

typedef struct sg_mu_node sg_mu_node;
struct sg_mu_node {
	sg_mu_kind kind;
	sg_pos pos;               /* of the tag, for diagnostics */
	bool dynamic;             /* name is a dotted name giving the template name */
	bool standalone;          /* partial / parent / block that indents its lines */
	bool intrinsic;           /* block whose content had its intrinsic
				   * indentation removed */
	const char *text;         /* TEXT: the bytes (not NUL-terminated) */
	size_t len;
	const char *name;         /* NUL-terminated tag name (without '*') */
	char **segs;              /* name split on '.'; none for "." */
	size_t nsegs;
	const char *indent;       /* standalone: the blanks that indent each line */
	size_t indent_len;
	const sg_mu_node *kids;   /* section / block content, parent arguments */
	size_t nkids;
};

struct sg_mustache_tpl {
	const char *name;         /* for diagnostics */
	const char *src;          /* arena copy; TEXT nodes point into it */
	size_t len;
	const sg_mu_node *nodes;
	size_t count;
};

/* ---- values and escaping (value.c) ------------------------------------- */

/*
 * Text of a scalar as interpolation prints it: strings (and cJSON raw
 * values) as they are, numbers
 * the shortest way that reads back the same (integers without decimals),
 * booleans "true"/"false".  `num` is scratch space for numbers.  Returns
 * NULL (nothing to print) for null, a missing value, arrays and objects.
 */
const char *sg_mu_scalar_text(const cJSON *v, char num[64], size_t *len);

#endif
