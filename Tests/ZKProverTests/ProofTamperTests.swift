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

/// An honest proof with one field changed must be rejected — by the specific error of the check
/// that catches it, and never by a crash. This suite covers the MLP's messages (matMul,
/// requantize), the public values, the advice root, the lookup proof, the advice batch, both
/// openings, the verification key and the encoded bytes, with the advice committed as C_1;
/// `ClearAdviceTests` covers advice sent in the clear and `RelationTamperTests` every other
/// relation.
///
/// How to read the expectations: every message is absorbed into the transcript before the next
/// challenge, so a changed entry that a check does not see at once changes every challenge after
/// it, and the first later check whose sides depend on those challenges fails (with probability
/// `1 − O(degree · variables / |F|)`).
@Suite("Proof tampering")
struct ProofTamperTests {
    /// One honest proof for the whole suite (a suite instance is made per test).
    static let fixture = Result { () throws -> TamperHarness in
        let (pk, witness) = try EndToEndTests.setUp(sizes: [20, 12, 5], stream: 21, adviceTransport: .committed)
        return try TamperHarness(pk, witness)
    }
    let harness: TamperHarness
    var proof: Proof<Fr> { harness.proof }
    var vk: VerificationKey { harness.vk }

    init() throws {
        harness = try Self.fixture.get()
    }

