#!/bin/sh
# handlers_regen.sh - regenerating keeps the user's code and refreshes
# svcgen's (DESIGN.md section 4: src/ and tests/ are scaffolds, written
# once; runtime/ is generated every time).
#
#   1. generate examples/users-orders/service.yaml's handlers;
#   2. edit a scaffold handler and its test (a new route answer and the
#      test that expects it), tamper with runtime/ (edit one file, delete
#      another), the Makefile and an event, delete one scaffold;
#   3. generate again: the edited scaffolds are byte for byte the user's,
#      the deleted scaffold is back, runtime/, the Makefile and the event
#      equal a fresh generation, svcgen says how many scaffolds it kept;
#   4. the project still builds and its tests (the user's edited test
#      included) pass;
#   5. --templates DIR: an override of handlers_src.c that extends the
#      stock layout through inheritance reaches a scaffold written fresh,
#      and an override of a runtime template reaches runtime/ on the next
#      generate, while existing scaffolds stay the user's.
#
# Runs under the sanitizer run too (it exercises svcgen's writer).  Ends
# with "N passed, N failed".
set -u
. tests/handlers/lib.sh
hs_setup handlers_regen

spec=examples/users-orders/service.yaml
out="$HS_TMP/out"
fresh="$HS_TMP/fresh"
proj="$out/handlers"
host=$(hs_host_arch)

if ! "$SVCGEN" generate "$spec" -o "$out" --only handlers >"$HS_TMP/gen1.log" 2>&1 ||
	! "$SVCGEN" generate "$spec" -o "$fresh" --only handlers >"$HS_TMP/fresh.log" 2>&1; then
	bad "svcgen generate $spec failed"
	hs_tail "$HS_TMP/gen1.log"
	hs_finish
fi
ok "generated $spec's handlers"

# ---- the user's edits --------------------------------------------------------------
marker="user edit $$"
cat >>"$proj/src/get_user.c" <<EOF

/* $marker: a helper the user added. */
int get_user_helper(void);
int get_user_helper(void)
{
	return 42;
}
EOF
# A real change of behaviour, and the test that expects it.
# (the scaffold reads the item: GetItem with the key mapping marked TODO)
sed -i 's|return lambda_crud_get(res, table_shop, lambda_crud_key(req, key, 2));|(void)key; return lambda_response_message(res, 200, "hello from the user");|' \
	"$proj/src/get_user.c"
sed -i 's|assert_int_equal(res.status, 500);|assert_int_equal(res.status, 200); /* '"$marker"' */|;
	s|"internal server error");|"hello from the user");|' "$proj/tests/test_get_user.c"
# test_invoke in the scaffold expects the first route's answer without
# AWS (500): the user updates it too.
sed -i 's|"statusCode")), 500);|"statusCode")), 200);|' "$proj/tests/test_get_user.c"
cp "$proj/src/get_user.c" "$HS_TMP/get_user.c.mine"
cp "$proj/tests/test_get_user.c" "$HS_TMP/test_get_user.c.mine"
rm "$proj/src/add_user.c"
echo "/* stale */" >>"$proj/runtime/lambda_event.c"
rm "$proj/runtime/lambda_log.c"
echo "# stale" >>"$proj/Makefile"
echo "{}" >"$proj/events/get_user.json"

if "$SVCGEN" generate "$spec" -o "$out" --only handlers >"$HS_TMP/gen2.log" 2>&1; then
	ok "generated again over the edited project"
else
	bad "the second svcgen generate failed"
	hs_tail "$HS_TMP/gen2.log"
	hs_finish
fi

if cmp -s "$proj/src/get_user.c" "$HS_TMP/get_user.c.mine" &&
	cmp -s "$proj/tests/test_get_user.c" "$HS_TMP/test_get_user.c.mine"; then
	ok "the edited scaffolds src/get_user.c and tests/test_get_user.c are kept byte for byte"
else
	bad "an edited scaffold was overwritten"
fi
if cmp -s "$proj/src/add_user.c" "$fresh/handlers/src/add_user.c"; then
	ok "a deleted scaffold (src/add_user.c) is written again"
else
	bad "src/add_user.c was not written again"
fi
stale=""
for f in runtime/lambda_event.c runtime/lambda_log.c Makefile events/get_user.json; do
	cmp -s "$proj/$f" "$fresh/handlers/$f" || stale="$stale $f"
done
if [ -z "$stale" ] && diff -r "$proj/runtime" "$fresh/handlers/runtime" >/dev/null; then
	ok "runtime/, the Makefile and events/ are refreshed (equal a fresh generation)"
