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
#include <sys/stat.h>

#include "svcgen/arena.h"
#include "svcgen/diag.h"
#include "svcgen/error.h"

/*
 * Read the whole file `path` into the arena (NUL-terminated).  A file over
 * `max` bytes is an error.  With `missing` not NULL, a file that does not
 * exist sets `*missing` and returns SG_OK with `*data` NULL; otherwise it
 * is an error like any other.  Only a regular file (or a symbolic link to
 * one) is read: a FIFO, socket, device or directory is refused at once,
 * never waited on ("cannot read 'x': it is a FIFO, not a regular file").
 * Errors go to `diags` (code "io", position 0:0) and return SG_EIO.
 */
int sg_read_file(const char **data, size_t *len, bool *missing, sg_arena *arena,
		 sg_diags *diags, const char *path, size_t max);

/*
 * Open `path` for reading without blocking (O_NONBLOCK: opening a FIFO
 * never waits for a writer) and refuse anything but a regular file, as
 * sg_read_file does.  On SG_OK `*fd` is the open descriptor (the caller
 * closes it) and `*st` its fstat, or, with `missing` not NULL and no such
 * file, `*fd` is -1 and `*missing` true.  Errors as sg_read_file's.
 */
int sg_open_regular(int *fd, struct stat *st, bool *missing, sg_diags *diags,
		    const char *path);

/* "a regular file", "a directory", "a FIFO", "a socket", ... for the
 * S_IFMT bits of `mode` (st_mode), for diagnostics. */
const char *sg_file_type_name(unsigned mode);

#endif
