#!/bin/sh
# handlers_build.sh - every example's handler project builds, tests and
# packages (DESIGN.md section 5: "compile with -Wall -Wextra -Werror, their
# tests pass").  For each of examples/*/service.yaml and tests/handlers/escapes.yaml
# (spec text built to break C, Make and Markdown, and every kind of
# handler):
#
#   - svcgen generate --only handlers
#   - make with gcc and with clang (the Makefile's -Wall -Wextra -Werror),
#     for this machine's architecture (ARCH=<host>)
#   - make test with both compilers
#   - make package: each build/<function>.zip has an executable `bootstrap`
#     at its root, bin/function of this machine's architecture, the bundled
#     dynamic loader, and it starts from the unpacked zip (the runtime's
#     "AWS_LAMBDA_RUNTIME_API is not set" line proves loader and libraries
#     work)
#
# Then a real arm64 cross build of one example (examples/dynamodb-manager/service.yaml,
# whose spec says arm64, built without an ARCH override) with the arm64
# toolchain and libraries scripts/deps.sh installs (dpkg --add-architecture
# arm64, gcc-aarch64-linux-gnu, libcurl4-openssl-dev:arm64,
# libcjson-dev:arm64, qemu-user): `make package` runs with the spec's
# arm64, `file` must say aarch64 for the program and every bundled library,
# and under qemu-aarch64 the packaged program must start.  Without a working
# toolchain this step is skipped and says so (HANDLERS_ARM64=0 skips it on
# purpose, HANDLERS_ARM64=require fails instead).
#
# Under the sanitizer run (SVCGEN_SANITIZED=1) only the generation (by the
# sanitized svcgen) and the escapes project's build and tests run again:
# the projects themselves do not change with svcgen's build.
#
# The built projects stay in $BUILD/handlers-suite/ for handlers_rie.sh.
# Ends with "N passed, N failed".
set -u
. tests/handlers/lib.sh
hs_setup handlers_build

host=$(hs_host_arch)
sanitized=${SVCGEN_SANITIZED:-}

check_zip() { # check_zip NAME ZIP FUNCTION
	name=$1
	zip=$2
	fn=$3
	if [ ! -f "$zip" ]; then
		bad "$name: $fn: no $(basename "$zip")"
		return
	fi
	listing=$(unzip -Z "$zip" 2>&1)
	if ! echo "$listing" | grep -Eq '^-rwx.* bootstrap$'; then
		bad "$name: $fn: the zip has no executable bootstrap at its root"
		echo "$listing" | head -n 5 | sed 's/^/        /'
		return
	fi
	x="$HS_TMP/unzip-$name-$fn"
	rm -rf "$x"
	mkdir -p "$x"
	unzip -q "$zip" -d "$x"
	want=$([ "$host" = arm64 ] && echo aarch64 || echo x86-64)
	if ! file -L "$x/bin/function" | grep -q "$want"; then
		bad "$name: $fn: bin/function is not $want: $(file -L "$x/bin/function")"
		return
	fi
	if ! ls "$x"/lib/ld-linux-* >/dev/null 2>&1; then
		bad "$name: $fn: no dynamic loader in lib/"
		return
	fi
	# The packaged program starts with its own loader and libraries.
	out=$(env -i PATH=/usr/bin:/bin "$x/bootstrap" 2>&1)
	rc=$?
	if [ "$rc" -ne 1 ] || ! echo "$out" | grep -q 'AWS_LAMBDA_RUNTIME_API is not set'; then
		bad "$name: $fn: the packaged bootstrap does not start (exit $rc): $out"
		return
	fi
	ok "$name: $fn: zip has executable bootstrap at its root, $want program, $(ls "$x/lib" | wc -l | tr -d ' ') bundled libraries, starts"
}

