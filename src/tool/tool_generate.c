/*
 * tool_generate.c - `svcgen generate SPEC [-o DIR] [--only LIST] [--templates DIR]
 * [--force]`.
 *
 * Everything is produced in memory first; nothing is written unless the
 * whole run succeeded, so a spec with an error never leaves half an output.
 * Then the write module (write.h) checks every destination before it
 * writes the first byte, writes only what changed, and manifest.json last.
 */
#include <stdio.h>
#include <string.h>

#include "svcgen/emit.h"
#include "svcgen/fileset.h"
#include "svcgen/plan.h"
#include "svcgen/write.h"
#include "tool.h"

static const char usage[] =
	"usage: svcgen generate SPEC [-o DIR] [--only LIST] [--templates DIR] [--force]\n"
	"\n"
	"Generate the service described by SPEC into DIR (default: out/<service>).\n"
	"Files whose bytes are already there are left alone (their mtime too);\n"
	"scaffolds that exist are never overwritten; files an earlier generate\n"
	"wrote that the spec no longer makes are removed.  svcgen writes only over\n"
	"files DIR's manifest.json lists; every other file in DIR is left alone.\n"
	"\n"
	"  -o, --output DIR     output directory\n"
	"  --only LIST          comma-separated subset of: cfn, tf, iam, handlers, graph\n"
	"  --templates DIR      Mustache templates overriding the stock ones by name\n"
	"  --force              overwrite files in DIR that the manifest does not\n"
	"                       list (or all, without one) at the paths svcgen writes\n"
	"  --format text|json   diagnostics format\n";

int tool_generate(int argc, char **argv)
{
	tool_output_args args;
	int stop = tool_parse_output_args(&args, argc, argv, usage, true);
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

	/* The spec has been checked and planned (its diagnostics are the
	 * same either way); when DIR already holds what these inputs make,
	 * there is nothing to emit.  Not with --templates: the directory is
	 * an input the key does not cover. */
	sg_write_stats st = {0};
	const char *dir = args.dir;
	char inputs[SG_SHA256_HEX_SIZE] = "";
	bool fresh = false;
	if (rc == SG_OK) {
		if (!dir)
			dir = sg_arena_printf(arena, "out/%s", plan->service);
		if (!args.templates_dir &&
		    sg_emit_inputs(inputs, text, text_len, args.what) == SG_OK)
			sg_write_uptodate(&fresh, &st, &diags, dir, inputs);
	}
	size_t before = diags.count;
	if (rc == SG_OK && !fresh)
		rc = tool_emit_outputs(&fs, plan, text, text_len, args.what, args.templates_dir,
				       arena, &diags);
	if (rc == SG_OK && !fresh) {
		/* The emitters' notes go with the key (copied: the writer's own
		 * diagnostics may move the list). */
		size_t n = diags.count - before;
		sg_diag *notes = sg_arena_calloc(arena, n + 1, sizeof(*notes));
		if (n)
			memcpy(notes, diags.items + before, n * sizeof(*notes));
		bool replayable = !diags.dropped; /* every note about the spec itself */
		for (size_t i = 0; i < n; i++)
			if (strcmp(notes[i].file, diags.file))
				replayable = false;
		sg_write_opts opts = {.force = args.force,
				      .inputs = *inputs && replayable ? inputs : NULL,
				      .notes = notes,
				      .nnotes = n};
		rc = sg_write_fileset(&st, &fs, dir, &opts, &diags);
	}
	tool_print_diags(&diags, args.format);
	if (rc == SG_OK && args.format == TOOL_FORMAT_TEXT) {
		printf("%s: %zu files written to %s", args.spec, st.written, dir);
		if (st.unchanged)
			printf(", %zu unchanged", st.unchanged);
		if (st.kept)
			printf(", %zu existing scaffolds kept", st.kept);
		if (st.removed)
			printf(", %zu no longer generated removed", st.removed);
		if (st.debris)
			printf(", %zu leftovers of an interrupted run removed", st.debris);
		printf("\n");
	}
	sg_arena_free(arena);
	return tool_exit_code(rc);
}
