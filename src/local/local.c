/*
 * local.c - sg_local_run: build, start, serve, stop (include/svcgen/local.h).
 *
 * Order of the start, each step needing the one before: the handlers built
 * for this machine (make ARCH=<this machine> BUILD=build/local), the AWS
 * endpoint, the spec's resources on it, the pool's keys, the proxy, each
 * function (its credentials, its resolved policy, its Runtime API, its
 * environment, its warm process), the stream pollers, the API front, then
 * DIR/local.json.  The stop runs backwards, and everything started is
 * stopped even when the start failed half way.
 *
 * DIR/local.json is run-time state, not generated output: it holds this
 * run's ports and secrets, exists only while svcgen local runs, and is no
 * part of what `check` compares, so it is written here (mode 0600, temp +
 * rename) rather than through the write module, which owns the generated
 * files and their manifest.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <rhonabwy.h>

#include "local_int.h"
#include "svcgen/jwt_auth.h"

void local_aws_cleanup(void);
void local_seen_free(local_fn *fn);

static const char upper_alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char secret_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static const char *host_arch(void)
{
	struct utsname u;
	if (uname(&u) == 0 && (!strcmp(u.machine, "aarch64") || !strcmp(u.machine, "arm64")))
		return "arm64";
	return "x86_64";
}

/* ---- the policy, resolved ------------------------------------------------------------ */

/*
 * iam/<fn>.json with its CloudFormation-style placeholders resolved the way
 * Fn::Sub resolves them on deploy: ${AWS::Partition}, ${AWS::Region},
 * ${AWS::AccountId}, and ${<Table>.StreamArn} (the stream's ARN on the
 * endpoint).  NULL (with `*why`) when a placeholder is unknown.
 */
static char *resolve_policy(local_ctx *ctx, const char *text, const char **why)
{
	sg_buf b = SG_BUF_INIT;
	for (const char *p = text; *p;) {
		const char *s = strstr(p, "${");
		if (!s) {
			sg_buf_puts(&b, p);
			break;
		}
		sg_buf_put(&b, p, (size_t)(s - p));
		const char *e = strchr(s, '}');
		if (!e) {
			sg_buf_puts(&b, s);
			break;
		}
		char *name = sg_arena_strndup(ctx->arena, s + 2, (size_t)(e - s - 2));
		const char *v = NULL;
		if (!strcmp(name, "AWS::Partition"))
			v = ctx->partition;
		else if (!strcmp(name, "AWS::Region"))
			v = ctx->region;
		else if (!strcmp(name, "AWS::AccountId"))
			v = ctx->account;
		else if (strlen(name) > 10 && !strcmp(name + strlen(name) - 10, ".StreamArn")) {
			for (size_t i = 0; i < ctx->plan->table_count; i++)
				if (!strncmp(name, ctx->plan->tables[i].logical_id, strlen(name) - 10) &&
				    strlen(ctx->plan->tables[i].logical_id) == strlen(name) - 10)
					v = ctx->table_stream_arns[i];
		}
		if (!v) {
			*why = sg_arena_printf(ctx->arena, "unknown placeholder ${%s}", name);
			sg_buf_free(&b);
			return NULL;
		}
		sg_buf_puts(&b, v);
		p = e + 1;
	}
	return sg_buf_to_arena(&b, ctx->arena, NULL);
}

/* ---- the functions -------------------------------------------------------------------- */

static const char *env_value(local_ctx *ctx, const sg_plan_value *v)
{
	switch (v->kind) {
	case SG_PLAN_VAL_TABLE_NAME:
		return v->table->physical_name;
	case SG_PLAN_VAL_TOPIC_ARN:
		for (size_t i = 0; i < ctx->plan->topic_count; i++)
			if (&ctx->plan->topics[i] == v->topic)
				return ctx->topic_arns[i];
		return "";
	case SG_PLAN_VAL_FUNCTION_NAME:
		return v->function->physical_name;
	case SG_PLAN_VAL_API_ID:
		return ctx->api_id;
	default:
		return v->text ? v->text : "";
	}
}

/* The environment Lambda gives a provided.al2023 function, with this
 * function's credentials and the proxy as its AWS endpoint. */
