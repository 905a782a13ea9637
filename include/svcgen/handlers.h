/*
 * handlers.h - the "handlers" emitter: one C project with a Lambda handler
 * per function, for the provided.al2023 runtime (DESIGN.md section 4).
 *
 * Pure, like every emitter: a plan and a Mustache template set in, files
 * out.  The project, under handlers/:
 *
 *   Makefile                     generated  make, make test, make package
 *   README.md                    generated  how to build, test, package, run
 *   .gitignore                   generated
 *   runtime/lambda_*.[ch]        generated  the Lambda Runtime API client,
 *                                           API Gateway / DynamoDB Streams
 *                                           event parsing, responses, logs
 *   runtime/lambda_config.c      generated  the spec's API type and CORS
 *   runtime/handlers.h           generated  every handler's prototype
 *   runtime/main_<function>.c    generated  main(): the function's handlers
 *   runtime/bootstrap            generated, executable: the zip's entry point
 *   runtime/package.sh           generated, executable: builds a zip
 *   events/<function>.json       generated  a sample event
 *   src/<function>.c             scaffold   the handler (answers 501)
 *   tests/test_<function>.c      scaffold   cmocka tests of the handler
 *
 * Every file comes from a template of the set (DESIGN.md section 1: C
 * sources, Makefiles and docs come from Mustache templates), except the
 * sample events, which are JSON built with cJSON.  The template context is
 * described in README.md ("Handler templates").  Spec text reaches the
 * output escaped for where it lands: C string literals through
 * sg_mustache_escape_c; C comments only as "comment-safe" variants (no
 * comment terminator, no trigraph, no line break); Markdown through a
 * Markdown escaper; the Makefile only ever gets function names and
 * architectures, and is rendered through a Make escaper all the same.
 */
#ifndef SVCGEN_HANDLERS_H
#define SVCGEN_HANDLERS_H

#include <cjson/cJSON.h>

#include "svcgen/arena.h"
#include "svcgen/buf.h"
#include "svcgen/diag.h"
#include "svcgen/fileset.h"
#include "svcgen/mustache.h"
#include "svcgen/plan.h"

/* The directory of the project in the output. */
#define SG_HANDLERS_DIR "handlers"

/*
 * Add the handler project of `plan` to `fs`, rendering the templates of
 * `templates` (the stock ones, possibly overridden: sg_mustache_set_open
 * with sg_embedded_templates and the --templates directory).  NULL uses a
 * set of the stock templates built for the call.  The set is not owned; it
 * compiles templates on first use, hence not const.
 *
 * Returns SG_OK; SG_EFINDINGS when a template does not compile or render
 * (reported to `diags` with the template's name and position) or a
 * template the emitter needs is missing ("template-missing"); SG_EUSAGE
 * for NULL arguments.  Nothing is added to `fs` unless every file rendered.
 */
int sg_emit_handlers(sg_fileset *fs, const sg_plan *plan, sg_mustache_set *templates,
		     sg_diags *diags);

/*
 * The template context of the whole project (see README.md, "Handler
 * templates"), as a cJSON tree the caller frees with cJSON_Delete.  For
 * tests and for people writing templates (`svcgen generate` does not print
 * it).  NULL when out of memory.
 */
cJSON *sg_handlers_context(const sg_plan *plan);

/*
 * The sample event for `fn` (events/<fn>.json): an API Gateway proxy event
 * for its first route (payload 1.0 on REST APIs, 2.0 on HTTP APIs), else a
 * DynamoDB Streams event for its first stream, else {}.  The caller frees
 * it with cJSON_Delete.
 */
cJSON *sg_handlers_sample_event(const sg_plan *plan, const sg_plan_function *fn);

/*
 * Text made safe for the inside of a C block comment, in `arena`: control
 * characters (line breaks included) become spaces, and "*" "/" pairs and
 * "??" are split with a space, so the text can neither end the comment,
 * open a nested one (-Wcomment) nor form a trigraph (-Wtrigraphs).  UTF-8
 * passes unchanged.  NULL gives NULL.
 */
char *sg_handlers_comment_text(sg_arena *arena, const char *s);

/* Escapers for sg_mustache_opts.escape (payload unused). */

/* Markdown text: ASCII punctuation that Markdown reads as syntax gets a
 * backslash, line breaks become spaces. */
void sg_handlers_escape_markdown(sg_buf *out, const char *s, size_t len, void *payload);

/* Make: "$" doubles, "#" gets a backslash, line breaks become spaces. */
void sg_handlers_escape_make(sg_buf *out, const char *s, size_t len, void *payload);

#endif
