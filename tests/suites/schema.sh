#!/bin/sh
# schema.sh - the spec language's JSON Schema against the examples and a set
# of deliberately wrong specs (tests/schema/check_schema.py).
#
# Needs the Python test tools in build/venv (scripts/deps.sh test).  The
# venv lives in build/venv whatever $BUILD names.  Runs from the repository
# root; exits with the checker's status.
set -u
cd "$(dirname "$0")/../.." || exit 2
py=build/venv/bin/python
if [ ! -x "$py" ]; then
	echo "schema: $py is missing; run scripts/deps.sh test" >&2
	exit 2
fi
"$py" tests/schema/check_schema.py
exit $?
