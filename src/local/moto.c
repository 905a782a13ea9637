/*
 * moto.c - the local AWS endpoint: moto server (pinned in
 * scripts/local-requirements.txt), from the environment the project's
 * setup installed it into, started on a free port of 127.0.0.1 with a clean
 * environment (never the developer's AWS settings), and waited for.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "local_int.h"

static bool executable(const char *p)
{
	return p && access(p, X_OK) == 0;
}

const char *sg_local_moto_python(sg_arena *arena, const char *self_exe)
{
	const char *env = getenv("SVCGEN_MOTO_PYTHON");
	if (env && *env)
		return executable(env) ? sg_arena_strdup(arena, env) : NULL;
	if (!self_exe)
		return NULL;
	const char *slash = strrchr(self_exe, '/');
	const char *dir = slash ? sg_arena_strndup(arena, self_exe, (size_t)(slash - self_exe)) : ".";
	const char *build = sg_arena_printf(arena, "%s/moto/bin/python", dir);
	if (executable(build))
		return build;
	const char *installed = sg_arena_printf(arena, "%s/../lib/svcgen/moto/bin/python", dir);
	if (executable(installed))
		return installed;
	return NULL;
}

/* A port nobody listens on now (the kernel's pick for port 0). */
static unsigned free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return 0;
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t l = sizeof(a);
	unsigned port = 0;
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &l) == 0)
		port = ntohs(a.sin_port);
	close(s);
	return port;
}

static size_t discard(char *d, size_t s, size_t n, void *u)
{
	(void)d;
	(void)u;
	return s * n;
}

int local_endpoint_wait(local_ctx *ctx, int64_t timeout_ms)
{
	int64_t end = local_mono_ms() + timeout_ms;
	CURL *h = curl_easy_init();
	if (!h)
		return -1;
	char url[512];
	snprintf(url, sizeof(url), "%s/moto-api/", ctx->aws_endpoint);
	int rc = -1;
	while (local_mono_ms() < end && !(ctx->stop && *ctx->stop)) {
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 1000L);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
		if (curl_easy_perform(h) == CURLE_OK) {
			rc = 0;
			break;
		}
		usleep(100 * 1000);
	}
	curl_easy_cleanup(h);
	return rc;
}

int local_moto_start(local_ctx *ctx, sg_diags *diags)
{
	const char *py = sg_local_moto_python(ctx->arena, ctx->opts->self_exe);
	if (!py) {
		sg_error(diags, "local", (sg_pos){0, 0},
			 "moto server is not installed next to svcgen-full (run `make`, which "
			 "installs it into build/moto, or `make install`), and no --aws-endpoint "
			 "was given");
		return -1;
	}
	for (int attempt = 0; attempt < 3; attempt++) {
		unsigned port = free_port();
		if (!port)
			continue;
		char portbuf[16];
		snprintf(portbuf, sizeof(portbuf), "%u", port);
		/* moto's own entry point, without werkzeug's line per request. */
		const char *argv[] = {py, "-c",
				      "import logging, sys\n"
				      "logging.getLogger('werkzeug').setLevel(logging.WARNING)\n"
				      "from moto.server import main\n"
				      "main(sys.argv[1:])\n",
				      "-H", "127.0.0.1", "-p", portbuf, NULL};
		const char *path = getenv("PATH");
		const char *home = getenv("HOME");
		const char *envp[] = {
			sg_arena_printf(ctx->arena, "PATH=%s", path ? path : "/usr/bin:/bin"),
			sg_arena_printf(ctx->arena, "HOME=%s", home ? home : "/tmp"),
			"LANG=C.UTF-8",
			"PYTHONUNBUFFERED=1",
			/* No MOTO_ENABLE_RECORDING: moto takes any value of it,
			 * "false" included, as "on". */
			NULL,
		};
		/* Not the caller's directory: nothing of moto's may land there. */
		const char *tmpdir = getenv("TMPDIR");
		local_spawn sp = {
			.argv = argv,
			.envp = envp,
			.cwd = tmpdir && *tmpdir ? tmpdir : "/tmp",
			.log_prefix = "[moto] ",
		};
		pid_t pg = local_proc_spawn(&sp);
		if (pg < 0)
			continue;
		ctx->moto_pgid = pg;
		ctx->aws_endpoint = sg_arena_printf(ctx->arena, "http://127.0.0.1:%u", port);
		if (local_endpoint_wait(ctx, 30000) == 0)
			return 0;
		local_proc_kill(pg);
		ctx->moto_pgid = 0;
	}
	sg_error(diags, "local", (sg_pos){0, 0}, "moto server (%s -m moto.server) did not start",
		 py);
	return -1;
}
