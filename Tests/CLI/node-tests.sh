#!/usr/bin/env bash
# Integration tests of the node network: real `zkml node` processes on loopback ports, started
# and stopped by their process ids (SIGTERM, then SIGKILL after a timeout; a trap stops whatever
# is left). Covers the devnet scenario, refused configurations and keys, HTTP abuse (4xx JSON,
# never a 5xx), graceful shutdown with proofs in flight, and a bounded load test with SIGKILLs.
# Usage: Tests/CLI/node-tests.sh [path to zkml]; closes with "N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
ZKML=${1:-.build/debug/zkml}
ZKML="$(cd "$(dirname "$ZKML")" && pwd)/$(basename "$ZKML")"
ZOO=circuits/sklearn_mlp
ONNX=$ZOO/model_probabilities.onnx
work=$(mktemp -d)
pids=()
stop_pid() {  # SIGTERM, wait up to 30 s, then SIGKILL; sets $stopped_status
    local pid=$1 i
    stopped_status=""
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; stopped_status=killed; fi
    wait "$pid" 2>/dev/null; local code=$?
    [ -z "$stopped_status" ] && stopped_status=$code
}
cleanup() { for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
source Tests/CLI/lib.sh
pubkey() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['public_key'])" "$1"; }
wait_port() {  # wait_port DIR PID -> echoes the port once /readyz answers 200
    local i port
    for i in $(seq 600); do
        if [ -f "$1/port" ]; then
            port=$(cat "$1/port")
            if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; then echo "$port"; return 0; fi
        fi
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
http() {  # http METHOD URL [curl args...] -> body in $work/out, status in $status
    local method=$1 url=$2; shift 2
    status=$(curl -s -o "$work/out" -w '%{http_code}' -X "$method" "$url" "$@")
}
expect_json_error() {  # expect_json_error NAME STATUS CODE
    if [ "$status" = "$2" ] && python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['error']['code']==sys.argv[2] and d['error']['message'] else 1)" "$work/out" "$3" 2>/dev/null
    then pass "$1 ($2 $3)"; else fail "$1: got $status $(head -c 200 "$work/out"), expected $2 $3"; fi
}

# 1. The devnet scenario (every mode, replays, forged and tampered evidence, a late proof, SIGTERM exits).
check "zkml devnet passes its scenario" 0 "$ZKML" devnet --dir "$work/devnet"
contains "the devnet says every outcome is expected" "every outcome is the expected one"

# 2. Keys and configurations are refused at start with what is wrong.
"$ZKML" node keygen -o "$work/full.key" >/dev/null
"$ZKML" node keygen -o "$work/inf.key" >/dev/null
"$ZKML" node keygen -o "$work/client.key" >/dev/null
check "keygen never overwrites a key" 2 "$ZKML" node keygen -o "$work/full.key"
cp "$work/full.key" "$work/open.key" && chmod 644 "$work/open.key"
FK=$(pubkey "$work/full.key"); IK=$(pubkey "$work/inf.key")
echo "{\"role\": \"full\", \"data_dir\": \"$work/open\", \"key_file\": \"$work/open.key\"}" > "$work/open.json"
check "a key file others can read is refused" 2 "$ZKML" node full --config "$work/open.json"
contains "the refusal names the permissions" "chmod 600"
echo "{\"role\": \"inference\", \"data_dir\": \"$work/x\", \"key_file\": \"$work/inf.key\", \"port\": 70000, \"full_node\": {\"url\": \"ftp://x\", \"public_key\": \"12\"}, \"models\": [\"mlp\"]}" > "$work/bad.json"
check "a bad configuration is refused" 2 "$ZKML" node inference --config "$work/bad.json"
contains "it names the port" "port must be"
contains "it names the full node's key" "full_node.public_key"
contains "it names the model reference" "is not name@major.minor"
check "a configuration of another role is refused" 2 "$ZKML" node inference --config "$work/open.json"

