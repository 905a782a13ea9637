/*
 * tool_main.c - svcgen's entry point: global options and command dispatch.
 *
 * Compiled twice (Makefile): as the thin CLI, build/svcgen, which links
 * only libyaml and libcjson and hands `diff` and `local` over to
 * svcgen-full (tool_exec.c); and with -DSG_TOOL_FULL as svcgen-full, which
 * runs every command itself.  Both list every command in --help.
 */
#include <stdio.h>
#include <string.h>

#include "tool.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* The commands whose libraries (libgit2; libcurl, libmicrohttpd,
 * librhonabwy, gnutls) only svcgen-full links: NULL in the thin CLI, which
 * runs svcgen-full for them. */
#ifdef SG_TOOL_FULL
#define FULL_ONLY(fn) fn
#else
#define FULL_ONLY(fn) NULL
#endif

static const struct command commands[] = {
	{"generate", tool_generate, "write CloudFormation, Terraform and IAM policies for a spec"},
	{"validate", tool_validate, "check a spec and report every problem"},
	{"init", tool_init, "write a starter spec that validates"},
	{"check", tool_check, "tell whether an output directory is up to date with its spec"},
	{"diff", FULL_ONLY(tool_diff), "resource and IAM changes of a spec since a git revision"},
	{"graph", tool_graph, "draw the service as a DOT or Mermaid diagram"},
	{"local", FULL_ONLY(tool_local), "run the service on this machine, each function under its own policy"},
};

static void print_help(FILE *out)
{
	fputs("usage: svcgen COMMAND [OPTIONS] ...\n"
	      "\n"
	      "svcgen turns one YAML service spec into a serverless service on AWS.\n"
	      "\n"
	      "commands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "options:\n"
	      "  -h, --help     this help; 'svcgen COMMAND --help' for a command's\n"
	      "  -V, --version  print the version\n"
	      "\n"
	      "exit codes: 0 ok; 1 findings (errors in the spec, stale output, changes);\n"
	      "2 usage or I/O error.\n", out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stderr);
		return TOOL_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		print_help(stdout);
		return TOOL_EXIT_OK;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("svcgen %s (spec format %d)\n", SVCGEN_VERSION, SG_SPEC_VERSION);
		return TOOL_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].run ? commands[i].run(argc - 1, argv + 1)
					       : tool_exec_full(argc, argv);
	return tool_usage_error("unknown command '%s'", cmd);
}
