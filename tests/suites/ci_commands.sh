#!/bin/sh
# ci_commands.sh - the CI commands end to end: `diff` against revisions of
# temporary git repositories (exact text and JSON, an IAM widening and a
# narrowing, --fail-on, a spec absent at the revision, a spec in a
# subdirectory, a linked worktree, a bad revision), `check` finding each
# kind of staleness and passing a clean directory, `generate` writing
# manifest.json and diagram.mmd, and Graphviz accepting every example's DOT.
#
# Env: SVCGEN (absolute path of the binary; default build/svcgen), BUILD.
# Runs from the repository root.  Every repository is made under a
# temporary directory with its own user.name/user.email; the project's own
# repository is never touched.  Ends with "N passed, N failed".
set -u
SVCGEN=${SVCGEN:-$PWD/${BUILD:-build}/svcgen}
root=$PWD
tmp=$(mktemp -d "${TMPDIR:-/tmp}/svcgen-ci.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
# Git as a fresh user would have it: no global or system configuration.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME="$tmp"
export GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z'

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok    $1"; }
no() { failed=$((failed + 1)); echo "FAIL  $1"; }

# same NAME WANT GOT: exact comparison, showing a diff when it fails.
same() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		no "$1"
		printf '%s\n' "$2" >"$tmp/want"
		printf '%s\n' "$3" >"$tmp/got"
		diff -u "$tmp/want" "$tmp/got" | sed 's/^/      /'
	fi
}
# has NAME TEXT NEEDLE: TEXT holds the line NEEDLE.
has() {
	if printf '%s\n' "$2" | grep -qxF -- "$3"; then ok "$1"; else
		no "$1: no line '$3' in:"
		printf '%s\n' "$2" | sed 's/^/      /'
	fi
}
# hasnt NAME TEXT PATTERN: no line of TEXT matches PATTERN (grep -E).
hasnt() {
	if printf '%s\n' "$2" | grep -qE -- "$3"; then no "$1: '$3' found"; else ok "$1"; fi
}

# new_repo DIR: an empty repository with a local identity.
new_repo() {
	mkdir -p "$1" && git -C "$1" init -q -b main &&
		git -C "$1" config user.name "svcgen test" &&
		git -C "$1" config user.email "test@example.com"
}
commit_all() { git -C "$1" add -A && git -C "$1" commit -q -m "$2"; }
short() { git -C "$1" rev-parse --short=7 "${2:-HEAD}"; }
long() { git -C "$1" rev-parse "${2:-HEAD}"; }

# ---- specs -------------------------------------------------------------------
cat >"$tmp/narrow.yaml" <<'YAML'
svcgen: 1
service: demo
tables:
  items: {partition_key: id}
api:
  routes:
    /items/{id}:
      GET: {function: get_item, uses: [items]}
YAML
# get_item may also query: a widening.
sed 's/uses: \[items\]}/uses: [items:read]}/' "$tmp/narrow.yaml" >"$tmp/wide.yaml"
# A second function.
cat "$tmp/narrow.yaml" - >"$tmp/two.yaml" <<'YAML'
    /items:
      POST: {function: put_item, uses: [items:put]}
YAML

ARN='arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/demo-dev-items'

# ---- diff: widening, narrowing, --fail-on, JSON ----------------------------
r="$tmp/a"
new_repo "$r"
cp "$tmp/narrow.yaml" "$r/s.yaml"
commit_all "$r" narrow
cp "$tmp/wide.yaml" "$r/s.yaml"
c=$(short "$r")
out=$(cd "$r" && "$SVCGEN" diff s.yaml); rc=$?
same "diff: widening, text" "s.yaml: HEAD ($c) -> work tree

Resource changes (CloudFormation logical ID, Terraform address):
  ~ GetItemRole  aws_iam_role_policy.get_item  (Policies)

IAM changes (+ granted, - revoked):
  FUNCTION  ACTION            RESOURCE
  get_item  + dynamodb:Query  $ARN

