import ZKCircuit
import ZKModel

/// onnxruntime's element-wise quantized operators (`com.microsoft`: QLinearAdd, QLinearMul,
/// QLinearSigmoid, QLinearLeakyRelu, QLinearGlobalAveragePool) on model-quantized values `v = q − zp`
/// (see CircuitBuilder+Quantized.swift). onnxruntime evaluates them in Float32; the circuit
/// evaluates the operator's definition with exact integers, so the two can differ by one step
/// where onnxruntime's Float32 rounding crosses a half-way point (docs/quantized-models.md).
extension CircuitBuilder {
    /// The scales and zero points of a binary operator `(A, A_scale, A_zp, B, B_scale, B_zp,
    /// C_scale, C_zp)`, or nil (the node rejected).
    mutating func binaryQuantization(_ node: ModelNode) -> (
        a: Float, aZero: Int64, b: Float, bZero: Int64, c: Float, cZero: Int64, cRange: ClosedRange<Int64>
    )? {
        guard node.inputs.count >= 7, let a = quantizationScale(node, 1), let (aZero, _) = quantizationZeroPoint(node, 2),
              let b = quantizationScale(node, 4), let (bZero, _) = quantizationZeroPoint(node, 5),
              let c = quantizationScale(node, 6), let (cZero, cRange) = quantizationZeroPoint(node, 7) else {
            reject(node, "scales and zero points must be constant scalars (per-tensor quantization)")
            return nil
        }
        return (a, aZero, b, bZero, c, cZero, cRange)
    }

    /// Operand `index` (0 = A, 3 = B) as a model-quantized activation whose zero point is the
    /// node's, or nil.
    mutating func quantizedOperand(_ node: ModelNode, _ index: Int, zeroPoint: Int64) -> QuantizedValue? {
        guard let x = values[node.inputs[index]] else { return nil }
        guard x.zeroPoint == zeroPoint, x.bounds != nil else {
            reject(node, "operand \(node.inputs[index]) must be a quantized tensor with zero point \(zeroPoint)")
            return nil
        }
        return x
    }

    /// A constant operand's integers minus its zero point, broadcast (numpy rules) to the full
    /// shape of the activation operand `x` (batch included), row-major; nil if it does not broadcast.
    func centredConstant(_ name: String, zeroPoint: Int64, broadcastTo x: QuantizedValue, activation: String) -> [Int64]? {
        guard let constant = integerInitializer(name) else { return nil }
        let full = types[activation]?.shape ?? ([1] + x.shape)
        guard Broadcasting.shape([constant.shape, full]) == full, full.reduce(1, *) == x.shape.reduce(1, *) else { return nil }
        return Broadcasting.sourceIndices(of: constant.shape, broadcastTo: full).map { constant.values[$0] - zeroPoint }
    }

    /// The weight `2^14` that carries the dominant ratio of QLinearAdd exactly.
    static let addUnit: Int64 = 1 << 14

