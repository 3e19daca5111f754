import Foundation
import Testing
import ZKModel
import ZKONNX

/// onnxruntime's `com.microsoft` quantized operators (the QOperator format of
/// `quantize_static`): small models built in code with values worked out by hand (scales
/// chosen so that every product is exact, with rounding ties and saturation), then the
/// onnxruntime-generated fixtures (Fixtures/models/ort_*, made by make_fixtures.py), which
/// must match bit for bit. Every hand-worked value was also checked against onnxruntime 1.32.
@Suite("com.microsoft quantized operators")
struct MicrosoftOperatorTests {
    /// Imports the built model and runs it on `feeds` (name → shape and values).
    func run(_ builder: ModelProtoBuilder, _ feeds: [String: ([Int], [Float])]) throws -> (ImportedModel, [String: FloatTensor]) {
        let model = try ONNXImporter().importModel(bytes: builder.bytes())
        let inputs = try feeds.mapValues { try FloatTensor(shape: $0.0, values: $0.1) }
        return (model, try FloatExecutor(graph: model.graph).run(inputs))
    }

    @Test("QGemm: per-column b_scale and b_zero_point, transB, int32 bias, ties to even, saturation at 0 and 255")
    func qGemmQuantized() throws {
        var b = ModelProtoBuilder()
        b.input("A", .uint8, [3, 3])
        b.initializer("a_scale", .float, [], [0.5])
        b.initializer("a_zp", .uint8, [], [2])
        // B is [N, K] (transB): the columns of B' are [1, 2, 3] and [0, 4, 1].
        b.initializer("B", .uint8, [2, 3], [1, 2, 3, 0, 4, 1])
        b.initializer("b_scale", .float, [2], [0.25, 0.5])
        b.initializer("b_zp", .uint8, [2], [1, 0])
        b.initializer("C", .int32, [2], [2, -3])
        b.initializer("y_scale", .float, [1], [0.25])
        b.initializer("y_zp", .uint8, [], [10])
        b.node(
            "QGemm", inputs: ["A", "a_scale", "a_zp", "B", "b_scale", "b_zp", "C", "y_scale", "y_zp"], outputs: ["Y"],
            [.int("transB", 1)])
        b.output("Y")
        let (model, results) = try run(b, ["A": ([3, 3], [2, 3, 5, 255, 255, 2, 0, 0, 0])])
        #expect(model.graph.nodes.map(\.op) == [.qGemm(GemmAttributes(transposeA: false, transposeB: true))])
        #expect(model.graph.outputs.map(\.type) == [TensorType(elementType: .uint8, shape: [3, 2])])
        // Multipliers 0.5 · 0.25 / 0.25 = 0.5 and 0.5 · 0.5 / 0.25 = 1. A − a_zp rows:
        // [0, 1, 3], [253, 253, 0], [−2, −2, −2]. Column sums (+ C):
        //   row 0: 7 + 2 = 9 → 4.5 → 4 (tie to even) → 14;   7 − 3 = 4 → 14
        //   row 1: 253 + 2 = 255 → 127.5 → 128 (tie to even) → 138;   1012 − 3 → 1019 → 255
        //   row 2: −6 + 2 = −4 → −2 → 8;   −10 − 3 = −13 → −3 → 0
        #expect(results["Y"]?.values == [14, 14, 138, 255, 8, 0])
    }

    @Test("QGemm without y_scale: float output acc · alpha · a_scale · b_scale, int8 operands, transA")
    func qGemmFloat() throws {
        var b = ModelProtoBuilder()
        b.input("A", .int8, [2, 1])  // A' = Aᵀ = [3, −1]
        b.initializer("a_scale", .float, [1], [0.5])
        b.initializer("a_zp", .int8, [1], [1])
        b.initializer("B", .int8, [2, 2], [1, 2, 3, 4])
        b.initializer("b_scale", .float, [], [0.25])
        b.initializer("b_zp", .int8, [], [0])
        b.initializer("C", .int32, [1, 2], [10, 0])
        b.node(
            "QGemm", inputs: ["A", "a_scale", "a_zp", "B", "b_scale", "b_zp", "C"], outputs: ["Y"],
            [.int("transA", 1), .float("alpha", 2)])
        b.output("Y")
        let (model, results) = try run(b, ["A": ([2, 1], [3, -1])])
        #expect(model.graph.outputs.map(\.type) == [TensorType(elementType: .float32, shape: [1, 2])])
        // A' − a_zp = [2, −2]; acc = [2 − 6, 4 − 8] + C = [6, −4]; onnxruntime folds alpha into the
        // output scale (so it scales C too): 2 · 0.5 · 0.25 = 0.25.
        #expect(results["Y"]?.values == [1.5, -1])
    }

