#!/bin/sh
# tf_terraform.sh - Terraform checked by Terraform itself: `terraform init`,
# `validate` and `plan` on every example's configuration (and on the tricky
# strings' of tests/unit/test_emit_tf.c), so that Terraform core checks
# argument types, required arguments and blocks, references, functions
# (try, filebase64sha256, jsonencode), meta-arguments and the dependency
# graph, with the AWS provider's published schema.
#
# The AWS provider binary cannot be had here, so the provider is a mock:
# tests/tf/tfmock (Go, hashicorp/terraform-plugin-go, pinned by its
# go.mod/go.sum) serves hashicorp/aws 6.40.0's schema as tests/tf/aws_schema.py
# extracts it from the pinned npm package, plans every attribute as given or
# unknown, answers data sources with plausible known values, and applies
# nothing.  Terraform is the real one, at the pinned version
# (TF_CORE_VERSION in tests/tf/common.sh; built from the Go module proxy
# into build/terraform/ when the one on PATH differs).  The mock is
# installed through a filesystem mirror named in a temporary CLI config
# (TF_CLI_CONFIG_FILE); nothing reaches a network: no registry, no
# checkpoint.
#
# Per configuration: init, validate, plan; the plan must create exactly one
# resource per resource block, and change and destroy nothing.  Then
# self-checks: mutated copies that Terraform must refuse (a wrong argument
# type, an unknown function, an unsupported attribute, a dependency cycle, a
# count that is not a number), so a pass means something.  Checks emitted
# bytes only: skipped in the sanitizer pass.  Needs go, npm, python3.  Runs
# from the repository root; ends with "N passed, N failed".
set -u
if [ "${SVCGEN_SANITIZED:-0}" = 1 ]; then
	echo "tf_terraform: checks emitted bytes only; run once, in the plain pass"
	echo "0 passed, 0 failed"
	exit 0
fi
. tests/tf/common.sh
tf_setup tf_terraform

pass=0
fail=0
ok() { echo "ok    $1"; pass=$((pass + 1)); }
bad() { echo "FAIL  $1"; fail=$((fail + 1)); }
give_up() { bad "$1"; echo "$pass passed, $fail failed"; exit 1; }

terraform=$(tf_terraform) || give_up "no Terraform $TF_CORE_VERSION"
mock=$(tf_go_tool tfmock) || give_up "cannot build tests/tf/tfmock"
schema=$(tf_provider_schema) || give_up "cannot extract the AWS provider schema"
py=$(tf_python) || give_up "no python3"
echo "$("$terraform" version | head -n 1), provider: tfmock serving hashicorp/aws 6.40.0's schema"

# The mirror holds the mock as hashicorp/aws 6.40.0 for this platform.
platform=$("$terraform" version -json | "$py" -c 'import json,sys; print(json.load(sys.stdin)["platform"])')
mirror=$TF_TMP/mirror
mkdir -p "$mirror/registry.terraform.io/hashicorp/aws/6.40.0/$platform"
cp "$mock" "$mirror/registry.terraform.io/hashicorp/aws/6.40.0/$platform/terraform-provider-aws_v6.40.0"
cat >"$TF_TMP/cli.tfrc" <<EOF2
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
}
EOF2
TF_CLI_CONFIG_FILE=$TF_TMP/cli.tfrc
CHECKPOINT_DISABLE=1
TF_IN_AUTOMATION=1
SVCGEN_TFMOCK_SCHEMA=$schema
export TF_CLI_CONFIG_FILE CHECKPOINT_DISABLE TF_IN_AUTOMATION SVCGEN_TFMOCK_SCHEMA
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_WORKSPACE

tf_generate "$TF_TMP/out" tf || give_up "svcgen generate --only tf failed"

# run_tf DIR LOG: init, validate, plan; 0 when all three pass.
run_tf() {
	(cd "$1" && "$terraform" init -input=false -no-color -backend=false &&
		"$terraform" validate -no-color &&
		"$terraform" plan -input=false -lock=false -no-color -out=tfplan) >"$2" 2>&1
}

