#!/bin/sh
# deps.sh - make sure this machine has what svcgen needs, by using it.
#
#   scripts/deps.sh build   libraries and compilers for `make`, and the moto
#                           server `svcgen local` runs (build/moto)
#   scripts/deps.sh test    plus every tool the test suite runs
#
# Nothing is taken on trust: a package counts as present when what the
# build or the tests do with it works here, not when a command of its name
# exists.  clang is no use without its sanitizer runtime (Debian ships that
# in libclang-rt-14-dev, only a Recommends of clang), a cross compiler no use
# without the target's libraries, a venv no use when its tools do not start.
# So each probe below compiles, links and runs a program, or asks a tool for
# its version; what fails is installed, and probed again: a probe that still
# fails after its install stops the run with the probe's own output.
#
# Debian packages are installed with apt-get when run as root (otherwise the
# exact command to run is printed and the script fails).  Python tools are
# pinned in tests/requirements*.txt and installed into venvs under build/;
# Go and npm tools are pinned by their go.sum and package-lock.json files
# and built by the suites that use them into build/ (see tests/tf/common.sh
# and tests/handlers/lib.sh), after `go version` and `npm --version` answer
# here.
set -eu
what=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Probes: functions probe_NAME that return 0 when the thing works.  A
# probe's output goes to $tmp/NAME.log, shown when it fails for good.
failed=""     # names of the probes that failed
need_pkgs=""  # their packages

# want NAME PACKAGES: run probe_NAME; when it fails, PACKAGES (a
# space-separated list in one argument) are needed.
want() {
	if ! "probe_$1" >"$tmp/$1.log" 2>&1; then
		failed="$failed $1"
		need_pkgs="$need_pkgs $2"
	fi
}

# cprog NAME CC FLAGS: compile and link $tmp/NAME.c with CC and FLAGS (split
# on spaces), then run it.
cprog() {
	name=$1 cc=$2
	shift 2
	# shellcheck disable=SC2068,SC2086
	$cc "$tmp/$name.c" -o "$tmp/$name" $* && "$tmp/$name"
}

pc() { pkg-config "$@"; }

cat >"$tmp/build.c" <<'EOF'
#include <yaml.h>
#include <cjson/cJSON.h>
#include <git2.h>
int main(void)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return 1;
	yaml_parser_delete(&p);
	cJSON *j = cJSON_Parse("{}");
	cJSON_Delete(j);
	git_libgit2_init();
	git_libgit2_shutdown();
	return j ? 0 : 1;
}
EOF
probe_build() {
	command -v make >/dev/null &&
		cprog build cc "$(pc --cflags yaml-0.1 libcjson libgit2)" \
			"$(pc --libs yaml-0.1 libcjson libgit2)"
}

cat >"$tmp/cmocka.c" <<'EOF'
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
static void t(void **s) { (void)s; assert_int_equal(1, 1); }
int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(t)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
EOF
probe_cmocka() { cprog cmocka cc "$(pc --cflags cmocka)" "$(pc --libs cmocka)"; }

# The sanitizer run's own flags (Makefile: asan), on a program that leaks
# nothing and overflows nothing: it links only when the runtime is there.
cat >"$tmp/asan.c" <<'EOF'
#include <stdlib.h>
#include <string.h>
int main(void)
{
	char *p = malloc(8);
	if (!p)
		return 1;
	memcpy(p, "sanitize", 8);
	int r = p[7] == 'e' ? 0 : 1;
	free(p);
	return r;
}
EOF
probe_asan() { cprog asan clang -fsanitize=address,undefined -fno-sanitize-recover=all -g; }

# A libFuzzer harness (tests/fuzz/), built as the sanitizer run builds them.
cat >"$tmp/fuzz.c" <<'EOF'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
EOF
probe_fuzzer() {
	clang -fsanitize=fuzzer,address,undefined "$tmp/fuzz.c" -o "$tmp/fuzz" &&
		"$tmp/fuzz" -runs=10 2>&1 | grep -q 'Done 10 runs'
}

# The generated handler projects: libcurl and cJSON, natively.
cat >"$tmp/curl.c" <<'EOF'
#include <curl/curl.h>
#include <cjson/cJSON.h>
int main(void)
{
	CURL *c = curl_easy_init();
	if (!c)
		return 1;
	curl_easy_cleanup(c);
	return cJSON_Version()[0] ? 0 : 1;
}
EOF
probe_curl() { cprog curl cc "$(pc --cflags libcurl libcjson)" "$(pc --libs libcurl libcjson)"; }

