import ZKCircuit
import ZKModel

/// Already-quantized ONNX models (onnxruntime's QOperator format, or hand-written integer
/// graphs): their integers are kept as the model defines them, not recalibrated.
///
/// - **Values.** The circuit holds `v = q − zero_point` for an ONNX integer tensor `q`, so that
///   `real = scale · v` holds as for every other value; `v` lies in the type's range shifted by the
///   zero point (`[−zp, 255 − zp]` for uint8). A convolution's zero padding (`q = zp`) is `v = 0`.
/// - **The input.** When every reader of the float input is the same QuantizeLinear, the public
///   input is its output: `v = clamp(round_half_even(Float(x) / Float(scale)), lo − zp, hi − zp)`,
///   computed in Float32 as onnxruntime does (``CompiledModel/InputQuantization/onnx``).
/// - **QLinearConv, QLinearMatMul** (and ConvInteger / MatMulInteger): `acc = Σ v_x · (w − w_zp) + B`
///   exactly (int32 bias B), then `y = clamp(floor((acc · M + 2^(s−1)) / 2^s), lo − y_zp, hi − y_zp)`
///   where `M / 2^s` is *exactly* the Float32 multiplier `x_scale · w_scale / y_scale` that
///   onnxruntime forms (its 24-bit significand and exponent). That is the operator's definition
///   (`round(acc · x_scale · w_scale / y_scale)`) evaluated without error, except that exact
///   half-way ties round up rather than to even; onnxruntime evaluates `Float(acc) · multiplier` in
///   Float32, which can differ when the exact product lies within a Float32 rounding of a
///   half-way point. docs/quantized-models.md measures how often either happens.
/// - **DequantizeLinear** is a change of scale (`real = scale · v`); QuantizeLinear of a computed
///   real value is a requantization to the model's scale with the clamp to the type's range.
/// - **Float operators after a DequantizeLinear** read values whose range is not `±limit`: they
///   are first requantized to the value's calibrated scale (``narrowed(_:name:node:)``).
extension CircuitBuilder {
    /// How the float input becomes the public integers when the model quantizes it itself: the
    /// QuantizeLinear nodes reading the input (all with one scale and zero point), or nil.
    func modelQuantizedInput(_ input: ValueInfo) -> (readers: [Int], scale: Float, bounds: ClosedRange<Int64>, zeroPoint: Int64)? {
        guard let readers = consumers[input.name], !readers.isEmpty,
              !graph.outputs.contains(where: { $0.name == input.name }) else { return nil }
        var found: (scale: Float, zeroPoint: Int64, range: ClosedRange<Int64>)? = nil
        for index in readers {
            let node = graph.nodes[index]
            guard case .quantizeLinear = node.op, node.inputs.first == input.name,
                  let scale = quantizationScale(node, 1), let (zp, range) = quantizationZeroPoint(node, 2) else { return nil }
            if let found, found.scale != scale || found.zeroPoint != zp || found.range != range { return nil }
            found = (scale, zp, range)
        }
        guard let found else { return nil }
        // A QDQ model's input pair (QuantizeLinear read only by DequantizeLinear) reads through.
        if readers.allSatisfy({ isFakeQuantization(graph.nodes[$0]) }) { return nil }
        return (readers, found.scale, Self.centred(found.range, zeroPoint: found.zeroPoint), found.zeroPoint)
    }

    /// The largest magnitude of a value's integers (`limit` for a calibrated one).
    func magnitude(_ x: QuantizedValue) -> Int64 {
        max(-(x.bounds?.lowerBound ?? -limit), x.bounds?.upperBound ?? limit)
    }

    /// `range − zeroPoint`: where the circuit's `v = q − zp` lies.
    static func centred(_ range: ClosedRange<Int64>, zeroPoint: Int64) -> ClosedRange<Int64> {
        (range.lowerBound - zeroPoint)...(range.upperBound - zeroPoint)
    }

