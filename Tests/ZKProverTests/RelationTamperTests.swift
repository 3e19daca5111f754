import Testing
import ZKCircuit
import ZKField
import ZKLookup
import ZKProver
import ZKSetup
import ZKSumcheck
import ZKTesting
import ZKVerifier

/// Every entry of every relation's message (each element of each sumcheck round message, each
/// evaluation), changed by one at a time, is rejected by the exact check that must catch it; and
/// a message of the wrong kind or length by the exact shape error. `ProofTamperTests` does the
/// same for the MLP's matMul and requantize messages.
///
/// The expectations follow the verifier's order. An entry a check compares directly (a value at
/// a sumcheck's final point) fails that check. A changed round message moves every later
/// challenge and the sumcheck's final claim, so the check after that sumcheck fails. An entry
/// that only becomes a claim (requantize, add, a relabelling's stored output) is caught by the
/// next relation the verifier walks to whose check depends on the claims or the challenges —
/// or, when the claim is on a public tensor and no relation follows, by the verifier's own
/// evaluation of the public values.
@Suite("Tampering with every relation")
struct RelationTamperTests {
    /// `ExampleCircuits.cnn` on a `[2, H, W]` input: conv2d 3×3 with padding 1 → requantize →
    /// ReLU → `pooling` → flatten → matMul → requantize (the public output). Activations of 8 bits
    /// keep the lookup tables, and so every verification, small.
    static func smallCNN(input: [Int], pooling: ExamplePooling, stream: UInt64) throws -> (ProvingKey<Fr>, Witness) {
        var rng = SeededGenerator.forTest(stream: stream)
        let (circuit, known) = ExampleCircuits.cnn(
            input: input, channels: 2, kernel: [3, 3], pads: [1, 1, 1, 1], pooling: pooling, activationBits: 8, using: &rng)
        try circuit.validate()
        let witness = try WitnessBuilder.build(circuit: circuit, known: known)
        #expect(CircuitChecker.check(circuit, witness) == nil)
        return (try Setup.run(circuit: circuit, known: known, field: Fr.self), witness)
    }

