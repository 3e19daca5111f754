import Foundation
import SwiftProtobuf
import ZKModel

/// A graph-input dimension that was symbolic or unknown in the file and was fixed to 1.
public struct FixedDimension: Sendable, Hashable, CustomStringConvertible {
    /// The graph input.
    public var input: String
    /// The axis within the input's shape.
    public var axis: Int
    /// The symbolic name (`dim_param`, e.g. "batch_size"), or "" when the dimension was unnamed.
    public var symbol: String

    public init(input: String, axis: Int, symbol: String) {
        self.input = input
        self.axis = axis
        self.symbol = symbol
    }

    public var description: String {
        "\(input)[\(axis)]" + (symbol.isEmpty ? " (unknown)" : " ('\(symbol)')") + " = 1"
    }
}

/// An imported model: the graph and what the import changed or read to get it.
public struct ImportedModel: Sendable {
    /// The model as a ZKModel graph with static shapes, shape subgraphs folded away.
    public var graph: ModelGraph
    /// Symbolic or unknown input dimensions that were fixed to 1.
    public var fixedDimensions: [FixedDimension]
    /// The opset version of the default ONNX domain.
    public var opsetVersion: Int
    /// The model's `ir_version`.
    public var irVersion: Int
    /// The exporter (`producer_name` and `producer_version`), e.g. "pytorch 2.3.0".
    public var producer: String
    /// How many ONNX nodes were computed at import (constants, shape subgraphs).
    public var foldedNodeCount: Int
}

/// Imports ONNX models (`.onnx` files: a serialized ModelProto) into ZKModel graphs.
///
/// ```swift
/// let model = try ONNXImporter().importModel(contentsOf: "model.onnx")
/// let outputs = try FloatExecutor(graph: model.graph).run(["input": image])
/// ```
///
/// Supported: the default ONNX domain at opsets 6–23 (older files where the semantics are
/// unchanged), the operators listed in `Operator`, plus static shape subgraphs (Shape, Gather,
/// Unsqueeze, Squeeze, Concat, Cast, ConstantOfShape, Expand, Range, Slice, Equal, Where and
/// integer arithmetic), which are computed at import. Dropout and Identity disappear. Of other
/// domains: scikit-learn's `ai.onnx.ml` linear models and onnxruntime's `com.microsoft`
/// quantized operators (opset 1: QGemm, QLinearAdd, QLinearMul, QLinearSigmoid,
/// QLinearLeakyRelu, QLinearGlobalAveragePool). Every unsupported node is reported in one
/// `ONNXImportError.unsupportedNodes`.
public struct ONNXImporter: Sendable {
    /// Limits and input shapes.
    public struct Options: Sendable {
        /// The largest file accepted, in bytes (default 512 MiB).
        public var maxModelBytes: Int
        /// The most elements any tensor (initializer, folded constant, input) may have.
        public var maxTensorElements: Int
        /// Shapes for graph inputs, overriding the file's (e.g. a batch size other than 1).
        public var inputShapes: [String: [Int]]
        /// Graph inputs to freeze to constant values (e.g. a shape given as an input): they are
        /// folded like initializers and are no longer inputs of the imported graph.
        public var constantInputs: [String: TensorValue]

        public init(
            maxModelBytes: Int = 512 << 20, maxTensorElements: Int = 1 << 28, inputShapes: [String: [Int]] = [:],
            constantInputs: [String: TensorValue] = [:]
        ) {
            self.maxModelBytes = maxModelBytes
            self.maxTensorElements = maxTensorElements
            self.inputShapes = inputShapes
            self.constantInputs = constantInputs
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Imports the model stored in the file at `path`.
    public func importModel(contentsOf path: String) throws -> ImportedModel {
        try importModel(bytes: try Self.readFile(path, limit: options.maxModelBytes))
    }

    /// The graph inputs the file declares (initializers excluded), in file order, with the
    /// shapes the import would give them; nothing else of the graph is read.
    public func declaredInputs(contentsOf path: String) throws -> [ValueInfo] {
        try declaredInputs(bytes: try Self.readFile(path, limit: options.maxModelBytes))
    }

    /// The graph inputs a serialized ModelProto declares (see `declaredInputs(contentsOf:)`).
    public func declaredInputs(bytes: [UInt8]) throws -> [ValueInfo] {
        let model = try decodeModel(bytes)
        var walk = GraphImport(options: options, opsets: [:])
        return try walk.declaredInputs(model.graph)
    }

    /// The ModelProto of `bytes`, size-checked first, with a bounded message depth and a graph.
    func decodeModel(_ bytes: [UInt8]) throws -> Onnx_ModelProto {
        guard bytes.count <= options.maxModelBytes else {
            throw ONNXImportError.modelTooLarge(size: bytes.count, limit: options.maxModelBytes)
        }
        let model: Onnx_ModelProto
        do {
            var decoding = BinaryDecodingOptions()
            decoding.messageDepthLimit = 64
            model = try Onnx_ModelProto(serializedBytes: bytes, options: decoding)
        } catch {
            throw ONNXImportError.malformedProtobuf(reason: "\(error)")
        }
        guard model.hasGraph else { throw ONNXImportError.missingGraph }
        return model
    }

    /// Imports a serialized ModelProto.
    public func importModel(bytes: [UInt8]) throws -> ImportedModel {
        let model = try decodeModel(bytes)
        var opsets: [String: Int] = [:]
        for entry in model.opsetImport {
            let domain = GraphImport.defaultDomains.contains(entry.domain) ? "" : entry.domain
            opsets[domain] = Int(clamping: entry.version)
        }
        // Files from before opset_import (IR version 1–2) use opset 1 semantics.
        if opsets[""] == nil { opsets[""] = 1 }
        var walk = GraphImport(options: options, opsets: opsets)
        var graph = try walk.run(model.graph)
        graph.sourceHash = Self.sourceHash(of: bytes)
        let producer = [model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        return ImportedModel(
            graph: graph, fixedDimensions: walk.fixedDimensions, opsetVersion: opsets[""] ?? 1,
            irVersion: Int(clamping: model.irVersion), producer: producer, foldedNodeCount: walk.foldedNodeCount)
    }

    /// Decodes a serialized TensorProto (as in ONNX's test data, `input_0.pb`).
    public func decodeTensor(bytes: [UInt8]) throws -> TensorValue {
        guard bytes.count <= options.maxModelBytes else {
            throw ONNXImportError.modelTooLarge(size: bytes.count, limit: options.maxModelBytes)
        }
        let proto: Onnx_TensorProto
        do {
            proto = try Onnx_TensorProto(serializedBytes: bytes)
        } catch {
            throw ONNXImportError.malformedProtobuf(reason: "\(error)")
        }
        return try TensorDecoding.decode(proto, maxElements: options.maxTensorElements)
    }

    /// Decodes the serialized TensorProto in the file at `path`.
    public func decodeTensor(contentsOf path: String) throws -> TensorValue {
        try decodeTensor(bytes: try Self.readFile(path, limit: options.maxModelBytes))
    }

    static func readFile(_ path: String, limit: Int) throws -> [UInt8] {
        let url = URL(fileURLWithPath: path)
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= limit else { throw ONNXImportError.modelTooLarge(size: size, limit: limit) }
            return [UInt8](try Data(contentsOf: url))
        } catch let error as ONNXImportError {
            throw error
        } catch {
            throw ONNXImportError.unreadableFile(path: path, reason: error.localizedDescription)
        }
    }
}
