#!/usr/bin/env bash
# Hostile verification keys against the `zkml` command: a crafted key whose tensor shape
# overflows, and an honest key whose query count was lowered to 1. `zkml inspect` and
# `zkml verify` must exit 2 with a message that says what is wrong, and never crash.
# Usage: Tests/CLI/hostile-keys.sh [path to zkml]; closes with "N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
ZKML=${1:-.build/debug/zkml}
GOLDEN=Tests/Golden/mlp
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source Tests/CLI/lib.sh

python3 - "$GOLDEN/verification.key" "$work" <<'PY'
import struct, sys
honest, work = open(sys.argv[1], 'rb').read(), sys.argv[2]
def string(s): return struct.pack('<H', len(s)) + s.encode()
def u32(*v): return struct.pack('<%dI' % len(v), *v)
# A key whose first tensor has three dimensions of 2^24 (2^72 entries: wraps to 0 unchecked),
# reshaped into a 4-entry output.
key = b'ZKVK' + struct.pack('<H', 4) + string('crafted') + u32(2)
key += string('x') + u32(3, 1 << 24, 1 << 24, 1 << 24) + bytes([0]) + struct.pack('<qq', -128, 127)
key += string('y') + u32(1, 4) + bytes([1]) + struct.pack('<qq', -128, 127)
key += u32(1) + bytes([6]) + u32(1, 0) + bytes([1]) + u32(0) + u32(0, 1)
open(work + '/overflow.vk', 'wb').write(key)
# The honest key with both commitments' query counts (u32 rate 2, u32 queries 152) set to 1.
pattern = u32(2, 152)
assert honest.count(pattern) == 2, honest.count(pattern)
open(work + '/one-query.vk', 'wb').write(honest.replace(pattern, u32(2, 1)))
PY

for command in inspect verify; do
    args=(); [ "$command" = verify ] && args=("$GOLDEN/proof" --vk)
    check "$command: a key whose tensor size overflows" 2 "$ZKML" $command "${args[@]}" "$work/overflow.vk"
    contains "$command names the oversized shape" "16777216, 16777216, 16777216"
    check "$command: a key with one query per opening" 2 "$ZKML" $command "${args[@]}" "$work/one-query.vk"
    contains "$command says how many bits the key offers" "bits of soundness, below the 100-bit floor"
done
check "the golden key and proof verify" 0 "$ZKML" verify "$GOLDEN/proof" --vk "$GOLDEN/verification.key"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
