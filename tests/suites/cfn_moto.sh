#!/bin/sh
# cfn_moto.sh - every example's CloudFormation template deploys on moto
# (a local AWS emulator) and the resources match the spec: tables, functions,
# roles and their policies (equal to iam/<function>.json), stream mappings,
# topics, the REST API.  tests/cfn/deploy_moto.py says what is checked and
# which resource types moto cannot verify.
#
# Generates each examples/*/service.yaml (--only cfn,iam) into a temp dir, then runs
# deploy_moto.py with build/venv's Python; it starts moto on 127.0.0.1 on a
# free port and always stops it.  Bounded: deploy_moto.py gives up after 600 s,
# and `timeout` kills it 60 s later if it hangs anyway.  Runs from the
# repository root; ends with "N passed, N failed".
set -u
. tests/cfn/common.sh
cfn_setup cfn_moto

py=$(cfn_venv_python build/venv) || { echo "0 passed, 1 failed"; exit 2; }
if ! cfn_generate "$CFN_TMP/out"; then
	echo "cfn_moto: cannot deploy without generated templates"
	echo "0 passed, 1 failed"
	exit 1
fi
# shellcheck disable=SC2046 # one argument per example name
timeout -k 10 660 "$py" tests/cfn/deploy_moto.py "$CFN_TMP/out" $(cfn_examples)
rc=$?
if [ "$rc" -ge 124 ]; then
	echo "cfn_moto: deploy_moto.py killed by timeout (exit $rc)"
	echo "0 passed, 1 failed"
fi
exit "$rc"