Summary: 0 to add, 1 to change, 0 to destroy; IAM: 1 added, 0 removed." "$out"
same "diff: changes exit 1" 1 "$rc"
(cd "$r" && "$SVCGEN" diff s.yaml --fail-on iam-widening >/dev/null); rc=$?
same "diff --fail-on iam-widening: widening exits 1" 1 "$rc"
(cd "$r" && "$SVCGEN" diff s.yaml --fail-on none >/dev/null); rc=$?
same "diff --fail-on none exits 0" 0 "$rc"

out=$(cd "$r" && "$SVCGEN" diff s.yaml --format json); rc=$?
same "diff: widening, JSON" "{
  \"spec\": \"s.yaml\",
  \"path\": \"s.yaml\",
  \"rev\": \"HEAD\",
  \"commit\": \"$(long "$r")\",
  \"before_exists\": true,
  \"changed\": true,
  \"iam_widening\": true,
  \"resources\": [
    {
      \"change\": \"changed\",
      \"logical_id\": \"GetItemRole\",
      \"type\": \"AWS::IAM::Role\",
      \"terraform\": [
        \"aws_iam_role_policy.get_item\"
      ],
      \"properties\": [
        \"Policies\"
      ]
    }
  ],
  \"iam\": [
    {
      \"function\": \"get_item\",
      \"change\": \"added\",
      \"action\": \"dynamodb:Query\",
      \"resource\": \"$ARN\"
    }
  ],
  \"summary\": {
    \"added\": 0,
    \"changed\": 1,
    \"removed\": 0,
    \"iam_added\": 1,
    \"iam_removed\": 0
  }
}" "$out"
same "diff --format json: exit 1" 1 "$rc"

commit_all "$r" wide
cp "$tmp/narrow.yaml" "$r/s.yaml"
c=$(short "$r")
out=$(cd "$r" && "$SVCGEN" diff s.yaml); rc=$?
same "diff: narrowing, text" "s.yaml: HEAD ($c) -> work tree

Resource changes (CloudFormation logical ID, Terraform address):
  ~ GetItemRole  aws_iam_role_policy.get_item  (Policies)

IAM changes (+ granted, - revoked):
  FUNCTION  ACTION            RESOURCE
  get_item  - dynamodb:Query  $ARN

Summary: 0 to add, 1 to change, 0 to destroy; IAM: 0 added, 1 removed." "$out"
same "diff: narrowing exits 1" 1 "$rc"
(cd "$r" && "$SVCGEN" diff s.yaml --fail-on iam-widening >/dev/null); rc=$?
same "diff --fail-on iam-widening: narrowing exits 0" 0 "$rc"
out=$(cd "$r" && "$SVCGEN" diff s.yaml --format json --fail-on iam-widening); rc=$?
has "diff: narrowing, JSON iam row" "$out" '      "change": "removed",'
has "diff: narrowing, JSON not widening" "$out" '  "iam_widening": false,'
same "diff --format json --fail-on iam-widening: narrowing exits 0" 0 "$rc"

# The work tree equals HEAD~1: nothing changed since then.
c=$(short "$r" HEAD~1)
out=$(cd "$r" && "$SVCGEN" diff s.yaml --rev HEAD~1); rc=$?
same "diff --rev HEAD~1: no changes" "s.yaml: HEAD~1 ($c) -> work tree

No changes: resources and permissions are the same." "$out"
same "diff: no changes exit 0" 0 "$rc"

# A comment-only change changes nothing either.
{ echo "# a comment"; cat "$tmp/wide.yaml"; } >"$r/s.yaml"
(cd "$r" && "$SVCGEN" diff s.yaml >/dev/null); rc=$?
same "diff: comment-only change exits 0" 0 "$rc"

# A new function: its resources are added, and its permissions.
cp "$tmp/two.yaml" "$r/s.yaml"
out=$(cd "$r" && "$SVCGEN" diff s.yaml --rev HEAD~1)
has "diff: new function, Lambda" "$out" "  + PutItemFunction                aws_lambda_function.put_item"
has "diff: new function, role and policy" "$out" "  + PutItemRole                    aws_iam_role.put_item, aws_iam_role_policy.put_item"
has "diff: new function, permission" "$out" "  put_item  + dynamodb:PutItem             $ARN"
has "diff: new function, summary" "$out" "Summary: 6 to add, 1 to change, 1 to destroy; IAM: 5 added, 0 removed."

