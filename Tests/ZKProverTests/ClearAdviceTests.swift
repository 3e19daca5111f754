import Testing
import ZKCircuit
import ZKField
import ZKLookup
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// Advice sent in the clear (``AdviceTransport/clear``): the values are bound by the transcript
/// before any challenge, their count and transport are the key's, and every claim on them is
/// checked against the verifier's own evaluation.
@Suite("Advice in the clear")
struct ClearAdviceTests {
    static let fixture = Result { () throws -> (TamperHarness, ProvingKey<Fr>, Witness) in
        let (pk, witness) = try EndToEndTests.setUp(sizes: [20, 12, 5], stream: 21, adviceTransport: .clear)
        return (try TamperHarness(pk, witness), pk, witness)
    }
    let harness: TamperHarness
    let pk: ProvingKey<Fr>
    let witness: Witness
    var proof: Proof<Fr> { harness.proof }
    var vk: VerificationKey { harness.vk }

    init() throws {
        (harness, pk, witness) = try Self.fixture.get()
    }

    var values: [Int64] {
        guard case .clear(let values) = proof.advice else { fatalError("the fixture's advice is committed") }
        return values
    }

    @Test func theKeyChoosesTheTransport() throws {
        #expect(vk.adviceTransport == .clear)
        #expect(values.count == vk.layout.advice.usedCount)
        // A small model's advice goes in the clear by default; the choice is part of the model id.
        let (committed, _) = try EndToEndTests.setUp(sizes: [20, 12, 5], stream: 21, adviceTransport: .committed)
        #expect(Setup.adviceTransport(for: vk.circuit) == .clear)
        #expect(committed.verificationKey.modelID != vk.modelID)
        #expect(try VerificationKey(decoding: vk.encoded()).adviceTransport == .clear)
    }

    @Test func everyValueIsBoundByTheTranscript() {
        // Absorbed before the lookup argument: a changed value changes every challenge, and the
        // lookup argument's first layer sumcheck is the first check to see it.
        for index in [0, values.count / 2, values.count - 1] {
            var p = proof
            p.advice = .clear(values: values.enumerated().map { $0 == index ? $1 + 1 : $1 })
            #expect(harness.reject(p) == .lookupFailed(.layerMismatch(depth: 1)), "value \(index)")
        }
    }

    @Test func countAndTransportAreTheKeys() throws {
        var p = proof
        p.advice = .clear(values: Array(values.dropLast()))
        #expect(harness.reject(p) == .proofShape(.adviceValueCount(expected: values.count, got: values.count - 1)))
        p.advice = .clear(values: values + [0])
        #expect(harness.reject(p) == .proofShape(.adviceValueCount(expected: values.count, got: values.count + 1)))
        // A proof made under a key that commits the advice does not fit this key, and vice versa.
        let (committedKey, committedWitness) = try EndToEndTests.setUp(
            sizes: [20, 12, 5], stream: 21, adviceTransport: .committed)
        let committedProof = try Prover.prove(provingKey: committedKey, witness: committedWitness)
        p = proof
        p.advice = committedProof.advice
        #expect(harness.reject(p) == .proofShape(.adviceTransport(expected: .clear)))
        var q = committedProof
        q.advice = proof.advice
        #expect(throws: VerificationError.proofShape(.adviceTransport(expected: .committed))) {
            try Verifier.verify(q, verificationKey: committedKey.verificationKey, field: Fr.self)
        }
    }

    @Test func claimsAreCheckedAgainstTheValues() throws {
        // The final check itself, on claims the test makes: each polynomial's slots are read from
        // its placement, and a claim is accepted exactly when it is the slots' multilinear extension.
        let layout = vk.layout.advice
        var rng = SeededGenerator.forTest(stream: 5)
        for placement in layout.placements {
            let slots = values[placement.offset..<(placement.offset + (1 << placement.variableCount))].map { Fr($0) }
            let point = (0..<placement.variableCount).map { _ in Fr.random(using: &rng) }
            let value = DenseMultilinearExtensionForTests.evaluate(slots, at: point)
            let honest = Claim(placement.item, point: point, value: value)
            try Verifier.checkClearAdvice(values, claims: [honest], layout: layout)
            let wrong = Claim(placement.item, point: point, value: value + .one)
            #expect(throws: VerificationError.clearAdviceMismatch(placement.item)) {
                try Verifier.checkClearAdvice(values, claims: [honest, wrong], layout: layout)
            }
            let short = Claim(placement.item, point: Array(point.dropLast()), value: value)
            #expect(throws: VerificationError.clearAdviceMismatch(placement.item)) {
                try Verifier.checkClearAdvice(values, claims: [short], layout: layout)
            }
        }
        // A polynomial that is not advice (a weight tensor) is not in the layout.
        let weight = try #require(vk.circuit.tensors.indices.first { vk.circuit.tensors[$0].storage == .weight })
        #expect(throws: VerificationError.clearAdviceMismatch(.tensor(weight))) {
            try Verifier.checkClearAdvice(values, claims: [Claim<Fr>(.tensor(weight), point: [], value: .zero)], layout: layout)
        }
    }
}

/// The multilinear extension `Σ_i eq(z, i) · v_i` written out directly (not through ZKPoly), as the
/// independent reference the clear-advice check is compared with.
enum DenseMultilinearExtensionForTests {
    static func evaluate(_ values: [Fr], at point: [Fr]) -> Fr {
        var sum = Fr.zero
        for (i, v) in values.enumerated() {
            var weight = Fr.one
            for (j, z) in point.enumerated() { weight *= (i >> j) & 1 == 1 ? z : .one - z }
            sum += weight * v
        }
        return sum
    }
}