    /// QLinearAdd: `c = round(v_A · r_A + v_B · r_B)` clamped to C's type, `r = scale / C_scale`
    /// in Float32. With `u = 2^14`, `acc = u · v_A + round(u · r_B / r_A) · v_B` (or, for a
    /// constant B, the per-element bias `round(u · r_B / r_A · v_B)`), then the requantize relation
    /// with `M / 2^s = r_A / u` exactly. An activation pair is one depthwise convolution with a
    /// `2 × 1` kernel over the two operands stacked (a concat relation); the operand with the
    /// larger ratio carries `u`, so the other's weight stays within 16 bits.
    mutating func lowerQLinearAdd(_ node: ModelNode) {
        guard let q = binaryQuantization(node) else { return }
        let ratioA = q.a / q.c, ratioB = q.b / q.c
        let aIsActivation = values[node.inputs[0]] != nil, bIsActivation = values[node.inputs[3]] != nil
        let shape: [Int], acc: TensorID, worst: Int64, ratio: Float
        if aIsActivation && bIsActivation {
            guard var a = quantizedOperand(node, 0, zeroPoint: q.aZero), var b = quantizedOperand(node, 3, zeroPoint: q.bZero) else { return }
            guard a.shape == b.shape else { reject(node, "QLinearAdd of two activations needs equal shapes"); return }
            // The operand with the larger ratio first (weight u); the other's weight is below 2u.
            var (first, second) = (ratioA, ratioB)
            if ratioB > ratioA { swap(&a, &b); swap(&first, &second) }
            let secondWeight = Int64((Double(second) / Double(first) * Double(Self.addUnit)).rounded())
            let count = a.shape.reduce(1, *)
            let aView = view(a, as: [count, 1, 1], name: "\(node.name).a")
            let bView = view(b, as: [count, 1, 1], name: "\(node.name).b")
            let stacked = draft.add(TensorInfo(name: "\(node.name).stacked", shape: [count, 2, 1], storage: .virtual,
                                               minimum: min(a.bounds!.lowerBound, b.bounds!.lowerBound),
                                               maximum: max(a.bounds!.upperBound, b.bounds!.upperBound)))
            draft.relations.append(.concat(output: stacked, inputs: [aView.tensor, bView.tensor], axis: 1))
            let kernel = (0..<count).flatMap { _ in [Self.addUnit, secondWeight] }
            worst = Self.addUnit * magnitude(a) + abs(secondWeight) * magnitude(b)
            acc = depthwise(node, input: stacked, weights: kernel, kernel: [count, 1, 2, 1], bias: nil, outShape: [count, 1, 1], worst: worst)
            (shape, ratio) = (a.shape, first)
        } else if aIsActivation || bIsActivation {
            let (xIndex, cIndex) = aIsActivation ? (0, 3) : (3, 0)
            let (xZero, cZero) = aIsActivation ? (q.aZero, q.bZero) : (q.bZero, q.aZero)
            let (xRatio, cRatio) = aIsActivation ? (ratioA, ratioB) : (ratioB, ratioA)
            guard let x = quantizedOperand(node, xIndex, zeroPoint: xZero) else { return }
            guard let constant = centredConstant(node.inputs[cIndex], zeroPoint: cZero, broadcastTo: x, activation: node.inputs[xIndex]) else {
                reject(node, "its constant operand must be an integer tensor that broadcasts to the activation"); return
            }
            // The constant's contribution in units of the activation's step times u.
            let unitsPerStep = Double(cRatio) / Double(xRatio) * Double(Self.addUnit)
            let bias = constant.map { Int64((Double($0) * unitsPerStep).rounded()) }
            guard bias.allSatisfy({ abs($0) <= Self.biasLimit }) else { reject(node, "its constant is out of range"); return }
            let count = x.shape.reduce(1, *)
            let flat = view(x, as: [count, 1, 1], name: "\(node.name).x")
            worst = Self.addUnit * magnitude(x) + (bias.map(abs).max() ?? 0)
            acc = depthwise(node, input: flat.tensor, weights: [Int64](repeating: Self.addUnit, count: count), kernel: [count, 1, 1, 1],
                            bias: bias, outShape: [count, 1, 1], worst: worst)
            (shape, ratio) = (x.shape, xRatio)
        } else {
            reject(node, "QLinearAdd of two constants"); return
        }
        guard let (m, s) = Quantization.exactMultiplier(ratio), s + 14 <= 62 else {
            reject(node, "its scale ratio \(ratio) has no exact fixed-point multiplier"); return
        }
        let count = shape.reduce(1, *)
        let clamp = Self.centred(q.cRange, zeroPoint: q.cZero)
        guard let y = requantizedAndClamped(
            acc, worst: worst, multiplier: m, shift: s + 14, clamp: clamp, shape: [count, 1, 1], node: node,
            inputScale: Double(q.a), weightScale: nil, outputScale: Double(q.c)) else { return }
        let result = QuantizedValue(tensor: y, scale: Double(q.c), shape: [count, 1, 1], bounds: clamp, zeroPoint: q.cZero)
        values[node.outputs[0]] = view(result, as: shape, name: "\(node.outputs[0]).view")
    }

