#!/bin/sh
# example_users_orders.sh - examples/users-orders end to end (issue "the four
# services"): a copy of the example directory runs the README's
# `svcgen local` command; the README's curl commands run with curl and every
# status and body is checked, then the rest over HTTP (tests/local/
# example_users_orders.py): unique username and e-mail through one
# TransactWriteItems, KSUID order ids sorting by time, the user and orders
# from one Query, 404s and 400s, CORS, and the notifier's messages on an SQS
# queue subscribed to its topic (each new order, nothing for a user).
#
# The example's handlers are plain builds, so the sanitizer pass would only
# rerun svcgen local under ASan for about 20 s: local_e2e.sh covers that
# already, and this suite is skipped there.  Ends with "N passed, N failed".
set -u
if [ -n "${SVCGEN_SANITIZED:-}" ]; then
	echo "skipped under the sanitizer pass: the example's handlers are plain builds;"
	echo "svcgen local under ASan is local_e2e.sh's (notes, denied, killed)"
	echo "0 passed, 0 failed"
	exit 0
fi
BUILD=${BUILD:-build}
SVCGEN=${SVCGEN:-$PWD/$BUILD/svcgen}
export SVCGEN
py=$PWD/build/venv/bin/python
if [ ! -x "$py" ]; then
	echo "FAIL  build/venv is missing (scripts/deps.sh test)"
	echo "0 passed, 1 failed"
	exit 1
fi
export SVCGEN_MOTO_PYTHON="$PWD/build/moto/bin/python"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
timeout 300 "$py" tests/local/example_users_orders.py "$work"