# ---- diff: spec absent at REV ----------------------------------------------
r="$tmp/b"
new_repo "$r"
echo "# other" >"$r/README"
commit_all "$r" first
cp "$tmp/narrow.yaml" "$r/new.yaml"
c=$(short "$r")
out=$(cd "$r" && "$SVCGEN" diff new.yaml); rc=$?
has "diff: absent at REV, header" "$out" "new.yaml: not in HEAD ($c); everything is new"
has "diff: absent at REV, all added" "$out" "  + GetItemFunction                aws_lambda_function.get_item"
hasnt "diff: absent at REV, nothing removed or changed" "$out" '^  [-~] '
has "diff: absent at REV, summary" "$out" \
	"Summary: 14 to add, 0 to change, 0 to destroy; IAM: 4 added, 0 removed."
same "diff: absent at REV exits 1" 1 "$rc"
(cd "$r" && "$SVCGEN" diff new.yaml --fail-on iam-widening >/dev/null); rc=$?
same "diff: absent at REV is a widening" 1 "$rc"
out=$(cd "$r" && "$SVCGEN" diff new.yaml --format json)
has "diff: absent at REV, JSON" "$out" '  "before_exists": false,'

# ---- diff: spec in a subdirectory, from anywhere -----------------------------
r="$tmp/c"
new_repo "$r"
mkdir -p "$r/services/api"
cp "$tmp/narrow.yaml" "$r/services/api/s.yaml"
commit_all "$r" sub
cp "$tmp/wide.yaml" "$r/services/api/s.yaml"
c=$(short "$r")
out=$(cd "$r" && "$SVCGEN" diff services/api/s.yaml)
has "diff: subdirectory from the top" "$out" "services/api/s.yaml: HEAD ($c) -> work tree"
has "diff: subdirectory, IAM row" "$out" "  get_item  + dynamodb:Query  $ARN"
out=$(cd "$r/services" && "$SVCGEN" diff api/s.yaml --format json)
has "diff: subdirectory from inside, repository path" "$out" '  "path": "services/api/s.yaml",'
out=$(cd "$tmp" && "$SVCGEN" diff "$r/services/api/s.yaml" --format json)
has "diff: subdirectory from outside the repository" "$out" '  "path": "services/api/s.yaml",'
has "diff: subdirectory, widening" "$out" '  "iam_widening": true,'

# ---- diff: linked worktree ----------------------------------------------------
git -C "$r" checkout -q -- .
git -C "$r" worktree add -q -b feature "$tmp/wt" 2>/dev/null
cp "$tmp/wide.yaml" "$tmp/wt/services/api/s.yaml"
c=$(short "$r" main)
out=$(cd "$tmp/wt" && "$SVCGEN" diff services/api/s.yaml --rev main); rc=$?
has "diff: linked worktree against main" "$out" "services/api/s.yaml: main ($c) -> work tree"
has "diff: linked worktree, IAM row" "$out" "  get_item  + dynamodb:Query  $ARN"
same "diff: linked worktree exits 1" 1 "$rc"
commit_all "$tmp/wt" "wider in the worktree"
out=$(cd "$tmp/wt" && "$SVCGEN" diff services/api/s.yaml); rc=$?
has "diff: linked worktree HEAD is the worktree's" "$out" \
	"No changes: resources and permissions are the same."
same "diff: linked worktree, no changes exit 0" 0 "$rc"
# Nothing was written to either work tree.
st=$(git -C "$r" status --porcelain; git -C "$tmp/wt" status --porcelain)
same "diff writes nothing to the work trees" "" "$st"

