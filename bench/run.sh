#!/bin/sh
# run.sh - the benchmarks.  Prints figures; the targets are in README.md.
set -eu
BUILD=${BUILD:-build}
for n in 10 100 500 2000; do
	"$BUILD/bench_parse" "$n" 20
done

echo
sh bench/handler.sh
