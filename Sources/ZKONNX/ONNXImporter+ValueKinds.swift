/// What kind of value a graph input or output is declared as: ONNX values are tensors, sequences,
/// maps, optionals, sparse tensors or opaque values; the importer supports tensors only.
public enum DeclaredValueKind: String, Sendable, Hashable {
    case tensor, sequence, map, optional
    case sparseTensor = "sparse tensor"
    case opaque
    /// No type in the file.
    case unknown
}

extension ONNXImporter {
    /// The declared kind of every graph output, in file order, read without importing the graph;
    /// e.g. to tell, before decoding ONNX test data, that an output file holds a SequenceProto
    /// rather than a TensorProto.
    public func declaredOutputKinds(contentsOf path: String) throws -> [(name: String, kind: DeclaredValueKind)] {
        let model = try decodeModel(try Self.readFile(path, limit: options.maxModelBytes))
        return model.graph.output.map { output in
            let kind: DeclaredValueKind
            switch output.type.value {
            case .tensorType?: kind = .tensor
            case .sequenceType?: kind = .sequence
            case .mapType?: kind = .map
            case .optionalType?: kind = .optional
            case .sparseTensorType?: kind = .sparseTensor
            case .opaqueType?: kind = .opaque
            case nil: kind = .unknown
            }
            return (output.name, kind)
        }
    }
}