build_one() { # build_one SPEC
	spec=$1
	name=$(hs_name "$spec")
	dir="$HS_ART/$name"
	rm -rf "$dir"
	mkdir -p "$dir"
	if "$SVCGEN" generate "$spec" -o "$dir/out" --only handlers >"$dir/generate.log" 2>&1; then
		ok "$name: generate ($(find "$dir/out/handlers" -type f | wc -l | tr -d ' ') files)"
	else
		bad "$name: svcgen generate failed"
		hs_tail "$dir/generate.log"
		return
	fi
	proj="$dir/out/handlers"
	fns=$(hs_functions "$proj")
	for cc in gcc clang; do
		[ -n "$sanitized" ] && [ "$cc" = clang ] && continue
		if hs_make "$dir/make-$cc.log" "$proj" ARCH="$host" CC=$cc BUILD=build-$cc; then
			n=0
			for fn in $fns; do
				[ -x "$proj/build-$cc/$fn/bootstrap" ] && n=$((n + 1))
			done
			ok "$name: make with $cc (-Wall -Wextra -Werror): $n bootstraps"
		else
			bad "$name: make with $cc failed"
			hs_tail "$dir/make-$cc.log"
			continue
		fi
		if hs_make "$dir/test-$cc.log" "$proj" ARCH="$host" CC=$cc BUILD=build-$cc test; then
			ok "$name: make test with $cc: $(grep -c '^\[  PASSED  \]' "$dir/test-$cc.log") test programs passed"
		else
			bad "$name: make test with $cc failed"
			hs_tail "$dir/test-$cc.log" 40
		fi
	done
	[ -n "$sanitized" ] && return
	if hs_make "$dir/package.log" "$proj" ARCH="$host" CC=gcc BUILD=build-gcc package; then
		ok "$name: make package"
		for fn in $fns; do
			check_zip "$name" "$proj/build-gcc/$fn.zip" "$fn"
		done
		touch "$dir/.built"
	else
		bad "$name: make package failed"
		hs_tail "$dir/package.log"
	fi
}

if [ -n "$sanitized" ]; then
	for spec in $(hs_specs); do
		name=$(hs_name "$spec")
		if "$SVCGEN" generate "$spec" -o "$HS_TMP/$name" --only handlers >"$HS_TMP/$name.log" 2>&1; then
			ok "$name: generate (sanitized svcgen)"
		else
			bad "$name: svcgen generate failed under the sanitizers"
			hs_tail "$HS_TMP/$name.log"
		fi
	done
	HS_ART="$HS_TMP/art"
	build_one tests/handlers/escapes.yaml
	hs_finish
fi

for spec in $(hs_specs); do
	build_one "$spec"
done

# ---- arm64 cross package --------------------------------------------------------

arm64_ready() {
	command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 &&
		PKG_CONFIG_PATH='' PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig \
			pkg-config --exists libcurl libcjson
}

arm64_check() {
	spec=examples/dynamodb-manager/service.yaml
	name=arm64
	dir="$HS_TMP/$name"
	"$SVCGEN" generate "$spec" -o "$dir" --only handlers >"$HS_TMP/$name.log" 2>&1 || {
		bad "arm64: svcgen generate $spec failed"
		return
	}
	proj="$dir/handlers"
	# The spec's architecture (arm64): no ARCH override.
	if ! hs_make "$HS_TMP/$name-make.log" "$proj" package; then
		bad "arm64: make package (the spec's arm64, cross-compiled) failed"
		hs_tail "$HS_TMP/$name-make.log"
		return
	fi
	x="$HS_TMP/$name-unzip"
	mkdir -p "$x"
	unzip -q "$proj/build/dynamodb_manager.zip" -d "$x"
	if ! file -L "$x/bin/function" | grep -q 'ARM aarch64'; then
		bad "arm64: bin/function is not aarch64: $(file -L "$x/bin/function")"
		return
	fi
	foreign=$(file -L "$x"/lib/* | grep -v 'ARM aarch64')
	if [ -n "$foreign" ]; then
		bad "arm64: bundled libraries that are not aarch64:"
		echo "$foreign" | sed 's/^/        /'
		return
	fi
	ok "arm64: make package for the spec's arm64 (cross): file says aarch64 for bin/function and $(ls "$x/lib" | wc -l | tr -d ' ') libraries"
	if command -v qemu-aarch64 >/dev/null 2>&1; then
		out=$(env -i PATH=/usr/bin:/bin qemu-aarch64 "$x"/lib/ld-linux-aarch64.so.1 --library-path "$x/lib" \
			"$x/bin/function" 2>&1)
		if echo "$out" | grep -q 'AWS_LAMBDA_RUNTIME_API is not set'; then
			ok "arm64: the packaged program starts under qemu-aarch64 with its bundled loader and libraries"
		else
			bad "arm64: the packaged program does not start under qemu-aarch64: $out"
		fi
	else
		skip "arm64: qemu-aarch64 not installed: the package was not started"
	fi
}

case ${HANDLERS_ARM64:-auto} in
0 | no | off)
	skip "arm64: HANDLERS_ARM64=${HANDLERS_ARM64} (cross package not attempted)"
	;;
*)
	if arm64_ready; then
		arm64_check
	elif [ "${HANDLERS_ARM64:-}" = require ]; then
		bad "arm64: no working cross toolchain (scripts/deps.sh test installs it)"
	else
		skip "arm64: no working arm64 cross toolchain (scripts/deps.sh test installs it when run as root)"
	fi
	;;
esac

hs_finish