    func reject(_ tampered: Proof<Fr>) -> VerificationError? { harness.reject(tampered) }

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
        p.publicOutput[4] = -513
        #expect(reject(p) == .publicValueOutOfRange(tensor: "output", index: 4, value: -513))
        p = proof
        p.publicOutput.removeLast()
        #expect(reject(p) == .publicValueCount(tensor: "output", expected: 5, got: 4))
        p = proof
        p.publicInput.append(0)
        #expect(reject(p) == .publicValueCount(tensor: "input", expected: 20, got: 21))
        // An in-range change to the input or output changes the transcript from its first absorb.
        // The lookup argument runs first; its depth-0 check is an identity of the prover's values
        // (a root is its children's sum, whatever the challenges), so the first check to see the
        // new challenges is the depth-1 layer sumcheck's.
        for change in [{ (p: inout Proof<Fr>) in p.publicInput[3] ^= 1 }, { p in p.publicOutput[1] += 1 }] {
            p = proof
            change(&p)
            #expect(reject(p) == .lookupFailed(.layerMismatch(depth: 1)))
        }
    }

    @Test func adviceRoot() {
        // Absorbed before the lookup argument: as a changed public value.
        var p = proof
        var bytes = p.committed.root.bytes
        bytes[0] ^= 1
        p.committed.root = try! .init(bytes: bytes)
        #expect(reject(p) == .lookupFailed(.layerMismatch(depth: 1)))
    }

    @Test func lookupProofShape() {
        var p = proof
        p.lookup = nil
        #expect(reject(p) == .proofShape(.missingLookupArgument))
        let lookup = proof.lookup!
        p = proof
        p.lookup!.roots.removeLast()
        #expect(reject(p) == .lookupFailed(.wrongRootCount(expected: lookup.roots.count, got: lookup.roots.count - 1)))
        p = proof
        p.lookup!.layers[2].sumcheck.roundMessages[1].append(.one)
        #expect(reject(p) == .lookupFailed(.wrongMessageLength(depth: 2, round: 1, expected: 3, got: 4)))
        p = proof
        p.lookup!.multiplicityEvaluations.append(.one)
        let tables = lookup.multiplicityEvaluations.count
        #expect(reject(p) == .lookupFailed(.wrongMultiplicityEvaluationCount(expected: tables, got: tables + 1)))
    }

    @Test func lookupRoots() {
        let groups = vk.layout.lookupGroups
        // A group's numerator: its table's sum of fractions no longer matches (tables before it
        // are checked first and still match).
        var p = proof
        p.lookup!.roots[0] += .one
        #expect(reject(p) == .lookupFailed(.rootMismatch(table: groups[0].table)))
        // A table's own denominator.
        for t in vk.circuit.tables.indices {
            p = proof
            p.lookup!.roots[2 * (groups.count + t) + 1] += .one
            #expect(reject(p) == .lookupFailed(.rootMismatch(table: t)))
        }
        // A zero denominator is rejected before any fraction is compared.
        p = proof
        p.lookup!.roots[2 * 3 + 1] = .zero
        #expect(reject(p) == .lookupFailed(.zeroDenominator(.group(3))))
    }

    @Test func lookupLayers() {
        // At every depth, a round message (the first, middle and last rounds, each at another
        // position) and a child value (of another tree and another of p0, p1, q0, q1 per depth):
        // that layer's final check fails.
        let lookup = proof.lookup!
        #expect(lookup.layers.count >= 8)
        for depth in lookup.layers.indices {
            let rounds = lookup.layers[depth].sumcheck.roundMessages
            for round in Set([0, rounds.count / 2, rounds.count - 1]).sorted() where rounds.indices.contains(round) {
                var p = proof
                p.lookup!.layers[depth].sumcheck.roundMessages[round][round % 3] += .one
                #expect(reject(p) == .lookupFailed(.layerMismatch(depth: depth)), "depth \(depth), round \(round)")
            }
            let children = lookup.layers[depth].childValues
            var p = proof
            p.lookup!.layers[depth].childValues[(5 * depth) % children.count] += .one
            #expect(reject(p) == .lookupFailed(.layerMismatch(depth: depth)), "depth \(depth), a child value")
        }
    }

    @Test func lookupLeafEvaluations() {
        // Absorbed after the last layer, then compared at the leaves: groups first, then tables.
        let lookup = proof.lookup!
        for (g, columns) in lookup.columnEvaluations.enumerated() {
            for k in columns.indices {
                var p = proof
                p.lookup!.columnEvaluations[g][k] += .one
                #expect(reject(p) == .lookupFailed(.witnessEvaluationMismatch(group: g)), "group \(g), column \(k)")
            }
        }
        for t in lookup.multiplicityEvaluations.indices {
            var p = proof
            p.lookup!.multiplicityEvaluations[t] += .one
            #expect(reject(p) == .lookupFailed(.multiplicityMismatch(table: t)), "table \(t)")
        }
    }

    @Test func everyMatMulAndRequantizeEntry() {
        let matMuls = harness.relations("matMul"), requantizations = harness.relations("requantize")
        #expect(matMuls.count == 2 && requantizations.count == 2)
        for m in matMuls {
            // x(s) and W(s, z_j) are the two sides of the final check; a changed round message
            // moves the sumcheck's final claim.
            harness.expectEveryEntry(of: m) { _ in .relationCheckFailed(relation: m, check: .matMulFinal) }
        }
        for (r, m) in zip(requantizations, matMuls) {
            // y(z) and the limbs only become claims, and the accumulator's claim moves with them:
            // the matrix product that defines the accumulator (the next relation verified) fails.
            harness.expectEveryEntry(of: r) { _ in .relationCheckFailed(relation: m, check: .matMulFinal) }
        }
    }

    @Test func relationMessageShapes() {
        let m = harness.relations("matMul")[1], r = harness.relations("requantize")[1]
        guard case .matMul(let sumcheck, let evaluations) = harness.message(m),
              case .requantize(let requantized) = harness.message(r) else {
            Issue.record("expected matMul and requantize messages"); return
        }
        let variables = sumcheck.roundMessages.count
        #expect(reject(harness.replacing(m, with: .add(evaluations: evaluations)))
            == .relationShape(relation: m, .wrongProofKind(expected: .matMul, got: .add)))
        #expect(reject(harness.replacing(m, with: .matMul(sumcheck: sumcheck, evaluations: evaluations.dropLast())))
            == .relationShape(relation: m, .evaluationCount(expected: evaluations.count, got: evaluations.count - 1)))
        var short = sumcheck
        short.roundMessages.removeLast()
        #expect(reject(harness.replacing(m, with: .matMul(sumcheck: short, evaluations: evaluations)))
            == .sumcheckFailed(relation: m, sumcheck: 0, .wrongRoundCount(expected: variables, got: variables - 1)))
        var long = sumcheck
        long.roundMessages[2].append(.zero)
        #expect(reject(harness.replacing(m, with: .matMul(sumcheck: long, evaluations: evaluations)))
            == .sumcheckFailed(relation: m, sumcheck: 0, .wrongMessageLength(round: 2, expected: 2, got: 3)))
        #expect(reject(harness.replacing(r, with: .requantize(evaluations: requantized.dropLast())))
            == .relationShape(relation: r, .evaluationCount(expected: requantized.count, got: requantized.count - 1)))
        #expect(reject(harness.replacing(r, with: .general(sumchecks: [], evaluations: requantized)))
            == .relationShape(relation: r, .wrongProofKind(expected: .requantize, got: .general)))
        var p = proof
        p.relations.removeLast()
        #expect(reject(p) == .proofShape(.relationCount(expected: 4, got: 3)))
        p = proof
        p.relations.append(p.relations[0])
        #expect(reject(p) == .proofShape(.relationCount(expected: 4, got: 5)))
    }

    @Test func adviceBatch() {
        // Every claim on C_1 is reduced to one point by this sumcheck; its final claim is
        // compared with the value C_1's opening will be checked against.
        for round in proof.committed.batch.roundMessages.indices {
            for k in proof.committed.batch.roundMessages[round].indices {
                var p = proof
                p.committed.batch.roundMessages[round][k] += .one
                #expect(reject(p) == .adviceBatchFailed(.finalEvaluationMismatch), "round \(round), entry \(k)")
            }
        }
        var p = proof
        p.committed.batchValue += .one
        #expect(reject(p) == .adviceBatchFailed(.finalEvaluationMismatch))
        let rounds = proof.committed.batch.roundMessages.count
        p = proof
        p.committed.batch.roundMessages.removeLast()
        #expect(reject(p) == .adviceBatchFailed(.wrongRoundCount(expected: rounds, got: rounds - 1)))
        p = proof
        p.committed.batch.roundMessages[0].removeLast()
        #expect(reject(p) == .adviceBatchFailed(.wrongMessageLength(round: 0, expected: 2, got: 1)))
    }

    /// Changes to an opening: a changed row moves every column index drawn after it, so the
    /// batch authentication path (made for the honest indices) no longer fits the new indices —
    /// its length is wrong, or (149 indices among a few hundred leaves often need as many
    /// siblings) it hashes to another root; a changed column entry or path digest keeps the
    /// indices but no longer hashes to the committed root.
    func expectOpeningRejections(
        _ opening: WritableKeyPath<Proof<Fr>, LigeroOpeningProof<Fr, Fr>>,
        _ wrap: (LigeroError) -> VerificationError, _ unwrap: (VerificationError?) -> LigeroError?
    ) {
        let honest = proof[keyPath: opening]
        let siblings = honest.path.siblings.count
        /// `.merkle(.wrongPathLength(expected: e, got: siblings))` with `e ≠ siblings` (the length
        /// `e` is the verifier's to compute from indices the test does not replay), or, when the
        /// redrawn indices happen to need as many siblings, `.merkle(.rootMismatch)`.
        func pathNoLongerFits(_ verdict: VerificationError?) -> Bool {
            switch unwrap(verdict) {
            case .merkle(.wrongPathLength(let expected, let got))?: return got == siblings && expected != siblings
            case .merkle(.rootMismatch)?: return true
            default: return false
            }
        }
        for c in [0, honest.proximityRow.count / 2, honest.proximityRow.count - 1] {
            var p = proof
            p[keyPath: opening].proximityRow[c] += .one
            let verdict = reject(p)
            #expect(pathNoLongerFits(verdict), "proximity row entry \(c): \(String(describing: verdict))")
            p = proof
            p[keyPath: opening].evaluationRows[0][c] += .one
            let rowVerdict = reject(p)
            #expect(pathNoLongerFits(rowVerdict), "evaluation row entry \(c): \(String(describing: rowVerdict))")
        }
        for (column, entry) in [(0, 0), (3, 1), (honest.columns.count - 1, honest.columns[0].count - 1)] {
            var p = proof
            p[keyPath: opening].columns[column][entry] += .one
            #expect(reject(p) == wrap(.merkle(.rootMismatch)), "column \(column), entry \(entry)")
        }
        for sibling in [0, siblings - 1] {
            var p = proof
            var bytes = p[keyPath: opening].path.siblings[sibling].bytes
            bytes[5] ^= 0x10
            p[keyPath: opening].path.siblings[sibling] = try! .init(bytes: bytes)
            #expect(reject(p) == wrap(.merkle(.rootMismatch)), "path digest \(sibling)")
        }
        // Shapes, checked before anything is hashed.
        var p = proof
        p[keyPath: opening].columns.removeLast()
        #expect(reject(p) == wrap(.malformedProof(.columnCount(expected: honest.columns.count, got: honest.columns.count - 1))))
        p = proof
        p[keyPath: opening].proximityRow.append(.zero)
        let C = honest.proximityRow.count
        #expect(reject(p) == wrap(.malformedProof(.proximityRowLength(expected: C, got: C + 1))))
        p = proof
        p[keyPath: opening].path.siblings.append(honest.path.siblings[0])
        #expect(reject(p) == wrap(.merkle(.wrongPathLength(expected: siblings, got: siblings + 1))))
    }

    @Test func adviceOpening() {
        expectOpeningRejections(\.committed.opening, { .adviceOpeningFailed($0) }) {
            if case .adviceOpeningFailed(let error)? = $0 { return error } else { return nil }
        }
        var p = proof
        p.committed.opening.evaluationRows.append(p.committed.opening.evaluationRows[0])
        #expect(reject(p) == .adviceOpeningFailed(.malformedProof(.evaluationRowCount(expected: 1, got: 2))))
    }

    @Test func weightOpening() {
        expectOpeningRejections(\.weightOpening!, { .weightOpeningFailed($0) }) {
            if case .weightOpeningFailed(let error)? = $0 { return error } else { return nil }
        }
        var p = proof
        p.weightOpening = nil
        #expect(reject(p) == .weightOpeningFailed(.noClaims))
        let claims = proof.weightOpening!.evaluationRows.count
        p = proof
        p.weightOpening!.evaluationRows.removeLast()
        #expect(reject(p) == .weightOpeningFailed(.malformedProof(.evaluationRowCount(expected: claims, got: claims - 1))))
    }

    @Test func anotherModelsKey() throws {
        let (other, _) = try EndToEndTests.setUp(sizes: [20, 12, 5], stream: 22, adviceTransport: .committed)
        #expect(other.verificationKey.modelID != vk.modelID)
        // The model id is absorbed first: as a changed public value.
        #expect(throws: VerificationError.lookupFailed(.layerMismatch(depth: 1))) {
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
        let again = try Setup.run(circuit: circuit, known: known, adviceTransport: .committed, field: Fr.self)
        #expect(again.verificationKey.encoded() == bytes)
        // A one-unit weight change gives a new model id.
        var changed = known
        let w = circuit.tensors.firstIndex { $0.storage == .weight }!
        changed[w]![0] = changed[w]![0] == 127 ? 126 : changed[w]![0] + 1
        #expect(try Setup.run(circuit: circuit, known: changed, adviceTransport: .committed, field: Fr.self)
            .verificationKey.modelID != vk.modelID)
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

extension Proof {
    /// The committed advice of a proof under a key that commits it (traps otherwise: a test error).
    var committed: CommittedAdvice<F> {
        get {
            guard case .committed(let committed) = advice else { fatalError("the proof's advice is in the clear") }
            return committed
        }
        set { advice = .committed(newValue) }
    }
}