    /// QLinearMul: the exact product `v_A · v_B` (the `mul` relation of two activations, or a
    /// depthwise 1×1 convolution by a constant's integers), then the requantize relation with the
    /// Float32 ratio `A_scale · B_scale / C_scale` exactly, clamped to C's type.
    mutating func lowerQLinearMul(_ node: ModelNode) {
        guard let q = binaryQuantization(node) else { return }
        let ratio = q.a * q.b / q.c
        let aIsActivation = values[node.inputs[0]] != nil, bIsActivation = values[node.inputs[3]] != nil
        let acc: TensorID, worst: Int64, shape: [Int]
        if aIsActivation && bIsActivation {
            guard let a = quantizedOperand(node, 0, zeroPoint: q.aZero), let b = quantizedOperand(node, 3, zeroPoint: q.bZero) else { return }
            guard a.shape == b.shape else { reject(node, "QLinearMul of two activations needs equal shapes"); return }
            let lhs = paddingIsZero(b.tensor) ? a : zeroPadded(a, name: "\(node.name).lhs.masked")
            worst = magnitude(a) * magnitude(b)
            acc = draft.add(TensorInfo(name: "\(node.name).acc", shape: a.shape, storage: .virtual, minimum: -worst, maximum: worst))
            draft.relations.append(.mul(output: acc, lhs: lhs.tensor, rhs: b.tensor))
            shape = a.shape
        } else if aIsActivation || bIsActivation {
            let (xIndex, cIndex) = aIsActivation ? (0, 3) : (3, 0)
            let (xZero, cZero) = aIsActivation ? (q.aZero, q.bZero) : (q.bZero, q.aZero)
            guard let x = quantizedOperand(node, xIndex, zeroPoint: xZero) else { return }
            guard let constant = centredConstant(node.inputs[cIndex], zeroPoint: cZero, broadcastTo: x, activation: node.inputs[xIndex]),
                  constant.allSatisfy({ abs($0) <= 32767 }) else {
                reject(node, "its constant operand must be an integer tensor that broadcasts to the activation"); return
            }
            let count = x.shape.reduce(1, *)
            let flat = view(x, as: [count, 1, 1], name: "\(node.name).x")
            worst = magnitude(x) * (constant.map(abs).max() ?? 0)
            let product = depthwise(node, input: flat.tensor, weights: constant, kernel: [count, 1, 1, 1], bias: nil,
                                    outShape: [count, 1, 1], worst: worst)
            acc = draft.add(TensorInfo(name: "\(node.name).product", shape: x.shape, storage: .virtual, minimum: -worst, maximum: worst))
            draft.relations.append(.linear(output: acc, input: product, map: .reshape))
            shape = x.shape
        } else {
            reject(node, "QLinearMul of two constants"); return
        }
        guard let (m, s) = Quantization.exactMultiplier(ratio) else {
            reject(node, "its scale ratio \(ratio) has no exact fixed-point multiplier"); return
        }
        let clamp = Self.centred(q.cRange, zeroPoint: q.cZero)
        guard let y = requantizedAndClamped(
            acc, worst: max(worst, 1), multiplier: m, shift: s, clamp: clamp, shape: shape, node: node,
            inputScale: Double(q.a), weightScale: Double(q.b), outputScale: Double(q.c)) else { return }
        values[node.outputs[0]] = QuantizedValue(tensor: y, scale: Double(q.c), shape: shape, bounds: clamp, zeroPoint: q.cZero)
    }

    /// A depthwise convolution `acc_c = Σ w_c,k · x_c,k + b_c` with integer weights (int16) and
    /// an optional bias; returns the virtual accumulator.
    mutating func depthwise(
        _ node: ModelNode, input: TensorID, weights: [Int64], kernel: [Int], bias: [Int64]?, outShape: [Int], worst: Int64
    ) -> TensorID {
        linearAccumulator(node.name, input: input, weights: weights, weightShape: kernel,
                          weightBounds: (weights.min() ?? 0)...(weights.max() ?? 0), bias: bias, outShape: outShape,
                          worst: worst, convolution: .pointwise(groups: kernel[0]))
    }