    /// Whether `op` reads model-quantized integers (or a value of any range) as they are; every
    /// other operator reads calibrated `±limit` values, so wider inputs are narrowed first.
    static func readsAnyRange(_ op: Operator) -> Bool {
        switch op {
        case .quantizeLinear, .dequantizeLinear, .qLinearConv, .qLinearMatMul, .convInteger, .matMulInteger, .qGemm,
             .qLinearAdd, .qLinearMul, .qLinearSigmoid, .qLinearLeakyRelu, .qLinearGlobalAveragePool, .identity, .cast, .flatten, .reshape, .transpose, .squeeze, .unsqueeze, .maxPool, .softmax, .argMax,
             .gather:
            return true
        default:
            return false
        }
    }

    /// Mul of an activation by a positive scalar constant: only the scale changes (any range).
    func isRescalingMul(_ node: ModelNode) -> Bool {
        guard case .mul = node.op, node.inputs.count == 2 else { return false }
        let constant = values[node.inputs[0]] != nil ? node.inputs[1] : node.inputs[0]
        guard let c = initializer(constant), c.count == 1 else { return false }
        return c.values[0] > 0
    }

    /// Narrows every input of `node` that is not a calibrated `±limit` value (a model-quantized
    /// or wide integer value) to its calibrated scale; rejects a node that would read the ONNX
    /// integers `q` of a tensor whose zero point is not 0.
    mutating func narrowInputs(of node: ModelNode) -> Bool {
        for name in Set(node.inputs) {
            guard let x = values[name], x.bounds != nil || x.zeroPoint != nil else { continue }
            if let zp = x.zeroPoint, zp != 0 {
                reject(node, "it reads the integers of a quantized tensor with zero point \(zp) (\(name)); dequantize it first")
                return false
            }
            guard let bounds = x.bounds, bounds.lowerBound < -limit || bounds.upperBound > limit else {
                values[name]?.bounds = nil
                values[name]?.zeroPoint = nil
                continue
            }
            guard narrowed(x, name: name, node: node) else { return false }
        }
        return true
    }

    /// `x` requantized to the calibrated scale of `name` and clamped to `±limit` (the same
    /// requantize relation and clamp table as a linear layer's); `values[name]` becomes it.
    mutating func narrowed(_ x: QuantizedValue, name: String, node: ModelNode) -> Bool {
        let worst = magnitude(x)
        let before = layers.count
        requantizeAndActivate(
            node: node, accumulator: x.tensor, accumulatorScale: x.scale, outputScale: scale(of: name), worstAccumulator: worst,
            activation: .none, shape: x.shape, outputName: name, inputScale: x.scale, weightScale: nil)
        return layers.count > before
    }

    // MARK: Quantization parameters

    /// An initializer's exact integers (not through Float: int32 biases exceed 2^24).
    func integerInitializer(_ name: String) -> IntegerTensor? {
        guard case .integer(let tensor) = graph.initializers[name] else { return nil }
        return tensor
    }

    /// Input `index` of `node` as a scalar scale: a positive, finite, normal Float32 constant.
    func quantizationScale(_ node: ModelNode, _ index: Int) -> Float? {
        guard index < node.inputs.count, let s = initializer(node.inputs[index]), s.count == 1,
              s.values[0].isNormal, s.values[0] > 0 else { return nil }
        return s.values[0]
    }

    /// Input `index` of `node` as a scalar zero point and the range of its integer type (an
    /// absent zero point is 0 of uint8).
    func quantizationZeroPoint(_ node: ModelNode, _ index: Int) -> (Int64, ClosedRange<Int64>)? {
        guard index < node.inputs.count, !node.inputs[index].isEmpty else { return (0, 0...255) }
        guard let zp = integerInitializer(node.inputs[index]), zp.count == 1,
              let range = zp.elementType.integerRange, range.lowerBound >= -32768, range.upperBound <= 65535,
              range.contains(zp.values[0]) else { return nil }
        return (zp.values[0], range)
    }

    // MARK: Lowering

