#!/bin/sh
# thin_cli.sh - the two binaries (src/tool/tool_exec.c): svcgen, the thin
# CLI, links none of the libraries of `diff` and `local` (ldd), and for
# those two commands replaces itself with svcgen-full: same process (pid,
# argv unchanged; /proc/PID/exe is svcgen-full), same stdout, stderr and
# exit codes as svcgen-full run directly; --help and --version agree.
# svcgen-full is found next to the thin binary (the build tree) and in
# ../lib/svcgen (`make install-bin` into a DESTDIR), and moto beside
# svcgen-full in both layouts (a stand-in moto that records that it ran;
# SIGINT stops svcgen local and it).  A thin binary alone says in one line
# what is missing and where it looked, exits 2, and still validates.
#
# Env: SVCGEN (absolute path of the thin binary; default build/svcgen),
# BUILD.  Runs from the repository root.  Ends with "N passed, N failed".
set -u
BUILD=${BUILD:-build}
SVCGEN=${SVCGEN:-$PWD/$BUILD/svcgen}
FULL=$(dirname "$SVCGEN")/svcgen-full
root=$PWD
tmp=$(mktemp -d "${TMPDIR:-/tmp}/svcgen-thin.XXXXXX") || exit 2
kids=""
cleanup() {
	for p in $kids; do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME="$tmp"
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok    $1"; }
no() { failed=$((failed + 1)); echo "FAIL  $1"; }
# alive PID: it exists and is no zombie (an orphan's exit is reaped by
# whatever init the machine has, maybe never).
alive() {
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "${st%% *}" != Z ]
}

if [ ! -x "$SVCGEN" ] || [ ! -x "$FULL" ]; then
	no "$SVCGEN and $FULL are built (make)"
	echo "$passed passed, $failed failed"
	exit 1
fi

# ---- what each binary links ------------------------------------------------
heavy='libgit2|libcurl|libmicrohttpd|librhonabwy|libgnutls|libjansson|libssh2|libnghttp2'
thin_libs=$(ldd "$SVCGEN" 2>&1)
full_libs=$(ldd "$FULL" 2>&1)
if printf '%s\n' "$thin_libs" | grep -qE "$heavy"; then
	no "svcgen links none of $heavy:"
	printf '%s\n' "$thin_libs" | grep -E "$heavy" | sed 's/^/      /'
else
	ok "svcgen links none of libgit2, libcurl, libmicrohttpd, librhonabwy, gnutls ($(printf '%s\n' "$thin_libs" | wc -l) ldd lines)"
fi
printf '%s\n' "$thin_libs" | grep -q 'libyaml' && printf '%s\n' "$thin_libs" | grep -q 'libcjson' &&
	ok "svcgen links libyaml and libcjson" || no "svcgen links libyaml and libcjson"
missing=""
for l in libgit2 libcurl libmicrohttpd librhonabwy libgnutls; do
	printf '%s\n' "$full_libs" | grep -q "$l" || missing="$missing $l"
done
[ -z "$missing" ] && ok "svcgen-full links libgit2, libcurl, libmicrohttpd, librhonabwy, gnutls" ||
	no "svcgen-full links$missing"

# ---- the same program for the user ------------------------------------------
for bin in "$SVCGEN" "$FULL"; do
	help=$("$bin" --help)
	miss=""
	for c in generate validate init check diff graph local; do
		printf '%s\n' "$help" | grep -qE "^  $c +" || miss="$miss $c"
	done
	[ -z "$miss" ] && ok "$(basename "$bin") --help lists every command" ||
		no "$(basename "$bin") --help lacks:$miss"
done
[ "$("$SVCGEN" --help)" = "$("$FULL" --help)" ] && ok "--help: the same text from both" ||
	no "--help: the same text from both"
[ "$("$SVCGEN" --version)" = "$("$FULL" --version)" ] && ok "--version: the same from both" ||
	no "--version: the same from both"

# A repository where s.yaml is new since HEAD: `diff` finds changes (exit 1).
r=$tmp/repo
mkdir -p "$r" && git -C "$r" init -q -b main && git -C "$r" config user.name "svcgen test" &&
	git -C "$r" config user.email "test@example.com" && echo x >"$r/README" &&
	git -C "$r" add -A && git -C "$r" commit -q -m first || no "a git repository"
