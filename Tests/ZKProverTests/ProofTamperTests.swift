import Testing
import ZKCircuit
import ZKCommit
import ZKField
import ZKLookup
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting
import ZKWire
import ZKSodium
import ZKMerkle
import ZKSumcheck

/// An honest proof with one field changed must be rejected — by a specific error, and never by a
/// crash. Every field of the proof format is covered: public values, the advice root, the lookup
/// proof, every relation message, the advice batch, both openings (rows, columns, Merkle path),
/// the verification key, and the encoded bytes.
@Suite("Proof tampering")
struct ProofTamperTests {
    let pk: ProvingKey<Fr>
    let proof: Proof<Fr>
    var vk: VerificationKey { pk.verificationKey }

    init() throws {
        let (pk, witness) = try EndToEndTests.setUp(sizes: [20, 12, 5], stream: 21)
        self.pk = pk
        proof = try Prover.prove(provingKey: pk, witness: witness)
    }

    func reject(_ tampered: Proof<Fr>) -> VerificationError? {
        do {
            try Verifier.verify(tampered, verificationKey: vk, field: Fr.self)
            return nil
        } catch {
            return error
        }
    }

    @Test func honestProofVerifiesAndRoundTrips() throws {
        #expect(reject(proof) == nil)
        let bytes = proof.encoded()
        let decoded = try Proof<Fr>(decoding: bytes, verificationKey: vk)
        #expect(decoded == proof)
        #expect(reject(decoded) == nil)
    }

    @Test func publicValues() {
        var p = proof
        p.publicInput[0] = 1000
        #expect(reject(p) == .publicValueOutOfRange(tensor: "input", index: 0, value: 1000))
        p = proof
        p.publicOutput.removeLast()
        #expect(reject(p) == .publicValueCount(tensor: "output", expected: 5, got: 4))
        // An in-range change to the input or output changes the transcript: the lookup argument,
        // which runs first, no longer matches its challenges.
        for change in [{ (p: inout Proof<Fr>) in p.publicInput[3] ^= 1 }, { p in p.publicOutput[1] += 1 }] {
            p = proof
            change(&p)
            guard case .lookupFailed = reject(p) else { Issue.record("expected a lookup failure"); continue }
        }
    }

    @Test func adviceRoot() {
        var p = proof
        var bytes = p.adviceRoot.bytes
        bytes[0] ^= 1
        p.adviceRoot = try! .init(bytes: bytes)
        guard case .lookupFailed = reject(p) else { Issue.record("expected a lookup failure"); return }
    }

    @Test func lookupProof() {
        var p = proof
        p.lookup!.roots[0] += .one
        guard case .lookupFailed = reject(p) else { Issue.record("root: expected a lookup failure"); return }
        for depth in 1..<p.lookup!.layers.count {
            p = proof
            p.lookup!.layers[depth].sumcheck.roundMessages[0][0] += .one
            #expect(reject(p) == .lookupFailed(.layerMismatch(depth: depth)))
            p = proof
            p.lookup!.layers[depth].childValues[0] += .one
            #expect(reject(p) == .lookupFailed(.layerMismatch(depth: depth)))
        }
        p = proof
        p.lookup!.columnEvaluations[0][0] += .one
        guard case .lookupFailed = reject(p) else { Issue.record("column: expected a lookup failure"); return }
        p = proof
        p.lookup!.multiplicityEvaluations[0] += .one
        guard case .lookupFailed = reject(p) else { Issue.record("multiplicity: expected a lookup failure"); return }
    }

    @Test func everyRelationMessage() {
        let arithmetic = vk.circuit.relations.indices.reversed().filter { vk.circuit.relations[$0].kind != "lookup" }
        for (position, relation) in zip(proof.relations.indices, arithmetic) {
            switch proof.relations[position] {
            case .matMul(let sumcheck, let evaluations):
                for round in sumcheck.roundMessages.indices {
                    for k in sumcheck.roundMessages[round].indices {
                        var forged = sumcheck
                        forged.roundMessages[round][k] += .one
                        var p = proof
                        p.relations[position] = .matMul(sumcheck: forged, evaluations: evaluations)
                        #expect(reject(p) == .relationCheckFailed(relation: relation, check: .matMulFinal))
                    }
                }
                for k in evaluations.indices {
                    var changed = evaluations
                    changed[k] += .one
                    var p = proof
                    p.relations[position] = .matMul(sumcheck: sumcheck, evaluations: changed)
                    #expect(reject(p) == .relationCheckFailed(relation: relation, check: .matMulFinal))
                }
            case .requantize(let evaluations):
                // The accumulator claim moves, so the matrix product that follows must fail.
                let matMul = arithmetic[position + 1]
                for k in evaluations.indices {
                    var changed = evaluations
                    changed[k] += .one
                    var p = proof
                    p.relations[position] = .requantize(evaluations: changed)
                    #expect(reject(p) == .relationCheckFailed(relation: matMul, check: .matMulFinal))
                }
                var p = proof
                p.relations[position] = .requantize(evaluations: Array(evaluations.dropLast()))
                guard case .relationShape(relation, _) = reject(p) else { Issue.record("expected a shape error"); return }
            case .add, .general:
                break
            }
        }
        var p = proof
        p.relations.removeLast()
        #expect(reject(p) == .proofShape(.relationCount(expected: arithmetic.count, got: arithmetic.count - 1)))
    }

