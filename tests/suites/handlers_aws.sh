#!/bin/sh
# handlers_aws.sh - the handler runtime's AWS clients and the scaffolds,
# over real HTTP with signatures checked, against moto server: what
# tests/handlers/aws_moto.py says.  examples/notes/service.yaml (routes keyed by
# their path parameters) is the working-CRUD spec; every other example's
# scaffolds make the calls they are granted.  valgrind runs 1,000
# invocations that call DynamoDB (HANDLERS_AWS_VALGRIND=N to change).
#
# Under the sanitizer run (SVCGEN_SANITIZED=1) it runs again: the sanitized
# svcgen generates, and the runtime is the same C.  Needs build/venv
# (scripts/deps.sh test).  Ends with "N passed, N failed".
set -u
. tests/handlers/lib.sh
hs_setup handlers_aws
py=$PWD/build/venv/bin/python
if [ ! -x "$py" ]; then
	echo "handlers_aws: no build/venv (run scripts/deps.sh test)"
	echo "0 passed, 1 failed"
	exit 1
fi
vg=${HANDLERS_AWS_VALGRIND:-1000}
[ -n "${SVCGEN_SANITIZED:-}" ] && vg=0
specs="examples/notes/service.yaml"
for f in examples/*/service.yaml; do
	[ "$f" = examples/notes/service.yaml ] || specs="$specs $f"
done
# shellcheck disable=SC2086
timeout -k 10 1500 "$py" tests/handlers/aws_moto.py --svcgen "$SVCGEN" --work "$HS_TMP/aws" \
	--rt-sign "$PWD/$BUILD/tests/rt_sign" --valgrind "$vg" $specs
rc=$?
[ $rc -ne 0 ] && ls "$HS_TMP/aws"/*.log >/dev/null 2>&1 && tail -n 20 "$HS_TMP"/aws/*.log | tail -n 60
exit $rc
