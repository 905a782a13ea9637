/*
 * tool.h - the command line's internals (src/tool/ only).
 *
 * The command line is a thin layer: it reads options, calls the library and
 * turns its results into output and exit codes.  One tool_*.c per command.
 */
#ifndef SVCGEN_TOOL_H
#define SVCGEN_TOOL_H

#include <stdbool.h>

#include "svcgen/diag.h"
#include "svcgen/fileset.h"
#include "svcgen/plan.h"
#include "svcgen/spec.h"

/* Exit codes (README.md, "Exit codes"). */
enum {
	TOOL_EXIT_OK = 0,        /* success */
	TOOL_EXIT_FINDINGS = 1,  /* validation errors, stale output, changes found */
	TOOL_EXIT_USAGE = 2,     /* bad command line, or an I/O error */
	/* diff: a version of the spec (the work tree's or REV's) has errors, so
	 * nothing was compared: distinct from 1, "changes found". */
	TOOL_EXIT_SPEC_ERRORS = 3,
};

typedef enum { TOOL_FORMAT_TEXT, TOOL_FORMAT_JSON } tool_format;

/* Each command: argv[0] is the command's name; returns an exit code. */
int tool_generate(int argc, char **argv);
int tool_validate(int argc, char **argv);
int tool_init(int argc, char **argv);
int tool_check(int argc, char **argv);
int tool_diff(int argc, char **argv);
int tool_graph(int argc, char **argv);
int tool_local(int argc, char **argv);

/*
 * The thin binary's `diff` and `local` (tool_exec.c): execv svcgen-full,
 * found next to /proc/self/exe, with `argv` unchanged (svcgen's whole
 * argv: argv[1] is the command).  Returns only on failure, after printing
 * why: TOOL_EXIT_USAGE.
 */
int tool_exec_full(int argc, char **argv);

/* Print "svcgen: " + message to stderr; returns TOOL_EXIT_USAGE. */
int tool_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse "--format" values; returns 0 or -1 for an unknown name. */
int tool_parse_format(tool_format *out, const char *s);

/*
 * Print `diags` (sorted) in `format`: text goes to stderr, JSON to stdout.
 */
void tool_print_diags(sg_diags *diags, tool_format format);

/*
 * Load, parse and validate `path` into `*spec`.  Validation runs only when
 * the spec parses cleanly, so its findings never cascade from shape errors.
 * Returns SG_OK, SG_EFINDINGS or SG_EIO.
 */
int tool_load_spec(sg_spec **spec, sg_arena *arena, sg_diags *diags, const char *path);

/*
 * As tool_load_spec, keeping the bytes the spec was parsed from in
 * `*data`/`*len` (arena-owned), so the manifest's spec hash is the hash of
 * exactly what was generated from (tool_outputs.c).
 */
int tool_load_spec_text(sg_spec **spec, const char **data, size_t *len, sg_arena *arena,
			sg_diags *diags, const char *path);

/*
 * Add manifest.json to `fs`: the SHA-256 of the spec's `len` bytes at
 * `data` and the outputs `what` (sg_emit_what bits) (tool_outputs.c).
 * Returns SG_OK or SG_EUSAGE.
 */
int tool_add_manifest(sg_fileset *fs, const char *data, size_t len, unsigned what);

/* The options `generate` and `check` share (tool_outputs.c). */
typedef struct tool_output_args {
	const char *spec;           /* SPEC */
	const char *dir;            /* -o DIR, or NULL: out/<service> */
	const char *templates_dir;  /* --templates DIR, or NULL */
	unsigned what;              /* sg_emit_what bits: --only, else all available */
	bool only;                  /* --only was given */
	bool force;                 /* --force (generate only) */
	tool_format format;         /* --format */
} tool_output_args;

/*
 * Parse `-o DIR`, `--only LIST`, `--templates DIR`, `--format`, `--help`,
 * `--force` (only when `writes`: generate) and one SPEC into `*a` (argv[0]
 * is the command's name; `usage` is printed for --help).  Returns -1 to go
 * on, or the exit code to stop with (usage errors are printed).
 */
int tool_parse_output_args(tool_output_args *a, int argc, char **argv, const char *usage,
			   bool writes);

/*
 * Build in `fs` what `generate` writes for `plan`: the outputs `what`, with
 * the stock templates overridden from `templates_dir` (may be NULL), then
 * manifest.json hashing the spec's `len` bytes at `text`; sorted by path.
 * Returns SG_OK, SG_EFINDINGS (any error reported) or SG_EIO.
 */
int tool_emit_outputs(sg_fileset *fs, const sg_plan *plan, const char *text, size_t len,
		      unsigned what, const char *templates_dir, sg_arena *arena, sg_diags *diags);

/* The exit code for a library result. */
int tool_exit_code(int rc);

#endif
