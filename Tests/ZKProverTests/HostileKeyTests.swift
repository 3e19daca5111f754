import Foundation
import Testing
import ZKCircuit
import ZKCommit
import ZKField
import ZKProver
import ZKSetup
import ZKTesting
import ZKVerifier
import ZKWire

/// Keys are untrusted input: a stranger's bytes may declare any size. Every size is checked
/// (overflow included) before anything is allocated, and a key whose commitment parameters offer
/// fewer than 100 bits is refused.
@Suite("Hostile verification keys")
struct HostileKeyTests {
    /// A key's bytes up to and including its circuit's tensors: `tensors` as (shape, storage).
    private static func keyPrefix(tensors: [([Int], TensorStorage)]) -> WireWriter {
        var w = WireWriter()
        w.write(magic: "ZKVK", version: VerificationKey.formatVersion)
        w.write(toolVersion: "crafted")
        w.write(count: tensors.count)
        for (i, (shape, storage)) in tensors.enumerated() {
            w.write(string: "t\(i)")
            w.write(count: shape.count)
            for d in shape { w.write(count: d) }
            w.write(u8: storage.rawValue)
            w.write(i64: -128)
            w.write(i64: 127)
        }
        return w
    }

    /// The crafted key of the issue: three dimensions of 2^24 multiply to 2^72, which wrapped to
    /// 0 and passed the shape check; `LinearMap.shapeProblem` then trapped. Now the shape is
    /// refused by name, before anything of that size exists.
    @Test func aShapeWhoseSizeOverflowsIsRefused() throws {
        var w = Self.keyPrefix(tensors: [([1 << 24, 1 << 24, 1 << 24], .publicInput), ([4], .publicOutput)])
        w.write(count: 1)               // one relation: reshape t0 → t1
        w.write(u8: 6); w.write(count: 0); w.write(count: 1); w.write(u8: 1)
        w.write(count: 0)               // no tables
        w.write(count: 0); w.write(count: 1)
        let bytes = w.bytes
        #expect(bytes.count < 200)
        #expect(throws: WireError.invalidValue(
            field: "tensor 0 shape",
            detail: CircuitSizeError.tensorTooLarge(shape: [1 << 24, 1 << 24, 1 << 24], limit: CircuitLimits.maximumTensorSlots)
                .description)) {
            try VerificationKey(decoding: bytes)
        }
    }

    /// Tensors that are each allowed but together exceed the circuit budget are refused while
    /// reading, before the next tensor.
    @Test func tooManySlotsInTotalAreRefused() throws {
        let count = CircuitLimits.maximumTotalSlots / CircuitLimits.maximumTensorSlots + 1
        let w = Self.keyPrefix(tensors: Array(repeating: ([1 << 12, 1 << 12], .advice), count: count))
        #expect(throws: WireError.invalidValue(
            field: "tensors", detail: CircuitSizeError.circuitTooLarge(limit: CircuitLimits.maximumTotalSlots).description)) {
            try VerificationKey(decoding: w.bytes)
        }
    }

    /// Shape arithmetic on any integers answers instead of trapping.
    @Test func shapeChecksNeverTrapOnHugeIntegers() {
        let huge = [1 << 40, 1 << 40]
        #expect(LinearMap.reshape.shapeProblem(inputShape: huge, outputShape: [1]) != nil)
        #expect(LinearMap.slice(starts: [0], steps: [1 << 62]).shapeProblem(inputShape: [4], outputShape: [3]) != nil)
        #expect(LinearMap.pad(before: [Int.max]).shapeProblem(inputShape: [4], outputShape: [8]) != nil)
        #expect(LinearMap.sumPool(kernel: [2, 2], stride: [1, 1], pads: [Int.max, 0, Int.max, 0])
            .shapeProblem(inputShape: [1, 4, 4], outputShape: [1, 3, 3]) != nil)
        #expect(LinearMap.sumPool(kernel: [1 << 40, 1 << 40], stride: [1, 1], pads: [0, 0, 0, 0])
            .termCount(inputShape: [1, 4, 4], outputShape: [1 << 20, 1 << 20, 1 << 20]) == nil)
        #expect(throws: CircuitSizeError.self) { try TensorLayout(checkedShape: [1 << 24, 1 << 24, 1 << 24]) }
        #expect(throws: CircuitSizeError.nonPositiveDimension(shape: [3, 0])) { try TensorLayout(checkedShape: [3, 0]) }
        #expect(CircuitLimits.checkedProduct([1 << 32, 1 << 32]) == nil)
    }

    /// A pooling relation whose windows would cost the verifier more than the limit is refused by
    /// the structural check, which every decoder runs.
    @Test func relationsTooCostlyForTheVerifierAreRefused() {
        let tensors = [
            TensorInfo(name: "x", shape: [1, 4096, 4096], storage: .publicInput, minimum: -128, maximum: 127),
            TensorInfo(name: "y", shape: [1, 2049, 2049], storage: .publicOutput, minimum: -128, maximum: 127),
        ]
        let pool = LinearMap.sumPool(kernel: [2048, 2048], stride: [1, 1], pads: [0, 0, 0, 0])
        let circuit = Circuit(tensors: tensors, relations: [.linear(output: 1, input: 0, map: pool)], tables: [], input: 0, output: 1)
        #expect(throws: CircuitError.invalid(
            relation: 0, "linear map with more than \(CircuitLimits.maximumRelationTerms) terms")) { try circuit.validate() }
    }

    /// A key whose query count was lowered to 1 decodes (its bytes are well formed) but the
    /// verifier refuses it, saying how many bits it offers; the honest key offers more than 100.
    @Test func aKeyBelowTheSecurityFloorIsRefused() throws {
        var rng = SeededGenerator.forTest(stream: 90)
        let (circuit, known) = ExampleCircuits.mlp(sizes: [12, 6, 3], using: &rng)
        let pk = try Setup.run(circuit: circuit, known: known, adviceTransport: .committed, field: Fr.self)
        let witness = try WitnessBuilder.build(circuit: circuit, known: known)
        let proof = try Prover.prove(provingKey: pk, witness: witness)
        let honest = pk.verificationKey
        #expect(honest.soundnessBits() > 100)
        try honest.checkSecurityFloor()

        func weakened(_ p: LigeroParameters, queries: Int, logInverseRate: Int? = nil) throws -> LigeroParameters {
            try LigeroParameters(
                numVariables: p.numVariables, logRows: p.logRows, logInverseRate: logInverseRate ?? p.logInverseRate,
                queryCount: queries)
        }
        for (weights, advice) in [
            (try weakened(honest.weightParameters, queries: 1), try weakened(honest.adviceParameters, queries: 1)),
            (honest.weightParameters, try weakened(honest.adviceParameters, queries: 100)),
            (try weakened(honest.weightParameters, queries: 140), honest.adviceParameters),
        ] {
            let weak = VerificationKey(
                circuit: honest.circuit, constants: honest.constants, weightCommitment: honest.weightCommitment,
                weightParameters: weights, adviceParameters: advice, adviceTransport: .committed, interface: honest.interface)
            let decoded = try VerificationKey(decoding: weak.encoded())
            let bits = decoded.soundnessBits()
            #expect(bits < 100)
            #expect(throws: VerificationError.insecureKey(bits: bits, required: 100)) { try decoded.checkSecurityFloor() }
            #expect(throws: VerificationError.insecureKey(bits: bits, required: 100)) {
                try Verifier.verify(proof, verificationKey: decoded, field: Fr.self)
            }
        }
        // One query: 2·(5/8)^1 — barely a coin toss.
        let one = VerificationKey(
            circuit: honest.circuit, constants: honest.constants, weightCommitment: honest.weightCommitment,
            weightParameters: try weakened(honest.weightParameters, queries: 1),
            adviceParameters: try weakened(honest.adviceParameters, queries: 1), adviceTransport: .committed,
            interface: honest.interface)
        #expect(one.soundnessBits() < 1)
        // Advice in the clear is never opened: its parameters do not count, the weights' still do.
        func clearKey(weights: LigeroParameters) throws -> VerificationKey {
            try VerificationKey(decoding: VerificationKey(
                circuit: honest.circuit, constants: honest.constants, weightCommitment: honest.weightCommitment,
                weightParameters: weights, adviceParameters: try weakened(honest.adviceParameters, queries: 1),
                adviceTransport: .clear, interface: honest.interface).encoded())
        }
        try clearKey(weights: honest.weightParameters).checkSecurityFloor()
        let weakWeights = try clearKey(weights: try weakened(honest.weightParameters, queries: 100))
        #expect(throws: VerificationError.insecureKey(bits: weakWeights.soundnessBits(), required: 100)) {
            try weakWeights.checkSecurityFloor()
        }
    }
}