else
	bad "not refreshed:$stale"
fi
if grep -q "existing scaffolds kept" "$HS_TMP/gen2.log"; then
	ok "svcgen reports the kept scaffolds: $(sed -n 's/.*, \([0-9]* existing scaffolds kept\).*/\1/p' "$HS_TMP/gen2.log")"
else
	bad "svcgen does not say it kept scaffolds: $(cat "$HS_TMP/gen2.log")"
fi

# ---- the edited project builds and its tests pass -----------------------------------
if [ -n "${SVCGEN_SANITIZED:-}" ]; then
	skip "build of the regenerated project (not repeated under the sanitizers)"
elif hs_make "$HS_TMP/make.log" "$proj" ARCH="$host" test; then
	if grep -q "$marker" "$proj/tests/test_get_user.c" && grep -q '^\[  PASSED  \] 3 test' "$HS_TMP/make.log"; then
		ok "the regenerated project builds and its tests pass, the user's changed test included"
	else
		bad "the tests ran, but not as expected"
		hs_tail "$HS_TMP/make.log" 40
	fi
else
	bad "the regenerated project does not build or its tests fail"
	hs_tail "$HS_TMP/make.log" 40
fi

# ---- --templates DIR ------------------------------------------------------------------
tpl="$HS_TMP/templates"
mkdir -p "$tpl"
cat >"$tpl/handlers_src.c.mustache" <<'EOF'
{{<handlers_src_layout.c}}
{{$helpers}}
/* house style: {{function.c_name}} was scaffolded from a custom template */
{{/helpers}}
{{/handlers_src_layout.c}}
EOF
cat >"$tpl/handlers_runtime_lambda_config.c.mustache" <<'EOF'
/* custom runtime template */
#include <stddef.h>
#include "lambda_runtime.h"
const lambda_config lambda_service_config = {"{{service}}", {{api.payload_version}}, NULL, false};
EOF
rm "$proj/src/list_orders.c"
if "$SVCGEN" generate "$spec" -o "$out" --only handlers --templates "$tpl" >"$HS_TMP/gen3.log" 2>&1; then
	if grep -q "house style: list_orders was scaffolded from a custom template" "$proj/src/list_orders.c" &&
		grep -q "int handle_http_list_orders" "$proj/src/list_orders.c"; then
		ok "--templates: an override extending the stock layout writes the new scaffold"
	else
		bad "--templates: src/list_orders.c does not come from the override"
	fi
	if grep -q "custom runtime template" "$proj/runtime/lambda_config.c"; then
		ok "--templates: a runtime override reaches runtime/ on regeneration"
	else
		bad "--templates: runtime/lambda_config.c does not come from the override"
	fi
	if cmp -s "$proj/src/get_user.c" "$HS_TMP/get_user.c.mine" &&
		! grep -q "house style" "$proj/src/get_user.c"; then
		ok "--templates: existing scaffolds stay the user's"
	else
		bad "--templates: an existing scaffold changed"
	fi
else
	bad "svcgen generate --templates failed"
	hs_tail "$HS_TMP/gen3.log"
fi

# A broken override is an error that names it, and writes nothing.
printf '{{#function}}\nunclosed\n' >"$tpl/handlers_test.c.mustache"
before=$(find "$out" -type f -newer "$HS_TMP/gen3.log" | wc -l)
"$SVCGEN" generate "$spec" -o "$out" --only handlers --templates "$tpl" >"$HS_TMP/gen4.log" 2>&1
rc=$?
after=$(find "$out" -type f -newer "$HS_TMP/gen3.log" | wc -l)
if [ "$rc" -eq 1 ] && grep -q "handlers_test.c.mustache:1:1: error: .*\[template-syntax\]" "$HS_TMP/gen4.log" &&
	[ "$before" -eq "$after" ]; then
	ok "--templates: a broken override fails (exit 1) naming file:line:col, and nothing is written"
else
	bad "--templates: a broken override gave exit $rc, files written $before -> $after:"
	hs_tail "$HS_TMP/gen4.log" 5
fi
"$SVCGEN" generate "$spec" -o "$out" --only handlers --templates "$HS_TMP/no-such-dir" >"$HS_TMP/gen5.log" 2>&1
rc=$?
if [ "$rc" -eq 2 ]; then
	ok "--templates: a missing directory is an I/O error (exit 2)"
else
	bad "--templates: a missing directory gave exit $rc"
	hs_tail "$HS_TMP/gen5.log" 5
fi

hs_finish
