# common.sh - shared by the Terraform suites (tests/suites/tf_schema.sh,
# tf_fmt.sh, tf_equivalence.sh, golden_tf.sh).  POSIX sh; sourced, not run.
# Suites run from the repository root with BUILD and SVCGEN set by
# tests/run.sh (defaults: build, $PWD/$BUILD/svcgen).
#
#   tf_setup NAME         checks, a temp dir in $TF_TMP removed on exit
#   tf_examples           the example names (file names without .yaml)
#   tf_generate OUT [ONLY]
#                         `svcgen generate` every example into OUT/<example>/
#                         (--only ONLY, default cfn,tf,iam)
#   tf_go_tool DIR [BIN]  builds tests/tf/DIR (a Go module whose binary is
#                         BIN, default DIR) into build/gobin when missing or
#                         older than its sources, prints the binary's path
#   tf_python             a Python 3 (build/venv's when there is one: only the
#                         standard library is needed)
#   tf_schema             prints the path of the AWS provider schema extracted
#                         from the pinned npm package (tests/tf/package.json,
#                         installed with `npm ci` into build/tf-npm once)
#   tf_provider_schema    the same schema in Terraform's own format (what
#                         tests/tf/tfmock serves), extracted with tf_schema's
#   tf_terraform          prints the path of Terraform core at the pinned
#                         version (TF_CORE_VERSION): the one on PATH when it
#                         is that version, else built once from the Go module
#                         proxy into build/terraform/VERSION/
#   tf_c_tool NAME        builds tests/tf/NAME.c against $BUILD/libsvcgen.a
#                         into $TF_TMP/NAME, prints the path
#
# Every helper fails with a message saying what is missing: a check that
# cannot run is not a pass.

BUILD=${BUILD:-build}
SVCGEN=${SVCGEN:-$PWD/$BUILD/svcgen}
# The checkers import tests/tf/tflib.py: no __pycache__ in the work tree.
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE
case $BUILD in
/*) TF_BUILD=$BUILD ;;
*) TF_BUILD=$PWD/$BUILD ;;
esac
# Tools (Go checkers, the npm schema package) do not depend on how svcgen is
# built: one copy serves the plain and the sanitizer runs, beside the venvs.
TF_TOOLS=${SVCGEN_TOOLS:-$PWD/build}

tf_setup() { # tf_setup SUITE-NAME
	TF_SUITE=$1
	if [ ! -d examples ] || [ ! -d tests/tf ]; then
		echo "$TF_SUITE: run from the repository root" >&2
		exit 2
	fi
	TF_TMP=$(mktemp -d) || exit 2
	trap 'rm -rf "$TF_TMP"' EXIT
	trap 'rm -rf "$TF_TMP"; exit 130' INT TERM
}

tf_examples() {
	for f in examples/*/service.yaml; do
		[ -f "$f" ] || continue
		d=${f%/service.yaml}
		echo "${d##*/}"
	done
}

# tf_generate OUT [ONLY]: 0 when every example generated.
tf_generate() {
	out=$1
	only=${2:-cfn,tf,iam}
	if [ ! -x "$SVCGEN" ]; then
		echo "$TF_SUITE: $SVCGEN does not exist; build it first (make)" >&2
		return 1
	fi
	mkdir -p "$out" || return 1
	gen_rc=0
	for ex in $(tf_examples); do
		if ! "$SVCGEN" generate "examples/$ex/service.yaml" -o "$out/$ex" --only "$only" \
			>"$out/$ex.log" 2>&1; then
			echo "$TF_SUITE: svcgen generate examples/$ex/service.yaml --only $only failed:" >&2
			sed 's/^/    /' "$out/$ex.log" | head -n 20 >&2
			gen_rc=1
		fi
	done
	return $gen_rc
}

