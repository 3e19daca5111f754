import ZKCircuit
import ZKModel

/// Token ids as the model input: an embedding lookup `Gather(E [V, D], ids)` becomes a product
/// with a one-hot matrix.
///
/// A public input is a quantized activation, and the proof system proves linear maps of it, not
/// an index into a table. So when the graph's input has an integer element type and every node
/// that reads it is a `Gather` (axis 0) of a constant float matrix `E [V, D]` (an initializer, or
/// a DequantizeLinear of one), the public input is the **one-hot encoding** of the ids instead:
/// a `[seq, V]` matrix of 0/1 integers (scale 1, bounds `[0, 1]`), row `i` holding a single 1 in
/// column `ids[i]` (``CompiledModel/InputQuantization/oneHot``). Then
///
///     Gather(E, ids) = onehot(ids) · E
///
/// a MatMul of an activation by a constant, lowered as every such product
/// (``lowerRowsTimesConstant(_:_:_:oneHot:)``: `E` quantized to `bits`-bit weights, then
/// requantized to the calibrated scale of the Gather's output).
///
/// The proof itself only range-checks the public input to `[0, 1]`. That each row holds exactly
/// one 1 — that the input *is* the encoding of token ids — is checked by the verifier on the
/// public values it reads (the key's interface says the input is one-hot), before it accepts.
/// That check also bounds each accumulator by one weight (`|acc| ≤ limit`), which sizes the
/// requantized table; an input that is not one-hot is refused by `quantizeInput` and rejected by
/// the verifier.
extension CircuitBuilder {
    /// Sets up the public input for an integer model input (token ids): the one-hot matrix
    /// `[positions…, V]` (the batch of 1 dropped), or throws naming every node that reads the ids
    /// in another way.
    mutating func setUpOneHotInput(_ input: ValueInfo) throws(CompileError) {
        guard !graph.outputs.contains(where: { $0.name == input.name }) else {
            throw .invalidModel("the integer input \(input.name) is also a model output")
        }
        let readers = consumers[input.name] ?? []
        guard !readers.isEmpty else { throw .invalidModel("the integer input \(input.name) is not read by any node") }
        var vocabulary: Int? = nil
        for index in readers {
            let node = graph.nodes[index]
            guard let table = embeddingTable(node, indices: input.name) else {
                reject(node, "it reads the integer model input \(input.name) (\(input.elementType)): an integer input is only "
                    + "supported as the token ids of an embedding lookup, the indices of a Gather (axis 0) of a constant "
                    + "float [V, D] matrix")
                continue
            }
            if let v = vocabulary, v != table.shape[0] {
                reject(node, "its embedding has \(table.shape[0]) rows, another one reading \(input.name) has \(v): one vocabulary per input")
                continue
            }
            vocabulary = table.shape[0]
        }
        if !unsupported.isEmpty { throw .unsupported(unsupported) }
        guard let vocabulary else { throw .invalidModel("the integer input \(input.name) is not read by any node") }
        let shape = Self.dropBatch(input.shape) + [vocabulary]
        if let problem = Self.shapeProblem(shape) { throw .invalidModel("the one-hot input \(input.name): \(problem)") }
        inputScale = 1
        inputQuantization = .oneHot
        let id = draft.add(activation("input", shape: shape, storage: .publicInput, bounds: 0...1))
        values[input.name] = QuantizedValue(tensor: id, scale: 1, shape: shape, bounds: 0...1)
    }

    /// The type of `node`'s table when it is an embedding lookup indexed by `indices`: a Gather
    /// along axis 0 of a float matrix `[V, D]` that is a constant (an initializer, or the output
    /// of a DequantizeLinear of one, folded when it is lowered).
    func embeddingTable(_ node: ModelNode, indices: String) -> TensorType? {
        guard case .gather(let axis) = node.op, node.inputs.count == 2, node.inputs[1] == indices, node.inputs[0] != indices,
              let table = types[node.inputs[0]], table.elementType.isFloatingPoint, table.shape.count == 2,
              table.shape.allSatisfy({ $0 > 0 }), TensorShape.normalizedAxis(axis, rank: 2) == 0 else { return nil }
        let name = node.inputs[0]
        if graph.initializers[name] != nil { return table }
        guard let producer = graph.nodes.first(where: { $0.outputs.contains(name) }), case .dequantizeLinear = producer.op,
              let source = producer.inputs.first, graph.initializers[source] != nil else { return nil }
        return table
    }

    /// `Gather(E, ids)` on the one-hot input: `onehot · E`.
    mutating func lowerEmbedding(_ node: ModelNode) {
        guard inputQuantization == .oneHot, node.inputs.count == 2, node.inputs[1] == graph.inputs[0].name,
              let onehot = values[node.inputs[1]],
              let table = initializer(node.inputs[0]), table.shape.count == 2 else {
            reject(node, "Gather with computed indices is only supported as an embedding lookup by the model's token ids "
                + "(the indices are the integer model input, the data a constant [V, D] matrix)")
            return
        }
        lowerRowsTimesConstant(node, onehot, table, oneHot: true)
    }
}
