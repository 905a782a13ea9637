#!/bin/sh
# deps.sh - make sure this machine has what svcgen needs.
#
#   scripts/deps.sh build   libraries and compilers for `make`, and moto
#                           server for `svcgen local` (build/moto)
#   scripts/deps.sh test    plus the tools the test suite runs
#
# Installs missing Debian packages with apt-get when run as root; otherwise
# prints the exact command and fails.  Python tools are pinned in
# tests/requirements.txt and installed into build/venv; checkov, whose own
# pins clash with those, in tests/requirements-checkov.txt and build/venv-checkov.
set -eu
what=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)

need_pkgs=""
want() { # want DEBIAN-PACKAGE CHECK-COMMAND...
	pkg=$1; shift
	if ! "$@" >/dev/null 2>&1; then need_pkgs="$need_pkgs $pkg"; fi
}

want pkg-config        command -v pkg-config
want make              command -v make
want gcc               command -v gcc
want libyaml-dev       pkg-config --exists yaml-0.1
want libcjson-dev      pkg-config --exists libcjson
want libgit2-dev       pkg-config --exists libgit2
want libcmocka-dev     pkg-config --exists cmocka
want python3-venv      python3 -c 'import venv, ensurepip'
# svcgen local: the HTTP servers, JWT/JWKS checks, HMAC for SigV4, AWS calls
want libcurl4-openssl-dev pkg-config --exists libcurl
want libmicrohttpd-dev pkg-config --exists libmicrohttpd
want librhonabwy-dev   pkg-config --exists librhonabwy
want libgnutls28-dev   pkg-config --exists gnutls
if [ "$what" = test ]; then
	want clang             command -v clang
	want valgrind          command -v valgrind
	want git               command -v git
	want graphviz          command -v dot
	# handler projects (tests/suites/handlers_*.sh): build, package, emulate
	want binutils          command -v readelf
	want zip               command -v zip
	want unzip             command -v unzip
	want file              command -v file
	want curl              command -v curl
	want nodejs            command -v node
	want npm               command -v npm
fi

if [ -n "$need_pkgs" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "deps: installing$need_pkgs" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >/dev/null
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $need_pkgs >/dev/null
	else
		echo "deps: missing packages; run:" >&2
		echo "  sudo apt-get install -y$need_pkgs" >&2
		exit 2
	fi
fi

# pyvenv VENV REQUIREMENTS: a venv with the pinned tools, installed again
# when the requirements file changes (a copy of it is the stamp).
pyvenv() {
	venv="$here/$1"
	req="$here/$2"
	stamp="$venv/.req-stamp"
	if [ ! -x "$venv/bin/python" ]; then
		python3 -m venv "$venv"
	fi
	if [ ! -f "$stamp" ] || ! cmp -s "$req" "$stamp"; then
		echo "deps: installing Python test tools ($2)" >&2
		"$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
		cp "$req" "$stamp"
	fi
}

# svcgen local's AWS endpoint (moto server), found by svcgen next to itself.
pyvenv build/moto scripts/local-requirements.txt

if [ "$what" = test ]; then
	pyvenv build/venv tests/requirements.txt
	# checkov pins versions that clash with the tools above: its own venv.
	pyvenv build/venv-checkov tests/requirements-checkov.txt
fi
