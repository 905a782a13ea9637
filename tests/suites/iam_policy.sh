#!/bin/sh
# iam_policy.sh - least privilege in every iam/<function>.json of every
# example, and the same statements in the CloudFormation role
# (tests/suites/iam_policy.py says what is checked).
#
# Generates each examples/*/service.yaml (--only cfn,iam) into a temp dir and runs
# the checker with build/venv's Python (PyYAML).  Runs from the repository
# root; ends with "N passed, N failed".
set -u
. tests/cfn/common.sh
cfn_setup iam_policy

py=$(cfn_venv_python build/venv) || { echo "0 passed, 1 failed"; exit 2; }
if ! cfn_generate "$CFN_TMP/out"; then
	echo "iam_policy: cannot check policies without generated output"
	echo "0 passed, 1 failed"
	exit 1
fi
# shellcheck disable=SC2046 # one argument per example name
"$py" tests/suites/iam_policy.py "$CFN_TMP/out" $(cfn_examples)
