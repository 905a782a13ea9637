/*
 * local_int.h - the parts of `svcgen local` and how they share state
 * (src/local/ only).  The public entry point is include/svcgen/local.h.
 *
 * Threads: each HTTP server (the API front, the proxy, one Runtime API per
 * function) serves every connection on a thread of its own, so a request
 * may block until its function answers.  One supervisor thread forks every
 * child process (so PR_SET_PDEATHSIG, which follows the forking thread,
 * outlives nothing) and reaps them.  One poller thread per stream event
 * source.  Shared state is guarded by the mutex next to it.
 */
#ifndef SVCGEN_LOCAL_INT_H
#define SVCGEN_LOCAL_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "svcgen/arena.h"
#include "svcgen/buf.h"
#include "svcgen/gateway.h"
#include "svcgen/iam_eval.h"
#include "svcgen/local.h"
#include "svcgen/plan.h"

/* The account moto serves by default, and the partition of the endpoint. */
#define LOCAL_ACCOUNT "123456789012"
#define LOCAL_PARTITION "aws"
/* API Gateway's payload limit (10 MB) and Lambda's for invocations (6 MB). */
#define LOCAL_MAX_API_BODY (10u * 1024 * 1024)
#define LOCAL_MAX_PAYLOAD (6u * 1024 * 1024)
/* API Gateway's integration timeout: REST 29 s, HTTP APIs 30 s. */
#define LOCAL_REST_INTEGRATION_MS 29000
#define LOCAL_HTTP_INTEGRATION_MS 30000

/* ---- local_util.c ----------------------------------------------------------- */

void local_random_bytes(void *out, size_t n);
void local_uuid(char out[37]);
/* `n` characters of `alphabet` into `out` (room for n + 1). */
void local_random_chars(char *out, size_t n, const char *alphabet);
int64_t local_now_ms(void);   /* wall clock, ms since the epoch */
int64_t local_mono_ms(void);  /* monotonic, ms */
/* `*ts` = CLOCK_MONOTONIC now + ms (for pthread_cond_timedwait on a
 * monotonic condition variable, see local_cond_init). */
void local_deadline(struct timespec *ts, int64_t ms_from_now);
void local_cond_init(pthread_cond_t *cv);
char *local_base64(sg_arena *a, const void *data, size_t len);
int local_unbase64(char **out, size_t *out_len, sg_arena *a, const char *s);
bool local_utf8_valid(const char *s, size_t len);
/* One line to stderr, never interleaved with another. */
void local_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Each line of `data`, prefixed. */
void local_log_lines(const char *prefix, const char *data, size_t len);

/* ---- http.c: the HTTP servers (libmicrohttpd) --------------------------------- */

/*
 * A request handler: fill `resp` for `req`; may block.  `arena` lives until
 * the answer is sent.  Requests over the server's body limit arrive with
 * body NULL and body_len SIZE_MAX.
 */
typedef void (*local_http_handler)(void *ud, sg_arena *arena, const sg_gw_request *req,
				   sg_gw_response *resp);
typedef struct local_http local_http;

/* Serve on host:port (0: a free port) with a thread per connection.
 * Returns 0, or -1 with `err`. */
int local_http_start(local_http **out, const char *host, unsigned port, size_t max_body,
		     local_http_handler handler, void *ud, char *err, size_t err_len);
unsigned local_http_port(const local_http *s);
/* Stop serving; waits for the connection threads (callers first unblock
 * their handlers). */
void local_http_stop(local_http *s);

/* ---- proc.c: child processes ------------------------------------------------ */

/* Called on the supervisor thread when a child is gone; `status` as waitpid's. */
typedef void (*local_exit_fn)(void *ud, pid_t pid, int status);

typedef struct local_spawn {
	const char *const *argv;    /* argv[0] is a path */
	const char *const *envp;    /* the whole environment */
	const char *cwd;            /* or NULL */
	const char *log_prefix;     /* its stdout and stderr, line by line, prefixed */
	uint64_t as_limit;          /* RLIMIT_AS in bytes, 0: none */
	local_exit_fn on_exit;
	void *ud;
} local_spawn;

int local_procs_start(void);
/*
 * Start a child in a process group of its own, under a reaper that kills
 * the group when svcgen dies (PR_SET_PDEATHSIG) or when it is told to.
 * Returns the group's id (> 0), or -1.
 */
