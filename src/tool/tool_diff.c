/*
 * tool_diff.c - `svcgen diff SPEC [--rev REV] [--format text|json]
 * [--fail-on any|iam-widening|none]`.
 *
 * The spec in the work tree against the same spec at REV (gitrev.h: read
 * from the repository with libgit2, nothing checked out or written), both
 * planned and compared (diff.h).  The text output is for people reviewing a
 * change; the JSON output (README.md, "svcgen diff --format json") for
 * pipelines.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "svcgen/diff.h"
#include "svcgen/gitrev.h"
#include "svcgen/json.h"
#include "svcgen/manifest.h"
#include "svcgen/plan.h"
#include "svcgen/readfile.h"
#include "tool.h"

static const char usage[] =
	"usage: svcgen diff SPEC [--rev REV] [--format text|json] [--fail-on WHEN]\n"
	"\n"
	"Show what the changes to SPEC since git revision REV (default: HEAD) do\n"
	"to the infrastructure and its permissions: the resources added, removed\n"
	"and changed (CloudFormation logical ID and Terraform address) and, per\n"
	"function, each IAM action granted (+) or revoked (-) on each resource.\n"
	"SPEC is read from the work tree and from REV in the repository that\n"
	"contains it; nothing is checked out or written.  A SPEC that did not exist\n"
	"at REV counts as empty there.\n"
	"\n"
	"  --rev REV            any git revision: HEAD~1, main, origin/main, a tag, an id\n"
	"  --format text|json   output format (stdout); diagnostics go to stderr\n"
	"  --fail-on WHEN       when to exit 1: any (default: anything changed),\n"
	"                       iam-widening (a permission was added), none\n"
	"\n"
	"Exit codes: 0 no changes (or none that --fail-on counts); 1 changes found;\n"
	"2 usage or I/O error, or REV names no commit; 3 the spec has errors in the\n"
	"work tree or at REV, so nothing was compared.\n";

typedef enum { FAIL_ANY, FAIL_IAM_WIDENING, FAIL_NONE } fail_on;

/* Parse, validate and plan one version of the spec; `file` names it in
 * diagnostics. */
static int plan_text(sg_plan **plan, sg_arena *arena, sg_diags *diags, const char *file,
		     const char *data, size_t len)
{
	sg_spec *spec = NULL;
	int rc = sg_spec_parse(&spec, arena, diags, file, data, len);
	if (rc == SG_OK)
		rc = sg_spec_validate(spec, diags);
	if (rc == SG_OK)
		rc = sg_plan_build(plan, arena, spec, diags);
	return rc;
}

static void print_json(const sg_diff *d, const sg_gitrev_file *g, const char *spec)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "spec", spec);
	cJSON_AddStringToObject(o, "path", g->path);
	cJSON_AddStringToObject(o, "rev", g->rev);
	if (g->commit)
		cJSON_AddStringToObject(o, "commit", g->commit);
	else
		cJSON_AddNullToObject(o, "commit");
	cJSON_AddBoolToObject(o, "before_exists", g->found);
	cJSON_AddBoolToObject(o, "changed", !sg_diff_empty(d));
	cJSON_AddBoolToObject(o, "iam_widening", d->iam_added > 0);
	sg_diff_add_json(o, d);
	sg_buf b = SG_BUF_INIT;
	sg_json_write(&b, o);
	cJSON_Delete(o);
	fwrite(b.ptr, 1, b.len, stdout);
	sg_buf_free(&b);
}

static void print_text(const sg_diff *d, const sg_gitrev_file *g, const char *spec)
{
	if (g->found)
		printf("%s: %s (%s) -> work tree\n\n", spec, g->rev, g->short_id);
	else if (g->unborn)
		printf("%s: %s has no commits yet; everything is new\n\n", spec, g->rev);
	else
		printf("%s: not in %s (%s); everything is new\n\n", spec, g->rev, g->short_id);
	sg_buf b = SG_BUF_INIT;
	sg_diff_write_text(&b, d);
	fwrite(b.ptr, 1, b.len, stdout);
	sg_buf_free(&b);
}

int tool_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{"rev", required_argument, NULL, 'r'},
		{"format", required_argument, NULL, 'f'},
		{"fail-on", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *rev = "HEAD";
	tool_format format = TOOL_FORMAT_TEXT;
	fail_on fail = FAIL_ANY;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (!*optarg)
				return tool_usage_error("--rev: empty revision");
			rev = optarg;
			break;
		case 'f':
			if (tool_parse_format(&format, optarg) < 0)
				return tool_usage_error("unknown format '%s' (text or json)", optarg);
			break;
		case 'F':
			if (!strcmp(optarg, "any"))
				fail = FAIL_ANY;
			else if (!strcmp(optarg, "iam-widening"))
				fail = FAIL_IAM_WIDENING;
			else if (!strcmp(optarg, "none"))
				fail = FAIL_NONE;
			else
				return tool_usage_error("--fail-on: unknown value '%s' (any, "
							"iam-widening or none)", optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			return TOOL_EXIT_OK;
		default:
			return tool_usage_error("diff: bad option");
		}
	}
	if (argc - optind != 1)
		return tool_usage_error("diff takes exactly one SPEC");
	const char *spec_path = argv[optind];

	sg_arena *arena = sg_arena_new();
	if (!arena)
		return TOOL_EXIT_USAGE;
	sg_diags diags;
	sg_diags_init(&diags, arena, spec_path);
	const char *text = NULL;
	size_t len = 0;
	sg_plan *after = NULL, *before = NULL;
	sg_gitrev_file g;
	sg_diff *d = NULL;

	int rc = sg_read_file(&text, &len, NULL, arena, &diags, spec_path,
					 SG_SPEC_MAX_BYTES);
	if (rc == SG_OK)
		rc = sg_gitrev_read(&g, arena, &diags, spec_path, rev, SG_SPEC_MAX_BYTES);
	if (rc == SG_OK)
		rc = plan_text(&after, arena, &diags, spec_path, text, len);
	if (rc == SG_OK && g.found) {
		/* Diagnostics of the old version point at "SPEC@REV:line:col". */
		const char *name = sg_arena_printf(arena, "%s@%s", spec_path, rev);
		diags.file = name;
		rc = plan_text(&before, arena, &diags, name, g.data, g.len);
		diags.file = spec_path;
	}
	if (rc == SG_OK)
		rc = sg_diff_plans(&d, arena, before, after);
	tool_print_diags(&diags, TOOL_FORMAT_TEXT);
	/* Errors in either version are not "changes found": CI must be able
	 * to tell a broken spec from a change, whatever --fail-on says. */
	int exit_code = rc == SG_EFINDINGS ? TOOL_EXIT_SPEC_ERRORS : tool_exit_code(rc);
	if (rc == SG_OK) {
		if (format == TOOL_FORMAT_JSON)
			print_json(d, &g, spec_path);
		else
			print_text(d, &g, spec_path);
		bool fails = fail == FAIL_ANY ? !sg_diff_empty(d)
			   : fail == FAIL_IAM_WIDENING ? d->iam_added > 0 : false;
		exit_code = fails ? TOOL_EXIT_FINDINGS : TOOL_EXIT_OK;
	}
	sg_arena_free(arena);
	return exit_code;
}
