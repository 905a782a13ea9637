/*
 * hcl.h - an HCL writer: build a small document model, serialize it the way
 * `terraform fmt` lays it out.
 *
 * The Terraform emitter builds each .tf file as a tree of bodies (attributes
 * and blocks, in order) and expressions, then calls sg_hcl_write once.  The
 * output is valid HCL native syntax and a fixed point of HCL's formatter
 * (hclwrite.Format, which `terraform fmt` and `hclfmt` run): two-space
 * indentation, `=` aligned within runs of single-line attributes, strings
 * escaped exactly like hclwrite's TokensForValue.
 *
 * References: the HCL native syntax specification
 * (hashicorp/hcl, hclsyntax/spec.md) and hclwrite's formatter
 * (hashicorp/hcl, hclwrite/format.go and generate.go), version v2.23.0,
 * the one Terraform 1.11 uses.  tests/suites/hcl_fmt.sh checks a varied
 * sample against that exact version.
 *
 * Ownership: every body and expression lives in the sg_arena given when it
 * was created and dies with it; strings passed in are copied.  Nothing is
 * freed on its own.  An expression may be used in several places (it is
 * never modified by being attached), but must belong to the same arena as
 * the body it ends up in, or outlive it.
 *
 * Errors are sticky.  Constructors that validate their input return NULL
 * when it is invalid; every function that takes an expression or body
 * rejects NULL with SG_EUSAGE.  A failed call also marks the body or
 * expression it was meant to change as broken, and sg_hcl_write refuses to
 * serialize a tree containing anything broken.  So a caller may check every
 * result, or only sg_hcl_write's: invalid HCL is never written either way.
 * The codes are SG_OK (0) and SG_EUSAGE from svcgen/error.h.
 *
 * Identifiers (attribute names, block types, function names, bare object
 * keys) are HCL identifiers restricted to ASCII: a letter or `_`, then
 * letters, digits, `_` and `-`.  Block labels and object keys that are not
 * identifiers are written as quoted strings.
 */
#ifndef SVCGEN_HCL_H
#define SVCGEN_HCL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svcgen/arena.h"
#include "svcgen/buf.h"

struct cJSON;

/*
 * A body: attributes, blocks and explicit blank lines, in the order they
 * were added.  The root body is a whole file; each block has its own.
 */
typedef struct sg_hcl_body sg_hcl_body;

/* An expression: a value on the right of `=`, an item, an argument. */
typedef struct sg_hcl_expr sg_hcl_expr;

/*
 * How an object, tuple or function call is laid out.
 *
 * SG_HCL_AUTO       objects: one item per line (hclwrite's style);
 *                   tuples: on one line (`["a", "b"]`) unless an element
 *                   spans lines, then one element per line;
 *                   calls: arguments on the call's line, so a single
 *                   object argument hugs the parentheses: `jsonencode({`.
 * SG_HCL_ONELINE    everything on one line: `{ a = 1, b = 2 }`, `[1, 2]`,
 *                   `f(a, b)`.  An item that itself spans lines still does.
 * SG_HCL_MULTILINE  one item, element or argument per line; tuple elements
 *                   and arguments get a trailing comma.
 *
 * Empty containers are always `{}`, `[]`, `f()`.  Inside a template
 * interpolation everything is forced onto one line.
 */
typedef enum sg_hcl_layout {
	SG_HCL_AUTO = 0,
	SG_HCL_ONELINE = 1,
	SG_HCL_MULTILINE = 2,
} sg_hcl_layout;

/* ---- identifiers and text ---------------------------------------------- */

/*
 * True when `s` is an identifier this writer accepts (see the file comment).
 * NULL gives false.
 */
bool sg_hcl_is_ident(const char *s);

