import Testing
import ZKCircuit
import ZKCompiler
import ZKField
import ZKModel
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// Completeness on small random graphs: every proof the toolkit writes verifies.
///
/// Each case builds a random graph of two or three layers (a random one — a table with
/// `f(0) ≠ 0` one time in three —, a side branch for a binary operator, the ending) on small
/// shapes that are not powers of two (so tensors have padding slots), ending in one supported
/// operator, then compiles it, runs integer inference, checks the witness with the independent
/// ``CircuitChecker``, proves and verifies. One proof per operator: about 14 s on two cores in a
/// debug build. The seed is fixed (`ZK_TEST_SEED` explores others) and named in every failure.
@Suite("Compiler: random graphs on non-power-of-two shapes")
struct RandomGraphTests {
    /// The operator a graph ends in.
    enum Ending: String, CaseIterable, Sendable {
        case gemm, matMul, conv, maxPool, averagePool, globalAveragePool
        case relu, clip, sigmoid, tanh, batchNormalization
        case addConstant, subConstant, mulConstant, add, sub, product, concat
        case flatten, reshape, transpose, identity, softmax
    }

    static let seed = SeededGenerator.testSeed(default: 0x5eed)

    @Test(arguments: Ending.allCases.enumerated().map { ($0.offset, $0.element) })
    func endingIn(index: Int, ending: Ending) throws {
        var rng = SeededGenerator.forTest(stream: 700 + UInt64(index))
        let builder = RandomGraph(ending: ending, rng: &rng)
        let graph = builder.graph
        let context = "ZK_TEST_SEED=\(Self.seed), ending \(ending): \(builder.summary)"
        let shape = graph.inputs[0].shape
        // Calibration inputs of magnitude 1/2…1 with random signs: calibrated ranges closer to the
        // worst case keep the requantization tables small (and the proofs cheap).
        let count = shape.reduce(1, *)
        let calibration = try (0..<8).map { _ in
            ["x": try FloatTensor(shape: shape, values: (0..<count).map { _ in
                Float(0.5 + Double(rng.next() % 1000) / 2000) * (rng.next() % 2 == 0 ? 1 : -1)
            })]
        }
        // An input outside the calibrated range too (clamped), so saturation is exercised.
        let input = CompilerTests.inputs(shape, count: 1, &rng)[0]["x"]!.values.map { $0 * 1.5 }
        var step = "compile"
        do {
            let model = try Compiler.compile(graph, calibration: calibration)
            step = "integer inference"
            let inference = try model.run(input: input)
            if let failure = CircuitChecker.check(model.circuit, inference.witness) {
                Issue.record("\(context): the honest witness fails the circuit checker: \(failure)"); return
            }
            step = "setup"
            let pk = try Setup.run(circuit: model.circuit, known: model.known, field: Fr.self)
            step = "prove"
            let proof = try Prover.prove(provingKey: pk, witness: inference.witness)
            step = "verify (the honest proof is rejected)"
            try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
            #expect(proof.publicOutput == inference.outputIntegers, "\(context)")
        } catch {
            Issue.record("\(context): \(step) failed: \(error)")
        }
    }
}

/// A random chain of layers `x → … → ending`, with side branches for the binary operators.
struct RandomGraph {
    private(set) var nodes: [ModelNode] = []
    private(set) var initializers: [String: TensorValue] = [:]
    private var counter = 0
    /// The current value and its shape (batch of 1 first).
    private var current = "x"
    private var shape: [Int]
    private let inputShape: [Int]

