/*
 * fileset.h - the output of a run, in memory.
 *
 * Emitters are pure: they add files to a sg_fileset and never touch the disk.
 * The write module (write.h, sg_write_fileset) is the only code that puts a
 * file set on the disk; `check` and `diff` compare file sets without
 * writing.
 *
 * Adding and looking up a path take constant time on average (a hash index
 * beside the array), so a service of thousands of files costs what its
 * bytes cost.
 *
 * Paths are relative to the output directory, '/'-separated, with no "..",
 * no leading '/', and no empty segments (sg_fileset_add refuses others).
 */
#ifndef SVCGEN_FILESET_H
#define SVCGEN_FILESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	const char *sha256; /* the bytes' SHA-256 in hex when already known (the
	                       emitters' threads hash what they made), or NULL;
	                       reset whenever the bytes are set */
} sg_file;

typedef struct sg_fileset {
	sg_arena *arena;
	sg_file *files;     /* files[0..count), in the order added (or sorted) */
	size_t count, cap;
	uint32_t *index;    /* open addressing: 1 + position in files, 0 = empty */
	size_t index_cap;   /* slots, a power of two, at least twice count */
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

/* The file at `path`, or NULL.  The pointer is valid until the next add. */
const sg_file *sg_fileset_get(const sg_fileset *fs, const char *path);

/* Sort by path (byte order) so listings and manifests are deterministic.
 * Lookups keep working (the index is rebuilt). */
void sg_fileset_sort(sg_fileset *fs);

#endif
