/*
 * out.h - the one module that writes to the disk.
 *
 * Writes are atomic: bytes go to a temporary file in the target directory,
 * are flushed, then renamed over the target, so a reader (or a crash) never
 * sees half a file.  Paths are checked to stay inside the output directory.
 */
#ifndef SVCGEN_OUT_H
#define SVCGEN_OUT_H

#include <stdbool.h>
#include <stddef.h>

#include "svcgen/diag.h"

/* Flags for sg_out_write_file. */
enum {
	SG_OUT_NO_OVERWRITE = 1 << 0, /* leave an existing file alone */
	SG_OUT_EXECUTABLE = 1 << 1,   /* mode 0755 instead of 0644 */
};

/*
 * Write `len` bytes of `data` to `path` atomically, creating missing parent
 * directories (mode 0755).  With SG_OUT_NO_OVERWRITE an existing file is
 * kept and `*written` (when not NULL) is set false.  Errors go to `diags`
 * with code "io" and return SG_EIO; SG_OK otherwise.
 */
int sg_out_write_file(bool *written, sg_diags *diags, const char *path, const void *data,
		      size_t len, int flags);

/* Create `dir` and its missing parents (mode 0755).  SG_OK or SG_EIO. */
int sg_out_mkdirs(sg_diags *diags, const char *dir);

#endif
