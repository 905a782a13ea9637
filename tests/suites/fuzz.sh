#!/bin/sh
# fuzz.sh - the libFuzzer harnesses (tests/fuzz/fuzz_*.c): the spec
# pipeline and the Mustache engine, and the handler runtime's
# (fuzz_rt_*.c, linked with the runtime's sources): API Gateway and
# DynamoDB Streams events (rt_event), DynamoDB answers and error bodies
# through the whole client (rt_ddb), SNS's XML answers and errors and the
# Publish form (rt_sns), AttributeValue conversion (rt_attr).
#
# Every pass replays the seed corpus once through each harness
# ($BUILD/replay_<harness>, no libFuzzer needed): the examples' specs, the
# bad-input corpus and tests/fuzz/corpus/spec/ for the spec pipeline;
# templates/ and tests/fuzz/corpus/mustache/ for the engine;
# tests/fuzz/corpus/rt_<name>/ (and tests/handlers/events/ for rt_event)
# for the runtime's.  A harness aborts on a failed property, and the
# sanitizers of the sanitizer pass stop on any memory error or leak.
#
# The sanitizer pass (SVCGEN_SANITIZED=1) then fuzzes: `make fuzz` builds
# each harness against a coverage-instrumented library (build-fuzz/), and
# each runs from a copy of its seeds with its dictionary, for FUZZ_SECONDS
# (default 60) for the spec pipeline and the engine and FUZZ_RT_SECONDS
# (default 30) for each runtime harness, from seed FUZZ_SEED (default 1); a crash, leak, hang (-timeout 10 s per input) or memory blowup
# (-rss_limit_mb 2048) fails the suite, and the input that caused it is kept
# in $BUILD/fuzz-crashes/ (add it to tests/fuzz/corpus/ once fixed).  The
# README's "Fuzzing" section says how to fuzz longer by hand.
#
# Ends with "N passed, N failed".
set -u
BUILD=${BUILD:-build}
seconds=${FUZZ_SECONDS:-60}
rt_seconds=${FUZZ_RT_SECONDS:-30}
# One seed, so that the pass explores the same inputs on every machine
# (a slower one a prefix of them) and a red run is reproducible;
# FUZZ_SEED=0 lets libFuzzer pick one, as fuzzing by hand does.
seed=${FUZZ_SEED:-1}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok    $1"; }
no() { failed=$((failed + 1)); echo "FAIL  $1"; }

seeds_spec="examples/*/service.yaml tests/bad tests/fuzz/corpus/spec"
seeds_mustache="templates tests/fuzz/corpus/mustache"
seeds_rt_event="tests/handlers/events tests/fuzz/corpus/rt_event"
seeds_rt_ddb="tests/fuzz/corpus/rt_ddb"
seeds_rt_sns="tests/fuzz/corpus/rt_sns"
seeds_rt_attr="tests/fuzz/corpus/rt_attr"
harnesses="spec mustache rt_event rt_ddb rt_sns rt_attr"

for h in $harnesses; do
	eval "seeds=\$seeds_$h"
	bin=$BUILD/replay_fuzz_$h
	if [ ! -x "$bin" ]; then
		no "replay $h: $bin is missing (make replay)"
		continue
	fi
	# shellcheck disable=SC2086
	if out=$("$bin" $seeds 2>&1); then
		ok "replay $h: $(echo "$out" | tail -n 1)"
	else
		no "replay $h: a seed fails:"
		echo "$out" | tail -n 30 | sed 's/^/      /'
	fi
done

if [ "${SVCGEN_SANITIZED:-}" = 1 ]; then
	if ! make --no-print-directory fuzz >"$tmp/build.log" 2>&1; then
		no "make fuzz (the libFuzzer build)"
		tail -n 20 "$tmp/build.log" | sed 's/^/      /'
	else
		for h in $harnesses; do
			eval "seeds=\$seeds_$h"
			case $h in rt_*) secs=$rt_seconds ;; *) secs=$seconds ;; esac
			corpus=$tmp/corpus-$h
			mkdir -p "$corpus"
			for d in $seeds; do
				find "$d" -maxdepth 1 -type f -exec cp {} "$corpus/" \;
			done
			mkdir -p "$tmp/run-$h"
			log=$tmp/fuzz-$h.log
			(cd "$tmp/run-$h" && "$OLDPWD/build-fuzz/fuzz_$h" -max_total_time="$secs" \
				-seed="$seed" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
				-dict="$OLDPWD/tests/fuzz/$h.dict" "$corpus") >"$log" 2>&1
			rc=$?
			runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
			if [ "$rc" -eq 0 ]; then
				ok "fuzz $h: ${runs:-?} inputs in ${secs}s, no crash, leak or hang"
			else
				no "fuzz $h: libFuzzer stopped (exit $rc):"
				grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -n 20 |
					sed 's/^/      /'
				mkdir -p "$BUILD/fuzz-crashes"
				for f in "$tmp/run-$h"/crash-* "$tmp/run-$h"/leak-* "$tmp/run-$h"/timeout-* \
					"$tmp/run-$h"/oom-*; do
					[ -f "$f" ] && cp "$f" "$BUILD/fuzz-crashes/$h-$(basename "$f")" &&
						echo "      kept: $BUILD/fuzz-crashes/$h-$(basename "$f")"
				done
			fi
		done
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
