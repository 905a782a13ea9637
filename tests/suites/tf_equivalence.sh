#!/bin/sh
# tf_equivalence.sh - the Terraform configuration describes the same
# infrastructure as the CloudFormation template, for every example
# (DESIGN.md section 5: "the same resources as the CloudFormation template,
# type for type").
#
# The CloudFormation -> Terraform type table is svcgen's own
# (include/svcgen/tfmap.h, src/plan/tfmap.c), printed per example by
# tests/tf/tfmap_dump.c; tests/tf/equivalence.py states the equivalence:
# the same count per Terraform type (companion resources such as inline
# policies, method integrations and responses, stage method settings
# counted from their CloudFormation properties), every resource at the
# address the table names, each function's policy statements equal in
# template, configuration and iam/<function>.json, and literal settings
# equal.  The configuration is read by tests/tf/tfdump (HashiCorp's HCL
# parser).  One check per example, then self-checks on mutated copies.
# Needs Go and python3.  Runs from the repository root; ends with
# "N passed, N failed".
set -u
. tests/tf/common.sh
tf_setup tf_equivalence

pass=0
fail=0
ok() { echo "ok    $1"; pass=$((pass + 1)); }
bad() { echo "FAIL  $1"; fail=$((fail + 1)); }
give_up() { bad "$1"; echo "$pass passed, $fail failed"; exit 1; }

tfdump=$(tf_go_tool tfdump) || give_up "cannot build tests/tf/tfdump"
tfmap=$(tf_c_tool tfmap_dump) || give_up "cannot build tests/tf/tfmap_dump.c"
py=$(tf_python) || give_up "no python3"
tf_generate "$TF_TMP/out" cfn,tf,iam || give_up "svcgen generate failed"

compare() { # compare LABEL EXAMPLE OUT-DIR
	if ! "$tfmap" "examples/$2/service.yaml" >"$TF_TMP/$2.tfmap.json" 2>"$TF_TMP/$2.tfmap.log"; then
		bad "$1: tfmap_dump failed:"
		sed 's/^/        /' "$TF_TMP/$2.tfmap.log"
		return 1
	fi
	"$py" tests/tf/equivalence.py "$TF_TMP/$2.tfmap.json" "$tfdump" "$3" >"$TF_TMP/eq.log" 2>&1
}
for ex in $(tf_examples); do
	if compare "$ex" "$ex" "$TF_TMP/out/$ex"; then
		ok "$ex: $(grep -m 1 'template:' "$TF_TMP/eq.log" | sed 's/^ *//')"
		sed 's/^/      /' "$TF_TMP/eq.log"
	else
		bad "$ex:"
		sed 's/^/        /' "$TF_TMP/eq.log"
	fi
done

# Self-checks: each mutation of users-orders' output must be reported.
mutant() { # mutant LABEL FILE SED-EXPRESSION
	rm -rf "$TF_TMP/m"
	cp -R "$TF_TMP/out/users-orders" "$TF_TMP/m"
	sed "$3" "$TF_TMP/out/users-orders/$2" >"$TF_TMP/m/$2"
	if cmp -s "$TF_TMP/out/users-orders/$2" "$TF_TMP/m/$2"; then
		bad "self-check '$1': the mutation changed nothing (update the test)"
	elif compare "self-check" users-orders "$TF_TMP/m"; then
		bad "self-check '$1': not reported"
	else
		ok "self-check '$1': reported ($(grep -m 1 -v 'want\|^  aws_\|template:\|policies:\|settings:' "$TF_TMP/eq.log" | sed 's/^ *//' | cut -c1-110))"
	fi
}
mutant "a resource missing" terraform/sns.tf 's/^resource "aws_sns_topic" "order_events"/resource "aws_sns_topic" "order_events_x"/'
mutant "an extra action" terraform/iam.tf '0,/"dynamodb:Query"/s//"dynamodb:Query", "dynamodb:Scan"/'
mutant "another memory size" terraform/lambda.tf '0,/memory_size      = 256/s//memory_size      = 128/'
mutant "iam/ file differs" iam/add_user.json 's/"Logs"/"Log"/'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
