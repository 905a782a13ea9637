# lib.sh - shared by the handler project suites (tests/suites/handlers_*.sh).
# POSIX sh; sourced, not run.  Suites run from the repository root with
# BUILD and SVCGEN set by tests/run.sh (defaults: build, $PWD/$BUILD/svcgen).
#
#   hs_setup NAME          checks, a temp dir in $HS_TMP removed on exit
#   ok TEXT / bad TEXT / skip TEXT
#                          count and print one check
#   hs_finish              prints "N passed, N failed" and exits accordingly
#   hs_specs               the specs every suite covers: examples/*/service.yaml and
#                          tests/handlers/escapes.yaml (as paths)
#   hs_name SPEC           the spec's short name (file name without .yaml)
#   hs_host_arch           this machine's architecture as the spec says it
#                          (arm64, x86_64)
#   hs_make DIR ARGS...    make -C DIR with a time bound, output to a log
#   hs_prepare NAME SPEC   the generated, natively built and packaged project
#                          of SPEC in $HS_ART/NAME/handlers, reused when
#                          handlers_build.sh made it with this svcgen
#   hs_functions DIR       the functions of the project in DIR (its Makefile)

BUILD=${BUILD:-build}
SVCGEN=${SVCGEN:-$PWD/$BUILD/svcgen}
# Projects built by handlers_build.sh, reused by the other suites.
HS_ART="$PWD/$BUILD/handlers-suite"
HS_MAKE_TIMEOUT=${HS_MAKE_TIMEOUT:-600}
pass=0
fail=0
skipped=0

hs_setup() { # hs_setup SUITE-NAME
	HS_SUITE=$1
	if [ ! -d examples ] || [ ! -d tests/handlers ]; then
		echo "$HS_SUITE: run from the repository root" >&2
		exit 2
	fi
	if [ ! -x "$SVCGEN" ]; then
		echo "$HS_SUITE: $SVCGEN does not exist; build it first (make)"
		echo "0 passed, 1 failed"
		exit 1
	fi
	HS_TMP=$(mktemp -d) || exit 2
	trap 'hs_cleanup' EXIT
	trap 'hs_cleanup; exit 130' INT TERM
}

# Suites add their own cleanups (killing what they started) to HS_CLEANUP.
HS_CLEANUP=""
hs_cleanup() {
	eval "$HS_CLEANUP"
	rm -rf "$HS_TMP"
}

ok() { echo "ok    $1"; pass=$((pass + 1)); }
bad() { echo "FAIL  $1"; fail=$((fail + 1)); }
skip() { echo "skip  $1"; skipped=$((skipped + 1)); }

hs_finish() {
	if [ "$skipped" -gt 0 ]; then
		echo "$pass passed, $fail failed, $skipped skipped"
	else
		echo "$pass passed, $fail failed"
	fi
	[ "$fail" -eq 0 ]
	exit $?
}

hs_specs() {
	for f in examples/*/service.yaml tests/handlers/escapes.yaml; do
		[ -f "$f" ] && echo "$f"
	done
}

hs_name() {
	case $1 in
	*/service.yaml) _hn=${1%/service.yaml}; echo "${_hn##*/}" ;;
	*) _hn=${1##*/}; echo "${_hn%.yaml}" ;;
	esac
}

hs_host_arch() {
	case $(uname -m) in
	aarch64 | arm64) echo arm64 ;;
	*) uname -m ;;
	esac
}

# hs_make LOG DIR ARGS...: make in DIR, bounded, output to LOG; its status.
hs_make() {
	_hm_log=$1
	_hm_dir=$2
	shift 2
	# Not svcgen's make settings: under `make test` MAKEFLAGS and the
	# environment carry BUILD, CC, CFLAGS... meant for svcgen, which a
	# sub-make would take as its own.  Callers say what they want.
	timeout "$HS_MAKE_TIMEOUT" env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		-u BUILD -u CC -u CFLAGS -u CPPFLAGS -u LDFLAGS -u ARCH \
		make --no-print-directory -C "$_hm_dir" -j2 "$@" >"$_hm_log" 2>&1
}

# Print the last lines of LOG, indented.
hs_tail() {
	tail -n "${2:-25}" "$1" | sed 's/^/        /'
}


hs_functions() {
	sed -n 's/^FUNCTIONS :=//p' "$1/Makefile"
}

# hs_stamp_ok DIR: DIR/.built exists and is newer than svcgen and the
# templates (the project was made by this build).
hs_stamp_ok() {
	[ -f "$1/.built" ] || return 1
	[ -z "$(find "$SVCGEN" templates -newer "$1/.built" 2>/dev/null | head -n 1)" ]
}

# hs_prepare NAME SPEC: generate, build and package SPEC's handlers natively
# into $HS_ART/NAME (unless a fresh one is there); 0 on success.
hs_prepare() {
	_hp_dir="$HS_ART/$1"
	if hs_stamp_ok "$_hp_dir"; then
		return 0
	fi
	rm -rf "$_hp_dir"
	mkdir -p "$_hp_dir"
	"$SVCGEN" generate "$2" -o "$_hp_dir/out" --only handlers >"$_hp_dir/generate.log" 2>&1 ||
		return 1
	hs_make "$_hp_dir/package.log" "$_hp_dir/out/handlers" ARCH="$(hs_host_arch)" BUILD=build-gcc \
		CC=gcc package || return 1
	touch "$_hp_dir/.built"
}