    @Test func adviceBatch() {
        for round in proof.adviceBatch.roundMessages.indices {
            var p = proof
            p.adviceBatch.roundMessages[round][0] += .one
            #expect(reject(p) == .adviceBatchFailed(.finalEvaluationMismatch))
        }
        var p = proof
        p.adviceBatchValue += .one
        #expect(reject(p) == .adviceBatchFailed(.finalEvaluationMismatch))
        p = proof
        p.adviceBatch.roundMessages.removeLast()
        guard case .adviceBatchFailed(.wrongRoundCount) = reject(p) else { Issue.record("expected a sumcheck shape error"); return }
    }

    @Test func openings() {
        // Each opening: a proximity-row entry, an evaluation-row entry, an opened column entry, a
        // Merkle sibling.
        typealias Mutation = (inout LigeroOpeningProof<Fr, Fr>) -> Void
        let mutations: [(String, Mutation)] = [
            ("proximity row", { $0.proximityRow[1] += .one }),
            ("evaluation row", { $0.evaluationRows[0][2] += .one }),
            ("column", { $0.columns[3][0] += .one }),
            ("path", { o in var b = o.path.siblings[0].bytes; b[5] ^= 0x10; o.path.siblings[0] = try! .init(bytes: b) }),
        ]
        for (name, mutate) in mutations {
            var p = proof
            mutate(&p.adviceOpening)
            guard case .adviceOpeningFailed = reject(p) else { Issue.record("advice \(name): not rejected by the opening"); continue }
            p = proof
            mutate(&p.weightOpening!)
            guard case .weightOpeningFailed = reject(p) else { Issue.record("weight \(name): not rejected by the opening"); continue }
        }
    }

    @Test func anotherModelsKey() throws {
        let (other, _) = try EndToEndTests.setUp(sizes: [20, 12, 5], stream: 22)
        #expect(other.verificationKey.modelID != vk.modelID)
        #expect(throws: VerificationError.self) {
            try Verifier.verify(proof, verificationKey: other.verificationKey, field: Fr.self)
        }
    }

    @Test func encodedBytesNeverCrashAndNeverVerifyWhenChanged() {
        let bytes = proof.encoded()
        var rng = SeededGenerator.forTest(stream: 23)
        var decodedButRejected = 0, undecodable = 0
        for trial in 0..<150 {
            var b = bytes
            let flips = 1 + Int(rng.next() % 3)
            for _ in 0..<flips {
                let i = Int(rng.next() % UInt64(b.count))
                b[i] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            }
            if trial % 10 == 0 { b.removeLast(Int(rng.next() % 64) + 1) }
            do {
                let decoded = try Proof<Fr>(decoding: b, verificationKey: vk)
                if decoded == proof { continue }       // a flip in a byte the format ignores cannot exist; count it
                #expect(reject(decoded) != nil, "a changed proof verified (trial \(trial))")
                decodedButRejected += 1
            } catch {
                undecodable += 1
            }
        }
        #expect(decodedButRejected + undecodable == 150)
        // Truncations at every length class are typed errors.
        for cut in [0, 3, 6, 40, bytes.count / 2, bytes.count - 1] {
            #expect(throws: WireError.self) { try Proof<Fr>(decoding: Array(bytes.prefix(cut)), verificationKey: vk) }
        }
    }

    @Test func verificationKeyRoundTripsAndIsDeterministic() throws {
        let bytes = vk.encoded()
        let decoded = try VerificationKey(decoding: bytes)
        #expect(decoded.modelID == vk.modelID)
        #expect(decoded.encoded() == bytes)
        try Verifier.verify(proof, verificationKey: decoded, field: Fr.self)
        // Setup again, on one thread: the same key, byte for byte.
        var rng = SeededGenerator.forTest(stream: 21)
        let (circuit, known) = ExampleCircuits.mlp(sizes: [20, 12, 5], using: &rng)
        let again = try Setup.run(circuit: circuit, known: known, field: Fr.self)
        #expect(again.verificationKey.encoded() == bytes)
        // A one-unit weight change gives a new model id.
        var changed = known
        let w = circuit.tensors.firstIndex { $0.storage == .weight }!
        changed[w]![0] = changed[w]![0] == 127 ? 126 : changed[w]![0] + 1
        #expect(try Setup.run(circuit: circuit, known: changed, field: Fr.self).verificationKey.modelID != vk.modelID)
        // Garbage keys are typed errors.
        for cut in [0, 4, 10, bytes.count - 1] {
            #expect(throws: WireError.self) { try VerificationKey(decoding: Array(bytes.prefix(cut))) }
        }
    }
}

@Suite("Verification key interface")
struct VerificationKeyInterfaceTests {
    @Test func theInterfaceRoundTripsAndChangesTheModelID() throws {
        var rng = SeededGenerator.forTest(stream: 30)
        let (circuit, known) = ExampleCircuits.mlp(sizes: [6, 3], using: &rng)
        let interface = ModelInterface(
            inputName: "x", inputShape: [1, 6], inputScale: 0.0078125, outputName: "logits", outputShape: [1, 3],
            outputScale: 0.05, postprocessing: "softmax")
        let plain = try Setup.run(circuit: circuit, known: known, field: Fr.self).verificationKey
        let described = try Setup.run(circuit: circuit, known: known, interface: interface, field: Fr.self).verificationKey
        #expect(plain.modelID != described.modelID)
        let decoded = try VerificationKey(decoding: described.encoded())
        #expect(decoded.interface == interface)
        #expect(decoded.modelID == described.modelID)
        var bytes = described.encoded()
        bytes[bytes.count - 12] ^= 0x01                 // inside the output scale or the postprocessing name
        let changed = try? VerificationKey(decoding: bytes)
        #expect(changed == nil || changed!.modelID != described.modelID)
    }
}
