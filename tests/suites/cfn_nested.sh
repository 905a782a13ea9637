#!/bin/sh
# cfn_nested.sh - a service past CloudFormation's quotas: 300 paths with two
# methods each (600 routes, 600 functions, over 3,000 resources) deploys on
# moto with its nested stacks and every function exists; cfn-lint is clean
# on every one of its templates (all levels, informational included); and
# `svcgen diff` between the spec and the same spec plus one route shows
# additions only (an HTTP API), or additions and the new deployment a REST
# API's immutable snapshots always bring, never a move or a replacement.
# tests/cfn/nested_moto.py says how.  Checks emitted bytes and moto:
# skipped in the sanitizer pass.  Needs scripts/deps.sh test and git.
# Runs from the repository root; ends with "N passed, N failed".
set -u
if [ "${SVCGEN_SANITIZED:-0}" = 1 ]; then
	echo "cfn_nested: checks emitted bytes only; run once, in the plain pass"
	echo "0 passed, 0 failed"
	exit 0
fi
. tests/cfn/common.sh
cfn_setup cfn_nested

py=$(cfn_venv_python build/venv) || { echo "0 passed, 1 failed"; exit 2; }
lint=$PWD/build/venv/bin/cfn-lint
helper=tests/cfn/nested_moto.py
pass=0
fail=0
ok() { echo "ok    $1"; pass=$((pass + 1)); }
bad() { echo "FAIL  $1"; fail=$((fail + 1)); }

"$py" "$helper" spec 300 2 rest "$CFN_TMP/big.yaml" || bad "write the spec"
if "$SVCGEN" generate "$CFN_TMP/big.yaml" -o "$CFN_TMP/out" --only cfn,iam >"$CFN_TMP/gen.log" 2>&1; then
	ok "generate 600 routes: $(ls "$CFN_TMP/out/cloudformation/stacks" | wc -l | tr -d ' ') nested stacks"
else
	bad "generate 600 routes:"
	sed 's/^/        /' "$CFN_TMP/gen.log"
	echo "$pass passed, $fail failed"
	exit 1
fi

# cfn-lint, every template in one run (it checks each on its own).
n=$(cd "$CFN_TMP/out" && ls cloudformation/template.json cloudformation/stacks/*.json | wc -l)
(cd "$CFN_TMP/out" && HOME=$CFN_TMP "$lint" --include-checks I --format parseable \
	--regions us-east-1 -- cloudformation/template.json cloudformation/stacks/*.json) \
	>"$CFN_TMP/lint.log" 2>&1
rc=$?
grep -v ' - cfnlint\.' "$CFN_TMP/lint.log" >"$CFN_TMP/lint.findings"
if [ "$rc" -eq 0 ] && [ ! -s "$CFN_TMP/lint.findings" ]; then
	ok "cfn-lint: no findings in any of the $(echo $n) templates"
else
	bad "cfn-lint exit $rc on the $(echo $n) templates:"
	head -n 30 "$CFN_TMP/lint.findings" | sed 's/^/        /'
fi

if timeout -k 10 960 "$py" "$helper" deploy "$CFN_TMP/out" "$CFN_TMP/big.yaml" >"$CFN_TMP/deploy.log" 2>&1; then
	grep '^moto on' "$CFN_TMP/deploy.log"
	grep '^ok' "$CFN_TMP/deploy.log" | sed 's/^ok    /ok    moto: /'
	pass=$((pass + $(grep -c '^ok' "$CFN_TMP/deploy.log")))
else
	bad "moto deploy:"
	grep -v '^No Moto\|Tried to parse\|parse_resource' "$CFN_TMP/deploy.log" | tail -n 30 | sed 's/^/        /'
fi

# diff: the spec committed, then one route more.
for type in http rest; do
	repo=$CFN_TMP/repo-$type
	mkdir -p "$repo"
	"$py" "$helper" spec 300 2 "$type" "$repo/s.yaml"
	(cd "$repo" && git init -q && git -c user.name=t -c user.email=t@example.com add s.yaml &&
		git -c user.name=t -c user.email=t@example.com commit -q -m spec) || bad "git"
	"$py" "$helper" spec 300 2 "$type" "$repo/s.yaml" extra
	(cd "$repo" && "$SVCGEN" diff s.yaml --format json) >"$CFN_TMP/diff-$type.json" 2>"$CFN_TMP/diff.err"
	if "$py" "$helper" diff "$CFN_TMP/diff-$type.json" "$type" >"$CFN_TMP/diff.log" 2>&1; then
		ok "$(sed 's/^ok    //' "$CFN_TMP/diff.log")"
	else
		bad "diff ($type):"
		sed 's/^/        /' "$CFN_TMP/diff.log" "$CFN_TMP/diff.err" | head -n 30
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