cp "$root/examples/notes/service.yaml" "$r/s.yaml"

# same_run NAME WANT_RC ARG...: the thin binary and svcgen-full, run in the
# repository with ARGs, print the same stdout and stderr and exit WANT_RC.
same_run() {
	name=$1 want=$2
	shift 2
	(cd "$r" && "$SVCGEN" "$@" >"$tmp/t.out" 2>"$tmp/t.err"); trc=$?
	(cd "$r" && "$FULL" "$@" >"$tmp/f.out" 2>"$tmp/f.err"); frc=$?
	if [ "$trc" -ne "$want" ] || [ "$frc" -ne "$want" ]; then
		no "$name: exit $want (thin $trc, full $frc)"
		sed 's/^/      /' "$tmp/t.err"
	elif ! cmp -s "$tmp/t.out" "$tmp/f.out" || ! cmp -s "$tmp/t.err" "$tmp/f.err"; then
		no "$name: the same stdout and stderr as svcgen-full"
		diff "$tmp/f.out" "$tmp/t.out" | head -n 10 | sed 's/^/      /'
		diff "$tmp/f.err" "$tmp/t.err" | head -n 10 | sed 's/^/      /'
	elif [ ! -s "$tmp/t.out" ] && [ ! -s "$tmp/t.err" ]; then
		no "$name: prints something"
	else
		ok "$name: exit $want, the same output as svcgen-full"
	fi
}
same_run "diff --help" 0 diff --help
same_run "diff s.yaml (new since HEAD)" 1 diff s.yaml
same_run "diff s.yaml --format json" 1 diff s.yaml --format json
same_run "diff --fail-on none" 0 diff s.yaml --fail-on none
same_run "diff --fail-on sometimes (usage)" 2 diff s.yaml --fail-on sometimes
same_run "diff --rev no-such-rev" 2 diff s.yaml --rev no-such-rev
same_run "local --help" 0 local --help
same_run "local without SPEC (usage)" 2 local
same_run "local --port x (usage)" 2 local s.yaml --port x

# ---- svcgen local through the thin binary, in a layout -----------------------
# run_local NAME THIN MOTO_DIR FULL: `THIN local` on notes, --no-build, with a
# stand-in moto at MOTO_DIR/bin/python that records its pid and sleeps;
# checks that it was found, that the process running is svcgen-full (FULL,
# relative to THIN's directory) with THIN's argv, and that SIGINT stops both.
run_local() {
	name=$1 thin=$2 moto=$3
	mkdir -p "$moto/bin"
	rm -f "$tmp/moto.pid"
	printf '#!/bin/sh\necho $$ >"%s"\nexec sleep 120\n' "$tmp/moto.pid" >"$moto/bin/python"
	chmod +x "$moto/bin/python"
	env -u SVCGEN_MOTO_PYTHON "$thin" local "$root/examples/notes/service.yaml" \
		-o "$tmp/out-$name" --no-build --port 0 >"$tmp/local.log" 2>&1 &
	pid=$!
	kids="$kids $pid"
	i=0
	while [ ! -s "$tmp/moto.pid" ] && [ $i -lt 300 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ -s "$tmp/moto.pid" ]; then
		ok "$name: svcgen-full finds moto at $moto"
		mpid=$(cat "$tmp/moto.pid")
		kids="$kids $mpid"
	else
		no "$name: svcgen-full finds moto at $moto:"
		sed 's/^/      /' "$tmp/local.log"
		mpid=""
	fi
	exe=$(readlink "/proc/$pid/exe")
	want=$(cd "$(dirname "$thin")" && cd "$(dirname "$4")" && pwd -P)/svcgen-full
	[ "$exe" = "$want" ] && ok "$name: pid $pid is now svcgen-full (exec, no child)" ||
		no "$name: pid $pid runs $want (runs '$exe')"
	arg0=$(tr '\0' '\n' <"/proc/$pid/cmdline" | head -n 1)
	[ "$arg0" = "$thin" ] && ok "$name: argv unchanged" || no "$name: argv[0] '$arg0', not '$thin'"
	kill -INT "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 "$pid" 2>/dev/null && { no "$name: svcgen local stops on SIGINT"; kill -KILL "$pid"; }
	wait "$pid"
	if [ -n "$mpid" ] && alive "$mpid"; then
		no "$name: SIGINT stops svcgen local and its moto"
		ps -o pid,ppid,stat,args -p "$mpid" | sed 's/^/      /'
		sed 's/^/      /' "$tmp/local.log"
	else
		ok "$name: SIGINT stops svcgen local and its moto"
	fi
}