# 3. Real nodes for the HTTP checks.
echo "{\"role\": \"full\", \"data_dir\": \"$work/full\", \"key_file\": \"$work/full.key\", \"inference_nodes\": [{\"public_key\": \"$IK\"}]}" > "$work/full.json"
"$ZKML" node full --config "$work/full.json" >"$work/full.log" 2>&1 &
full_pid=$!; pids+=("$full_pid")
FP=$(wait_port "$work/full" "$full_pid") || { fail "the full node starts"; cat "$work/full.log"; exit 1; }
F=http://127.0.0.1:$FP
check "model create" 0 "$ZKML" model create skl --hub "$F" --key "$work/client.key"
check "model create twice is refused" 2 "$ZKML" model create skl --hub "$F" --key "$work/client.key"
contains "with model_exists" "exists"
check "model release (the hub derives the key itself)" 0 "$ZKML" model release skl 1.0 --onnx $ONNX --calibration $ZOO/calibration.json --hub "$F" --key "$work/client.key"
check "a release by another key is refused" 2 "$ZKML" model release skl 1.1 --onnx $ONNX --calibration $ZOO/calibration.json --hub "$F" --key "$work/inf.key"
contains "with not_owner" "only the model's owner"
ONNX_BLOB=$("$ZKML" model upload $ONNX --hub "$F"); CAL_BLOB=$("$ZKML" model upload $ZOO/calibration.json --hub "$F")
http POST "$F/v1/models/skl/releases" -H 'Content-Type: application/json' \
    --data "$(python3 Tests/CLI/sign_node_message.py "$work/client.key" --release skl 1.2 "$ONNX_BLOB" "$CAL_BLOB")"
expect_json_error "a release whose key hash is not the one the hub derives" 422 verification_key_mismatch
check "model show resolves name@version" 0 "$ZKML" model show skl@1.0 --hub "$F" --json
MODEL_ID=$(python3 -c "import json; print(json.load(open('$work/out'))['model_id'])")
check "model pull checks the blobs and the key" 0 "$ZKML" model pull skl@1.0 --hub "$F" -o "$work/pulled"
check "model list" 0 "$ZKML" model list --hub "$F"
contains "lists the release" "1.0"
# A model of token ids (a one-hot public input), served beside the scikit-learn MLP.
TT=circuits/tiny_transformer
check "model create (token ids)" 0 "$ZKML" model create tt --hub "$F" --key "$work/client.key"
check "model release of a model of token ids" 0 "$ZKML" model release tt 1.0 --onnx $TT/model.onnx --calibration $TT/calibration.json --hub "$F" --key "$work/client.key"

echo "{\"role\": \"inference\", \"data_dir\": \"$work/inf\", \"key_file\": \"$work/inf.key\", \"full_node\": {\"url\": \"$F\", \"public_key\": \"$FK\"}, \"models\": [\"skl@1.0\", \"tt@1.0\"], \"proof_deadline_seconds\": 120}" > "$work/inf.json"
"$ZKML" node inference --config "$work/inf.json" >"$work/inf.log" 2>&1 &
inf_pid=$!; pids+=("$inf_pid")
IP=$(wait_port "$work/inf" "$inf_pid") || { fail "the inference node starts"; cat "$work/inf.log"; exit 1; }
I=http://127.0.0.1:$IP

check "infer by model id, vanilla, settled" 0 "$ZKML" infer --node "$I" --model "$MODEL_ID" --mode vanilla -f $ZOO/input.json --key "$work/client.key" --wait settled --json
check "infer with an unknown model is refused" 2 "$ZKML" infer --node "$I" --model nothing@1.0 --mode vanilla -f $ZOO/input.json --key "$work/client.key"
contains "with unknown_model" "does not serve"
check "infer with a short input is refused" 2 "$ZKML" infer --node "$I" --model skl@1.0 --mode vanilla --input "[1, 2, 3]" --key "$work/client.key"
check "infer token ids, zkml, settled (the full node verifies the one-hot input)" 0 "$ZKML" infer --node "$I" --model tt@1.0 --mode zkml -f $TT/input.json --key "$work/client.key" --wait settled --timeout 300 --json
contains "the token-id request settles" '"settled"'
check "infer with a token id outside the vocabulary is refused" 2 "$ZKML" infer --node "$I" --model tt@1.0 --mode vanilla --input "[1, 22, 13, 32, 8, 4, 19, 3]" --key "$work/client.key"
contains "with invalid_input naming the position" "position 3 is 32"

