import Testing
import ZKCircuit
import ZKField
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// The per-axis linear maps (`LinearMap.axes`) that prove Pad, Slice, Gather, Tile, Expand,
/// Resize, broadcasting and reductions: semantics, a proof, a wrong result rejected by the exact
/// check, and every proof entry tampered with.
@Suite("Per-axis linear maps")
struct AxisMapTests {
    /// `input [3, 4]` → `g [5, 6]`: rows gathered as (2, 0, 1, 1, 2), columns padded with a zero
    /// column in front and the last column repeated (edge) → `output [5, 1]`, the row sums of `g`
    /// (a summing map: the public output).
    static func circuit() throws -> (ProvingKey<Fr>, Witness) {
        var tensors: [TensorInfo] = []
        func add(_ name: String, _ shape: [Int], _ storage: TensorStorage) -> TensorID {
            tensors.append(TensorInfo(name: name, shape: shape, storage: storage, minimum: -1 << 20, maximum: 1 << 20))
            return tensors.count - 1
        }
        let x = add("input", [3, 4], .publicInput)
        let g = add("g", [5, 6], .advice)
        let out = add("output", [5, 1], .publicOutput)
        let relations: [Relation] = [
            .linear(output: g, input: x, map: .axes([.selecting([2, 0, 1, 1, 2]), .selecting([-1, 0, 1, 2, 3, 3])])),
            .linear(output: out, input: g, map: .axes([.identity(5), .summing(6)])),
        ]
        let circuit = Circuit(tensors: tensors, relations: relations, tables: [], input: x, output: out)
        try circuit.validate()
        var rng = SeededGenerator.forTest(stream: 420)
        let known: [TensorID: [Int64]] = [x: (0..<12).map { _ in Int64(Int8(truncatingIfNeeded: rng.next())) }]
        let witness = try WitnessBuilder.build(circuit: circuit, known: known)
        #expect(CircuitChecker.check(circuit, witness) == nil)
        return (try Setup.run(circuit: circuit, known: known, field: Fr.self), witness)
    }

    @Test func semanticsAreTheOnesOfTheMaps() throws {
        let (pk, witness) = try Self.circuit()
        let c = pk.verificationKey.circuit
        let x = witness.logicalValues(of: 0, in: c), g = witness.logicalValues(of: 1, in: c)
        let out = witness.logicalValues(of: 2, in: c)
        let rows = [2, 0, 1, 1, 2], columns = [-1, 0, 1, 2, 3, 3]
        for (i, r) in rows.enumerated() {
            for (j, col) in columns.enumerated() { #expect(g[i * 6 + j] == (col < 0 ? 0 : x[r * 4 + col])) }
            #expect(out[i] == (0..<6).map { g[i * 6 + $0] }.reduce(0, +))
        }
    }

    @Test func provesAndRejectsAWrongSelection() throws {
        let (pk, witness) = try Self.circuit()
        let proof = try Prover.prove(provingKey: pk, witness: witness)
        try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        func verdict(_ witness: Witness) throws -> VerificationError? {
            let proof = try Prover.prove(provingKey: pk, witness: witness, selfCheck: false)
            do { try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self); return nil } catch { return error }
        }
        let c = pk.verificationKey.circuit
        // g[0, 0] must be the zero padding; a prover that puts 1 there and keeps the output
        // consistent with it (the row sum) is caught by the gather's own sumcheck.
        var bad = witness
        bad.slots[1][c.tensors[1].layout.slot(ofLogicalIndex: 0)] += 1
        bad.slots[2][c.tensors[2].layout.slot(ofLogicalIndex: 0)] += 1
        #expect(CircuitChecker.check(c, bad)?.relation == 0)
        #expect(try verdict(bad) == .relationCheckFailed(relation: 0, check: .linearFinal))
        // A wrong row sum alone: the summing map's sumcheck starts from the public output, which
        // the verifier evaluates itself, and no longer ends right.
        var wrongSum = witness
        wrongSum.slots[2][c.tensors[2].layout.slot(ofLogicalIndex: 3)] += 1
        #expect(CircuitChecker.check(c, wrongSum)?.relation == 1)
        #expect(try verdict(wrongSum) == .relationCheckFailed(relation: 1, check: .linearFinal))
    }

    @Test func everyProofEntryIsChecked() throws {
        let (pk, witness) = try Self.circuit()
        let h = try TamperHarness(pk, witness)
        #expect(h.reject(h.proof) == nil)
        for map in [1, 0] {
            let checked = h.expectEveryEntry(of: map) { _ in .relationCheckFailed(relation: map, check: .linearFinal) }
            #expect(checked > 0)
        }
    }

    /// The wire format keeps the pairs, and a decoder refuses pairs outside the shapes.
    @Test func mapsRoundTripAndBadPairsAreRefused() throws {
        let (pk, _) = try Self.circuit()
        let decoded = try VerificationKey(decoding: pk.verificationKey.encoded())
        #expect(decoded.circuit.relations == pk.verificationKey.circuit.relations)
        let outside = LinearMap.axes([.selecting([3]), .identity(4)])
        #expect(outside.shapeProblem(inputShape: [3, 4], outputShape: [1, 4]) != nil)
        #expect(LinearMap.axes([.identity(3)]).shapeProblem(inputShape: [3, 4], outputShape: [3, 4]) != nil)
    }
}
