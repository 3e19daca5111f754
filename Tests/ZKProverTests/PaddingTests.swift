import Testing
import ZKCircuit
import ZKField
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// Padding slots that a table fills with `f(0) ≠ 0`, and the linear copy that masks them.
///
/// A lookup maps every slot, padding included, so `sigmoid(input [3])` holds `f(0)` in its fourth
/// slot. A linear copy (here a reshape onto the same layout) is defined with zero padding; it
/// must be proven by the linear sumcheck, which reads the input's logical slots only — as a
/// relabelling it would claim the copy's zero-padded extension equals the table output's.
@Suite("Padding: tables with f(0) ≠ 0 and masked copies")
struct PaddingTests {
    /// `input [3] → copy (advice) → lookup f → a → reshape → output [3]`, `f(v) = v + 5`.
    static func circuit() throws -> (ProvingKey<Fr>, Witness) {
        var draft = CircuitDraft()
        let x = draft.add(TensorInfo(name: "input", shape: [3], storage: .publicInput, minimum: -100, maximum: 100))
        let copy = draft.add(TensorInfo(name: "copy", shape: [3], storage: .advice, minimum: -128, maximum: 127))
        let a = draft.add(TensorInfo(name: "a", shape: [3], storage: .advice, minimum: -128, maximum: 127))
        let out = draft.add(TensorInfo(name: "output", shape: [3], storage: .publicOutput, minimum: -128, maximum: 127))
        let table = draft.table(.function(name: "shift+5", bits: 8) { min($0 + 5, 127) })
        draft.relations = [
            .linear(output: copy, input: x, map: .reshape),
            .lookup(input: copy, output: a, table: table),
            .linear(output: out, input: a, map: .reshape),
        ]
        let circuit = draft.circuit(input: x, output: out)
        try circuit.validate()
        let known: [TensorID: [Int64]] = [x: [7, -20, 42]]
        let witness = try WitnessBuilder.build(circuit: circuit, known: known)
        #expect(CircuitChecker.check(circuit, witness) == nil)
        return (try Setup.run(circuit: circuit, known: known, field: Fr.self), witness)
    }

    @Test func theAnalysisFollowsTheTable() throws {
        let (pk, witness) = try Self.circuit()
        let circuit = pk.verificationKey.circuit
        #expect(circuit.paddingIsZero() == [true, true, false, true])
        #expect(witness.slots[2][3] == 5, "the table's f(0) sits in the padding slot")
    }

    /// Advice that no relation outputs (a witness hint's, such as an ArgMax's one-hot) has
    /// padding nothing defines: not assumed zero, and neither is a sum with it; a product with a
    /// zero-padded factor is. So a copy of such advice is proven by the sumcheck, never relabelled.
    @Test func adviceNoRelationDefinesIsNotAssumedZeroPadded() throws {
        var draft = CircuitDraft()
        let x = draft.add(TensorInfo(name: "input", shape: [3], storage: .publicInput, minimum: 0, maximum: 1))
        let hinted = draft.add(TensorInfo(name: "hinted", shape: [3], storage: .advice, minimum: 0, maximum: 1))
        let sum = draft.add(TensorInfo(name: "sum", shape: [3], storage: .virtual, minimum: 0, maximum: 2))
        let product = draft.add(TensorInfo(name: "product", shape: [3], storage: .virtual, minimum: 0, maximum: 1))
        let out = draft.add(TensorInfo(name: "output", shape: [3], storage: .publicOutput, minimum: 0, maximum: 2))
        draft.relations = [
            .lookup(input: hinted, output: nil, table: draft.table(.range(bits: 1))),
            .add(output: sum, lhs: hinted, rhs: x),
            .mul(output: product, lhs: hinted, rhs: x),
            .linear(output: out, input: sum, map: .reshape),
        ]
        #expect(draft.circuit(input: x, output: out).paddingIsZero() == [true, false, false, true, true])
    }

    @Test func theMaskedCopyProves() throws {
        let (pk, witness) = try Self.circuit()
        let proof = try Prover.prove(provingKey: pk, witness: witness)
        try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        #expect(proof.publicOutput == [12, -15, 47])
        // Relations are proven backwards: the mask (relation 2) by a sumcheck, the copy of the
        // zero-padded input (relation 0) by a relabelling.
        guard proof.relations.count == 2, case .general(let mask, _) = proof.relations[0],
              case .general(let relabelled, _) = proof.relations[1] else {
            Issue.record("unexpected relation proofs \(proof.relations)"); return
        }
        #expect(mask.count == 1)
        #expect(relabelled.isEmpty)
    }

    /// The table output's padding must be `f(0)`: anything else is not a row of the table.
    @Test func aWrongPaddingValueIsRejected() throws {
        let (pk, honest) = try Self.circuit()
        for garbage: Int64 in [0, 6, -3] {
            var witness = honest
            witness.slots[2][3] = garbage
            #expect(CircuitChecker.check(pk.verificationKey.circuit, witness)?.kind == "lookup")
            let proof = try Prover.prove(provingKey: pk, witness: witness)
            #expect(throws: VerificationError.self) { try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self) }
        }
    }

    /// Garbage in the lookup's input padding, with the matching table output: the lookup holds,
    /// but the copy of the public input is zero on padding, and that rejects.
    @Test func garbageCarriedThroughTheTableIsRejected() throws {
        let (pk, honest) = try Self.circuit()
        var witness = honest
        witness.slots[1][3] = 9
        witness.slots[2][3] = 14
        #expect(CircuitChecker.check(pk.verificationKey.circuit, witness)?.relation == 0)
        let proof = try Prover.prove(provingKey: pk, witness: witness)
        #expect(throws: VerificationError.self) { try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self) }
    }
}