/*
 * Append the `len` bytes of `s`, escaped as the inside of an HCL quoted
 * string (without the quotes), to `out`.  The rules are hclwrite's
 * (escapeQuotedStringLit): `"` `\` newline CR tab become \" \\ \n \r \t;
 * `${` and `%{` become `$${` and `%%{` (a `$` or `%` not followed by `{` is
 * left alone, so "$${x}" becomes "$$${x}"); characters Go's unicode.IsPrint
 * rejects (controls, format characters such as U+200B or U+FEFF, separators
 * other than the ASCII space, private use, unassigned; Unicode 15.0) become
 * \uXXXX or \UXXXXXXXX in lower-case hex; every other character passes
 * through.  Invalid UTF-8 bytes become U+FFFD, one per byte, as Go decodes
 * them.  Never fails.
 */
void sg_hcl_escape(sg_buf *out, const char *s, size_t len);

/*
 * How many columns hclwrite counts for the `len` bytes of `s` when it
 * aligns `=` signs: the number of extended grapheme clusters (UAX #29,
 * Unicode 15.0, as go-textseg v15 counts them), not bytes nor display
 * width.  `s` is text as written to the file, i.e. already escaped.  The
 * emoji ZWJ-sequence rule (GB11) is not applied: the writer escapes U+200D,
 * so its output never holds one.  (The writer itself counts a quoted
 * literal per scanner token, as hclwrite does; see hcl.c.)
 */
size_t sg_hcl_columns(const char *s, size_t len);

/* ---- bodies ------------------------------------------------------------ */

/*
 * Create an empty root body (a file) in `a`.  Never NULL (the arena aborts
 * on out-of-memory).
 */
sg_hcl_body *sg_hcl_body_new(sg_arena *a);

/* The arena a body lives in (handy for building its expressions). */
sg_arena *sg_hcl_body_arena(const sg_hcl_body *body);

/*
 * Append the attribute `name = value` to `body`.
 * Returns SG_OK, or SG_EUSAGE (and marks the body broken) when `body` or
 * `value` is NULL, `value` is broken, `name` is not an identifier, or the
 * body already has an attribute of that name (HCL forbids redefinition).
 */
int sg_hcl_attr(sg_hcl_body *body, const char *name, sg_hcl_expr *value);

/* Shorthands for sg_hcl_attr with sg_hcl_str/_ref/_int/_bool of the body's arena. */
int sg_hcl_attr_str(sg_hcl_body *body, const char *name, const char *s);
int sg_hcl_attr_ref(sg_hcl_body *body, const char *name, const char *traversal);
int sg_hcl_attr_int(sg_hcl_body *body, const char *name, int64_t v);
int sg_hcl_attr_bool(sg_hcl_body *body, const char *name, bool v);

/*
 * Append a block `type "label"... { }` to `parent` and store its (empty)
 * body in `*out`.  `labels` holds `nlabels` strings, written quoted and
 * escaped; it may be NULL when `nlabels` is 0.  A label may hold any text
 * but `$` and `%`: `terraform fmt` (1.11, hclwrite v2.23.0) deletes a label
 * whose literal the scanner splits into several tokens, which those two
 * characters cause.  A block with an empty body is written on one line:
 * `type "l" {}`.
 * Returns SG_OK, or SG_EUSAGE when `out` or `parent` is NULL, `type` is not
 * an identifier, or a label is NULL or holds `$` or `%`; then `*out` is
 * NULL and `parent` is marked broken.
 */
int sg_hcl_block_add(sg_hcl_body **out, sg_hcl_body *parent, const char *type,
                     const char *const *labels, size_t nlabels);

/*
 * Ask for a blank line at this point of `body`.  Between two attributes it
 * ends the alignment group, as a blank line does for hclwrite.  Blocks are
 * always set apart by one blank line anyway, so blank lines next to a block,
 * at the start or end of a body, or repeated, collapse.
 * Returns SG_OK, or SG_EUSAGE for a NULL body.
 */
int sg_hcl_blank(sg_hcl_body *body);

