import Foundation
import Testing
import ZKModel
import ZKONNX

/// The models built by Fixtures/make_fixtures.py: exporter-style graphs at several opsets.
@Suite("Model fixtures")
struct ModelFixtureTests {
    func importModel(_ name: String) throws -> ImportedModel {
        try ONNXImporter().importModel(bytes: try Fixtures.modelBytes("models", name))
    }

    @Test("every model reproduces the reference outputs")
    func referenceOutputs() throws {
        let cases = try Fixtures.cases("models")
        #expect(cases.count >= 16)
        for directory in cases {
            let testCase = try BackendCase(directory: directory)
            let failure = try testCase.run(.integersFrozen)
            #expect(failure == nil, "\(testCase.name): \(failure ?? "")")
        }
    }

    @Test("torch-style Shape → Gather → Unsqueeze → Concat → Reshape folds to a static Reshape")
    func torchDynamicReshape() throws {
        let model = try importModel("torch_dynamic_reshape")
        let ops = model.graph.nodes.map(\.op.name)
        #expect(ops == ["Conv", "Sigmoid", "Reshape", "MatMul", "Add"])
        #expect(model.graph.nodes.contains { $0.op == .reshape(shape: [1, -1], allowZero: false) })
        #expect(model.fixedDimensions == [FixedDimension(input: "x", axis: 0, symbol: "batch")])
        #expect(model.graph.inputs.map(\.shape) == [[1, 2, 6, 6]])
        #expect(model.graph.outputs.map(\.shape) == [[1, 3]])
        #expect(model.opsetVersion == 13)
        #expect(model.foldedNodeCount >= 6)
        #expect(model.producer == "make_fixtures")
    }

    @Test("a batch size can be chosen instead of 1")
    func inputShapeOverride() throws {
        let bytes = try Fixtures.modelBytes("models", "torch_dynamic_reshape")
        let model = try ONNXImporter(options: .init(inputShapes: ["x": [3, 2, 6, 6]])).importModel(bytes: bytes)
        #expect(model.graph.outputs.map(\.shape) == [[3, 3]])
        #expect(model.fixedDimensions.isEmpty)
        #expect(model.graph.nodes.contains { $0.op == .reshape(shape: [3, -1], allowZero: false) })
    }

    @Test("opset 9: legacy Softmax axis, attribute axes, Clip attributes, Dropout with mask")
    func opset9() throws {
        let model = try importModel("opset9_legacy")
        let ops = model.graph.nodes.map(\.op.name)
        // Unsqueeze/Squeeze become Reshape; Dropout disappears; legacy Softmax on axis 1 of a
        // 3-D input becomes Reshape → Softmax(-1) → Reshape.
        #expect(!ops.contains("Dropout"))
        #expect(ops.filter { $0 == "Softmax" }.count == 1)
        #expect(model.graph.nodes.contains { $0.op == .clip(minimum: -1, maximum: 1.5) })
        #expect(model.graph.nodes.contains { $0.op == .softmax(axis: -1) })
    }

    @Test("opset 3: Reshape shape attribute, legacy broadcast Add, default Concat axis")
    func opset3() throws {
        let model = try importModel("opset3_legacy")
        #expect(model.opsetVersion == 3)
        #expect(model.graph.nodes.map(\.op.name) == ["Add", "Concat", "Reshape"])
        #expect(model.graph.initializers["add/aligned_B"]?.shape == [3, 1])
    }

    @Test("skl2onnx-style classifier: unknown batch fixed, Clip bounds from inputs, two outputs")
    func sklearnStyle() throws {
        let model = try importModel("skl2onnx_style_mlp")
        #expect(model.fixedDimensions == [FixedDimension(input: "x", axis: 0, symbol: "")])
        #expect(model.graph.outputs.map(\.name) == ["probabilities", "both"])
        #expect(model.graph.nodes.contains { $0.op == .clip(minimum: 0, maximum: 0.6) })
    }

    @Test("pre-quantized models keep their quantized operators")
    func quantized() throws {
        let model = try importModel("quantized_qlinearconv")
        #expect(model.graph.nodes.map(\.op.name) == ["QuantizeLinear", "QLinearConv", "DequantizeLinear"])
        let types = try model.graph.inferTypes()
        #expect(types["xq"]?.elementType == .int8)
        #expect(types["yq"]?.elementType == .int8)
        #expect(model.graph.initializers["w"]?.elementType == .int8)
        #expect(model.graph.initializers["bias"]?.elementType == .int32)
    }

    @Test("intermediate values are available for calibration")
    func intermediates() throws {
        let model = try importModel("cnn_conv_pool_gemm")
        let input = try FloatTensor(shape: [1, 1, 8, 8], values: (0..<64).map { Float($0) / 64 - 0.5 })
        let run = try FloatExecutor(graph: model.graph).run(["x": input], recordingIntermediates: true)
        for node in model.graph.nodes {
            #expect(run.values[node.outputs[0]] != nil, "no value recorded for \(node.name)")
        }
        #expect(run.values["c"]?.shape == [1, 4, 8, 8])
        #expect(run.values["p"]?.shape == [1, 4, 4, 4])
    }
}

@Suite("Import errors")
struct ImportErrorTests {
    @Test("every unsupported node is reported at once, with name, op, domain, opset and hint")
    func unsupportedNodes() throws {
        let bytes = try Fixtures.modelBytes("unsupported", "three_unsupported")
        do {
            _ = try ONNXImporter().importModel(bytes: bytes)
            Issue.record("the import should fail")
        } catch ONNXImportError.unsupportedNodes(let nodes) {
            #expect(nodes.map(\.name) == ["hardmax", "fused", "gather_rows"])
            #expect(nodes.map(\.opType) == ["Hardmax", "FusedGemm", "GatherElements"])
            #expect(nodes.map(\.domain) == ["", "com.microsoft", ""])
            #expect(nodes.map(\.opsetVersion) == [13, 1, 13])
            #expect(nodes.allSatisfy { !$0.hint.isEmpty })
            let text = ONNXImportError.unsupportedNodes(nodes).description
            #expect(text.hasPrefix("3 unsupported nodes:"))
            #expect(text.contains("'hardmax': Hardmax (ai.onnx, opset 13)"))
            #expect(text.contains("'fused': FusedGemm (com.microsoft, opset 1)"))
        }
    }

    @Test("external data is refused with a clear error")
    func externalData() throws {
        let bytes = try Fixtures.modelBytes("unsupported", "external_data")
        #expect(throws: ONNXImportError.externalData(tensor: "w")) { try ONNXImporter().importModel(bytes: bytes) }
    }

    @Test("size limit")
    func sizeLimit() throws {
        let bytes = try Fixtures.modelBytes("models", "mlp_gemm_relu")
        let importer = ONNXImporter(options: .init(maxModelBytes: 100))
        #expect(throws: ONNXImportError.modelTooLarge(size: bytes.count, limit: 100)) { try importer.importModel(bytes: bytes) }
    }

    @Test("malformed bytes, empty models and missing files")
    func malformed() throws {
        #expect(throws: ONNXImportError.missingGraph) { try ONNXImporter().importModel(bytes: []) }
        do {
            _ = try ONNXImporter().importModel(bytes: [0xff, 0xff, 0xff])
            Issue.record("should fail")
        } catch ONNXImportError.malformedProtobuf {
        }
        do {
            _ = try ONNXImporter().importModel(contentsOf: "/nonexistent/model.onnx")
            Issue.record("should fail")
        } catch ONNXImportError.unreadableFile {
        }
    }
}
