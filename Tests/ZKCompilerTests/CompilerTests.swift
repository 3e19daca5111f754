import Testing
import ZKCircuit
import ZKCompiler
import ZKField
import ZKModel
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// The compiler against the float reference executor: integer inference within the documented
/// tolerance, proofs that verify, foldings (bias Add, BatchNormalization) and the all-at-once
/// report of unsupported nodes.
@Suite("Compiler")
struct CompilerTests {
    static func tensor(_ shape: [Int], _ rng: inout SeededGenerator, scale: Float = 0.3) -> TensorValue {
        let count = shape.reduce(1, *)
        let values = (0..<count).map { _ in Float(Int64(rng.next() % 2001) - 1000) / 1000 * scale }
        return .float(try! FloatTensor(shape: shape, values: values))
    }

    static func inputs(_ shape: [Int], count: Int, _ rng: inout SeededGenerator) -> [[String: FloatTensor]] {
        (0..<count).map { _ in ["x": tensor(shape, &rng, scale: 1).floatTensor] }
    }

    /// x[1,16] → Gemm(16→12) → Relu → MatMul(12→6) → Add(bias) → Softmax.
    static func mlp(_ rng: inout SeededGenerator) -> ModelGraph {
        ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 16]))],
            outputs: [ValueInfo(name: "p", type: TensorType(shape: [1, 6]))],
            initializers: ["w1": tensor([12, 16], &rng), "b1": tensor([12], &rng), "w2": tensor([12, 6], &rng), "b2": tensor([6], &rng)],
            nodes: [
                ModelNode(name: "fc1", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["x", "w1", "b1"], outputs: ["h"]),
                ModelNode(name: "act1", op: .relu, inputs: ["h"], outputs: ["a"]),
                ModelNode(name: "fc2", op: .matMul, inputs: ["a", "w2"], outputs: ["m"]),
                ModelNode(name: "bias2", op: .add, inputs: ["m", "b2"], outputs: ["l"]),
                ModelNode(name: "softmax", op: .softmax(axis: -1), inputs: ["l"], outputs: ["p"]),
            ])
    }

    /// x[1,1,10,10] → Conv(1→4, 3×3, pad 1) → BatchNorm → Relu → MaxPool 2×2 → Flatten → Gemm(100→5).
    static func cnn(_ rng: inout SeededGenerator) -> ModelGraph {
        var initializers: [String: TensorValue] = [
            "k": tensor([4, 1, 3, 3], &rng), "kb": tensor([4], &rng), "w": tensor([5, 100], &rng), "wb": tensor([5], &rng),
            "gamma": tensor([4], &rng), "beta": tensor([4], &rng), "mean": tensor([4], &rng),
        ]
        initializers["var"] = .float(try! FloatTensor(shape: [4], values: [0.5, 1.0, 1.5, 2.0]))
        return ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 1, 10, 10]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 5]))],
            initializers: initializers,
            nodes: [
                ModelNode(name: "conv", op: .conv(ConvolutionAttributes(padding: .explicit([1, 1, 1, 1]))),
                          inputs: ["x", "k", "kb"], outputs: ["c"]),
                ModelNode(name: "bn", op: .batchNormalization(epsilon: 1e-5), inputs: ["c", "gamma", "beta", "mean", "var"],
                          outputs: ["n"]),
                ModelNode(name: "relu", op: .relu, inputs: ["n"], outputs: ["r"]),
                ModelNode(name: "pool", op: .maxPool(PoolingAttributes(kernelShape: [2, 2], strides: [2, 2])),
                          inputs: ["r"], outputs: ["m"]),
                ModelNode(name: "flat", op: .flatten(axis: 1), inputs: ["m"], outputs: ["f"]),
                ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["f", "w", "wb"], outputs: ["y"]),
            ])
    }

    /// Compiles, checks integer inference against the float executor and the witness against the
    /// circuit on three inputs, and proves and verifies the first (a proof of the others walks the
    /// same circuit, tables and commitments, and proving is most of a debug build's time).
    /// Returns the largest error seen, relative to the reference's range.
    @discardableResult
    func roundTrip(
        _ graph: ModelGraph, inputShape: [Int], stream: UInt64, tolerance: Double, options: CompileOptions = CompileOptions()
    ) throws -> Double {
        var rng = SeededGenerator.forTest(stream: stream)
        let calibration = Self.inputs(inputShape, count: 8, &rng)
        let model = try Compiler.compile(graph, calibration: calibration, options: options)
        var worst = 0.0
        let executor = try FloatExecutor(graph: graph)
        for (index, sample) in Self.inputs(inputShape, count: 3, &rng).enumerated() {
            let reference = try executor.run(sample)[graph.outputs[0].name]!.values.map(Double.init)
            let inference = try model.run(input: sample["x"]!.values)
            #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
            let range = max(reference.map(abs).max()!, 1e-3)
            for (a, b) in zip(inference.output, reference) {
                #expect(abs(a - b) <= tolerance * range, "integer \(a) vs float \(b)")
                worst = max(worst, abs(a - b) / range)
            }
            guard index == 0 else { continue }
            let pk = try Setup.run(circuit: model.circuit, known: model.known, field: Fr.self)
            let proof = try Prover.prove(provingKey: pk, witness: inference.witness)
            try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
            #expect(proof.publicOutput == inference.outputIntegers)
        }
        return worst
    }

    @Test func mlpWithBiasAddAndTrailingSoftmax() throws {
        var rng = SeededGenerator.forTest(stream: 500)
        let graph = Self.mlp(&rng)
        try roundTrip(graph, inputShape: [1, 16], stream: 501, tolerance: 0.1)   // probabilities: softmax amplifies int8 logit error
        let model = try Compiler.compile(graph, calibration: Self.inputs([1, 16], count: 4, &rng))
        #expect(model.outputPostprocessing == .softmax)
        #expect(model.layers.count == 2)
        #expect(model.circuit.relations.contains { $0.kind == "matMul" })
    }

    @Test func cnnWithFoldedBatchNormalization() throws {
        var rng = SeededGenerator.forTest(stream: 510)
        try roundTrip(Self.cnn(&rng), inputShape: [1, 1, 10, 10], stream: 511, tolerance: 0.08)
    }

    @Test func unsupportedNodesAreReportedTogether() throws {
        var rng = SeededGenerator.forTest(stream: 520)
        var graph = Self.mlp(&rng)
        // Two reductions no relation proves (a product, a log-sum-exp), over no axes (shape-preserving).
        graph.nodes.insert(ModelNode(name: "odd1", op: .reduce(Reduction(kind: .product, axes: [], keepDims: true)),
                                     inputs: ["a"], outputs: ["t"]), at: 2)
        graph.nodes[3] = ModelNode(name: "fc2", op: .matMul, inputs: ["t", "w2"], outputs: ["m"])
        graph.nodes.append(ModelNode(name: "odd2", op: .reduce(Reduction(kind: .logSumExp, axes: [], keepDims: true)),
                                     inputs: ["p"], outputs: ["q"]))
        graph.outputs = [ValueInfo(name: "q", type: TensorType(shape: [1, 6]))]
        let calibration = Self.inputs([1, 16], count: 2, &rng)
        let error = #expect(throws: CompileError.self) { _ = try Compiler.compile(graph, calibration: calibration) }
        guard case .unsupported(let nodes)? = error else { Issue.record("expected unsupported nodes, got \(String(describing: error))"); return }
        #expect(nodes.map(\.name).contains("odd1"))
        #expect(nodes.map(\.name).contains("odd2"))
        #expect(error?.description.contains("odd1") == true)
    }

    @Test func multiplierAndShiftApproximateTheRatio() throws {
        for ratio in [1e-6, 3.3e-4, 0.01, 0.5, 0.999, 1.7, 100.0] {
            let (m, s) = try #require(Quantization_testHook.multiplier(ratio))
            #expect(m >= 1 << 13 && m < 1 << 16 || s == 1)
            #expect(abs(Double(m) / Double(1 << s) - ratio) <= ratio * 1e-4 + 1e-12)
        }
        // No fixed-point pair for these: the compiler refuses the layer instead of trapping.
        for ratio in [0, -1, .nan, .infinity, 1e30, 1e-30] {
            #expect(Quantization_testHook.multiplier(ratio) == nil, "\(ratio)")
        }
    }
}