    /// QuantizeLinear of a computed real value: requantized to the model's scale and clamped to
    /// its type. A QuantizeLinear read only by DequantizeLinear nodes (a QDQ model's fake
    /// quantization) reads through instead: the compiler quantizes that value itself.
    mutating func lowerQuantizeLinear(_ node: ModelNode) {
        guard let x = activationOperand(node) else { return }
        if isFakeQuantization(node) {
            values[node.outputs[0]] = x
            return
        }
        guard let scale = quantizationScale(node, 1), let (zp, range) = quantizationZeroPoint(node, 2) else {
            reject(node, "QuantizeLinear of an activation needs a scalar scale and zero point (per-axis quantization is not supported)")
            return
        }
        let worst = magnitude(x)
        guard let (multiplier, shift) = requantizationMultiplier(x.scale / Double(scale), node: node) else { return }
        let clamp = Self.centred(range, zeroPoint: zp)
        guard let y = requantizedAndClamped(
            x.tensor, worst: worst, multiplier: multiplier, shift: shift, clamp: clamp, shape: x.shape, node: node,
            inputScale: x.scale, weightScale: nil, outputScale: Double(scale)) else { return }
        values[node.outputs[0]] = QuantizedValue(tensor: y, scale: Double(scale), shape: x.shape, bounds: clamp, zeroPoint: zp)
    }

    /// Whether a QuantizeLinear is a QDQ model's fake quantization: read only by DequantizeLinear
    /// nodes (and not a model output). After ``QDQFusion`` these are the pairs no fused node reads.
    func isFakeQuantization(_ node: ModelNode) -> Bool {
        let readers = consumers[node.outputs[0]] ?? []
        return !readers.isEmpty && !graph.outputs.contains(where: { $0.name == node.outputs[0] })
            && readers.allSatisfy { if case .dequantizeLinear = graph.nodes[$0].op { return true } else { return false } }
    }

    /// DequantizeLinear of a model-quantized activation: the same integers `v` read at `scale`.
    mutating func lowerDequantizeLinear(_ node: ModelNode) {
        guard let x = activationOperand(node) else { return }
        guard let zp = x.zeroPoint else {
            values[node.outputs[0]] = x      // the second half of a read-through QDQ pair
            return
        }
        guard let scale = quantizationScale(node, 1), let (nodeZeroPoint, _) = quantizationZeroPoint(node, 2) else {
            reject(node, "DequantizeLinear needs a scalar scale and zero point (per-axis quantization is not supported)")
            return
        }
        guard nodeZeroPoint == zp else {
            reject(node, "its zero point \(nodeZeroPoint) differs from the one its input was quantized with (\(zp))")
            return
        }
        var real = x
        real.scale = Double(scale)
        real.zeroPoint = nil
        values[node.outputs[0]] = real
    }

    /// `y = clamp(requantize(acc; M, s), clamp)`: the requantize relation, then one table lookup,
    /// recorded as a layer. Returns the clamped tensor, or nil with the node rejected.
    mutating func requantizedAndClamped(
        _ acc: TensorID, worst: Int64, multiplier: Int64, shift: Int, clamp: ClosedRange<Int64>, shape: [Int], node: ModelNode,
        inputScale: Double, weightScale: Double?, outputScale: Double
    ) -> TensorID? {
        guard let (y, bits) = requantize(acc, worst: worst, multiplier: multiplier, shift: shift, shape: shape,
                                         name: node.name, node: node) else { return nil }
        let (low, high) = (clamp.lowerBound, clamp.upperBound)
        let table = draft.table(.function(name: "clamp[\(low),\(high)]", bits: bits) { min(max($0, low), high) })
        let out = draft.add(activation(node.outputs[0], shape: shape, storage: .advice, bounds: clamp))
        draft.relations.append(.lookup(input: y, output: out, table: table))
        layers.append(LayerScales(
            node: node.name, op: node.op.name, inputScale: inputScale, weightScale: weightScale, outputScale: outputScale,
            multiplier: multiplier, shift: shift, calibratedMinimum: Double(low) * outputScale,
            calibratedMaximum: Double(high) * outputScale, tableBits: bits, requantizedTensor: y,
            saturationMinimum: low, saturationMaximum: high))
        return out
    }

