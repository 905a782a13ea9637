#!/bin/sh
# golden.sh - svcgen's output for every example, byte for byte, against
# golden files, and determinism: the same spec gives the same bytes whatever
# the working directory, spec path, output path, time zone, locale and umask.
#
#   tests/suites/golden.sh                   compare (a suite of tests/run.sh)
#   UPDATE_GOLDEN=1 tests/suites/golden.sh   rewrite the golden files from the
#                                            current build, then review the
#                                            diff (git diff tests/golden)
#
# By default: `--only cfn,iam` (with manifest.json) against
# tests/golden/<example>/.  Other outputs run the same check through these
# variables (tests/suites/golden_tf.sh does, for Terraform):
#   GOLDEN_NAME   the suite's name in messages          (golden)
#   GOLDEN_ONLY   generate --only                       (cfn,iam)
#   GOLDEN_DIR    where the golden files live            (tests/golden)
#   GOLDEN_SUB    the part of each output compared, e.g. terraform (all of it)
#   GOLDEN_PROOF  a file every output must have          (cloudformation/template.json)
#
# Compares with `diff -r`, so a changed, missing or extra file is a failure,
# and a golden directory whose example is gone is one too.  Runs from the
# repository root; ends with "N passed, N failed".
set -u
. tests/cfn/common.sh
name=${GOLDEN_NAME:-golden}
only=${GOLDEN_ONLY:-cfn,iam}
golden=${GOLDEN_DIR:-tests/golden}
sub=${GOLDEN_SUB:-}
proof=${GOLDEN_PROOF:-cloudformation/template.json}
self="tests/suites/$name.sh"
cfn_setup "$name"

repo=$PWD
pass=0
fail=0
ok() { echo "ok    $1"; pass=$((pass + 1)); }
bad() { echo "FAIL  $1"; fail=$((fail + 1)); }
part() { # part DIR: the compared part of an example's output
	if [ -n "$sub" ]; then echo "$1/$sub"; else echo "$1"; fi
}

if ! cfn_generate "$CFN_TMP/a" "$only" "$proof"; then
	echo "$name: cannot compare without generated output"
	echo "0 passed, 1 failed"
	exit 1
fi
# Second run: another working directory, absolute spec path, another output
# path, another time zone and locale, another umask.
for ex in $(cfn_examples); do
	(cd "$CFN_TMP" && umask 077 && TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 LANG=C.UTF-8 \
		"$SVCGEN" generate "$repo/examples/$ex/service.yaml" -o "second/run/$ex" --only "$only") \
		>"$CFN_TMP/$ex.second.log" 2>&1 ||
		{ echo "$name: second run of examples/$ex/service.yaml failed:"; sed 's/^/    /' "$CFN_TMP/$ex.second.log"; }
done

for ex in $(cfn_examples); do
	new=$(part "$CFN_TMP/a/$ex")
	want=$(part "$golden/$ex")
	if diff -r "$new" "$(part "$CFN_TMP/second/run/$ex")" >"$CFN_TMP/$ex.det" 2>&1; then
		ok "$ex: deterministic (second run elsewhere, TZ, locale, umask: same bytes)"
	else
		bad "$ex: not deterministic: a second run differs"
		sed "s|$CFN_TMP/||g; s/^/        /" "$CFN_TMP/$ex.det" | head -n 40
		continue
	fi
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		rm -rf "${golden:?}/$ex"
		mkdir -p "$(dirname "$want")"
		cp -R "$new" "$want"
		echo "      updated $want/ ($(find "$want" -type f | wc -l | tr -d ' ') files)"
	fi
	if [ ! -d "$want" ]; then
		bad "$ex: no $want/ (create it: UPDATE_GOLDEN=1 $self)"
	elif diff -ru "$want" "$new" >"$CFN_TMP/$ex.diff" 2>&1; then
		ok "$ex: equals $want/ ($(find "$want" -type f | wc -l | tr -d ' ') files)"
	else
		bad "$ex: differs from $want/ (intended? UPDATE_GOLDEN=1 $self, review, commit):"
		sed "s|$CFN_TMP/a/|new/|g; s/^/        /" "$CFN_TMP/$ex.diff" | head -n 60
		n=$(wc -l <"$CFN_TMP/$ex.diff")
		[ "$n" -le 60 ] || echo "        ... ($n lines of diff in all)"
	fi
done

# Golden directories without an example.
for d in "$golden"/*/; do
	[ -d "$d" ] || continue
	ex=$(basename "$d")
	if [ ! -f "examples/$ex/service.yaml" ]; then
		if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
			rm -rf "${golden:?}/$ex"
			echo "      removed $golden/$ex/ (no examples/$ex/service.yaml)"
		else
			bad "$golden/$ex/: no examples/$ex/service.yaml (stale; UPDATE_GOLDEN=1 removes it)"
		fi
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
