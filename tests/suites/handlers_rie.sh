#!/bin/sh
# handlers_rie.sh - every packaged bootstrap answers invocations through a
# local Lambda Runtime API (DESIGN.md section 5: "each bootstrap answers an
# invocation through a local Lambda Runtime API").
#
# The emulator: the AWS Lambda Runtime Interface Emulator, aws-lambda-rie,
# installed with `go install` at the pinned commit RIE_VERSION into
# $BUILD/gobin (or given as AWS_LAMBDA_RIE=/path).  Where the Go module proxy
# does not serve it, the suite falls back to @vercel/fun (npm, pinned
# FUN_VERSION, installed into $BUILD/node-fun): another, independent
# implementation of the Runtime API that runs `bootstrap` as Lambda does,
# driven through tests/handlers/fun_emulator.js, which answers RIE's invoke
# endpoint.  The suite says which one ran.  Both listen on 127.0.0.1 only.
#
# For every function of every example (and tests/handlers/escapes.yaml),
# from its unpacked zip (so the packaging is what runs):
#   - the sample event events/<function>.json: an API Gateway function
#     whose route's scaffold makes no AWS call answers statusCode 501 and
#     the JSON body {"message": "not implemented: <METHOD> <route>"}; one
#     whose scaffold calls DynamoDB runs here without the function's
#     environment, so it answers a JSON 500 and logs which variable is
#     missing (or a JSON 400 when the sample's key does not fit the
#     table's); a stream function {"batchItemFailures": []}, or, when it
#     publishes each record and so has no topic here, every record
#     reported failed; a plain one {"message": ...};
#   - a malformed event (truncated JSON): API Gateway functions answer 400,
#     the others report a Runtime API error (errorType InvalidEvent);
#   - the sample event again: same answer, from the same process (the log
#     shows one "runtime started"): the malformed event crashed nothing.
# Also the arm64 package of dynamodb-manager under qemu-aarch64, when the
# arm64 toolchain and qemu-user are installed (handlers_build.sh does).
#
# Every wait is bounded; every emulator started is stopped.  Skipped under
# the sanitizer run (SVCGEN_SANITIZED=1): nothing here depends on how svcgen
# was built.  Ends with "N passed, N failed".
set -u
. tests/handlers/lib.sh
hs_setup handlers_rie

# A commit of github.com/aws/aws-lambda-runtime-interface-emulator whose
# go.mod names that module path (older ones are go.amzn.com and cannot be
# installed by this path).  RIE's release tags (v1.x) are not semantic
# versions, so Go only takes a commit (a pseudo-version) here.
RIE_MODULE=github.com/aws/aws-lambda-runtime-interface-emulator
RIE_VERSION=${RIE_VERSION:-0f5fce3275ada05b2e0cc2c097c6240b0442a3d6}
FUN_VERSION=1.3.6

if [ -n "${SVCGEN_SANITIZED:-}" ]; then
	skip "the emulator runs are not repeated under the sanitizers (they do not involve svcgen)"
	hs_finish
fi

# ---- the emulator ----------------------------------------------------------------

emulator=""
rie=""
find_rie() {
	if [ -n "${AWS_LAMBDA_RIE:-}" ] && [ -x "${AWS_LAMBDA_RIE}" ]; then
		rie=$AWS_LAMBDA_RIE
	elif [ -x "$BUILD/gobin/aws-lambda-rie" ]; then
		rie="$PWD/$BUILD/gobin/aws-lambda-rie"
	elif command -v go >/dev/null 2>&1; then
		mkdir -p "$BUILD/gobin"
		if GOBIN="$PWD/$BUILD/gobin" timeout 600 \
			go install "$RIE_MODULE/cmd/aws-lambda-rie@$RIE_VERSION" >"$HS_TMP/go-install.log" 2>&1; then
			rie="$PWD/$BUILD/gobin/aws-lambda-rie"
		else
			echo "      aws-lambda-rie could not be installed (go install $RIE_MODULE/cmd/aws-lambda-rie@$RIE_VERSION):"
			tail -n 3 "$HS_TMP/go-install.log" | sed 's/^/        /'
		fi
	fi
	[ -n "$rie" ]
}

