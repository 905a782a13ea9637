#!/bin/sh
# local.sh - figures of `svcgen local` (bench/local.py says which).  Prints,
# asserts nothing.  Needs build/venv (scripts/deps.sh test) for Python.
set -eu
BUILD=${BUILD:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/svcgen-bench-local.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
py=build/venv/bin/python
[ -x "$py" ] || py=python3
echo "== svcgen local =="
"$py" bench/local.py "$tmp" "$PWD/$BUILD/svcgen" "${LOCAL_BENCH_N:-500}"