    /// Where an integer linear operator keeps its operands (ONNX input positions).
    struct IntegerLinearOperands {
        var weight: Int
        var xZero: Int
        var wZero: Int
        /// x_scale, w_scale, y_scale, y_zero_point: nil for the Integer forms (int32 output).
        var requantization: (xScale: Int, wScale: Int, yScale: Int, yZero: Int)?
        var bias: Int?
        var convolution: ConvolutionAttributes?
        /// The weight is `[out, in]` (Gemm's transB) rather than `[in, out]`.
        var transposed = false
        /// QGemm without y_scale: a float output `acc · a_scale · b_scale` (x_scale, w_scale positions).
        var realOutput: (xScale: Int, wScale: Int)? = nil

        init?(_ op: Operator, inputs: [String]) {
            switch op {
            case .qGemm(let a):
                guard !a.transposeA, a.alpha == 1 else { return nil }
                (weight, xZero, wZero, bias, convolution, transposed) = (3, 2, 5, 6, nil, a.transposeB)
                if inputs.count > 7 && !inputs[7].isEmpty {
                    requantization = (1, 4, 7, 8)
                } else {
                    (requantization, realOutput) = (nil, (1, 4))
                }
            case .qLinearConv(let a):
                (weight, xZero, wZero, requantization, bias, convolution) = (3, 2, 5, (1, 4, 6, 7), 8, a)
            case .qLinearMatMul:
                (weight, xZero, wZero, requantization, bias, convolution) = (3, 2, 5, (1, 4, 6, 7), nil, nil)
            case .convInteger(let a):
                (weight, xZero, wZero, requantization, bias, convolution) = (1, 2, 3, nil, nil, a)
            case .matMulInteger:
                (weight, xZero, wZero, requantization, bias, convolution) = (1, 2, 3, nil, nil, nil)
            default:
                return nil
            }
        }
    }

    /// Input `index` of `node` as one scale per output channel: a positive normal Float32 constant
    /// of one element (per tensor, repeated) or of `channels` elements (per channel, a 1-D tensor).
    func channelScales(_ node: ModelNode, _ index: Int, channels: Int) -> [Float]? {
        guard index < node.inputs.count, let s = initializer(node.inputs[index]), s.shape.count <= 1,
              s.count == 1 || s.count == channels, s.values.allSatisfy({ $0.isNormal && $0 > 0 }) else { return nil }
        return s.count == 1 ? [Float](repeating: s.values[0], count: max(channels, 1)) : s.values
    }

    /// Input `index` of `node` as one zero point per output channel: a scalar (or an absent one,
    /// 0), or a 1-D constant of `channels` integers of an 8- or 16-bit type.
    func channelZeroPoints(_ node: ModelNode, _ index: Int, channels: Int) -> [Int64]? {
        if let (zp, _) = quantizationZeroPoint(node, index) { return [Int64](repeating: zp, count: max(channels, 1)) }
        guard index < node.inputs.count, let zp = integerInitializer(node.inputs[index]), zp.shape.count == 1,
              zp.count == channels, let range = zp.elementType.integerRange, range.lowerBound >= -32768,
              range.upperBound <= 65535, zp.values.allSatisfy(range.contains) else { return nil }
        return zp.values
    }