# The fallback, pinned with its whole dependency tree in tests/handlers/fun/
# (package-lock.json), installed once beside the other test tools.
FUN_DIR="${SVCGEN_TOOLS:-$PWD/build}/node-fun"
find_fun() {
	command -v node >/dev/null 2>&1 || return 1
	if [ ! -f "$FUN_DIR/node_modules/@vercel/fun/package.json" ] ||
		! cmp -s tests/handlers/fun/package-lock.json "$FUN_DIR/package-lock.json"; then
		command -v npm >/dev/null 2>&1 || return 1
		mkdir -p "$FUN_DIR"
		cp tests/handlers/fun/package.json tests/handlers/fun/package-lock.json "$FUN_DIR/"
		(cd "$FUN_DIR" && timeout 600 npm ci --no-audit --no-fund) >"$HS_TMP/npm.log" 2>&1 || {
			tail -n 5 "$HS_TMP/npm.log" | sed 's/^/        /'
			return 1
		}
	fi
	grep -q "\"version\": \"$FUN_VERSION\"" "$FUN_DIR/node_modules/@vercel/fun/package.json"
}

if find_rie; then
	emulator=rie
	echo "      emulator: aws-lambda-rie ($rie)"
elif find_fun; then
	emulator=fun
	echo "      emulator: aws-lambda-rie is not available here; using @vercel/fun $FUN_VERSION's Runtime API"
	echo "      (tests/handlers/fun_emulator.js serves RIE's invoke endpoint in front of it)"
else
	bad "no Lambda Runtime API emulator: neither aws-lambda-rie nor @vercel/fun could be installed"
	hs_finish
fi

# A free port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

emu_pid=""
stop_emulator() {
	if [ -n "$emu_pid" ]; then
		kill "$emu_pid" 2>/dev/null
		# Bounded wait, then force.
		i=0
		while kill -0 "$emu_pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$emu_pid" 2>/dev/null
		wait "$emu_pid" 2>/dev/null
		emu_pid=""
	fi
}
HS_CLEANUP="stop_emulator"

