# common.sh - shared by the CloudFormation/IAM suites (tests/suites/cfn_lint.sh,
# cfn_moto.sh, checkov.sh, golden.sh, iam_policy.sh).  POSIX sh; sourced,
# not run.  Suites run from the repository root with BUILD and SVCGEN set by
# tests/run.sh (defaults: build, $PWD/$BUILD/svcgen).
#
#   cfn_setup NAME        checks, a temp dir in $CFN_TMP removed on exit
#   cfn_generate OUT [ONLY [PROOF]]
#                         `svcgen generate` every examples/*/service.yaml into
#                         OUT/<example>/ (--only ONLY, default cfn,iam);
#                         fails with "svcgen generate is not available" when
#                         no OUT/<example>/PROOF appears (default
#                         cloudformation/template.json)
#   cfn_examples          the example names (file names without .yaml)
#   cfn_venv_python VENV  prints VENV/bin/python or fails saying how to make it

BUILD=${BUILD:-build}
SVCGEN=${SVCGEN:-$PWD/$BUILD/svcgen}
CFN_ONLY_DEFAULT=cfn,iam
# No __pycache__ directories in the work tree from the suites' Python.
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE

cfn_setup() { # cfn_setup SUITE-NAME
	CFN_SUITE=$1
	if [ ! -d examples ] || [ ! -d tests/cfn ]; then
		echo "$CFN_SUITE: run from the repository root" >&2
		echo "0 passed, 1 failed"
		exit 2
	fi
	CFN_TMP=$(mktemp -d) || exit 2
	trap 'rm -rf "$CFN_TMP"' EXIT
	trap 'rm -rf "$CFN_TMP"; exit 130' INT TERM
}

cfn_examples() {
	for f in examples/*/service.yaml; do
		[ -f "$f" ] || continue
		d=${f%/service.yaml}
		echo "${d##*/}"
	done
}

cfn_venv_python() { # cfn_venv_python build/venv
	if [ ! -x "$1/bin/python" ]; then
		echo "$CFN_SUITE: $1/bin/python is missing; run scripts/deps.sh test" >&2
		return 1
	fi
	echo "$1/bin/python"
}

# cfn_generate OUT [ONLY [PROOF]]: 0 when every example generated PROOF.
# Prints one line per example; svcgen's own messages go to OUT/<ex>.log.
cfn_generate() {
	out=$1
	only=${2:-$CFN_ONLY_DEFAULT}
	proof=${3:-cloudformation/template.json}
	if [ ! -x "$SVCGEN" ]; then
		echo "$CFN_SUITE: $SVCGEN does not exist; build it first (make)"
		return 1
	fi
	mkdir -p "$out" || return 1
	if [ -z "$(cfn_examples)" ]; then
		echo "$CFN_SUITE: no examples/*/service.yaml"
		return 1
	fi
	gen_rc=0
	for ex in $(cfn_examples); do
		"$SVCGEN" generate "examples/$ex/service.yaml" -o "$out/$ex" --only "$only" \
			>"$out/$ex.log" 2>&1
		rc=$?
		if [ ! -f "$out/$ex/$proof" ]; then
			echo "$CFN_SUITE: svcgen generate is not available:" \
				"\`svcgen generate examples/$ex/service.yaml --only $only\` exited $rc" \
				"and wrote no $proof"
			sed 's/^/    /' "$out/$ex.log" | head -n 20
			gen_rc=1
		elif [ "$rc" -ne 0 ]; then
			echo "$CFN_SUITE: svcgen generate examples/$ex/service.yaml failed (exit $rc)"
			sed 's/^/    /' "$out/$ex.log" | head -n 20
			gen_rc=1
		else
			echo "generated examples/$ex/service.yaml -> $ex/ ($(find "$out/$ex" -type f | wc -l | tr -d ' ') files)"
		fi
	done
	return $gen_rc
}
