/*
 * tool_generate.c - `svcgen generate SPEC [-o DIR] [--only LIST] [--templates DIR]`.
 *
 * Everything is produced in memory first; nothing is written unless the
 * whole run succeeded, so a spec with an error never leaves half an output.
 */
#include <stdio.h>

#include "svcgen/fileset.h"
#include "svcgen/plan.h"
#include "tool.h"

static const char usage[] =
	"usage: svcgen generate SPEC [-o DIR] [--only LIST] [--templates DIR]\n"
	"\n"
	"Generate the service described by SPEC into DIR (default: out/<service>).\n"
	"\n"
	"  -o, --output DIR     output directory\n"
	"  --only LIST          comma-separated subset of: cfn, tf, iam, handlers, graph\n"
	"  --templates DIR      Mustache templates overriding the stock ones by name\n"
	"  --format text|json   diagnostics format\n";

int tool_generate(int argc, char **argv)
{
	tool_output_args args;
	int stop = tool_parse_output_args(&args, argc, argv, usage);
	if (stop >= 0)
		return stop;

	sg_arena *arena = sg_arena_new();
	if (!arena)
		return TOOL_EXIT_USAGE;
	sg_diags diags;
	sg_diags_init(&diags, arena, args.spec);
	sg_spec *spec = NULL;
	sg_plan *plan = NULL;
	sg_fileset fs;
	sg_fileset_init(&fs, arena);
	const char *text = NULL;
	size_t text_len = 0;
	int rc = tool_load_spec_text(&spec, &text, &text_len, arena, &diags, args.spec);
	if (rc == SG_OK)
		rc = sg_plan_build(&plan, arena, spec, &diags);
	if (rc == SG_OK)
		rc = tool_emit_outputs(&fs, plan, text, text_len, args.what, args.templates_dir,
				       arena, &diags);

	size_t written = 0, kept = 0;
	const char *dir = args.dir;
	if (rc == SG_OK) {
		if (!dir)
			dir = sg_arena_printf(arena, "out/%s", plan->service);
		rc = sg_fileset_write(&written, &kept, &fs, dir, &diags);
	}
	tool_print_diags(&diags, args.format);
	if (rc == SG_OK && args.format == TOOL_FORMAT_TEXT) {
		printf("%s: %zu files written to %s", args.spec, written, dir);
		if (kept)
			printf(", %zu existing scaffolds kept", kept);
		printf("\n");
	}
	sg_arena_free(arena);
	return tool_exit_code(rc);
}
