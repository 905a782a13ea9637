#!/bin/sh
# handler.sh - figures of a generated handler (bench/bench_handler.py):
# cold start (process start to its first `next`), GetItem invocations
# against moto in a warm process (median, p99), the zip's size.  Generates
# examples/notes/service.yaml, packages it for this machine, and measures get_note.
# Prints figures; asserts nothing.  Needs build/venv (scripts/deps.sh test,
# run here when it is missing).
set -eu
BUILD=${BUILD:-build}
py=$PWD/build/venv/bin/python
[ -x "$py" ] || scripts/deps.sh test >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/svcgen-bench-handler.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
"$BUILD/svcgen" generate examples/notes/service.yaml -o "$tmp/notes" >/dev/null
arch=$(uname -m)
[ "$arch" = aarch64 ] && arch=arm64
# Not svcgen's make settings (BUILD, CC, CFLAGS... are meant for svcgen).
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD -u CC -u CFLAGS -u ARCH \
	make -s -C "$tmp/notes/handlers" -j2 all package ARCH="$arch" >"$tmp/make.log" 2>&1 || {
	echo "handler benchmark: the handlers did not build:"
	tail -n 20 "$tmp/make.log"
	exit 1
}
"$py" bench/bench_handler.py --out "$tmp/notes" --function get_note
