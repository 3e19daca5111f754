#!/usr/bin/env python3
"""Known-answer vectors for the zkml Fiat-Shamir transcript (version 1), from an independent
reimplementation of the byte layout documented on `Transcript` (Sources/ZKTranscript/Transcript.swift)
with nothing but Python's hashlib.

    python3 make_transcript_vectors.py            # (re)write transcript-kat-v1.json next to this file
    python3 make_transcript_vectors.py --check    # exit 1 unless the stored file equals a fresh run

The Swift test `TranscriptKnownAnswerTests` replays every operation and checks every value.
Field: BN254 Fr; a challenge reads F.sampleByteCount = 48 bytes as a little-endian integer mod p;
elements are written as their canonical encodings (32 bytes, little-endian), in hex.
"""
import hashlib
import json
import os
import sys

P = 21888242871839275222246405745257275088548364400416034343698204186575808495617
FIELD_ID = b"bn254-fr"
ENCODED = 32
SAMPLE = 48


def u64le(n):
    return n.to_bytes(8, "little")


def lp(b):
    return u64le(len(b)) + b


def h32(b):
    return hashlib.blake2b(b, digest_size=32).digest()


def h64(b):
    return hashlib.blake2b(b, digest_size=64).digest()


def enc(x):
    return (x % P).to_bytes(ENCODED, "little")


class Transcript:
    def __init__(self, protocol_label):
        self.h = bytes(32)
        self._record(0x00, "zkml.transcript.v1", protocol_label.encode())

    def _record(self, op, label, data):
        self.h = h32(self.h + bytes([op]) + lp(label.encode()) + lp(data))

    def absorb_bytes(self, label, data):
        self._record(0x01, label, data)

    def absorb_elements(self, label, elements):
        self._record(0x02, label, lp(FIELD_ID) + b"".join(enc(e) for e in elements))

    def absorb_integer(self, label, value):
        self._record(0x03, label, u64le(value))

    def absorb_signed(self, label, values):
        self._record(0x04, label, b"".join(u64le(v % 2**64) for v in values))

    def _stream(self, label, descriptor):
        prefix = self.h + bytes([0x10]) + lp(label.encode()) + lp(descriptor)
        i = 0
        while True:
            for byte in h64(prefix + u64le(i)):
                yield byte
            i += 1

    def _ratchet(self, label, descriptor, out):
        self.h = h32(self.h + bytes([0x11]) + lp(label.encode()) + lp(descriptor) + lp(out))

    def _squeeze(self, label, descriptor, m):
        stream = self._stream(label, descriptor)
        out = bytes(next(stream) for _ in range(m))
        self._ratchet(label, descriptor, out)
        return out

    def challenges(self, label, count):
        descriptor = bytes([1]) + lp(FIELD_ID) + u64le(count)
        out = self._squeeze(label, descriptor, count * SAMPLE)
        return [int.from_bytes(out[k * SAMPLE:(k + 1) * SAMPLE], "little") % P for k in range(count)]

    def challenge_bytes(self, label, count):
        return self._squeeze(label, bytes([2]) + u64le(count), count)

    def challenge_indices(self, label, count, upper_bound, distinct):
        descriptor = bytes([3]) + u64le(count) + u64le(upper_bound) + bytes([1 if distinct else 0])
        stream = self._stream(label, descriptor)
        limit = 2**64 - (2**64 % upper_bound)
        out, indices, rejected = bytearray(), [], 0
        while len(indices) < count:
            word = bytes(next(stream) for _ in range(8))
            out += word
            x = int.from_bytes(word, "little")
            if x >= limit or (distinct and x % upper_bound in indices):
                rejected += 1
                continue
            indices.append(x % upper_bound)
        self._ratchet(label, descriptor, bytes(out))
        return indices, rejected


