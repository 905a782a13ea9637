/*
 * tool_generate.c - `svcgen generate SPEC [-o DIR] [--only LIST] [--templates DIR]`.
 *
 * Everything is produced in memory first; nothing is written unless the
 * whole run succeeded, so a spec with an error never leaves half an output.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "svcgen/emit.h"
#include "svcgen/fileset.h"
#include "svcgen/mustache.h"
#include "svcgen/plan.h"
#include "svcgen/templates.h"
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

static void print_only_names(FILE *out, unsigned bits)
{
	static const char *const names[] = {"cfn", "tf", "iam", "handlers", "graph"};
	bool first = true;
	for (unsigned i = 0; i < 5; i++)
		if (bits & (1u << i)) {
			fprintf(out, "%s%s", first ? "" : ", ", names[i]);
			first = false;
		}
}

int tool_generate(int argc, char **argv)
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
			return tool_usage_error("generate: bad option");
		}
	}
	if (argc - optind != 1)
		return tool_usage_error("generate takes exactly one SPEC");

	unsigned what = sg_emit_available();
	if (only) {
		const char *bad;
		size_t bad_len;
		if (sg_emit_parse_only(&what, &bad, &bad_len, only) != SG_OK)
			return tool_usage_error("--only: unknown output '%.*s' (cfn, tf, iam, "
						"handlers, graph)", (int)bad_len, bad);
	}
	unsigned unavailable = what & ~sg_emit_available();
	if (only && unavailable) {
		fputs("svcgen: this version cannot generate yet: ", stderr);
		print_only_names(stderr, unavailable);
		fputs("\n", stderr);
		return TOOL_EXIT_USAGE;
	}

	sg_arena *arena = sg_arena_new();
	if (!arena)
		return TOOL_EXIT_USAGE;
	sg_diags diags;
	sg_diags_init(&diags, arena, argv[optind]);
	sg_spec *spec = NULL;
	sg_plan *plan = NULL;
	sg_fileset fs;
	sg_fileset_init(&fs, arena);
	const char *text = NULL;
	size_t text_len = 0;
	int rc = tool_load_spec_text(&spec, &text, &text_len, arena, &diags, argv[optind]);
	if (rc == SG_OK)
		rc = sg_plan_build(&plan, arena, spec, &diags);
	/* The template set: the stock templates, overridden by --templates DIR.
	 * Read here, before emitting, so the emitters stay pure. */
	sg_emit_opts emit_opts = {NULL};
	if (rc == SG_OK && templates_dir)
		rc = sg_mustache_set_open(&emit_opts.templates, arena, &diags, sg_embedded_templates,
					  templates_dir);
	if (rc == SG_OK)
		rc = sg_emit_run_opts(&fs, NULL, plan, what & sg_emit_available(), &emit_opts,
				      &diags);
	/* manifest.json: every file above, with hashes, for `svcgen check`. */
	if (rc == SG_OK)
		rc = tool_add_manifest(&fs, text, text_len, what & sg_emit_available());
	if (rc == SG_OK && diags.errors)
		rc = SG_EFINDINGS;

	size_t written = 0, kept = 0;
	if (rc == SG_OK) {
		if (!dir)
			dir = sg_arena_printf(arena, "out/%s", plan->service);
		sg_fileset_sort(&fs);
		rc = sg_fileset_write(&written, &kept, &fs, dir, &diags);
	}
	tool_print_diags(&diags, format);
	if (rc == SG_OK && format == TOOL_FORMAT_TEXT) {
		printf("%s: %zu files written to %s", argv[optind], written, dir);
		if (kept)
			printf(", %zu existing scaffolds kept", kept);
		printf("\n");
	}
	sg_arena_free(arena);
	return tool_exit_code(rc);
}
