import Foundation
import Testing
import ZKModel
import ZKONNX

/// The `ai.onnx.ml` translations on skl2onnx-exported models (Fixtures/models/sklearn_*, built by
/// make_fixtures.py with the versions in circuits/requirements.txt; reference outputs from
/// onnxruntime, checked for every model by ModelFixtureTests).
@Suite("ai.onnx.ml operators")
struct MachineLearningTests {
    func importModel(_ name: String) throws -> ImportedModel {
        try ONNXImporter().importModel(bytes: try Fixtures.modelBytes("models", name))
    }

    func run(_ name: String) throws -> (ImportedModel, [String: FloatTensor], BackendCase) {
        let directory = try Fixtures.root().appendingPathComponent("models").appendingPathComponent(name)
        let testCase = try BackendCase(directory: directory)
        let input = try #require(testCase.inputs.first)
        let bytes = try Fixtures.modelBytes("models", name)
        let inputName = try #require(try ONNXImporter().importModel(bytes: bytes).graph.inputs.first?.name)
        let model = try ONNXImporter(options: .init(inputShapes: [inputName: input.shape])).importModel(bytes: bytes)
        let results = try FloatExecutor(graph: model.graph).run([inputName: input.floatTensor])
        return (model, results, testCase)
    }

    @Test("Scaler → ArrayFeatureExtractor → Normalizer L2 → LinearRegressor")
    func linearRegressorPipeline() throws {
        let model = try importModel("sklearn_linear_regressor")
        #expect(model.graph.nodes.map(\.op.name) == ["Sub", "Mul", "Gather", "ReduceL2", "Div", "Gemm"])
        #expect(model.graph.nodes.contains { $0.op == .gemm(GemmAttributes(transposeB: true)) })
        #expect(model.graph.outputs.map(\.shape) == [[1, 2]])
    }

    @Test("binary LogisticRegression: two rows, Sigmoid scores, labels 2 + 3 · ArgMax, Cast and ZipMap read through")
    func binaryLogistic() throws {
        let (model, results, expected) = try run("sklearn_logistic_binary")
        let ops = model.graph.nodes.map(\.op.name)
        #expect(ops.contains("Sigmoid") && ops.contains("ArgMax"))
        #expect(!ops.contains("Cast") && !ops.contains("ZipMap"))
        #expect(model.graph.outputs.map(\.name) == ["output_label", "output_probability"])
        #expect(model.graph.outputs.map(\.type.elementType) == [.int64, .float32])
        // Labels are exact.
        #expect(results["output_label"]?.values == expected.outputs[0].floatTensor.values)
    }

    @Test("multinomial LogisticRegression after Normalizer L1: Softmax scores, labels 1 + 5 · ArgMax")
    func multiclassLogistic() throws {
        let (model, results, expected) = try run("sklearn_logistic_multiclass")
        let ops = model.graph.nodes.map(\.op.name)
        #expect(ops.filter { $0 == "ReduceL1" }.count == 2)
        #expect(ops.contains("Softmax"))
        #expect(results["output_label"]?.values == expected.outputs[0].floatTensor.values)
        #expect(Set(expected.outputs[0].floatTensor.values).isSubset(of: [1, 6, 11]))
    }

    @Test("LinearSVC: NONE scores, labels 0..<3 are the ArgMax itself")
    func linearSVC() throws {
        let model = try importModel("sklearn_linear_svc")
        #expect(model.graph.nodes.map(\.op.name) == ["Gemm", "Identity", "ArgMax"])
    }

    @Test("Normalizer MAX divides by the row maximum")
    func normalizerMax() throws {
        let model = try importModel("sklearn_normalizer_max")
        #expect(model.graph.nodes.map(\.op) == [
            .reduce(Reduction(kind: .max, axes: [-1], keepDims: true)), .div,
        ])
    }

    @Test("one coefficient row with two labels: scores [1 − σ(s), σ(s)], label by the sign of s")
    func oneRowBinary() throws {
        let (_, results, expected) = try run("ml_linear_classifier_one_row")
        #expect(results["label"]?.values == expected.outputs[0].floatTensor.values)
        let scores = try #require(results["scores"])
        #expect(scores.shape == [3, 2])
        for (a, e) in zip(scores.values, expected.outputs[1].floatTensor.values) { #expect(abs(a - e) < 1e-5) }
    }

    @Test("string class labels: the scores import; a used label output is reported")
    func stringLabels() throws {
        _ = try importModel("ml_string_labels_scores_only")
        let bytes = try Fixtures.modelBytes("unsupported", "ml_string_labels")
        do {
            _ = try ONNXImporter().importModel(bytes: bytes)
            Issue.record("the import should fail")
        } catch ONNXImportError.unsupportedNodes(let nodes) {
            #expect(nodes.map(\.opType) == ["LinearClassifier"])
            #expect(nodes.map(\.domain) == ["ai.onnx.ml"])
            #expect(nodes.first?.hint.contains("not integers") == true)
        }
    }
}
