/*
 * diag.h - diagnostics: collected during a run, printed at the end.
 *
 * Every stage (parse, validate, plan, template rendering) reports into one
 * sg_diags so a single run shows every problem.  A diagnostic points at a
 * file:line:column (1-based; 0 means "the whole file") and carries a stable
 * code, e.g. "unknown-key", listed in specs/diagnostics.md.
 *
 * Text form, like a compiler's:
 *   spec.yaml:14:9: error: table 'order' is not declared (did you mean 'orders'?) [undeclared-table]
 * JSON form: an array of {file, line, column, severity, code, message}.
 */
#ifndef SVCGEN_DIAG_H
#define SVCGEN_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "svcgen/arena.h"
#include "svcgen/buf.h"

/* A place in a source file: 1-based line and column (in characters). */
typedef struct sg_pos {
	uint32_t line;
	uint32_t col;
} sg_pos;

typedef enum sg_severity {
	SG_SEV_ERROR = 0,
	SG_SEV_WARNING = 1,
	SG_SEV_NOTE = 2,
} sg_severity;

typedef struct sg_diag {
	const char *file;     /* as given on the command line; arena-owned */
	sg_pos pos;
	sg_severity severity;
	const char *code;     /* stable identifier, static storage */
	const char *message;  /* arena-owned */
} sg_diag;

/*
 * The diagnostics of one run.  All memory comes from `arena`.  `file` is the
 * default file name for sg_diag_add.
 */
typedef struct sg_diags {
	sg_arena *arena;
	const char *file;
	sg_diag *items;
	size_t count, cap;
	size_t errors, warnings;
	size_t limit;         /* stop recording after this many (0: 1000) */
	size_t dropped;       /* how many were over the limit */
} sg_diags;

/* Start an empty list whose messages live in `arena`, reporting on `file`. */
void sg_diags_init(sg_diags *d, sg_arena *arena, const char *file);

/*
 * Record a diagnostic at `pos` in d->file.  `code` must have static storage.
 * The message is printf-formatted and has no trailing period or newline.
 */
void sg_diag_add(sg_diags *d, sg_severity sev, const char *code, sg_pos pos,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void sg_diag_vadd(sg_diags *d, sg_severity sev, const char *code,
		  const char *file, sg_pos pos, const char *fmt, va_list ap);

/* Shorthands for the two common severities. */
void sg_error(sg_diags *d, const char *code, sg_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void sg_warning(sg_diags *d, const char *code, sg_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Append every diagnostic of `from` to `d`, in order, with its counts (a
 * stage run on a list of its own, such as an emitter on a thread of its
 * own).  The items are copied by value: their strings stay where they
 * are, so `from`'s arena must live as long as `d`'s.  `d`'s limit
 * applies.
 */
void sg_diags_append(sg_diags *d, const sg_diags *from);

/*
 * Sort by file, line, column (stable for equal places) so the output reads
 * top to bottom whatever order the stages reported in.
 */
void sg_diags_sort(sg_diags *d);

/* Print every diagnostic in text form, one per line, then a summary line
 * ("2 errors, 1 warning") when there is anything to summarise. */
void sg_diags_print_text(const sg_diags *d, FILE *out);

/* Append the JSON array form to `out` (followed by a newline). */
void sg_diags_write_json(const sg_diags *d, sg_buf *out);

/* Name of a severity: "error", "warning", "note". */
const char *sg_severity_name(sg_severity sev);

#endif
