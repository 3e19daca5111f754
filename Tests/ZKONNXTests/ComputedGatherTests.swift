import Foundation
import Testing
import ZKModel
import ZKONNX

/// Gather of a constant table at computed indices (``Operator/gather(axis:)``): an embedding
/// lookup by the model's token ids, kept in the graph by the importer and run by the float
/// executor.
@Suite("Gather at computed indices")
struct ComputedGatherTests {
    /// The pytorch-converted `nn.Embedding` test with its int64 ids fed, not frozen: one Gather
    /// node reading the table and the input, and the expected rows.
    @Test func anEmbeddingIndexedByTheInputImportsAndRuns() throws {
        let directory = try Fixtures.root().appendingPathComponent("onnx-pytorch/test_Embedding")
        let testCase = try BackendCase(directory: directory)
        let ids = try #require(testCase.inputs.first)
        #expect(ids.elementType == .int64)
        let model = try ONNXImporter(options: .init(inputShapes: ["0": ids.shape]))
            .importModel(contentsOf: testCase.modelPath)
        #expect(model.graph.inputs.map(\.elementType) == [.int64])
        #expect(model.graph.nodes.map(\.op) == [.gather(axis: 0)])
        let result = try FloatExecutor(graph: model.graph).run(["0": ids.floatTensor])
        let output = try #require(result[model.graph.outputs[0].name])
        #expect(output.shape == testCase.outputs[0].shape)
        #expect(output.values == testCase.outputs[0].floatTensor.values)
    }

    static let graph = ModelGraph(
        inputs: [ValueInfo(name: "ids", type: TensorType(elementType: .int64, shape: [3]))],
        outputs: [ValueInfo(name: "rows", type: TensorType(shape: [3, 2]))],
        initializers: [
            "table": .float(try! FloatTensor(shape: [4, 2], values: [0, 1, 10, 11, 20, 21, 30, 31])),
        ],
        nodes: [ModelNode(name: "embed", op: .gather(axis: 0), inputs: ["table", "ids"], outputs: ["rows"])])

    /// ONNX's rules: negative indices count from the end; anything but an integer in `[−d, d)`
    /// is an error naming the node and the index.
    @Test func indicesFollowONNXAndAreChecked() throws {
        let executor = try FloatExecutor(graph: Self.graph)
        let rows = try executor.run(["ids": try FloatTensor(shape: [3], values: [2, -1, 0])])["rows"]!
        #expect(rows.values == [20, 21, 30, 31, 0, 1])
        for bad: Float in [4, -5, 1.5, .nan] {
            let error = #expect(throws: ModelError.self) {
                try executor.run(["ids": try FloatTensor(shape: [3], values: [0, bad, 1])])
            }
            guard case .invalidNode(let node, let op, let reason)? = error else { Issue.record("\(String(describing: error))"); continue }
            #expect(node == "embed" && op == "Gather" && reason.contains("[-4, 4)"))
        }
    }

    /// Shape inference: `data[..<axis] + indices + data[(axis + 1)...]`, integer indices only.
    @Test func shapesAndTypes() throws {
        #expect(try Self.graph.inferTypes()["rows"] == TensorType(shape: [3, 2]))
        var floatIndices = Self.graph
        floatIndices.inputs = [ValueInfo(name: "ids", type: TensorType(shape: [3]))]
        #expect(throws: ModelError.self) { try floatIndices.inferTypes() }
        var axis1 = Self.graph
        axis1.nodes[0].op = .gather(axis: 1)
        axis1.inputs = [ValueInfo(name: "ids", type: TensorType(elementType: .int32, shape: [1, 5]))]
        axis1.outputs = [ValueInfo(name: "rows", type: TensorType(shape: [4, 1, 5]))]
        #expect(try axis1.inferTypes()["rows"] == TensorType(shape: [4, 1, 5]))
    }
}
