#!/usr/bin/env bash
# End-to-end tests of the `zkml` command on the model zoo: exit codes, messages, files.
# Usage: Tests/CLI/cli-tests.sh [path to zkml]   (default: .build/debug/zkml)
# Prints one line per check and closes with "N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
ZKML=${1:-.build/debug/zkml}
ZKML="$(cd "$(dirname "$ZKML")" && pwd)/$(basename "$ZKML")"
ZOO=circuits/mlp_784_128_10
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source Tests/CLI/lib.sh

check "compile the MLP" 0 "$ZKML" compile $ZOO/model.onnx --calibration $ZOO/calibration.json -o "$work/mlp"
test -f "$work/mlp/scales.json" && { passed=$((passed + 1)); echo "ok   scales file written"; } || { failed=$((failed + 1)); echo "FAIL scales file"; }
test -f "$work/mlp/model.zkcm" && { passed=$((passed + 1)); echo "ok   compiled model written"; } || { failed=$((failed + 1)); echo "FAIL model.zkcm"; }
check "prove before setup commits the weights itself" 0 "$ZKML" prove "$work/mlp" $ZOO/input.json -o "$work/early.proof" --json
contains "without a proving key setup runs in memory" '"proving_key":"setup"'
check "setup" 0 "$ZKML" setup "$work/mlp"
test -f "$work/mlp/proving.key" && { passed=$((passed + 1)); echo "ok   proving key written"; } || { failed=$((failed + 1)); echo "FAIL proving.key"; }
check "prove" 0 "$ZKML" prove "$work/mlp" $ZOO/input.json -o "$work/mlp.proof" --json
contains "prove loads the stored proving key" '"proving_key":"loaded"'
cmp -s "$work/early.proof" "$work/mlp.proof" && { passed=$((passed + 1)); echo "ok   the stored key gives the same proof"; } || { failed=$((failed + 1)); echo "FAIL proofs differ"; }
mkdir "$work/empty" && cp "$work/mlp.proof" "$work/mlp.proof.vk" "$work/empty/"
(cd "$work/empty" && check "verify in an empty directory" 0 "$ZKML" verify mlp.proof --vk mlp.proof.vk)
contains "verify names the model and the input hash" "input hash"
check "verify --json" 0 "$ZKML" verify "$work/mlp.proof" --vk "$work/mlp.proof.vk" --json
contains "json says valid" '"valid":true'
json_check() {  # json_check NAME PYTHON_EXPRESSION  (on the one JSON object the last command printed, as `d`)
    if python3 -c "import json,sys; lines=open('$work/out').read().splitlines(); objs=[l for l in lines if l.startswith('{')]; assert len(objs)==1, objs; d=json.loads(objs[0]); sys.exit(0 if ($2) else 1)" 2>/dev/null; then
        passed=$((passed + 1)); echo "ok   $1"
    else failed=$((failed + 1)); echo "FAIL $1"; sed 's/^/     /' "$work/out" | head -5; fi
}
json_check "a valid proof reports what it proves" "d['valid'] is True and len(d['output_data']) == 10 and len(d['input_hash']) == 64 and 'error' not in d"
model_id=$(python3 -c "import json; print(json.loads(open('$work/out').read())['model_id'])")
check "--expect-model-id with the key's model id" 0 "$ZKML" verify "$work/mlp.proof" --vk "$work/mlp.proof.vk" --expect-model-id "$model_id"
check "--expect-model-id that is not hex" 2 "$ZKML" verify "$work/mlp.proof" --vk "$work/mlp.proof.vk" --expect-model-id xyz
contains "the malformed id is named" "64 hex digits"
check "--expect-model-id that is not hex, --json" 2 "$ZKML" verify "$work/mlp.proof" --vk "$work/mlp.proof.vk" --expect-model-id 12 --json
json_check "the malformed id has its code" "d['valid'] is False and d['error']['code'] == 'malformed_model_id'"

