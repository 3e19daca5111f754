/// Errors from building, checking or running a model graph. Nothing in ZKModel traps on a bad
/// model: every problem surfaces as one of these, naming the node or value involved.
public enum ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A tensor whose element count does not match its shape (or whose shape is invalid).
    case invalidTensor(reason: String)
    /// A node whose inputs, attributes or shapes do not fit its operator.
    case invalidNode(node: String, op: String, reason: String)
    /// A node reads a value that no input, initializer or earlier node defines.
    case undefinedValue(name: String, node: String)
    /// Two definitions (inputs, initializers, node outputs) share a name.
    case duplicateDefinition(name: String)
    /// A graph output that nothing defines.
    case undefinedOutput(name: String)
    /// The executor was not given a value for a graph input.
    case missingInput(name: String)
    /// The executor was given an input whose shape differs from the declared one.
    case inputShapeMismatch(name: String, expected: [Int], actual: [Int])

    public var description: String {
        switch self {
        case .invalidTensor(let reason):
            return "invalid tensor: \(reason)"
        case .invalidNode(let node, let op, let reason):
            return "node '\(node)' (\(op)): \(reason)"
        case .undefinedValue(let name, let node):
            return "node '\(node)' reads '\(name)', which nothing defines before it"
        case .duplicateDefinition(let name):
            return "the value '\(name)' is defined more than once"
        case .undefinedOutput(let name):
            return "the graph output '\(name)' is not defined"
        case .missingInput(let name):
            return "no value given for the graph input '\(name)'"
        case .inputShapeMismatch(let name, let expected, let actual):
            return "input '\(name)' has shape \(actual), the graph declares \(expected)"
        }
    }
}
