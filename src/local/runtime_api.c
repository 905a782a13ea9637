/*
 * runtime_api.c - each function's Lambda Runtime API and its invocations.
 *
 * The runtime's own contract (AWS Lambda Developer Guide, "Using the Lambda
 * runtime API for custom runtimes", API version 2018-06-01):
 *
 *   GET  /2018-06-01/runtime/invocation/next          blocks until an event;
 *        headers Lambda-Runtime-Aws-Request-Id, -Deadline-Ms,
 *        -Invoked-Function-Arn, -Trace-Id
 *   POST /2018-06-01/runtime/invocation/{id}/response the result (at most 6 MB)
 *   POST /2018-06-01/runtime/invocation/{id}/error    an error document,
 *        Lambda-Runtime-Function-Error-Type
 *   POST /2018-06-01/runtime/init/error               initialization failed
 *
 * One warm process per function serves one invocation at a time; others
 * wait in order.  Reserved concurrency caps invocations in flight (queued
 * ones included): beyond it an invocation is throttled, as Lambda throttles
 * (0 throttles every one).  The function's timeout runs from the moment its
 * process takes the event; when it passes the process is killed ("Task
 * timed out after N.00 seconds") and started again.  The memory setting is
 * watched: a process whose resident memory passes it is killed
 * (Runtime.OutOfMemory), as Lambda does.  A process that dies during an
 * invocation fails it with Runtime.ExitError and is restarted; one that
 * keeps dying at start is restarted with a growing pause (at most 5 s).
 * START, END and REPORT lines are logged as Lambda writes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>

#include "local_int.h"

typedef enum { INV_QUEUED, INV_RUNNING, INV_DONE } inv_state;

struct local_invocation {
	char request_id[37];
	char trace_id[100];
	const char *event;
	size_t len;
	inv_state state;
	int64_t enqueued_mono;
	int64_t started_mono;
	int64_t deadline_wall;
	unsigned generation;
	local_outcome outcome;
	char *payload;
	size_t payload_len;
	local_invocation *next;
};

void local_result_free(local_result *r)
{
	free(r->payload);
	r->payload = NULL;
	r->len = 0;
}

static char *error_doc(const char *type, const char *message, size_t *len)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "errorMessage", message);
	cJSON_AddStringToObject(o, "errorType", type);
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	*len = strlen(s);
	return s; /* cJSON's allocator is malloc */
}

/* Finish the current invocation (under fn->mu). */
static void finish(local_fn *fn, local_invocation *inv, local_outcome outcome, char *payload,
		   size_t len)
{
	inv->outcome = outcome;
	free(inv->payload);
	inv->payload = payload;
	inv->payload_len = len;
	inv->state = INV_DONE;
	if (fn->current == inv)
		fn->current = NULL;
	pthread_cond_broadcast(&fn->cv);
}

static void unqueue(local_fn *fn, local_invocation *inv)
{
	local_invocation **pp = &fn->queue_head;
	fn->queue_tail = NULL;
	while (*pp) {
		if (*pp == inv)
			*pp = inv->next;
		else {
			fn->queue_tail = *pp;
			pp = &(*pp)->next;
		}
	}
	inv->next = NULL;
}

/* ---- the process -------------------------------------------------------------- */

