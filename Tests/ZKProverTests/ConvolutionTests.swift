import Testing
import ZKCircuit
import ZKField
import ZKLookup
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting
import ZKSumcheck

/// Convolutions (strides, paddings, groups, depthwise), pooling (max and average) and data
/// movement, proven end to end; malicious witnesses for the max pool.
@Suite("Convolutions and pooling")
struct ConvolutionTests {
    struct Case: Sendable, CustomStringConvertible {
        var input: [Int], channels: Int, kernel: [Int], stride: [Int], pads: [Int], groups: Int, pooling: ExamplePooling
        var description: String { "\(input) → \(channels) k\(kernel) s\(stride) p\(pads) g\(groups) \(pooling)" }
    }

    static let cases: [Case] = [
        Case(input: [3, 8, 8], channels: 4, kernel: [3, 3], stride: [1, 1], pads: [0, 0, 0, 0], groups: 1, pooling: .none),
        Case(input: [2, 9, 7], channels: 3, kernel: [3, 2], stride: [2, 1], pads: [1, 0, 1, 1], groups: 1, pooling: .none),
        Case(input: [4, 8, 8], channels: 4, kernel: [3, 3], stride: [1, 1], pads: [1, 1, 1, 1], groups: 4, pooling: .max(kernel: 2, stride: 2)),
        Case(input: [4, 6, 6], channels: 2, kernel: [3, 3], stride: [1, 1], pads: [1, 1, 1, 1], groups: 2, pooling: .average(kernel: 2, stride: 2)),
        Case(input: [1, 7, 7], channels: 2, kernel: [2, 2], stride: [1, 1], pads: [0, 0, 0, 0], groups: 1, pooling: .max(kernel: 3, stride: 2)),
    ]

    static func build(_ c: Case, stream: UInt64) throws -> (ProvingKey<Fr>, Witness) {
        var rng = SeededGenerator.forTest(stream: stream)
        let (circuit, known) = ExampleCircuits.cnn(
            input: c.input, channels: c.channels, kernel: c.kernel, stride: c.stride, pads: c.pads, groups: c.groups,
            pooling: c.pooling, using: &rng)
        try circuit.validate()
        let witness = try WitnessBuilder.build(circuit: circuit, known: known)
        #expect(CircuitChecker.check(circuit, witness) == nil)
        return (try Setup.run(circuit: circuit, known: known, field: Fr.self), witness)
    }

    @Test(arguments: cases)
    func honestProofsVerify(_ c: Case) throws {
        let (pk, witness) = try Self.build(c, stream: 300)
        let proof = try Prover.prove(provingKey: pk, witness: witness)
        try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        let decoded = try Proof<Fr>(decoding: proof.encoded(), verificationKey: pk.verificationKey)
        try Verifier.verify(decoded, verificationKey: pk.verificationKey, field: Fr.self)
    }

    @Test func convolutionMatchesADirectFloatComputation() throws {
        // An independent check of the integer semantics: the convolution of small integers in
        // Double arithmetic (exact at these sizes) against the engine's accumulator.
        var rng = SeededGenerator.forTest(stream: 301)
        let (circuit, known) = ExampleCircuits.cnn(
            input: [2, 5, 6], channels: 2, kernel: [3, 3], stride: [2, 1], pads: [1, 1, 0, 2], groups: 2, using: &rng)
        let witness = try WitnessBuilder.build(circuit: circuit, known: known)
        guard case .conv2d(let acc, let k, let x, let b?, let stride, let pads, _) = circuit.relations[0] else {
            Issue.record("expected a convolution first"); return
        }
        let xs = known[x]!, ks = known[k]!, bs = known[b]!
        let output = witness.logicalValues(of: acc, in: circuit)
        let (ho, wo) = (circuit.tensors[acc].layout.shape[1], circuit.tensors[acc].layout.shape[2])
        for o in 0..<2 { for i in 0..<ho { for j in 0..<wo {
            var sum = Double(bs[o])
            for u in 0..<3 { for v in 0..<3 {
                let y = i * stride[0] + u - pads[0], xx = j * stride[1] + v - pads[1]
                if y >= 0 && y < 5 && xx >= 0 && xx < 6 { sum += Double(ks[o * 9 + u * 3 + v]) * Double(xs[(o * 5 + y) * 6 + xx]) }
            } }
            #expect(Double(output[(o * ho + i) * wo + j]) == sum)
        } } }
    }

    func maxPoolRelation(_ circuit: Circuit) -> (Int, TensorID, [TensorID]) {
        let index = circuit.relations.firstIndex { $0.kind == "maxPool" }!
        guard case .maxPool(let m, _, let differences, _, _, _) = circuit.relations[index] else { fatalError() }
        return (index, m, differences)
    }

