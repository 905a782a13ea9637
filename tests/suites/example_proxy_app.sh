#!/bin/sh
# example_proxy_app.sh - examples/proxy-app end to end (issue 13): a copy of the example
# directory, its README's `svcgen local service.yaml -o .` run there, and
# the README's curl commands run as written against it, each answer checked
# against what the README shows; see tests/local/example_proxy_app.py for
# what else it proves.  Only HTTP and the local AWS endpoint (moto).
#
# Under the sanitizer pass (SVCGEN_SANITIZED=1) it runs too: the svcgen
# under test is the ASan/UBSan build (the handlers are plain builds), about
# 15 s.  Ends with "N passed, N failed".
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
export SVCGEN_MOTO_PYTHON="$PWD/build/moto/bin/python"
[ -n "${SVCGEN_SANITIZED:-}" ] && export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
timeout 300 "$py" tests/local/example_proxy_app.py "$work"
