#!/bin/sh
# golden.sh - svcgen's output for every example, byte for byte, against
# tests/golden/<example>/, and determinism: the same spec gives the same
# bytes whatever the working directory, spec path, output path, time zone
# and locale.
#
#   tests/suites/golden.sh                   compare (a suite of tests/run.sh)
#   UPDATE_GOLDEN=1 tests/suites/golden.sh   rewrite tests/golden/ from the
#                                            current build, then review the
#                                            diff (git diff tests/golden)
#
# Compares `svcgen generate examples/<example>.yaml --only $ONLY` with
# `diff -r`, so a changed, missing or extra file is a failure, and a golden
# directory whose example is gone is one too.  Checks, per example:
# determinism (two runs under different conditions agree) and golden
# (output equals tests/golden/<example>/).  Runs from the repository root;
# ends with "N passed, N failed".
set -u
. tests/cfn/common.sh
cfn_setup golden

# The outputs under golden test; add tf, handlers, graph as their emitters land.
ONLY=cfn,iam
golden=tests/golden
repo=$PWD
pass=0
fail=0
ok() { echo "ok    $1"; pass=$((pass + 1)); }
bad() { echo "FAIL  $1"; fail=$((fail + 1)); }

if ! cfn_generate "$CFN_TMP/a" "$ONLY"; then
	echo "golden: cannot compare without generated output"
	echo "0 passed, 1 failed"
	exit 1
fi
# Second run: another working directory, absolute spec path, another output
# path, another time zone and locale, another umask.
for ex in $(cfn_examples); do
	(cd "$CFN_TMP" && umask 077 && TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 LANG=C.UTF-8 \
		"$SVCGEN" generate "$repo/examples/$ex.yaml" -o "second/run/$ex" --only "$ONLY") \
		>"$CFN_TMP/$ex.second.log" 2>&1 ||
		{ echo "golden: second run of examples/$ex.yaml failed:"; sed 's/^/    /' "$CFN_TMP/$ex.second.log"; }
done

for ex in $(cfn_examples); do
	if diff -r "$CFN_TMP/a/$ex" "$CFN_TMP/second/run/$ex" >"$CFN_TMP/$ex.det" 2>&1; then
		ok "$ex: deterministic (second run elsewhere, TZ, locale, umask: same bytes)"
	else
		bad "$ex: not deterministic: a second run differs"
		sed "s|$CFN_TMP/||g; s/^/        /" "$CFN_TMP/$ex.det" | head -n 40
		continue
	fi
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		rm -rf "${golden:?}/$ex"
		mkdir -p "$golden"
		cp -R "$CFN_TMP/a/$ex" "$golden/$ex"
		echo "      updated $golden/$ex/ ($(find "$golden/$ex" -type f | wc -l | tr -d ' ') files)"
	fi
	if [ ! -d "$golden/$ex" ]; then
		bad "$ex: no $golden/$ex/ (create it: UPDATE_GOLDEN=1 tests/suites/golden.sh)"
	elif diff -ru "$golden/$ex" "$CFN_TMP/a/$ex" >"$CFN_TMP/$ex.diff" 2>&1; then
		ok "$ex: equals $golden/$ex/ ($(find "$golden/$ex" -type f | wc -l | tr -d ' ') files)"
	else
		bad "$ex: differs from $golden/$ex/ (intended? UPDATE_GOLDEN=1 tests/suites/golden.sh, review, commit):"
		sed "s|$CFN_TMP/a/|new/|g; s/^/        /" "$CFN_TMP/$ex.diff" | head -n 60
		n=$(wc -l <"$CFN_TMP/$ex.diff")
		[ "$n" -le 60 ] || echo "        ... ($n lines of diff in all)"
	fi
done

# Golden directories without an example.
for d in "$golden"/*/; do
	[ -d "$d" ] || continue
	name=$(basename "$d")
	if [ ! -f "examples/$name.yaml" ]; then
		if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
			rm -rf "${golden:?}/$name"
			echo "      removed $golden/$name/ (no examples/$name.yaml)"
		else
			bad "$golden/$name/: no examples/$name.yaml (stale; UPDATE_GOLDEN=1 removes it)"
		fi
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