    /// `acc ⊙ factors`, the factor of each output channel (axis 0) repeated over the other axes:
    /// a `mul` of the accumulator by a constant of the verification key — the factors themselves
    /// (shape `[C]`) for a vector, or for `[C, H, W]` the factors as a `[C, 1, 1]` constant
    /// broadcast by a `linear` map (the key holds `C` integers, not `C·H·W`). Both products are
    /// virtual: the claims on them reach the accumulator and the constant, whose multilinear
    /// extension the verifier evaluates itself.
    mutating func channelScaled(_ acc: TensorID, factors: [Int64], shape: [Int], worst: Int64, name: String) -> TensorID {
        let (smallest, largest) = (factors.min() ?? 0, factors.max() ?? 0)
        let constantShape = [shape[0]] + [Int](repeating: 1, count: shape.count - 1)
        let constant = draft.add(TensorInfo(name: "\(name).factors", shape: constantShape, storage: .constant,
                                            minimum: smallest, maximum: largest))
        draft.known[constant] = factors
        var perSlot = constant
        if shape.count > 1 {
            perSlot = draft.add(TensorInfo(name: "\(name).factors_bc", shape: shape, storage: .virtual,
                                           minimum: smallest, maximum: largest))
            let spread = shape.dropFirst().map { d in AxisMap(pairs: (0..<d).map { AxisMap.Pair(output: $0, input: 0) }) }
            draft.relations.append(.linear(output: perSlot, input: constant, map: .axes([.identity(shape[0])] + spread)))
        }
        let product = draft.add(TensorInfo(name: "\(name).acc_scaled", shape: shape, storage: .virtual, minimum: -worst, maximum: worst))
        draft.relations.append(.mul(output: product, lhs: acc, rhs: perSlot))
        return product
    }

