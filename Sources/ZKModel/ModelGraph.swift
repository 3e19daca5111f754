/// The static type of a value: element type and shape.
public struct TensorType: Sendable, Hashable, CustomStringConvertible {
    public var elementType: ElementType
    public var shape: [Int]

    public init(elementType: ElementType = .float32, shape: [Int]) {
        self.elementType = elementType
        self.shape = shape
    }

    public var description: String { "\(elementType)\(shape)" }
}

/// A named graph input or output with its static type.
public struct ValueInfo: Sendable, Hashable {
    public var name: String
    public var type: TensorType

    public init(name: String, type: TensorType) {
        self.name = name
        self.type = type
    }

    public var shape: [Int] { type.shape }
    public var elementType: ElementType { type.elementType }
}

/// A model: typed inputs, constant initializers (weights), nodes in topological order
/// (every node reads only inputs, initializers and outputs of earlier nodes), and outputs.
public struct ModelGraph: Sendable, Hashable {
    public var name: String
    public var inputs: [ValueInfo]
    public var outputs: [ValueInfo]
    public var initializers: [String: TensorValue]
    public var nodes: [ModelNode]
    /// BLAKE2b-256 (hex) of the file the graph was imported from (set by the ONNX importer), so
    /// that the compiled model, and through it the model id, names its source; empty for a graph
    /// built in code.
    public var sourceHash: String = ""

    public init(
        name: String = "model", inputs: [ValueInfo], outputs: [ValueInfo], initializers: [String: TensorValue] = [:],
        nodes: [ModelNode]
    ) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.initializers = initializers
        self.nodes = nodes
    }

    /// Checks names and order, infers the type of every value and checks each node against
    /// its operator's rules; throws the first problem found (naming the node).
    ///
    /// The result maps every value (inputs, initializers, node outputs) to its type. The
    /// declared output types are checked for shape against the inferred ones.
    public func inferTypes() throws -> [String: TensorType] {
        var types: [String: TensorType] = [:]
        for input in inputs {
            guard types[input.name] == nil else { throw ModelError.duplicateDefinition(name: input.name) }
            guard TensorShape.elementCount(input.shape) != nil else {
                throw ModelError.invalidTensor(reason: "input '\(input.name)' has invalid shape \(input.shape)")
            }
            types[input.name] = input.type
        }
        for (name, value) in initializers.sorted(by: { $0.key < $1.key }) {
            guard types[name] == nil else { throw ModelError.duplicateDefinition(name: name) }
            types[name] = TensorType(elementType: value.elementType, shape: value.shape)
        }
        for node in nodes {
            var inputTypes: [TensorType?] = []
            for name in node.inputs {
                if name.isEmpty {
                    inputTypes.append(nil)
                    continue
                }
                guard let type = types[name] else { throw ModelError.undefinedValue(name: name, node: node.name) }
                inputTypes.append(type)
            }
            let outputTypes = try ShapeInference.outputTypes(of: node, inputs: inputTypes)
            guard outputTypes.count == node.outputs.count else {
                throw ModelError.invalidNode(
                    node: node.name, op: node.op.name,
                    reason: "defines \(node.outputs.count) outputs, the operator has \(outputTypes.count)")
            }
            for (name, type) in zip(node.outputs, outputTypes) {
                guard !name.isEmpty, types[name] == nil else { throw ModelError.duplicateDefinition(name: name) }
                types[name] = type
            }
        }
        for output in outputs {
            guard let type = types[output.name] else { throw ModelError.undefinedOutput(name: output.name) }
            guard type.shape == output.shape else {
                throw ModelError.invalidTensor(
                    reason: "output '\(output.name)' is declared \(output.shape) but computes to \(type.shape)")
            }
        }
        return types
    }
}
