import ZKCircuit
import ZKModel

extension CircuitBuilder {
    /// `x` re-expressed at `scale` (and negated when `negate`): requantize by `s_x / scale`, then
    /// one clamp-to-±limit table lookup. Returns `x` itself when nothing needs doing.
    mutating func rescaled(_ x: QuantizedValue, to scale: Double, negate: Bool, name: String, node: ModelNode) -> QuantizedValue? {
        if !negate && abs(x.scale / scale - 1) < 1e-12 { return x }
        guard let (multiplier, shift) = requantizationMultiplier(x.scale / scale, node: node) else { return nil }
        guard let (y, bits) = requantize(x.tensor, worst: limit, multiplier: multiplier, shift: shift, shape: x.shape,
                                         name: name, node: node) else { return nil }
        let limit = self.limit
        let spec: LookupTableSpec = negate
            ? .function(name: "negate-clamp[-\(limit),\(limit)]", bits: bits) { -min(max($0, -limit), limit) }
            : activationTable(.none, inputScale: scale, bits: bits).0
        let out = draft.add(activation(name, shape: x.shape, storage: .advice))
        draft.relations.append(.lookup(input: y, output: out, table: draft.table(spec)))
        return QuantizedValue(tensor: out, scale: scale, shape: x.shape)
    }

    /// Add or Sub of two activations of one shape: both operands rescaled to the output's scale
    /// (int8, clamped), summed exactly, then the activation that follows (Relu fused) and the clamp.
    mutating func lowerAddSub(_ index: Int, subtract: Bool) {
        let node = graph.nodes[index]
        guard node.inputs.count == 2 else { reject(node, "\(node.op.name) needs two inputs"); return }
        // An activation and a constant: `x ± c` or `c − x`, a per-channel affine step.
        if values[node.inputs[0]] == nil || values[node.inputs[1]] == nil {
            let first = values[node.inputs[0]] != nil
            let x = values[node.inputs[first ? 0 : 1]]!
            guard let c = initializer(node.inputs[first ? 1 : 0]), let offsets = channelVector(c, for: x) else {
                reject(node, "\(node.op.name) with a constant needs a scalar or per-channel constant"); return
            }
            let sign: Double = subtract && !first ? -1 : 1
            lowerChannelAffine(node, x, multipliers: offsets.map { _ in sign },
                               offsets: offsets.map { subtract && first ? -$0 : $0 })
            return
        }
        guard let a = values[node.inputs[0]], let b = values[node.inputs[1]], a.shape == b.shape else {
            reject(node, "\(node.op.name) of two activations needs equal shapes (no broadcasting between activations)")
            return
        }
        var current = node.outputs[0]
        var relu = false
        if let next = soleConsumer(of: current), case .relu = graph.nodes[next].op {
            relu = true
            done.insert(next)
            current = graph.nodes[next].outputs[0]
        }
        let scale = self.scale(of: current)
        guard let left = rescaled(a, to: scale, negate: false, name: "\(node.name).lhs", node: node),
              let right = rescaled(b, to: scale, negate: subtract, name: "\(node.name).rhs", node: node) else { return }
        // The sum lies in ±2·limit: a (bits+1)-bit table applies the Relu (if fused) and the clamp.
        let sum = draft.add(TensorInfo(name: "\(node.name).sum", shape: a.shape, storage: .advice, minimum: -2 * limit, maximum: 2 * limit))
        draft.relations.append(.add(output: sum, lhs: left.tensor, rhs: right.tensor))
        let spec = activationTable(relu ? .relu : .none, inputScale: scale, bits: options.bits + 1).0
        let out = draft.add(activation(current, shape: a.shape, storage: .advice))
        draft.relations.append(.lookup(input: sum, output: out, table: draft.table(spec)))
        values[current] = QuantizedValue(tensor: out, scale: scale, shape: a.shape)
    }

    /// Mul by a constant: a positive scalar only changes the scale (no relation at all); a
    /// negative scalar or a per-channel constant is a per-channel affine step.
    mutating func lowerScalarMul(_ node: ModelNode) {
        guard node.inputs.count == 2 else { reject(node, "Mul needs two inputs"); return }
        let first = values[node.inputs[0]] != nil
        let x = values[node.inputs[first ? 0 : 1]]!
        guard let c = initializer(node.inputs[first ? 1 : 0]) else {
            lowerProduct(node)
            return
        }
        if c.count == 1, c.values[0] > 0 {
            values[node.outputs[0]] = QuantizedValue(tensor: x.tensor, scale: x.scale * Double(c.values[0]), shape: x.shape)
            return
        }
        guard let multipliers = channelVector(c, for: x) else {
            reject(node, "Mul by a constant needs a scalar or per-channel constant"); return
        }
        lowerChannelAffine(node, x, multipliers: multipliers, offsets: multipliers.map { _ in 0 })
    }

    /// Mul of two activations of one shape (a gate, an attention-style product): the exact
    /// product `a ⊙ b` at scale `s_a · s_b` by the `mul` relation (an eq-weighted zerocheck), then
    /// the usual requantization to the output's calibrated scale and the activation that follows.
    mutating func lowerProduct(_ node: ModelNode) {
        guard let a = values[node.inputs[0]], let b = values[node.inputs[1]], a.shape == b.shape else {
            reject(node, "Mul of two activations needs equal shapes (no broadcasting between activations)")
            return
        }
        let worst = limit * limit
        let product = draft.add(TensorInfo(name: "\(node.name).acc", shape: a.shape, storage: .virtual, minimum: -worst, maximum: worst))
        draft.relations.append(.mul(output: product, lhs: a.tensor, rhs: b.tensor))
        let (activation, current) = fusedActivation(after: node.outputs[0])
        let yScale: Double
        switch activation {
        case .sigmoid, .tanh: yScale = scale(of: node.outputs[0])
        default: yScale = scale(of: current)
        }
        requantizeAndActivate(
            node: node, accumulator: product, accumulatorScale: a.scale * b.scale, outputScale: yScale, worstAccumulator: worst,
            activation: activation, shape: a.shape, outputName: current, inputScale: a.scale, weightScale: b.scale)
    }

    /// Concat of activations along one axis: every input rescaled to the largest input scale.
    mutating func lowerConcat(_ node: ModelNode, axis onnxAxis: Int) {
        let inputs = node.inputs.compactMap { values[$0] }
        guard inputs.count == node.inputs.count, let rank = inputs.first.map({ $0.shape.count + 1 }) else {
            reject(node, "Concat of activations is supported (not of constants)")
            return
        }
        let axis = (onnxAxis < 0 ? onnxAxis + rank : onnxAxis) - 1
        guard axis >= 0, axis < rank - 1 else { reject(node, "Concat along the batch axis is not supported"); return }
        let scale = inputs.map(\.scale).max()!
        var parts: [QuantizedValue] = []
        for (i, x) in inputs.enumerated() {
            guard let part = rescaled(x, to: scale, negate: false, name: "\(node.name).in\(i)", node: node) else { return }
            parts.append(part)
        }
        var shape = parts[0].shape
        shape[axis] = parts.map { $0.shape[axis] }.reduce(0, +)
        let out = draft.add(activation(node.outputs[0], shape: shape, storage: .advice))
        draft.relations.append(.concat(output: out, inputs: parts.map(\.tensor), axis: axis))
        values[node.outputs[0]] = QuantizedValue(tensor: out, scale: scale, shape: shape)
    }
}