pid_t local_proc_spawn(const local_spawn *sp);
/* SIGKILL the whole group of `pgid` (what local_proc_spawn returned). */
void local_proc_kill(pid_t pgid);
/*
 * Run a child to its end (at most `timeout_ms`, 0: no limit, or until
 * *stop); returns its waitpid status, or -1 when it could not start or was
 * killed for time.
 */
int local_proc_run(const local_spawn *sp, int64_t timeout_ms, volatile sig_atomic_t *stop);
/* Kill every group still running and reap them (bounded wait). */
void local_procs_stop(void);

/* ---- runtime_api.c: functions, their Runtime API and invocations --------------- */

typedef enum local_outcome {
	LOCAL_OUT_OK,            /* the function's response */
	LOCAL_OUT_ERROR,         /* the function reported an error (/error) */
	LOCAL_OUT_INIT_ERROR,    /* the runtime failed to start (/init/error or exit) */
	LOCAL_OUT_CRASH,         /* the process died during the invocation */
	LOCAL_OUT_TIMEOUT,       /* the function's timeout passed */
	LOCAL_OUT_WAIT_TIMEOUT,  /* the caller's limit passed before an answer */
	LOCAL_OUT_THROTTLED,     /* reserved concurrency used up */
	LOCAL_OUT_TOO_LARGE,     /* the response is over Lambda's 6 MB */
	LOCAL_OUT_SHUTDOWN,      /* svcgen is stopping */
} local_outcome;

typedef struct local_result {
	local_outcome outcome;
	char *payload;           /* malloc'd: the response, or the error document */
	size_t len;
	char request_id[37];
	int64_t duration_ms;
} local_result;

void local_result_free(local_result *r);

typedef struct local_invocation local_invocation;
typedef struct local_ctx local_ctx;

/* Usage the proxy saw, for --iam soft's report (report.c). */
typedef struct local_seen {
	const char *action, *resource;
	bool allowed;
	struct local_seen *next;
} local_seen;

typedef struct local_fn {
	local_ctx *ctx;
	const sg_plan_function *plan;
	const char *name;          /* spec name */
	const char *physical;      /* "shop-dev-get_user" */
	const char *arn;           /* arn:aws:lambda:REGION:ACCOUNT:function:PHYSICAL */
	const char *bootstrap;     /* the program */
	const char *task_root;     /* its directory */
	const char *log_prefix;    /* "[get_user] " */
	char access_key[21];
	char secret_key[41];
	char session_token[161];
	const char *policy_text;   /* iam/<fn>.json, resolved */
	sg_iam_policy *policy;
	const char **envp;         /* the environment the process gets */

	/* Runtime API and process state, under `mu`. */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	local_http *rapi;
	unsigned rapi_port;
	pid_t pgid;                /* 0: not running; -1: being started */
	pid_t early_exit_pid;      /* exited while being started, and how */
	int early_exit_status;
	unsigned generation;       /* +1 per process start */
	int64_t started_ms;        /* monotonic */
	int fast_exits;            /* exits within a second of starting, in a row */
	int64_t restart_at_ms;     /* monotonic: not before (crash loop backoff) */
	local_invocation *queue_head, *queue_tail;
	local_invocation *current;
	size_t active;             /* queued + current, against reserved concurrency */
	bool init_error;           /* the current process reported /init/error */
	char *init_error_doc;      /* malloc'd */
	bool stopping;

	/* --iam soft and the report: every (action, resource) seen, under seen_mu. */
	pthread_mutex_t seen_mu;
	local_seen *seen;
} local_fn;

/* Start `fn`'s Runtime API server (its process starts with the first call
 * or at once with local_fn_ensure_running). */
int local_fn_start(local_fn *fn, char *err, size_t err_len);
/* Start the process if it is not running (and not in crash backoff). */
void local_fn_ensure_running(local_fn *fn);
/*
 * Invoke `fn` with `event` (`len` bytes, copied) and wait for the outcome,
 * at most `wait_limit_ms` in all (0: the function's timeout plus queueing
 * without limit).  Thread-safe.
 */
void local_fn_invoke(local_fn *fn, const char *event, size_t len, int64_t wait_limit_ms,
		     local_result *out);
