/*
 * tool_local.c - `svcgen local SPEC [-o DIR] [--port N] [--host ADDR]
 * [--aws-endpoint URL] [--iam enforce|soft] [--no-build] [--templates DIR] [--force]`.
 *
 * Generates into DIR exactly what `generate` writes (the same in-memory
 * build, tool_outputs.c), then hands over to sg_local_run until SIGINT or
 * SIGTERM.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svcgen/emit.h"
#include "svcgen/local.h"
#include "svcgen/write.h"
#include "tool.h"

static const char usage[] =
	"usage: svcgen local SPEC [-o DIR] [--port N] [--host ADDR] [--aws-endpoint URL]\n"
	"                         [--iam enforce|soft] [--no-build] [--templates DIR] [--force]\n"
	"\n"
	"Generate SPEC into DIR (default: out/<service>), build its handlers for this\n"
	"machine and run the whole service here: the API on http://ADDR:PORT, one\n"
	"warm process per function under its own credentials, every AWS call checked\n"
	"against the function's policy, tables, topics and the user pool on a local\n"
	"AWS endpoint (moto server).  DIR/local.json says where everything is.\n"
	"Stops on SIGINT or SIGTERM.\n"
	"\n"
	"  -o, --output DIR      output directory\n"
	"  --port N              port of the API (default 3000; 0: any free port)\n"
	"  --host ADDR           address of the API (default 127.0.0.1)\n"
	"  --aws-endpoint URL    use this AWS endpoint instead of starting moto\n"
	"  --iam enforce|soft    deny what the policy does not grant (default), or\n"
	"                        log it, let it through and report on stop\n"
	"  --no-build            do not run make (handlers/build/local is built)\n"
	"  --templates DIR       Mustache templates overriding the stock ones\n"
	"  --force               generate into DIR as `generate --force` does\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

int tool_local(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"port", required_argument, NULL, 'p'},
		{"host", required_argument, NULL, 'H'},
		{"aws-endpoint", required_argument, NULL, 'e'},
		{"iam", required_argument, NULL, 'i'},
		{"no-build", no_argument, NULL, 'n'},
		{"templates", required_argument, NULL, 'T'},
		{"force", no_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	sg_local_opts lo;
	memset(&lo, 0, sizeof(lo));
	lo.host = "127.0.0.1";
	lo.port = 3000;
	lo.iam = SG_LOCAL_IAM_ENFORCE;
	const char *templates = NULL;
	bool force = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': lo.dir = optarg; break;
		case 'p': {
			char *end;
			long p = strtol(optarg, &end, 10);
			if (*end || p < 0 || p > 65535)
				return tool_usage_error("--port: '%s' is not a port (0..65535)", optarg);
			lo.port = (unsigned)p;
			break;
		}
		case 'H': lo.host = optarg; break;
		case 'e':
			if (strncmp(optarg, "http://", 7) && strncmp(optarg, "https://", 8))
				return tool_usage_error("--aws-endpoint: '%s' is not an http(s) URL", optarg);
			lo.aws_endpoint = optarg;
			break;
		case 'i':
			if (!strcmp(optarg, "enforce"))
				lo.iam = SG_LOCAL_IAM_ENFORCE;
			else if (!strcmp(optarg, "soft"))
				lo.iam = SG_LOCAL_IAM_SOFT;
			else
				return tool_usage_error("--iam: '%s' (enforce or soft)", optarg);
			break;
		case 'n': lo.no_build = true; break;
		case 'T': templates = optarg; break;
		case 'F': force = true; break;
		case 'h': fputs(usage, stdout); return TOOL_EXIT_OK;
		default: return tool_usage_error("local: bad option");
		}
	}
	if (argc - optind != 1)
		return tool_usage_error("local takes exactly one SPEC");
	const char *spec_path = argv[optind];

	sg_arena *arena = sg_arena_new();
	if (!arena)
		return TOOL_EXIT_USAGE;
	sg_diags diags;
	sg_diags_init(&diags, arena, spec_path);
	sg_spec *spec = NULL;
	sg_plan *plan = NULL;
	sg_fileset fs;
	sg_fileset_init(&fs, arena);
	const char *text = NULL;
	size_t text_len = 0;
	int rc = tool_load_spec_text(&spec, &text, &text_len, arena, &diags, spec_path);
	if (rc == SG_OK)
		rc = sg_plan_build(&plan, arena, spec, &diags);
	if (rc == SG_OK)
		rc = tool_emit_outputs(&fs, plan, text, text_len, sg_emit_available(), templates,
				       arena, &diags);
	sg_write_stats st = {0};
	if (rc == SG_OK) {
		if (!lo.dir)
			lo.dir = sg_arena_printf(arena, "out/%s", plan->service);
		sg_write_opts wo = {.force = force};
		rc = sg_write_fileset(&st, &fs, lo.dir, &wo, &diags);
	}
	tool_print_diags(&diags, TOOL_FORMAT_TEXT);
	if (rc != SG_OK) {
		sg_arena_free(arena);
		return tool_exit_code(rc);
	}
	fprintf(stderr, "%s: %zu files written to %s, %zu unchanged%s\n", spec_path, st.written,
		lo.dir, st.unchanged, st.kept ? ", existing scaffolds kept" : "");

	/* svcgen-full, also when the thin CLI ran it (tool_exec.c): moto is
	 * installed beside it (sg_local_moto_python). */
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		lo.self_exe = self;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	lo.stop = &stop_flag;

	sg_diags run_diags;
	sg_diags_init(&run_diags, arena, spec_path);
	rc = sg_local_run(plan, &fs, &lo, &run_diags);
	tool_print_diags(&run_diags, TOOL_FORMAT_TEXT);
	sg_arena_free(arena);
	return rc == SG_OK ? TOOL_EXIT_OK : TOOL_EXIT_USAGE;
}
