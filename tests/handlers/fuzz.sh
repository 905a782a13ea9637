#!/bin/sh
# fuzz.sh [SECONDS] - fuzz the generated runtime's event handling with
# libFuzzer (tests/handlers/fuzz_event.c) under ASan + UBSan.  Not part of
# the test suite: run it by hand from the repository root after changing
# templates/handlers_runtime_*.  Needs clang and a built svcgen
# (BUILD=build by default).  The corpus starts from the sample events of
# every example and tests/handlers/events/, and stays in
# $BUILD/fuzz-event/corpus between runs.
set -eu
BUILD=${BUILD:-build}
SECONDS_TO_RUN=${1:-180}
work="$BUILD/fuzz-event"
rm -rf "$work/gen"
mkdir -p "$work/corpus"
"$BUILD/svcgen" generate tests/handlers/escapes.yaml -o "$work/gen" --only handlers >/dev/null
rt="$work/gen/handlers/runtime"
for ex in examples/*.yaml; do
	"$BUILD/svcgen" generate "$ex" -o "$work/ex" --only handlers >/dev/null
done
cp "$work"/ex/handlers/events/*.json tests/handlers/events/*.json "$work/corpus/" 2>/dev/null || true
# shellcheck disable=SC2046 # pkg-config's flags are words
clang -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -I"$rt" $(pkg-config --cflags libcjson) \
	tests/handlers/fuzz_event.c "$rt"/lambda_event.c "$rt"/lambda_stream.c "$rt"/lambda_response.c \
	"$rt"/lambda_invoke.c "$rt"/lambda_log.c "$rt"/lambda_util.c "$rt"/lambda_config.c \
	$(pkg-config --libs libcjson) -o "$work/fuzz_event"
# Logs go to stdout on every invocation: keep them out of the way.
LOG_LEVEL=error "$work/fuzz_event" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 \
	-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/" \
	"$work/corpus" >/dev/null
