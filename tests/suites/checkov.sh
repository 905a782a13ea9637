#!/bin/sh
# checkov.sh - checkov's CloudFormation policies on every example's template;
# every failed check must be an accepted design decision listed, with its
# reason, in tests/cfn/checkov-suppressions.yaml (and every entry there must
# still be needed).  tests/cfn/checkov_report.py judges the report.
#
# Generates each examples/*/service.yaml (--only cfn,iam) into a temp dir and runs
# the pinned checkov from build/venv-checkov once over all templates
# (checkov is slow to start).  --skip-download: no Prisma Cloud / Bridgecrew
# calls, only the checks built into the pinned version.  Needs
# scripts/deps.sh test.  Runs from the repository root; ends with
# "N passed, N failed".
set -u
. tests/cfn/common.sh
cfn_setup checkov

py=$(cfn_venv_python build/venv-checkov) || { echo "0 passed, 1 failed"; exit 2; }
checkov=$PWD/build/venv-checkov/bin/checkov
supp=tests/cfn/checkov-suppressions.yaml
if ! cfn_generate "$CFN_TMP/out"; then
	echo "checkov: cannot scan without generated templates"
	echo "0 passed, 1 failed"
	exit 1
fi
set --
for ex in $(cfn_examples); do
	# The root template and every nested stack's.
	for rel in cloudformation/template.json $(cd "$CFN_TMP/out/$ex" &&
		ls cloudformation/stacks/*.json 2>/dev/null); do
		set -- "$@" -f "$ex/$rel"
	done
done
# checkov exits 1 when a check fails; the report decides, not the status.
# In the temp dir with HOME there: no .checkov.yaml of the machine applies.
(cd "$CFN_TMP/out" && env -u LOG_LEVEL HOME="$CFN_TMP" timeout 600 "$checkov" \
	--skip-download --framework cloudformation --compact -o json "$@") \
	>"$CFN_TMP/checkov.json" 2>"$CFN_TMP/checkov.err"
rc=$?
if [ "$rc" -gt 1 ] || [ -s "$CFN_TMP/checkov.err" ]; then
	echo "checkov exited $rc; its messages:"
	sed 's/^/    /' "$CFN_TMP/checkov.err" | tail -n 30
fi
# shellcheck disable=SC2046 # one argument per example name
"$py" tests/cfn/checkov_report.py "$CFN_TMP/checkov.json" "$supp" $(cfn_examples)
