#!/bin/sh
# cfn_redeploy.sh - the README's build-and-deploy commands reach the
# function every time: deploy, change a handler, rebuild, deploy again, and
# the function's CodeSha256 changed (tests/cfn/redeploy_moto.py says how,
# and what the control deploy shows).
#
# Generates examples/proxy-app/service.yaml (all outputs) into a temp dir, builds its
# handler project there, and runs the pinned AWS CLI against moto.  Runs
# the C handler build and svcgen itself, so it runs in both passes.
# Needs scripts/deps.sh test.  Runs from the repository root; ends with
# "N passed, N failed".
set -u
. tests/cfn/common.sh
cfn_setup cfn_redeploy

py=$(cfn_venv_python build/venv) || { echo "0 passed, 1 failed"; exit 2; }
if ! "$SVCGEN" generate examples/proxy-app/service.yaml -o "$CFN_TMP/proxy" >"$CFN_TMP/gen.log" 2>&1; then
	echo "cfn_redeploy: svcgen generate examples/proxy-app/service.yaml failed:"
	sed 's/^/    /' "$CFN_TMP/gen.log"
	echo "0 passed, 1 failed"
	exit 1
fi
timeout -k 10 330 "$py" tests/cfn/redeploy_moto.py "$CFN_TMP/proxy"