# A changed output: the first output integer (after magic, version, field id and the 784 inputs),
# plus one (changed.proof) and far out of range (outofrange.proof).
python3 - "$work/mlp.proof" "$work/changed.proof" "$work/outofrange.proof" <<'PY'
import sys, struct
data = bytearray(open(sys.argv[1], 'rb').read())
offset = 4 + 2 + 2 + len(b"bn254-fr") + 4 + 8 * 784 + 4
value = struct.unpack_from('<q', data, offset)[0]
struct.pack_into('<q', data, offset, value + 1)
open(sys.argv[2], 'wb').write(data)
struct.pack_into('<q', data, offset, 1 << 40)
open(sys.argv[3], 'wb').write(data)
PY
check "a changed output is rejected" 1 "$ZKML" verify "$work/changed.proof" --vk "$work/mlp.proof.vk"
contains "the rejection says why" "INVALID"
check "a changed output is rejected, --json" 1 "$ZKML" verify "$work/changed.proof" --vk "$work/mlp.proof.vk" --json
json_check "the rejection is JSON with a code and a message, and no output_data" "d['valid'] is False and d['error']['code'] and d['error']['message'] and 'output_data' not in d"
check "an output out of range is rejected, --json" 1 "$ZKML" verify "$work/outofrange.proof" --vk "$work/mlp.proof.vk" --json
json_check "the out-of-range output is JSON with its code" "d['valid'] is False and d['error']['code'] == 'public_value_out_of_range' and 'output_data' not in d"
cp "$work/mlp.proof" "$work/flipped.proof"
printf '\x55' | dd of="$work/flipped.proof" bs=1 seek=90000 conv=notrunc 2>/dev/null
check "a flipped byte is rejected" 1 "$ZKML" verify "$work/flipped.proof" --vk "$work/mlp.proof.vk"

# Another model's key.
check "compile the CNN" 0 "$ZKML" compile circuits/cnn2_24x24/model.onnx --calibration circuits/cnn2_24x24/calibration.json -o "$work/cnn"
check "setup the CNN" 0 "$ZKML" setup "$work/cnn"
check "a proof against another model's key is rejected" 1 "$ZKML" verify "$work/mlp.proof" --vk "$work/cnn/verification.key"
contains "the mismatch is named" "does not match this verification key"
check "another model's key against --expect-model-id" 1 "$ZKML" verify "$work/mlp.proof" --vk "$work/cnn/verification.key" --expect-model-id "$model_id"
contains "the wrong model is named" "another model's"
check "another model's key against --expect-model-id, --json" 1 "$ZKML" verify "$work/mlp.proof" --vk "$work/cnn/verification.key" --expect-model-id "$model_id" --json
json_check "the wrong model has its code" "d['valid'] is False and d['error']['code'] == 'wrong_model' and 'output_data' not in d"
cnn_id=$(python3 -c "import json,sys; print(json.loads(sys.stdin.read().splitlines()[-1])['model_id'])" < "$work/out")
if python3 Tests/CLI/python_wrapper_test.py "$ZKML" "$work/mlp.proof" "$work/mlp.proof.vk" "$work/outofrange.proof" "$cnn_id" > "$work/out" 2>&1; then
    passed=$((passed + $(grep -c '^ok' "$work/out"))); cat "$work/out"
else failed=$((failed + 1)); echo "FAIL the Python wrapper"; sed 's/^/     /' "$work/out"; fi

# Damaged and foreign files exit 2 and say what is wrong.
cp -r "$work/mlp" "$work/damaged"
printf '\x55' | dd of="$work/damaged/proving.key" bs=1 seek=5000 conv=notrunc 2>/dev/null
check "a damaged proving key" 2 "$ZKML" prove "$work/damaged" $ZOO/input.json -o "$work/x.proof"
contains "the damage is named" "checksum"
cp "$work/cnn/proving.key" "$work/damaged/proving.key"
check "another model's proving key" 2 "$ZKML" prove "$work/damaged" $ZOO/input.json -o "$work/x.proof"
contains "the mismatch is named" "is not the key of"
cp "$work/mlp/verification.key" "$work/damaged/model.zkcm"
check "a key in place of the compiled model" 2 "$ZKML" run "$work/damaged" $ZOO/input.json
contains "the foreign magic is named" "wrong magic: not a ZKCM file"

