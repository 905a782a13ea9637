/*
 * local.h - `svcgen local`: the whole service on this machine, each
 * function under its own permissions (DESIGN.md section 7).
 *
 *   curl -> API front (routing, authorizers, CORS) -> Runtime API -> bootstrap
 *   bootstrap -> AWS calls -> least-privilege proxy (iam/<fn>.json) -> moto
 *   table stream -> poller (as the function, through the proxy) -> stream function
 *
 * sg_local_run takes a plan and the file set `generate` builds for it
 * (already written to `dir`), builds the handlers for this machine, starts
 * the local AWS endpoint (moto server, or the one given), creates the
 * spec's tables, topics and user pool from the plan, starts one warm
 * process per function behind a Runtime API of its own, the proxy and the
 * API front, and serves until `stop` is set (SIGINT/SIGTERM in the tool).
 * Everything it started is stopped before it returns.
 *
 * Parts (each a file of src/local/): gateway_*.c (API Gateway), jwt_auth.c
 * (Cognito/JWT), sigv4.c (SigV4 verification), iam_eval.c and aws_authz.c
 * (the policy check), runtime_api.c (Lambda Runtime API and invocations),
 * proc.c (process supervision), moto.c (the AWS endpoint), bootstrap.c (its
 * resources), proxy.c, poller.c (stream event sources), report.c (--iam
 * soft's report), front.c (the API front), local.c (this entry point).
 */
#ifndef SVCGEN_LOCAL_H
#define SVCGEN_LOCAL_H

#include <signal.h>
#include <stdbool.h>

#include "svcgen/diag.h"
#include "svcgen/fileset.h"
#include "svcgen/plan.h"

/* How a denial of the least-privilege proxy is handled. */
typedef enum sg_local_iam_mode {
	SG_LOCAL_IAM_ENFORCE, /* deny as AWS denies (default) */
	SG_LOCAL_IAM_SOFT,    /* log the denial, let the call through, report on stop */
} sg_local_iam_mode;

typedef struct sg_local_opts {
	const char *dir;           /* the generated output directory (absolute or relative) */
	const char *host;          /* address of the API front: "127.0.0.1" */
	unsigned port;             /* its port; 0 picks a free one */
	const char *aws_endpoint;  /* an AWS endpoint already running, or NULL: start moto */
	sg_local_iam_mode iam;
	bool no_build;             /* do not run make (the handlers are built) */
	const char *self_exe;      /* path of the running binary (svcgen-full), to find moto */
	volatile sig_atomic_t *stop; /* set to non-zero to stop */
} sg_local_opts;

/*
 * Run the service of `plan` (built from `spec_path`) with the generated
 * files `fs` already written to opts->dir, until *opts->stop.  Writes
 * opts->dir/local.json while running (api_url, aws_endpoint, region,
 * access_key_id, secret_access_key, user_pool_id and user_pool_client_id
 * with Cognito, and per function its own credentials) and removes it on
 * stop.  Prints one line per route and "listening on http://HOST:PORT" on
 * stdout; logs go to stderr.  Problems that stop the start go to `diags`
 * (code "local").  Returns SG_OK after a clean stop, SG_EIO when something
 * could not start.
 */
int sg_local_run(const sg_plan *plan, const sg_fileset *fs, const sg_local_opts *opts,
		 sg_diags *diags);

/*
 * Where moto's environment is for the svcgen-full at `self_exe`: the
 * SVCGEN_MOTO_PYTHON environment variable (a Python with moto installed),
 * else <dir of self_exe>/moto/bin/python (a repository build: build/moto
 * beside build/svcgen-full; `make install`: PREFIX/lib/svcgen/moto beside
 * PREFIX/lib/svcgen/svcgen-full), else <dir>/../lib/svcgen/moto/bin/python
 * (a binary in PREFIX/bin).  Returns an arena string, or NULL when none
 * exists.
 */
const char *sg_local_moto_python(sg_arena *arena, const char *self_exe);

#endif
