#!/bin/sh
# parliament.sh - every function's IAM policy in every example has no
# parliament finding, community auditors on (tests/iam/parliament_check.py
# says what is linted, how placeholders are resolved, and what is not).
#
# Generates each examples/*/service.yaml (--only cfn,iam) into a temp dir and runs
# the checker with build/venv's Python (parliament pinned in
# tests/requirements.txt).  Only checks emitted bytes: skipped in the
# sanitizer pass.  Runs from the repository root; ends with "N passed, N failed".
set -u
if [ "${SVCGEN_SANITIZED:-0}" = 1 ]; then
	echo "parliament: checks emitted bytes only; run once, in the plain pass"
	echo "0 passed, 0 failed"
	exit 0
fi
. tests/cfn/common.sh
cfn_setup parliament

py=$(cfn_venv_python build/venv) || { echo "0 passed, 1 failed"; exit 2; }
if ! cfn_generate "$CFN_TMP/out"; then
	echo "parliament: cannot lint policies without generated output"
	echo "0 passed, 1 failed"
	exit 1
fi
# shellcheck disable=SC2046 # one argument per example name
"$py" tests/iam/parliament_check.py "$CFN_TMP/out" $(cfn_examples)
