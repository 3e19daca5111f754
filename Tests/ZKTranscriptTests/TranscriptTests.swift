import Testing
import ZKField
import ZKSodium
import ZKTranscript

/// A fixed sequence of operations, parameterised so each test can change one thing.
private func script(
    protocolLabel: String = "zkml.test.v1", rootLabel: String = "root", root: [UInt8] = Array(repeating: 7, count: 32),
    elements: [Fr] = [1, 2, 3], integer: UInt64 = 42, swapOrder: Bool = false
) -> Transcript {
    var t = Transcript(protocolLabel: protocolLabel)
    if swapOrder {
        t.absorb(label: "evaluations", elements: elements)
        t.absorb(label: rootLabel, bytes: root)
    } else {
        t.absorb(label: rootLabel, bytes: root)
        t.absorb(label: "evaluations", elements: elements)
    }
    t.absorb(label: "size", integer: integer)
    return t
}

private func firstChallenge(_ t: Transcript) -> Fr {
    var t = t
    return t.challenge(label: "alpha")
}

@Suite("Transcript")
struct TranscriptTests {
    @Test("Same operations give the same challenges and state")
    func determinism() throws {
        var a = script(), b = script()
        #expect(a.state == b.state)
        #expect(a.challenge(label: "x", as: Fr.self) == b.challenge(label: "x", as: Fr.self))
        #expect(a.challenges(label: "v", count: 5, as: Fr.self) == b.challenges(label: "v", count: 5, as: Fr.self))
        #expect(a.challengeBytes(label: "b", count: 70) == b.challengeBytes(label: "b", count: 70))
        #expect(
            try a.challengeIndices(label: "q", count: 20, upperBound: 64)
                == b.challengeIndices(label: "q", count: 20, upperBound: 64))
        #expect(a.state == b.state)
    }

    @Test("Changing any absorbed byte, a label, the protocol, or the order changes the challenge")
    func sensitivity() {
        let reference = firstChallenge(script())
        var variants: [Transcript] = [
            script(protocolLabel: "zkml.test.v2"),
            script(rootLabel: "rooT"),
            script(rootLabel: "root "),
            script(elements: [1, 2, 4]),
            script(elements: [1, 2]),
            script(elements: [1, 2, 3, 0]),
            script(integer: 43),
            script(swapOrder: true),
        ]
        for byte in [0, 15, 31] {
            var root = [UInt8](repeating: 7, count: 32)
            root[byte] ^= 1
            variants.append(script(root: root))
        }
        variants.append(script(root: Array(repeating: 7, count: 31)))
        for (k, variant) in variants.enumerated() {
            #expect(firstChallenge(variant) != reference, "variant \(k)")
        }
        // The challenge label matters too.
        var t = script()
        #expect(t.challenge(label: "beta", as: Fr.self) != reference)
    }

    @Test("Length prefixes keep label/data boundaries apart")
    func framing() {
        var a = Transcript(protocolLabel: "p"), b = Transcript(protocolLabel: "p")
        a.absorb(label: "ab", bytes: Array("c".utf8))
        b.absorb(label: "a", bytes: Array("bc".utf8))
        #expect(a.state != b.state)
        // Two absorbs are not one absorb of the concatenation.
        var c = Transcript(protocolLabel: "p"), d = Transcript(protocolLabel: "p")
        c.absorb(label: "x", bytes: [1, 2])
        c.absorb(label: "x", bytes: [3])
        d.absorb(label: "x", bytes: [1, 2, 3])
        #expect(c.state != d.state)
        // Different kinds with the same bytes differ: an integer vs its 8 bytes, an element vs its encoding.
        var e = Transcript(protocolLabel: "p"), f = Transcript(protocolLabel: "p")
        e.absorb(label: "n", integer: 5)
        f.absorb(label: "n", bytes: [5, 0, 0, 0, 0, 0, 0, 0])
        #expect(e.state != f.state)
        var g = Transcript(protocolLabel: "p"), h = Transcript(protocolLabel: "p")
        g.absorb(label: "e", element: Fr(5))
        h.absorb(label: "e", bytes: Fr(5).canonicalBytes)
        #expect(g.state != h.state)
        var i = Transcript(protocolLabel: "p"), j = Transcript(protocolLabel: "p")
        i.absorb(label: "s", signedIntegers: [Int64(5)])
        j.absorb(label: "s", integer: 5)
        #expect(i.state != j.state)
    }

    @Test("Successive challenges differ and each depends on the ones before")
    func chaining() {
        var t = script()
        let first: Fr = t.challenge(label: "r")
        let second: Fr = t.challenge(label: "r")
        #expect(first != second)
        let batch = t.challenges(label: "r", count: 8, as: Fr.self)
        #expect(Set(batch).count == 8)
        #expect(!batch.contains(first) && !batch.contains(second))
        // challenge(label:) is challenges(label:count: 1).
        var u = script(), v = script()
        #expect(u.challenge(label: "z", as: Fr.self) == v.challenges(label: "z", count: 1, as: Fr.self)[0])
        #expect(u.state == v.state)
        // Absorbing after a challenge continues from the ratcheted state.
        var w = script()
        let before = w.state
        _ = w.challengeBytes(label: "b", count: 1)
        #expect(w.state != before)
    }

    @Test("A copy is a fork")
    func fork() {
        var a = script()
        var b = a
        a.absorb(label: "only in a", integer: 1)
        #expect(a.state != b.state)
        var c = script()
        #expect(b.challenge(label: "x", as: Fr.self) == c.challenge(label: "x", as: Fr.self))
    }

    @Test("Distinct indices are distinct and in range; requests that cannot be met throw")
    func indices() throws {
        var t = script()
        for (count, bound) in [(1, 1), (10, 10), (149, 4096), (30, 37), (5, Int.max)] {
            let indices = try t.challengeIndices(label: "columns", count: count, upperBound: bound)
            #expect(indices.count == count)
            #expect(Set(indices).count == count)
            #expect(indices.allSatisfy { $0 >= 0 && $0 < bound })
        }
        let withRepeats = try t.challengeIndices(label: "rows", count: 50, upperBound: 4, distinct: false)
        #expect(withRepeats.count == 50 && Set(withRepeats).count <= 4)
        #expect(try t.challengeIndices(label: "none", count: 0, upperBound: 5).isEmpty)
        #expect(throws: TranscriptError.invalidIndexRequest(count: 5, upperBound: 4, distinct: true)) {
            try t.challengeIndices(label: "too many", count: 5, upperBound: 4)
        }
        #expect(throws: TranscriptError.invalidIndexRequest(count: 1, upperBound: 0, distinct: false)) {
            try t.challengeIndices(label: "empty", count: 1, upperBound: 0, distinct: false)
        }
        #expect(throws: TranscriptError.invalidIndexRequest(count: -1, upperBound: 3, distinct: true)) {
            try t.challengeIndices(label: "negative", count: -1, upperBound: 3)
        }
    }

    @Test("Indices are roughly uniform (no modulo bias at a glance)")
    func uniformity() throws {
        var t = Transcript(protocolLabel: "zkml.test.uniform")
        var counts = [Int](repeating: 0, count: 6)
        for index in try t.challengeIndices(label: "die", count: 6000, upperBound: 6, distinct: false) {
            counts[index] += 1
        }
        #expect(counts.allSatisfy { $0 > 850 && $0 < 1150 }, "\(counts)")
    }
}
