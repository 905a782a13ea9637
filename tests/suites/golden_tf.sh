#!/bin/sh
# golden_tf.sh - every example's Terraform configuration, byte for byte,
# against tests/golden-tf/<example>/terraform/, and determinism: the same
# spec gives the same bytes whatever the working directory, spec path,
# output path, time zone and locale.
#
#   tests/suites/golden_tf.sh                   compare (a suite of tests/run.sh)
#   UPDATE_GOLDEN=1 tests/suites/golden_tf.sh   rewrite tests/golden-tf/ from
#                                               the current build, then review
#                                               the diff (git diff tests/golden-tf)
#
# Compares the terraform/ directory of `svcgen generate EXAMPLE --only tf`
# with `diff -r`, so a changed, missing or extra file is a failure, and a
# golden directory whose example is gone is one too.  (tests/suites/golden.sh
# does the same for the CloudFormation and IAM outputs.)  Runs from the
# repository root; ends with "N passed, N failed".
set -u
. tests/tf/common.sh
tf_setup golden_tf

golden=tests/golden-tf
repo=$PWD
pass=0
fail=0
ok() { echo "ok    $1"; pass=$((pass + 1)); }
bad() { echo "FAIL  $1"; fail=$((fail + 1)); }

if ! tf_generate "$TF_TMP/a" tf; then
	echo "golden_tf: cannot compare without generated output"
	echo "0 passed, 1 failed"
	exit 1
fi
# Second run: another working directory, absolute spec path, another output
# path, another time zone and locale, another umask.
for ex in $(tf_examples); do
	(cd "$TF_TMP" && umask 077 && TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 LANG=C.UTF-8 \
		"$SVCGEN" generate "$repo/examples/$ex.yaml" -o "second/run/$ex" --only tf) \
		>"$TF_TMP/$ex.second.log" 2>&1 ||
		{ echo "golden_tf: second run of examples/$ex.yaml failed:"; sed 's/^/    /' "$TF_TMP/$ex.second.log"; }
done

for ex in $(tf_examples); do
	new=$TF_TMP/a/$ex/terraform
	if diff -r "$new" "$TF_TMP/second/run/$ex/terraform" >"$TF_TMP/$ex.det" 2>&1; then
		ok "$ex: deterministic (second run elsewhere, TZ, locale, umask: same bytes)"
	else
		bad "$ex: not deterministic: a second run differs"
		sed "s|$TF_TMP/||g; s/^/        /" "$TF_TMP/$ex.det" | head -n 40
		continue
	fi
	want=$golden/$ex/terraform
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		rm -rf "${golden:?}/$ex"
		mkdir -p "$golden/$ex"
		cp -R "$new" "$want"
		echo "      updated $want/ ($(find "$want" -type f | wc -l | tr -d ' ') files)"
	fi
	if [ ! -d "$want" ]; then
		bad "$ex: no $want/ (create it: UPDATE_GOLDEN=1 tests/suites/golden_tf.sh)"
	elif diff -ru "$want" "$new" >"$TF_TMP/$ex.diff" 2>&1; then
		ok "$ex: equals $want/ ($(find "$want" -type f | wc -l | tr -d ' ') files)"
	else
		bad "$ex: differs from $want/ (intended? UPDATE_GOLDEN=1 tests/suites/golden_tf.sh, review, commit):"
		sed "s|$TF_TMP/a/|new/|g; s/^/        /" "$TF_TMP/$ex.diff" | head -n 60
		n=$(wc -l <"$TF_TMP/$ex.diff")
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
