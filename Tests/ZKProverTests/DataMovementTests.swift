import Testing
import ZKCircuit
import ZKField
import ZKLookup
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// Data movement (transpose, slice, pad, reshape) and element-wise products, each proven end to
/// end on a small circuit, with a wrong result rejected.
@Suite("Data movement and products")
struct DataMovementTests {
    /// `input [3, 5] → transpose → [5, 3] → slice rows 1.. step 2 → [2, 3] → pad (1, 2) → [3, 5]`,
    /// then `sum = padded + input` and `output = sum ⊙ input` (the public output).
    static func circuit() throws -> (ProvingKey<Fr>, Witness) {
        var tensors: [TensorInfo] = []
        func add(_ name: String, _ shape: [Int], _ storage: TensorStorage) -> TensorID {
            tensors.append(TensorInfo(name: name, shape: shape, storage: storage, minimum: -1 << 20, maximum: 1 << 20))
            return tensors.count - 1
        }
        let x = add("input", [3, 5], .publicInput)
        let t = add("t", [5, 3], .advice)
        let s = add("s", [2, 3], .virtual)
        let p = add("p", [3, 5], .advice)
        let q = add("q", [3, 5], .advice)
        let sum = add("sum", [3, 5], .advice)
        let out = add("output", [3, 5], .publicOutput)
        let relations: [Relation] = [
            .linear(output: t, input: x, map: .transpose(permutation: [1, 0])),
            .linear(output: s, input: t, map: .slice(starts: [1, 0], steps: [2, 1])),
            .linear(output: p, input: s, map: .pad(before: [1, 2])),
            .linear(output: q, input: x, map: .reshape),
            .add(output: sum, lhs: p, rhs: q),
            .mul(output: out, lhs: sum, rhs: q),
        ]
        let circuit = Circuit(tensors: tensors, relations: relations, tables: [.range(bits: 8)], input: x, output: out)
        try circuit.validate()
        var rng = SeededGenerator.forTest(stream: 400)
        let known: [TensorID: [Int64]] = [x: (0..<15).map { _ in Int64(Int8(truncatingIfNeeded: rng.next())) }]
        let witness = try WitnessBuilder.build(circuit: circuit, known: known)
        #expect(CircuitChecker.check(circuit, witness) == nil)
        return (try Setup.run(circuit: circuit, known: known, field: Fr.self), witness)
    }