# start_emulator TASK_DIR FUNCTION LOG: serve TASK_DIR/bootstrap; sets $url.
start_emulator() {
	task=$1
	fn=$2
	log=$3
	port=$(free_port)
	url="http://127.0.0.1:$port/2015-03-31/functions/function/invocations"
	if [ "$emulator" = rie ]; then
		api_port=$(free_port)
		(cd "$task" && exec env AWS_LAMBDA_FUNCTION_NAME="$fn" LOG_LEVEL=info "$rie" \
			--runtime-interface-emulator-address "127.0.0.1:$port" \
			--runtime-api-address "127.0.0.1:$api_port" "$task/bootstrap") >"$log" 2>&1 &
	else
		NODE_PATH="$FUN_DIR/node_modules" XDG_CACHE_HOME="$FUN_DIR/cache" \
			node tests/handlers/fun_emulator.js "$port" "$task" "$fn" >"$log" 2>&1 &
	fi
	emu_pid=$!
	# Up when the port answers (404 for GET /): at most 10 s.
	i=0
	while [ $i -lt 100 ]; do
		if curl -s -o /dev/null -m 1 "http://127.0.0.1:$port/" 2>/dev/null; then
			return 0
		fi
		kill -0 "$emu_pid" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# invoke EVENT-FILE OUT: POST the event, the answer in OUT; curl's status.
invoke() {
	curl -s -m 30 -o "$2" -H 'Content-Type: application/json' --data-binary "@$1" "$url"
}

# check_answer KIND EVENT-FILE ANSWER-FILE FUNCTION: the expected answer?
# Prints what is wrong; status 0 when right.
check_answer() {
	python3 - "$@" <<'EOF'
import json, sys
import re
kind, event_file, answer_file, fn, src_file, log_file = sys.argv[1:7]
src = open(src_file).read()
try:
    ans = json.load(open(answer_file))
except ValueError as e:
    print("the answer is not JSON: %s: %r" % (e, open(answer_file).read()[:200]))
    sys.exit(1)
if kind == "malformed-http":
    ok = ans.get("statusCode") == 400 and "message" in json.loads(ans.get("body", "null"))
    print("" if ok else "expected statusCode 400 with a JSON message, got %r" % ans)
    sys.exit(0 if ok else 1)
if kind == "malformed-other":
    ok = isinstance(ans, dict) and ans.get("errorType") == "InvalidEvent"
    print("" if ok else "expected a Runtime API error InvalidEvent, got %r" % ans)
    sys.exit(0 if ok else 1)
ev = json.load(open(event_file))
if kind == "http":
    body = json.loads(ans.get("body") or "null")
    if ev.get("version") == "2.0":
        method, path = ev["requestContext"]["http"]["method"], ev["routeKey"].split(" ", 1)[1]
    else:
        method, path = ev["httpMethod"], ev["resource"]
    # The scaffold's block for this route: does it call DynamoDB?
    routes = list(re.finditer(r'lambda_route_is\(req, "([A-Z]+)", "([^"]+)"\)', src))
    block = ""
    for n, m in enumerate(routes):
        if m.group(2) == path and m.group(1) in (method, "ANY"):
            block = src[m.end():routes[n + 1].start() if n + 1 < len(routes) else len(src)]
            break
    if "lambda_crud_" in block:
        log = open(log_file, errors="replace").read()
        if ans.get("statusCode") == 500:
            if not isinstance(body, dict) or body.get("message") != "internal server error":
                print("expected body {\"message\": \"internal server error\"}, got %r" % body)
                sys.exit(1)
            if "not in the environment" not in log:
                print("a 500 without the log naming the missing variable"); sys.exit(1)
        elif ans.get("statusCode") != 400 or not isinstance(body, dict) or "message" not in body:
            print("expected a JSON 500 (no TABLE_* here) or 400, got %r" % ans); sys.exit(1)
    else:
        if ans.get("statusCode") != 501:
            print("expected statusCode 501, got %r" % ans); sys.exit(1)
        want = ["not implemented: %s %s" % (m, path) for m in (method, "ANY")]
        if not isinstance(body, dict) or body.get("message") not in want:
            print("expected body {\"message\": %r}, got %r" % (want[0], body)); sys.exit(1)
    if "application/json" not in (ans.get("headers") or {}).get("Content-Type", ""):
        print("no Content-Type: application/json in %r" % ans.get("headers")); sys.exit(1)
elif kind == "stream":
    # A publishing stream function has no TOPIC_* here: each record fails.
    want = {"batchItemFailures": []}
    if "lambda_crud_publish_record(" in src and ev.get("Records"):
        want = {"batchItemFailures": [{"itemIdentifier": ev["Records"][0]["dynamodb"]["SequenceNumber"]}]}
    if ans != want:
        print("expected %r, got %r" % (want, ans)); sys.exit(1)
else:
    if ans != {"message": "not implemented: " + fn}:
        print("expected {\"message\": \"not implemented: %s\"}, got %r" % (fn, ans)); sys.exit(1)
EOF
}

# kind_of PROJECT FUNCTION: http, stream or plain, from the sample event.
kind_of() {
	python3 -c '
import json, sys
ev = json.load(open(sys.argv[1]))
print("http" if "httpMethod" in ev or ev.get("version") == "2.0" else
      "stream" if "Records" in ev else "plain")' "$1/events/$2.json"
}

# serve TASK_DIR PROJECT FUNCTION LABEL: the three invocations.
serve() {
	task=$1
	proj=$2
	fn=$3
	label=$4
	kind=$(kind_of "$proj" "$fn")
	log="$HS_TMP/$label.log"
	if ! start_emulator "$task" "$fn" "$log"; then
		bad "$label: the emulator did not start"
		hs_tail "$log"
		stop_emulator
		return
	fi
	event="$proj/events/$fn.json"
	malformed="$HS_TMP/malformed.json"
	printf '{"httpMethod": ' >"$malformed"
	mkind=$([ "$kind" = http ] && echo malformed-http || echo malformed-other)
	problem=""
	if ! invoke "$event" "$HS_TMP/a1"; then
		problem="the sample event got no answer"
	elif ! msg=$(check_answer "$kind" "$event" "$HS_TMP/a1" "$fn" "$proj/src/$fn.c" "$log"); then
		problem="sample event: $msg"
	elif ! invoke "$malformed" "$HS_TMP/a2"; then
		problem="the malformed event got no answer"
	elif ! msg=$(check_answer "$mkind" "$event" "$HS_TMP/a2" "$fn" "$proj/src/$fn.c" "$log"); then
		problem="malformed event: $msg"
	elif ! invoke "$event" "$HS_TMP/a3"; then
		problem="no answer after the malformed event"
	elif ! msg=$(check_answer "$kind" "$event" "$HS_TMP/a3" "$fn" "$proj/src/$fn.c" "$log"); then
		problem="after the malformed event: $msg"
	fi
	starts=$(grep -c '"message":"runtime started' "$log")
	stop_emulator
	if [ -n "$problem" ]; then
		bad "$label: $problem"
		hs_tail "$log" 15
	elif [ "$starts" -ne 1 ]; then
		bad "$label: the runtime started $starts times (a crash restarted it?)"
		hs_tail "$log" 15
	else
		case $kind in
		http) what="the scaffold's answer (501, or 500/400 without its environment)" ;;
		stream) what="no batch item failures" ;;
		*) what="JSON message" ;;
		esac
		ok "$label: $what; malformed event -> $([ "$kind" = http ] && echo 400 || echo 'InvalidEvent error'); same process answers again"
	fi
}