/* Stop the process and the Runtime API; fail waiting invocations. */
void local_fn_stop(local_fn *fn);

/* ---- the run ------------------------------------------------------------------ */

typedef struct local_stream {
	local_ctx *ctx;
	local_fn *fn;
	const sg_plan_event *event;
	const char *stream_arn;
	char *shard_id;            /* the shard read (malloc'd, the poller's own) */
	pthread_t thread;
	volatile bool running;
} local_stream;

struct local_ctx {
	sg_arena *arena;
	const sg_plan *plan;
	const sg_fileset *fs;
	const sg_local_opts *opts;
	const char *region;
	const char *partition;
	const char *account;
	const char *aws_endpoint;  /* moto's URL (or --aws-endpoint) */
	const char *admin_key;
	const char *admin_secret;
	pid_t moto_pgid;

	local_fn *fns;
	size_t fn_count;

	/* Resolved resources. */
	const char **table_stream_arns; /* per plan table; NULL without stream */
	const char **topic_arns;        /* per plan topic */
	const char **queue_urls;        /* per plan queue (on-failure destinations) */
	const char **queue_arns;        /* per plan queue */
	const char *user_pool_id;
	const char *user_pool_client_id;
	const char *issuer;
	void *jwt;                      /* sg_jwt_verifier */

	local_http *front;
	unsigned front_port;
	const char *api_url;
	const char *api_id;
	local_http *proxy;
	unsigned proxy_port;
	const char *proxy_url;

	/* The stage's throttle (token bucket), under throttle_mu. */
	pthread_mutex_t throttle_mu;
	double tokens;
	int64_t tokens_at_ms;

	local_stream *streams;
	size_t stream_count;

	volatile sig_atomic_t *stop;
};

local_fn *local_fn_by_key(local_ctx *ctx, const char *access_key);

/* moto.c: start moto server on a free loopback port; sets aws_endpoint. */
int local_moto_start(local_ctx *ctx, sg_diags *diags);
/* Wait until the endpoint answers (bounded). */
int local_endpoint_wait(local_ctx *ctx, int64_t timeout_ms);

/* aws_call.c: calls to the AWS endpoint as its administrator, or as a
 * function (through the proxy). */
typedef struct local_reply {
	long status;
	char *body;                /* malloc'd, NUL-terminated */
	size_t len;
	char error[256];           /* transport error, "" when none */
} local_reply;
void local_reply_free(local_reply *r);
/* A JSON 1.0 call ("DynamoDB_20120810.CreateTable") signed for `service`. */
int local_aws_json(local_ctx *ctx, const local_fn *as, const char *service, const char *target,
		   const char *body, local_reply *out);
/* A Query-protocol call (form body) signed for `service`. */
int local_aws_query(local_ctx *ctx, const char *service, const char *body, local_reply *out);
/* Forward a request to the endpoint as its administrator. */
int local_aws_forward(local_ctx *ctx, const char *service, const sg_gw_request *req,
		      sg_arena *arena, sg_gw_response *resp);

/* bootstrap.c: the spec's resources on the endpoint, from the plan. */
int local_bootstrap(local_ctx *ctx, sg_diags *diags);

/* proxy.c: the least-privilege proxy. */
int local_proxy_start(local_ctx *ctx, char *err, size_t err_len);

/* uses.c: the `uses` entry that grants (action, resource), in the spec's
 * words ("orders:put", "orders.by_email:query", "order_events:publish"),
 * or a sentence saying why none can; a string of `arena` (the caller's:
 * the run's arena is not for the server threads). */
const char *local_uses_for(local_ctx *ctx, sg_arena *arena, const char *action,
			   const char *resource);

/* report.c: record what the proxy saw; print the --iam soft report. */
void local_seen_add(local_fn *fn, const char *action, const char *resource, bool allowed);
void local_report(local_ctx *ctx);

/* jwt_auth.c is public (svcgen/jwt_auth.h); front.c: the API front. */
int local_front_start(local_ctx *ctx, char *err, size_t err_len);

/* poller.c: stream event sources. */
int local_pollers_start(local_ctx *ctx, char *err, size_t err_len);
void local_pollers_stop(local_ctx *ctx);

#endif