static void build_env(local_ctx *ctx, local_fn *fn)
{
	sg_arena *a = ctx->arena;
	const sg_plan_function *pf = fn->plan;
	size_t cap = pf->env_count + 32, n = 0;
	const char **env = sg_arena_calloc(a, cap, sizeof(char *));
	char stream[33];
	local_random_chars(stream, 32, "0123456789abcdef");
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	/* The function's own variables first; Lambda's reserved ones win. */
	for (size_t i = 0; i < pf->env_count; i++)
		env[n++] = sg_arena_printf(a, "%s=%s", pf->environment[i].key,
					   env_value(ctx, &pf->environment[i].value));
	env[n++] = "PATH=/usr/local/bin:/usr/bin/:/bin:/opt/bin";
	env[n++] = "LANG=en_US.UTF-8";
	env[n++] = "TZ=:UTC";
	env[n++] = "_HANDLER=bootstrap";
	env[n++] = sg_arena_printf(a, "LAMBDA_TASK_ROOT=%s", fn->task_root);
	env[n++] = sg_arena_printf(a, "LAMBDA_RUNTIME_DIR=%s", fn->task_root);
	env[n++] = sg_arena_printf(a, "AWS_LAMBDA_RUNTIME_API=127.0.0.1:%u", fn->rapi_port);
	env[n++] = sg_arena_printf(a, "AWS_LAMBDA_FUNCTION_NAME=%s", fn->physical);
	env[n++] = "AWS_LAMBDA_FUNCTION_VERSION=$LATEST";
	env[n++] = sg_arena_printf(a, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=%lld", (long long)pf->memory);
	env[n++] = sg_arena_printf(a, "AWS_LAMBDA_LOG_GROUP_NAME=%s", pf->log_group_name);
	env[n++] = sg_arena_printf(a, "AWS_LAMBDA_LOG_STREAM_NAME=%04d/%02d/%02d/[$LATEST]%s",
				   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, stream);
	env[n++] = "AWS_LAMBDA_INITIALIZATION_TYPE=on-demand";
	env[n++] = sg_arena_printf(a, "AWS_REGION=%s", ctx->region);
	env[n++] = sg_arena_printf(a, "AWS_DEFAULT_REGION=%s", ctx->region);
	env[n++] = sg_arena_printf(a, "AWS_ACCESS_KEY_ID=%s", fn->access_key);
	env[n++] = sg_arena_printf(a, "AWS_SECRET_ACCESS_KEY=%s", fn->secret_key);
	env[n++] = sg_arena_printf(a, "AWS_SESSION_TOKEN=%s", fn->session_token);
	env[n++] = sg_arena_printf(a, "AWS_ENDPOINT_URL=%s", ctx->proxy_url);
	env[n] = NULL;
	fn->envp = env;
}

static int setup_functions(local_ctx *ctx, const char *dir, sg_diags *diags)
{
	sg_arena *a = ctx->arena;
	const sg_plan *plan = ctx->plan;
	ctx->fn_count = plan->function_count;
	ctx->fns = sg_arena_calloc(a, plan->function_count ? plan->function_count : 1,
				   sizeof(*ctx->fns));
	for (size_t i = 0; i < plan->function_count; i++) {
		local_fn *fn = &ctx->fns[i];
		const sg_plan_function *pf = &plan->functions[i];
		fn->ctx = ctx;
		fn->plan = pf;
		fn->name = pf->name;
		fn->physical = pf->physical_name;
		fn->arn = sg_arena_printf(a, "arn:%s:lambda:%s:%s:function:%s", ctx->partition,
					  ctx->region, ctx->account, pf->physical_name);
		fn->task_root = sg_arena_printf(a, "%s/handlers/build/local/%s", dir, pf->c_name);
		fn->bootstrap = sg_arena_printf(a, "%s/bootstrap", fn->task_root);
		fn->log_prefix = sg_arena_printf(a, "[%s] ", pf->name);
		/* Keys shaped like temporary credentials (ASIA...), as Lambda's are. */
		memcpy(fn->access_key, "ASIA", 4);
		local_random_chars(fn->access_key + 4, 16, upper_alnum);
		local_random_chars(fn->secret_key, 40, secret_chars);
		local_random_chars(fn->session_token, 160, secret_chars);
		const char *path = sg_arena_printf(a, "iam/%s.json", pf->c_name);
		const sg_file *f = sg_fileset_get(ctx->fs, path);
		const char *why = "iam/ was not generated";
		char *text = f ? resolve_policy(ctx, f->data, &why) : NULL;
		if (!text || sg_iam_policy_parse(&fn->policy, a, text, strlen(text), &why) < 0) {
			sg_error(diags, "local", (sg_pos){0, 0}, "%s: the policy %s cannot be used: %s",
				 pf->name, path, why);
			return -1;
		}
		fn->policy_text = text;
		if (access(fn->bootstrap, X_OK) != 0) {
			sg_error(diags, "local", (sg_pos){0, 0},
				 "%s: %s was not built (run make -C %s/handlers ARCH=%s BUILD=build/local)",
				 pf->name, fn->bootstrap, dir, host_arch());
			return -1;
		}
		char err[256];
		if (local_fn_start(fn, err, sizeof(err)) < 0) {
			sg_error(diags, "local", (sg_pos){0, 0}, "%s: Runtime API: %s", pf->name, err);
			return -1;
		}
		build_env(ctx, fn);
	}
	return 0;
}

/* ---- steps ------------------------------------------------------------------------------ */

static int build_handlers(local_ctx *ctx, const char *dir, sg_diags *diags)
{
	sg_arena *a = ctx->arena;
	const char *path = getenv("PATH");
	const char *home = getenv("HOME");
	const char *cc = getenv("SVCGEN_LOCAL_CC");
	const char *argv[] = {"/usr/bin/env", "make", "--no-print-directory", "-j2", "-C",
			      sg_arena_printf(a, "%s/handlers", dir),
			      sg_arena_printf(a, "ARCH=%s", host_arch()), "BUILD=build/local",
			      cc ? sg_arena_printf(a, "CC=%s", cc) : NULL, NULL};
	/* A clean environment: none of the caller's make or compiler settings. */
	const char *envp[] = {sg_arena_printf(a, "PATH=%s", path ? path : "/usr/bin:/bin"),
			      sg_arena_printf(a, "HOME=%s", home ? home : "/tmp"), "LANG=C.UTF-8",
			      NULL};
	local_log("svcgen local: building the handlers for this machine (%s)", host_arch());
	local_spawn sp = {.argv = argv, .envp = envp, .log_prefix = "[make] "};
	int st = local_proc_run(&sp, 15 * 60 * 1000, ctx->stop);
	if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		sg_error(diags, "local", (sg_pos){0, 0}, "building %s/handlers failed (see [make] above)",
			 dir);
		return -1;
	}
	return 0;
}

