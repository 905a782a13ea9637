#!/bin/sh
# bad_inputs.sh - the bad-input corpus.
#
# Every tests/bad/NAME.yaml has a NAME.expect holding the exact diagnostic
# lines `svcgen validate` must print for it (file:line:col: severity:
# message [code]) and nothing else, plus an optional `exit N` line (default
# 1).  Lines starting with '#' in .expect files are comments.
set -u
SVCGEN=${SVCGEN:-$PWD/build/svcgen}
cd tests/bad || exit 1
pass=0
fail=0
for spec in *.yaml; do
	exp="${spec%.yaml}.expect"
	if [ ! -f "$exp" ]; then
		echo "FAIL $spec: no $exp"
		fail=$((fail + 1))
		continue
	fi
	want_exit=$(sed -n 's/^exit \([0-9]*\)$/\1/p' "$exp")
	[ -n "$want_exit" ] || want_exit=1
	want=$(grep -v -e '^#' -e '^exit ' "$exp")
	got=$("$SVCGEN" validate "$spec" 2>&1 >/dev/null)
	rc=$?
	got=$(printf '%s\n' "$got" | grep -E ': (error|warning): ')
	if [ "$rc" -ne "$want_exit" ]; then
		echo "FAIL $spec: exit $rc, want $want_exit"
		printf '%s\n' "$got" | sed 's/^/    got: /'
		fail=$((fail + 1))
	elif [ "$got" != "$want" ]; then
		echo "FAIL $spec: diagnostics differ"
		printf '%s\n' "$want" | sed 's/^/    want: /'
		printf '%s\n' "$got" | sed 's/^/    got:  /'
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
	# JSON form: the same diagnostics, machine-readable, never a crash.
	if ! "$SVCGEN" validate --format json "$spec" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d, list) and all(set(x) == {"file", "line", "column", "severity", "code", "message"} for x in d)
' ; then
		echo "FAIL $spec: --format json did not print a diagnostics array"
		fail=$((fail + 1))
	fi
done
echo "bad inputs: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -ge 40 ] || { [ "$pass" -lt 40 ] && echo "corpus has only $pass specs; at least 40 required"; exit 1; }