/* The process `pid` is gone (under fn->mu). */
static void handle_exit(local_fn *fn, pid_t pid, int status)
{
	(void)pid;
	char how[64];
	if (WIFEXITED(status))
		snprintf(how, sizeof(how), "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(how, sizeof(how), "signal: %s", strsignal(WTERMSIG(status)));
	else
		snprintf(how, sizeof(how), "status %d", status);
	fn->pgid = 0;
	fn->generation++;
	int64_t now = local_mono_ms();
	fn->fast_exits = now - fn->started_ms < 1000 ? fn->fast_exits + 1 : 0;
	int64_t pause = fn->fast_exits ? 100LL << (fn->fast_exits < 6 ? fn->fast_exits : 6) : 0;
	fn->restart_at_ms = now + (pause > 5000 ? 5000 : pause);
	if (!fn->stopping)
		local_log("%sruntime process exited (%s)", fn->log_prefix, how);
	local_invocation *inv = fn->current;
	if (inv && inv->state == INV_RUNNING) {
		char msg[256];
		snprintf(msg, sizeof(msg), "RequestId: %s Error: Runtime exited with error: %s",
			 inv->request_id, how);
		size_t len;
		char *doc = error_doc("Runtime.ExitError", msg, &len);
		finish(fn, inv, LOCAL_OUT_CRASH, doc, len);
	} else if (fn->init_error && fn->queue_head) {
		/* The start failed: the invocation that waited for it fails. */
		inv = fn->queue_head;
		unqueue(fn, inv);
		char *doc = fn->init_error_doc ? strdup(fn->init_error_doc) : NULL;
		size_t len = doc ? strlen(doc) : 0;
		if (!doc)
			doc = error_doc("Runtime.InitError", "the runtime failed to start", &len);
		finish(fn, inv, LOCAL_OUT_INIT_ERROR, doc, len);
	} else if (fn->queue_head && fn->fast_exits) {
		/* Died before taking an event: Lambda reports an init failure. */
		inv = fn->queue_head;
		unqueue(fn, inv);
		char msg[256];
		snprintf(msg, sizeof(msg), "RequestId: %s Error: Runtime exited with error: %s",
			 inv->request_id, how);
		size_t len;
		char *doc = error_doc("Runtime.ExitError", msg, &len);
		finish(fn, inv, LOCAL_OUT_INIT_ERROR, doc, len);
	}
	fn->init_error = false;
	pthread_cond_broadcast(&fn->cv);
}

static void on_exit_fn(void *ud, pid_t pid, int status)
{
	local_fn *fn = ud;
	pthread_mutex_lock(&fn->mu);
	if (fn->pgid == -1) {
		/* Gone before local_proc_spawn returned: ensure_running handles it. */
		fn->early_exit_pid = pid;
		fn->early_exit_status = status;
	} else if (fn->pgid == pid) {
		handle_exit(fn, pid, status);
	}
	pthread_mutex_unlock(&fn->mu);
}

void local_fn_ensure_running(local_fn *fn)
{
	pthread_mutex_lock(&fn->mu);
	bool go = !fn->pgid && !fn->stopping && local_mono_ms() >= fn->restart_at_ms;
	if (go)
		fn->pgid = -1; /* starting: nobody else starts it */
	pthread_mutex_unlock(&fn->mu);
	if (!go)
		return;
	const char *argv[] = {fn->bootstrap, NULL};
	local_spawn sp = {
		.argv = argv,
		.envp = fn->envp,
		.cwd = fn->task_root,
		.log_prefix = fn->log_prefix,
		.as_limit = 0,
		.on_exit = on_exit_fn,
		.ud = fn,
	};
	pid_t pg = local_proc_spawn(&sp);
	pthread_mutex_lock(&fn->mu);
	fn->started_ms = local_mono_ms();
	if (pg > 0) {
		fn->pgid = pg;
		if (fn->early_exit_pid == pg)
			handle_exit(fn, pg, fn->early_exit_status);
		fn->early_exit_pid = 0;
	} else {
		fn->pgid = 0;
		fn->restart_at_ms = local_mono_ms() + 1000;
		local_log("%scannot start %s", fn->log_prefix, fn->bootstrap);
	}
	pthread_cond_broadcast(&fn->cv);
	pthread_mutex_unlock(&fn->mu);
}

/* The function program's pid: the one child of its reaper. */
static pid_t program_pid(pid_t reaper)
{
	char path[64], buf[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)reaper, (int)reaper);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	pid_t p = 0;
	if (fgets(buf, sizeof(buf), f))
		p = (pid_t)strtol(buf, NULL, 10);
	fclose(f);
	return p;
}

