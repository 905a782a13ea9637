/*
 * tool_exec.c - the thin CLI's hand-over to svcgen-full (as git runs its
 * helpers from libexec).
 *
 * `svcgen` is built twice (Makefile): the thin binary, which links only
 * libyaml and libcjson and runs generate, validate, init, check and graph
 * itself, and svcgen-full, every command with every library (libgit2 for
 * `diff`; libcurl, libmicrohttpd, librhonabwy, gnutls and jansson for
 * `local`).  Loading those libraries took most of a short command's time,
 * so the thin binary does not link them: for `diff` and `local` it replaces
 * itself with svcgen-full (execv, same process), which then owns the exit
 * code, the signals (`local` runs until SIGINT), stdin and stdout.
 *
 * svcgen-full is looked for next to the running binary (/proc/self/exe,
 * not argv[0], which may name nothing on disk):
 *
 *   <dir>/svcgen-full                 the build tree: build/svcgen-full
 *   <dir>/../lib/svcgen/svcgen-full   `make install`: PREFIX/bin/svcgen
 *                                     and PREFIX/lib/svcgen/svcgen-full
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

#define FULL_NAME "svcgen-full"

int tool_exec_full(int argc, char **argv)
{
	(void)argc;
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		fprintf(stderr, "svcgen: '%s' is run by " FULL_NAME ", which is looked for next to "
			"this binary, but /proc/self/exe cannot be read: %s\n", argv[1],
			n < 0 ? strerror(errno) : "empty");
		return TOOL_EXIT_USAGE;
	}
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	const char *dir = ".";
	if (slash) {
		*slash = '\0';
		dir = slash == self ? "/" : self;
	}
	const char *sep = strcmp(dir, "/") ? "/" : "";
	char build[PATH_MAX + 32], installed[PATH_MAX + 32];
	snprintf(build, sizeof(build), "%s%s" FULL_NAME, dir, sep);
	snprintf(installed, sizeof(installed), "%s%s../lib/svcgen/" FULL_NAME, dir, sep);
	const char *path = access(build, X_OK) == 0       ? build
			   : access(installed, X_OK) == 0 ? installed
							  : NULL;
	if (!path) {
		fprintf(stderr, "svcgen: '%s' is run by " FULL_NAME ", which is missing: no "
			"executable %s or %s (`make` builds it, `make install` installs it)\n",
			argv[1], build, installed);
		return TOOL_EXIT_USAGE;
	}
	/* argv unchanged, argv[0] included: the process still reads
	 * "svcgen local ..." in ps, and svcgen-full finds itself (moto beside
	 * it) through /proc/self/exe, not argv[0]. */
	fflush(NULL);
	execv(path, argv);
	fprintf(stderr, "svcgen: cannot run %s: %s\n", path, strerror(errno));
	return TOOL_EXIT_USAGE;
}
