#!/bin/sh
# local_e2e.sh - `svcgen local` end to end (issue "svcgen local"), driven
# only through HTTP and the AWS endpoint named in DIR/local.json by
# tests/local/e2e.py (boto3 and botocore from build/venv):
#
#   notes     (REST, no auth) create, read, list, update, delete through the
#             unedited scaffolds; ANY routes; API Gateway's 403s for unknown
#             routes, methods and stages; a record written to the streamed
#             table reaches its function, which publishes it (SQS on the
#             topic receives it); every scaffold call allowed by its policy
#   denied    get_note edited to call DeleteItem, outside its policy: it gets
#             AccessDeniedException and the log names get_note, the action,
#             the table and `notes:delete`; a crash and a 1 s timeout answer
#             502 and the next request is served by a restarted process;
#             reserved concurrency 1 throttles a second request in flight;
#             a failing stream batch is retried once (retries: 1), then
#             discarded;
#             with --iam soft the call goes through and the stop prints the
#             report (needed but not granted, granted but never used)
#   shop      (REST, IAM auth: examples/users-orders with auth: iam, its
#             scaffolds) unsigned 403, signed with local.json's key
#             accepted, wrong secret and unknown key 403; CORS preflight for
#             one of two origins and not another; the stream filter passes an
#             order, not a user
#   cognito   (REST, Cognito) 401 without a token; with the openid scope
#             an ID token and a password-flow access token are refused as
#             AWS refuses them; without scopes both tokens of the local pool
#             create the item; the preflight needs no token
#   items     (HTTP API, IAM) 403 unsigned, signed accepted with the CORS
#             origin added, API Gateway's own preflight, 404 Not Found
#   proxy     ({proxy+}) every path and method reaches the function
#   endpoint  --aws-endpoint: the resources are created on a moto server
#             already running, the API stores there, and it is left running
#   killed    SIGKILL of svcgen leaves none of its processes behind
# and each run: SIGTERM stops everything within 5 s, nothing left behind,
# local.json removed.
#
# Servers bind 127.0.0.1 on free ports; every run is stopped by the driver,
# also on failure.  Under the sanitizer pass (SVCGEN_SANITIZED=1) the
# svcgen under test is the ASan/UBSan build and a subset runs (notes,
# denied, killed), to keep that pass to a few minutes.  Ends with
# "N passed, N failed".
set -u
BUILD=${BUILD:-build}
SVCGEN=${SVCGEN:-$PWD/$BUILD/svcgen}
export SVCGEN
py=$PWD/build/venv/bin/python
if [ ! -x "$py" ]; then
	echo "FAIL  build/venv is missing (scripts/deps.sh test)"
	echo "0 passed, 1 failed"
	exit 1
fi
# moto lives next to the plain build; the sanitizer build finds it here.
export SVCGEN_MOTO_PYTHON="$PWD/build/moto/bin/python"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
if [ -n "${SVCGEN_SANITIZED:-}" ]; then
	set -- notes denied killed
	# Leaks are checked; the handlers themselves are plain builds.
	export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
fi
timeout 1500 "$py" tests/local/e2e.py "$work" "$@"