# The build tree: DIR/svcgen, DIR/svcgen-full, DIR/moto.
mkdir -p "$tmp/b"
cp "$SVCGEN" "$FULL" "$tmp/b/"
run_local build "$tmp/b/svcgen" "$tmp/b/moto" "svcgen-full"

# An installed tree: PREFIX/bin/svcgen, PREFIX/lib/svcgen/{svcgen-full,moto}.
dest=$tmp/dest
# -o: install the binaries under test as they are, never rebuild them here.
if make -s --no-print-directory -C "$root" BUILD="$BUILD" DESTDIR="$dest" PREFIX=/opt/sg \
	-o "$BUILD/svcgen" -o "$BUILD/svcgen-full" install-bin >"$tmp/install.log" 2>&1; then
	ok "make install-bin"
else
	no "make install-bin:"
	sed 's/^/      /' "$tmp/install.log"
fi
for f in bin/svcgen lib/svcgen/svcgen-full; do
	if [ -x "$dest/opt/sg/$f" ]; then ok "installed: PREFIX/$f"; else no "installed: PREFIX/$f"; fi
done
cmp -s "$dest/opt/sg/bin/svcgen" "$SVCGEN" && cmp -s "$dest/opt/sg/lib/svcgen/svcgen-full" "$FULL" &&
	ok "installed: the thin binary in bin, svcgen-full in lib/svcgen" ||
	no "installed: the thin binary in bin, svcgen-full in lib/svcgen"
out=$(cd "$r" && "$dest/opt/sg/bin/svcgen" diff s.yaml --format json 2>&1); rc=$?
[ "$rc" -eq 1 ] && [ "$out" = "$(cd "$r" && "$FULL" diff s.yaml --format json 2>&1)" ] &&
	ok "installed: diff runs lib/svcgen/svcgen-full" || no "installed: diff runs lib/svcgen/svcgen-full (exit $rc)"
run_local installed "$dest/opt/sg/bin/svcgen" "$dest/opt/sg/lib/svcgen/moto" "../lib/svcgen/svcgen-full"

# ---- the thin binary alone ----------------------------------------------------
mkdir -p "$tmp/lonely"
cp "$SVCGEN" "$tmp/lonely/svcgen"
err=$(cd "$r" && "$tmp/lonely/svcgen" diff s.yaml 2>&1 >/dev/null); rc=$?
[ "$rc" -eq 2 ] && ok "alone: diff exits 2" || no "alone: diff exits 2 ($rc)"
lines=$(printf '%s\n' "$err" | wc -l)
case $err in
*svcgen-full*"$tmp/lonely/svcgen-full"*"$tmp/lonely/../lib/svcgen/svcgen-full"*)
	[ "$lines" -eq 1 ] && ok "alone: one line naming svcgen-full and both places" ||
		no "alone: one line ($lines): $err" ;;
*) no "alone: the message names svcgen-full and both places: $err" ;;
esac
(cd "$r" && "$tmp/lonely/svcgen" local s.yaml >/dev/null 2>&1); rc=$?
[ "$rc" -eq 2 ] && [ ! -e "$r/out" ] && ok "alone: local exits 2, writes nothing" ||
	no "alone: local exits 2, writes nothing ($rc)"
"$tmp/lonely/svcgen" validate "$root/examples/notes/service.yaml" >/dev/null 2>&1 &&
	ok "alone: validate needs no svcgen-full" || no "alone: validate needs no svcgen-full"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