# Unusable inputs exit 2 and say what is wrong.
head -c 100 /dev/urandom > "$work/garbage.onnx"
check "a malformed ONNX file" 2 "$ZKML" compile "$work/garbage.onnx" --calibration $ZOO/calibration.json -o "$work/x"
contains "the importer says why" "cannot import"
echo '{"input_data": [[0.5, "seven"]]}' > "$work/bad.json"
check "a malformed input file" 2 "$ZKML" run "$work/mlp" "$work/bad.json"
contains "the input error names the entry" "input_data\[0\]\[1\]"
check "a file that is not a proof" 2 "$ZKML" verify README.md --vk "$work/mlp.proof.vk"
check "a file that is not a proof, --json" 2 "$ZKML" verify README.md --vk "$work/mlp.proof.vk" --json
json_check "the refusal is JSON with its code" "d['valid'] is False and d['error']['code'] == 'not_a_proof'"
check "a missing key, --json" 2 "$ZKML" verify "$work/mlp.proof" --vk "$work/nothing.vk" --json
json_check "the missing key has its code" "d['error']['code'] == 'unreadable_file' and 'model_id' not in d"
check "a command-line error exits 2" 2 "$ZKML" verify "$work/mlp.proof"
check "a command-line error exits 2, --json" 2 "$ZKML" verify "$work/mlp.proof" --json
json_check "the command-line error is JSON with its code" "d['error']['code'] == 'usage' and 'vk' in d['error']['message']"
check "run --json on a malformed input" 2 "$ZKML" run "$work/mlp" "$work/bad.json" --json
json_check "the input error is JSON with its code" "d['error']['code'] == 'invalid_input'"
check "verify --help documents the exit statuses" 0 "$ZKML" verify --help
contains "the help names exit 2" "2 the proof or the key could not be read"

# An input ten times outside the calibrated range reports saturation.
python3 - $ZOO/input.json "$work/big.json" <<'PY'
import sys, json
d = json.load(open(sys.argv[1]))
json.dump({"input_data": [[10 * x for x in d["input_data"][0]]]}, open(sys.argv[2], "w"))
PY
check "run on a 10x input" 0 "$ZKML" run "$work/mlp" "$work/big.json" --json
contains "the clamp is warned about" "warning:"
if python3 -c "import json,sys; d=json.loads([l for l in open('$work/out') if l.startswith('{')][-1]); sys.exit(0 if d['input_saturated'] > 0 else 1)"; then
    passed=$((passed + 1)); echo "ok   input saturation reported"
else failed=$((failed + 1)); echo "FAIL input saturation not reported"; fi
check "--on-overflow error refuses a 10x input" 2 "$ZKML" run "$work/mlp" "$work/big.json" --on-overflow error
contains "the refusal says what overflowed" "outside the calibrated range"
check "check on the sample input" 0 "$ZKML" check "$work/mlp" $ZOO/input.json
contains "the checker reports every relation holding" "relations hold"

check "inspect a compiled directory with an estimate" 0 "$ZKML" inspect "$work/mlp" --estimate
contains "the estimate is printed" "estimate:"
check "inspect a verification key" 0 "$ZKML" inspect "$work/mlp.proof.vk"
contains "the key's model id is printed" "model id"
contains "the key's tool version is printed" "written by zkml"
check "inspect a proving key" 0 "$ZKML" inspect "$work/mlp/proving.key"
contains "the proving key is recognised" "proving key (format v2, written by zkml"
check "inspect a compiled model" 0 "$ZKML" inspect "$work/mlp/model.zkcm"
contains "the compiled model is recognised" "compiled model (format v2, written by zkml"
check "inspect an ONNX model" 0 "$ZKML" inspect $ZOO/model.onnx
contains "the operators are listed" "Gemm"
check "bench prints the per-layer table as JSON" 0 "$ZKML" bench $ZOO/model.onnx $ZOO/input.json --calibration $ZOO/calibration.json --runs 1 --json --svg "$work/mlp.svg"
contains "bench reports the proof size" '"proof_bytes"'
test -s "$work/mlp.svg" && { passed=$((passed + 1)); echo "ok   bench draws the SVG"; } || { failed=$((failed + 1)); echo "FAIL bench SVG"; }

# Every zoo model: one-shot prove (compile + setup + prove), then verify from the written key.
for model in mlp_784_128_10 mlp_784_256_256_10 lenet5 cnn2_24x24 sklearn_mlp; do
    file=model.onnx; [ "$model" = sklearn_mlp ] && file=model_probabilities.onnx
    check "one-shot prove $model" 0 env ZKML_CACHE="$work/cache" "$ZKML" prove circuits/$model/$file circuits/$model/input.json \
        -o "$work/$model.proof" --calibration circuits/$model/calibration.json
    check "verify $model" 0 "$ZKML" verify "$work/$model.proof" --vk "$work/$model.proof.vk"
done
check "a second one-shot prove uses the cached keys" 0 env ZKML_CACHE="$work/cache" "$ZKML" prove $ZOO/model.onnx $ZOO/input.json \
    -o "$work/again.proof" --calibration $ZOO/calibration.json --json
contains "the cached proving key is loaded" '"proving_key":"loaded"'