# Each test: a protocol label and operations; the script fills in every expected value.
TESTS = [
    {"comment": "empty transcript: only the initial record", "protocolLabel": "zkml.test.v1", "operations": [
        {"op": "challenge", "label": "alpha"},
    ]},
    {"comment": "every absorb kind, then every challenge kind", "protocolLabel": "zkml.test.v1", "operations": [
        {"op": "absorbBytes", "label": "bytes", "data": "00010203ff"},
        {"op": "absorbBytes", "label": "", "data": ""},
        {"op": "absorbElements", "label": "edge elements", "elements": [0, 1, P - 1, (P - 1) // 2, 2**253]},
        {"op": "absorbElements", "label": "no elements", "elements": []},
        {"op": "absorbInteger", "label": "size", "value": 2**64 - 1},
        {"op": "absorbInteger", "label": "zero", "value": 0},
        {"op": "absorbSignedIntegers", "label": "public input", "values": [-128, 127, 0, -1, -(2**63), 2**63 - 1]},
        {"op": "challenge", "label": "r"},
        {"op": "challenge", "label": "r"},
        {"op": "challenges", "label": "batch", "count": 3},
        {"op": "challenges", "label": "none", "count": 0},
        {"op": "challengeBytes", "label": "bytes", "count": 100},
        {"op": "challengeIndices", "label": "columns", "count": 10, "upperBound": 1000, "distinct": True},
        {"op": "challengeIndices", "label": "all", "count": 16, "upperBound": 16, "distinct": True},
        {"op": "challengeIndices", "label": "repeats", "count": 12, "upperBound": 3, "distinct": False},
        {"op": "challengeIndices", "label": "one", "count": 1, "upperBound": 1, "distinct": True},
    ]},
    {"comment": "rejection sampling: upper bound 3*2^61, one word in four is rejected",
     "protocolLabel": "zkml.test.rejection.v1", "operations": [
        {"op": "challengeIndices", "label": "wide", "count": 40, "upperBound": 3 * 2**61, "distinct": False},
        {"op": "challenge", "label": "after"},
    ]},
    {"comment": "Ligero-shaped: a root, claimed evaluations, 149 distinct columns of 4096",
     "protocolLabel": "zkml.ligero.test.v1", "operations": [
        {"op": "absorbBytes", "label": "root", "data": hashlib.blake2b(b"root", digest_size=32).hexdigest()},
        {"op": "absorbElements", "label": "evaluations", "elements": [3**i for i in range(1, 9)]},
        {"op": "challenges", "label": "proximity", "count": 4},
        {"op": "absorbElements", "label": "combined row", "elements": [i * i for i in range(16)]},
        {"op": "challengeIndices", "label": "columns", "count": 149, "upperBound": 4096, "distinct": True},
    ]},
    {"comment": "non-ASCII labels are hashed as UTF-8", "protocolLabel": "zkml.tëst.v1 ∑", "operations": [
        {"op": "absorbBytes", "label": "ε", "data": "61"},
        {"op": "challenge", "label": "γ"},
    ]},
]


def run(test):
    t = Transcript(test["protocolLabel"])
    result = {"protocolLabel": test["protocolLabel"], "initialState": t.h.hex(), "operations": []}
    for spec in test["operations"]:
        op, label = spec["op"], spec["label"]
        entry = {"op": op, "label": label}
        if op == "absorbBytes":
            entry["data"] = spec["data"]
            t.absorb_bytes(label, bytes.fromhex(spec["data"]))
        elif op == "absorbElements":
            entry["elements"] = [enc(e).hex() for e in spec["elements"]]
            t.absorb_elements(label, spec["elements"])
        elif op == "absorbInteger":
            entry["value"] = str(spec["value"])
            t.absorb_integer(label, spec["value"])
        elif op == "absorbSignedIntegers":
            entry["values"] = [str(v) for v in spec["values"]]
            t.absorb_signed(label, spec["values"])
        elif op == "challenge":
            (c,) = t.challenges(label, 1)
            entry["expected"] = [enc(c).hex()]
            entry["expectedDecimal"] = [str(c)]
        elif op == "challenges":
            cs = t.challenges(label, spec["count"])
            entry["count"] = spec["count"]
            entry["expected"] = [enc(c).hex() for c in cs]
            entry["expectedDecimal"] = [str(c) for c in cs]
        elif op == "challengeBytes":
            entry["count"] = spec["count"]
            entry["expectedHex"] = t.challenge_bytes(label, spec["count"]).hex()
        elif op == "challengeIndices":
            indices, rejected = t.challenge_indices(label, spec["count"], spec["upperBound"], spec["distinct"])
            entry.update(count=spec["count"], upperBound=str(spec["upperBound"]), distinct=spec["distinct"],
                         expectedIndices=[str(i) for i in indices], rejectedDraws=rejected)
        else:
            raise ValueError(op)
        entry["state"] = t.h.hex()
        result["operations"].append(entry)
    result["finalState"] = t.h.hex()
    return result


def vectors():
    tests = []
    for n, test in enumerate(TESTS, start=1):
        tests.append({"tcId": n, "comment": test["comment"], **run(test)})
    return {
        "algorithm": "zkml.transcript.v1 (BLAKE2b-256 chaining, BLAKE2b-512 squeeze)",
        "generator": "Tests/ZKTranscriptTests/Vectors/make_transcript_vectors.py",
        "field": {"id": FIELD_ID.decode(), "modulus": str(P), "encodedByteCount": ENCODED, "sampleByteCount": SAMPLE},
        "notes": "hex strings are lowercase; elements and challenges are canonical encodings (32-byte little-endian); "
                 "'state' is the chaining value after the operation; large integers are decimal strings.",
        "tests": tests,
    }


def main():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "transcript-kat-v1.json")
    text = json.dumps(vectors(), indent=2, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                print("transcript-kat-v1.json differs from a fresh run", file=sys.stderr)
                return 1
        print("transcript-kat-v1.json matches")
        return 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
