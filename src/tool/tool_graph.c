/*
 * tool_graph.c - `svcgen graph SPEC [--format dot|mermaid]`: the service
 * as a diagram on stdout (graph.h).  `svcgen graph spec.yaml | dot -Tsvg`
 * draws it.
 */
#include <getopt.h>
#include <stdio.h>

#include "svcgen/graph.h"
#include "svcgen/plan.h"
#include "tool.h"

static const char usage[] =
	"usage: svcgen graph SPEC [--format dot|mermaid]\n"
	"\n"
	"Print the service SPEC describes as a diagram: the API's routes and their\n"
	"auth, functions, tables and indexes, topics, streams, the Cognito user pool\n"
	"and alarms; function-to-data edges name the actions the function's IAM\n"
	"policy grants.  DOT (the default) is for Graphviz: 'svcgen graph SPEC |\n"
	"dot -Tsvg > service.svg'; Mermaid renders on GitHub and GitLab ('generate'\n"
	"writes it to diagram.mmd).\n"
	"\n"
	"  --format dot|mermaid   diagram language (default: dot)\n";

int tool_graph(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	sg_graph_format format = SG_GRAPH_DOT;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (sg_graph_parse_format(&format, optarg) != SG_OK)
				return tool_usage_error("unknown format '%s' (dot or mermaid)", optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			return TOOL_EXIT_OK;
		default:
			return tool_usage_error("graph: bad option");
		}
	}
	if (argc - optind != 1)
		return tool_usage_error("graph takes exactly one SPEC");

	sg_arena *arena = sg_arena_new();
	if (!arena)
		return TOOL_EXIT_USAGE;
	sg_diags diags;
	sg_diags_init(&diags, arena, argv[optind]);
	sg_spec *spec = NULL;
	sg_plan *plan = NULL;
	int rc = tool_load_spec(&spec, arena, &diags, argv[optind]);
	if (rc == SG_OK)
		rc = sg_plan_build(&plan, arena, spec, &diags);
	tool_print_diags(&diags, TOOL_FORMAT_TEXT);
	if (rc == SG_OK) {
		sg_buf b = SG_BUF_INIT;
		rc = sg_graph_render(&b, plan, format);
		if (rc == SG_OK)
			fwrite(b.ptr, 1, b.len, stdout);
		sg_buf_free(&b);
	}
	sg_arena_free(arena);
	return tool_exit_code(rc);
}
