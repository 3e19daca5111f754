import Foundation
import Testing
import ZKCircuit
import ZKCompiler
import ZKModel
import ZKONNX
import ZKTesting

/// QDQ models (onnxruntime's default quantization format): their node groups are fused into the
/// operator-form nodes onnxruntime runs (docs/quantized-models.md, *QDQ models*), so the proven
/// integers are onnxruntime's; a group that does not match exactly keeps the calibrated path.
@Suite("QDQ models: onnxruntime's node groups fused")
struct QDQFusionTests {
    // MARK: The zoo's QDQ models (circuits/make_quantized.py)

    /// The requantizing layers each `_qdq` model compiles to (MaxPool and Flatten move integers
    /// and have none): the same as its `_qop` twin's operators.
    static let fusedLayers: [(String, [String])] = [
        ("mlp_784_128_10_qdq", ["QGemm", "QGemm"]),
        ("lenet5_qdq", ["QLinearConv", "QLinearConv", "QGemm", "QGemm", "QGemm"]),
        ("cnn2_24x24_qdq", ["QLinearConv", "QLinearConv", "QGemm"]),
        ("mlp_matmul_qdq", ["QLinearMatMul", "QLinearAdd", "QLinearMatMul", "QLinearAdd"]),
        ("lenet5_qdq_pc", ["QLinearConv", "QLinearConv", "QGemm", "QGemm", "QGemm"]),
    ]

    /// Each model compiles to the fused form with its input bound to its own QuantizeLinear, and
    /// the first inputs of ort_integers.json (onnxruntime at its default optimization level) give
    /// onnxruntime's integers exactly; the smallest model is proven and verified (all inputs:
    /// `zkml bench --onnxruntime`).
    @Test(arguments: fusedLayers)
    func zooModelCompilesFusedWithOnnxRuntimesIntegers(model: String, layers: [String]) throws {
        let (compiled, _) = try QuantizedZooTests.compile(model)
        #expect(compiled.layers.map(\.op) == layers)
        #expect(compiled.inputQuantization == .onnx)
        let file = ZooTests.root.appendingPathComponent(model).appendingPathComponent("ort_integers.json")
        let reference = try JSONDecoder().decode(QuantizedZooTests.RuntimeIntegers.self, from: Data(contentsOf: file))
        for (index, (input, expected)) in zip(reference.inputs, reference.integers).prefix(8).enumerated() {
            let inference = try compiled.run(input: input)
            #expect(inference.outputIntegers == expected, "\(model), input \(index)")
            if index == 0 {
                #expect(CircuitChecker.check(compiled.circuit, inference.witness) == nil)
                if model == "mlp_784_128_10_qdq" { try QuantizedZooTests.proveAndVerify(compiled, inference) }
            }
        }
    }

    // MARK: Hand-built groups

    static func scalar(_ value: Float) -> TensorValue { .float(try! FloatTensor(shape: [], values: [value])) }

    static func integers(_ shape: [Int], _ values: [Int64], _ type: ElementType) -> TensorValue {
        .integer(try! IntegerTensor(shape: shape, values: values, elementType: type))
    }

    /// What to change in ``gemmGroup(_:)`` so that the group no longer matches onnxruntime's rules.
    enum Variation: String, CaseIterable, Sendable {
        /// The group as quantize_static writes it, with a Relu between Gemm and its Q (zero point 0).
        case exact
        /// One weight scale per output row (and the bias's scales per row with them): fused.
        case perChannelWeights
        /// One weight scale per output row, but one bias scale: not the weights' `x_scale · w_scale`.
        case perChannelWeightsScalarBiasScale
        /// The bias's scale is not `x_scale · w_scale`.
        case biasScaleDiffers
        /// Q's zero point 128 does not make the Relu redundant.
        case reluNotRedundant
        /// A MatMul (no bias) followed by a float Sigmoid, not by a QuantizeLinear.
        case floatOperatorAfterMatMul
        /// A float Sigmoid between the Gemm and its Q: the Gemm has no Q of its own.
        case floatOperatorAfterGemm
    }