    /// QLinearConv, QLinearMatMul, ConvInteger and MatMulInteger on a model-quantized input:
    /// the exact integer product with the kernel's zero point removed, plus the int32 bias; the
    /// QLinear forms then requantize by the exact Float32 multiplier and clamp to the output type,
    /// the Integer forms leave the int32 accumulator (a wide value that the `Cast → Mul` after it
    /// rescales).
    ///
    /// Per-channel quantization (a 1-D `w_scale` and `w_zero_point`, one entry per output channel:
    /// a convolution's output channel, a matrix product's output column) removes each channel's
    /// zero point from its own kernel rows, and, when the channels' multipliers
    /// `x_scale · w_scale[c] / y_scale` differ, brings them to one shift `s`
    /// (``Quantization/commonShift(_:)``): the accumulator is multiplied by each channel's integer
    /// factor (``channelScaled(_:factors:shape:worst:name:)``) and requantized by the common
    /// multiplier and `s` — for each channel exactly its own Float32 multiplier.
    mutating func lowerIntegerLinear(_ node: ModelNode) {
        guard let operands = IntegerLinearOperands(node.op, inputs: node.inputs) else {
            reject(node, "QGemm with transA or alpha ≠ 1 is not supported"); return
        }
        guard let x = activationOperand(node) else { return }
        guard let xZero = x.zeroPoint, x.bounds != nil else {
            reject(node, "its input must be a quantized tensor (the output of QuantizeLinear or another quantized operator)")
            return
        }
        guard let (nodeXZero, _) = quantizationZeroPoint(node, operands.xZero), nodeXZero == xZero else {
            reject(node, "its input zero point must be a scalar equal to the one its input was quantized with (\(xZero))")
            return
        }
        guard operands.weight < node.inputs.count, let w = integerInitializer(node.inputs[operands.weight]) else {
            reject(node, "its weight must be a constant integer tensor"); return
        }
        // The output channels: a kernel's first dimension; a matrix's output columns (the rows of
        // Gemm's transposed B). Entry i of the weight belongs to channel channelOf(i).
        let channels: Int
        if operands.convolution != nil {
            channels = w.shape.count == 4 ? w.shape[0] : 0
        } else {
            channels = w.shape.count == 2 ? (operands.transposed ? w.shape[0] : w.shape[1]) : 0
        }
        let channelFirst = operands.convolution != nil || operands.transposed
        func channelOf(_ i: Int) -> Int { channels == 0 ? 0 : channelFirst ? i / (w.count / channels) : i % channels }
        guard let wZeros = channelZeroPoints(node, operands.wZero, channels: channels) else {
            reject(node, "its weight zero point must be a constant scalar or one per output channel (\(channels))"); return
        }
        var scales: (x: Float, w: [Float], y: Float, yZero: Int64, yRange: ClosedRange<Int64>)? = nil
        if let r = operands.requantization {
            guard let xs = quantizationScale(node, r.xScale), let ws = channelScales(node, r.wScale, channels: channels),
                  let ys = quantizationScale(node, r.yScale), let (yZero, yRange) = quantizationZeroPoint(node, r.yZero) else {
                reject(node, "its scales and zero points must be constants: scalars, except the weight's scale, which may have one entry per output channel (\(channels))")
                return
            }
            scales = (xs, ws, ys, yZero, yRange)
        }
        let centredWeights = w.values.enumerated().map { $1 - wZeros[channelOf($0)] }
        guard let lowest = centredWeights.min(), let highest = centredWeights.max(), lowest >= -32768, highest <= 32767 else {
            reject(node, "its weights minus their zero point must fit in 16 bits"); return
        }
        // The kernel as `[out, rest…]` rows, the bias, and the relation's geometry.
        var weights: [Int64], weightShape: [Int], outShape: [Int]
        var geometry: ConvolutionGeometry? = nil
        if let a = operands.convolution {
            guard x.shape.count == 3, w.shape.count == 4, a.dilations.count == 2, a.dilations.allSatisfy({ (1...64).contains($0) }),
                  let pads = a.padding.resolved(inputSizes: [x.shape[1], x.shape[2]], kernel: [w.shape[2], w.shape[3]],
                                                strides: a.strides, dilations: a.dilations) else {
                reject(node, "2-D convolution with a constant kernel (dilation up to 64) is supported"); return
            }
            let (dilated, shape) = Self.dilated(centredWeights.map(Double.init), shape: w.shape, dilations: a.dilations)
            (weights, weightShape) = (dilated.map { Int64($0) }, shape)
            geometry = ConvolutionGeometry(stride: a.strides, pads: [pads[0], pads[1], pads[2], pads[3]], groups: a.group)
            let ho = (x.shape[1] + pads[0] + pads[2] - shape[2]) / a.strides[0] + 1
            let wo = (x.shape[2] + pads[1] + pads[3] - shape[3]) / a.strides[1] + 1
            outShape = [shape[0], ho, wo]
        } else {
            let (k, n) = operands.transposed ? (w.shape.last ?? 0, w.shape.first ?? 0) : (w.shape.first ?? 0, w.shape.last ?? 0)
            guard x.shape.count == 1, w.shape.count == 2, k == x.shape[0] else {
                reject(node, "a matrix product needs a 1-D (batch 1) quantized activation and a constant [in, out] matrix"); return
            }
            // Rows of the relation's matrix are output entries.
            weights = operands.transposed ? centredWeights : (0..<(n * k)).map { centredWeights[($0 % k) * n + $0 / k] }
            (weightShape, outShape) = ([n, k], [n])
        }
        let rows = weightShape[0]
        var bias = [Int64](repeating: 0, count: rows)
        if let index = operands.bias, index < node.inputs.count, !node.inputs[index].isEmpty {
            guard let b = integerInitializer(node.inputs[index]), b.count == rows, b.values.allSatisfy({ abs($0) <= Self.biasLimit }) else {
                reject(node, "its bias must be a constant int32 vector of \(rows) entries"); return
            }
            bias = b.values
        }
        // The worst case |acc| over every input in range, per output channel.
        let inputMagnitude = magnitude(x)
        let rowLength = weights.count / rows
        var rowWorst = [Int64](repeating: 0, count: rows)
        for o in 0..<rows {
            var sum = abs(bias[o])
            for k in 0..<rowLength { sum += abs(weights[o * rowLength + k]) * inputMagnitude }
            rowWorst[o] = sum
        }
        let worst = rowWorst.max() ?? 0
        let acc = linearAccumulator(node.name, input: x.tensor, weights: weights, weightShape: weightShape,
                                    weightBounds: lowest...highest, bias: bias, outShape: outShape, worst: worst, convolution: geometry)
        guard let scales else {
            if let real = operands.realOutput {
                // QGemm's float output: the accumulator at scale a_scale · b_scale.
                guard let xs = quantizationScale(node, real.xScale), let ws = quantizationScale(node, real.wScale) else {
                    reject(node, "a QGemm with a float output (no y_scale) needs scalar scales: per-column b_scale would give each output column its own scale")
                    return
                }
                values[node.outputs[0]] = QuantizedValue(tensor: acc, scale: Double(xs * ws), shape: outShape, bounds: -worst...worst)
                return
            }
            // int32 accumulators: real value = the integer itself.
            values[node.outputs[0]] = QuantizedValue(tensor: acc, scale: 1, shape: outShape, bounds: -worst...worst, zeroPoint: 0)
            return
        }
        // onnxruntime forms each channel's multiplier in Float32, left to right. A channel whose
        // every accumulator in range rounds to 0 (`|acc|·M_c < 2^(s_c−1)` in the worst case: a
        // channel of near-zero weights, whose scale is tiny) is `dead`: it needs no multiplier.
        var multipliers: [(multiplier: Int64, shift: Int)?] = []
        for (o, ws) in scales.w.enumerated() {
            let value = scales.x * ws / scales.y
            guard let exact = Quantization.exactMultiplier(value) else {
                // Below 2^−39 (s > 62) with |acc| < 2^38 the product is below 1/2: dead too.
                guard value < 0x1p-39, o < rowWorst.count, rowWorst[o] < Int64(1) << 38 else {
                    reject(node, "its requantization multiplier \(value) has no exact fixed-point form M / 2^s with s ≤ 62")
                    return
                }
                multipliers.append(nil)
                continue
            }
            multipliers.append(exact)
        }
        let clamp = Self.centred(scales.yRange, zeroPoint: scales.yZero)
        var requantized: (acc: TensorID, worst: Int64, multiplier: Int64, shift: Int, weightScale: Double?)
        if let first = multipliers[0], multipliers.allSatisfy({ $0.map { $0 == first } ?? false }) {
            // One multiplier (per tensor, or channels that share one): the requantization as it was.
            requantized = (acc, worst, first.multiplier, first.shift, Double(scales.w[0]))
        } else {
            // A dead channel gets the factor 0, which gives that 0 too; its large shift does not
            // count towards the common one.
            guard multipliers.count == rows else { reject(node, "its weight scales must be one per output channel (\(rows))"); return }
            let live = (0..<rows).filter { o in
                guard let m = multipliers[o] else { return false }
                let (product, overflow) = rowWorst[o].multipliedReportingOverflow(by: m.multiplier)
                return overflow || product >= Int64(1) << Int64(m.shift - 1)
            }
            var (common, shift, factors) = (Int64(1), 1, [Int64](repeating: 0, count: rows))
            if !live.isEmpty {
                guard let (c, s, f) = Quantization.commonShift(live.map { multipliers[$0]! }) else {
                    reject(node, "its per-channel multipliers span too many powers of two for one 62-bit shift"); return
                }
                (common, shift) = (c, s)
                for (i, o) in live.enumerated() { factors[o] = f[i] }
            }
            var scaledWorst: Int64 = 0
            for o in 0..<rows {
                let (product, overflow) = rowWorst[o].multipliedReportingOverflow(by: factors[o])
                guard !overflow, product < Int64(1) << 62 else {
                    let shifts = live.map { multipliers[$0]!.shift }
                    reject(node, "its per-channel multipliers lie \(shifts.max()! - shifts.min()!) powers of two apart: channel \(o)'s worst accumulator, brought to the shift of the smallest multiplier, would leave 62-bit integers")
                    return
                }
                scaledWorst = max(scaledWorst, product)
            }
            let product = channelScaled(acc, factors: factors, shape: outShape, worst: scaledWorst, name: node.name)
            requantized = (product, scaledWorst, common, shift, nil)
        }
        guard let y = requantizedAndClamped(
            requantized.acc, worst: requantized.worst, multiplier: requantized.multiplier, shift: requantized.shift,
            clamp: clamp, shape: outShape, node: node, inputScale: Double(scales.x), weightScale: requantized.weightScale,
            outputScale: Double(scales.y)) else { return }
        values[node.outputs[0]] = QuantizedValue(
            tensor: y, scale: Double(scales.y), shape: outShape, bounds: clamp, zeroPoint: scales.yZero)
    }
}