/*
 * Serialize `body` and append the text to `out`: exactly what `terraform
 * fmt` would leave unchanged, ending with one newline (an empty body writes
 * nothing).  An attribute whose value is a template made of a single
 * interpolation is written as the bare expression (`x = var.y`, not
 * `x = "${var.y}"`), because `terraform fmt` unwraps those.
 * Returns SG_OK, or SG_EUSAGE when the tree holds anything broken or nests
 * deeper than 200 levels (e.g. an expression that contains itself); then
 * nothing is appended.
 */
int sg_hcl_write(sg_buf *out, const sg_hcl_body *body);

/* ---- scalar expressions -------------------------------------------------- */

/*
 * A quoted string holding `s` (escaped with sg_hcl_escape).  NULL for NULL
 * s.  The bytes are written as given; note that HCL normalizes strings to
 * NFC when it reads them.
 */
sg_hcl_expr *sg_hcl_str(sg_arena *a, const char *s);

/* Like sg_hcl_str for `len` bytes that may contain NUL (written \u0000). */
sg_hcl_expr *sg_hcl_strn(sg_arena *a, const char *s, size_t len);

/* An integer literal; negative values are written `-5`. */
sg_hcl_expr *sg_hcl_int(sg_arena *a, int64_t v);

/*
 * A decimal number, written with the fewest significant digits that read
 * back as the same double (`0.1`, `2.5`, `1e+300`; integral values have no
 * fraction: `3`).  NULL for NaN and infinities, which HCL cannot spell.
 */
sg_hcl_expr *sg_hcl_num(sg_arena *a, double v);

/*
 * A number literal exactly as given, for values a double cannot hold:
 * an optional `-`, digits, optionally `.` digits, optionally `e`/`E`, an
 * optional sign and digits.  NULL when `text` is not such a literal.
 */
sg_hcl_expr *sg_hcl_num_text(sg_arena *a, const char *text);

/* `true` or `false`. */
sg_hcl_expr *sg_hcl_bool(sg_arena *a, bool v);

/* `null`. */
sg_hcl_expr *sg_hcl_null(sg_arena *a);

/*
 * A reference written verbatim, e.g. `aws_iam_role.add_user.arn`,
 * `data.aws_partition.current.partition`, `var.tags`, `count.index`,
 * `aws_instance.x[0].id`, `each.value["name"]`, `aws_subnet.s[*].id`, or a
 * bare type keyword such as `string` (write a variable's `type` this way,
 * or as a call `map(string)`: `terraform fmt` rewrites a quoted type).
 * It must be a traversal: an identifier
 * followed by `.name`, `.N`, `.*`, `[N]`, `[*]` or `["key"]` steps (the key
 * printable ASCII without `"`, `\`, `${`, `%{`).  NULL otherwise.
 */
sg_hcl_expr *sg_hcl_ref(sg_arena *a, const char *traversal);

/* ---- compound expressions ------------------------------------------------ */

/*
 * A function call `fn(args...)`.  `fn` is an identifier, or a namespaced
 * name such as `provider::aws::arn_parse`; `args` holds `nargs`
 * expressions (NULL allowed when nargs is 0).  Layout SG_HCL_AUTO (see
 * sg_hcl_set_layout).  NULL when `fn` is invalid or an argument is NULL or
 * broken.
 */
sg_hcl_expr *sg_hcl_call(sg_arena *a, const char *fn, sg_hcl_expr *const *args,
                         size_t nargs);

/* A call with one argument: sg_hcl_call1(a, "jsonencode", obj). */
sg_hcl_expr *sg_hcl_call1(sg_arena *a, const char *fn, sg_hcl_expr *arg);

/*
 * An empty template (a quoted string with interpolations).  Fill it with
 * sg_hcl_template_lit and sg_hcl_template_interp; an empty template is `""`.
 */
sg_hcl_expr *sg_hcl_template(sg_arena *a);

