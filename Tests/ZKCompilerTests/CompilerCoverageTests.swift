import Testing
import ZKCircuit
import ZKCompiler
import ZKField
import ZKModel
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// Operators outside a linear layer's fusion (standalone activations, BatchNormalization on its
/// own, Mul/Add/Sub with constants) and quantization wider than 8 bits.
@Suite("Compiler: standalone activations, per-channel affine steps, --bits")
struct CompilerCoverageTests {
    static func constant(_ shape: [Int], _ values: [Float]) -> TensorValue {
        .float(try! FloatTensor(shape: shape, values: values))
    }

    /// x[1,2,6,6] → BatchNorm (on the input itself) → Sigmoid → Conv(2→4, 3×3, pad 1) →
    /// AveragePool 2×2 → Tanh → Mul by a per-channel constant (signs mixed) → Add a scalar → Relu
    /// (fused into that Add) → Sub from a per-channel constant → Flatten → Gemm(36→3).
    static func graph(_ rng: inout SeededGenerator) -> ModelGraph {
        ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 2, 6, 6]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 3]))],
            initializers: [
                "gamma": constant([2], [1.5, -0.7]), "beta": constant([2], [0.2, -0.1]),
                "mean": constant([2], [0.1, -0.2]), "var": constant([2], [0.8, 1.3]),
                "k": CompilerTests.tensor([4, 2, 3, 3], &rng), "kb": CompilerTests.tensor([4], &rng),
                "scales": constant([1, 4, 1, 1], [2.0, -0.5, 1.25, -3.0]), "shift": constant([], [0.1]),
                "base": constant([4, 1, 1], [0.5, -0.25, 0.0, 1.0]),
                "w": CompilerTests.tensor([3, 36], &rng), "wb": CompilerTests.tensor([3], &rng),
            ],
            nodes: [
                ModelNode(name: "bn", op: .batchNormalization(epsilon: 1e-5), inputs: ["x", "gamma", "beta", "mean", "var"],
                          outputs: ["n"]),
                ModelNode(name: "sig", op: .sigmoid, inputs: ["n"], outputs: ["s"]),
                ModelNode(name: "conv", op: .conv(ConvolutionAttributes(padding: .explicit([1, 1, 1, 1]))),
                          inputs: ["s", "k", "kb"], outputs: ["c"]),
                ModelNode(name: "pool", op: .averagePool(PoolingAttributes(kernelShape: [2, 2], strides: [2, 2])),
                          inputs: ["c"], outputs: ["p"]),
                ModelNode(name: "tanh", op: .tanh, inputs: ["p"], outputs: ["t"]),
                ModelNode(name: "scale", op: .mul, inputs: ["t", "scales"], outputs: ["m"]),
                ModelNode(name: "shift", op: .add, inputs: ["shift", "m"], outputs: ["a"]),
                ModelNode(name: "relu", op: .relu, inputs: ["a"], outputs: ["r"]),
                ModelNode(name: "reflect", op: .sub, inputs: ["base", "r"], outputs: ["d"]),
                ModelNode(name: "flat", op: .flatten(axis: 1), inputs: ["d"], outputs: ["f"]),
                ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["f", "w", "wb"], outputs: ["y"]),
            ])
    }

    /// The largest error of integer inference against the float executor, relative to the
    /// reference's range, over a few inputs (no proof).
    static func integerError(_ graph: ModelGraph, inputShape: [Int], options: CompileOptions) throws -> Double {
        var rng = SeededGenerator.forTest(stream: 640)
        // Calibrated on the samples themselves, so nothing saturates and only rounding is left.
        let samples = CompilerTests.inputs(inputShape, count: 8, &rng)
        let model = try Compiler.compile(graph, calibration: samples, options: options)
        let executor = try FloatExecutor(graph: graph)
        var worst = 0.0
        for sample in samples.prefix(3) {
            let reference = try executor.run(sample)[graph.outputs[0].name]!.values.map(Double.init)
            let inference = try model.run(input: sample["x"]!.values)
            #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
            let range = max(reference.map(abs).max()!, 1e-3)
            for (a, b) in zip(inference.output, reference) { worst = max(worst, abs(a - b) / range) }
        }
        return worst
    }

    @Test func standaloneActivationsAndAffineStepsProve() throws {
        var rng = SeededGenerator.forTest(stream: 600)
        let graph = Self.graph(&rng)
        try CompilerTests().roundTrip(graph, inputShape: [1, 2, 6, 6], stream: 601, tolerance: 0.1)
        let error8 = try Self.integerError(graph, inputShape: [1, 2, 6, 6], options: CompileOptions())
        let error16 = try Self.integerError(graph, inputShape: [1, 2, 6, 6], options: CompileOptions(bits: 16))
        #expect(error16 < error8 / 4, "16-bit error \(error16) vs 8-bit \(error8)")
        let model = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 2, 6, 6], count: 4, &rng))
        // BatchNorm, Mul, Add and Sub each became a depthwise 1×1 convolution; Sigmoid and Tanh lookups.
        #expect(model.circuit.relations.filter { $0.kind == "conv2d" }.count == 5)
        #expect(model.circuit.tables.contains { if case .function(let name, _, _) = $0 { name.hasPrefix("sigmoid") } else { false } })
        #expect(model.circuit.tables.contains { if case .function(let name, _, _) = $0 { name.hasPrefix("tanh") } else { false } })
    }

    /// A model that ends in a Sigmoid on a shape that is not a power of two (its table maps the
    /// zero padding to 1/2, so the public output is a masked copy), or in a Flatten (a view).
    @Test(arguments: [false, true]) func outputsThatAreNotPlainActivations(flatten: Bool) throws {
        var rng = SeededGenerator.forTest(stream: 605)
        var graph = Self.graph(&rng)
        graph.nodes = Array(graph.nodes.prefix(2))
        var outputShape = [1, 2, 6, 6]
        if flatten {
            graph.nodes.append(ModelNode(name: "flat", op: .flatten(axis: 1), inputs: ["s"], outputs: ["f"]))
            outputShape = [1, 72]
        }
        graph.outputs = [ValueInfo(name: graph.nodes.last!.outputs[0], type: TensorType(shape: outputShape))]
        try CompilerTests().roundTrip(graph, inputShape: [1, 2, 6, 6], stream: 606, tolerance: 0.02)
    }

    /// A per-channel affine step on a vector (rank 1) is viewed as `[C, 1, 1]` and back.
    @Test func affineStepOnAVector() throws {
        var rng = SeededGenerator.forTest(stream: 610)
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 8]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 8]))],
            initializers: ["c": Self.constant([8], [1, -2, 0.5, 3, -1, 0.25, 2, -0.5]), "w": CompilerTests.tensor([8, 8], &rng)],
            nodes: [
                ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["x", "w"], outputs: ["h"]),
                ModelNode(name: "scale", op: .mul, inputs: ["h", "c"], outputs: ["y"]),
            ])
        try CompilerTests().roundTrip(graph, inputShape: [1, 8], stream: 611, tolerance: 0.05)
    }

    /// Wider quantization: 12 and 16 bits track the float model far more closely than 8 bits,
    /// and commit int16 weights. Fidelity is a property of integer inference, so no proof here
    /// (proving at 12 or 16 bits walks tables of up to 2^20 rows: minutes in a debug build);
    /// ``provesAboveEightBits()`` proves at a wider width on a tiny model.
    @Test(arguments: [12, 16]) func widerQuantizationIsMoreFaithful(bits: Int) throws {
        var rng = SeededGenerator.forTest(stream: 620)
        let graph = CompilerTests.cnn(&rng)
        let error8 = try Self.integerError(graph, inputShape: [1, 1, 10, 10], options: CompileOptions())
        let error = try Self.integerError(graph, inputShape: [1, 1, 10, 10], options: CompileOptions(bits: bits))
        #expect(error < error8 / 4, "\(bits)-bit error \(error) vs 8-bit \(error8)")
        let model = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 1, 10, 10], count: 2, &rng),
                                         options: CompileOptions(bits: bits))
        #expect(model.bits == bits)
        let limit = (Int64(1) << Int64(bits - 1)) - 1
        #expect(model.circuit.tensors[model.circuit.input].maximum == limit)
        let pk = try Setup.run(circuit: model.circuit, known: model.known, field: Fr.self)
        #expect(pk.weightSlots.values.allSatisfy { $0.width == 16 })
    }

    /// A proof above 8 bits — int16 weights in the commitment and its openings, tables wider than
    /// 8 bits — on a tiny CNN at 9 bits, which keeps the tables small. (The CLI tests prove the
    /// zoo MLP at 12 bits.)
    @Test func provesAboveEightBits() throws {
        var rng = SeededGenerator.forTest(stream: 625)
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 1, 3, 3]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 2]))],
            initializers: ["k": CompilerTests.tensor([2, 1, 2, 2], &rng), "w": CompilerTests.tensor([2, 8], &rng)],
            nodes: [
                ModelNode(name: "conv", op: .conv(ConvolutionAttributes()), inputs: ["x", "k"], outputs: ["c"]),
                ModelNode(name: "relu", op: .relu, inputs: ["c"], outputs: ["r"]),
                ModelNode(name: "flat", op: .flatten(axis: 1), inputs: ["r"], outputs: ["f"]),
                ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["f", "w"], outputs: ["y"]),
            ])
        let samples = CompilerTests.inputs([1, 1, 3, 3], count: 4, &rng)
        let model = try Compiler.compile(graph, calibration: samples, options: CompileOptions(bits: 9))
        let inference = try model.run(input: samples[0]["x"]!.values)
        #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
        let pk = try Setup.run(circuit: model.circuit, known: model.known, field: Fr.self)
        #expect(pk.weightSlots.values.allSatisfy { $0.width == 16 })
        #expect(model.circuit.tables.contains { $0.rowCount > 256 })
        let proof = try Prover.prove(provingKey: pk, witness: inference.witness)
        try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        #expect(proof.publicOutput == inference.outputIntegers)
    }

    /// A QDQ model (as ONNX Runtime's static quantization or PyTorch's QAT export writes them):
    /// weights stored as int8 behind DequantizeLinear (per-channel scales), activations wrapped
    /// in QuantizeLinear → DequantizeLinear (uint8 with a zero point). It compiles by folding the
    /// weight dequantization and reading through the activation pairs, and tracks the float
    /// executor's QDQ semantics.
    @Test func qdqModelCompilesAndProves() throws {
        var rng = SeededGenerator.forTest(stream: 650)
        let weights = (0..<(6 * 16)).map { _ in Int64(rng.next() % 255) - 127 }
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 16]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 6]))],
            initializers: [
                "wq": .integer(try IntegerTensor(shape: [6, 16], values: weights, elementType: .int8)),
                "ws": Self.constant([6], [0.004, 0.003, 0.005, 0.002, 0.004, 0.006]),
                "xs": Self.constant([], [1.0 / 127]), "xz": .integer(try IntegerTensor(shape: [], values: [128], elementType: .uint8)),
                "hs": Self.constant([], [0.02]), "hz": .integer(try IntegerTensor(shape: [], values: [0], elementType: .uint8)),
                "b": CompilerTests.tensor([6], &rng),
            ],
            nodes: [
                ModelNode(name: "xq", op: .quantizeLinear(axis: 1), inputs: ["x", "xs", "xz"], outputs: ["xq"]),
                ModelNode(name: "xdq", op: .dequantizeLinear(axis: 1), inputs: ["xq", "xs", "xz"], outputs: ["xd"]),
                ModelNode(name: "wdq", op: .dequantizeLinear(axis: 0), inputs: ["wq", "ws"], outputs: ["w"]),
                ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["xd", "w", "b"], outputs: ["h"]),
                ModelNode(name: "relu", op: .relu, inputs: ["h"], outputs: ["r"]),
                ModelNode(name: "hq", op: .quantizeLinear(axis: 1), inputs: ["r", "hs", "hz"], outputs: ["rq"]),
                ModelNode(name: "hdq", op: .dequantizeLinear(axis: 1), inputs: ["rq", "hs", "hz"], outputs: ["y"]),
            ])
        try CompilerTests().roundTrip(graph, inputShape: [1, 16], stream: 651, tolerance: 0.05)
    }

    /// Mul of two activations (a gate): h = Gemm(x); g = Sigmoid(Gemm(x)); y = h ⊙ g, then Relu.
    @Test func productOfTwoActivations() throws {
        var rng = SeededGenerator.forTest(stream: 660)
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 12]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 10]))],
            initializers: ["w1": CompilerTests.tensor([10, 12], &rng), "w2": CompilerTests.tensor([10, 12], &rng)],
            nodes: [
                ModelNode(name: "fc1", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["x", "w1"], outputs: ["h"]),
                ModelNode(name: "fc2", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["x", "w2"], outputs: ["z"]),
                ModelNode(name: "gate", op: .sigmoid, inputs: ["z"], outputs: ["g"]),
                ModelNode(name: "product", op: .mul, inputs: ["h", "g"], outputs: ["p"]),
                ModelNode(name: "relu", op: .relu, inputs: ["p"], outputs: ["y"]),
            ])
        try CompilerTests().roundTrip(graph, inputShape: [1, 12], stream: 661, tolerance: 0.05)
        let model = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 12], count: 4, &rng))
        #expect(model.circuit.relations.contains { $0.kind == "mul" })
    }

    @Test func bitsOutsideEightToSixteenAreRefused() throws {
        var rng = SeededGenerator.forTest(stream: 630)
        let graph = CompilerTests.cnn(&rng)
        let calibration = CompilerTests.inputs([1, 1, 10, 10], count: 2, &rng)
        for bits in [4, 17] {
            #expect(throws: CompileError.self) { _ = try Compiler.compile(graph, calibration: calibration, options: CompileOptions(bits: bits)) }
        }
    }
}
