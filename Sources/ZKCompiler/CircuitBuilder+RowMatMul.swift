import ZKCircuit
import ZKModel

extension CircuitBuilder {
    /// MatMul of a matrix of activations by a constant, `X [.., R, D] · W [D, E]` (a transformer's
    /// projections): by `(X·W)ᵀ = Wᵀ·Xᵀ`, `X` is transposed to `[D, R]` (a linear map), the rows
    /// become the spatial positions of a 1×1 `conv2d` with the kernel `Wᵀ [E, D, 1, 1]`, and the
    /// requantized `[E, R]` result is transposed back. Leading (batch) dimensions fold into `R`.
    ///
    /// With `oneHot`, `X` is the one-hot public input (``setUpOneHotInput(_:)``), whose rows the
    /// verifier checks hold a single 1: each accumulator is then one weight, `|acc| ≤ limit`,
    /// which is the worst case the requantized table is sized for (instead of `Σ_k |w_k| · limit`).
    mutating func lowerRowsTimesConstant(_ node: ModelNode, _ x: QuantizedValue, _ w: FloatTensor, oneHot: Bool = false) {
        guard let outputShape = types[node.outputs[0]]?.shape else { reject(node, "unknown output shape"); return }
        let d = x.shape[x.shape.count - 1], e = w.shape[1]
        let rows = x.shape.dropLast().reduce(1, *)
        guard w.shape.count == 2, w.shape[0] == d else { reject(node, "MatMul shapes \(x.shape) × \(w.shape) do not match"); return }
        var weights = [Double](repeating: 0, count: e * d)
        for o in 0..<e { for k in 0..<d { weights[o * d + k] = Double(w.values[k * e + o]) } }
        let matrix = view(x, as: [rows, d], name: "\(node.name).rows")
        let transposed = draft.add(activation("\(node.name).columns", shape: [d, rows], storage: .virtual, bounds: x.bounds))
        draft.relations.append(.linear(output: transposed, input: matrix.tensor, map: .transpose(permutation: [1, 0])))
        let input = view(QuantizedValue(tensor: transposed, scale: x.scale, shape: [d, rows]), as: [d, 1, rows], name: "\(node.name).x")
        let (activationKind, current) = fusedActivation(after: node.outputs[0])
        guard let (qWeights, qBias, weightScale, accumulatorScale, layerWorst) = quantizeLayer(
            weights: weights, bias: [Double](repeating: 0, count: e), inputScale: x.scale, node: node) else { return }
        let worst = oneHot ? qWeights.reduce(0) { max($0, abs($1)) } : layerWorst
        let acc = linearAccumulator(node.name, input: input.tensor, weights: qWeights, weightShape: [e, d, 1, 1], bias: qBias,
                                    outShape: [e, 1, rows], worst: worst, convolution: .pointwise())
        let yScale = scale(of: activationKind.changesScale ? node.outputs[0] : current)
        let product = "\(node.name).product"
        requantizeAndActivate(
            node: node, accumulator: acc, accumulatorScale: accumulatorScale, outputScale: yScale, worstAccumulator: worst,
            activation: activationKind, shape: [e, 1, rows], outputName: product, inputScale: x.scale, weightScale: weightScale)
        guard let y = values[product] else { return }
        let flat = view(y, as: [e, rows], name: "\(node.name).product.matrix")
        let back = draft.add(activation("\(node.name).product.rows", shape: [rows, e], storage: .virtual))
        draft.relations.append(.linear(output: back, input: flat.tensor, map: .transpose(permutation: [1, 0])))
        let shape = Self.dropBatch(outputShape)
        values[current] = view(QuantizedValue(tensor: back, scale: y.scale, shape: [rows, e]), as: shape, name: current)
    }
}
