import ZKCircuit
import ZKModel

extension CircuitBuilder {
    /// `x` re-expressed at `scale` (and negated when `negate`): requantize by `s_x / scale`, then
    /// one clamp-to-int8 table lookup. Returns `x` itself when nothing needs doing.
    mutating func rescaled(_ x: QuantizedValue, to scale: Double, negate: Bool, name: String) -> QuantizedValue {
        if !negate && abs(x.scale / scale - 1) < 1e-12 { return x }
        let (multiplier, shift) = Quantization.multiplier(for: x.scale / scale)
        let worst = Quantization.requantize(127, multiplier: multiplier, shift: shift) + 1
        let bits = max(8, Quantization.signedBits(covering: worst))
        let half = Int64(1) << Int64(bits - 1)
        let y = add(TensorInfo(name: name + ".y", shape: x.shape, storage: .advice, minimum: -half, maximum: half - 1))
        let limbCount = (shift + 7) / 8
        let limbs = (0..<limbCount).map { k in
            add(TensorInfo(name: "\(name).r\(k)", shape: x.shape, storage: .advice, minimum: 0, maximum: 255))
        }
        relations.append(.requantize(output: y, input: x.tensor, remainderLimbs: limbs, multiplier: multiplier, shift: shift))
        for (k, limb) in limbs.enumerated() {
            relations.append(.lookup(input: limb, output: nil, table: table(.range(bits: k == limbCount - 1 ? shift - 8 * k : 8))))
        }
        let spec: LookupTableSpec = negate
            ? .function(name: "negate-clamp[-127,127]", bits: bits) { -min(max($0, -127), 127) }
            : .function(name: "clamp[-127,127]", bits: bits) { min(max($0, -127), 127) }
        let out = add(TensorInfo(name: name, shape: x.shape, storage: .advice, minimum: -127, maximum: 127))
        relations.append(.lookup(input: y, output: out, table: table(spec)))
        return QuantizedValue(tensor: out, scale: scale, shape: x.shape)
    }

    /// Add or Sub of two activations of one shape: both operands rescaled to the output's scale
    /// (int8, clamped), summed exactly, then the activation that follows (Relu fused) and the clamp.
    mutating func lowerAddSub(_ index: Int, subtract: Bool) {
        let node = graph.nodes[index]
        guard node.inputs.count == 2, let a = values[node.inputs[0]], let b = values[node.inputs[1]], a.shape == b.shape else {
            reject(node, "\(node.op.name) of two activations of the same shape is supported (constants only as a MatMul bias)")
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
        let left = rescaled(a, to: scale, negate: false, name: "\(node.name).lhs")
        let right = rescaled(b, to: scale, negate: subtract, name: "\(node.name).rhs")
        let sum = add(TensorInfo(name: "\(node.name).sum", shape: a.shape, storage: .advice, minimum: -254, maximum: 254))
        relations.append(.add(output: sum, lhs: left.tensor, rhs: right.tensor))
        let spec: LookupTableSpec = relu
            ? .function(name: "relu-clamp[0,127]", bits: 9) { min(max($0, 0), 127) }
            : .function(name: "clamp[-127,127]", bits: 9) { min(max($0, -127), 127) }
        let out = add(TensorInfo(name: current, shape: a.shape, storage: .advice, minimum: -127, maximum: 127))
        relations.append(.lookup(input: sum, output: out, table: table(spec)))
        values[current] = QuantizedValue(tensor: out, scale: scale, shape: a.shape)
    }

    /// Mul by a positive scalar constant only changes the scale.
    mutating func lowerScalarMul(_ node: ModelNode) {
        guard node.inputs.count == 2 else { reject(node, "Mul needs two inputs"); return }
        let first = values[node.inputs[0]] != nil
        let x = values[node.inputs[first ? 0 : 1]]
        let c = initializer(node.inputs[first ? 1 : 0])
        guard let x, let c, c.count == 1, c.values[0] > 0 else {
            reject(node, "Mul by a positive scalar constant is supported")
            return
        }
        values[node.outputs[0]] = QuantizedValue(tensor: x.tensor, scale: x.scale * Double(c.values[0]), shape: x.shape)
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
        let parts = inputs.enumerated().map { i, x in rescaled(x, to: scale, negate: false, name: "\(node.name).in\(i)") }
        var shape = parts[0].shape
        shape[axis] = parts.map { $0.shape[axis] }.reduce(0, +)
        let out = add(TensorInfo(name: node.outputs[0], shape: shape, storage: .advice, minimum: -127, maximum: 127))
        relations.append(.concat(output: out, inputs: parts.map(\.tensor), axis: axis))
        values[node.outputs[0]] = QuantizedValue(tensor: out, scale: scale, shape: shape)
    }
}