    @Test("QLinearAdd: numpy broadcasting of [3] over [2, 3], ties to even, saturation at 0 and 255")
    func qLinearAdd() throws {
        var b = ModelProtoBuilder()
        b.input("A", .uint8, [2, 3])
        b.input("B", .uint8, [3])
        b.initializer("A_scale", .float, [], [0.5])
        b.initializer("A_zp", .uint8, [], [10])
        // (onnxruntime's shape inference wants 0-d scales and zero points here; one-element
        // tensors, which the other operators take, are tested there.)
        b.initializer("B_scale", .float, [], [0.25])
        b.initializer("B_zp", .uint8, [], [4])
        b.initializer("C_scale", .float, [], [0.5])
        b.initializer("C_zp", .uint8, [], [10])
        b.node("QLinearAdd", inputs: ["A", "A_scale", "A_zp", "B", "B_scale", "B_zp", "C_scale", "C_zp"], outputs: ["C"])
        b.output("C")
        let (model, results) = try run(b, ["A": ([2, 3], [10, 20, 0, 255, 200, 12]), "B": ([3], [5, 7, 0])])
        #expect(model.graph.nodes.map(\.op) == [.qLinearAdd])
        #expect(model.graph.outputs.map(\.type) == [TensorType(elementType: .uint8, shape: [2, 3])])
        // (A − 10) · 0.5 / 0.5 + (B − 4) · 0.25 / 0.5 + 10, B − 4 = [1, 3, −4]:
        //   row 0: 0 + 0.5 + 10 = 10.5 → 10;  10 + 1.5 + 10 = 21.5 → 22;  −10 − 2 + 10 = −2 → 0
        //   row 1: 245 + 0.5 + 10 = 255.5 → 256 → 255;  190 + 1.5 + 10 = 201.5 → 202;  2 − 2 + 10 = 10
        #expect(results["C"]?.values == [10, 22, 0, 255, 202, 10])
    }

    @Test("QLinearMul: int8, a broadcast one-element B, ties to even after the zero point, saturation at ±127/128")
    func qLinearMul() throws {
        var b = ModelProtoBuilder()
        b.input("A", .int8, [2, 2])
        b.input("B", .int8, [1])
        b.initializer("scale", .float, [], [0.5])
        b.initializer("A_zp", .int8, [], [0])
        b.initializer("B_zp", .int8, [], [1])
        b.initializer("C_zp", .int8, [], [-3])
        b.node("QLinearMul", inputs: ["A", "scale", "A_zp", "B", "scale", "B_zp", "scale", "C_zp"], outputs: ["C"])
        b.output("C")
        let (model, results) = try run(b, ["A": ([2, 2], [3, -5, 127, -128]), "B": ([1], [4])])
        #expect(model.graph.outputs.map(\.type) == [TensorType(elementType: .int8, shape: [2, 2])])
        // A · (B − 1) · (0.5 · 0.5 / 0.5) = [4.5, −7.5, 190.5, −192]; onnxruntime adds C_zp = −3
        // before rounding: [1.5, −10.5, 187.5, −195] → [2, −10, 188, −195] → saturated [2, −10, 127, −128].
        // (Rounding first, 4.5 → 4, would give 1.)
        #expect(results["C"]?.values == [2, -10, 127, -128])
    }

