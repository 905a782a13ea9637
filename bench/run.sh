#!/bin/sh
# run.sh - the benchmarks.  Prints figures; asserts nothing.  The targets
# (issue "Services of any size") are printed beside the figures; README.md,
# "Performance", has a run's figures.
#
#   1. the in-memory stages (bench_parse): parse + validate, plan, emit;
#   2. the write path, against `cp -r` of the same tree (medians; every run
#      into a directory no run used before): generate of every output into
#      a fresh directory at 60 and 600 routes; a regenerate of an unchanged
#      600-route spec; 4,000 routes (time, peak RSS) and the time at 4,000
#      over the time at 400;
#   3. `generate --only cfn` at 60 routes against `cdk synth` of the same
#      service (bench/cdk/app.js), when the CDK installs (npm ci, pinned by
#      bench/cdk/package-lock.json, into $BUILD/bench-cdk);
#   4. a generated handler (bench/handler.sh): cold start, GetItem against
#      moto in a warm process (median, p99), the zip's size.
#
# Where `svcgen generate` still refuses a size (the planner's resource
# limit, the validator's function limit), bench_gen runs the same pipeline
# with those limits lifted, and the line says so.
set -eu
BUILD=${BUILD:-build}
root=$PWD
SVCGEN="$root/$BUILD/svcgen"
T="$root/$BUILD/bench_time"
G="$root/$BUILD/bench_gen"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/svcgen-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# Outputs stay until the end: ext4 skips the inode slots of recently
# deleted files when it allocates (find_inode_bit, recently_deleted()), so
# deleting one size's trees before the next is measured made every later
# creation scan past them, a cost of the benchmark and not of svcgen.
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown; }
# Before each size: what earlier sizes (and whatever ran before the
# benchmark) left dirty goes to disk first, so background writeback does
# not compete with the runs measured (svcgen's and cp's alike).
settle() { sync; }
echo "load average at start: $(load) ($(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cores)"
echo "== in-memory stages =="
for n in 10 100 500 2000; do
	"$BUILD/bench_parse" "$n" 20
done

# field LINE KEY: the value of KEY=VALUE in LINE.
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# generator N: sets GEN (the command, "{}" for the directory) and WHO.
generator() {
	"$G" spec "$1" >"$tmp/s$1.yaml"
	if "$SVCGEN" generate "$tmp/s$1.yaml" -o "$tmp/probe$1" >"$tmp/probe$1.log" 2>&1; then
		GEN="$SVCGEN generate $tmp/s$1.yaml -o {}"
		WHO="svcgen generate, all outputs"
	else
		why=$(grep -o '\[[a-z-]*\]' "$tmp/probe$1.log" | sort -u | tr '\n' ' ')
		"$G" generate "$tmp/s$1.yaml" "$tmp/probe$1" >"$tmp/probe$1.log" 2>&1
		GEN="$G generate $tmp/s$1.yaml {}"
		WHO="bench_gen ($(sed -n 's/^outputs: \([^;]*\);.*/\1/p' "$tmp/probe$1.log"); svcgen refuses: ${why% })"
	fi
	# (the probe stays until the end: see the note above)
}

echo
echo "== write path (medians; each run into a new directory) =="
for n in 60 600; do
	generator "$n"
	settle
	runs=11
	# shellcheck disable=SC2086
	g=$("$T" "$runs" -d "$tmp/g$n" -- $GEN)
	c=$("$T" "$runs" -d "$tmp/c$n" -- cp -r "$tmp/g$n.1" {})
	files=$(find "$tmp/g$n.1" -type f | wc -l)
	kib=$(du -sk "$tmp/g$n.1" | cut -f1)
	echo "$n routes, fresh directory ($files files, $kib KiB): generate $(field "$g" median_ms) ms," \
		"cp -r $(field "$c" median_ms) ms: $(ratio "$(field "$g" median_ms)" "$(field "$c" median_ms)")x (target: at most 2x)"
	echo "    by $WHO; fastest runs: generate $(field "$g" min_ms) ms ($(field "$g" user_ms) user," \
		"$(field "$g" sys_ms) sys), cp -r $(field "$c" min_ms) ms ($(field "$c" user_ms) user, $(field "$c" sys_ms) sys)"
	if [ "$n" = 600 ]; then
		# shellcheck disable=SC2086
		out=$(echo "$GEN" | sed "s|{}|$tmp/g$n.1|")
		r=$("$T" "$runs" -- $out)
		# shellcheck disable=SC2086
		said=$($out 2>/dev/null | tail -1)
		echo "600 routes, regenerate unchanged: $(field "$r" median_ms) ms (target: under 100 ms, nothing written);" \
			"fastest $(field "$r" min_ms) ms ($(field "$r" user_ms) user, $(field "$r" sys_ms) sys)"
		echo "    it said: ${said#*: }"
	fi
done

for n in 400 4000; do
	generator "$n"
	settle
	# shellcheck disable=SC2086
	g=$("$T" 3 -d "$tmp/g$n" -- $GEN)
	eval "t$n=$(field "$g" median_ms)"
	echo "$n routes, all outputs, fresh directory: $(field "$g" median_ms) ms, peak RSS" \
		"$(( $(field "$g" peak_rss_kib) / 1024 )) MiB (target at 4,000: under 2 s and 300 MiB)"
	echo "    by $WHO; $(find "$tmp/g$n.1" -type f | wc -l) files; fastest $(field "$g" min_ms) ms" \
		"($(field "$g" user_ms) user, $(field "$g" sys_ms) sys)"
done
# shellcheck disable=SC2154
echo "time at 4,000 routes / time at 400: $(ratio "$t4000" "$t400") (target: at most 11)"

echo
echo "== CloudFormation at 60 routes: svcgen against the AWS CDK =="
"$G" spec 60 >"$tmp/s60.yaml"
s=$("$T" 11 -d "$tmp/cfn" -- "$SVCGEN" generate "$tmp/s60.yaml" --only cfn -o {})
echo "svcgen generate --only cfn: $(field "$s" median_ms) ms"
cdk="$root/$BUILD/bench-cdk"
mkdir -p "$cdk"
cp bench/cdk/package.json bench/cdk/package-lock.json "$cdk/"
if [ -x "$cdk/node_modules/.bin/cdk" ] || (cd "$cdk" && npm ci --no-audit --no-fund >npm.log 2>&1); then
	c=$(cd "$cdk" && ROUTES=60 CDK_DISABLE_VERSION_CHECK=1 "$T" 3 -- ./node_modules/.bin/cdk synth \
		--app "node $root/bench/cdk/app.js" -q --no-notices --no-version-reporting)
	echo "cdk synth (aws-cdk $(cd "$cdk" && ./node_modules/.bin/cdk --version 2>/dev/null | cut -d' ' -f1)," \
		"the same service): $(field "$c" median_ms) ms: $(ratio "$(field "$c" median_ms)" "$(field "$s" median_ms)")x svcgen's time"
else
	echo "cdk synth: the CDK could not be installed here (npm ci failed, $cdk/npm.log); svcgen's figure alone"
fi

echo
echo "== a generated handler: cold start, GetItem against moto, zip size =="
sh bench/handler.sh
echo
echo "load average at end: $(load)"
