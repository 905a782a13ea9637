/*
 * buildid.h - the running executable's GNU build ID.
 *
 * The linker's --build-id note (ELF note "GNU", type NT_GNU_BUILD_ID) is a
 * hash of the linked image: two binaries with the same ID have the same
 * code and the same embedded templates.  svcgen keys its regenerate fast
 * path on it (emit.h, sg_emit_inputs), so a rebuilt svcgen never trusts
 * what an older build recorded.  See the ELF gABI, "Note Section", and
 * ld(1), --build-id.
 */
#ifndef SVCGEN_BUILDID_H
#define SVCGEN_BUILDID_H

#include <stddef.h>

/*
 * Point `*id` at the main executable's build ID (`*len` bytes, typically
 * 20; static storage: the loaded image, valid for the process's life).
 * Returns SG_OK, or SG_EUSAGE when the executable has no such note (then
 * `*id` is NULL and `*len` 0): callers must then not rely on one.
 */
int sg_build_id(const unsigned char **id, size_t *len);

#endif