    /// A small CNN with max pooling: `[2, 4, 4]` → conv2d → requantize → ReLU → maxPool 2×2 →
    /// flatten of `[2, 2, 2]` (a relabelling, no message) → matMul → requantize (public output).
    @Test func convolutionMaxPoolAndRelabelling() throws {
        let (pk, witness) = try Self.smallCNN(input: [2, 4, 4], pooling: .max(kernel: 2, stride: 2), stream: 310)
        let h = try TamperHarness(pk, witness)
        #expect(h.reject(h.proof) == nil)
        let conv = h.relation("conv2d"), pool = h.relation("maxPool"), flatten = h.relation("linear")
        let fc = h.relation("matMul")
        let (requantizeConv, requantizeFC) = (h.relations("requantize")[0], h.relations("requantize")[1])
        var checked = 0

        checked += h.expectEveryEntry(of: requantizeFC) { _ in .relationCheckFailed(relation: fc, check: .matMulFinal) }
        checked += h.expectEveryEntry(of: fc) { _ in .relationCheckFailed(relation: fc, check: .matMulFinal) }
        // The flatten is a relabelling: no sumcheck and (its output virtual) no evaluation.
        #expect(h.entries(of: flatten).isEmpty)
        #expect(h.reject(h.replacing(flatten, with: .general(sumchecks: [], evaluations: [.one])))
            == .relationShape(relation: flatten, .evaluationCount(expected: 0, got: 1)))
        #expect(h.reject(h.replacing(flatten, with: .general(sumchecks: [SumcheckProof(roundMessages: [])], evaluations: [])))
            == .relationShape(relation: flatten, .sumcheckCount(expected: 0, got: 1)))

        // Max pool: m(z) and d_w(z) (evaluations 0…n) set the link's target and x(s) (n + 1) is
        // the link's final value; the differences at the zerocheck's point (n + 2…) are its product.
        guard case .maxPool(_, _, let differences, _, _, _) = h.circuit.relations[pool] else { return }
        let n = differences.count
        checked += h.expectEveryEntry(of: pool) { entry in
            switch entry {
            case .round(sumcheck: 0, _, _): return .relationCheckFailed(relation: pool, check: .maxPoolLink)
            case .round: return .relationCheckFailed(relation: pool, check: .maxPoolAmong)
            case .evaluation(let i) where i <= n + 1: return .relationCheckFailed(relation: pool, check: .maxPoolLink)
            case .evaluation: return .relationCheckFailed(relation: pool, check: .maxPoolAmong)
            }
        }
        // The convolution's requantization: its accumulator claim moves; the convolution's first
        // check (over the input) fails.
        checked += h.expectEveryEntry(of: requantizeConv) { _ in .relationCheckFailed(relation: conv, check: .conv2dInput) }
        // Convolution: sumcheck 0 over the input ends in x(s)·w* (evaluations 0 and 1); sumcheck 1
        // over the kernel proves w* and ends in K(t) (evaluation 2).
        checked += h.expectEveryEntry(of: conv) { entry in
            switch entry {
            case .round(sumcheck: 0, _, _), .evaluation(0), .evaluation(1):
                return .relationCheckFailed(relation: conv, check: .conv2dInput)
            default:
                return .relationCheckFailed(relation: conv, check: .conv2dKernel)
            }
        }
        #expect(checked > 40)

        // Shapes.
        let (convSumchecks, convEvaluations) = h.message(conv).parts
        #expect(h.reject(h.replacing(conv, with: .general(sumchecks: [convSumchecks[0]], evaluations: convEvaluations)))
            == .relationShape(relation: conv, .sumcheckCount(expected: 2, got: 1)))
        #expect(h.reject(h.replacing(conv, with: .general(sumchecks: convSumchecks, evaluations: convEvaluations + [.one])))
            == .relationShape(relation: conv, .evaluationCount(expected: 3, got: 4)))
        #expect(h.reject(h.replacing(conv, with: .matMul(sumcheck: convSumchecks[0], evaluations: convEvaluations)))
            == .relationShape(relation: conv, .wrongProofKind(expected: .general, got: .matMul)))
        var kernelRounds = convSumchecks
        kernelRounds[1].roundMessages.append(kernelRounds[1].roundMessages[0])
        let kernelVariables = convSumchecks[1].roundMessages.count
        // Sumcheck 1's shape is read only after sumcheck 0 and its check have passed.
        #expect(h.reject(h.replacing(conv, with: .general(sumchecks: kernelRounds, evaluations: convEvaluations)))
            == .sumcheckFailed(relation: conv, sumcheck: 1, .wrongRoundCount(expected: kernelVariables, got: kernelVariables + 1)))
        let (poolSumchecks, poolEvaluations) = h.message(pool).parts
        var shortZerocheck = poolSumchecks
        shortZerocheck[1].roundMessages[0].removeLast()
        #expect(h.reject(h.replacing(pool, with: .general(sumchecks: shortZerocheck, evaluations: poolEvaluations)))
            == .sumcheckFailed(relation: pool, sumcheck: 1, .wrongMessageLength(round: 0, expected: n + 1, got: n)))
        #expect(h.reject(h.replacing(pool, with: .general(sumchecks: poolSumchecks, evaluations: poolEvaluations.dropLast())))
            == .relationShape(relation: pool, .evaluationCount(expected: 2 * n + 2, got: 2 * n + 1)))
    }

    /// A small CNN with average pooling: `[2, 6, 4]` → conv2d → requantize → ReLU → sum pool (a
    /// linear map, virtual output) → requantize → ReLU → flatten of `[2, 3, 2]` (a linear map with a
    /// sumcheck: 3 is not a power of two, so the slots move) → matMul → requantize (public output).
    @Test func averagePoolingAndLinearMaps() throws {
        let (pk, witness) = try Self.smallCNN(input: [2, 6, 4], pooling: .average(kernel: 2, stride: 2), stream: 311)
        let h = try TamperHarness(pk, witness)
        #expect(h.reject(h.proof) == nil)
        let linear = h.relations("linear")
        #expect(linear.count == 2)
        let (sumPool, flatten) = (linear[0], linear[1])
        let requantizeAverage = h.relations("requantize")[1]
        // Each linear map: the sumcheck and in(s) end in its final check.
        for map in [flatten, sumPool] {
            let checked = h.expectEveryEntry(of: map) { _ in .relationCheckFailed(relation: map, check: .linearFinal) }
            #expect(checked >= 5)
        }
        // The average's requantization moves the claim on the (virtual) pooled sum.
        h.expectEveryEntry(of: requantizeAverage) { _ in .relationCheckFailed(relation: sumPool, check: .linearFinal) }
        let (sumchecks, evaluations) = h.message(flatten).parts
        #expect(h.reject(h.replacing(flatten, with: .general(sumchecks: sumchecks + sumchecks, evaluations: evaluations)))
            == .relationShape(relation: flatten, .sumcheckCount(expected: 1, got: 2)))
        #expect(h.reject(h.replacing(flatten, with: .general(sumchecks: sumchecks, evaluations: [])))
            == .relationShape(relation: flatten, .evaluationCount(expected: 1, got: 0)))
        #expect(h.reject(h.replacing(flatten, with: .add(evaluations: evaluations)))
            == .relationShape(relation: flatten, .wrongProofKind(expected: .general, got: .add)))
    }

    /// `DataMovementTests.circuit()`: transpose (stored, a relabelling) → slice (virtual) → pad
    /// (stored) and a reshape that moves slots (stored); `sum = p + q` (stored); `output = sum ⊙ q`
    /// (the public output: a stored product).
    @Test func dataMovementAddAndStoredProduct() throws {
        let (pk, witness) = try DataMovementTests.circuit()
        let h = try TamperHarness(pk, witness)
        #expect(h.reject(h.proof) == nil)
        // Relations: 0 transpose, 1 slice, 2 pad, 3 reshape, 4 add, 5 mul.
        #expect(h.circuit.relations.map(\.kind) == ["linear", "linear", "linear", "linear", "add", "mul"])
        // The product: lhs(s), rhs(s), out(s) and the zerocheck's rounds all meet in its final check.
        h.expectEveryEntry(of: 5) { _ in .relationCheckFailed(relation: 5, check: .mulFinal) }
        // The sum only records claims (on sum, p, q at its point): the reshape is walked next,
        // draws its point from the changed transcript, and its sumcheck no longer ends right.
        h.expectEveryEntry(of: 4) { _ in .relationCheckFailed(relation: 3, check: .linearFinal) }
        for map in [3, 2, 1] {
            h.expectEveryEntry(of: map) { _ in .relationCheckFailed(relation: map, check: .linearFinal) }
        }
        // The transpose is a relabelling with a stored output: its one evaluation becomes a claim on
        // t and, relabelled, on the public input, which the verifier evaluates itself.
        #expect(h.entries(of: 0) == [.evaluation(0)])
        h.expectEveryEntry(of: 0) { _ in .publicEvaluationMismatch(tensor: h.circuit.input) }

        // Shapes.
        let (_, sumEvaluations) = h.message(4).parts
        #expect(h.reject(h.replacing(4, with: .add(evaluations: sumEvaluations + [.one])))
            == .relationShape(relation: 4, .evaluationCount(expected: 2, got: 3)))
        #expect(h.reject(h.replacing(4, with: .general(sumchecks: [], evaluations: sumEvaluations)))
            == .relationShape(relation: 4, .wrongProofKind(expected: .add, got: .general)))
        let (productSumchecks, productEvaluations) = h.message(5).parts
        #expect(h.reject(h.replacing(5, with: .general(sumchecks: productSumchecks, evaluations: productEvaluations.dropLast())))
            == .relationShape(relation: 5, .evaluationCount(expected: 3, got: 2)))
        #expect(h.reject(h.replacing(5, with: .general(sumchecks: [], evaluations: productEvaluations)))
            == .relationShape(relation: 5, .sumcheckCount(expected: 1, got: 0)))
        var lowDegree = productSumchecks
        lowDegree[0].roundMessages[1].removeLast()
        #expect(h.reject(h.replacing(5, with: .general(sumchecks: lowDegree, evaluations: productEvaluations)))
            == .sumcheckFailed(relation: 5, sumcheck: 0, .wrongMessageLength(round: 1, expected: 3, got: 2)))
        #expect(h.reject(h.replacing(0, with: .general(sumchecks: [], evaluations: [])))
            == .relationShape(relation: 0, .evaluationCount(expected: 1, got: 0)))
    }

    /// `RelabelAndConcatTests.circuit()`: transpose t (stored relabelling), reshape f of the input
    /// (stored relabelling), reshape g of t (stored, a sumcheck), output = concat(t, t) (public).
    @Test func concatenationAndRelabellings() throws {
        let (pk, witness) = try RelabelAndConcatTests.circuit()
        let h = try TamperHarness(pk, witness)
        #expect(h.reject(h.proof) == nil)
        #expect(h.circuit.relations.map(\.kind) == ["linear", "linear", "linear", "concat"])
        // Concat (stored output): out(z) (evaluation 0) and the contributions c_0, c_1 (1, 2) meet in
        // the split check; input i's value (3 + i) and its sumcheck in that input's final check.
        h.expectEveryEntry(of: 3) { entry in
            switch entry {
            case .evaluation(let i) where i <= 2: return .relationCheckFailed(relation: 3, check: .concatContributions)
            case .evaluation(let i): return .relationCheckFailed(relation: 3, check: .concatFinal(input: i - 3))
            case .round(let k, _, _): return .relationCheckFailed(relation: 3, check: .concatFinal(input: k))
            }
        }
        h.expectEveryEntry(of: 2) { _ in .relationCheckFailed(relation: 2, check: .linearFinal) }
        // Both relabellings put a claim on the public input.
        for relabelling in [1, 0] {
            #expect(h.entries(of: relabelling) == [.evaluation(0)])
            h.expectEveryEntry(of: relabelling) { _ in .publicEvaluationMismatch(tensor: h.circuit.input) }
        }
        // A changed public value changes the concat's point; with one claim on the output its split
        // check does not depend on the challenges (the target is the prover's out(z)), so the first
        // input's sumcheck is what fails.
        var p = h.proof
        p.publicOutput[5] += 1
        #expect(h.reject(p) == .relationCheckFailed(relation: 3, check: .concatFinal(input: 0)))
        p = h.proof
        p.publicInput[0] -= 1
        #expect(h.reject(p) == .relationCheckFailed(relation: 3, check: .concatFinal(input: 0)))

        // Shapes.
        let (sumchecks, evaluations) = h.message(3).parts
        #expect(h.reject(h.replacing(3, with: .general(sumchecks: [sumchecks[0]], evaluations: evaluations)))
            == .relationShape(relation: 3, .sumcheckCount(expected: 2, got: 1)))
        #expect(h.reject(h.replacing(3, with: .general(sumchecks: sumchecks, evaluations: evaluations.dropLast())))
            == .relationShape(relation: 3, .evaluationCount(expected: 5, got: 4)))
        var longer = sumchecks
        longer[1].roundMessages.append([.zero, .zero])
        let variables = sumchecks[1].roundMessages.count
        #expect(h.reject(h.replacing(3, with: .general(sumchecks: longer, evaluations: evaluations)))
            == .sumcheckFailed(relation: 3, sumcheck: 1, .wrongRoundCount(expected: variables, got: variables + 1)))
        // The circuit has no lookups: a lookup argument is refused before anything is read from it.
        p = h.proof
        p.lookup = LookupProof(roots: [], layers: [], columnEvaluations: [], multiplicityEvaluations: [])
        #expect(h.reject(p) == .proofShape(.unexpectedLookupArgument))
    }

    /// `input [6] → square = input ⊙ input (virtual) → requantize (shift 8) → output` (public):
    /// the compiler's shape for a Mul of two activations, with the product's claims consumed from
    /// the requantization.
    static func squareCircuit(stream: UInt64 = 420) throws -> (ProvingKey<Fr>, Witness) {
        var draft = CircuitDraft()
        let x = draft.add(TensorInfo(name: "input", shape: [6], storage: .publicInput, minimum: -128, maximum: 127))
        let m = draft.add(TensorInfo(name: "square", shape: [6], storage: .virtual, minimum: 0, maximum: 1 << 14))
        let y = draft.add(TensorInfo(name: "output", shape: [6], storage: .publicOutput, minimum: -128, maximum: 127))
        let r = draft.add(TensorInfo(name: "r", shape: [6], storage: .advice, minimum: 0, maximum: 255))
        let range = draft.table(.range(bits: 8))
        draft.relations = [
            .mul(output: m, lhs: x, rhs: x),
            .requantize(output: y, input: m, remainderLimbs: [r], multiplier: 1, shift: 8),
            .lookup(input: r, output: nil, table: range),
        ]
        var rng = SeededGenerator.forTest(stream: stream)
        draft.known[x] = (0..<6).map { _ in Int64(Int8(truncatingIfNeeded: rng.next())) }
        let circuit = draft.circuit(input: x, output: y)
        try circuit.validate()
        let witness = try WitnessBuilder.build(circuit: circuit, known: draft.known)
        #expect(CircuitChecker.check(circuit, witness) == nil)
        return (try Setup.run(circuit: circuit, known: draft.known, field: Fr.self), witness)
    }

    @Test func productWithAVirtualOutput() throws {
        let (pk, witness) = try Self.squareCircuit()
        let h = try TamperHarness(pk, witness)
        #expect(h.reject(h.proof) == nil)
        // Relations: 0 mul, 1 requantize, 2 lookup.
        h.expectEveryEntry(of: 0) { _ in .relationCheckFailed(relation: 0, check: .mulFinal) }
        h.expectEveryEntry(of: 1) { _ in .relationCheckFailed(relation: 0, check: .mulFinal) }
        let (sumchecks, evaluations) = h.message(0).parts
        #expect(evaluations.count == 2)          // lhs(s), rhs(s): the output is virtual
        #expect(h.reject(h.replacing(0, with: .general(sumchecks: sumchecks, evaluations: evaluations + [.one])))
            == .relationShape(relation: 0, .evaluationCount(expected: 2, got: 3)))
        #expect(h.reject(h.replacing(0, with: .general(sumchecks: sumchecks + sumchecks, evaluations: evaluations)))
            == .relationShape(relation: 0, .sumcheckCount(expected: 1, got: 2)))
        #expect(h.reject(h.replacing(0, with: .requantize(evaluations: evaluations)))
            == .relationShape(relation: 0, .wrongProofKind(expected: .general, got: .requantize)))
    }

    /// `ExampleCircuits.perChannelConvolutionLayer`: conv2d → `scaled = acc ⊙ broadcast(factors)`
    /// (a linear map of a constant, then a product; both virtual) → requantize (public output).
    static func perChannelCircuit(stream: UInt64 = 440) throws
        -> (pk: ProvingKey<Fr>, witness: Witness, factors: TensorID, broadcast: TensorID, scaled: TensorID)
    {
        var rng = SeededGenerator.forTest(stream: stream)
        let (circuit, known, f, spread, scaled) = ExampleCircuits.perChannelConvolutionLayer(
            input: [2, 5, 6], channels: 3, kernel: 3, using: &rng)
        try circuit.validate()
        let witness = try WitnessBuilder.build(circuit: circuit, known: known)
        #expect(CircuitChecker.check(circuit, witness) == nil)
        return (try Setup.run(circuit: circuit, known: known, field: Fr.self), witness, f, spread, scaled)
    }

    @Test func perChannelRequantization() throws {
        let (pk, witness, factors, _, _) = try Self.perChannelCircuit()
        let h = try TamperHarness(pk, witness)
        #expect(h.reject(h.proof) == nil)
        // Relations: 0 conv2d, 1 linear (the broadcast), 2 mul, 3 requantize, 4–6 range lookups.
        let (broadcast, product, requantize) = (h.relation("linear"), h.relation("mul"), h.relation("requantize"))
        #expect([broadcast, product, requantize] == [1, 2, 3])
        // The requantization moves the claim on the scaled accumulator; the product's sumcheck and
        // acc(s), f(s) end in its final check; the broadcast's sumcheck and factors(s) in its own.
        h.expectEveryEntry(of: requantize) { _ in .relationCheckFailed(relation: product, check: .mulFinal) }
        h.expectEveryEntry(of: product) { _ in .relationCheckFailed(relation: product, check: .mulFinal) }
        h.expectEveryEntry(of: broadcast) { _ in .relationCheckFailed(relation: broadcast, check: .linearFinal) }
        // The broadcast ends in one claim on the constant, which the verifier evaluates itself
        // (nothing of it is committed or opened).
        let (_, evaluations) = h.message(broadcast).parts
        #expect(evaluations.count == 1)
        #expect(pk.verificationKey.constants[factors]?.count == 3)
    }
}