tf_go_tool() { # tf_go_tool DIR [BIN]
	if ! command -v go >/dev/null 2>&1; then
		echo "$TF_SUITE: go (1.21 or newer) is not installed; tests/tf/$1 needs it" >&2
		return 1
	fi
	bin=$TF_TOOLS/gobin/${2:-$1}
	if [ ! -x "$bin" ] || [ -n "$(find "tests/tf/$1" -type f -newer "$bin")" ]; then
		echo "$TF_SUITE: installing ${2:-$1} (pinned by tests/tf/$1/go.mod) into $TF_TOOLS/gobin" >&2
		mkdir -p "$TF_TOOLS/gobin"
		# GOTOOLCHAIN=local: never download a Go toolchain.
		(cd "tests/tf/$1" && GOBIN=$TF_TOOLS/gobin GOTOOLCHAIN=local \
			GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false" go install .) >&2 || return 1
	fi
	echo "$bin"
}

tf_python() {
	if [ -x build/venv/bin/python ]; then
		echo build/venv/bin/python
	elif command -v python3 >/dev/null 2>&1; then
		command -v python3
	else
		echo "$TF_SUITE: python3 is not installed" >&2
		return 1
	fi
}

# The schema is extracted once per build directory and package-lock: the
# lock file copied next to it is the stamp.
tf_schema() {
	dir=$TF_TOOLS/tf-npm
	schema=$dir/aws-schema.json
	if [ -f "$schema" ] && [ -f "$dir/aws-provider-schema.json" ] &&
		cmp -s tests/tf/package-lock.json "$dir/package-lock.json"; then
		echo "$schema"
		return 0
	fi
	if ! command -v npm >/dev/null 2>&1; then
		echo "$TF_SUITE: npm is not installed; the AWS provider schema comes from an npm package" >&2
		return 1
	fi
	echo "$TF_SUITE: installing the pinned AWS provider schema (tests/tf/package-lock.json)" >&2
	rm -rf "$dir"
	mkdir -p "$dir"
	cp tests/tf/package.json tests/tf/package-lock.json tests/tf/.npmrc "$dir/"
	(cd "$dir" && npm ci --no-fund --no-audit --loglevel=error) >&2 || return 1
	py=$(tf_python) || return 1
	"$py" tests/tf/aws_schema.py "$dir/node_modules/@cdktn/provider-aws/.jsii" "$schema.tmp" \
		"$dir/aws-provider-schema.json.tmp" >&2 || return 1
	mv "$dir/aws-provider-schema.json.tmp" "$dir/aws-provider-schema.json"
	mv "$schema.tmp" "$schema"
	# The package is 500 MB unpacked; only the extract is needed from now on.
	rm -rf "$dir/node_modules"
	echo "$schema"
}

tf_provider_schema() {
	tf_schema >/dev/null || return 1
	echo "$TF_TOOLS/tf-npm/aws-provider-schema.json"
}

# Terraform core, pinned.  1.8.5 is the newest release `go install` can
# build from the Go module proxy: from 1.9 on, terraform's go.mod replaces
# its internal submodules with local paths, which a module download does
# not have and the proxy does not serve on their own.
TF_CORE_VERSION=1.8.5
tf_terraform() {
	if command -v terraform >/dev/null 2>&1 &&
		terraform version 2>/dev/null | head -n 1 | grep -qx "Terraform v$TF_CORE_VERSION"; then
		command -v terraform
		return 0
	fi
	bin=$TF_TOOLS/terraform/$TF_CORE_VERSION/terraform
	if [ -x "$bin" ]; then
		echo "$bin"
		return 0
	fi
	if ! command -v go >/dev/null 2>&1; then
		echo "$TF_SUITE: Terraform $TF_CORE_VERSION is needed and go is not installed to build it" >&2
		return 1
	fi
	echo "$TF_SUITE: building Terraform $TF_CORE_VERSION from the Go module proxy into" \
		"$TF_TOOLS/terraform/$TF_CORE_VERSION (once; a few minutes)" >&2
	mkdir -p "$TF_TOOLS/terraform/$TF_CORE_VERSION"
	(cd "$TF_TOOLS/terraform" && GOBIN=$TF_TOOLS/terraform/$TF_CORE_VERSION GOTOOLCHAIN=local \
		GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false" \
		go install "github.com/hashicorp/terraform@v$TF_CORE_VERSION") >&2 || return 1
	echo "$bin"
}

tf_c_tool() { # tf_c_tool NAME
	lib=$TF_BUILD/libsvcgen.a
	if [ ! -f "$lib" ]; then
		echo "$TF_SUITE: missing $lib: build it first (make BUILD=$BUILD)" >&2
		return 1
	fi
	# CC, CFLAGS and SANITIZE come from make (the ASan run sets all three).
	# shellcheck disable=SC2086
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
		-Wall -Wextra -Werror ${CFLAGS:--O2 -g} ${SANITIZE:-} -Iinclude \
		$(pkg-config --cflags libcjson) "tests/tf/$1.c" "$lib" \
		$(pkg-config --libs yaml-0.1 libcjson libgit2) -lm -o "$TF_TMP/$1" >&2 || return 1
	echo "$TF_TMP/$1"
}
