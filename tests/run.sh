#!/bin/sh
# run.sh - the test suite: every unit test binary, then every suite script.
#
# Unit tests are cmocka programs built from tests/unit/test_*.c into
# $BUILD/tests/.  Suites are tests/suites/*.sh: each exits 0 on success and
# prints what it checked.  Runs from the repository root.  Ends with the
# line "N passed, N failed".
set -u
BUILD=${BUILD:-build}
export BUILD
export SVCGEN="$PWD/$BUILD/svcgen"
export SHARED="${SHARED:-$PWD/../shared}"
passed=0
failed=0
failures=""

run_one() { # run_one NAME COMMAND...
	name=$1; shift
	log="$BUILD/test-logs/$name.log"
	mkdir -p "$(dirname "$log")"
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		printf 'ok    %s\n' "$name"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		printf 'FAIL  %s  (log: %s)\n' "$name" "$log"
		tail -n 30 "$log" | sed 's/^/      /'
	fi
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" "$t"
done
for s in tests/suites/*.sh; do
	[ -f "$s" ] || continue
	run_one "suite/$(basename "$s" .sh)" sh "$s"
done

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