check() { # check LABEL DIR
	log=$TF_TMP/tf.log
	if ! run_tf "$2" "$log"; then
		bad "$1: terraform init/validate/plan failed:"
		grep -v '^\s*$' "$log" | tail -n 25 | sed 's/^/        /'
		return
	fi
	blocks=$(cat "$2"/*.tf | grep -c '^resource "')
	(cd "$2" && "$terraform" show -json tfplan) >"$TF_TMP/plan.json" 2>>"$log"
	summary=$("$py" - "$TF_TMP/plan.json" <<'EOF2'
import collections, json, sys
p = json.load(open(sys.argv[1]))
acts = collections.Counter("+".join(r["change"]["actions"]) for r in p.get("resource_changes", [])
                           if r["mode"] == "managed")
data = sum(1 for r in p.get("prior_state", {}).get("values", {}).get("root_module", {})
           .get("resources", []) if r["mode"] == "data")
print(acts.get("create", 0), sum(acts.values()) - acts.get("create", 0), data)
EOF2
)
	set -- "$1" "$2" $summary
	if [ "$3" = "$blocks" ] && [ "$4" = 0 ]; then
		ok "$1: init, validate, plan: $3 to create ($blocks resource blocks), $5 data sources read"
	else
		bad "$1: the plan creates $3 and otherwise changes $4, for $blocks resource blocks"
	fi
}

for ex in $(tf_examples); do
	check "$ex" "$TF_TMP/out/$ex/terraform"
done

unit=$TF_BUILD/tests/test_emit_tf
if [ -x "$unit" ]; then
	mkdir "$TF_TMP/unit"
	if SG_TF_DUMP=$TF_TMP/unit "$unit" >"$TF_TMP/unit.log" 2>&1; then
		rm -f "$TF_TMP/unit/expect.json"
		check "tricky strings' configuration" "$TF_TMP/unit"
	else
		bad "test_emit_tf failed"
	fi
else
	bad "no $unit: build the unit tests first (make BUILD=$BUILD)"
fi

# Self-checks on the users-orders configuration: Terraform must refuse each mutant.
base=$TF_TMP/out/users-orders/terraform
mutant() { # mutant LABEL FILE SED-EXPRESSION EXPECTED-MESSAGE [APPENDED-TEXT]
	rm -rf "$TF_TMP/m"
	mkdir "$TF_TMP/m"
	cp "$base"/*.tf "$TF_TMP/m/"
	sed "$3" "$base/$2" >"$TF_TMP/m/$2"
	[ -z "${5:-}" ] || printf '%s\n' "$5" >>"$TF_TMP/m/$2"
	if cmp -s "$base/$2" "$TF_TMP/m/$2"; then
		bad "self-check '$1': the mutation changed nothing (update the test)"
	elif run_tf "$TF_TMP/m" "$TF_TMP/m.log"; then
		bad "self-check '$1': Terraform accepted it"
	elif grep -q "$4" "$TF_TMP/m.log"; then
		ok "self-check '$1': refused ($4)"
	else
		bad "self-check '$1': refused, but not with '$4':"
		grep -v '^\s*$' "$TF_TMP/m.log" | tail -n 8 | sed 's/^/        /'
	fi
}
mutant "wrong argument type" lambda.tf 's/^\(  memory_size *= \)256$/\1"lots"/' \
	"Incorrect attribute value type"
mutant "unknown function" iam.tf 's/= jsonencode(/= jsonencodee(/' \
	"Call to unknown function"
mutant "unsupported attribute" api.tf 's/\.execution_arn}/.execution_arns}/' \
	"Unsupported attribute"
mutant "dependency cycle" iam.tf 's/^  role = aws_iam_role\.add_user\.id$/  role = aws_lambda_function.add_user.role/' \
	"Cycle:"
mutant "count not a number" sns.tf 's/^resource "aws_sns_topic" "order_events" {$/&\n  count = "x"/' \
	"a number is required"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
