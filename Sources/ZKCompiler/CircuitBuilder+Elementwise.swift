import ZKCircuit
import ZKModel

extension CircuitBuilder {
    /// `x` re-expressed at `scale` (and negated when `negate`): requantize by `s_x / scale`, then
    /// one clamp-to-±`bound` table lookup (±limit unless given). Returns `x` itself when nothing
    /// needs doing.
    mutating func rescaled(
        _ x: QuantizedValue, to scale: Double, negate: Bool, name: String, node: ModelNode, bound: Int64? = nil
    ) -> QuantizedValue? {
        if !negate && abs(x.scale / scale - 1) < 1e-12 { return x }
        guard let (multiplier, shift) = requantizationMultiplier(x.scale / scale, node: node) else { return nil }
        // The requantization's padding slots must start from a zero accumulator.
        let x = zeroPadded(x, name: "\(name).masked")
        guard let (y, bits) = requantize(x.tensor, worst: limit, multiplier: multiplier, shift: shift, shape: x.shape,
                                         name: name, node: node) else { return nil }
        let b = bound ?? limit
        let spec: LookupTableSpec = negate
            ? .function(name: "negate-clamp[-\(b),\(b)]", bits: bits) { -min(max($0, -b), b) }
            : .function(name: "clamp[-\(b),\(b)]", bits: bits) { min(max($0, -b), b) }
        let out = draft.add(TensorInfo(name: name, shape: x.shape, storage: .advice, minimum: -b, maximum: b))
        draft.relations.append(.lookup(input: y, output: out, table: draft.table(spec)))
        return QuantizedValue(tensor: out, scale: scale, shape: x.shape)
    }

    /// The clamp bound of an Add/Sub operand re-expressed at the output's `scale`: its own range
    /// (`limit · s_x / scale`) when that exceeds the output's, up to `4 · limit` — so that terms
    /// that cancel (`a + Relu(b − a)`, a residual that undoes part of its input) are not clipped
    /// before they are summed.
    func operandBound(_ x: QuantizedValue, at scale: Double) -> Int64 {
        let own = (Double(limit) * x.scale / scale).rounded(.up)
        guard own.isFinite else { return 4 * limit }
        return min(max(limit, Int64(own)), 4 * limit)
    }

