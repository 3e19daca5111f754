#!/usr/bin/env bash
# `zkml conformance` on the CI subset of ONNX's backend test cases (Tests/CLI/conformance-ci-cases.txt,
# from the copies under Tests/ZKONNXTests/Fixtures): every case must import, pass the float and the
# quantized checks, and prove and verify. Then the command's own behaviour: its JSON report, its
# Markdown, unknown names and suites refused (exit 2), and hostile cases (a truncated tensor file, a
# model that is not ONNX) reported without stopping the run.
# Usage: Tests/CLI/conformance-check.sh [path to zkml]; closes with "N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
ZKML=${1:-.build/debug/zkml}
FIXTURES=Tests/ZKONNXTests/Fixtures
SUITES=(--suite "$FIXTURES/onnx-node" --suite "$FIXTURES/onnx-pytorch")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source Tests/CLI/lib.sh

check "the CI subset passes: float, quantized, proven" 0 \
    "$ZKML" conformance "${SUITES[@]}" --cases-file Tests/CLI/conformance-ci-cases.txt --require-pass --json \
    --markdown "$work/ci.md"
cp "$work/out" "$work/ci.json"
expected=$(grep -cv '^\s*\(#\|$\)' Tests/CLI/conformance-ci-cases.txt)
if python3 - "$work/ci.json" "$expected" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
cases = report["cases"]
assert len(cases) == int(sys.argv[2]), f"{len(cases)} cases, expected {sys.argv[2]}"
for case in cases:
    assert case["status"] == "passed", (case["name"], case["status"], case.get("reason"))
    assert case["float"]["passed"] and case["quantized"]["passed"] and case["proof"]["verified"], case["name"]
    assert case["quantized"]["max_abs_error"] <= case["quantized"]["tolerance"], case["name"]
assert sum(s["proven"] for s in report["suites"]) == len(cases)
PY
then pass "the JSON report lists every case as proven"; else fail "the JSON report lists every case as proven"; fi
grep -q '^| onnx-node | ' "$work/ci.md" && pass "the Markdown has the per-suite table" || fail "the Markdown has the per-suite table"

check "an unknown case name is refused" 2 "$ZKML" conformance "${SUITES[@]}" --only test_no_such_case
contains "the refusal names the case" "test_no_such_case"
check "a missing suite is refused" 2 "$ZKML" conformance --suite "$work/no-such-suite"

# Hostile cases: each is reported, none stops the run.
mkdir -p "$work/hostile"
cp -r "$FIXTURES/onnx-node/test_relu" "$work/hostile/test_relu"
cp -r "$FIXTURES/onnx-node/test_relu" "$work/hostile/test_truncated_input"
head -c 20 "$FIXTURES/onnx-node/test_relu/test_data_set_0/input_0.pb" > "$work/hostile/test_truncated_input/test_data_set_0/input_0.pb"
cp -r "$FIXTURES/onnx-node/test_relu" "$work/hostile/test_not_onnx"
head -c 300 /dev/urandom > "$work/hostile/test_not_onnx/model.onnx"
cp -r "$FIXTURES/onnx-node/test_relu" "$work/hostile/test_huge_dims"
python3 - "$work/hostile/test_huge_dims/test_data_set_0/input_0.pb" <<'PY'
import sys
# dims [2^30, 2^30] (field 1), FLOAT (field 2), name "x" (field 8), 4 bytes of raw_data (field 9).
def varint(v):
    out = b""
    while v >= 0x80:
        out += bytes([(v & 0x7F) | 0x80]); v >>= 7
    return out + bytes([v])
body = varint(1 << 3) + varint(1 << 30) + varint(1 << 3) + varint(1 << 30) + varint(2 << 3) + varint(1)
body += varint(8 << 3 | 2) + varint(1) + b"x" + varint(9 << 3 | 2) + varint(4) + b"\0\0\0\0"
open(sys.argv[1], "wb").write(body)
PY
check "hostile cases: the run completes, exit 1 for the failures" 1 "$ZKML" conformance --suite "$work/hostile" --json
if python3 - "$work/out" <<'PY'
import json, sys
status = {c["name"]: (c["status"], c.get("failed_check")) for c in json.load(open(sys.argv[1]))["cases"]}
assert status["test_relu"] == ("passed", None), status
assert status["test_truncated_input"] == ("failed", "data"), status
assert status["test_huge_dims"] == ("failed", "data"), status
assert status["test_not_onnx"] == ("failed", "import"), status
PY
then pass "hostile cases are reported one by one"; else fail "hostile cases are reported one by one"; sed 's/^/     /' "$work/out" | head -c 2000; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
