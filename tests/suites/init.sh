#!/bin/sh
# init.sh - `svcgen init` hands out a spec whose editor schema exists: the
# spec's yaml-language-server line names a file (or the --schema REF given),
# that file is beside the spec, it is exactly specs/svcgen.schema.json, and
# the starter spec validates against it (jsonschema) and with svcgen.
# Existing files are never overwritten.  Ends with "N passed, N failed".
set -u
SVCGEN=${SVCGEN:-$PWD/${BUILD:-build}/svcgen}
root=$PWD
py=$root/build/venv/bin/python
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok    $1"; }
no() { failed=$((failed + 1)); echo "FAIL  $1"; }

# schema_of SPEC: the path or URL its first line names.
schema_of() { sed -n '1s/^# yaml-language-server: \$schema=//p' "$1"; }

check_dir() { # check_dir NAME SPEC
	ref=$(schema_of "$2")
	case $ref in
	"" | http://* | https://*) no "$1: the spec names a schema on disk (names '$ref')"; return ;;
	esac
	f=$(dirname "$2")/$ref
	if [ -f "$f" ]; then ok "$1: the schema the spec names exists ($ref)"; else
		no "$1: the schema the spec names exists ($f)"; return
	fi
	cmp -s "$f" "$root/specs/svcgen.schema.json" && ok "$1: it is specs/svcgen.schema.json" ||
		no "$1: it is specs/svcgen.schema.json"
	if "$py" - "$f" "$2" <<'PY'
import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(open(sys.argv[2])))
PY
	then ok "$1: the starter validates against it"; else no "$1: the starter validates against it"; fi
	"$SVCGEN" validate "$2" >/dev/null 2>&1 && ok "$1: svcgen validate passes" ||
		no "$1: svcgen validate passes"
}

(cd "$tmp" && "$SVCGEN" init shop >/dev/null) || no "init shop"
check_dir "init shop" "$tmp/shop.yaml"

mkdir -p "$tmp/deep/er"
"$SVCGEN" init inner -o "$tmp/deep/er/inner.yaml" >/dev/null || no "init -o deep/er/inner.yaml"
check_dir "init -o in a subdirectory" "$tmp/deep/er/inner.yaml"

# --schema names what it is given and writes no schema file.
mkdir -p "$tmp/ref"
"$SVCGEN" init ref -o "$tmp/ref/ref.yaml" --schema /usr/share/svcgen/svcgen.schema.json >/dev/null
[ "$(schema_of "$tmp/ref/ref.yaml")" = /usr/share/svcgen/svcgen.schema.json ] &&
	ok "init --schema REF names REF" || no "init --schema REF names REF"
[ ! -e "$tmp/ref/svcgen.schema.json" ] && ok "init --schema writes no schema file" ||
	no "init --schema writes no schema file"

# Nothing is overwritten: a schema file of the user's stays, with a note.
mkdir -p "$tmp/mine"
echo '{"mine": true}' >"$tmp/mine/svcgen.schema.json"
err=$("$SVCGEN" init mine -o "$tmp/mine/mine.yaml" 2>&1 >/dev/null); rc=$?
[ "$rc" -eq 0 ] && ok "init beside a foreign schema file exits 0" ||
	no "init beside a foreign schema file exits 0 (got $rc)"
grep -q '"mine": true' "$tmp/mine/svcgen.schema.json" && ok "a foreign schema file is kept" ||
	no "a foreign schema file is kept"
case $err in *"not overwritten"*) ok "and init says so" ;; *) no "and init says so: $err" ;; esac
"$SVCGEN" init mine -o "$tmp/mine/mine.yaml" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && ok "init never overwrites a spec (exit 2)" || no "init never overwrites a spec ($rc)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
