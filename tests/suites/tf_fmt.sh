#!/bin/sh
# tf_fmt.sh - every example's Terraform configuration is exactly what
# `terraform fmt` would write: HCL's own formatter (hclwrite.Format, which
# `terraform fmt` runs) leaves every .tf file byte for byte unchanged, and
# the extra rewrites of `terraform fmt` (label re-quoting, lone
# interpolations, quoted variable types) would not apply.
#
# Reuses the checker of tests/suites/hcl_fmt.sh: tests/tf/hclfmt
# (hclfmtcheck, hashicorp/hcl v2.23.0, pinned), installed into $BUILD/gobin
# when missing.  One check per example (all of its files), one for the
# output of tests/unit/test_emit_tf.c's tricky spec, then one that
# the checker rejects a misformatted copy.  Needs Go and, the first time,
# the Go module proxy.  Runs from the repository root; ends with
# "N passed, N failed".
set -u
. tests/tf/common.sh
tf_setup tf_fmt

pass=0
fail=0
ok() { echo "ok    $1"; pass=$((pass + 1)); }
bad() { echo "FAIL  $1"; fail=$((fail + 1)); }
give_up() { bad "$1"; echo "$pass passed, $fail failed"; exit 1; }

checker=$(tf_go_tool hclfmt hclfmtcheck) || give_up "cannot build tests/tf/hclfmt"
tf_generate "$TF_TMP/out" tf || give_up "svcgen generate --only tf failed"

for ex in $(tf_examples); do
	files=$(find "$TF_TMP/out/$ex/terraform" -name '*.tf' | sort)
	n=$(echo "$files" | grep -c .)
	# shellcheck disable=SC2086 # one path per word, none with spaces
	if [ "$n" -gt 0 ] && "$checker" $files >"$TF_TMP/$ex.log" 2>&1; then
		ok "$ex: $n files, $(cat $files | wc -l | tr -d ' ') lines unchanged by hclwrite.Format"
	else
		bad "$ex: $n files:"
		sed "s|$TF_TMP/out/||g; s/^/        /" "$TF_TMP/$ex.log"
	fi
done

# The tricky spec of tests/unit/test_emit_tf.c: every escape, non-ASCII.
unit=$TF_BUILD/tests/test_emit_tf
if [ -x "$unit" ]; then
	mkdir "$TF_TMP/unit"
	if SG_TF_DUMP=$TF_TMP/unit "$unit" >"$TF_TMP/unit.log" 2>&1 &&
		"$checker" "$TF_TMP/unit"/*.tf >"$TF_TMP/unit.fmt" 2>&1; then
		ok "tricky strings (tests/unit/test_emit_tf.c): $(grep -c '^ok ' "$TF_TMP/unit.fmt") files unchanged"
	else
		bad "tricky strings (tests/unit/test_emit_tf.c):"
		cat "$TF_TMP/unit.log" "$TF_TMP/unit.fmt" 2>/dev/null | sed 's/^/        /'
	fi
else
	bad "no $unit: build the unit tests first (make BUILD=$BUILD)"
fi

# The checker must notice a misaligned `=` in real output.
f=$TF_TMP/out/users-orders/terraform/lambda.tf
sed 's/^  runtime          = /  runtime = /' "$f" >"$TF_TMP/misaligned.tf"
if cmp -s "$f" "$TF_TMP/misaligned.tf"; then
	bad "self-check: the mutation changed nothing (update the test)"
elif "$checker" "$TF_TMP/misaligned.tf" >/dev/null 2>&1; then
	bad "self-check: a misaligned copy of users-orders' lambda.tf was accepted"
else
	ok "self-check: a misaligned copy of users-orders' lambda.tf is rejected"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
