/*
 * tool_outputs.c - what `generate` and `check` share: their options, and
 * building in memory the file set a generate writes (outputs + manifest).
 * `check` must build exactly what `generate` writes, so both go through here.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "svcgen/emit.h"
#include "svcgen/manifest.h"
#include "svcgen/mustache.h"
#include "svcgen/readfile.h"
#include "svcgen/sha256.h"
#include "svcgen/templates.h"
#include "tool.h"

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

static void print_names(FILE *out, unsigned bits)
{
	static const char *const names[] = {"cfn", "tf", "iam", "handlers", "graph"};
	bool first = true;
	for (unsigned i = 0; i < 5; i++)
		if (bits & (1u << i)) {
			fprintf(out, "%s%s", first ? "" : ", ", names[i]);
			first = false;
		}
}

int tool_parse_output_args(tool_output_args *a, int argc, char **argv, const char *usage,
			   bool writes)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"only", required_argument, NULL, 'O'},
		{"templates", required_argument, NULL, 'T'},
		{"format", required_argument, NULL, 'f'},
		{"force", no_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	memset(a, 0, sizeof(*a));
	a->format = TOOL_FORMAT_TEXT;
	const char *only = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': a->dir = optarg; break;
		case 'O': only = optarg; break;
		case 'T': a->templates_dir = optarg; break;
		case 'F':
			if (!writes)
				return tool_usage_error("%s: --force is for generate (%s writes "
							"nothing)", argv[0], argv[0]);
			a->force = true;
			break;
		case 'f':
			if (tool_parse_format(&a->format, optarg) < 0)
				return tool_usage_error("unknown format '%s' (text or json)", optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			return TOOL_EXIT_OK;
		default:
			return tool_usage_error("%s: bad option", argv[0]);
		}
	}
	if (argc - optind != 1)
		return tool_usage_error("%s takes exactly one SPEC", argv[0]);
	a->spec = argv[optind];
	a->what = sg_emit_available();
	if (!only)
		return -1;
	a->only = true;
	const char *bad;
	size_t bad_len;
	if (sg_emit_parse_only(&a->what, &bad, &bad_len, only) != SG_OK)
		return tool_usage_error("--only: unknown output '%.*s' (cfn, tf, iam, "
					"handlers, graph)", (int)bad_len, bad);
	unsigned unavailable = a->what & ~sg_emit_available();
	if (unavailable) {
		fputs("svcgen: this version cannot generate yet: ", stderr);
		print_names(stderr, unavailable);
		fputs("\n", stderr);
		return TOOL_EXIT_USAGE;
	}
	return -1;
}

int tool_emit_outputs(sg_fileset *fs, const sg_plan *plan, const char *text, size_t len,
		      unsigned what, const char *templates_dir, sg_arena *arena, sg_diags *diags)
{
	/* The template set: the stock templates, overridden by --templates DIR.
	 * Read here, before emitting, so the emitters stay pure. */
	sg_emit_opts emit_opts = {NULL};
	int rc = SG_OK;
	if (templates_dir)
		rc = sg_mustache_set_open(&emit_opts.templates, arena, diags, sg_embedded_templates,
					  templates_dir);
	if (rc == SG_OK)
		rc = sg_emit_run_opts(fs, NULL, plan, what, &emit_opts, diags);
	/* manifest.json: every file above, with hashes, for `svcgen check`. */
	if (rc == SG_OK)
		rc = tool_add_manifest(fs, text, len, what);
	if (rc == SG_OK && diags->errors)
		rc = SG_EFINDINGS;
	if (rc == SG_OK)
		sg_fileset_sort(fs);
	return rc;
}
