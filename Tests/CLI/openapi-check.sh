#!/usr/bin/env bash
# Checks the running node HTTP APIs against openapi.yaml with schemathesis.
#
# Usage: Tests/CLI/openapi-check.sh [path to zkml]   (default: .build/debug/zkml)
#
# Starts a full node (with the model hub) and an inference node on loopback (port 0, a fresh
# temporary directory), releases circuits/sklearn_mlp on the hub and answers one request end to
# end, then runs schemathesis against each node on the operations it serves (tags `common` +
# `full` + `hub`, and `common` + `inference`). The hooks in Tests/CLI/openapi_check.py sign most
# generated writes with real keys, so the checks reach past the signature checks into
# registration, settlement, the hub and inference. Checks: no 5xx, status codes, content types,
# headers and bodies as documented, and created resources readable. Fails (exit 1) on any
# schemathesis failure, a node that died, or an `internal error` in a node's log. (One 5xx is
# by design and not counted: `/readyz` answering 503 `not_ready` when the proof queue is full.)
#
# Environment: OPENAPI_CHECK_MAX_EXAMPLES (default 25 per operation), OPENAPI_CHECK_SEED
# (schemathesis's seed; default random, printed; the hooks' choices are random too unless
# ZKML_OA_DETERMINISTIC=1), OPENAPI_CHECK_TIMEOUT (seconds per node run, default 150),
# OPENAPI_CHECK_KEEP=1 keeps the temporary directory (it is kept anyway on failure).
# Needs python3 and pip (schemathesis is installed if missing) and curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
ZKML=${1:-.build/debug/zkml}
ZKML="$(cd "$(dirname "$ZKML")" && pwd)/$(basename "$ZKML")"
[ -x "$ZKML" ] || { echo "no zkml binary at $ZKML" >&2; exit 2; }

SCHEMATHESIS_VERSION=4.32.5
MAX_EXAMPLES=${OPENAPI_CHECK_MAX_EXAMPLES:-25}
# A fixed seed by default (CI must not flake); OPENAPI_CHECK_SEED=random explores.
SEED=${OPENAPI_CHECK_SEED:-20261204}
[ "$SEED" = random ] && SEED=$(( (RANDOM << 15) | RANDOM ))
export ZKML_OA_DETERMINISTIC=${ZKML_OA_DETERMINISTIC:-1}
RUN_TIMEOUT=${OPENAPI_CHECK_TIMEOUT:-150}
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,ensure_resource_availability
MODEL=circuits/sklearn_mlp
export CI=true
exec </dev/null

started=$(date +%s)
say() { echo "openapi-check: $*"; }

# ---------------------------------------------------------------------------- tools
if ! python3 -c 'import schemathesis, sys; sys.exit(0 if schemathesis.__version__.startswith("4.") else 1)' 2>/dev/null; then
    say "installing schemathesis==$SCHEMATHESIS_VERSION"
    python3 -m pip install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
python3 -c 'import cryptography' 2>/dev/null || python3 -m pip install -q --disable-pip-version-check cryptography
installed=$(python3 -c 'import schemathesis; print(schemathesis.__version__)')

# ---------------------------------------------------------------------------- the document
if python3 -c 'import openapi_spec_validator' 2>/dev/null; then
    python3 -m openapi_spec_validator "$root/openapi.yaml" >/dev/null
    say "openapi.yaml is a valid OpenAPI document (openapi-spec-validator)"
fi

