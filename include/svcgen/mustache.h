/*
 * mustache.h - svcgen's Mustache engine: templates rendered against cJSON.
 *
 * Follows the Mustache specification v1.4 (comments, delimiters,
 * interpolation, inverted sections, partials, sections) with the optional
 * inheritance module (parents {{<name}} and blocks {{$name}}, including the
 * spec's block reindentation rules) and the optional dynamic names module
 * ({{>*name}} and {{<*name}}).  Lambdas are not supported: a JSON context
 * cannot hold functions.
 *
 * A template is compiled once into a tree that lives in an sg_arena and can
 * be rendered any number of times, with any context, into an sg_buf.
 * Partials and parents are looked up by name in an sg_mustache_set, which
 * holds svcgen's stock templates and the user's overrides and compiles each
 * one the first time it is used.
 *
 * Where the spec leaves a choice open, this engine:
 *   - prints numbers the shortest way that reads back the same (1.210 prints
 *     "1.21", 85.0 prints "85"), booleans as "true"/"false", null and
 *     missing names as nothing, arrays and objects as compact JSON;
 *   - treats as falsey: a missing name, null, false, an empty array and an
 *     empty string (0 is truthy: it is a value, not an absence);
 *   - indents the lines of a standalone partial, parent or block except
 *     empty ones, so indented output never ends a line with blanks;
 *   - does not resolve numeric path segments in arrays ("items.0").
 *
 * Errors follow the library's convention (svcgen/error.h): functions return
 * SG_OK (0) or a negative code, report what went wrong to an sg_diags, and
 * put results in their first, out-parameter, arguments.  Diagnostics about
 * a template name the template as their file and point at the offending tag
 * (1-based line, column in characters).  Their codes:
 *   template-syntax     a tag the engine cannot read: unclosed tag, empty
 *                       or blank-containing name, bad set-delimiter tag,
 *                       unclosed section, close tag without or with the
 *                       wrong opening tag
 *   template-limit      nesting over SG_MUSTACHE_MAX_NESTING in one
 *                       template; a rendering over SG_MUSTACHE_MAX_STEPS
 *                       or SG_MUSTACHE_MAX_OUTPUT (or the opts' bounds); a
 *                       template file over SG_MUSTACHE_MAX_FILE_BYTES
 *   template-recursion  partials/parents nested over
 *                       SG_MUSTACHE_MAX_EXPANSION_DEPTH deep, or rendering
 *                       nested over SG_MUSTACHE_MAX_RENDER_DEPTH
 *   template-missing    sg_mustache_set_render was asked for a name the set
 *                       does not hold (a missing partial is not an error:
 *                       the spec renders it as the empty string)
 *   io                  a template directory or file could not be read
 */
#ifndef SVCGEN_MUSTACHE_H
#define SVCGEN_MUSTACHE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "svcgen/arena.h"
#include "svcgen/buf.h"
#include "svcgen/diag.h"
#include "svcgen/error.h"      /* SG_OK, SG_EFINDINGS, SG_EIO, SG_EUSAGE */
#include "svcgen/templates.h"  /* sg_embedded_file */

/* Partials and parents nested deeper than this stop the rendering. */
#define SG_MUSTACHE_MAX_EXPANSION_DEPTH 64
/* Sections, partials, parents and blocks nested deeper than this, counted
 * together across templates, stop the rendering. */
#define SG_MUSTACHE_MAX_RENDER_DEPTH 512
/* Sections, parents and blocks nested deeper than this in one template are
 * a compile error. */
#define SG_MUSTACHE_MAX_NESTING 100
/* Template nodes one sg_mustache_render may visit: far more than any
 * generated file needs. */
#define SG_MUSTACHE_MAX_STEPS 20000000ul
/* Bytes one sg_mustache_render may append to its output. */
#define SG_MUSTACHE_MAX_OUTPUT (64u * 1024 * 1024)
/* Size of one template file read by sg_mustache_set_load_dir. */
#define SG_MUSTACHE_MAX_FILE_BYTES (4u * 1024 * 1024)

/* A compiled template.  Owned by the arena it was compiled into. */
typedef struct sg_mustache_tpl sg_mustache_tpl;

/* Named templates for partials and parents; see sg_mustache_set_new. */
typedef struct sg_mustache_set sg_mustache_set;

/*
 * Writes `len` bytes of `s` (a value being interpolated with {{name}}) to
 * `out`, escaped for the kind of file being generated.  `payload` is the
 * opts' escape_payload.  Values interpolated with {{{name}}} or {{&name}}
 * are never passed to it.
 */
typedef void (*sg_mustache_escape_fn)(sg_buf *out, const char *s, size_t len,
				      void *payload);

/* How to render.  A zeroed struct (or a NULL pointer) is valid: no partials,
 * HTML escaping. */
typedef struct sg_mustache_opts {
	/* Where {{>name}} and {{<name}} are looked up; NULL: nowhere (every
	 * partial renders empty).  Not owned; compiles partials on first use,
	 * hence not const. */
	sg_mustache_set *partials;
	/* Escaping of {{name}}; NULL: HTML (sg_mustache_escape_html). */
	sg_mustache_escape_fn escape;
	void *escape_payload;
	/* Bounds on the work of one rendering; 0: SG_MUSTACHE_MAX_STEPS and
	 * SG_MUSTACHE_MAX_OUTPUT.  Only ever lowered by callers that render
	 * untrusted templates, or to test the bounds. */
	unsigned long max_steps;
	size_t max_output;
} sg_mustache_opts;

/* ---- compiling and rendering ------------------------------------------- */