    /// QLinearSigmoid and QLinearLeakyRelu: one table over the input's integers, whose entries
    /// are the float executor's (onnxruntime's 256-entry Float32 table), minus the zero points.
    mutating func lowerQuantizedTable(_ node: ModelNode) {
        guard let x = activationOperand(node), let xZero = x.zeroPoint, let bounds = x.bounds else {
            reject(node, "its input must be a quantized tensor"); return
        }
        guard node.inputs.count >= 4, quantizationScale(node, 1) != nil, let (nodeZero, _) = quantizationZeroPoint(node, 2),
              nodeZero == xZero, quantizationScale(node, 3) != nil, let (yZero, yRange) = quantizationZeroPoint(node, 4) else {
            reject(node, "scales and zero points must be constant scalars equal to the input's quantization"); return
        }
        // Every input integer through the operator itself (a one-node graph on the float executor).
        let domain = Array(bounds)
        let outputs: [Int64]
        do {
            var initializers: [String: TensorValue] = [:]
            for name in node.inputs.dropFirst() where !name.isEmpty { initializers[name] = graph.initializers[name] }
            let single = ModelGraph(
                inputs: [ValueInfo(name: node.inputs[0], type: TensorType(elementType: .float32, shape: [domain.count]))],
                outputs: [ValueInfo(name: node.outputs[0], type: TensorType(elementType: .float32, shape: [domain.count]))],
                initializers: initializers, nodes: [node])
            let input = try FloatTensor(shape: [domain.count], values: domain.map { Float($0 + xZero) })
            let result = try FloatExecutor(graph: single).run([node.inputs[0]: input])
            guard let values = result[node.outputs[0]]?.values, values.count == domain.count else { throw CompileError.invalidModel("") }
            outputs = values.map { Int64($0) - yZero }
        } catch {
            reject(node, "its table could not be computed: \(error)"); return
        }
        let bits = Quantization.signedBits(covering: max(-bounds.lowerBound, bounds.upperBound))
        let low = bounds.lowerBound
        let spec = LookupTableSpec.function(name: "\(node.op.name)[\(node.name)]", bits: bits) { v in
            bounds.contains(v) ? outputs[Int(v - low)] : 0
        }
        let clamp = Self.centred(yRange, zeroPoint: yZero)
        let out = draft.add(activation(node.outputs[0], shape: x.shape, storage: .advice, bounds: clamp))
        draft.relations.append(.lookup(input: stored(x, name: "\(node.name).in"), output: out, table: draft.table(spec)))
        values[node.outputs[0]] = QuantizedValue(tensor: out, scale: Double(quantizationScale(node, 3)!), shape: x.shape,
                                                 bounds: clamp, zeroPoint: yZero)
    }

    /// QLinearGlobalAveragePool (channels first): the exact sum over each channel's positions
    /// (a sum-pool linear map), requantized by the Float32 `x_scale / (y_scale · window)` exactly.
    mutating func lowerQLinearGlobalAveragePool(_ node: ModelNode, channelsLast: Bool) {
        guard let x = activationOperand(node), let xZero = x.zeroPoint, x.bounds != nil else {
            reject(node, "its input must be a quantized tensor"); return
        }
        guard !channelsLast, x.shape.count == 3 else { reject(node, "only channels-first [C, H, W] inputs are supported"); return }
        guard let xs = quantizationScale(node, 1), let (nodeZero, _) = quantizationZeroPoint(node, 2), nodeZero == xZero,
              let ys = quantizationScale(node, 3), let (yZero, yRange) = quantizationZeroPoint(node, 4) else {
            reject(node, "scales and zero points must be constant scalars equal to the input's quantization"); return
        }
        let (h, w) = (x.shape[1], x.shape[2])
        let window = h * w
        let shape = [x.shape[0], 1, 1]
        let worst = magnitude(x) * Int64(window)
        let sum = draft.add(TensorInfo(name: "\(node.name).sum", shape: shape, storage: .virtual, minimum: -worst, maximum: worst))
        draft.relations.append(.linear(output: sum, input: x.tensor, map: .sumPool(kernel: [h, w], stride: [1, 1], pads: [0, 0, 0, 0])))
        let multiplier = xs / (ys * Float(window))
        guard let (m, s) = Quantization.exactMultiplier(multiplier) else {
            reject(node, "its multiplier \(multiplier) has no exact fixed-point form"); return
        }
        let clamp = Self.centred(yRange, zeroPoint: yZero)
        guard let y = requantizedAndClamped(
            sum, worst: max(worst, 1), multiplier: m, shift: s, clamp: clamp, shape: shape, node: node,
            inputScale: Double(xs), weightScale: nil, outputScale: Double(ys)) else { return }
        values[node.outputs[0]] = QuantizedValue(tensor: y, scale: Double(ys), shape: shape, bounds: clamp, zeroPoint: yZero)
    }
}