static size_t discard_write(char *d, size_t s, size_t n, void *u)
{
	sg_buf_put(u, d, s * n);
	(void)d;
	return s * n;
}

/* The pool's JWKS, from the endpoint's /<pool>/.well-known/jwks.json. */
static int load_jwks(local_ctx *ctx, sg_diags *diags)
{
	CURL *h = curl_easy_init();
	sg_buf b = SG_BUF_INIT;
	char url[600];
	snprintf(url, sizeof(url), "%s/%s/.well-known/jwks.json", ctx->aws_endpoint,
		 ctx->user_pool_id);
	long status = 0;
	CURLcode cc = CURLE_FAILED_INIT;
	if (h) {
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
		curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_write);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
		cc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_cleanup(h);
	}
	sg_jwt_verifier *v = NULL;
	const char *aud[] = {ctx->user_pool_client_id};
	int rc = -1;
	if (cc == CURLE_OK && status == 200 && b.ptr &&
	    sg_jwt_verifier_new(&v, b.ptr, ctx->issuer, aud, 1) == 0) {
		ctx->jwt = v;
		rc = 0;
	} else {
		sg_error(diags, "local", (sg_pos){0, 0}, "the user pool's keys (%s) could not be read",
			 url);
	}
	sg_buf_free(&b);
	return rc;
}

static const char *json_path;

