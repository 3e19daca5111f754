import ZKCircuit
import ZKModel

extension CircuitBuilder {
    /// A standalone activation (one not fused into a linear layer, e.g. after a residual Add or
    /// a pool): one table lookup from the `bits`-bit input domain. Relu and Clip keep the input's
    /// scale; Sigmoid and Tanh map to the fixed output scale `1/limit`.
    mutating func lowerActivation(_ node: ModelNode, _ activation: Activation) {
        guard let x = activationOperand(node) else { return }
        let (spec, outScale) = activationTable(activation, inputScale: x.scale, bits: options.bits)
        let out = draft.add(self.activation(node.outputs[0], shape: x.shape, storage: .advice))
        draft.relations.append(.lookup(input: stored(x, name: "\(node.name).in"), output: out, table: draft.table(spec)))
        values[node.outputs[0]] = QuantizedValue(tensor: out, scale: outScale, shape: x.shape)
    }

    /// `x` as a committed (advice) tensor, which a lookup needs: `x` itself when it is one, else
    /// (the public input, or a view such as a reshape) a committed copy tied to it by an identity
    /// relabelling.
    mutating func stored(_ x: QuantizedValue, name: String) -> TensorID {
        if draft.tensors[x.tensor].storage == .advice { return x.tensor }
        let copy = draft.add(activation(name, shape: x.shape, storage: .advice, bounds: x.bounds))
        draft.relations.append(.linear(output: copy, input: x.tensor, map: .reshape))
        return copy
    }

    /// The activation that directly follows `value` (its sole consumer), if any, and the value it
    /// produces; the node is marked done so that it is fused rather than lowered again.
    mutating func fusedActivation(after value: String) -> (Activation, String) {
        guard let next = soleConsumer(of: value) else { return (.none, value) }
        let activation: Activation
        switch graph.nodes[next].op {
        case .relu: activation = .relu
        case .clip(let lo, let hi): activation = .clip(lo.map(Double.init), hi.map(Double.init))
        case .sigmoid: activation = .sigmoid
        case .tanh: activation = .tanh
        case .unary(let function): activation = .function(function, outputScale: scale(of: graph.nodes[next].outputs[0]))
        default: return (.none, value)
        }
        done.insert(next)
        return (activation, graph.nodes[next].outputs[0])
    }

    /// A constant's values as one number per channel of `x` (axis 0 once the batch is dropped),
    /// under ONNX broadcasting: a scalar, or a tensor whose only non-1 dimension is the channel
    /// axis (`[C]` against a vector, `[C, 1, 1]` or `[1, C, 1, 1]` against `[C, H, W]`).
    func channelVector(_ constant: FloatTensor, for x: QuantizedValue) -> [Double]? {
        let channels = x.shape.first ?? 1
        if constant.count == 1 { return [Double](repeating: Double(constant.values[0]), count: channels) }
        let full = [1] + x.shape
        guard constant.shape.count <= full.count, constant.count == channels else { return nil }
        let offset = full.count - constant.shape.count
        for (i, d) in constant.shape.enumerated() where d != 1 && !(i + offset == 1 && d == channels) { return nil }
        return constant.values.map(Double.init)
    }

    /// A constant broadcast (numpy rules) to every element of `x`, row-major; nil when it does
    /// not broadcast to `x`'s shape.
    func elementVector(_ constant: FloatTensor, for x: QuantizedValue, node: ModelNode) -> [Double]? {
        let full = types[node.inputs.first { values[$0] != nil } ?? ""]?.shape ?? ([1] + x.shape)
        guard Broadcasting.shape([constant.shape, full]) == full, full.reduce(1, *) == x.shape.reduce(1, *) else { return nil }
        return Broadcasting.sourceIndices(of: constant.shape, broadcastTo: full).map { Double(constant.values[$0]) }
    }

