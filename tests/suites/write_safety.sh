#!/bin/sh
# write_safety.sh - what `generate` does to the disk, end to end:
#
#   1. kill -9 at random moments during generate (alternating two specs):
#      `check` never calls a file hand-edited afterwards, the next generate
#      succeeds without --force and leaves no temporary or journal, and
#      `check` then passes;
#   2. a generate that cannot finish (a plain file where terraform/ must
#      be a directory) exits 2 and changes nothing at all;
#   3. FIFOs are refused at once, never waited on: the spec (validate,
#      generate, check, diff), a --templates file, manifest.json, a file
#      `check` reads, a destination of generate;
#   4. a directory of the user's files: a file where svcgen writes one is
#      refused without a manifest unless --force, never a file the manifest
#      does not list, and `check` never calls the user's files orphaned nor
#      says to delete them; a directory that is its user's repository (the
#      spec, README.md, .gitignore, a committed scaffold, no manifest) is
#      generated into, `-o .` from inside it, and checks up to date;
#   5. the umask decides the modes;
#   6. a regenerate of an unchanged spec writes nothing and keeps every
#      mtime; a change rewrites only the files whose bytes changed;
#   7. with strace: one mkdir per directory, no readlink per file, fsync
#      only for scaffolds, journal, manifest and their directories (no
#      syncfs for 80 scaffolds), and a regenerate that opens nothing for
#      writing;
#   8. the regenerate fast path (write.h, sg_write_uptodate): a regenerate
#      of unchanged inputs reports what the full run reported (the
#      emitters' notes replayed from manifest.json's stamp, which the test
#      alters to see that it is the stamp that spoke), a file changed
#      since is restored, and --templates (an input the key does not
#      cover) always takes the full path.
#
# Env: SVCGEN, BUILD; SVCGEN_SANITIZED=1 makes the kill loop shorter.  Ends
# with "N passed, N failed".
set -u
SVCGEN=${SVCGEN:-$PWD/${BUILD:-build}/svcgen}
root=$PWD
tmp=$(mktemp -d "${TMPDIR:-/tmp}/svcgen-write.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
umask 022

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok    $1"; }
no() { failed=$((failed + 1)); echo "FAIL  $1"; }
check_rc() { # check_rc NAME WANT GOT
	if [ "$2" = "$3" ]; then ok "$1"; else no "$1 (exit $3, want $2)"; fi
}
# snap DIR: every entry with its type, mode, size, mtime and bytes' hash.
snap() {
	(cd "$1" && find . -printf '%p %y %m %s %T@\n' | sort &&
		find . -type f -exec sha256sum {} + | sort)
}

# spec N [MEMORY] [EXTRA]: N routes (N/2 paths, two methods), one function each.
spec() {
	printf 'svcgen: 1\nservice: wsafe\ndefaults: {memory: %s}\n' "${2:-256}"
	printf 'tables:\n  items: {partition_key: id}\napi:\n  type: rest\n  routes:\n'
	i=0
	while [ "$i" -lt $(($1 / 2)) ]; do
		printf '    /r%d/{id}:\n      GET: {function: get_%d, uses: [items]}\n' "$i" "$i"
		printf '      PUT: {function: put_%d, uses: [items:update]}\n' "$i"
		i=$((i + 1))
	done
	[ -n "${3:-}" ] && printf '    /extra:\n      POST: {function: extra, uses: [items:put]}\n'
	return 0
}
spec 40 256 >"$tmp/a.yaml"
spec 38 512 x >"$tmp/b.yaml"
gen() { "$SVCGEN" generate "$@" >"$tmp/gen.log" 2>&1; }

# ---- 1. kill -9 ----------------------------------------------------------------
tries=40
[ "${SVCGEN_SANITIZED:-0}" = 1 ] && tries=12
out="$tmp/killed"
gen "$tmp/a.yaml" -o "$out" || no "generate a.yaml"
# How long a generate takes here: kills land within it.
t0=$(date +%s%N)
gen "$tmp/b.yaml" -o "$tmp/timing"
t1=$(date +%s%N)
span=$(( (t1 - t0) / 1000000 + 2 ))
hand=0 fail=0 debris=0 interrupted=0 unclean=0
i=0
while [ "$i" -lt "$tries" ]; do
	i=$((i + 1))
	if [ $((i % 2)) = 1 ]; then s="$tmp/b.yaml"; else s="$tmp/a.yaml"; fi
	"$SVCGEN" generate "$s" -o "$out" >/dev/null 2>&1 &
	pid=$!
	ms=$(awk -v s="$i$$" -v m="$span" 'BEGIN { srand(s); printf "%.3f", rand() * m / 1000 }')
	sleep "$ms"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	left=$(find "$out" -name '.svcgen-tmp.*' -o -name '*.tmp-??????' -o -name '.svcgen-journal.json' | wc -l)
	[ "$left" -gt 0 ] && interrupted=$((interrupted + 1))
	"$SVCGEN" check "$s" -o "$out" >"$tmp/check.log" 2>&1
	if grep -q 'hand-edited  ' "$tmp/check.log"; then
		hand=$((hand + 1))
		sed 's/^/      /' "$tmp/check.log" | head -8
	fi
	if ! gen "$s" -o "$out"; then
		fail=$((fail + 1))
		sed 's/^/      /' "$tmp/gen.log" | head -5
	fi
	left=$(find "$out" -name '.svcgen-tmp.*' -o -name '*.tmp-??????' -o -name '.svcgen-journal.json' | wc -l)
	[ "$left" -gt 0 ] && debris=$((debris + 1))
	"$SVCGEN" check "$s" -o "$out" >/dev/null 2>&1 || unclean=$((unclean + 1))
done
echo "      $tries kills within ${span} ms, $interrupted left svcgen's files mid-write"
check_rc "kill -9: check never reports hand-edited files after an interrupted run" 0 "$hand"
check_rc "kill -9: the next generate always succeeds (no --force)" 0 "$fail"
check_rc "kill -9: no temporary or journal survives the next generate" 0 "$debris"
check_rc "kill -9: check passes after the next generate" 0 "$unclean"
# What svcgen before 0.2 left ("<file>.tmp-XXXXXX") goes too.
printf 'half' >"$out/terraform/api.tf.tmp-Ab12Cd"
printf 'mine' >"$out/terraform/notes.tmp-Ab12Cd"
gen "$tmp/a.yaml" -o "$out"
if [ ! -e "$out/terraform/api.tf.tmp-Ab12Cd" ] && [ -e "$out/terraform/notes.tmp-Ab12Cd" ]; then
	ok "old-style leftovers of svcgen's own files removed, look-alikes kept"
else no "old-style leftovers of svcgen's own files removed, look-alikes kept"; fi

# ---- 2. nothing changes when a destination is wrong ---------------------------------
out="$tmp/partial"
gen "$tmp/a.yaml" -o "$out"
rm -rf "$out/terraform" && echo 'not a directory' >"$out/terraform"
before=$(snap "$out")
gen "$tmp/b.yaml" -o "$out"; rc=$?
check_rc "terraform/ a plain file: generate exits 2" 2 "$rc"
grep -q 'terraform.*output-conflict' "$tmp/gen.log" && ok "the diagnostic names terraform" ||
	no "the diagnostic names terraform: $(cat "$tmp/gen.log")"
[ "$(snap "$out")" = "$before" ] && ok "a failed generate changes nothing (template, manifest, mtimes)" ||
	no "a failed generate changes nothing (template, manifest, mtimes)"

# ---- 3. FIFOs ------------------------------------------------------------------------
fifo_case() { # fifo_case NAME COMMAND...: exit 2 within 10 s, "FIFO" said
	name=$1; shift
	timeout 10 "$@" >"$tmp/fifo.log" 2>&1; rc=$?
	if [ "$rc" = 2 ] && grep -q FIFO "$tmp/fifo.log"; then ok "FIFO refused: $name"
	elif [ "$rc" = 124 ]; then no "FIFO refused: $name (hung)"
	else no "FIFO refused: $name (exit $rc: $(head -3 "$tmp/fifo.log"))"; fi
}
mkfifo "$tmp/spec.yaml"
fifo_case "spec (validate)" "$SVCGEN" validate "$tmp/spec.yaml"
fifo_case "spec (generate)" "$SVCGEN" generate "$tmp/spec.yaml" -o "$tmp/never"
fifo_case "spec (check)" "$SVCGEN" check "$tmp/spec.yaml" -o "$tmp/never"
fifo_case "spec (graph)" "$SVCGEN" graph "$tmp/spec.yaml"
mkdir "$tmp/tpl" && mkfifo "$tmp/tpl/handlers_src.c.mustache"
fifo_case "--templates file" "$SVCGEN" generate "$tmp/a.yaml" -o "$tmp/never" --templates "$tmp/tpl"
out="$tmp/fifo"
gen "$tmp/a.yaml" -o "$out"
rm "$out/terraform/lambda.tf" && mkfifo "$out/terraform/lambda.tf"
fifo_case "a .tf file check reads" "$SVCGEN" check "$tmp/a.yaml" -o "$out"
fifo_case "a destination of generate" "$SVCGEN" generate "$tmp/a.yaml" -o "$out"
rm "$out/terraform/lambda.tf" "$out/manifest.json" && mkfifo "$out/manifest.json"
fifo_case "manifest.json (check)" "$SVCGEN" check "$tmp/a.yaml" -o "$out"
fifo_case "manifest.json (generate)" "$SVCGEN" generate "$tmp/a.yaml" -o "$out"
[ -e "$tmp/never" ] && no "nothing written after a refusal" || ok "nothing written after a refusal"

# ---- 4. the user's own directory -------------------------------------------------------
out="$tmp/mine"
mkdir -p "$out/terraform" "$out/iam" "$out/handlers"
echo 'mine' >"$out/terraform/variables.tf"
echo 'mine' >"$out/terraform/main.tf"
echo 'mine' >"$out/iam/get_0.json"
echo 'mine' >"$out/handlers/Makefile"
before=$(snap "$out")
gen "$tmp/a.yaml" -o "$out"; rc=$?
check_rc "a directory without a manifest, files where svcgen writes: exit 2" 2 "$rc"
grep -q 'output-conflict' "$tmp/gen.log" && grep -q -- '--force' "$tmp/gen.log" &&
	ok "the refusal names --force" || no "the refusal names --force: $(cat "$tmp/gen.log")"
[ "$(snap "$out")" = "$before" ] && ok "the user's files untouched" || no "the user's files untouched"
gen "$tmp/a.yaml" -o "$out" --force; rc=$?
check_rc "--force writes into it" 0 "$rc"
[ "$(cat "$out/terraform/main.tf")" = mine ] && ok "--force leaves files svcgen does not write" ||
	no "--force leaves files svcgen does not write"
"$SVCGEN" check "$tmp/a.yaml" -o "$out" >"$tmp/check.log" 2>&1; rc=$?
check_rc "check after --force: up to date" 0 "$rc"
if grep -q 'main.tf' "$tmp/check.log" || grep -qi 'delete' "$tmp/check.log"; then
	no "check calls the user's main.tf nothing, says delete nothing: $(cat "$tmp/check.log")"
else ok "check calls the user's main.tf nothing, says delete nothing"; fi
# With a manifest: a new file at a path it does not list is the user's.
echo 'mine' >"$out/iam/extra.json"
before=$(snap "$out")
gen "$tmp/b.yaml" -o "$out"; rc=$?
check_rc "a file the manifest does not list: exit 2" 2 "$rc"
grep -q 'iam/extra.json.*not svcgen' "$tmp/gen.log" && ok "the refusal names the file" ||
	no "the refusal names the file: $(cat "$tmp/gen.log")"
[ "$(snap "$out")" = "$before" ] && ok "nothing written when one file is the user's" ||
	no "nothing written when one file is the user's"
"$SVCGEN" generate "$tmp/a.yaml" -o "$out" --only tf --force >/dev/null 2>&1
"$SVCGEN" check "$tmp/a.yaml" -o "$out" --force >/dev/null 2>&1; rc=$?
check_rc "check --force is a usage error" 2 "$rc"
# The user's repository as the output directory: its own files kept.
out="$tmp/repo"
mkdir -p "$out/handlers/src"
cp "$tmp/a.yaml" "$out/service.yaml"
echo '# mine' >"$out/README.md"
printf '/terraform/\n' >"$out/.gitignore"
echo '/* mine */' >"$out/handlers/src/get_0.c"
(cd "$out" && "$SVCGEN" generate service.yaml -o .) >"$tmp/gen.log" 2>&1; rc=$?
check_rc "generate -o . in the user's repository (no manifest): exit 0" 0 "$rc"
[ "$(cat "$out/README.md")" = '# mine' ] && [ "$(cat "$out/handlers/src/get_0.c")" = '/* mine */' ] &&
	cmp -s "$out/service.yaml" "$tmp/a.yaml" && [ -f "$out/cloudformation/template.json" ] &&
	ok "its README, spec and scaffold kept, the outputs written" ||
	no "its README, spec and scaffold kept, the outputs written: $(cat "$tmp/gen.log")"
(cd "$out" && "$SVCGEN" check service.yaml -o .) >"$tmp/check.log" 2>&1; rc=$?
check_rc "check -o . there: up to date" 0 "$rc"

# ---- 5. the umask --------------------------------------------------------------------------
for m in 077 002; do
	(umask "$m" && "$SVCGEN" generate "$tmp/a.yaml" -o "$tmp/umask$m" >/dev/null 2>&1)
	f=$(stat -c %a "$tmp/umask$m/iam/get_0.json")
	s=$(stat -c %a "$tmp/umask$m/handlers/src/get_0.c")
	d=$(stat -c %a "$tmp/umask$m/iam")
	x=$(find "$tmp/umask$m" -type f -perm -u+x | head -1)
	xm=$([ -n "$x" ] && stat -c %a "$x")
	if [ "$m" = 077 ]; then want="600 600 700 700"; else want="664 664 775 775"; fi
	[ -z "$x" ] && xm=$(echo "$want" | cut -d' ' -f4)
	[ "$f $s $d $xm" = "$want" ] && ok "umask $m: modes $want" ||
		no "umask $m: modes '$f $s $d $xm', want '$want'"
done

# ---- 6. mtimes ------------------------------------------------------------------------------
out="$tmp/mtimes"
gen "$tmp/a.yaml" -o "$out"
find "$out" -exec touch -h -d '2020-01-01 00:00:00' {} +
before=$(snap "$out")
gen "$tmp/a.yaml" -o "$out"
[ "$(snap "$out")" = "$before" ] && ok "regenerate unchanged: nothing written, every mtime kept" ||
	no "regenerate unchanged: nothing written, every mtime kept"
grep -q ': 0 files written' "$tmp/gen.log" && ok "regenerate says 0 files written" ||
	no "regenerate says 0 files written: $(cat "$tmp/gen.log")"
spec 40 512 >"$tmp/a512.yaml"
gen "$tmp/a512.yaml" -o "$out"
changed=$(find "$out" -type f -newermt '2021-01-01' | sed "s|$out/||" | sort | tr '\n' ' ')
# The files whose bytes differ between the two specs' outputs (scaffolds,
# never rewritten, left out).
"$SVCGEN" generate "$tmp/a.yaml" -o "$tmp/mt-a" >/dev/null 2>&1
"$SVCGEN" generate "$tmp/a512.yaml" -o "$tmp/mt-b" >/dev/null 2>&1
differ=$(cd "$tmp/mt-b" && find . -type f | sed 's|^\./||' | sort | grep -v '^handlers/src/\|^handlers/tests/' |
	while read -r f; do cmp -s "$f" "$tmp/mt-a/$f" || printf '%s ' "$f"; done)
[ -n "$changed" ] && [ "$changed" = "$differ" ] &&
	ok "a change rewrites exactly the files whose bytes changed ($(echo "$changed" | wc -w) files)" ||
	no "a change rewrites exactly the files whose bytes changed: rewritten '$changed', differ '$differ'"

# ---- 7. system calls ------------------------------------------------------------------------
if command -v strace >/dev/null 2>&1; then
	out="$tmp/strace"
	strace -f -qq -o "$tmp/st.fresh" "$SVCGEN" generate "$tmp/a.yaml" -o "$out" >/dev/null 2>&1
	dirs=$(find "$out" -type d | wc -l)
	files=$(find "$out" -type f | wc -l)
	mk=$(grep -cE '^[0-9]+ +mkdir(at)?\(' "$tmp/st.fresh")
	rl=$(grep -cE '^[0-9]+ +readlink(at)?\(' "$tmp/st.fresh")
	fs=$(grep -cE '^[0-9]+ +(fsync|fdatasync)\(' "$tmp/st.fresh")
	sf=$(grep -cE '^[0-9]+ +syncfs\(' "$tmp/st.fresh")
	[ "$mk" -le "$dirs" ] && ok "fresh: $mk mkdir for $dirs directories" ||
		no "fresh: $mk mkdir for $dirs directories"
	[ "$rl" -le 4 ] && ok "fresh: $rl readlink for $files files" ||
		no "fresh: $rl readlink for $files files"
	# One fsync per scaffold and per directory holding one (and their
	# parents), the journal, the manifest, DIR and its parent: never one
	# per generated file, and no syncfs for a batch this small (it waits
	# for other processes' dirty pages; only 512 scaffolds or more use it).
	scaf=$(grep -c '"kind": "scaffold"' "$out/manifest.json")
	most=$((scaf + dirs + 4))
	[ "$fs" -le "$most" ] && [ "$sf" = 0 ] &&
		ok "fresh: $fs fsync (at most $most: $scaf scaffolds) and no syncfs for $files files" ||
		no "fresh: $fs fsync (at most $most: $scaf scaffolds) and $sf syncfs for $files files"
	strace -f -qq -o "$tmp/st.again" "$SVCGEN" generate "$tmp/a.yaml" -o "$out" >/dev/null 2>&1
	w=$(grep -E '^[0-9]+ +(open|openat)\(.*(O_CREAT|O_TMPFILE|O_WRONLY|O_RDWR)|^[0-9]+ +(rename|renameat2?|link|linkat|mkdir|mkdirat|unlink|unlinkat|fsync|fdatasync|syncfs)\(' \
		"$tmp/st.again" | grep -v '"/dev/' | wc -l)
	check_rc "regenerate unchanged: no file opened for writing, renamed, linked or synced" 0 "$w"
else
	echo "skip  system call counts: strace is not installed"
fi

# ---- 8. the regenerate fast path ------------------------------------------------------------
out="$tmp/fast"
spec 200 >"$tmp/big.yaml" # a root template over 51,200 bytes: a note from the emitter
"$SVCGEN" generate "$tmp/big.yaml" -o "$out" >"$tmp/fast1.log" 2>&1
"$SVCGEN" generate "$tmp/big.yaml" -o "$out" >"$tmp/fast2.log" 2>&1
grep -q 'template-size' "$tmp/fast1.log" || no "the 200-route spec draws the template-size note"
grep -v 'files written' "$tmp/fast1.log" >"$tmp/f1"
grep -v 'files written' "$tmp/fast2.log" >"$tmp/f2"
if cmp -s "$tmp/f1" "$tmp/f2" && grep -q ': 0 files written' "$tmp/fast2.log"; then
	ok "fast path: the same diagnostics as the full run, 0 files written"
else
	no "fast path: the same diagnostics as the full run: $(diff "$tmp/f1" "$tmp/f2" | head -5)"
fi
stamp() { # stamp DIR [SED]: print manifest.json's stamp, or rewrite it with SED
	python3 - "$1/manifest.json" "${2:-}" <<'PY'
import os, re, sys
path, expr = sys.argv[1], sys.argv[2]
try:
    v = os.getxattr(path, "user.svcgen.stamp").decode()
except OSError:
    sys.exit(3)
if expr:
    a, b = expr.split("|")
    os.setxattr(path, "user.svcgen.stamp", v.replace(a, b).encode())
else:
    print(v)
PY
}
if stamp "$out" >/dev/null; then
	stamp "$out" 'template is|TEMPLATE IS'
	"$SVCGEN" generate "$tmp/big.yaml" -o "$out" >"$tmp/fast3.log" 2>&1
	grep -q 'TEMPLATE IS' "$tmp/fast3.log" && ok "fast path: the stamp's notes are what it reports" ||
		no "fast path: the stamp's notes are what it reports: $(head -3 "$tmp/fast3.log")"
	printf '# edited\n' >>"$out/iam/get_0.json"
	"$SVCGEN" generate "$tmp/big.yaml" -o "$out" >"$tmp/fast4.log" 2>&1
	if grep -q ': 1 files written' "$tmp/fast4.log" && ! grep -q 'edited' "$out/iam/get_0.json" &&
		! grep -q 'TEMPLATE IS' "$tmp/fast4.log"; then
		ok "fast path: a file changed since is restored (full path, real notes)"
	else
		no "fast path: a file changed since is restored: $(tail -2 "$tmp/fast4.log")"
	fi
	mkdir -p "$tmp/tpl-fast"
	{ echo '# overridden'; cat "$root/templates/handlers_Makefile.mustache"; } \
		>"$tmp/tpl-fast/handlers_Makefile.mustache"
	"$SVCGEN" generate "$tmp/big.yaml" -o "$out" --templates "$tmp/tpl-fast" >"$tmp/fast5.log" 2>&1
	head -1 "$out/handlers/Makefile" | grep -q '# overridden' &&
		ok "fast path: --templates is never skipped" ||
		no "fast path: --templates is never skipped: $(tail -1 "$tmp/fast5.log")"
	"$SVCGEN" generate "$tmp/big.yaml" -o "$out" >"$tmp/fast6.log" 2>&1
	! head -1 "$out/handlers/Makefile" | grep -q '# overridden' && grep -q ': 2 files written' "$tmp/fast6.log" &&
		ok "fast path: back to the stock templates (the Makefile and the manifest rewritten)" ||
		no "fast path: back to the stock templates: $(tail -1 "$tmp/fast6.log")"
else
	echo "skip  fast path: this filesystem keeps no user extended attributes"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
