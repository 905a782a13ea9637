#!/bin/sh
# handlers_valgrind.sh - the generated runtime serving 100 invocations in
# one process leaks nothing and makes no invalid memory access.
#
# The bootstraps run under `valgrind --leak-check=full` against
# tests/handlers/fake_runtime_api.py, a minimal Runtime API on 127.0.0.1:
# the one place a fake is used, because what is measured is the runtime's
# own memory (handlers_rie.sh checks behaviour against a real
# implementation).  The loop stops after 100 invocations through
# SVCGEN_RUNTIME_MAX_INVOCATIONS, an environment variable only tests set
# (runtime/lambda_runtime.h, lambda_run), and then releases everything
# (curl_global_cleanup included), so "leaks nothing" means every leak kind
# valgrind knows, "still reachable" too.
#
# Events cycle through the function's sample event and the bad and odd
# events of tests/handlers/events/ (truncated and empty JSON, wrong types,
# bad base64, payload 1.0 and 2.0 with every field, stream batches broken
# and whole).  Functions: shop's get_user (REST API, payload 1.0) and
# notify_order (DynamoDB stream), escapes' get_note (HTTP API 2.0 and a
# stream) and orphan (plain events).
#
# Skipped under the sanitizer run (SVCGEN_SANITIZED=1): it does not involve
# svcgen.  Ends with "N passed, N failed".
set -u
. tests/handlers/lib.sh
hs_setup handlers_valgrind

if [ -n "${SVCGEN_SANITIZED:-}" ]; then
	skip "valgrind runs are not repeated under the sanitizers (they do not involve svcgen)"
	hs_finish
fi
if ! command -v valgrind >/dev/null 2>&1; then
	bad "valgrind is not installed (scripts/deps.sh test installs it)"
	hs_finish
fi

N=100
host=$(hs_host_arch)
fake_pid=""
stop_fake() {
	if [ -n "$fake_pid" ]; then
		kill "$fake_pid" 2>/dev/null
		wait "$fake_pid" 2>/dev/null
		fake_pid=""
	fi
}
HS_CLEANUP="stop_fake"

# check NAME SPEC FUNCTION
check() {
	name=$1
	spec=$2
	fn=$3
	proj="$HS_TMP/$name/handlers"
	if [ ! -d "$proj" ]; then
		"$SVCGEN" generate "$spec" -o "$HS_TMP/$name" --only handlers >"$HS_TMP/$name.log" 2>&1 || {
			bad "$name: svcgen generate failed"
			return
		}
	fi
	# -O1 -g: readable valgrind reports, code close to what ships.
	if ! hs_make "$HS_TMP/$name-$fn-make.log" "$proj" ARCH="$host" CFLAGS="-O1 -g" \
		"build/$fn/bootstrap"; then
		bad "$name: $fn: build failed"
		hs_tail "$HS_TMP/$name-$fn-make.log"
		return
	fi
	portf="$HS_TMP/$name-$fn.port"
	rm -f "$portf"
	python3 tests/handlers/fake_runtime_api.py --port-file "$portf" --count $N --timeout 240 \
		"$proj/events/$fn.json" tests/handlers/events/*.json >"$HS_TMP/$name-$fn.fake" 2>&1 &
	fake_pid=$!
	i=0
	while [ ! -s "$portf" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ ! -s "$portf" ]; then
		bad "$name: $fn: the fake Runtime API did not start"
		stop_fake
		return
	fi
	vlog="$HS_TMP/$name-$fn.valgrind"
	AWS_LAMBDA_RUNTIME_API="127.0.0.1:$(cat "$portf")" SVCGEN_RUNTIME_MAX_INVOCATIONS=$N LOG_LEVEL=debug \
		timeout 300 valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--error-exitcode=99 --log-file="$vlog" "$proj/build/$fn/bootstrap" >"$HS_TMP/$name-$fn.out" 2>&1
	rc=$?
	wait "$fake_pid" 2>/dev/null
	fake_pid=""
	summary=$(tail -n 1 "$HS_TMP/$name-$fn.fake")
	served=$(echo "$summary" | python3 -c '
import json, sys
try:
    s = json.load(sys.stdin)
except ValueError:
    print("no summary"); sys.exit()
ok = s["served"] == int(sys.argv[1]) and s["responses"] + s["errors"] == s["served"] and not s["bad_answers"]
print("ok %d responses, %d errors" % (s["responses"], s["errors"]) if ok else "bad %r" % s)' $N)
	if [ "$rc" -eq 0 ] && [ ! -s "$vlog" ] && [ "${served%% *}" = ok ]; then
		ok "$name: $fn: $N invocations under valgrind (${served#ok }): no leak, no error"
	else
		bad "$name: $fn: valgrind exit $rc; Runtime API: $served"
		hs_tail "$vlog" 40
		hs_tail "$HS_TMP/$name-$fn.out" 10
	fi
}

check shop examples/users-orders/service.yaml get_user
check shop examples/users-orders/service.yaml notify_order
check escapes tests/handlers/escapes.yaml get_note
check escapes tests/handlers/escapes.yaml orphan

hs_finish
