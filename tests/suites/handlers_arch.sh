#!/bin/sh
# handlers_arch.sh - a handler project builds and tests on any machine with
# a C compiler, whatever architecture its spec gives its functions, and
# `make package` says what to install when the cross toolchain is missing.
#
# examples/notes/service.yaml with every function set to the other architecture
# than this machine's, and the cross compiler made absent
# (CROSS_CC_<arch>=/nonexistent/...):
#   - `make` and `make test` succeed and build for this machine;
#   - `make package` fails, naming the Debian package of the cross
#     compiler (gcc-aarch64-linux-gnu / gcc-x86-64-linux-gnu) and the way
#     out (make package ARCH=<this machine>);
#   - `make package ARCH=<this machine>` succeeds.
# Ends with "N passed, N failed".
set -u
. tests/handlers/lib.sh
hs_setup handlers_arch
host=$(hs_host_arch)
if [ "$host" = x86_64 ]; then other=arm64; pkg=gcc-aarch64-linux-gnu; want=x86-64
else other=x86_64; pkg=gcc-x86-64-linux-gnu; want=aarch64; fi
spec="$HS_TMP/notes.yaml"
sed "s/architecture: arm64/architecture: $other/" examples/notes/service.yaml >"$spec"
grep -q "architecture: $other" "$spec" || { bad "cannot set the architecture"; hs_finish; }
"$SVCGEN" generate "$spec" -o "$HS_TMP/out" --only handlers >/dev/null 2>&1 || {
	bad "generate failed"; hs_finish; }
proj="$HS_TMP/out/handlers"
nocc="CROSS_CC_$other=/nonexistent/$other-cc"
if hs_make "$HS_TMP/make.log" "$proj" "$nocc"; then
	if file -L "$proj/build/get_note/bootstrap" | grep -q "$want"; then
		ok "make: functions of a $other spec build for this $host machine without a cross compiler"
	else
		bad "make: get_note/bootstrap is not for $host: $(file -L "$proj/build/get_note/bootstrap")"
	fi
else
	bad "make fails without a $other cross compiler"
	hs_tail "$HS_TMP/make.log"
fi
if hs_make "$HS_TMP/test.log" "$proj" "$nocc" test; then
	ok "make test: passes without a $other cross compiler"
else
	bad "make test fails without a $other cross compiler"
	hs_tail "$HS_TMP/test.log"
fi
if hs_make "$HS_TMP/package.log" "$proj" "$nocc" package; then
	bad "make package succeeded without the $other cross compiler"
elif grep -q "install.*$pkg" "$HS_TMP/package.log" &&
	grep -q "make package ARCH=$host" "$HS_TMP/package.log"; then
	ok "make package: without the cross compiler it names $pkg and ARCH=$host"
else
	bad "make package: the error does not name $pkg and ARCH=$host"
	hs_tail "$HS_TMP/package.log"
fi
if hs_make "$HS_TMP/package-host.log" "$proj" "$nocc" package ARCH="$host" &&
	[ -f "$proj/build/get_note.zip" ]; then
	ok "make package ARCH=$host: packages for this machine"
else
	bad "make package ARCH=$host failed"
	hs_tail "$HS_TMP/package-host.log"
fi
hs_finish