@Suite("Compiler: residual connections, scalar products, concatenation")
struct CompilerElementwiseTests {
    /// x → Gemm → Relu = h; r = Relu(h + x); m = (h − x) · 0.5; c = Concat(r, m); y = Gemm(c).
    static func graph(_ rng: inout SeededGenerator) -> ModelGraph {
        ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 16]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 8]))],
            initializers: [
                "w1": CompilerTests.tensor([16, 16], &rng), "b1": CompilerTests.tensor([16], &rng),
                "w2": CompilerTests.tensor([8, 32], &rng), "half": .float(try! FloatTensor(shape: [], values: [0.5])),
            ],
            nodes: [
                ModelNode(name: "fc1", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["x", "w1", "b1"], outputs: ["g"]),
                ModelNode(name: "act", op: .relu, inputs: ["g"], outputs: ["h"]),
                ModelNode(name: "residual", op: .add, inputs: ["h", "x"], outputs: ["s"]),
                ModelNode(name: "act2", op: .relu, inputs: ["s"], outputs: ["r"]),
                ModelNode(name: "difference", op: .sub, inputs: ["h", "x"], outputs: ["d"]),
                ModelNode(name: "halve", op: .mul, inputs: ["d", "half"], outputs: ["m"]),
                ModelNode(name: "join", op: .concat(axis: 1), inputs: ["r", "m"], outputs: ["c"]),
                ModelNode(name: "fc2", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["c", "w2"], outputs: ["y"]),
            ])
    }

    @Test func compilesRunsAndProves() throws {
        var rng = SeededGenerator.forTest(stream: 530)
        let graph = Self.graph(&rng)
        let calibration = CompilerTests.inputs([1, 16], count: 8, &rng)
        let model = try Compiler.compile(graph, calibration: calibration)
        #expect(model.circuit.relations.contains { $0.kind == "add" })
        #expect(model.circuit.relations.contains { $0.kind == "concat" })
        let executor = try FloatExecutor(graph: graph)
        for (index, sample) in CompilerTests.inputs([1, 16], count: 2, &rng).enumerated() {
            let reference = try executor.run(sample)["y"]!.values.map(Double.init)
            let inference = try model.run(input: sample["x"]!.values)
            #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
            let range = reference.map(abs).max()!
            for (a, b) in zip(inference.output, reference) { #expect(abs(a - b) <= 0.1 * range, "\(a) vs \(b)") }
            guard index == 0 else { continue }   // both witnesses checked; one proof (as in roundTrip)
            let pk = try Setup.run(circuit: model.circuit, known: model.known, field: Fr.self)
            let proof = try Prover.prove(provingKey: pk, witness: inference.witness)
            try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        }
    }
}