/* VmRSS or VmHWM of `pid` in kB; -1 when unknown. */
static long proc_kb(pid_t pid, const char *field)
{
	if (pid <= 0)
		return -1;
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long kb = -1;
	size_t fl = strlen(field);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, fl) && line[fl] == ':') {
			kb = strtol(line + fl + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

/* ---- the Runtime API ------------------------------------------------------------ */

static void json_answer(sg_gw_response *resp, sg_arena *a, int status, const char *body)
{
	resp->status = status;
	resp->body = sg_arena_strdup(a, body);
	resp->body_len = strlen(body);
	sg_gw_header(resp, a, "Content-Type", "application/json");
}

static void api_next(local_fn *fn, sg_arena *a, sg_gw_response *resp)
{
	pthread_mutex_lock(&fn->mu);
	unsigned gen = fn->generation;
	while (!fn->queue_head && !fn->stopping && gen == fn->generation) {
		struct timespec ts;
		local_deadline(&ts, 1000);
		pthread_cond_timedwait(&fn->cv, &fn->mu, &ts);
	}
	if (fn->stopping || gen != fn->generation || !fn->queue_head) {
		pthread_mutex_unlock(&fn->mu);
		json_answer(resp, a, 500,
			    "{\"errorMessage\":\"the environment is shutting down\","
			    "\"errorType\":\"Runtime.Shutdown\"}");
		return;
	}
	local_invocation *inv = fn->queue_head;
	unqueue(fn, inv);
	inv->state = INV_RUNNING;
	inv->started_mono = local_mono_ms();
	inv->deadline_wall = local_now_ms() + fn->plan->timeout * 1000;
	inv->generation = gen;
	fn->current = inv;
	resp->status = 200;
	resp->body = sg_arena_strndup(a, inv->event, inv->len);
	resp->body_len = inv->len;
	sg_gw_header(resp, a, "Content-Type", "application/json");
	sg_gw_header(resp, a, "Lambda-Runtime-Aws-Request-Id", inv->request_id);
	sg_gw_header(resp, a, "Lambda-Runtime-Deadline-Ms",
		     sg_arena_printf(a, "%lld", (long long)inv->deadline_wall));
	sg_gw_header(resp, a, "Lambda-Runtime-Invoked-Function-Arn", fn->arn);
	sg_gw_header(resp, a, "Lambda-Runtime-Trace-Id", inv->trace_id);
	char id[37];
	memcpy(id, inv->request_id, sizeof(id));
	pthread_mutex_unlock(&fn->mu);
	local_log("%sSTART RequestId: %s Version: $LATEST", fn->log_prefix, id);
}

static void api_result(local_fn *fn, sg_arena *a, const sg_gw_request *req, const char *id,
		       bool error, sg_gw_response *resp)
{
	pthread_mutex_lock(&fn->mu);
	local_invocation *inv = fn->current;
	if (!inv || strcmp(inv->request_id, id) || inv->state != INV_RUNNING) {
		pthread_mutex_unlock(&fn->mu);
		json_answer(resp, a, 400,
			    "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
		return;
	}
	size_t len = req->body_len == SIZE_MAX ? 0 : req->body_len;
	if (req->body_len == SIZE_MAX || len > LOCAL_MAX_PAYLOAD) {
		char *doc = error_doc("Function.ResponseSizeTooLarge",
				      "Response payload size exceeded maximum allowed payload size "
				      "(6291556 bytes).",
				      &len);
		finish(fn, inv, LOCAL_OUT_TOO_LARGE, doc, len);
		pthread_mutex_unlock(&fn->mu);
		json_answer(resp, a, 413,
			    "{\"errorMessage\":\"Response payload size exceeded maximum allowed "
			    "payload size (6291556 bytes).\",\"errorType\":\"RequestEntityTooLarge\"}");
		return;
	}
	char *copy;
	if (error) {
		/* Keep the runtime's document when it is one, else make one. */
		cJSON *d = cJSON_ParseWithLength(req->body, len);
		if (cJSON_IsObject(d)) {
			copy = malloc(len + 1);
			memcpy(copy, req->body, len);
			copy[len] = '\0';
		} else {
			const char *type = sg_gw_request_header(req, "Lambda-Runtime-Function-Error-Type");
			copy = error_doc(type ? type : "Unhandled", "the function reported an error", &len);
		}
		cJSON_Delete(d);
	} else {
		copy = malloc(len + 1);
		memcpy(copy, req->body, len);
		copy[len] = '\0';
	}
	finish(fn, inv, error ? LOCAL_OUT_ERROR : LOCAL_OUT_OK, copy, len);
	pthread_mutex_unlock(&fn->mu);
	json_answer(resp, a, 202, "{\"status\":\"OK\"}");
}

static void api_init_error(local_fn *fn, sg_arena *a, const sg_gw_request *req,
			   sg_gw_response *resp)
{
	pthread_mutex_lock(&fn->mu);
	fn->init_error = true;
	free(fn->init_error_doc);
	size_t len = req->body_len == SIZE_MAX ? 0 : req->body_len;
	fn->init_error_doc = malloc(len + 1);
	if (fn->init_error_doc) {
		memcpy(fn->init_error_doc, req->body, len);
		fn->init_error_doc[len] = '\0';
	}
	pthread_mutex_unlock(&fn->mu);
	local_log("%sINIT_REPORT Init error: %.*s", fn->log_prefix, (int)(len > 500 ? 500 : len),
		  req->body ? req->body : "");
	json_answer(resp, a, 202, "{\"status\":\"OK\"}");
}

static void rapi_handler(void *ud, sg_arena *a, const sg_gw_request *req, sg_gw_response *resp)
{
	local_fn *fn = ud;
	static const char base[] = "/2018-06-01/runtime/";
	const char *p = req->path;
	if (strncmp(p, base, sizeof(base) - 1)) {
		json_answer(resp, a, 404, "{\"errorMessage\":\"not found\",\"errorType\":\"NotFound\"}");
		return;
	}
	p += sizeof(base) - 1;
	if (!strcmp(p, "invocation/next") && !strcmp(req->method, "GET")) {
		api_next(fn, a, resp);
		return;
	}
	if (!strcmp(p, "init/error") && !strcmp(req->method, "POST")) {
		api_init_error(fn, a, req, resp);
		return;
	}
	if (!strncmp(p, "invocation/", 11) && !strcmp(req->method, "POST")) {
		const char *id = p + 11;
		const char *slash = strchr(id, '/');
		if (slash && (!strcmp(slash, "/response") || !strcmp(slash, "/error"))) {
			char *rid = sg_arena_strndup(a, id, (size_t)(slash - id));
			api_result(fn, a, req, rid, !strcmp(slash, "/error"), resp);
			return;
		}
	}
	json_answer(resp, a, 404, "{\"errorMessage\":\"not found\",\"errorType\":\"NotFound\"}");
}

int local_fn_start(local_fn *fn, char *err, size_t err_len)
{
	pthread_mutex_init(&fn->mu, NULL);
	local_cond_init(&fn->cv);
	pthread_mutex_init(&fn->seen_mu, NULL);
	if (local_http_start(&fn->rapi, "127.0.0.1", 0, LOCAL_MAX_PAYLOAD + 1024, rapi_handler, fn,
			     err, err_len) < 0)
		return -1;
	fn->rapi_port = local_http_port(fn->rapi);
	return 0;
}

/* ---- invoking ------------------------------------------------------------------ */

static void trace_id(char *out, size_t cap, bool sampled)
{
	char a[25], b[17];
	local_random_chars(a, 24, "0123456789abcdef");
	local_random_chars(b, 16, "0123456789abcdef");
	snprintf(out, cap, "Root=1-%08llx-%s;Parent=%s;Sampled=%d",
		 (unsigned long long)(local_now_ms() / 1000), a, b, sampled ? 1 : 0);
}

void local_fn_invoke(local_fn *fn, const char *event, size_t len, int64_t wait_limit_ms,
		     local_result *out)
{
	memset(out, 0, sizeof(*out));
	local_invocation inv;
	memset(&inv, 0, sizeof(inv));
	local_uuid(inv.request_id);
	memcpy(out->request_id, inv.request_id, sizeof(out->request_id));
	trace_id(inv.trace_id, sizeof(inv.trace_id), fn->plan->tracing);
	inv.event = event;
	inv.len = len;
	inv.enqueued_mono = local_mono_ms();

	pthread_mutex_lock(&fn->mu);
	if (fn->stopping) {
		pthread_mutex_unlock(&fn->mu);
		out->outcome = LOCAL_OUT_SHUTDOWN;
		return;
	}
	if (fn->plan->reserved_concurrency_set &&
	    (int64_t)fn->active >= fn->plan->reserved_concurrency) {
		pthread_mutex_unlock(&fn->mu);
		out->outcome = LOCAL_OUT_THROTTLED;
		out->payload = error_doc("TooManyRequestsException", "Rate Exceeded.", &out->len);
		local_log("%sthrottled: reserved concurrency %lld in use", fn->log_prefix,
			  (long long)fn->plan->reserved_concurrency);
		return;
	}
	fn->active++;
	if (fn->queue_tail)
		fn->queue_tail->next = &inv;
	else
		fn->queue_head = &inv;
	fn->queue_tail = &inv;
	pthread_cond_broadcast(&fn->cv);

	long max_kb = -1;
	int64_t timeout_ms = fn->plan->timeout * 1000;
	while (inv.state != INV_DONE) {
		int64_t now = local_mono_ms();
		if (fn->stopping) {
			if (inv.state == INV_QUEUED)
				unqueue(fn, &inv);
			finish(fn, &inv, LOCAL_OUT_SHUTDOWN, NULL, 0);
			break;
		}
		if (inv.state == INV_RUNNING && now - inv.started_mono >= timeout_ms) {
			char msg[200];
			snprintf(msg, sizeof(msg), "%s Task timed out after %.2f seconds",
				 inv.request_id, (double)fn->plan->timeout);
			size_t dl;
			char *doc = error_doc("Sandbox.Timedout", msg, &dl);
			finish(fn, &inv, LOCAL_OUT_TIMEOUT, doc, dl);
			local_log("%s%s", fn->log_prefix, msg);
			local_proc_kill(fn->pgid);
			break;
		}
		if (wait_limit_ms && now - inv.enqueued_mono >= wait_limit_ms) {
			if (inv.state == INV_QUEUED)
				unqueue(fn, &inv);
			finish(fn, &inv, LOCAL_OUT_WAIT_TIMEOUT, NULL, 0);
			break;
		}
		if (inv.state == INV_RUNNING && fn->pgid > 0) {
			/* Lambda's memory limit, on resident memory. */
			pid_t prog = program_pid(fn->pgid);
			long kb = proc_kb(prog, "VmRSS");
			if (kb > max_kb)
				max_kb = kb;
			if (kb > fn->plan->memory * 1024) {
				char msg[200];
				snprintf(msg, sizeof(msg),
					 "RequestId: %s Error: Runtime exited with error: signal: killed",
					 inv.request_id);
				size_t dl;
				char *doc = error_doc("Runtime.OutOfMemory", msg, &dl);
				finish(fn, &inv, LOCAL_OUT_CRASH, doc, dl);
				local_log("%sout of memory: %ld MB used, %lld MB allowed", fn->log_prefix,
					  kb / 1024, (long long)fn->plan->memory);
				local_proc_kill(fn->pgid);
				break;
			}
			long hwm = proc_kb(prog, "VmHWM");
			if (hwm > max_kb)
				max_kb = hwm;
		}
		if (!fn->pgid && fn->queue_head == &inv) {
			/* Nobody serves: (re)start the process, then look again. */
			pthread_mutex_unlock(&fn->mu);
			local_fn_ensure_running(fn);
			pthread_mutex_lock(&fn->mu);
			if (inv.state != INV_DONE && !fn->pgid) {
				struct timespec ts;
				local_deadline(&ts, 50);
				pthread_cond_timedwait(&fn->cv, &fn->mu, &ts);
			}
			continue;
		}
		struct timespec ts;
		local_deadline(&ts, 50);
		pthread_cond_timedwait(&fn->cv, &fn->mu, &ts);
	}
	if (fn->pgid > 0) {
		long hwm = proc_kb(program_pid(fn->pgid), "VmHWM");
		if (hwm > max_kb)
			max_kb = hwm;
	}
	fn->active--;
	out->outcome = inv.outcome;
	out->payload = inv.payload;
	out->len = inv.payload_len;
	int64_t started = inv.started_mono;
	int64_t end = local_mono_ms();
	bool restart = !fn->pgid && !fn->stopping;
	pthread_mutex_unlock(&fn->mu);

	if (started) {
		out->duration_ms = end - started;
		double ms = (double)(end - started);
		local_log("%sEND RequestId: %s", fn->log_prefix, inv.request_id);
		if (max_kb >= 0)
			local_log("%sREPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %.0f ms\t"
				  "Memory Size: %lld MB\tMax Memory Used: %ld MB",
				  fn->log_prefix, inv.request_id, ms, ms < 1 ? 1 : ms,
				  (long long)fn->plan->memory, (max_kb + 1023) / 1024);
		else
			local_log("%sREPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %.0f ms\t"
				  "Memory Size: %lld MB",
				  fn->log_prefix, inv.request_id, ms, ms < 1 ? 1 : ms,
				  (long long)fn->plan->memory);
	}
	/* A crash or a timeout leaves the function warm again. */
	if (restart)
		local_fn_ensure_running(fn);
}

void local_fn_stop(local_fn *fn)
{
	pthread_mutex_lock(&fn->mu);
	fn->stopping = true;
	pid_t pg = fn->pgid;
	pthread_cond_broadcast(&fn->cv);
	pthread_mutex_unlock(&fn->mu);
	local_proc_kill(pg);
	/* The Runtime API's waiting `next` calls see `stopping` and return. */
	local_http_stop(fn->rapi);
	fn->rapi = NULL;
}