# ---- diff: errors ---------------------------------------------------------------
err=$(cd "$r" && "$SVCGEN" diff services/api/s.yaml --rev no-such-rev 2>&1 >/dev/null); rc=$?
same "diff: bad REV exits 2" 2 "$rc"
case $err in
*"error: 'no-such-rev' is not a commit in the repository at "*"[git-rev]"*) ok "diff: bad REV message";;
*) no "diff: bad REV message: $err";;
esac
mkdir -p "$tmp/loose"
cp "$tmp/narrow.yaml" "$tmp/loose/s.yaml"
err=$(cd "$tmp/loose" && "$SVCGEN" diff s.yaml 2>&1 >/dev/null); rc=$?
same "diff: outside a repository exits 2" 2 "$rc"
case $err in
*"error: 's.yaml' is not in a git repository"*"[git-repo]"*) ok "diff: outside a repository message";;
*) no "diff: outside a repository message: $err";;
esac
(cd "$r" && "$SVCGEN" diff services/api/s.yaml --fail-on sometimes 2>/dev/null); rc=$?
same "diff: bad --fail-on exits 2" 2 "$rc"
# The spec at REV does not validate: its diagnostics name SPEC@REV.
r="$tmp/d"
new_repo "$r"
sed 's/partition_key: id/partition_kee: id/' "$tmp/narrow.yaml" >"$r/s.yaml"
commit_all "$r" broken
cp "$tmp/narrow.yaml" "$r/s.yaml"
err=$(cd "$r" && "$SVCGEN" diff s.yaml 2>&1 >/dev/null); rc=$?
same "diff: invalid spec at REV exits 3, not 1 (changes)" 3 "$rc"
case $err in
*"s.yaml@HEAD:4:"*"[unknown-key]"*) ok "diff: invalid spec at REV names SPEC@REV";;
*) no "diff: invalid spec at REV names SPEC@REV: $err";;
esac
# Whatever --fail-on says: a broken spec is never "no changes" nor "changes".
for when in none any iam-widening; do
	(cd "$r" && "$SVCGEN" diff s.yaml --fail-on "$when" >/dev/null 2>&1); rc=$?
	same "diff --fail-on $when: invalid spec at REV exits 3" 3 "$rc"
done
# The same for the work tree's spec.
commit_all "$r" fixed
sed 's/partition_key: id/partition_kee: id/' "$tmp/narrow.yaml" >"$r/s.yaml"
(cd "$r" && "$SVCGEN" diff s.yaml --fail-on none >/dev/null 2>&1); rc=$?
same "diff --fail-on none: invalid spec in the work tree exits 3" 3 "$rc"

# ---- diff: revisions libgit2 gives no reason for, and no commits at all -------
r="$tmp/e"
new_repo "$r"
cp "$tmp/narrow.yaml" "$r/s.yaml"
out=$(cd "$r" && "$SVCGEN" diff s.yaml); rc=$?
has "diff: no commits yet, header" "$out" "s.yaml: HEAD has no commits yet; everything is new"
has "diff: no commits yet, all added" "$out" "  + GetItemFunction                aws_lambda_function.get_item"
same "diff: no commits yet exits 1 (changes)" 1 "$rc"
out=$(cd "$r" && "$SVCGEN" diff s.yaml --rev main --format json); rc=$?
has "diff: no commits yet, JSON commit" "$out" '  "commit": null,'
has "diff: no commits yet, JSON before" "$out" '  "before_exists": false,'
same "diff --rev main (the unborn branch) exits 1" 1 "$rc"
commit_all "$r" first
err=$(cd "$r" && "$SVCGEN" diff s.yaml --rev '@{-1}' 2>&1 >/dev/null); rc=$?
same "diff --rev @{-1} with no earlier checkout exits 2" 2 "$rc"
case $err in
*"'@{-1}' is not a commit"*"reflog does not record a branch checkout before the current one"*"[git-rev]"*)
	ok "diff --rev @{-1}: says why";;
*) no "diff --rev @{-1}: says why: $err";;
esac
case $err in
*"unknown libgit2 error"* | *"no reason"*) no "diff --rev @{-1}: no reason given: $err";;
*) ok "diff --rev @{-1}: a reason, not 'unknown'";;
esac
git -C "$r" checkout -q -b other && git -C "$r" checkout -q main
out=$(cd "$r" && "$SVCGEN" diff s.yaml --rev '@{-1}'); rc=$?
has "diff --rev @{-1} after a checkout" "$out" "No changes: resources and permissions are the same."
same "diff --rev @{-1} after a checkout exits 0" 0 "$rc"