    @Test("QLinearSigmoid: the 256-entry table, σ(0) = 0.5 exactly, a tie to even, saturation at 0 and 255")
    func qLinearSigmoid() throws {
        var b = ModelProtoBuilder()
        b.input("X", .uint8, [4])
        b.initializer("X_scale", .float, [], [1])
        b.initializer("X_zp", .uint8, [], [128])
        b.initializer("Y_scale", .float, [], [1.0 / 256])
        b.initializer("Y_zp", .uint8, [], [0])
        b.initializer("one", .float, [1], [1])
        b.initializer("Y_zp_one", .uint8, [1], [1])
        b.node("QLinearSigmoid", inputs: ["X", "X_scale", "X_zp", "Y_scale", "Y_zp"], outputs: ["Y"])
        b.node("QLinearSigmoid", inputs: ["X", "X_scale", "X_zp", "one", "Y_zp_one"], outputs: ["Y1"])
        b.output("Y")
        b.output("Y1")
        let (model, results) = try run(b, ["X": ([4], [128, 255, 0, 129])])
        #expect(model.graph.nodes.map(\.op) == [.qLinearSigmoid, .qLinearSigmoid])
        // 256 · σ(x − 128): σ(0) = 0.5 → 128; σ(127) = 1 → 256 → 255; σ(−128) ≈ 0 → 0;
        // σ(1) = 0.731059 → 187.15 → 187.
        #expect(results["Y"]?.values == [128, 255, 0, 187])
        // Y_scale 1, Y_zp 1: σ(0) = 0.5 → 0 (tie to even), plus 1; σ(127) → 1 + 1; σ(−128) → 0 + 1;
        // σ(1) → 1 + 1.
        #expect(results["Y1"]?.values == [1, 2, 1, 2])
    }

    @Test("QLinearLeakyRelu: int8, alpha, a missing X_zero_point, ties to even, saturation at −128")
    func qLinearLeakyRelu() throws {
        var b = ModelProtoBuilder()
        b.input("X", .int8, [6])
        b.initializer("X_scale", .float, [1], [0.5])
        b.initializer("Y_scale", .float, [], [1])
        b.initializer("Y_zp", .int8, [], [0])
        b.node("QLinearLeakyRelu", inputs: ["X", "X_scale", "", "Y_scale", "Y_zp"], outputs: ["Y"], [.float("alpha", 3)])
        b.output("Y")
        let (model, results) = try run(b, ["X": ([6], [1, 3, -1, -3, 127, -128])])
        #expect(model.graph.nodes.map(\.op) == [.qLinearLeakyRelu(alpha: 3)])
        #expect(model.graph.outputs.map(\.type) == [TensorType(elementType: .int8, shape: [6])])
        // v = 0.5 · x = [0.5, 1.5, −0.5, −1.5, 63.5, −64]; 3 · v below 0: [0.5, 1.5, −1.5, −4.5, 63.5,
        // −192] → [0, 2, −2, −4, 64, −192 → −128].
        #expect(results["Y"]?.values == [0, 2, -2, -4, 64, -128])
    }

    @Test("QLinearGlobalAveragePool: NCHW and channels_last, a tie to even, saturation at 0 and 255")
    func qLinearGlobalAveragePool() throws {
        var b = ModelProtoBuilder()
        b.input("X", .uint8, [1, 2, 2, 2])
        b.input("Xc", .uint8, [1, 2, 2, 2])
        b.initializer("x_scale", .float, [], [0.5])
        b.initializer("x_zp", .uint8, [], [3])
        b.initializer("y_scale", .float, [1], [0.25])
        b.initializer("y_zp", .uint8, [1], [5])
        b.node("QLinearGlobalAveragePool", inputs: ["X", "x_scale", "x_zp", "y_scale", "y_zp"], outputs: ["Y"])
        b.node(
            "QLinearGlobalAveragePool", inputs: ["Xc", "x_scale", "x_zp", "y_scale", "y_zp"], outputs: ["Yc"], [.int("channels_last", 1)])
        b.output("Y")
        b.output("Yc")
        let (model, results) = try run(b, [
            "X": ([1, 2, 2, 2], [3, 4, 5, 7, 255, 255, 255, 255]),
            "Xc": ([1, 2, 2, 2], [3, 0, 4, 0, 5, 0, 7, 0]),
        ])
        #expect(model.graph.outputs.map(\.shape) == [[1, 2, 1, 1], [1, 1, 1, 2]])
        // Multiplier 0.5 / (0.25 · 4) = 0.5. Channel 0: Σ(x − 3) = 0 + 1 + 2 + 4 = 7 → 3.5 → 4 (tie
        // to even) → 9; channel 1: 4 · 252 → 504 + 5 → 255; channels last, channel 1: 4 · (0 − 3)
        // → −6 + 5 → 0.
        #expect(results["Y"]?.values == [9, 255])
        #expect(results["Yc"]?.values == [9, 0])
    }