# ---------------------------------------------------------------------------- the nodes
work=$(mktemp -d "${TMPDIR:-/tmp}/zkml-openapi.XXXXXX")
pids=()
status=1
stop_pid() {  # stop_pid PID: SIGTERM, then SIGKILL after 20 s; returns 1 if it had to be killed
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 1
}
cleanup() {
    local pid
    for pid in "${pids[@]}"; do stop_pid "$pid" || true; done
    if [ "$status" -eq 0 ] && [ "${OPENAPI_CHECK_KEEP:-0}" != 1 ]; then rm -rf "$work"; else say "kept $work (node logs, reports)"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

key_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

declare -A node_pid
start_node() {  # start_node ROLE CONFIG DATA_DIR: starts it in the background, waits for its port file; sets $node_port
    rm -f "$3/port"
    "$ZKML" node "$1" --config "$2" >>"$work/$1.log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    node_pid[$1]=$pid
    local i
    for i in $(seq 1 240); do
        [ -s "$3/port" ] && { node_port=$(tr -d '\n' <"$3/port"); return 0; }
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    echo "the $1 node did not start:" >&2
    tail -20 "$work/$1.log" >&2
    return 1
}

for k in full inf pub; do "$ZKML" node keygen -o "$work/$k.key" >/dev/null; done
# Prove the model's example input once, in the background (the hooks submit this proof).
"$ZKML" compile "$MODEL/model_probabilities.onnx" --calibration "$MODEL/calibration.json" -o "$work/compiled" >/dev/null
"$ZKML" prove "$work/compiled" "$MODEL/input.json" -o "$work/input.proof" --json >"$work/prove.json" 2>"$work/prove.log" &
prove_pid=$!
pids+=("$prove_pid")

cat >"$work/full.json" <<EOF
{"role": "full", "host": "127.0.0.1", "port": 0, "data_dir": "$work/full", "key_file": "$work/full.key",
 "inference_nodes": [{"public_key": "$(key_field "$work/inf.key" public_key)"}]}
EOF
start_node full "$work/full.json" "$work/full"
full_port=$node_port
full_url=http://127.0.0.1:$full_port
say "full node at $full_url"
"$ZKML" model create skl --hub "$full_url" --key "$work/pub.key" >/dev/null
"$ZKML" model release skl 1.0 --onnx "$MODEL/model_probabilities.onnx" --calibration "$MODEL/calibration.json" \
    --hub "$full_url" --key "$work/pub.key" >/dev/null

# One worker and a short queue: the fuzzer's zkml requests are admitted a few at a time (the
# others get 429), so proving stays within the machine.
cat >"$work/inf.json" <<EOF
{"role": "inference", "host": "127.0.0.1", "port": 0, "data_dir": "$work/inf", "key_file": "$work/inf.key",
 "full_node": {"url": "$full_url", "public_key": "$(key_field "$work/full.key" public_key)"},
 "models": ["skl@1.0"], "workers": 1, "max_queued_jobs": 2, "proof_deadline_seconds": 60}
EOF
start_node inference "$work/inf.json" "$work/inf"
inf_url=http://127.0.0.1:$node_port
say "inference node at $inf_url"
"$ZKML" infer --node "$inf_url" --model skl@1.0 --mode vanilla -f "$MODEL/input.json" --key "$work/pub.key" \
    --wait settled >"$work/infer.out"
request_id=$(sed -n 's/^request \([0-9a-f]\{64\}\).*/\1/p' "$work/infer.out" | head -1)
grep -q "settled" "$work/infer.out" || { echo "the example request did not settle:" >&2; cat "$work/infer.out" >&2; exit 1; }
wait "$prove_pid" || { echo "zkml prove failed:" >&2; cat "$work/prove.log" >&2; exit 1; }

# What the hooks need to sign valid writes (see Tests/CLI/openapi_check.py).
curl -sf "$full_url/v1/models/skl" >"$work/skl.json"
python3 - "$work" >"$work/hooks.env" <<'PY'
import json, shlex, sys
work = sys.argv[1]
key = lambda name: json.load(open(f"{work}/{name}.key"))
release = json.load(open(f"{work}/skl.json"))["releases"][0]
env = {
    "ZKML_OA_CLIENT_SEED": key("pub")["seed"], "ZKML_OA_PEER_SEED": key("inf")["seed"],
    "ZKML_OA_FULL_KEY": key("full")["public_key"], "ZKML_OA_MODEL_NAME": release["name"],
    "ZKML_OA_MODEL_VERSION": release["version"], "ZKML_OA_MODEL_ID": release["model_id"],
    "ZKML_OA_ONNX_BLOB": release["onnx_blob"], "ZKML_OA_CALIBRATION_BLOB": release["settings"]["calibration_blob"],
    "ZKML_OA_BITS": release["settings"]["bits"], "ZKML_OA_VK_HASH": release["verification_key_hash"],
    "ZKML_OA_PROVE_JSON": f"{work}/prove.json", "ZKML_OA_PROOF": f"{work}/input.proof",
}
for name, value in env.items():
    print(f"export {name}={shlex.quote(str(value))}")
PY
source "$work/hooks.env"
export ZKML_OA_INPUT="$root/$MODEL/input.json" ZKML_OA_REQUEST_IDS=$request_id
export SCHEMATHESIS_HOOKS="$root/Tests/CLI/openapi_check.py"
say "setup done in $(( $(date +%s) - started )) s; schemathesis $installed, seed $SEED, $MAX_EXAMPLES examples per operation"

# ---------------------------------------------------------------------------- schemathesis
run_schemathesis() {  # run_schemathesis NAME URL TAG_REGEX
    local name=$1 url=$2 tags=$3 code=0 t0
    t0=$(date +%s)
    echo
    say "=== $name node ($url): operations tagged $tags"
    local args=(run "$root/openapi.yaml" --url "$url" --include-tag-regex "$tags" --checks "$CHECKS"
        --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers 1 --request-timeout 30 --generation-database none
        --no-color --report har,junit --report-dir "$work/report-$name")
    echo "+ st ${args[*]}"
    # From the temporary directory: schemathesis keeps a cache (.schemathesis/) in its working directory.
    (cd "$work" && timeout --kill-after=10 "$RUN_TIMEOUT" python3 -m schemathesis.cli "${args[@]}") \
        >"$work/schemathesis-$name.out" 2>&1 || code=$?
    # Failures, errors and the summary (long lines, such as a curl with a proof in it, cut).
    if grep -qE '^=+ (FAILURES|ERRORS|SUMMARY) =+$' "$work/schemathesis-$name.out"; then
        awk '/^=+ (FAILURES|ERRORS|SUMMARY) =+$/ { on = 1 } on' "$work/schemathesis-$name.out" | cut -c1-300
    else
        tail -40 "$work/schemathesis-$name.out" | cut -c1-300
    fi
    [ "$code" -eq 124 ] && say "$name: schemathesis did not finish in $RUN_TIMEOUT s"
    results+=("$name: schemathesis exit $code in $(( $(date +%s) - t0 )) s; $(grep -Eo '[0-9]+ generated[^│]*' "$work/schemathesis-$name.out" | tail -1 || true)")
    python3 "$root/Tests/CLI/openapi_check.py" summary "$work/report-$name" || true
    return "$code"
}

node_died() {  # node_died ROLE: whether its process is gone (a crash: a trap, an abort)
    ! kill -0 "${node_pid[$1]}" 2>/dev/null
}
report_crash() {  # report_crash ROLE
    results+=("$1 node: CRASHED during the run (see above; its log: $work/$1.log)")
    failed=1
    echo
    say "the $1 node crashed:"
    grep -m1 -E "Fatal error|runtime failure|Crash" "$work/$1.log" || true
    grep -E "^ *[0-9]+ .* at $root/Sources/" "$work/$1.log" | head -4 || true
}

results=()
failed=0
run_schemathesis full "$full_url" '^(common|full|hub)$' || failed=1
if node_died full; then
    report_crash full
    # Restart it on the same port (the inference node's full node URL) so the inference run can go on.
    python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); c["port"]=int(sys.argv[2]); json.dump(c,open(sys.argv[1],"w"))' "$work/full.json" "$full_port"
    start_node full "$work/full.json" "$work/full" && say "restarted the full node on port $full_port"
fi
run_schemathesis inference "$inf_url" '^(common|inference)$' || failed=1
node_died inference && report_crash inference

# ---------------------------------------------------------------------------- the nodes afterwards
for role in full inference; do
    if grep -q "internal error" "$work/$role.log"; then
        results+=("$role node: logged internal errors (500):"); failed=1
        grep "internal error" "$work/$role.log" | sort | uniq -c | head -10
    fi
done
# A graceful stop should be quick (the inference node flushes its outbox for up to five seconds).
for role in inference full; do
    node_died "$role" && continue
    t0=$(date +%s)
    if stop_pid "${node_pid[$role]}"; then
        results+=("$role node: stopped on SIGTERM in $(( $(date +%s) - t0 )) s")
    else
        results+=("$role node: still running 20 s after SIGTERM; killed (note, not counted as a failure)")
    fi
done

echo
say "summary (seed $SEED, schemathesis $installed, $(( $(date +%s) - started )) s in all):"
for line in "${results[@]}"; do echo "  $line"; done
if [ "$failed" -eq 0 ]; then say "PASSED"; status=0; else say "FAILED (the failing requests are above as curl commands; all of them are in the HAR reports)"; status=1; fi
exit "$status"
