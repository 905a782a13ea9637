/*
 * readfile.h - reading a whole file into an arena, bounded.
 *
 * The one file reader of the library: specs, manifests and the files
 * `check` compares all come through it, so every read has the same bound,
 * the same handling of pipes and directories, and the same messages.
 */
#ifndef SVCGEN_READFILE_H
#define SVCGEN_READFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "svcgen/arena.h"
#include "svcgen/diag.h"
#include "svcgen/error.h"

/*
 * Read the whole file `path` into the arena (NUL-terminated).  A file over
 * `max` bytes is an error.  With `missing` not NULL, a file that does not
 * exist sets `*missing` and returns SG_OK with `*data` NULL; otherwise it
 * is an error like any other.  Errors go to `diags` (code "io") and return SG_EIO.  Pipes are read to EOF.
 */
int sg_read_file(const char **data, size_t *len, bool *missing, sg_arena *arena,
			  sg_diags *diags, const char *path, size_t max);

#endif