/*
 * Append literal text to a template; it is escaped like sg_hcl_str, across
 * part boundaries (`$` then `{x` still gives `$${x`).  A literal that ends
 * in `$` right before an interpolation is written `${"$"}` so it does not
 * turn the interpolation into an escape.  Returns SG_OK, or SG_EUSAGE (and
 * marks the template broken) when `tmpl` is not a template or `text` is NULL.
 */
int sg_hcl_template_lit(sg_hcl_expr *tmpl, const char *text);

/*
 * Append an interpolation `${expr}` to a template.  Returns SG_OK, or
 * SG_EUSAGE (and marks the template broken) when `tmpl` is not a template,
 * `expr` is NULL or broken, or `expr` is the template itself.
 */
int sg_hcl_template_interp(sg_hcl_expr *tmpl, sg_hcl_expr *expr);

/*
 * A tuple `[items...]` of `n` expressions (`items` may be NULL when n is 0),
 * layout SG_HCL_AUTO.  NULL when an item is NULL or broken.
 */
sg_hcl_expr *sg_hcl_tuple(sg_arena *a, sg_hcl_expr *const *items, size_t n);

/*
 * Append an element to a tuple.  Returns SG_OK, or SG_EUSAGE (and marks the
 * tuple broken) when `tuple` is not a tuple, `item` is NULL or broken, or
 * `item` is the tuple itself.
 */
int sg_hcl_tuple_push(sg_hcl_expr *tuple, sg_hcl_expr *item);

/* A tuple of quoted strings, on one line: ["a", "b"].  NULL if any is NULL. */
sg_hcl_expr *sg_hcl_tuple_strs(sg_arena *a, const char *const *strs, size_t n);

/* An empty object `{}`, layout SG_HCL_AUTO (one item per line). */
sg_hcl_expr *sg_hcl_object(sg_arena *a);

/*
 * Append `key = value` to an object.  The key is written bare when it is an
 * identifier (and not `true`, `false`, `null` or `for`, which HCL would
 * read as keywords), else quoted: `"aws:SourceArn" = ...`.
 * Returns SG_OK, or SG_EUSAGE (and marks the object broken) when `obj` is
 * not an object, `key` is NULL or already present, or `value` is NULL,
 * broken or the object itself.
 */
int sg_hcl_object_put(sg_hcl_expr *obj, const char *key, sg_hcl_expr *value);

/*
 * Choose the layout of an object, tuple or call (see sg_hcl_layout).
 * Returns SG_OK, or SG_EUSAGE (marking `e` broken) for other expressions or
 * an unknown layout.
 */
int sg_hcl_set_layout(sg_hcl_expr *e, sg_hcl_layout layout);

/* ---- from JSON ----------------------------------------------------------- */

/*
 * A hook for sg_hcl_from_json: called for every JSON value before it is
 * converted; return an expression to use instead (e.g. a reference for a
 * placeholder string), or NULL to convert the value normally.
 */
typedef sg_hcl_expr *(*sg_hcl_json_hook)(void *ctx, sg_arena *a, const struct cJSON *value);

/*
 * Convert a cJSON value into an expression in `a`, for `jsonencode({...})`
 * of IAM policy documents and the like: objects become objects (keys in
 * order, quoted when not identifiers: `"aws:SourceArn"`), arrays tuples
 * (SG_HCL_AUTO: scalars on one line), strings strings, numbers integers
 * when integral and within +-2^53, else decimals, and true/false/null
 * themselves.  `hook` (may be NULL) can replace any value.  The cJSON tree
 * is only read; it may be freed afterwards.
 * Returns SG_OK with the expression in `*out`, or SG_EUSAGE (and `*out`
 * NULL) for a NULL argument, a raw or invalid cJSON item, a non-finite
 * number, a duplicate object key, or nesting deeper than 200 levels.
 */
int sg_hcl_from_json(sg_hcl_expr **out, sg_arena *a, const struct cJSON *json,
                     sg_hcl_json_hook hook, void *ctx);

#endif
