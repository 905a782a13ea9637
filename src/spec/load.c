/*
 * load.c - reading a spec file from disk (sg_spec_load, see spec.h).
 */
#include "svcgen/readfile.h"
#include "svcgen/spec.h"

int sg_spec_load(sg_spec **out, sg_arena *arena, sg_diags *diags, const char *path)
{
	*out = NULL;
	const char *data;
	size_t len;
	if (sg_read_file(&data, &len, NULL, arena, diags, path, SG_SPEC_MAX_BYTES) != SG_OK)
		return SG_EIO;
	return sg_spec_parse(out, arena, diags, path, data, len);
}