    /// `y_c = a_c · x_c + b_c` on every channel `c` (BatchNormalization that no linear layer
    /// absorbs, Mul by a constant, Add/Sub of a constant), with the activation that follows fused.
    ///
    /// It is a depthwise 1×1 convolution — kernel `[C, 1, 1, 1]` holding the quantized `a`, bias
    /// `b` at the accumulator's scale — so it reuses the conv2d relation, then the usual
    /// requantize and activation table. Activations of other ranks are viewed as `[C, H, 1]`
    /// (a relabelling the verifier applies itself) and viewed back afterwards.
    ///
    /// With `elementwise`, every element is its own channel (`x` viewed as `[count, 1, 1]`): the
    /// constants may then vary along any axes (a LayerNorm's `γ`, `β` over the last axis).
    mutating func lowerChannelAffine(
        _ node: ModelNode, _ x: QuantizedValue, multipliers: [Double], offsets: [Double], elementwise: Bool = false
    ) {
        let channels = elementwise ? x.shape.reduce(1, *) : (x.shape.first ?? 1)
        guard multipliers.count == channels, offsets.count == channels else {
            reject(node, "expects one constant per channel (\(channels)), has \(multipliers.count)"); return
        }
        var input = x
        let spatial = elementwise ? [channels, 1, 1]
            : x.shape.count == 3 ? x.shape : [channels, x.shape.dropFirst().reduce(1, *), 1]
        if spatial != x.shape {
            let view = draft.add(activation("\(node.name).view", shape: spatial, storage: .virtual))
            draft.relations.append(.linear(output: view, input: x.tensor, map: .reshape))
            input = QuantizedValue(tensor: view, scale: x.scale, shape: spatial)
        }
        let (activationKind, current) = fusedActivation(after: node.outputs[0])

        guard let (qWeights, qBias, weightScale, accumulatorScale, worst) = quantizeLayer(
            weights: multipliers, bias: offsets, inputScale: x.scale, node: node) else { return }
        let acc = linearAccumulator(node.name, input: input.tensor, weights: qWeights, weightShape: [channels, 1, 1, 1],
                                    bias: qBias, outShape: spatial, worst: worst, convolution: .pointwise(groups: channels))
        let yScale = scale(of: activationKind.changesScale ? node.outputs[0] : current)
        let result = spatial == x.shape ? current : "\(node.name).affine"
        requantizeAndActivate(
            node: node, accumulator: acc, accumulatorScale: accumulatorScale, outputScale: yScale, worstAccumulator: worst,
            activation: activationKind, shape: spatial, outputName: result, inputScale: x.scale, weightScale: weightScale)
        if spatial != x.shape, let y = values[result] {
            // The model output must be a stored tensor; any other view stays virtual (free).
            let back = draft.add(activation(current, shape: x.shape, storage: current == outputValue ? .advice : .virtual))
            draft.relations.append(.linear(output: back, input: y.tensor, map: .reshape))
            values[current] = QuantizedValue(tensor: back, scale: y.scale, shape: x.shape)
        }
    }

    /// BatchNormalization on its own: `y = (x − mean)·γ/√(var + ε) + β` per channel.
    mutating func lowerBatchNormalization(_ node: ModelNode, epsilon: Float) {
        guard let x = activationOperand(node) else { return }
        let channels = x.shape.first ?? 1
        guard node.inputs.count == 5, let gamma = initializer(node.inputs[1]), let beta = initializer(node.inputs[2]),
              let mean = initializer(node.inputs[3]), let variance = initializer(node.inputs[4]),
              [gamma, beta, mean, variance].allSatisfy({ $0.count == channels }) else {
            reject(node, "BatchNormalization needs constant per-channel parameters"); return
        }
        var multipliers: [Double] = [], offsets: [Double] = []
        for c in 0..<channels {
            let factor = Double(gamma.values[c]) / (Double(variance.values[c]) + Double(epsilon)).squareRoot()
            multipliers.append(factor)
            offsets.append(Double(beta.values[c]) - Double(mean.values[c]) * factor)
        }
        lowerChannelAffine(node, x, multipliers: multipliers, offsets: offsets)
    }
}