    var graph: ModelGraph {
        ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: inputShape))],
            outputs: [ValueInfo(name: current, type: TensorType(shape: shape))],
            initializers: initializers, nodes: nodes)
    }

    /// `x[shape] → name:Op → … [output shape]`, for failure messages.
    var summary: String {
        "x\(inputShape) → " + nodes.map { "\($0.name):\($0.op.name)" }.joined(separator: " → ") + " \(shape)"
    }

    init(ending: RandomGraphTests.Ending, rng: inout SeededGenerator) {
        let spatialEndings: Set<RandomGraphTests.Ending> = [.conv, .maxPool, .averagePool, .globalAveragePool, .transpose]
        let vectorEndings: Set<RandomGraphTests.Ending> = [.gemm, .matMul, .softmax]
        let spatial = spatialEndings.contains(ending) || (!vectorEndings.contains(ending) && rng.next() % 2 == 0)
        // Small dimensions that are not powers of two (channels may be): every tensor has padding.
        let odd = [3, 5, 6]
        inputShape = spatial
            ? [1, 1 + Int(rng.next() % 2), [3, 5].randomElement(using: &rng)!, [3, 5].randomElement(using: &rng)!]
            : [1, odd.randomElement(using: &rng)!]
        shape = inputShape
        randomStep(&rng, flatten: !spatialEndings.contains(ending))
        if vectorEndings.contains(ending), shape.count == 4 { flatten() }
        apply(ending, &rng)
    }

    // MARK: Steps

    private mutating func name(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    private mutating func constant(_ shape: [Int], _ rng: inout SeededGenerator, scale: Float = 0.5) -> String {
        let key = name("c")
        initializers[key] = CompilerTests.tensor(shape, &rng, scale: scale)
        return key
    }

    @discardableResult
    private mutating func append(_ op: Operator, _ inputs: [String], shape: [Int], setCurrent: Bool = true) -> String {
        let output = name("v")
        nodes.append(ModelNode(name: name("\(op.name.lowercased())_"), op: op, inputs: inputs, outputs: [output]))
        if setCurrent {
            current = output
            self.shape = shape
        }
        return output
    }

    private var channels: Int { shape[1] }

    /// One random layer that preserves the rank (or flattens).
    private mutating func randomStep(_ rng: inout SeededGenerator, flatten: Bool) {
        let vectorSteps: [RandomGraphTests.Ending] = [
            .gemm, .matMul, .relu, .clip, .sigmoid, .tanh, .batchNormalization, .addConstant, .subConstant,
            .mulConstant, .add, .sub, .product, .concat, .identity, .reshape,
        ]
        let spatialSteps: [RandomGraphTests.Ending] = [
            .conv, .maxPool, .averagePool, .relu, .clip, .sigmoid, .tanh, .batchNormalization,
            .addConstant, .subConstant, .mulConstant, .add, .sub, .product, .concat, .transpose, .flatten,
        ]
        let steps = shape.count == 4 ? spatialSteps.filter { flatten || $0 != .flatten } : vectorSteps
        // One step in three is a table whose padding slots hold a nonzero f(0) (Sigmoid, or a
        // Clip with a positive lower bound, half the time): the case that needs masking.
        let step = rng.next() % 3 == 0 ? [.sigmoid, .clip].randomElement(using: &rng)! : steps.randomElement(using: &rng)!
        apply(step, &rng)
    }

    private mutating func flatten() {
        append(.flatten(axis: 1), [current], shape: [1, shape.dropFirst().reduce(1, *)])
    }

    /// A second activation of the current shape, from the current value (a side branch).
    private mutating func branch(_ rng: inout SeededGenerator) -> String {
        switch rng.next() % 3 {
        case 0: return append(.relu, [current], shape: shape, setCurrent: false)
        case 1: return append(.sigmoid, [current], shape: shape, setCurrent: false)
        default: return append(.tanh, [current], shape: shape, setCurrent: false)
        }
    }

    /// A constant that broadcasts per channel (or a scalar).
    private mutating func channelConstant(_ rng: inout SeededGenerator) -> String {
        if rng.next() % 2 == 0 { return constant([], &rng) }
        return constant(shape.count == 4 ? [channels, 1, 1] : [channels], &rng)
    }

    private mutating func apply(_ step: RandomGraphTests.Ending, _ rng: inout SeededGenerator) {
        let odd = [3, 5, 6]
        switch step {
        case .gemm:
            let m = odd.randomElement(using: &rng)!
            let transposed = rng.next() % 2 == 0
            let w = constant(transposed ? [m, shape[1]] : [shape[1], m], &rng)
            let b = constant([m], &rng)
            append(.gemm(GemmAttributes(transposeB: transposed)), [current, w, b], shape: [1, m])
        case .matMul:
            let m = odd.randomElement(using: &rng)!
            let w = constant([shape[1], m], &rng)
            append(.matMul, [current, w], shape: [1, m])
            if rng.next() % 2 == 0 { append(.add, [current, constant([m], &rng)], shape: [1, m]) }
        case .conv:
            let (h, w) = (shape[2], shape[3])
            let k = 1 + Int(rng.next() % UInt64(min(3, h, w)))
            var pad = Int(rng.next() % 2), stride = 1 + Int(rng.next() % 2)
            if (min(h, w) + 2 * pad - k) / stride + 1 < 2 { (pad, stride) = (k / 2, 1) }   // keep room for a pool
            let depthwise = channels > 1 && rng.next() % 3 == 0
            let out = depthwise ? channels : 1 + Int(rng.next() % 3)
            let kernel = constant([out, depthwise ? 1 : channels, k, k], &rng)
            let bias = constant([out], &rng)
            let ho = (h + 2 * pad - k) / stride + 1, wo = (w + 2 * pad - k) / stride + 1
            append(.conv(ConvolutionAttributes(strides: [stride, stride], padding: .explicit([pad, pad, pad, pad]),
                                               group: depthwise ? channels : 1)),
                   [current, kernel, bias], shape: [1, out, ho, wo])
        case .maxPool, .averagePool:
            let (h, w) = (shape[2], shape[3])
            let kernel = [min(2, h), min(2, w)]
            var stride = 1 + Int(rng.next() % 2)
            if (min(h, w) - 2) / stride + 1 < 2 { stride = 1 }
            let attributes = PoolingAttributes(kernelShape: kernel, strides: [stride, stride])
            let pooled = [1, channels, (h - kernel[0]) / stride + 1, (w - kernel[1]) / stride + 1]
            append(step == .maxPool ? .maxPool(attributes) : .averagePool(attributes), [current], shape: pooled)
        case .globalAveragePool:
            append(.globalAveragePool, [current], shape: [1, channels, 1, 1])
        case .relu:
            append(.relu, [current], shape: shape)
        case .clip:
            // Sometimes a positive lower bound: the clamp table then maps 0 to a nonzero value.
            let positive = rng.next() % 2 == 0
            append(.clip(minimum: positive ? 0.1 : -0.4, maximum: positive ? nil : 0.6), [current], shape: shape)
        case .sigmoid:
            append(.sigmoid, [current], shape: shape)
        case .tanh:
            append(.tanh, [current], shape: shape)
        case .batchNormalization:
            let gamma = constant([channels], &rng), beta = constant([channels], &rng), mean = constant([channels], &rng)
            let variance = name("c")
            initializers[variance] = .float(try! FloatTensor(
                shape: [channels], values: (0..<channels).map { _ in 0.5 + Float(rng.next() % 100) / 100 }))
            append(.batchNormalization(epsilon: 1e-5), [current, gamma, beta, mean, variance], shape: shape)
        case .addConstant:
            let c = channelConstant(&rng)
            append(.add, rng.next() % 2 == 0 ? [current, c] : [c, current], shape: shape)
        case .subConstant:
            let c = channelConstant(&rng)
            append(.sub, rng.next() % 2 == 0 ? [current, c] : [c, current], shape: shape)
        case .mulConstant:
            append(.mul, [current, channelConstant(&rng)], shape: shape)
        case .add, .sub, .product:
            let other = branch(&rng)
            let op: Operator = step == .add ? .add : step == .sub ? .sub : .mul
            append(op, rng.next() % 2 == 0 ? [current, other] : [other, current], shape: shape)
        case .concat:
            let other = branch(&rng)
            var joined = shape
            joined[1] *= 2
            append(.concat(axis: 1), [current, other], shape: joined)
        case .flatten:
            flatten()
        case .reshape:
            if shape.count == 4 {
                let target = [1, channels, shape[3], shape[2]]
                append(.reshape(shape: [1, channels, -1, shape[2]], allowZero: false), [current], shape: target)
            } else {
                append(.reshape(shape: [1, -1], allowZero: false), [current], shape: shape)
            }
        case .transpose:
            append(.transpose(permutation: [0, 1, 3, 2]), [current], shape: [1, channels, shape[3], shape[2]])
        case .identity:
            append(.identity, [current], shape: shape)
        case .softmax:
            append(.softmax(axis: -1), [current], shape: shape)
        }
    }
}
