/*
 * fileset.h - the output of a run, in memory.
 *
 * Emitters are pure: they add files to a sg_fileset and never touch the disk.
 * The write module (sg_fileset_write) is the only code that puts a file set
 * on the disk; `check` and `diff` compare file sets without writing.
 *
 * Paths are relative to the output directory, '/'-separated, with no "..",
 * no leading '/', and no empty segments (sg_fileset_add refuses others).
 */
#ifndef SVCGEN_FILESET_H
#define SVCGEN_FILESET_H

#include <stdbool.h>
#include <stddef.h>

#include "svcgen/arena.h"
#include "svcgen/diag.h"

typedef enum sg_file_kind {
	SG_FILE_GENERATED, /* rewritten on every generate */
	SG_FILE_SCAFFOLD,  /* written once, then the user's: never overwritten */
} sg_file_kind;

typedef struct sg_file {
	const char *path;   /* relative, arena-owned */
	const char *data;   /* bytes, arena-owned, NUL-terminated for convenience */
	size_t len;
	sg_file_kind kind;
	bool executable;
} sg_file;

typedef struct sg_fileset {
	sg_arena *arena;
	sg_file *files;
	size_t count, cap;
} sg_fileset;

/* An empty file set whose memory comes from `arena`. */
void sg_fileset_init(sg_fileset *fs, sg_arena *arena);

/*
 * Add a file, copying `path` and `len` bytes of `data` into the arena.  A
 * path already in the set is replaced.  Returns SG_OK, or SG_EUSAGE for a
 * path that is absolute, empty, or climbs out with "..".
 */
int sg_fileset_add(sg_fileset *fs, const char *path, const void *data, size_t len,
		   sg_file_kind kind);

/* As sg_fileset_add, for data already in the arena (no copy). */
int sg_fileset_add_owned(sg_fileset *fs, const char *path, const char *data, size_t len,
			 sg_file_kind kind);

/* The file at `path`, or NULL. */
const sg_file *sg_fileset_get(const sg_fileset *fs, const char *path);

/* Sort by path (byte order) so listings and manifests are deterministic. */
void sg_fileset_sort(sg_fileset *fs);

/*
 * Write every file under directory `dir` (created if missing): generated
 * files atomically replace what is there, scaffolds are written only when
 * absent.  Every path is checked to resolve inside `dir`, through symbolic
 * links too.  `*written` and `*kept` (optional) count files written and
 * scaffolds left alone.  Errors go to `diags` ("io") and return SG_EIO;
 * files already written stay (each is complete: writes are atomic).
 */
int sg_fileset_write(size_t *written, size_t *kept, const sg_fileset *fs, const char *dir,
		     sg_diags *diags);

#endif
