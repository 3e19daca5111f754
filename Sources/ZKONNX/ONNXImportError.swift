import ZKModel

/// A node the importer cannot translate, with what a person needs to find and fix it.
public struct UnsupportedNode: Sendable, Hashable, CustomStringConvertible {
    /// The node's name (or `OpType_index` when the file leaves it empty).
    public var name: String
    /// The ONNX operator type, e.g. `LeakyRelu`.
    public var opType: String
    /// The operator domain (`""` is the default ONNX domain).
    public var domain: String
    /// The opset version in force for that domain.
    public var opsetVersion: Int
    /// Why it is unsupported and what to do about it.
    public var hint: String

    public init(name: String, opType: String, domain: String, opsetVersion: Int, hint: String) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.opsetVersion = opsetVersion
        self.hint = hint
    }

    public var description: String {
        let domainText = domain.isEmpty ? "ai.onnx" : domain
        return "'\(name)': \(opType) (\(domainText), opset \(opsetVersion)): \(hint)"
    }
}

/// Errors from importing an ONNX model. Malformed input of any kind ends here, never in a crash.
public enum ONNXImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file is larger than the importer's size limit.
    case modelTooLarge(size: Int, limit: Int)
    /// The bytes are not a valid ModelProto (or TensorProto) protobuf message.
    case malformedProtobuf(reason: String)
    /// The file could not be read.
    case unreadableFile(path: String, reason: String)
    /// The model has no graph.
    case missingGraph
    /// A tensor stores its data in an external file, which the importer does not read.
    case externalData(tensor: String)
    /// A tensor (initializer, attribute or test data) is malformed or of an unsupported type.
    case invalidTensor(name: String, reason: String)
    /// A graph input, output or the node structure is malformed.
    case invalidGraph(reason: String)
    /// Every node that cannot be imported, listed together.
    case unsupportedNodes([UnsupportedNode])
    /// A supported node whose inputs or attributes do not fit its operator (shape errors).
    case invalidModel(ModelError)

    public var description: String {
        switch self {
        case .modelTooLarge(let size, let limit):
            return "the model is \(size) bytes, more than the limit of \(limit) bytes"
        case .malformedProtobuf(let reason):
            return "not a valid ONNX protobuf message: \(reason)"
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .missingGraph:
            return "the model has no graph"
        case .externalData(let tensor):
            return "tensor '\(tensor)' keeps its data in an external file; save the model with the data inside "
                + "(onnx.save_model(model, path, save_as_external_data=False)), under 2 GB"
        case .invalidTensor(let name, let reason):
            return "tensor '\(name)': \(reason)"
        case .invalidGraph(let reason):
            return "invalid graph: \(reason)"
        case .unsupportedNodes(let nodes):
            let lines = nodes.map { "  - \($0)" }.joined(separator: "\n")
            return "\(nodes.count) unsupported node\(nodes.count == 1 ? "" : "s"):\n\(lines)"
        case .invalidModel(let error):
            return "invalid model: \(error)"
        }
    }
}