# HTTP abuse: always a JSON 4xx, never a 5xx.
head -c $((9 << 20)) /dev/zero > "$work/big"
http POST "$I/v1/infer" -H 'Content-Type: application/json' --data-binary @"$work/big"
expect_json_error "an oversized body" 413 body_too_large
http POST "$I/v1/infer" -H 'Content-Type: application/json' --data '{"signer": 1'
expect_json_error "malformed JSON" 400 malformed_body
http POST "$I/v1/infer" -H 'Content-Type: application/json' --data '{"signer": "00", "payload": "", "signature": ""}'
expect_json_error "a malformed signer" 400 malformed_signer
http GET "$I/v1/requests/nothex"
expect_json_error "a malformed request id" 400 malformed_request_id
http GET "$I/v1/requests/$(printf '0%.0s' $(seq 64))"
expect_json_error "an unknown request" 404 not_found
http GET "$F/v1/log?after=-1"
expect_json_error "a negative log position" 400 invalid_parameter
http GET "$F/v1/blobs/../../etc/passwd"
[ "${status:0:1}" = 4 ] && pass "a path-traversal blob id is a 4xx ($status)" || fail "path traversal gave $status"
http POST "$F/v1/receipts" -H 'Content-Type: application/json' --data "$(python3 Tests/CLI/sign_node_message.py "$work/client.key" "$FK")"
expect_json_error "a node message from an unpinned key" 403 unknown_peer
http POST "$F/v1/receipts" -H 'Content-Type: application/json' --data "$(python3 Tests/CLI/sign_node_message.py "$work/inf.key" "$IK")"
expect_json_error "a node message for another recipient" 403 wrong_recipient
http POST "$F/v1/receipts" -H 'Content-Type: application/json' --data "$(python3 Tests/CLI/sign_node_message.py "$work/inf.key" "$FK" --stale)"
expect_json_error "a stale node message" 401 stale_message
http GET "$I/metrics"
[ "$status" = 200 ] && grep -q "zkml_proof_queue_jobs" "$work/out" && pass "/metrics exports the queue depth" || fail "/metrics"
http GET "$I/v1/info"
grep -q '"role":"inference"' "$work/out" && pass "/v1/info names the role" || fail "/v1/info"

# 4. Graceful shutdown with proofs in flight: SIGTERM exits 0, a restart resumes, nothing is lost.
ids=()
for n in 1 2 3; do
    "$ZKML" infer --node "$I" --model skl@1.0 --mode zkml -f $ZOO/input.json --key "$work/client.key" --json > "$work/infer$n.json" 2>&1
    ids+=("$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['answer']['request_id'])" "$work/infer$n.json")")
done
stop_pid "$inf_pid"
[ "$stopped_status" = 0 ] && pass "SIGTERM with proofs queued: the inference node exits 0" || fail "SIGTERM exit status $stopped_status"
"$ZKML" node inference --config "$work/inf.json" >>"$work/inf.log" 2>&1 &
inf_pid=$!; pids+=("$inf_pid")
IP=$(wait_port "$work/inf" "$inf_pid") || { fail "the inference node restarts"; exit 1; }
I=http://127.0.0.1:$IP
for id in "${ids[@]}"; do
    check "request ${id:0:12}… settles after the restart" 0 "$ZKML" request wait "$id" --node "$I" --timeout 300
done
check "request get" 0 "$ZKML" request get "${ids[0]}" --node "$I" --json
contains "shows settled" '"status":"settled"'
check "log export" 0 "$ZKML" log export --node "$F" -o "$work/log.json"
check "log verify" 0 "$ZKML" log verify "$work/log.json" --node-key "$FK"
check "log verify pinned to another key fails" 1 "$ZKML" log verify "$work/log.json" --node-key "$IK"
python3 - "$work/log.json" <<'PY'
import json, sys, base64
d = json.load(open(sys.argv[1]))
s = json.loads(base64.b64decode(d['entries'][0]['statement'])); s['output_hash'] = '00' * 32
d['entries'][0]['statement'] = base64.b64encode(json.dumps(s, sort_keys=True, separators=(',', ':')).encode()).decode()
json.dump(d, open(sys.argv[1] + '.tampered', 'w'))
PY
check "a tampered log fails log verify" 1 "$ZKML" log verify "$work/log.json.tampered"
contains "naming the entry" "entry 1"
stop_pid "$inf_pid"; [ "$stopped_status" = 0 ] && pass "inference node exits 0 on SIGTERM" || fail "inference exit $stopped_status"
stop_pid "$full_pid"; [ "$stopped_status" = 0 ] && pass "full node exits 0 on SIGTERM" || fail "full exit $stopped_status"

# 5. Load at 3× capacity with SIGKILLs of both nodes: bounded, nothing accepted is lost.
check "loadtest 3× with kills loses nothing" 0 "$ZKML" loadtest --onnx $ONNX --calibration $ZOO/calibration.json --input $ZOO/input.json \
    --multiple 3 --seconds 12 --deadline 8 --kill --json --dir "$work/load"
python3 - "$work/out" <<'PY' && pass "loadtest: some 429s, queue under its bound, every accepted request final" || fail "loadtest report: $(tail -c 400 "$work/out")"
import json, sys
d = json.loads([l for l in open(sys.argv[1]) if l.startswith('{')][-1])
assert d['lost'] == 0 and d['log_verified'], d
assert d['refused429'] > 0, d
assert d['max_queue_depth'] <= d['queue_bound'], d
assert d['settled'] + d['rejected'] + d['expired'] == d['accepted'] + d['downgraded'], d
PY

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