check "compile at 12 bits" 0 "$ZKML" compile $ZOO/model.onnx --calibration $ZOO/calibration.json --bits 12 -o "$work/mlp12"
check "prove at 12 bits" 0 "$ZKML" prove "$work/mlp12" $ZOO/input.json -o "$work/mlp12.proof"
check "verify at 12 bits" 0 "$ZKML" verify "$work/mlp12.proof" --vk "$work/mlp12.proof.vk"
check "--bits outside 8...16 is refused" 2 "$ZKML" compile $ZOO/model.onnx --calibration $ZOO/calibration.json --bits 20 -o "$work/x20"
contains "the refusal names the range" "between 8 and 16"

# 1,000 random bit flips of a proof (one bit per copy): every `verify --json` prints one JSON object
# with the documented fields, exit status and code (README). ZKML_FLIPS and ZKML_FLIP_JOBS override.
if python3 Tests/CLI/verify_bitflips.py "$ZKML" "$work/sklearn_mlp.proof" "$work/sklearn_mlp.proof.vk" \
    --flips "${ZKML_FLIPS:-1000}" --jobs "${ZKML_FLIP_JOBS:-2}" > "$work/out" 2>&1; then
    passed=$((passed + 1)); echo "ok   ${ZKML_FLIPS:-1000} bit flips give valid JSON, documented codes and exit statuses"; cat "$work/out"
else failed=$((failed + 1)); echo "FAIL bit flips"; cat "$work/out"; fi

check "bench --fidelity --json" 0 "$ZKML" bench circuits/sklearn_mlp/model_probabilities.onnx --calibration circuits/sklearn_mlp/calibration.json --fidelity --samples 10 --fidelity-bits 8,16 --json
if python3 -c "
import json, sys
d = json.loads([l for l in open('$work/out') if l.startswith('{')][-1])
rows = {r['bits']: r for r in d['fidelity']}
assert set(rows) == {8, 16} and all(r['samples'] == 10 for r in rows.values())
assert rows[16]['max_abs_error'] < rows[8]['max_abs_error'], rows   # wider integers are closer to float
assert rows[8]['argmax_agreement'] >= 0.9, rows
"; then passed=$((passed + 1)); echo "ok   fidelity: 16 bits closer to float than 8, argmax agrees"; else failed=$((failed + 1)); echo "FAIL fidelity report"; fi
# The zoo models #11 added that exercise the new operators end to end from the command line:
# skl2onnx's LinearClassifier + Normalizer (ai.onnx.ml; per-axis maps, a reciprocal table) and a
# transformer block (LayerNorm, attention's MatMul of activations, Softmax inside, Gelu), from
# its embeddings and from token ids (tiny_transformer: a one-hot public input).
for model in sklearn_logistic tiny_transformer_embedded tiny_transformer; do
    check "prove $model (one shot)" 0 "$ZKML" prove circuits/$model/model.onnx circuits/$model/input.json \
        --calibration circuits/$model/calibration.json -o "$work/$model.proof" --json
    check "verify $model" 0 "$ZKML" verify "$work/$model.proof" --vk "$work/$model.proof.vk" --json
    if python3 -c "
import json
d = json.loads([l for l in open('$work/out') if l.startswith('{')][-1])
ref = json.load(open('circuits/$model/reference_output.json'))['output_data'][0]
out = d['output_data']
assert d['valid'] is True and len(out) == len(ref), (len(out), len(ref))
assert max(range(len(out)), key=out.__getitem__) == max(range(len(ref)), key=ref.__getitem__), (out, ref)
assert max(abs(a - b) for a, b in zip(out, ref)) < 0.1 * max(abs(r) for r in ref), (out, ref)
"; then passed=$((passed + 1)); echo "ok   $model: the verified output is the reference's (argmax, within 10 %)"
    else failed=$((failed + 1)); echo "FAIL $model output against the reference"; fi
done
# An already-quantized model (onnxruntime's quantize_static, QOperator: QLinearConv, MaxPool, QGemm)
# proves and verifies from the command line, and its proven integers are onnxruntime's on all 200
# stored inputs (zkml bench --onnxruntime).
model=lenet5_qop
check "prove $model (one shot)" 0 "$ZKML" prove circuits/$model/model.onnx circuits/$model/input.json \
    --calibration circuits/$model/calibration.json -o "$work/$model.proof" --json