static int write_state(local_ctx *ctx, const char *dir)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "api_url", ctx->api_url ? ctx->api_url : "");
	cJSON_AddStringToObject(o, "aws_endpoint", ctx->aws_endpoint);
	cJSON_AddStringToObject(o, "region", ctx->region);
	cJSON_AddStringToObject(o, "access_key_id", ctx->admin_key);
	cJSON_AddStringToObject(o, "secret_access_key", ctx->admin_secret);
	if (ctx->user_pool_id) {
		cJSON_AddStringToObject(o, "user_pool_id", ctx->user_pool_id);
		cJSON_AddStringToObject(o, "user_pool_client_id", ctx->user_pool_client_id);
	}
	cJSON_AddStringToObject(o, "proxy_endpoint", ctx->proxy_url);
	cJSON_AddNumberToObject(o, "pid", (double)getpid());
	cJSON *fns = cJSON_AddObjectToObject(o, "functions");
	for (size_t i = 0; i < ctx->fn_count; i++) {
		local_fn *fn = &ctx->fns[i];
		cJSON *f = cJSON_AddObjectToObject(fns, fn->name);
		cJSON_AddStringToObject(f, "function_name", fn->physical);
		cJSON_AddStringToObject(f, "access_key_id", fn->access_key);
		cJSON_AddStringToObject(f, "secret_access_key", fn->secret_key);
		cJSON_AddStringToObject(f, "session_token", fn->session_token);
		cJSON_AddStringToObject(f, "runtime_api",
					sg_arena_printf(ctx->arena, "127.0.0.1:%u", fn->rapi_port));
	}
	cJSON *tabs = cJSON_AddObjectToObject(o, "tables");
	for (size_t i = 0; i < ctx->plan->table_count; i++) {
		cJSON *t = cJSON_AddObjectToObject(tabs, ctx->plan->tables[i].name);
		cJSON_AddStringToObject(t, "table_name", ctx->plan->tables[i].physical_name);
		if (ctx->table_stream_arns[i])
			cJSON_AddStringToObject(t, "stream_arn", ctx->table_stream_arns[i]);
	}
	cJSON *tops = cJSON_AddObjectToObject(o, "topics");
	for (size_t i = 0; i < ctx->plan->topic_count; i++)
		cJSON_AddStringToObject(tops, ctx->plan->topics[i].name, ctx->topic_arns[i]);
	/* On-failure queues by function, then table: "note_changed.notes". */
	cJSON *qs = cJSON_AddObjectToObject(o, "queues");
	for (size_t i = 0; i < ctx->plan->queue_count; i++) {
		const sg_plan_queue *q = &ctx->plan->queues[i];
		cJSON *e = cJSON_AddObjectToObject(
			qs, sg_arena_printf(ctx->arena, "%s.%s", q->function->name, q->event->table->name));
		cJSON_AddStringToObject(e, "queue_name", q->physical_name);
		cJSON_AddStringToObject(e, "queue_url", ctx->queue_urls[i]);
		cJSON_AddStringToObject(e, "queue_arn", ctx->queue_arns[i]);
	}
	char *s = cJSON_Print(o);
	cJSON_Delete(o);
	const char *final = sg_arena_printf(ctx->arena, "%s/local.json", dir);
	const char *tmp = sg_arena_printf(ctx->arena, "%s/.local.json.%d", dir, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = -1;
	if (fd >= 0) {
		size_t len = strlen(s);
		bool ok = write(fd, s, len) == (ssize_t)len && write(fd, "\n", 1) == 1;
		ok = close(fd) == 0 && ok;
		if (ok && rename(tmp, final) == 0) {
			rc = 0;
			json_path = final;
		} else {
			unlink(tmp);
		}
	}
	cJSON_free(s);
	return rc;
}

static void print_routes(local_ctx *ctx)
{
	const sg_plan_api *api = &ctx->plan->api;
	for (size_t i = 0; i < api->method_count; i++) {
		const sg_plan_method *m = api->methods[i];
		printf("  %-7s %s%s  -> %s (%s)\n", m->verb_name, ctx->api_url,
		       !strcmp(m->node->path, "/") ? "/" : m->node->path, m->function->name,
		       sg_auth_name(m->auth));
	}
	for (size_t i = 0; i < ctx->stream_count; i++)
		printf("  stream  %s -> %s\n", ctx->streams[i].event->table->name,
		       ctx->streams[i].fn->name);
	printf("listening on http://%s:%u\n", ctx->opts->host, ctx->front_port);
	fflush(stdout);
}

static void stop_all(local_ctx *ctx)
{
	/* Functions first: whoever waits on one (pollers, API requests) is
	 * released with a shutdown outcome. */
	for (size_t i = 0; i < ctx->fn_count; i++)
		if (ctx->fns[i].rapi)
			local_fn_stop(&ctx->fns[i]);
	local_pollers_stop(ctx);
	local_http_stop(ctx->front);
	ctx->front = NULL;
	local_http_stop(ctx->proxy);
	ctx->proxy = NULL;
	local_procs_stop();
	if (json_path) {
		unlink(json_path);
		json_path = NULL;
	}
}

static const char *api_id_of(sg_arena *a, const sg_plan *plan)
{
	/* Ten lower-case alphanumerics, as API Gateway's ids, stable per service. */
	uint64_t h = sg_plan_fnv1a64(SG_PLAN_FNV64_INIT, plan->prefix, strlen(plan->prefix));
	char *id = sg_arena_alloc(a, 11);
	static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	for (int i = 0; i < 10; i++) {
		id[i] = al[h % 36];
		h /= 36;
	}
	id[10] = '\0';
	return id;
}

