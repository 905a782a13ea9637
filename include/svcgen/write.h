/*
 * write.h - the one module that writes to the disk.
 *
 * sg_write_fileset puts a file set (fileset.h) into an output directory the
 * way a build tool wants it: a file whose bytes are already there is not
 * touched (its mtime stays, so `make` rebuilds only what changed), and
 * every other file is replaced atomically, so a reader, a kill or a crash
 * never sees half a file.  It runs in two phases:
 *
 *   1. Check every destination, writing nothing: parents are directories
 *      that resolve inside DIR (symbolic links included), no destination is
 *      a directory, FIFO or other non-regular file, and no file svcgen did
 *      not write is overwritten: DIR's manifest.json (manifest.h) lists what
 *      svcgen wrote; a non-empty DIR without one is refused.  Any problem
 *      is reported and nothing at all is changed.
 *   2. Write: leftovers of interrupted runs removed, an intent journal when
 *      new paths appear, scaffolds (durable; their fsyncs run while the
 *      generated files are written), generated files, files of the
 *      previous generate that are no longer generated removed, and
 *      manifest.json last (durable).  Then the run's inputs key, when
 *      given, is recorded with manifest.json, so that sg_write_uptodate
 *      can tell a later run with the same key that it has nothing to do.
 *
 * New files are created unnamed (O_TMPFILE) and linked into place whole;
 * where the filesystem cannot, and to replace a file, bytes go to a
 * temporary named ".svcgen-tmp.XXXXXX" in the same directory, then
 * rename(2).  A run killed at any moment leaves only that pattern and the
 * journal behind, and the next run removes both.  Files and directories
 * are created with modes 0666 / 0777 (0777 for executables) less the
 * process umask.  See docs/design-notes.md, "The write path".
 */
#ifndef SVCGEN_WRITE_H
#define SVCGEN_WRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "svcgen/diag.h"
#include "svcgen/fileset.h"

/* Flags for sg_write_file. */
enum {
	SG_WRITE_NO_OVERWRITE = 1 << 0, /* leave an existing file alone */
	SG_WRITE_EXECUTABLE = 1 << 1,   /* mode 0777 instead of 0666, less the umask */
	SG_WRITE_DURABLE = 1 << 2,      /* fsync the file and its directory */
};

/*
 * Write `len` bytes of `data` to `path` atomically (its parent directory
 * must exist).  With SG_WRITE_NO_OVERWRITE an existing file (of any type)
 * is kept and `*written` (when not NULL) is set false.  Errors go to
 * `diags` with code "io" and return SG_EIO; SG_OK otherwise.
 */
int sg_write_file(bool *written, sg_diags *diags, const char *path, const void *data,
		  size_t len, int flags);

/* The name prefix of svcgen's temporary files: ".svcgen-tmp." and six
 * characters of [A-Za-z0-9]. */
#define SG_WRITE_TMP_PREFIX ".svcgen-tmp."

/* What sg_write_fileset may do beyond its defaults. */
typedef struct sg_write_opts {
	bool force;  /* overwrite files DIR's manifest does not list, and write
	                into a non-empty DIR that has no manifest (`--force`) */
	const char *inputs; /* the run's inputs key (emit.h, sg_emit_inputs), 64
	                hex digits, or NULL.  Once every file is in place it is
	                recorded with manifest.json (an extended attribute,
	                where the filesystem has them) for sg_write_uptodate */
	const sg_diag *notes; /* with `inputs`: the warnings and notes the
	                emitters reported on the spec (d->file), recorded too,
	                so the fast path reports what a full run does */
	size_t nnotes;
} sg_write_opts;

/* What sg_write_fileset did, file by file. */
typedef struct sg_write_stats {
	size_t written;    /* files created or replaced (manifest.json included) */
	size_t unchanged;  /* generated files whose bytes were already there */
	size_t kept;       /* scaffolds that existed: the user's, left alone */
	size_t removed;    /* files the last generate wrote that nothing generates
	                      now, removed (unchanged since written) */
	size_t orphans_kept; /* such files edited since: kept, with a warning */
	size_t debris;     /* leftovers of interrupted runs removed */
} sg_write_stats;

/*
 * Write `fs` under directory `dir` (created, with missing parents, if
 * absent), as described at the top of this header.  `fs` should hold
 * manifest.json (sg_manifest_add): it is what makes the next run know
 * which files are svcgen's.  `opts` may be NULL.  `*stats` (optional) says
 * what happened, also on failure.
 *
 * Diagnostics (to `diags`): errors "output-conflict" (a destination svcgen
 * may not write: a file DIR's manifest does not list, a non-empty DIR
 * without a manifest, a directory or special file where a file goes, a
 * file where a directory goes, a path resolving outside `dir`), "io" (a
 * system call failed); warning "orphan-kept" (a file no longer generated
 * was edited since svcgen wrote it); note "scaffold-orphaned" (a scaffold
 * of a function the spec no longer has stays, it is the user's code).
 *
 * Returns SG_OK; SG_EIO after an error of phase 1 (nothing was changed) or
 * of phase 2 (every file is whole, old or new, and the next run completes
 * the work).
 */
int sg_write_fileset(sg_write_stats *stats, const sg_fileset *fs, const char *dir,
		     const sg_write_opts *opts, sg_diags *diags);

/*
 * The regenerate fast path.  `*fresh` is set true when `dir` is exactly
 * what sg_write_fileset left for the file set of inputs key `inputs`
 * (sg_write_opts.inputs), so that writing that set again would change
 * nothing and report nothing new: manifest.json carries that key and the
 * hash of the tree it left, every generated file it lists has the bytes
 * (and executable bit) recorded, every scaffold exists, and no journal or
 * temporary of an interrupted run is there.  Then `*stats` (optional)
 * holds what sg_write_fileset would report (`unchanged`, `kept`), and the
 * emitters' diagnostics recorded with the key (sg_write_opts.notes) are
 * added to `replay` (at replay->file).  Any doubt (no stamp, a symbolic
 * link on the way, a file unreadable) gives false and nothing else: the
 * caller emits and writes as usual.  Reads only.  Returns SG_OK, or
 * SG_EUSAGE for a NULL argument or a key that is not 64 hex digits.
 */
int sg_write_uptodate(bool *fresh, sg_write_stats *stats, sg_diags *replay, const char *dir,
		      const char *inputs);

#endif
