/*
 * tool_check.c - `svcgen check SPEC [-o DIR] [--only LIST] [--format text|json]`.
 *
 * Builds in memory the file set `generate` would write, manifest included,
 * and compares it with DIR (sg_manifest_check).  Writes nothing.  Also
 * home of the two helpers `generate` shares with it: reading a spec once,
 * bytes and model, and adding the manifest.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "svcgen/emit.h"
#include "svcgen/json.h"
#include "svcgen/manifest.h"
#include "svcgen/mustache.h"
#include "svcgen/plan.h"
#include "svcgen/sha256.h"
#include "svcgen/templates.h"
#include "svcgen/readfile.h"
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

int tool_load_spec_text(sg_spec **spec, const char **data, size_t *len, sg_arena *arena,
			sg_diags *diags, const char *path)
{
	*spec = NULL;
	int rc = sg_read_file(data, len, NULL, arena, diags, path, SG_SPEC_MAX_BYTES);
	if (rc != SG_OK)
		return rc;
	rc = sg_spec_parse(spec, arena, diags, path, *data, *len);
	if (rc != SG_OK)
		return rc;
	return sg_spec_validate(*spec, diags);
}

int tool_add_manifest(sg_fileset *fs, const char *data, size_t len, unsigned what)
{
	char hex[SG_SHA256_HEX_SIZE];
	sg_sha256_hex(hex, data, len);
	return sg_manifest_add(fs, hex, what);
}

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
		printf("; then delete the orphaned files");
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
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"only", required_argument, NULL, 'O'},
		{"templates", required_argument, NULL, 'T'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *dir = NULL, *only = NULL, *templates_dir = NULL;
	tool_format format = TOOL_FORMAT_TEXT;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': dir = optarg; break;
		case 'O': only = optarg; break;
		case 'T': templates_dir = optarg; break;
		case 'f':
			if (tool_parse_format(&format, optarg) < 0)
				return tool_usage_error("unknown format '%s' (text or json)", optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			return TOOL_EXIT_OK;
		default:
			return tool_usage_error("check: bad option");
		}
	}
	if (argc - optind != 1)
		return tool_usage_error("check takes exactly one SPEC");
	const char *spec_path = argv[optind];
	unsigned what = 0;
	if (only) {
		const char *bad;
		size_t bad_len;
		if (sg_emit_parse_only(&what, &bad, &bad_len, only) != SG_OK)
			return tool_usage_error("--only: unknown output '%.*s' (cfn, tf, iam, "
						"handlers, graph)", (int)bad_len, bad);
		if (what & ~sg_emit_available())
			return tool_usage_error("--only: this version cannot generate all of '%s'",
						only);
	}

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
		/* Expect what the last generate chose (its --only), unless told. */
		if (!only)
			what = old && old->outputs_known ? old->outputs & sg_emit_available()
							 : sg_emit_available();
		/* The same templates as generate, or handler files differ. */
		sg_emit_opts emit_opts = {NULL};
		if (templates_dir)
			rc = sg_mustache_set_open(&emit_opts.templates, arena, &diags,
						  sg_embedded_templates, templates_dir);
		if (rc == SG_OK)
			rc = sg_emit_run_opts(&fs, NULL, plan, what, &emit_opts, &diags);
	}
	if (rc == SG_OK)
		rc = tool_add_manifest(&fs, text, text_len, what);
	if (rc == SG_OK) {
		sg_fileset_sort(&fs);
		rc = sg_manifest_check(&report, arena, &diags, &fs, dir, old);
	}
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
		if (format == TOOL_FORMAT_JSON)
			print_json(&report, spec_path, dir);
		else
			print_text(&report, spec_path, dir);
		exit_code = report.count ? TOOL_EXIT_FINDINGS : TOOL_EXIT_OK;
	}
	sg_arena_free(arena);
	return exit_code;
}