int sg_local_run(const sg_plan *plan, const sg_fileset *fs, const sg_local_opts *opts,
		 sg_diags *diags)
{
	char dirbuf[PATH_MAX];
	if (!realpath(opts->dir, dirbuf)) {
		sg_error(diags, "local", (sg_pos){0, 0}, "%s: %s", opts->dir, strerror(errno));
		return SG_EIO;
	}
	local_ctx ctx_s;
	local_ctx *ctx = &ctx_s;
	memset(ctx, 0, sizeof(*ctx));
	ctx->arena = sg_arena_new();
	ctx->plan = plan;
	ctx->fs = fs;
	ctx->opts = opts;
	ctx->stop = opts->stop;
	ctx->region = plan->region;
	ctx->partition = LOCAL_PARTITION;
	ctx->account = LOCAL_ACCOUNT;
	ctx->api_id = api_id_of(ctx->arena, plan);
	char key[21], secret[41];
	memcpy(key, "AKIA", 4);
	local_random_chars(key + 4, 16, upper_alnum);
	local_random_chars(secret, 40, secret_chars);
	ctx->admin_key = key;
	ctx->admin_secret = secret;
	const char *dir = sg_arena_strdup(ctx->arena, dirbuf);

	curl_global_init(CURL_GLOBAL_DEFAULT);
	r_global_init();
	int rc = SG_EIO;
	char err[512];
	if (local_procs_start() < 0) {
		sg_error(diags, "local", (sg_pos){0, 0}, "cannot start the process supervisor");
		goto out;
	}
	if (!opts->no_build && build_handlers(ctx, dir, diags) < 0)
		goto out;
	if (*ctx->stop)
		goto clean;
	if (opts->aws_endpoint) {
		ctx->aws_endpoint = opts->aws_endpoint;
		if (local_endpoint_wait(ctx, 5000) < 0) {
			sg_error(diags, "local", (sg_pos){0, 0}, "--aws-endpoint %s does not answer",
				 opts->aws_endpoint);
			goto out;
		}
	} else if (local_moto_start(ctx, diags) < 0) {
		goto out;
	}
	if (local_bootstrap(ctx, diags) < 0)
		goto out;
	if (plan->cognito.present && load_jwks(ctx, diags) < 0)
		goto out;
	if (local_proxy_start(ctx, err, sizeof(err)) < 0) {
		sg_error(diags, "local", (sg_pos){0, 0}, "the proxy: %s", err);
		goto out;
	}
	if (setup_functions(ctx, dir, diags) < 0)
		goto out;
	for (size_t i = 0; i < ctx->fn_count; i++)
		local_fn_ensure_running(&ctx->fns[i]);
	if (local_pollers_start(ctx, err, sizeof(err)) < 0) {
		sg_error(diags, "local", (sg_pos){0, 0}, "%s", err);
		goto out;
	}
	if (plan->api.present) {
		if (local_front_start(ctx, err, sizeof(err)) < 0) {
			sg_error(diags, "local", (sg_pos){0, 0}, "the API: %s", err);
			goto out;
		}
		ctx->api_url = plan->api.type == SG_API_REST
				       ? sg_arena_printf(ctx->arena, "http://%s:%u/%s", opts->host,
							 ctx->front_port, plan->stage)
				       : sg_arena_printf(ctx->arena, "http://%s:%u", opts->host,
							 ctx->front_port);
	}
	if (write_state(ctx, dir) < 0) {
		sg_error(diags, "local", (sg_pos){0, 0}, "cannot write %s/local.json", dir);
		goto out;
	}
	if (ctx->api_url)
		print_routes(ctx);
	else
		printf("no API; functions and streams are running\n");
	fflush(stdout);
	while (!*ctx->stop) {
		struct timespec ts = {0, 100 * 1000000L};
		nanosleep(&ts, NULL);
	}
clean:
	rc = SG_OK;
out:
	local_log("svcgen local: stopping");
	stop_all(ctx);
	if (rc == SG_OK && opts->iam == SG_LOCAL_IAM_SOFT)
		local_report(ctx);
	for (size_t i = 0; i < ctx->fn_count; i++) {
		local_seen_free(&ctx->fns[i]);
		free(ctx->fns[i].init_error_doc);
	}
	sg_jwt_verifier_free(ctx->jwt);
	local_aws_cleanup();
	r_global_close();
	curl_global_cleanup();
	sg_arena_free(ctx->arena);
	return rc;
}