    func rejection(_ pk: ProvingKey<Fr>, _ witness: Witness) throws -> VerificationError? {
        let proof = try Prover.prove(provingKey: pk, witness: witness)
        do { try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self); return nil } catch { return error }
    }

    /// `input [1, 6, 6] → maxPool 2×2 / 2 → output [1, 3, 3]` (public), the pool's differences
    /// range-checked: the zerocheck is the only thing between a prover and a maximum that is not
    /// among its window, and the 3×3 output has padding slots.
    static func poolOnly() throws -> (ProvingKey<Fr>, Witness) {
        var rng = SeededGenerator.forTest(stream: 305)
        var tensors = [
            TensorInfo(name: "input", shape: [1, 6, 6], storage: .publicInput, minimum: -128, maximum: 127),
            TensorInfo(name: "output", shape: [1, 3, 3], storage: .publicOutput, minimum: -128, maximum: 127),
        ]
        for w in 0..<4 { tensors.append(TensorInfo(name: "d\(w)", shape: [1, 3, 3], storage: .advice, minimum: 0, maximum: 255)) }
        var relations: [Relation] = [.maxPool(output: 1, input: 0, differences: [2, 3, 4, 5], kernel: [2, 2], stride: [2, 2], pads: [0, 0, 0, 0])]
        for d in 2...5 { relations.append(.lookup(input: d, output: nil, table: 0)) }
        let circuit = Circuit(tensors: tensors, relations: relations, tables: [.range(bits: 8)], input: 0, output: 1)
        try circuit.validate()
        let known: [TensorID: [Int64]] = [0: (0..<36).map { _ in Int64(Int8(truncatingIfNeeded: rng.next())) }]
        let pk = try Setup.run(circuit: circuit, known: known, field: Fr.self)
        let witness = try WitnessBuilder.build(circuit: circuit, known: known)
        #expect(CircuitChecker.check(circuit, witness) == nil)
        return (pk, witness)
    }

    @Test func poolAloneProvesAndItsOutputIsBound() throws {
        let (pk, witness) = try Self.poolOnly()
        var proof = try Prover.prove(provingKey: pk, witness: witness)
        try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        proof.publicOutput[4] += 1
        // The transcript changes from its first absorb; the lookup argument (first) sees it at depth 1.
        #expect(throws: VerificationError.lookupFailed(.layerMismatch(depth: 1))) {
            try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        }
    }

    @Test func aMaximumAboveEveryInputIsRejected() throws {
        let (pk, honest) = try Self.poolOnly()
        let circuit = pk.verificationKey.circuit
        // m + 1 with every difference + 1: every difference stays ≥ 0 and linked, none is 0.
        var witness = honest
        witness.slots[1][0] += 1
        for d in 2...5 { witness.slots[d][0] += 1 }
        let failure = try #require(CircuitChecker.check(circuit, witness))
        #expect(failure.relation == 0 && failure.message.contains("not among"))
        #expect(try rejection(pk, witness) == .relationCheckFailed(relation: 0, check: .maxPoolAmong))
    }

    @Test func aMaximumBelowAnInputIsRejected() throws {
        let (pk, honest) = try Self.build(Self.cases[2], stream: 303)
        let circuit = pk.verificationKey.circuit
        let (index, m, differences) = maxPoolRelation(circuit)
        // Pick a slot whose window holds two different values and claim the smaller as the maximum.
        let layout = circuit.tensors[m].layout
        let slot = try #require((0..<layout.slotCount).first { s in
            layout.isLogicalSlot(s) && differences.contains { honest.slots[$0][s] > 0 }
        })
        let gap = differences.map { honest.slots[$0][slot] }.filter { $0 > 0 }.min()!
        var witness = honest
        witness.slots[m][slot] -= gap
        for d in differences { witness.slots[d][slot] -= gap }          // one difference becomes negative
        #expect(CircuitChecker.check(circuit, witness)?.relation == index)
        // The negative difference is outside its range table: that table's root sum rejects.
        let table = pk.verificationKey.layout.lookupGroups.first { $0.columns == [differences[0]] }!.table
        #expect(try rejection(pk, witness) == .lookupFailed(.rootMismatch(table: table)))
    }

    @Test func nonzeroPaddingInThePoolIsRejected() throws {
        let (pk, honest) = try Self.poolOnly()
        let circuit = pk.verificationKey.circuit
        let layout = circuit.tensors[2].layout
        let padding = try #require((0..<layout.slotCount).first { !layout.isLogicalSlot($0) })
        var witness = honest
        witness.slots[2][padding] = 5            // a difference in a padding slot
        #expect(CircuitChecker.check(circuit, witness)?.relation == 0)
        #expect(try rejection(pk, witness) == .relationCheckFailed(relation: 0, check: .maxPoolLink))
    }
}
