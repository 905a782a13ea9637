#!/bin/sh
# hcl_fmt.sh - the HCL writer's output is what `terraform fmt` would write.
#
# Builds tests/tf/hcl_sample.c against $BUILD/libsvcgen.a, has it write a
# varied .tf file (every expression kind, strings needing every escape,
# alignment groups, nested and empty blocks) plus the values its locals must
# read back, and runs tests/tf/hclfmt (hclfmtcheck) on it: HCL's own parser
# must accept it, hclwrite.Format must leave it byte for byte unchanged, the
# extra rewrites of `terraform fmt` must not apply, and the values must match.
# The outputs the unit tests expect ($BUILD/tests/test_hcl with SG_HCL_DUMP)
# get the same formatter checks.
#
# The checker is a small Go program pinned to github.com/hashicorp/hcl/v2
# v2.23.0 (tests/tf/hclfmt/go.mod and go.sum), the version Terraform 1.11
# uses.  It is installed into build/gobin when missing or older than its
# sources; that needs Go 1.21+ and, the first time, the Go module proxy.
# Without Go the suite fails: a check that cannot run is not a pass.
# Terraform itself is not needed.
#
# Run from the repository root: BUILD=build sh tests/suites/hcl_fmt.sh
set -eu
BUILD=${BUILD:-build}
case $BUILD in
/*) build=$BUILD ;;
*) build=$PWD/$BUILD ;;
esac

if ! command -v go >/dev/null 2>&1; then
	echo "FAIL: go (1.21 or newer) is not installed; the HCL formatter check needs it" >&2
	exit 1
fi

lib=$build/libsvcgen.a
if [ ! -f "$lib" ]; then
	echo "missing $lib: build it first (make BUILD=$BUILD $BUILD/libsvcgen.a)" >&2
	exit 1
fi

# The checker, rebuilt when any of its sources is newer than the binary.
# The checker does not depend on how svcgen is built: one copy for all runs.
gobin=${SVCGEN_TOOLS:-$PWD/build}/gobin
checker=$gobin/hclfmtcheck
if [ ! -x "$checker" ] || [ -n "$(find tests/tf/hclfmt -type f -newer "$checker")" ]; then
	echo "installing hclfmtcheck (hcl v2.23.0) into $gobin"
	mkdir -p "$gobin"
	# GOTOOLCHAIN=local: never download a Go toolchain; -buildvcs=false:
	# the binary does not need to know about this repository's git state.
	(cd tests/tf/hclfmt &&
		GOBIN=$gobin GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false" \
			go install .)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# CC, CFLAGS and SANITIZE come from make (the ASan run sets all three).
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-Wall -Wextra -Werror ${CFLAGS:--O2 -g} ${SANITIZE:-} -Iinclude \
	$(pkg-config --cflags libcjson) tests/tf/hcl_sample.c "$lib" \
	$(pkg-config --libs yaml-0.1 libcjson libgit2) -lm -o "$tmp/hcl_sample"

"$tmp/hcl_sample" "$tmp/sample.tf" "$tmp/expect.json"
echo "sample: $(wc -l <"$tmp/sample.tf") lines"

if ! "$checker" -expect "$tmp/expect.json" "$tmp/sample.tf"; then
	echo "--- the sample as written:"
	cat -n "$tmp/sample.tf"
	exit 1
fi

# The exact texts the unit tests expect, when test_hcl has been built.
if [ -x "$build/tests/test_hcl" ]; then
	mkdir "$tmp/unit"
	if ! SG_HCL_DUMP=$tmp/unit "$build/tests/test_hcl" >"$tmp/unit.log" 2>&1; then
		cat "$tmp/unit.log"
		echo "test_hcl failed" >&2
		exit 1
	fi
	"$checker" "$tmp"/unit/*.tf >"$tmp/unit.log" || { cat "$tmp/unit.log"; exit 1; }
	echo "unit test outputs: $(grep -c '^ok ' "$tmp/unit.log") files stable"
fi

# The checker itself must reject what terraform fmt would change.
printf 'a = 1\nbb = 2\n' >"$tmp/misaligned.tf"
printf 'x = "${var.a}"\n' >"$tmp/lone.tf"
for bad in misaligned lone; do
	if "$checker" "$tmp/$bad.tf" >/dev/null 2>&1; then
		echo "hclfmtcheck accepted $bad.tf" >&2
		exit 1
	fi
done
echo "hcl_fmt: sample is stable under hclwrite.Format and terraform fmt's rewrites"
