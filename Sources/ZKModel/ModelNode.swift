/// One operation in a model graph: reads named values, defines named values.
public struct ModelNode: Sendable, Hashable {
    /// A name unique in the graph (for messages, per-node statistics and scales files).
    public var name: String
    /// The operation and its attributes.
    public var op: Operator
    /// The names of the values read, in the operator's input order; `""` skips an optional input.
    public var inputs: [String]
    /// The names of the values defined.
    public var outputs: [String]

    public init(name: String, op: Operator, inputs: [String], outputs: [String]) {
        self.name = name
        self.op = op
        self.inputs = inputs
        self.outputs = outputs
    }
}