    /// x [1, 16] → Q(1/127, 128) → DQ → Gemm(DQ(w int8 [6, 16]), DQ(b int32)) → Relu → Q(0.02, 0) → DQ → y.
    static func gemmGroup(_ variation: Variation, seed: UInt64 = 700) -> ModelGraph {
        var rng = SeededGenerator.forTest(stream: seed)
        let (xs, ws): (Float, Float) = (1.0 / 127, 0.004)
        let weights = (0..<(6 * 16)).map { _ in Int64(rng.next() % 255) - 127 }
        let bias = (0..<6).map { _ in Int64(rng.next() % 4001) - 2000 }
        let perChannel = variation == .perChannelWeights || variation == .perChannelWeightsScalarBiasScale
        let channelScales: [Float] = [0.004, 0.003, 0.005, 0.002, 0.004, 0.006]
        let weightScale = perChannel ? TensorValue.float(try! FloatTensor(shape: [6], values: channelScales)) : scalar(ws)
        let biasScale = variation == .biasScaleDiffers ? xs * ws * 1.5 : xs * ws
        let biasScales = variation == .perChannelWeights
            ? TensorValue.float(try! FloatTensor(shape: [6], values: channelScales.map { xs * $0 }))
            : .float(try! FloatTensor(shape: [1], values: [biasScale]))
        let isMatMul = variation == .floatOperatorAfterMatMul
        let floatBetween = isMatMul || variation == .floatOperatorAfterGemm
        let linear = isMatMul
            ? ModelNode(name: "fc", op: .matMul, inputs: ["xd", "w"], outputs: ["h"])
            : ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["xd", "w", "b"], outputs: ["h"])
        return ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 16]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 6]))],
            initializers: [
                "xs": scalar(xs), "xz": integers([], [128], .uint8),
                "wq": integers(isMatMul ? [16, 6] : [6, 16], weights, .int8), "ws": weightScale,
                "wz": perChannel ? integers([6], [0, 0, 0, 0, 0, 0], .int8) : integers([], [0], .int8),
                "bq": integers([6], bias, .int32), "bs": biasScales,
                "bz": variation == .perChannelWeights ? integers([6], [0, 0, 0, 0, 0, 0], .int32) : integers([], [0], .int32),
                "hs": scalar(0.02), "hz": integers([], [variation == .reluNotRedundant ? 128 : 0], .uint8),
            ],
            nodes: [
                ModelNode(name: "xq", op: .quantizeLinear(axis: 1), inputs: ["x", "xs", "xz"], outputs: ["xq"]),
                ModelNode(name: "xdq", op: .dequantizeLinear(axis: 1), inputs: ["xq", "xs", "xz"], outputs: ["xd"]),
                ModelNode(name: "wdq", op: .dequantizeLinear(axis: 0), inputs: ["wq", "ws", "wz"], outputs: ["w"]),
                ModelNode(name: "bdq", op: .dequantizeLinear(axis: variation == .perChannelWeights ? 0 : 1), inputs: ["bq", "bs", "bz"],
                          outputs: ["b"]),
                linear,
                ModelNode(name: "act", op: floatBetween ? .sigmoid : .relu, inputs: ["h"], outputs: ["r"]),
                ModelNode(name: "hq", op: .quantizeLinear(axis: 1), inputs: ["r", "hs", "hz"], outputs: ["rq"]),
                ModelNode(name: "hdq", op: .dequantizeLinear(axis: 1), inputs: ["rq", "hs", "hz"], outputs: ["y"]),
            ])
    }

    /// The exact group becomes one QGemm (the Relu dropped: its Q's zero point is the type's
    /// minimum) reading the model's own input quantization; its integers are those of the QDQ
    /// graph run in float (onnxruntime without optimizations) within one step. With per-channel
    /// weights (a 1-D weight scale along axis 0, the bias's scales with it) too, and that one proves.
    @Test(arguments: [Variation.exact, .perChannelWeights])
    func exactGroupBecomesQGemm(_ variation: Variation) throws {
        let graph = Self.gemmGroup(variation)
        var rng = SeededGenerator.forTest(stream: 701)
        let calibration = CompilerTests.inputs([1, 16], count: 4, &rng)
        let compiled = try Compiler.compile(graph, calibration: calibration)
        #expect(compiled.layers.map(\.op) == ["QGemm"])
        #expect(compiled.inputQuantization == .onnx)
        let executor = try FloatExecutor(graph: graph)
        var equal = 0, total = 0
        for sample in CompilerTests.inputs([1, 16], count: 8, &rng) {
            let inference = try compiled.run(input: sample["x"]!.values)
            let unfused = try #require(try executor.run(sample)["y"]).values.map { Int64((Double($0) / 0.02).rounded()) }
            for (ours, theirs) in zip(inference.outputIntegers, unfused) {
                #expect(abs(ours - theirs) <= 1)
                equal += ours == theirs ? 1 : 0
                total += 1
            }
            #expect(CircuitChecker.check(compiled.circuit, inference.witness) == nil)
            if variation == .perChannelWeights && total == 6 { try QuantizedZooTests.proveAndVerify(compiled, inference) }
        }
        #expect(equal * 10 >= total * 9, "\(equal) of \(total) integers equal")
        // Per channel: the accumulator is scaled by each row's factor before one requantization.
        #expect(compiled.circuit.relations.contains { $0.kind == "mul" } == (variation == .perChannelWeights))
    }

    /// A group onnxruntime would not fuse, or that the circuit cannot prove with one multiplier,
    /// is left as it is: the QuantizeLinear/DequantizeLinear pairs read through and the model is
    /// quantized by calibration, as before (a float Gemm layer, a calibrated input); it still proves.
    @Test(arguments: [Variation.perChannelWeightsScalarBiasScale, .biasScaleDiffers, .reluNotRedundant, .floatOperatorAfterMatMul])
    func inexactGroupIsLeftAlone(_ variation: Variation) throws {
        let graph = Self.gemmGroup(variation)
        var rng = SeededGenerator.forTest(stream: 702)
        let compiled = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 16], count: 4, &rng))
        #expect(compiled.layers.first?.op == (variation == .floatOperatorAfterMatMul ? "MatMul" : "Gemm"),
                "\(compiled.layers.map(\.op))")
        #expect(!compiled.layers.contains { $0.op.hasPrefix("Q") })
        #expect(compiled.inputQuantization == .calibrated)
        _ = try CompilerTests().roundTrip(graph, inputShape: [1, 16], stream: 703, tolerance: 0.1)
    }

    /// A Gemm whose output goes to a float operator is still fused, as onnxruntime fuses it: a
    /// QGemm with a float output (`acc · x_scale · w_scale`), which the Sigmoid after it reads
    /// (narrowed to its calibrated scale); the input stays the model's own quantization.
    @Test func gemmWithoutQuantizeLinearBecomesQGemmWithAFloatOutput() throws {
        let graph = Self.gemmGroup(.floatOperatorAfterGemm)
        var rng = SeededGenerator.forTest(stream: 704)
        let compiled = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 16], count: 4, &rng))
        #expect(!compiled.layers.contains { $0.op == "Gemm" }, "\(compiled.layers.map(\.op))")
        #expect(compiled.inputQuantization == .onnx)
        _ = try CompilerTests().roundTrip(graph, inputShape: [1, 16], stream: 705, tolerance: 0.05)
    }

    /// A Gemm whose float output is the model's output becomes a QGemm with a float output too:
    /// the proven integers are the exact accumulator, at scale `x_scale · w_scale`.
    @Test func gemmAtTheModelOutputBecomesQGemmWithAFloatOutput() throws {
        var graph = Self.gemmGroup(.exact)
        graph.nodes.removeLast(3)
        graph.outputs = [ValueInfo(name: "h", type: TensorType(shape: [1, 6]))]
        var rng = SeededGenerator.forTest(stream: 706)
        let compiled = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 16], count: 4, &rng))
        #expect(compiled.inputQuantization == .onnx)
        #expect(compiled.layers.isEmpty)
        #expect(compiled.outputScale == Double(Float(1.0 / 127) * 0.004))
        let sample = CompilerTests.inputs([1, 16], count: 1, &rng)[0]
        let inference = try compiled.run(input: sample["x"]!.values)
        let unfused = try #require(try FloatExecutor(graph: graph).run(sample)["h"]).values
        for (ours, theirs) in zip(inference.output, unfused) { #expect(abs(ours - Double(theirs)) <= 1e-5) }
        #expect(CircuitChecker.check(compiled.circuit, inference.witness) == nil)
    }

    /// A Clip(0, 6) between two quantized layers, alone in its own DQ → Clip → Q section, whose
    /// bounds cover the Q's range `[0, 255 · 0.02]`: the Clip is dropped, the `DQ → Q` pair
    /// left with equal parameters disappears, and the two Gemms become QGemms reading each other.
    @Test func redundantClipAndItsQuantizationPairDisappear() throws {
        var graph = Self.gemmGroup(.exact)
        var rng = SeededGenerator.forTest(stream: 720)
        graph.initializers["w2q"] = Self.integers([4, 6], (0..<24).map { _ in Int64(rng.next() % 255) - 127 }, .int8)
        graph.initializers["w2s"] = Self.scalar(0.01)
        graph.initializers["w2z"] = Self.integers([], [0], .int8)
        graph.initializers["ys"] = Self.scalar(0.05)
        graph.initializers["yz"] = Self.integers([], [128], .uint8)
        graph.nodes.removeLast()
        graph.nodes += [
            ModelNode(name: "hdq", op: .dequantizeLinear(axis: 1), inputs: ["rq", "hs", "hz"], outputs: ["hd"]),
            ModelNode(name: "relu6", op: .clip(minimum: 0, maximum: 6), inputs: ["hd"], outputs: ["c"]),
            ModelNode(name: "cq", op: .quantizeLinear(axis: 1), inputs: ["c", "hs", "hz"], outputs: ["cq"]),
            ModelNode(name: "cdq", op: .dequantizeLinear(axis: 1), inputs: ["cq", "hs", "hz"], outputs: ["cd"]),
            ModelNode(name: "w2dq", op: .dequantizeLinear(axis: 0), inputs: ["w2q", "w2s", "w2z"], outputs: ["w2"]),
            ModelNode(name: "fc2", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["cd", "w2"], outputs: ["z"]),
            ModelNode(name: "zq", op: .quantizeLinear(axis: 1), inputs: ["z", "ys", "yz"], outputs: ["zq"]),
            ModelNode(name: "zdq", op: .dequantizeLinear(axis: 1), inputs: ["zq", "ys", "yz"], outputs: ["y"]),
        ]
        graph.outputs = [ValueInfo(name: "y", type: TensorType(shape: [1, 4]))]
        let compiled = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 16], count: 4, &rng))
        #expect(compiled.layers.map(\.op) == ["QGemm", "QGemm"])
        #expect(compiled.inputQuantization == .onnx)
        let sample = CompilerTests.inputs([1, 16], count: 1, &rng)[0]
        let inference = try compiled.run(input: sample["x"]!.values)
        let unfused = try #require(try FloatExecutor(graph: graph).run(sample)["y"]).values
        for (ours, theirs) in zip(inference.outputIntegers, unfused.map { Int64((Double($0) / 0.05).rounded()) }) {
            #expect(abs(ours - theirs) <= 1)
        }
        #expect(CircuitChecker.check(compiled.circuit, inference.witness) == nil)
    }

    /// A DequantizeLinear read by two groups serves both (onnxruntime gives each its own copy):
    /// x → Q → DQ → {Gemm → Q → DQ, and the skip} → Add → Q → DQ becomes QGemm and QLinearAdd of
    /// two activations, and proves.
    @Test func sharedDequantizeLinearServesBothGroups() throws {
        var rng = SeededGenerator.forTest(stream: 710)
        let weights = (0..<(16 * 16)).map { _ in Int64(rng.next() % 61) - 30 }
        let (xs, ws): (Float, Float) = (1.0 / 127, 0.01)
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 16]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 16]))],
            initializers: [
                "xs": Self.scalar(xs), "xz": Self.integers([], [128], .uint8),
                "wq": Self.integers([16, 16], weights, .int8), "ws": Self.scalar(ws), "wz": Self.integers([], [0], .int8),
                "hs": Self.scalar(0.03), "hz": Self.integers([], [120], .uint8),
                "ys": Self.scalar(0.04), "yz": Self.integers([], [130], .uint8),
            ],
            nodes: [
                ModelNode(name: "xq", op: .quantizeLinear(axis: 1), inputs: ["x", "xs", "xz"], outputs: ["xq"]),
                ModelNode(name: "xdq", op: .dequantizeLinear(axis: 1), inputs: ["xq", "xs", "xz"], outputs: ["xd"]),
                ModelNode(name: "wdq", op: .dequantizeLinear(axis: 0), inputs: ["wq", "ws", "wz"], outputs: ["w"]),
                ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["xd", "w"], outputs: ["h"]),
                ModelNode(name: "hq", op: .quantizeLinear(axis: 1), inputs: ["h", "hs", "hz"], outputs: ["hq"]),
                ModelNode(name: "hdq", op: .dequantizeLinear(axis: 1), inputs: ["hq", "hs", "hz"], outputs: ["hd"]),
                ModelNode(name: "skip", op: .add, inputs: ["hd", "xd"], outputs: ["s"]),
                ModelNode(name: "sq", op: .quantizeLinear(axis: 1), inputs: ["s", "ys", "yz"], outputs: ["sq"]),
                ModelNode(name: "sdq", op: .dequantizeLinear(axis: 1), inputs: ["sq", "ys", "yz"], outputs: ["y"]),
            ])
        let compiled = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 16], count: 4, &rng))
        #expect(compiled.layers.map(\.op) == ["QGemm", "QLinearAdd"])
        #expect(compiled.inputQuantization == .onnx)
        let sample = CompilerTests.inputs([1, 16], count: 1, &rng)[0]
        let inference = try compiled.run(input: sample["x"]!.values)
        let unfused = try #require(try FloatExecutor(graph: graph).run(sample)["y"]).values
        for (ours, theirs) in zip(inference.outputIntegers, unfused.map { Int64((Double($0) / 0.04).rounded()) }) {
            #expect(abs(ours - theirs) <= 1)
        }
        try QuantizedZooTests.proveAndVerify(compiled, inference)
    }
}