# ---- generate: manifest.json and diagram.mmd ---------------------------------
out_dir="$tmp/out"
"$SVCGEN" generate "$tmp/two.yaml" -o "$out_dir" >/dev/null 2>&1
if [ -f "$out_dir/manifest.json" ] && [ -f "$out_dir/diagram.mmd" ]; then
	ok "generate writes manifest.json and diagram.mmd"
else
	no "generate writes manifest.json and diagram.mmd"
fi
# Each listed file's hash is the file's (checked with the system's sha256sum).
bad_hash=$(python3 - "$out_dir" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
assert m["manifest_version"] == 1 and len(m["spec_sha256"]) == 64
listed = sorted(f["path"] for f in m["files"])
assert listed == [f["path"] for f in m["files"]], "not sorted"
assert "manifest.json" not in listed
for f in m["files"]:
    h = hashlib.sha256(open(os.path.join(d, f["path"]), "rb").read()).hexdigest()
    if h != f["sha256"] or f["kind"] not in ("generated", "scaffold"):
        print(f["path"])
PY
) && [ -z "$bad_hash" ] && ok "manifest.json: sorted, hashes match" ||
	no "manifest.json: sorted, hashes match ($bad_hash)"
spec_hash=$(sha256sum "$tmp/two.yaml" | cut -d' ' -f1)
grep -q "\"spec_sha256\": \"$spec_hash\"" "$out_dir/manifest.json" &&
	ok "manifest.json: the spec's sha256" || no "manifest.json: the spec's sha256"

# ---- check ------------------------------------------------------------------------
snapshot() { (cd "$out_dir" && find . -type f | sort | xargs sha256sum); }
out=$("$SVCGEN" check "$tmp/two.yaml" -o "$out_dir"); rc=$?
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["files"]) + 1)' "$out_dir/manifest.json")
same "check: clean" "$out_dir: up to date with $tmp/two.yaml ($n files)" "$out"
same "check: clean exits 0" 0 "$rc"

# hand-edited: exact report.
printf '{}\n' >"$out_dir/iam/get_item.json"
before=$(snapshot)
out=$("$SVCGEN" check "$tmp/two.yaml" -o "$out_dir"); rc=$?
same "check: hand-edited" "$out_dir: not up to date with $tmp/two.yaml: 0 stale, 0 missing, 1 hand-edited, 0 orphaned
  hand-edited  iam/get_item.json
to update: svcgen generate $tmp/two.yaml -o $out_dir (overwrites the hand-edited files: move those changes into the spec)" "$out"
same "check: hand-edited exits 1" 1 "$rc"
same "check writes nothing" "$before" "$(snapshot)"

# missing.
"$SVCGEN" generate "$tmp/two.yaml" -o "$out_dir" >/dev/null 2>&1
rm "$out_dir/iam/put_item.json"
out=$("$SVCGEN" check "$tmp/two.yaml" -o "$out_dir"); rc=$?
has "check: missing" "$out" "  missing      iam/put_item.json"
same "check: missing exits 1" 1 "$rc"

# stale: the spec changed, the output did not.
"$SVCGEN" generate "$tmp/two.yaml" -o "$out_dir" >/dev/null 2>&1
sed 's/uses: \[items:put\]/uses: [items:write]/' "$tmp/two.yaml" >"$tmp/two-wider.yaml"
out=$("$SVCGEN" check "$tmp/two-wider.yaml" -o "$out_dir"); rc=$?
has "check: stale template" "$out" "  stale        cloudformation/template.json"
has "check: stale policy" "$out" "  stale        iam/put_item.json"
has "check: stale manifest" "$out" "  stale        manifest.json"
hasnt "check: stale is not hand-edited" "$out" "hand-edited  "
same "check: stale exits 1" 1 "$rc"