    @Test("other com.microsoft operators are refused by name; QGemm's y_scale without y_zero_point; opset other than 1")
    func refusals() throws {
        func unsupported(_ builder: ModelProtoBuilder) throws -> [UnsupportedNode] {
            do {
                _ = try ONNXImporter().importModel(bytes: builder.bytes())
            } catch ONNXImportError.unsupportedNodes(let nodes) {
                return nodes
            }
            Issue.record("the import should fail")
            return []
        }
        var fused = ModelProtoBuilder()
        fused.input("X", .float, [1, 1, 3, 3])
        fused.initializer("W", .float, [1, 1, 1, 1], [2])
        fused.node("FusedConv", inputs: ["X", "W"], outputs: ["Y"], [.float("alpha", 0.1)])
        fused.node("QLinearSigmoid", inputs: ["Y", "s", "", "s", ""], outputs: ["Z"])  // downstream of it
        fused.node("NhwcMaxPool", inputs: ["Z"], outputs: ["P"])
        fused.initializer("s", .float, [], [1])
        fused.output("P")
        let nodes = try unsupported(fused)
        #expect(nodes.map(\.opType) == ["FusedConv", "NhwcMaxPool"])
        #expect(nodes.map(\.domain) == ["com.microsoft", "com.microsoft"])
        #expect(nodes.map(\.opsetVersion) == [1, 1])
        #expect(nodes.allSatisfy { $0.hint.contains("the com.microsoft operator \($0.opType) is not supported") })
        #expect(nodes[0].hint.contains("QGemm, QLinearAdd"))
        #expect(ONNXImportError.unsupportedNodes(nodes).description.contains("FusedConv (com.microsoft, opset 1)"))

        var gemm = ModelProtoBuilder()
        gemm.input("A", .uint8, [1, 2])
        gemm.initializer("s", .float, [], [1])
        gemm.initializer("zp", .uint8, [], [0])
        gemm.initializer("B", .uint8, [2, 2], [1, 2, 3, 4])
        gemm.node("QGemm", inputs: ["A", "s", "zp", "B", "s", "zp", "", "s"], outputs: ["Y"])
        gemm.output("Y")
        #expect(try unsupported(gemm).first?.hint.contains("y_scale without y_zero_point") == true)

        var opset = ModelProtoBuilder()
        opset.opsets = [("", 13), ("com.microsoft", 2)]
        opset.input("X", .uint8, [2])
        opset.initializer("s", .float, [], [1])
        opset.node("QLinearSigmoid", inputs: ["X", "s", "", "s", ""], outputs: ["Y"])
        opset.output("Y")
        #expect(try unsupported(opset).first?.hint.contains("opset 1") == true)
    }

    @Test("a CNN quantized by onnxruntime's quantize_static (QOperator) imports with every com.microsoft operator")
    func quantizeStatic() throws {
        let model = try ONNXImporter().importModel(bytes: try Fixtures.modelBytes("models", "ort_quantize_static_qoperator"))
        #expect(model.graph.nodes.map(\.op.name) == [
            "QuantizeLinear", "QLinearConv", "QLinearLeakyRelu", "QLinearConv", "QLinearAdd", "QLinearMul", "QLinearSigmoid",
            "QLinearGlobalAveragePool", "Flatten", "QGemm", "DequantizeLinear",
        ])
        let types = try model.graph.inferTypes()
        #expect(types["p_quantized"]?.elementType == .uint8)
        #expect(model.graph.outputs.map(\.type) == [TensorType(shape: [1, 3])])
    }

    @Test("onnxruntime's outputs, bit for bit (Fixtures/models/ort_*)")
    func onnxruntimeFixtures() throws {
        let cases = try Fixtures.cases("models").filter { $0.lastPathComponent.hasPrefix("ort_") }
        #expect(cases.count >= 10)
        for directory in cases {
            let testCase = try BackendCase(directory: directory)
            let declared = try ONNXImporter().declaredInputs(contentsOf: testCase.modelPath)
            var feeds: [String: FloatTensor] = [:]
            for (info, value) in zip(declared, testCase.inputs) { feeds[info.name] = value.floatTensor }
            let model = try ONNXImporter().importModel(contentsOf: testCase.modelPath)
            let quantized = model.graph.nodes.contains { $0.op.isQuantized }
            #expect(quantized, "\(testCase.name)")
            let results = try FloatExecutor(graph: model.graph).run(feeds)
            for (info, expected) in zip(model.graph.outputs, testCase.outputs) {
                #expect(info.type.elementType == expected.elementType, "\(testCase.name)")
                #expect(results[info.name]?.shape == expected.shape, "\(testCase.name)")
                #expect(results[info.name]?.values == expected.floatTensor.values, "\(testCase.name): \(info.name)")
            }
        }
    }
}