extension QDQFusionTests {
    /// CNNs quantize_static wrote in the QDQ format (Tests/ZKONNXTests/Fixtures/models, made by
    /// make_fixtures.py), with onnxruntime's output at its default optimization level: every
    /// group is fused (Conv, LeakyRelu, Add and Mul of two activations through shared
    /// DequantizeLinear nodes, Sigmoid, GlobalAveragePool, Gemm; Transpose, MaxPool, Reshape,
    /// Unsqueeze, Squeeze on the integers), the output integers are onnxruntime's, and the first proves.
    @Test(arguments: [
        // (QLinearLeakyRelu and QLinearSigmoid are tables, not requantizing layers.)
        ("ort_quantize_static_qdq", ["QLinearConv", "QLinearConv", "QLinearAdd", "QLinearMul", "QLinearGlobalAveragePool", "QGemm"], true),
        ("ort_quantize_static_qdq_movement", ["QLinearConv", "QGemm"], false),
    ])
    func onnxRuntimeQDQFixture(name: String, layers: [String], prove: Bool) throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ZKONNXTests/Fixtures/models").appendingPathComponent(name)
        let graph = try ONNXImporter().importModel(contentsOf: folder.appendingPathComponent("model.onnx").path).graph
        let input = try TensorProtoFile(contentsOf: folder.appendingPathComponent("test_data_set_0/input_0.pb").path).value.floatTensor
        let expected = try TensorProtoFile(contentsOf: folder.appendingPathComponent("test_data_set_0/output_0.pb").path).value.floatTensor
        let compiled = try Compiler.compile(graph, calibration: [[graph.inputs[0].name: input]])
        #expect(compiled.layers.map(\.op) == layers)
        #expect(compiled.inputQuantization == .onnx)
        let inference = try compiled.run(input: input.values)
        #expect(inference.outputIntegers == expected.values.map { Int64((Double($0) / compiled.outputScale).rounded()) })
        #expect(CircuitChecker.check(compiled.circuit, inference.witness) == nil)
        if prove { try QuantizedZooTests.proveAndVerify(compiled, inference) }
    }
}