    @Test func semanticsAreTheOnesOfTheMaps() throws {
        let (pk, witness) = try Self.circuit()
        let c = pk.verificationKey.circuit
        let x = witness.logicalValues(of: 0, in: c), t = witness.logicalValues(of: 1, in: c)
        let p = witness.logicalValues(of: 3, in: c)
        for i in 0..<3 { for j in 0..<5 { #expect(t[j * 3 + i] == x[i * 5 + j]) } }
        // p[r][c] = s[r − 1][c − 2] = t[2(r − 1) + 1][c − 2] inside, 0 outside.
        for r in 0..<3 { for col in 0..<5 {
            let inside = r >= 1 && col >= 2
            #expect(p[r * 5 + col] == (inside ? t[(2 * (r - 1) + 1) * 3 + (col - 2)] : 0))
        } }
    }

    @Test func provesAndRejectsAWrongResult() throws {
        let (pk, witness) = try Self.circuit()
        let proof = try Prover.prove(provingKey: pk, witness: witness)
        try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        func verdict(_ witness: Witness) throws -> VerificationError? {
            let proof = try Prover.prove(provingKey: pk, witness: witness)
            do { try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self); return nil } catch { return error }
        }
        // A wrong transpose entry, alone: t[0, 1] is in no row the slice keeps, so only the
        // transpose's own claim (relabelled onto the public input) sees it.
        var bad = witness
        bad.slots[1][1] += 1
        #expect(CircuitChecker.check(pk.verificationKey.circuit, bad)?.relation == 0)
        #expect(try verdict(bad) == .publicEvaluationMismatch(tensor: 0))
        // A wrong sum at slot 0: the product (walked first) reads it, output[0] = sum[0]·q[0], and
        // q[0] = input[0] ≠ 0.
        try #require(witness.slots[0][0] != 0)
        var wrongSum = witness
        wrongSum.slots[5][0] += 1
        #expect(CircuitChecker.check(pk.verificationKey.circuit, wrongSum)?.kind == "add")
        #expect(try verdict(wrongSum) == .relationCheckFailed(relation: 5, check: .mulFinal))
        // A wrong q[0] (the reshape's output, read by the sum and the product): the product sees it
        // first, since sum[0] = p[0] + q[0] = q[0] ≠ 0 (p[0] is padding of the pad).
        var wrongProduct = witness
        wrongProduct.slots[4][0] += 1
        #expect(CircuitChecker.check(pk.verificationKey.circuit, wrongProduct)?.relation == 3)
        #expect(try verdict(wrongProduct) == .relationCheckFailed(relation: 5, check: .mulFinal))
    }
}

/// Transposes and contiguous reshapes are relabellings (no sumcheck, no message); concatenation
/// splits each claim into its inputs' contributions.
@Suite("Relabellings and concatenation")
struct RelabelAndConcatTests {
    static func circuit() throws -> (ProvingKey<Fr>, Witness) {
        var tensors: [TensorInfo] = []
        func add(_ name: String, _ shape: [Int], _ storage: TensorStorage) -> TensorID {
            tensors.append(TensorInfo(name: name, shape: shape, storage: storage, minimum: -1 << 20, maximum: 1 << 20))
            return tensors.count - 1
        }
        let x = add("input", [3, 4], .publicInput)
        let t = add("t", [4, 3], .advice)            // transpose, stored: a random point, then relabelled
        let f = add("f", [12], .advice)              // reshape of x [3, 4]: same slots (4 = 2^2) → relabelling
        let g = add("g", [2, 2, 3], .advice)         // reshape of t [4, 3]: 3 is not 2^k, slots move → sumcheck
        let out = add("output", [4, 6], .publicOutput)
        let relations: [Relation] = [
            .linear(output: t, input: x, map: .transpose(permutation: [1, 0])),
            .linear(output: f, input: x, map: .reshape),
            .linear(output: g, input: t, map: .reshape),
            .concat(output: out, inputs: [t, t], axis: 1),
        ]
        _ = (f, g)
        let circuit = Circuit(tensors: tensors, relations: relations, tables: [], input: x, output: out)
        try circuit.validate()
        var rng = SeededGenerator.forTest(stream: 410)
        let known: [TensorID: [Int64]] = [x: (0..<12).map { _ in Int64(Int8(truncatingIfNeeded: rng.next())) }]
        let witness = try WitnessBuilder.build(circuit: circuit, known: known)
        #expect(CircuitChecker.check(circuit, witness) == nil)
        return (try Setup.run(circuit: circuit, known: known, field: Fr.self), witness)
    }

    @Test func provesWithRelabellingsAndRejectsAWrongConcatenation() throws {
        let (pk, witness) = try Self.circuit()
        let circuit = pk.verificationKey.circuit
        let out = witness.logicalValues(of: 4, in: circuit), t = witness.logicalValues(of: 1, in: circuit)
        for r in 0..<4 { for c in 0..<6 { #expect(out[r * 6 + c] == t[r * 3 + c % 3]) } }
        let proof = try Prover.prove(provingKey: pk, witness: witness)
        try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        // The transpose (last in the backward walk) sent no sumcheck.
        guard case .general(let sumchecks, _) = proof.relations.last! else { Issue.record("expected a general proof"); return }
        #expect(sumchecks.isEmpty)
        var bad = witness
        bad.slots[1][0] += 1                        // t no longer the transpose of x
        #expect(CircuitChecker.check(circuit, bad)?.relation == 0)
        // The concat (walked first) splits its claim by inputs computed from the wrong t.
        let badProof = try Prover.prove(provingKey: pk, witness: bad)
        #expect(throws: VerificationError.relationCheckFailed(relation: 3, check: .concatContributions)) {
            try Verifier.verify(badProof, verificationKey: pk.verificationKey, field: Fr.self)
        }
    }
}