for spec in $(hs_specs); do
	name=$(hs_name "$spec")
	if ! hs_prepare "$name" "$spec"; then
		bad "$name: could not generate, build and package the handlers"
		for l in generate package; do
			[ -f "$HS_ART/$name/$l.log" ] && hs_tail "$HS_ART/$name/$l.log"
		done
		continue
	fi
	proj="$HS_ART/$name/out/handlers"
	for fn in $(hs_functions "$proj"); do
		task="$HS_TMP/task-$name-$fn"
		mkdir -p "$task"
		unzip -q -o "$proj/build-gcc/$fn.zip" -d "$task"
		serve "$task" "$proj" "$fn" "$name: $fn"
	done
done

# The arm64 package, run by qemu-aarch64 (a wrapper bootstrap: this kernel
# cannot exec aarch64 programs itself).
if command -v qemu-aarch64 >/dev/null 2>&1 && command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
	dir="$HS_TMP/arm64"
	if "$SVCGEN" generate examples/dynamodb-manager/service.yaml -o "$dir" --only handlers >"$HS_TMP/arm64-gen.log" 2>&1 &&
		hs_make "$HS_TMP/arm64-make.log" "$dir/handlers" package; then
		task="$dir/task"
		mkdir -p "$task/pkg"
		unzip -q "$dir/handlers/build/dynamodb_manager.zip" -d "$task/pkg"
		cat >"$task/bootstrap" <<'EOF'
#!/bin/sh
here=${0%/*}
exec qemu-aarch64 "$here/pkg/lib/ld-linux-aarch64.so.1" --library-path "$here/pkg/lib" "$here/pkg/bin/function"
EOF
		chmod 755 "$task/bootstrap"
		serve "$task" "$dir/handlers" dynamodb_manager "arm64 (qemu): dynamodb_manager"
	else
		bad "arm64 (qemu): could not build the arm64 package"
		hs_tail "$HS_TMP/arm64-make.log"
	fi
else
	skip "arm64 (qemu): no arm64 toolchain or qemu-aarch64 (handlers_build.sh installs them)"
fi

hs_finish