/*
 * Parse `len` bytes of `src` (need not be NUL-terminated) into `*out`.  The
 * tree and a copy of the source live in `arena`; `src` may be freed after
 * the call.  `name` names the template in diagnostics (copied).  Set
 * delimiter tags are applied while parsing; standalone lines are removed
 * here, once.
 *
 * Returns SG_OK; SG_EFINDINGS when the template has a syntax error (reported
 * to `diags` with file `name` and the line:col of the tag; `*out` is then
 * NULL); SG_EUSAGE when an argument is NULL.
 */
int sg_mustache_compile(sg_mustache_tpl **out, sg_arena *arena, sg_diags *diags,
			const char *name, const char *src, size_t len);

/* The name `tpl` was compiled with. */
const char *sg_mustache_tpl_name(const sg_mustache_tpl *tpl);

/*
 * Render `tpl` against `context` (any JSON value; NULL is an empty context)
 * and append the bytes to `out`.  `opts` may be NULL.  The template is not
 * modified: rendering it twice with the same context gives the same bytes.
 * Partials are compiled on first use into the set's arena; their syntax
 * errors are reported with the partial's file name.
 *
 * Returns SG_OK; SG_EFINDINGS when an error was reported to `diags` (a
 * partial that does not compile; recursion, steps or output over the
 * limits): rendering stops at the first, and `out` then holds a partial
 * result the caller should discard.  SG_EUSAGE when `out`, `tpl` or `diags`
 * is NULL.
 */
int sg_mustache_render(sg_buf *out, const sg_mustache_tpl *tpl, const cJSON *context,
		       const sg_mustache_opts *opts, sg_diags *diags);

/* ---- escapers (sg_mustache_escape_fn; payload unused) ------------------- */

/* The spec's HTML escaping: & < > " become &amp; &lt; &gt; &quot;. */
void sg_mustache_escape_html(sg_buf *out, const char *s, size_t len, void *payload);

/* No escaping: the bytes as they are (Makefiles, Markdown, plain text). */
void sg_mustache_escape_none(sg_buf *out, const char *s, size_t len, void *payload);

/*
 * The inside of a C string literal: backslash, double quote, newline,
 * carriage return and tab get their escapes, other control bytes and DEL
 * an octal escape of three digits, and a '?' after a '?' is written "\?"
 * so no trigraph can form.  Bytes from 0x80 up (UTF-8) pass unchanged.
 */
void sg_mustache_escape_c(sg_buf *out, const char *s, size_t len, void *payload);

/* ---- template sets ------------------------------------------------------ */

/*
 * Create an empty set in `arena` (which owns the set, the sources it copies
 * and every template it compiles).  Returns SG_OK, or SG_EUSAGE when `out`
 * or `arena` is NULL.
 */
int sg_mustache_set_new(sg_mustache_set **out, sg_arena *arena);

/*
 * Add the template `name` with `len` bytes of `src` (copied), replacing any
 * template of that name.  `file` names it in diagnostics (copied; NULL: the
 * name).  Returns SG_OK, or SG_EUSAGE when an argument is NULL.
 */
int sg_mustache_set_add(sg_mustache_set *set, const char *name, const char *file,
			const char *src, size_t len);

/*
 * Add every entry of `files` (ending with a NULL name; e.g.
 * sg_embedded_templates), replacing templates of the same names.  The
 * entries must have static storage: they are not copied.  Returns SG_OK, or
 * SG_EUSAGE when an argument is NULL.
 */
int sg_mustache_set_add_embedded(sg_mustache_set *set, const sg_embedded_file *files);

/*
 * Add every regular file `NAME.mustache` directly in directory `dir` as
 * template NAME (its diagnostics name the file's path), replacing templates
 * of the same names: this is how `--templates DIR` overrides the stock
 * templates.  Other entries are ignored.  Only reads.
 *
 * Returns SG_OK; SG_EIO when the directory or a file cannot be read, or a
 * file is over SG_MUSTACHE_MAX_FILE_BYTES (reported to `diags` with code
 * "io" or "template-limit"; the readable files are still added); SG_EUSAGE
 * when an argument is NULL.
 */
int sg_mustache_set_load_dir(sg_mustache_set *set, sg_diags *diags, const char *dir);

/*
 * Shorthand: a new set holding `embedded` (may be NULL), overridden by the
 * templates of `dir` (may be NULL).  Returns what sg_mustache_set_new or
 * sg_mustache_set_load_dir return; on SG_EIO `*out` is still a usable set.
 */
int sg_mustache_set_open(sg_mustache_set **out, sg_arena *arena, sg_diags *diags,
			 const sg_embedded_file *embedded, const char *dir);

/*
 * The compiled template `name`, compiled on the first call (syntax errors go
 * to `diags`, once: later calls return the same code without reporting
 * again).  Sets `*out` to NULL and returns SG_OK when the set has no such
 * template.  Returns SG_EFINDINGS when it does not compile, SG_EUSAGE when an
 * argument is NULL.
 */
int sg_mustache_set_get(const sg_mustache_tpl **out, sg_mustache_set *set,
			sg_diags *diags, const char *name);

/*
 * Render the set's template `name` (see sg_mustache_render); partials come
 * from `set` unless `opts->partials` says otherwise.  A name the set does
 * not hold is reported with code "template-missing" and returns SG_EUSAGE.
 */
int sg_mustache_set_render(sg_buf *out, sg_mustache_set *set, const char *name,
			   const cJSON *context, const sg_mustache_opts *opts,
			   sg_diags *diags);

#endif
