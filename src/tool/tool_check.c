/*
 * tool_check.c - `svcgen check SPEC [-o DIR] [--only LIST] [--format text|json]`.
 *
 * Builds in memory the file set `generate` would write, manifest included,
 * (tool_outputs.c, shared with generate) and compares it with DIR
 * (sg_manifest_check).  Writes nothing.
 */
#include <stdio.h>

#include <cjson/cJSON.h>

#include "svcgen/emit.h"
#include "svcgen/json.h"
#include "svcgen/manifest.h"
#include "svcgen/plan.h"
#include "tool.h"

static const char usage[] =
	"usage: svcgen check SPEC [-o DIR] [--only LIST] [--templates DIR] [--format text|json]\n"
	"\n"
	"Tell whether DIR (default: out/<service>) is exactly what 'svcgen generate\n"
	"SPEC' writes: generated files byte for byte, scaffolds present.  Reports\n"
	"each file that is stale (the spec changed), missing, hand-edited (it\n"
	"differs from the hash DIR's manifest.json recorded) or orphaned (no longer\n"
	"generated).  Writes nothing.  Exit 0 when DIR is up to date, 1 when it is\n"
	"not (or SPEC has errors), 2 on usage or I/O errors.\n"
	"\n"
	"  -o, --output DIR     the directory to check\n"
	"  --only LIST          the outputs to expect (default: those DIR's manifest\n"
	"                       names, else all): cfn, tf, iam, handlers, graph\n"
	"  --templates DIR      the templates generate was given (--templates)\n"
	"  --format text|json   report format (stdout); diagnostics go to stderr\n";

static void print_text(const sg_check_report *r, const char *spec, const char *dir)
{
	if (!r->count) {
		printf("%s: up to date with %s (%zu files)\n", dir, spec, r->checked);
		return;
	}
	printf("%s: not up to date with %s: %zu stale, %zu missing, %zu hand-edited, "
	       "%zu orphaned\n", dir, spec, r->counts[SG_CHECK_STALE], r->counts[SG_CHECK_MISSING],
	       r->counts[SG_CHECK_HAND_EDITED], r->counts[SG_CHECK_ORPHANED]);
	for (size_t i = 0; i < r->count; i++)
		printf("  %-12s %s\n", sg_check_status_name(r->items[i].status), r->items[i].path);
	printf("to update: svcgen generate %s -o %s", spec, dir);
	if (r->counts[SG_CHECK_HAND_EDITED])
		printf(" (overwrites the hand-edited files: move those changes into the spec)");
	if (r->counts[SG_CHECK_ORPHANED])
		printf("; it removes the orphaned files svcgen wrote (keeping any edited since)");
	printf("\n");
}

static void print_json(const sg_check_report *r, const char *spec, const char *dir)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "spec", spec);
	cJSON_AddStringToObject(o, "dir", dir);
	cJSON_AddBoolToObject(o, "up_to_date", r->count == 0);
	cJSON_AddNumberToObject(o, "files_checked", (double)r->checked);
	cJSON *counts = cJSON_AddObjectToObject(o, "counts");
	for (int s = 0; s < SG_CHECK_STATUS_COUNT; s++)
		cJSON_AddNumberToObject(counts, sg_check_status_name((sg_check_status)s),
					(double)r->counts[s]);
	cJSON *items = cJSON_AddArrayToObject(o, "problems");
	for (size_t i = 0; i < r->count; i++) {
		cJSON *it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "path", r->items[i].path);
		cJSON_AddStringToObject(it, "status", sg_check_status_name(r->items[i].status));
		cJSON_AddStringToObject(it, "kind",
					r->items[i].kind == SG_FILE_SCAFFOLD ? "scaffold" : "generated");
		cJSON_AddItemToArray(items, it);
	}
	sg_buf b = SG_BUF_INIT;
	sg_json_write(&b, o);
	cJSON_Delete(o);
	fwrite(b.ptr, 1, b.len, stdout);
	sg_buf_free(&b);
}

int tool_check(int argc, char **argv)
{
	tool_output_args args;
	int stop = tool_parse_output_args(&args, argc, argv, usage, false);
	if (stop >= 0)
		return stop;
	const char *spec_path = args.spec, *dir = args.dir;
	unsigned what = args.what;

	sg_arena *arena = sg_arena_new();
	if (!arena)
		return TOOL_EXIT_USAGE;
	sg_diags diags;
	sg_diags_init(&diags, arena, spec_path);
	sg_spec *spec = NULL;
	sg_plan *plan = NULL;
	const char *text = NULL;
	size_t text_len = 0;
	sg_manifest *old = NULL;
	sg_check_report report;
	sg_fileset fs;
	sg_fileset_init(&fs, arena);
	int rc = tool_load_spec_text(&spec, &text, &text_len, arena, &diags, spec_path);
	if (rc == SG_OK)
		rc = sg_plan_build(&plan, arena, spec, &diags);
	if (rc == SG_OK) {
		if (!dir)
			dir = sg_arena_printf(arena, "out/%s", plan->service);
		rc = sg_manifest_load(&old, arena, &diags, dir);
	}
	if (rc == SG_OK) {
		/* Expect what the last generate chose (its --only), unless told.
		 * The same templates as generate, or handler files differ. */
		if (!args.only)
			what = old && old->outputs_known ? old->outputs & sg_emit_available()
							 : sg_emit_available();
		rc = tool_emit_outputs(&fs, plan, text, text_len, what, args.templates_dir, arena,
				       &diags);
	}
	if (rc == SG_OK)
		rc = sg_manifest_check(&report, arena, &diags, &fs, dir, old);
	/* Notes (the template's size) were said by generate; check is a
	 * pipeline step and speaks only of problems. */
	size_t kept = 0;
	for (size_t i = 0; i < diags.count; i++)
		if (diags.items[i].severity != SG_SEV_NOTE)
			diags.items[kept++] = diags.items[i];
	diags.count = kept;
	/* Diagnostics to stderr in either format: stdout holds the report. */
	tool_print_diags(&diags, TOOL_FORMAT_TEXT);
	int exit_code = tool_exit_code(rc);
	if (rc == SG_OK) {
		if (args.format == TOOL_FORMAT_JSON)
			print_json(&report, spec_path, dir);
		else
			print_text(&report, spec_path, dir);
		exit_code = report.count ? TOOL_EXIT_FINDINGS : TOOL_EXIT_OK;
	}
	sg_arena_free(arena);
	return exit_code;
}
