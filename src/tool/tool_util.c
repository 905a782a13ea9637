/*
 * tool_util.c - what every command shares: diagnostics out, exit codes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

int tool_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("svcgen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\nTry 'svcgen --help'.\n", stderr);
	va_end(ap);
	return TOOL_EXIT_USAGE;
}

int tool_parse_format(tool_format *out, const char *s)
{
	if (!strcmp(s, "text"))
		*out = TOOL_FORMAT_TEXT;
	else if (!strcmp(s, "json"))
		*out = TOOL_FORMAT_JSON;
	else
		return -1;
	return 0;
}

void tool_print_diags(sg_diags *diags, tool_format format)
{
	sg_diags_sort(diags);
	if (format == TOOL_FORMAT_JSON) {
		sg_buf b = SG_BUF_INIT;
		sg_diags_write_json(diags, &b);
		fwrite(b.ptr, 1, b.len, stdout);
		sg_buf_free(&b);
		return;
	}
	sg_diags_print_text(diags, stderr);
}

int tool_load_spec(sg_spec **spec, sg_arena *arena, sg_diags *diags, const char *path)
{
	int rc = sg_spec_load(spec, arena, diags, path);
	if (rc != SG_OK)
		return rc;
	return sg_spec_validate(*spec, diags);
}

int tool_exit_code(int rc)
{
	switch (rc) {
	case SG_OK: return TOOL_EXIT_OK;
	case SG_EFINDINGS: return TOOL_EXIT_FINDINGS;
	default: return TOOL_EXIT_USAGE;
	}
}