check "verify $model" 0 "$ZKML" verify "$work/$model.proof" --vk "$work/$model.proof.vk" --json
if python3 -c "
import json
d = json.loads([l for l in open('$work/out') if l.startswith('{')][-1])
ref = json.load(open('circuits/$model/reference_output.json'))['output_data'][0]
scale = json.load(open('circuits/$model/ort_integers.json'))['output_scale']
assert d['valid'] is True and len(d['output_data']) == len(ref)
assert all(abs(a - b) <= scale / 4 for a, b in zip(d['output_data'], ref)), (d['output_data'], ref)
"; then passed=$((passed + 1)); echo "ok   $model: the verified output is onnxruntime's, integer for integer"
else failed=$((failed + 1)); echo "FAIL $model output against onnxruntime's"; fi
check "bench --onnxruntime $model" 0 "$ZKML" bench circuits/$model/model.onnx --calibration circuits/$model/calibration.json \
    --onnxruntime circuits/$model/ort_integers.json --json
if python3 -c "
import json
d = json.loads([l for l in open('$work/out') if l.startswith('{')][-1])
assert d['inputs'] == 200 and d['output_integers'] == 2000 and d['mismatched_integers'] == 0, d
"; then passed=$((passed + 1)); echo "ok   $model: 2000 of 2000 output integers are onnxruntime's"
else failed=$((failed + 1)); echo "FAIL $model integers against onnxruntime's"; fi
check "bench --onnxruntime with a missing file is refused" 2 "$ZKML" bench circuits/$model/model.onnx \
    --calibration circuits/$model/calibration.json --onnxruntime "$work/missing.json"
# Token ids: the verifier reports the ids the one-hot public input encodes; a public input that
# is not one-hot is rejected; an id outside the vocabulary is refused, never clamped.
tt=circuits/tiny_transformer
check "verify tiny_transformer (text)" 0 "$ZKML" verify "$work/tiny_transformer.proof" --vk "$work/tiny_transformer.proof.vk"
contains "verify prints the token ids" "token ids \[1, 22, 13, 20, 8, 4, 19, 3\]"
check "verify tiny_transformer --json" 0 "$ZKML" verify "$work/tiny_transformer.proof" --vk "$work/tiny_transformer.proof.vk" --json
json_check "the JSON report has the token ids and their one-hot rows" "d['input_token_ids'] == [1, 22, 13, 20, 8, 4, 19, 3] and len(d['input_integers']) == 8 * 32 and sum(d['input_integers']) == 8"
python3 - "$work/tiny_transformer.proof" "$work/two-ones.proof" "$work" <<'PY'
import sys, struct, json
data = bytearray(open(sys.argv[1], 'rb').read())
offset = 4 + 2 + 2 + len(b"bn254-fr") + 4   # the first public input entry: row 0 (id 1), column 0
assert struct.unpack_from('<q', data, offset)[0] == 0
struct.pack_into('<q', data, offset, 1)
open(sys.argv[2], 'wb').write(data)
json.dump({"input_data": [[1, 22, 13, 32, 8, 4, 19, 3]]}, open(sys.argv[3] + '/id-32.json', 'w'))
json.dump({"input_data": [[1, 22, 13, 2.5, 8, 4, 19, 3]]}, open(sys.argv[3] + '/id-fraction.json', 'w'))
PY
check "a public input with two ones in a row is rejected" 1 "$ZKML" verify "$work/two-ones.proof" --vk "$work/tiny_transformer.proof.vk" --json
json_check "the rejection names the one-hot check" "d['valid'] is False and d['error']['code'] == 'public_input_not_one_hot' and 'row 0' in d['error']['message']"
check "an id outside the vocabulary is refused" 2 "$ZKML" prove $tt/model.onnx "$work/id-32.json" --calibration $tt/calibration.json -o "$work/id-32.proof" --json
json_check "the refusal says which position and value" "d['error']['code'] == 'invalid_input' and 'position 3 is 32' in d['error']['message']"
check "a fractional id is refused" 2 "$ZKML" prove $tt/model.onnx "$work/id-fraction.json" --calibration $tt/calibration.json -o "$work/id-fraction.proof"
contains "the refusal names the value" "position 3 is 2.5"
test ! -e "$work/id-32.proof" && pass "no proof is written for a refused input" || fail "a proof was written for a refused input"
check "bench --fidelity-bits outside 8...16 is refused" 2 "$ZKML" bench circuits/sklearn_mlp/model_probabilities.onnx --calibration circuits/sklearn_mlp/calibration.json --fidelity --fidelity-bits 4
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
