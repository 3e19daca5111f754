import ZKModel

/// What the importer knows about a value while walking the graph.
enum ImportedValue {
    /// A constant: an initializer, a Constant node, or a folded computation.
    case constant(TensorValue)
    /// A value computed at run time, with its static type.
    case dynamic(TensorType)
    /// Downstream of an unsupported node: nothing is known.
    case unknown

    var type: TensorType? {
        switch self {
        case .constant(let value): return TensorType(elementType: value.elementType, shape: value.shape)
        case .dynamic(let type): return type
        case .unknown: return nil
        }
    }
}

/// Why a node cannot be imported: becomes an `UnsupportedNode` with this hint.
struct TranslationFailure: Error {
    let hint: String
    init(_ hint: String) { self.hint = hint }
}

/// What a node turns into.
enum Translation {
    /// IR nodes (the last defines the ONNX node's first output), with any new constants they read.
    case nodes([ModelNode], constants: [String: TensorValue] = [:])
    /// The first output is another name for an existing value (Identity, Dropout, float Cast).
    case alias(String)
    /// The outputs were computed at import (constant folding).
    case folded([TensorValue])
}

/// One ONNX node with its inputs resolved against what is known so far.
struct NodeContext {
    let name: String
    let opType: String
    let domain: String
    let opset: Int
    let attributes: NodeAttributes
    /// Input names after aliases are resolved (`""` for a skipped optional input).
    let inputs: [String]
    let outputs: [String]
    let values: [String: ImportedValue]
    /// Names read by some node or listed as graph outputs.
    let usedNames: Set<String>
    let maxTensorElements: Int

    func hasInput(_ index: Int) -> Bool { index < inputs.count && !inputs[index].isEmpty }

    func value(_ index: Int) -> ImportedValue? { hasInput(index) ? values[inputs[index]] : nil }

    func constant(_ index: Int) -> TensorValue? {
        if case .constant(let value)? = value(index) { return value }
        return nil
    }

    func type(_ index: Int) -> TensorType? { value(index)?.type }

    /// The input's type, which must be known.
    func requiredType(_ index: Int, _ role: String) throws -> TensorType {
        guard let type = type(index) else { throw TranslationFailure("input \(index) (\(role)) is missing") }
        return type
    }

    /// The input's constant value, which must be known at import.
    func requiredConstant(_ index: Int, _ role: String) throws -> TensorValue {
        guard let value = constant(index) else {
            throw TranslationFailure("\(role) (input \(index)) must be a constant or computable from static shapes")
        }
        return value
    }

    var allInputsConstant: Bool {
        inputs.indices.allSatisfy { !hasInput($0) || constant($0) != nil }
    }

    /// Fails when an output beyond the first (masks, indices, training statistics) is used.
    func requireOnlyFirstOutputUsed(_ what: String) throws {
        for output in outputs.dropFirst() where !output.isEmpty && usedNames.contains(output) {
            throw TranslationFailure("the \(what) output '\(output)' is used; only the main output is supported")
        }
    }

    /// A node named after this one that defines this node's first output.
    func node(_ op: Operator, inputs: [String]? = nil) -> ModelNode {
        ModelNode(name: name, op: op, inputs: inputs ?? self.inputs, outputs: [outputs.first ?? name])
    }
}