# arm64 handler packages: the cross compiler links a program against the
# arm64 libcurl and cJSON (Debian multiarch), and qemu runs arm64 programs.
arm64_pc() {
	PKG_CONFIG_PATH='' PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig \
		pkg-config "$@"
}
probe_arm64() {
	aarch64-linux-gnu-gcc "$tmp/curl.c" -o "$tmp/curl-arm64" \
		$(arm64_pc --cflags libcurl libcjson) $(arm64_pc --libs libcurl libcjson) &&
		aarch64-linux-gnu-gcc -c "$tmp/asan.c" -o "$tmp/asan-arm64.o" &&
		file "$tmp/asan-arm64.o" | grep -q 'ARM aarch64' &&
		qemu-aarch64 --version
}

# svcgen local: an HTTP server (libmicrohttpd), JWT/JWK checks (librhonabwy),
# HMAC-SHA256 (GnuTLS) and AWS calls (libcurl), linked and called.
cat >"$tmp/local.c" <<'EOF'
#include <stdio.h>
#include <curl/curl.h>
#include <gnutls/crypto.h>
#include <microhttpd.h>
#include <rhonabwy.h>
int main(void)
{
	unsigned char mac[32];
	if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, "k", 1, "m", 1, mac) != 0)
		return 1;
	jwks_t *jwks = NULL;
	if (r_jwks_init(&jwks) != RHN_OK)
		return 1;
	r_jwks_free(jwks);
	CURL *c = curl_easy_init();
	if (!c)
		return 1;
	curl_easy_cleanup(c);
	return MHD_get_version()[0] ? 0 : 1;
}
EOF
probe_local() {
	cprog local cc "$(pc --cflags libmicrohttpd librhonabwy gnutls libcurl)" \
		"$(pc --libs libmicrohttpd librhonabwy gnutls libcurl)"
}

probe_python() { python3 -c 'import venv, ensurepip'; }

probe_valgrind() { valgrind -q --error-exitcode=1 true; }
probe_git() { git --version; }
probe_graphviz() { echo 'digraph { a -> b }' | dot -Tsvg >/dev/null; }
# tests/suites/write_safety.sh counts the writer's system calls.
probe_strace() { strace -qq -o /dev/null true; }
probe_readelf() { readelf --version; }
probe_zip() { zip -v && unzip -v; }
probe_file() { file --version; }
probe_curl_cli() { curl --version; }
probe_node() { node --version && npm --version; }
probe_go() { go version; }

want build "pkg-config make gcc libc6-dev libyaml-dev libcjson-dev libgit2-dev"
want cmocka "libcmocka-dev"
# the handler runtime (runtime/) is compiled and unit tested with svcgen
want curl "libcurl4-openssl-dev"
# rhonabwy.h includes jansson.h (its JWKs are jansson values): named here,
# not left to librhonabwy-dev's own dependency on it.
want local "libmicrohttpd-dev librhonabwy-dev libjansson-dev libgnutls28-dev libcurl4-openssl-dev"
want python "python3-venv"
if [ "$what" = test ]; then
	want asan "clang libclang-rt-14-dev"
	want fuzzer "clang libclang-rt-14-dev"
	want valgrind "valgrind"
	want git "git"
	want graphviz "graphviz"
	want strace "strace"
	# handler projects (tests/suites/handlers_*.sh): build, package, emulate
	want readelf "binutils"
	want zip "zip unzip"
	want file "file"
	want curl_cli "curl"
	want node "nodejs npm"
	want go "golang-go"
fi

# The arm64 cross toolchain needs arm64 added to dpkg's architectures and
# apt's lists read again before its packages can be found.
arm64_pkgs=""
if [ "$what" = test ] && [ "${HANDLERS_ARM64:-auto}" != 0 ]; then
	if ! probe_arm64 >"$tmp/arm64.log" 2>&1; then
		arm64_pkgs="gcc-aarch64-linux-gnu libc6-dev-arm64-cross libcurl4-openssl-dev:arm64 libcjson-dev:arm64 qemu-user file"
	fi
fi

is_root_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