# orphaned: a function removed from the spec.  A file of the user's in a
# generated directory is the user's: never called orphaned, never to delete.
printf '{}\n' >"$out_dir/iam/stray.json"
out=$("$SVCGEN" check "$tmp/narrow.yaml" -o "$out_dir"); rc=$?
has "check: orphaned (listed in the manifest)" "$out" "  orphaned     iam/put_item.json"
hasnt "check: the user's file is not orphaned" "$out" "stray"
hasnt "check: never says to delete" "$out" "delete"
same "check: orphaned exits 1" 1 "$rc"
out=$("$SVCGEN" check "$tmp/narrow.yaml" -o "$out_dir" --format json)
has "check --format json: orphan entry" "$out" '      "status": "orphaned",'
has "check --format json: verdict" "$out" '  "up_to_date": false,'

# --templates: the same template set as generate was given.
mkdir -p "$tmp/tpl"
cp "$root"/templates/*.mustache "$tmp/tpl/" 2>/dev/null
"$SVCGEN" generate "$tmp/two.yaml" -o "$tmp/out-tpl" --templates "$tmp/tpl" >/dev/null 2>&1
"$SVCGEN" check "$tmp/two.yaml" -o "$tmp/out-tpl" --templates "$tmp/tpl" >/dev/null; rc=$?
same "check --templates: clean exits 0" 0 "$rc"
"$SVCGEN" check "$tmp/two.yaml" -o "$tmp/out-tpl" --templates "$tmp/no-such-dir" >/dev/null 2>&1; rc=$?
same "check --templates: a missing directory exits 2" 2 "$rc"

# A directory that does not exist: everything missing, exit 1.
"$SVCGEN" check "$tmp/two.yaml" -o "$tmp/nowhere" >/dev/null; rc=$?
same "check: no directory exits 1" 1 "$rc"
[ ! -e "$tmp/nowhere" ] && ok "check: creates nothing" || no "check: creates nothing"
# A spec with errors: exit 1; a missing spec: exit 2.
"$SVCGEN" check "$tmp/loose/nope.yaml" -o "$out_dir" >/dev/null 2>&1; rc=$?
same "check: unreadable spec exits 2" 2 "$rc"

# ---- graph: Graphviz accepts every example's DOT ---------------------------
if command -v dot >/dev/null 2>&1; then
	for spec in "$root"/examples/*/service.yaml "$tmp/two.yaml"; do
		name=$(basename "$spec")
		if "$SVCGEN" graph "$spec" | dot -Tsvg >"$tmp/g.svg" 2>"$tmp/g.err" && [ -s "$tmp/g.svg" ] &&
			[ ! -s "$tmp/g.err" ]; then
			ok "dot -Tsvg accepts graph of $name"
		else
			no "dot -Tsvg accepts graph of $name"
			sed 's/^/      /' "$tmp/g.err"
		fi
	done
	# Labels with quotes, backslashes and markup (an OAuth scope may hold them).
	cat >"$tmp/tricky.yaml" <<'YAML'
svcgen: 1
service: tricky
auth:
  cognito: {user_pool: tricky users}
api:
  auth: cognito
  routes:
    /x/{id}:
      GET: {function: get_x, scopes: ['a"b\c\"d\nq#<b>&|`;end\']}
YAML
	if "$SVCGEN" graph "$tmp/tricky.yaml" | dot -Tsvg >"$tmp/g.svg" 2>"$tmp/g.err" &&
		grep -q 'a&quot;b\\c\\&quot;d\\nq#&lt;b&gt;&amp;|`;end\\' "$tmp/g.svg"; then
		ok "dot -Tsvg: escaped labels arrive intact"
	else
		no "dot -Tsvg: escaped labels arrive intact"
		sed 's/^/      /' "$tmp/g.err"
	fi
else
	no "Graphviz 'dot' is not installed (scripts/deps.sh test installs it)"
fi
out=$("$SVCGEN" graph --format mermaid "$root/examples/users-orders/service.yaml" | head -2)
same "graph --format mermaid" "%% users-orders (dev): generated by svcgen
flowchart LR" "$out"
"$SVCGEN" graph --format png "$root/examples/users-orders/service.yaml" >/dev/null 2>&1; rc=$?
same "graph: unknown format exits 2" 2 "$rc"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
