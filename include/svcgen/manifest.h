/*
 * manifest.h - manifest.json: what a generate wrote, and `check`.
 *
 * Every output directory holds manifest.json listing each file svcgen wrote
 * there with its kind and SHA-256 (sha256.h), the SHA-256 of the spec it
 * came from, the svcgen version and the outputs selected (`--only`).  It
 * is built in memory like any other output (sg_manifest_add) and written
 * by the one write module.  The manifest does not list itself: a file
 * cannot contain its own hash.
 *
 * Format (JSON, two-space indentation, keys in this order, files sorted
 * by path in byte order, no timestamps, so the same spec gives the same
 * bytes):
 *
 *   {
 *     "manifest_version": 1,
 *     "svcgen_version": "0.1.0",
 *     "spec_sha256": "<64 hex>",
 *     "outputs": ["cfn", "iam", "graph"],
 *     "files": [
 *       {"path": "cloudformation/template.json", "kind": "generated", "sha256": "<64 hex>"},
 *       ...
 *     ]
 *   }
 *
 * The writer may also record, in an extended attribute of the file (not
 * in its bytes), the inputs key of the run that wrote the tree (write.h,
 * sg_write_uptodate).
 *
 * `check` (sg_manifest_check) compares the file set a fresh generate would
 * write with a directory, using the directory's own manifest to tell a
 * file the spec outgrew (stale) from one a person changed (hand-edited).
 */
#ifndef SVCGEN_MANIFEST_H
#define SVCGEN_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "svcgen/arena.h"
#include "svcgen/diag.h"
#include "svcgen/fileset.h"
#include "svcgen/sha256.h"

#define SG_MANIFEST_PATH "manifest.json"
#define SG_MANIFEST_VERSION 1

/*
 * The write module's journal (write.h): written, in the manifest's format,
 * before a generate creates a path its manifest does not list yet, and
 * removed once manifest.json is in place.  One left behind means a
 * generate was interrupted: the files it lists with the hash they have
 * are svcgen's too.
 */
#define SG_MANIFEST_JOURNAL_PATH ".svcgen-journal.json"

/* One file of a manifest. */
typedef struct sg_manifest_file {
	const char *path;
	sg_file_kind kind;
	const char *sha256;     /* 64 lowercase hex digits */
} sg_manifest_file;

/*
 * Format a manifest of the `n` entries `files` (sorted by path in place)
 * into `*data`/`*len` (arena-owned, NUL-terminated).  Returns SG_OK or
 * SG_EUSAGE for NULL arguments.
 */
int sg_manifest_format(const char **data, size_t *len, sg_arena *arena, const char *spec_sha256,
		       unsigned outputs, sg_manifest_file *files, size_t n);

/*
 * Add manifest.json (SG_FILE_GENERATED) to `fs`, describing every other
 * file of `fs`.  `spec_sha256` is the spec's digest in hex
 * (sg_sha256_hex of its bytes); `outputs` the sg_emit_what bits that were
 * emitted.  Call it after the last emitter.  The file set's order is left
 * as it is.  Returns SG_OK, or SG_EUSAGE for NULL arguments.
 */
int sg_manifest_add(sg_fileset *fs, const char *spec_sha256, unsigned outputs);

/* A manifest read back.  All memory belongs to the arena it was read into. */
typedef struct sg_manifest {
	int version;                 /* manifest_version */
	const char *svcgen_version;
	const char *spec_sha256;
	unsigned outputs;            /* sg_emit_what bits */
	bool outputs_known;          /* "outputs" was present and every name known */
	sg_manifest_file *files;     /* sorted by path, each path once */
	size_t count;
} sg_manifest;

/*
 * Parse manifest text into `*out` (arena-owned).  Returns SG_OK, or
 * SG_EFINDINGS when the text is not a manifest of a version this build
 * reads: `*why` (optional) then says what is wrong, in static storage.
 */
int sg_manifest_parse(sg_manifest **out, const char **why, sg_arena *arena, const char *data,
		      size_t len);

/* The entry of `path`, or NULL (also for a NULL `m`).  O(log n). */
const sg_manifest_file *sg_manifest_find(const sg_manifest *m, const char *path);

/*
 * Read the manifest (or journal) file `path`.  `*out` is NULL when there is
 * none, and when it is not a manifest: `*why` (optional) then says why, in
 * static storage (else it is NULL).  Only a regular file is read (a FIFO
 * is refused, never waited on).  Returns SG_OK, or SG_EIO when the file
 * exists but cannot be read (reported to `diags`, code "io").
 */
int sg_manifest_load_file(sg_manifest **out, const char **why, sg_arena *arena,
			  sg_diags *diags, const char *path);

/*
 * Read `dir`/manifest.json.  `*out` is NULL when there is none; when it is
 * not a manifest, `*out` is NULL too and a warning "manifest-unreadable"
 * says so (without it hand edits cannot be told from stale files).
 * Returns SG_OK, or SG_EIO when the file exists but cannot be read.
 */
int sg_manifest_load(sg_manifest **out, sg_arena *arena, sg_diags *diags, const char *dir);

/* What `check` found about one file. */
typedef enum sg_check_status {
	SG_CHECK_STALE,        /* generated, differs, and the directory's manifest
	                          says it is what svcgen wrote: the spec changed */
	SG_CHECK_MISSING,      /* should be there and is not */
	SG_CHECK_HAND_EDITED,  /* generated, differs from what the directory's
	                          manifest recorded: someone changed it */
	SG_CHECK_ORPHANED,     /* written by svcgen as generated, there, and no
	                          longer generated */
} sg_check_status;

#define SG_CHECK_STATUS_COUNT 4

/* "stale", "missing", "hand-edited", "orphaned". */
const char *sg_check_status_name(sg_check_status s);

/* One file `check` found fault with. */
typedef struct sg_check_item {
	const char *path;            /* relative to the directory */
	sg_check_status status;
	sg_file_kind kind;           /* as generated (orphans: as the manifest said) */
} sg_check_item;

/* The verdict on one directory.  Arena-owned. */
typedef struct sg_check_report {
	sg_check_item *items;        /* the problems, sorted by path */
	size_t count;
	size_t counts[SG_CHECK_STATUS_COUNT];
	size_t checked;              /* files of the expected set looked at */
} sg_check_report;

/*
 * Compare `expected` (the file set a generate would write, with its
 * manifest.json) with directory `dir`; `old` is dir's manifest
 * (sg_manifest_load) or NULL.  Generated files must match byte for byte;
 * scaffolds need only exist.  A generated file that differs is
 * hand-edited when `old` records a different hash for it than the file
 * has now (and dir's journal, SG_MANIFEST_JOURNAL_PATH, does not record
 * that hash as one an interrupted generate wrote), else stale;
 * manifest.json itself can only be stale.  Orphaned: a generated file
 * `old` lists (or the journal lists with the hash the file has) that is
 * still on disk but no longer expected.  Files neither lists are the
 * user's and never reported, nor are scaffolds no longer generated (the
 * user's code).  A missing `dir` makes every file missing.  Only regular
 * files are read: a FIFO where a generated file belongs is an "io" error,
 * never a hang.
 *
 * Reads only; writes nothing.  Returns SG_OK with `*out` filled (zero
 * problems: up to date), or SG_EIO when something could not be read
 * (reported to `diags`).
 */
int sg_manifest_check(sg_check_report *out, sg_arena *arena, sg_diags *diags,
		      const sg_fileset *expected, const char *dir, const sg_manifest *old);

#endif