apt_install() { # apt_install PACKAGES...
	export DEBIAN_FRONTEND=noninteractive
	# Another apt run (a package manager, another build) may hold the lock.
	# shellcheck disable=SC2068
	apt-get -o DPkg::Lock::Timeout=600 update -qq >"$tmp/apt-update.log" 2>&1 ||
		{ cat "$tmp/apt-update.log" >&2; return 1; }
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" \
		>"$tmp/apt-install.log" 2>&1 || { tail -n 20 "$tmp/apt-install.log" >&2; return 1; }
}

if [ -n "$need_pkgs" ]; then
	# shellcheck disable=SC2086
	set -- $(printf '%s\n' $need_pkgs | sort -u)
	if is_root_apt; then
		echo "deps: installing $* (not working:$failed)" >&2
		apt_install "$@"
	else
		echo "deps: missing packages; run:" >&2
		echo "  sudo apt-get install -y --no-install-recommends $*" >&2
		for n in $failed; do
			echo "deps: $n:" >&2
			tail -n 5 "$tmp/$n.log" | sed 's/^/    /' >&2
		done
		exit 2
	fi
	# Probe again: an install that did not make the thing work is an error.
	still=""
	for n in $failed; do
		"probe_$n" >"$tmp/$n.log" 2>&1 || still="$still $n"
	done
	if [ -n "$still" ]; then
		for n in $still; do
			echo "deps: $n still fails after installing its packages:" >&2
			tail -n 10 "$tmp/$n.log" | sed 's/^/    /' >&2
		done
		exit 2
	fi
fi

if [ -n "$arm64_pkgs" ]; then
	if is_root_apt; then
		echo "deps: installing the arm64 cross toolchain ($arm64_pkgs)" >&2
		dpkg --add-architecture arm64
		# shellcheck disable=SC2086
		if ! apt_install $arm64_pkgs || ! probe_arm64 >"$tmp/arm64.log" 2>&1; then
			# The arm64 check of handlers_build.sh then says it was skipped.
			echo "deps: warning: the arm64 cross toolchain does not work here;" \
				"arm64 packages will not be built:" >&2
			tail -n 5 "$tmp/arm64.log" | sed 's/^/    /' >&2
		fi
	else
		echo "deps: note: no arm64 cross toolchain; to build arm64 packages run:" >&2
		echo "  sudo dpkg --add-architecture arm64 && sudo apt-get update &&" \
			"sudo apt-get install -y --no-install-recommends $arm64_pkgs" >&2
	fi
fi

# pyvenv VENV REQUIREMENTS CHECK...: a venv with the pinned tools.  It is
# (re)built when the requirements file changed since it was installed (a
# copy of it is the stamp) or when CHECK, run with the venv's bin first on
# PATH, fails: a venv whose tools do not start is rebuilt from scratch.
pyvenv() {
	venv_name=$1 req_name=$2
	venv="$here/$1"
	req="$here/$2"
	shift 2
	stamp="$venv/.req-stamp"
	if [ -f "$stamp" ] && cmp -s "$req" "$stamp" &&
		PATH="$venv/bin:$PATH" "$@" >"$tmp/venv.log" 2>&1; then
		return 0
	fi
	if [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then
		echo "deps: $venv_name's tools do not answer; rebuilding it" >&2
		tail -n 5 "$tmp/venv.log" | sed 's/^/    /' >&2
		rm -rf "$venv"
	fi
	if [ ! -x "$venv/bin/python" ]; then
		python3 -m venv "$venv"
	fi
	echo "deps: installing Python test tools ($req_name)" >&2
	"$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
	if ! PATH="$venv/bin:$PATH" "$@" >"$tmp/venv.log" 2>&1; then
		echo "deps: the tools of $req_name do not answer after installing them:" >&2
		tail -n 10 "$tmp/venv.log" | sed 's/^/    /' >&2
		exit 2
	fi
	cp "$req" "$stamp"
}

# Each pinned tool asked for its version (moto_server has no --version:
# its package is imported and its server's --help read instead).
venv_tools() {
	cfn-lint --version &&
		moto_server --help &&
		python -c 'import boto3, botocore, jsonschema, moto, yaml'
}
checkov_tools() { checkov --version; }
moto_tools() { python -c 'import moto.server'; }

# svcgen local's AWS endpoint, found by build/svcgen-full next to itself.
pyvenv build/moto scripts/local-requirements.txt moto_tools

if [ "$what" = test ]; then
	pyvenv build/venv tests/requirements.txt venv_tools
	# checkov pins versions that clash with the tools above: its own venv.
	pyvenv build/venv-checkov tests/requirements-checkov.txt checkov_tools
fi
