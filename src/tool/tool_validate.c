/*
 * tool_validate.c - `svcgen validate SPEC [--format text|json]`.
 */
#include <getopt.h>
#include <stdio.h>

#include "tool.h"

static const char usage[] =
	"usage: svcgen validate SPEC [--format text|json]\n"
	"\n"
	"Check SPEC against every rule of the spec language, and the service it\n"
	"describes against the quotas and names the plan checks, and report all\n"
	"problems at once, as file:line:column diagnostics.  Exit 0 when the\n"
	"spec is valid (warnings allowed), 1 when it has errors, 2 on I/O errors.\n";

int tool_validate(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	tool_format format = TOOL_FORMAT_TEXT;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (tool_parse_format(&format, optarg) < 0)
				return tool_usage_error("unknown format '%s' (text or json)", optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			return TOOL_EXIT_OK;
		default:
			return tool_usage_error("validate: bad option");
		}
	}
	if (argc - optind != 1)
		return tool_usage_error("validate takes exactly one SPEC");

	sg_arena *arena = sg_arena_new();
	if (!arena)
		return TOOL_EXIT_USAGE;
	sg_diags diags;
	sg_diags_init(&diags, arena, argv[optind]);
	sg_spec *spec = NULL;
	int rc = tool_load_spec(&spec, arena, &diags, argv[optind]);
	/* What only the plan sees (CloudFormation's and IAM's quotas, name
	 * collisions) is a problem of the spec too: a spec that validates
	 * generates. */
	sg_plan *plan = NULL;
	if (rc == SG_OK)
		rc = sg_plan_build(&plan, arena, spec, &diags);
	tool_print_diags(&diags, format);
	sg_arena_free(arena);
	return tool_exit_code(rc);
}