    /// Add or Sub of two activations of one shape: both operands rescaled to the output's scale
    /// (int8, clamped), summed exactly, then the activation that follows (Relu fused) and the clamp.
    mutating func lowerAddSub(_ index: Int, subtract: Bool) {
        let node = graph.nodes[index]
        guard node.inputs.count == 2 else { reject(node, "\(node.op.name) needs two inputs"); return }
        // An activation and a constant: `x ± c` or `c − x`, a per-channel affine step.
        if values[node.inputs[0]] == nil || values[node.inputs[1]] == nil {
            let first = values[node.inputs[0]] != nil
            guard let x = activationOperand(node, first ? 0 : 1, role: first ? "A" : "B") else { return }
            guard let c = initializer(node.inputs[first ? 1 : 0]) else {
                reject(node, "\(node.op.name) needs an activation and a constant, or two activations"); return
            }
            let perChannel = channelVector(c, for: x)
            guard let offsets = perChannel ?? elementVector(c, for: x, node: node) else {
                reject(node, "\(node.op.name) with a constant that does not broadcast to the activation"); return
            }
            let sign: Double = subtract && !first ? -1 : 1
            lowerChannelAffine(node, x, multipliers: offsets.map { _ in sign },
                               offsets: offsets.map { subtract && first ? -$0 : $0 }, elementwise: perChannel == nil)
            return
        }
        guard let a = values[node.inputs[0]], let b = values[node.inputs[1]], let shape = broadcastShape(a, b, node: node) else {
            reject(node, "\(node.op.name) of two activations whose shapes do not broadcast")
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
        // Operands far wider than the result (a Min/Max, a difference of near-equal values) would
        // be clipped at the result's scale before they cancel: add them at the wider operand's
        // scale instead, then requantize the sum to the result's.
        let working = max(a.scale, b.scale)
        if working > 4 * scale {
            guard let scaledLeft = rescaled(a, to: working, negate: false, name: "\(node.name).lhs", node: node),
                  let scaledRight = rescaled(b, to: working, negate: subtract, name: "\(node.name).rhs", node: node),
                  let left = broadcast(scaledLeft, to: shape, name: "\(node.name).lhs.broadcast", node: node),
                  let right = broadcast(scaledRight, to: shape, name: "\(node.name).rhs.broadcast", node: node) else { return }
            let sum = draft.add(TensorInfo(name: "\(node.name).wide", shape: shape, storage: .advice, minimum: -2 * limit, maximum: 2 * limit))
            draft.relations.append(.add(output: sum, lhs: left.tensor, rhs: right.tensor))
            let accumulator = zeroPadded(QuantizedValue(tensor: sum, scale: working, shape: shape), name: "\(node.name).wide.masked")
            requantizeAndActivate(
                node: node, accumulator: accumulator.tensor, accumulatorScale: working, outputScale: scale,
                worstAccumulator: 2 * limit, activation: relu ? .relu : .none, shape: shape, outputName: current,
                inputScale: working, weightScale: nil)
            return
        }
        // Each operand is rescaled at its own shape, then broadcast (a linear map) to the output's.
        let (boundA, boundB) = (operandBound(a, at: scale), operandBound(b, at: scale))
        guard let scaledLeft = rescaled(a, to: scale, negate: false, name: "\(node.name).lhs", node: node, bound: boundA),
              let scaledRight = rescaled(b, to: scale, negate: subtract, name: "\(node.name).rhs", node: node, bound: boundB),
              let left = broadcast(scaledLeft, to: shape, name: "\(node.name).lhs.broadcast", node: node),
              let right = broadcast(scaledRight, to: shape, name: "\(node.name).rhs.broadcast", node: node) else { return }
        // An operand kept at its own scale keeps its ±limit bound.
        let bounds = [scaledLeft, scaledRight].map { draft.tensors[$0.tensor].maximum }
        // The sum lies in ±(bound_a + bound_b) (±2·limit usually): one table applies the Relu (if
        // fused) and the clamp.
        let worstSum = bounds[0] + bounds[1]
        let sum = draft.add(TensorInfo(name: "\(node.name).sum", shape: shape, storage: .advice, minimum: -worstSum, maximum: worstSum))
        draft.relations.append(.add(output: sum, lhs: left.tensor, rhs: right.tensor))
        let spec = activationTable(relu ? .relu : .none, inputScale: scale,
                                   bits: max(options.bits + 1, Quantization.signedBits(covering: worstSum))).0
        let out = draft.add(activation(current, shape: shape, storage: .advice))
        draft.relations.append(.lookup(input: sum, output: out, table: draft.table(spec)))
        values[current] = QuantizedValue(tensor: out, scale: scale, shape: shape)
    }

    /// Mul by a constant: a positive scalar only changes the scale (no relation at all); a
    /// negative scalar or a per-channel constant is a per-channel affine step.
    mutating func lowerScalarMul(_ node: ModelNode) {
        guard node.inputs.count == 2 else { reject(node, "Mul needs two inputs"); return }
        let first = values[node.inputs[0]] != nil
        guard let x = activationOperand(node, first ? 0 : 1, role: first ? "A" : "B") else { return }
        guard let c = initializer(node.inputs[first ? 1 : 0]) else {
            lowerProduct(node)
            return
        }
        if c.count == 1, c.values[0] > 0, (x.scale * Double(c.values[0])).isNormal {
            var scaled = x
            scaled.scale *= Double(c.values[0])
            values[node.outputs[0]] = scaled
            return
        }
        let perChannel = channelVector(c, for: x)
        guard let multipliers = perChannel ?? elementVector(c, for: x, node: node) else {
            reject(node, "Mul by a constant that does not broadcast to the activation"); return
        }
        lowerChannelAffine(node, x, multipliers: multipliers, offsets: multipliers.map { _ in 0 }, elementwise: perChannel == nil)
    }

    /// Mul of two activations of one shape (a gate, an attention-style product): the exact
    /// product `a ⊙ b` at scale `s_a · s_b` by the `mul` relation (an eq-weighted zerocheck), then
    /// the usual requantization to the output's calibrated scale and the activation that follows.
    mutating func lowerProduct(_ node: ModelNode) {
        guard let a0 = values[node.inputs[0]], let b0 = values[node.inputs[1]], let shape = broadcastShape(a0, b0, node: node),
              let a = broadcast(a0, to: shape, name: "\(node.name).lhs.broadcast", node: node),
              let b = broadcast(b0, to: shape, name: "\(node.name).rhs.broadcast", node: node) else {
            reject(node, "Mul of two activations whose shapes do not broadcast")
            return
        }
        // The product feeds a requantization, whose padding slots need a zero accumulator: one
        // zero-padded factor is enough.
        let lhs = paddingIsZero(b.tensor) ? a : zeroPadded(a, name: "\(node.name).lhs.masked")
        let worst = limit * limit
        let product = draft.add(TensorInfo(name: "\(node.name).acc", shape: a.shape, storage: .virtual, minimum: -worst, maximum: worst))
        draft.relations.append(.mul(output: product, lhs: lhs.tensor, rhs: b.tensor))
        let (activation, current) = fusedActivation(after: node.outputs[0])
        let yScale = fittingScale(scale(of: activation.changesScale ? node.outputs[0] : current), worst: worst,
                                  accumulatorScale: a.scale * b.scale)
        requantizeAndActivate(
            node: node, accumulator: product, accumulatorScale: a.scale * b.scale, outputScale: yScale, worstAccumulator: worst,
            activation: activation, shape: a.shape, outputName: current, inputScale: a.scale, weightScale: b.scale)
    }

    /// Concat of activations along one axis: every input rescaled to the largest input scale.
    mutating func lowerConcat(_ node: ModelNode, axis onnxAxis: Int) {
        let inputs = node.inputs.compactMap { values[$0] }
        guard inputs.count == node.inputs.count, let rank = inputs.first.map({ $0.shape.count + 1 }),
              let scale = inputs.map(\.scale).max() else {
            reject(node, "Concat of activations is supported (not of constants)")
            return
        }
        let axis = (onnxAxis < 0 ? onnxAxis + rank : onnxAxis) - 1
        guard axis >= 0, axis < rank - 1 else { reject(node, "Concat along the batch axis is not supported"); return }
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
