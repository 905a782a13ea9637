#!/bin/sh
# cfn_lint.sh - every example's CloudFormation template passes cfn-lint with
# no finding at all: errors, warnings and informational findings
# (DESIGN.md section 5, "cfn-lint reports nothing").
#
# Generates each examples/*/service.yaml (--only cfn,iam) into a temp dir and runs
# the pinned cfn-lint from build/venv on each template, for us-east-1 (the
# reference region of the rule set) and the spec's own region.  `-I`
# (--include-checks I) adds the informational rules, which cfn-lint leaves
# out by default.  Nothing is ignored or configured away: cfn-lint runs in
# the temp dir with HOME there too (no .cfnlintrc applies), and a template
# carrying its own suppressions (Metadata "cfn-lint", "checkov") fails.
# One check per template: the root and every nested stack's
# (cloudformation/stacks/*.json), linted in one cfn-lint run per example.  Needs scripts/deps.sh test.  Runs from
# the repository root.
set -u
. tests/cfn/common.sh
cfn_setup cfn_lint

py=$(cfn_venv_python build/venv) || { echo "0 passed, 1 failed"; exit 2; }
lint=$PWD/build/venv/bin/cfn-lint
pass=0
fail=0
if ! cfn_generate "$CFN_TMP/out"; then
	echo "cfn_lint: cannot lint without generated templates"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "$("$lint" --version 2>&1)"
for ex in $(cfn_examples); do
	region=$("$py" tests/cfn/speclib.py region "examples/$ex/service.yaml") || region=us-east-1
	regions=us-east-1
	[ "$region" = us-east-1 ] || regions="us-east-1 $region"
	rels=$(cd "$CFN_TMP/out/$ex" && ls cloudformation/template.json cloudformation/stacks/*.json 2>/dev/null)
	log=$CFN_TMP/$ex.lint
	# One cfn-lint run per example (its start-up is most of a template's
	# time); it checks each template on its own and names the file first on
	# every finding line, so the findings are told apart below.
	# shellcheck disable=SC2086 # regions and the templates are word lists on purpose
	(cd "$CFN_TMP/out" && HOME=$CFN_TMP "$lint" --include-checks I --format parseable \
		--regions $regions -- $(for rel in $rels; do echo "$ex/$rel"; done)) >"$log" 2>&1
	rc=$?
	# Output naming no template: cfn-lint itself failed; every template fails.
	grep -v "^$ex/cloudformation/" "$log" >"$log.other"
	for rel in $rels; do
		tpl="$CFN_TMP/out/$ex/$rel"
		awk -v p="$ex/$rel:" 'index($0, p) == 1' "$log" >"$log.one"
		cat "$log.other" >>"$log.one"
		# A template that silences cfn-lint or checkov itself fails too.
		"$py" tests/cfn/cfnlib.py inline-suppressions "$tpl" 2>&1 |
			sed 's/^/template suppresses findings itself: /' >>"$log.one"
		# A non-zero exit must be explained by some template's findings.
		if [ ! -s "$log.one" ] && { [ "$rc" -eq 0 ] || grep -q "^$ex/cloudformation/" "$log"; }; then
			echo "ok    $ex: $rel ($regions): no findings"
			pass=$((pass + 1))
		else
			n=$(grep -c . "$log.one")
			echo "FAIL  $ex: $rel ($regions): cfn-lint exit $rc, $n line(s):"
			sed 's/^/        /' "$log.one"
			fail=$((fail + 1))
		fi
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
