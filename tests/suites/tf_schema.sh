#!/bin/sh
# tf_schema.sh - every example's Terraform configuration parses with
# HashiCorp's HCL parser and fits the AWS provider's schema; every reference
# resolves (DESIGN.md section 5).
#
# How, offline: tests/tf/tfdump (Go, hashicorp/hcl v2.23.0, pinned) parses
# and evaluates the configuration; the schema is the .jsii assembly of
# @cdktn/provider-aws 23.7.0 (the AWS provider 6.40.0's resources, data
# sources and provider block: every argument, whether it is required, its
# kind, nested blocks), pinned in tests/tf/package.json + package-lock.json
# and installed with `npm ci` into $BUILD/tf-npm; tests/tf/aws_schema.py
# extracts it once.  tests/tf/schema_check.py says what is checked and what
# this cannot catch (value validation, cross-argument rules, deprecations,
# what AWS refuses at apply time).
#
# One check per example, one that the strings of tests/unit/test_emit_tf.c
# read back intact (tests/tf/readback.py), then self-checks: mutated copies of a
# configuration (unknown argument, wrong kind, missing required argument,
# unknown block, dangling reference, unknown attribute, wrong provider
# version, hard-coded account ID, parse error) must each be reported.
# Needs go, npm, python3 and, the first time, the Go module proxy and the
# npm registry.  Runs from the repository root; ends with "N passed, N failed".
set -u
. tests/tf/common.sh
tf_setup tf_schema

pass=0
fail=0
ok() { echo "ok    $1"; pass=$((pass + 1)); }
bad() { echo "FAIL  $1"; fail=$((fail + 1)); }
give_up() { bad "$1"; echo "$pass passed, $fail failed"; exit 1; }

tfdump=$(tf_go_tool tfdump) || give_up "cannot build tests/tf/tfdump"
schema=$(tf_schema) || give_up "cannot install the AWS provider schema"
py=$(tf_python) || give_up "no python3"
tf_generate "$TF_TMP/out" tf || give_up "svcgen generate --only tf failed"

check() { # check LABEL DIR
	if "$py" tests/tf/schema_check.py "$schema" "$tfdump" "$2" >"$TF_TMP/check.log" 2>&1; then
		ok "$1: $(tail -n 1 "$TF_TMP/check.log")"
	else
		bad "$1:"
		sed 's/^/        /' "$TF_TMP/check.log"
	fi
}
for ex in $(tf_examples); do
	check "$ex" "$TF_TMP/out/$ex/terraform"
done

# The tricky spec of tests/unit/test_emit_tf.c (quotes, backslashes,
# newlines, `${`, `%{`, non-ASCII in descriptions, environment values,
# tags, a filter pattern): HCL reads every value back as the spec wrote it,
# and the configuration fits the schema too.
unit=$TF_BUILD/tests/test_emit_tf
if [ -x "$unit" ]; then
	mkdir "$TF_TMP/unit"
	if ! SG_TF_DUMP=$TF_TMP/unit "$unit" >"$TF_TMP/unit.log" 2>&1; then
		bad "test_emit_tf failed:"
		sed 's/^/        /' "$TF_TMP/unit.log"
	elif "$py" tests/tf/readback.py "$tfdump" "$TF_TMP/unit" "$TF_TMP/unit/expect.json" \
		>"$TF_TMP/readback.log" 2>&1; then
		ok "tricky strings: $(tail -n 1 "$TF_TMP/readback.log")"
	else
		bad "tricky strings:"
		sed 's/^/        /' "$TF_TMP/readback.log"
	fi
	[ -d "$TF_TMP/unit" ] && check "tricky strings' configuration" "$TF_TMP/unit"
else
	bad "no $unit: build the unit tests first (make BUILD=$BUILD)"
fi

# Self-checks: each mutation of users-orders' configuration must be reported.
base=$TF_TMP/out/users-orders/terraform
mutant() { # mutant LABEL FILE SED-EXPRESSION [APPENDED-TEXT]
	rm -rf "$TF_TMP/m"
	cp -R "$base" "$TF_TMP/m"
	sed "$3" "$base/$2" >"$TF_TMP/m/$2"
	[ -z "${4:-}" ] || printf '%s\n' "$4" >>"$TF_TMP/m/$2"
	if cmp -s "$base/$2" "$TF_TMP/m/$2"; then
		bad "self-check '$1': the mutation changed nothing (update the test)"
	elif "$py" tests/tf/schema_check.py "$schema" "$tfdump" "$TF_TMP/m" >"$TF_TMP/m.log" 2>&1; then
		bad "self-check '$1': not reported"
	else
		ok "self-check '$1': reported ($(grep -m 1 '^  ' "$TF_TMP/m.log" | sed 's/^ *//'))"
	fi
}
mutant "unknown argument" lambda.tf 's/^  handler  /  handlr   /'
mutant "wrong kind" lambda.tf 's/^\(  memory_size *= \)\([0-9]*\)$/\1"\2"/'
mutant "missing required argument" lambda.tf '/^  function_name  /d'
mutant "argument written as a block" dynamodb.tf 's/^  ttl {/  ttls {/'
mutant "block written as an argument" lambda.tf 's/^  tracing_config {/  tracing_config = {/'
mutant "dangling reference" iam.tf 's/aws_iam_role\.add_user\.id/aws_iam_role.nobody.id/'
mutant "unknown attribute" api.tf 's/\.execution_arn}/.execution_arns}/'
mutant "provider version" versions.tf 's/~> [0-9.]*/~> 5.0/'
mutant "hard-coded account" iam.tf 's/${data\.aws_caller_identity\.current\.account_id}/123456789012/'
mutant "parse error" api.tf 's/^}$/}/' 'resource "aws_sns_topic" "x" {'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
