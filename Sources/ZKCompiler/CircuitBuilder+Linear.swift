import ZKCircuit
import ZKModel

extension CircuitBuilder {
    /// Gemm / MatMul / Conv, with a following bias Add (MatMul), BatchNormalization (Conv or Gemm)
    /// and activation folded in.
    mutating func lowerLinear(_ index: Int) {
        let node = graph.nodes[index]
        guard var x = values[node.inputs[0]] else {
            switch node.op {
            case .gemm, .matMul: lowerConstantTimesActivation(index)
            default: reject(node, "Conv needs the activation as its input X and a constant kernel")
            }
            return
        }
        var weights: [Double]          // [out, rest…] row-major
        var weightShape: [Int]
        var bias: [Double]
        var convolution: ConvolutionGeometry? = nil
        switch node.op {
        case .gemm(let a):
            guard !a.transposeA, x.shape.count == 1, node.inputs.count >= 2, let b = initializer(node.inputs[1]), b.shape.count == 2 else {
                reject(node, "Gemm needs a 1-D activation A (no transA) and a constant B"); return
            }
            let (rows, cols) = a.transposeB ? (b.shape[0], b.shape[1]) : (b.shape[1], b.shape[0])
            guard cols == x.shape[0] else { reject(node, "Gemm shapes do not match"); return }
            weights = [Double](repeating: 0, count: rows * cols)
            for o in 0..<rows { for k in 0..<cols {
                let v = a.transposeB ? b.values[o * cols + k] : b.values[k * rows + o]
                weights[o * cols + k] = Double(a.alpha) * Double(v)
            } }
            weightShape = [rows, cols]
            bias = [Double](repeating: 0, count: rows)
            if node.inputs.count >= 3, !node.inputs[2].isEmpty {
                guard let c = initializer(node.inputs[2]), c.count == rows || c.count == 1 else {
                    reject(node, "Gemm's C must be a constant of \(rows) entries"); return
                }
                for o in 0..<rows { bias[o] = Double(a.beta) * Double(c.count == 1 ? c.values[0] : c.values[o]) }
            }
        case .matMul:
            if x.shape.count >= 2, let b = initializer(node.inputs[1]), b.shape.count == 2 {
                lowerRowsTimesConstant(node, x, b)
                return
            }
            guard x.shape.count == 1, let b = initializer(node.inputs[1]), b.shape.count == 2, b.shape[0] == x.shape[0] else {
                reject(node, "MatMul needs a 1-D activation and a constant [in, out] right operand"); return
            }
            let (cols, rows) = (b.shape[0], b.shape[1])
            weights = [Double](repeating: 0, count: rows * cols)
            for o in 0..<rows { for k in 0..<cols { weights[o * cols + k] = Double(b.values[k * rows + o]) } }
            weightShape = [rows, cols]
            bias = [Double](repeating: 0, count: rows)
        case .conv(let a):
            guard x.shape.count == 3, let w = initializer(node.inputs[1]), w.shape.count == 4, a.dilations.count == 2,
                  a.dilations.allSatisfy({ (1...64).contains($0) }),
                  let pads = a.padding.resolved(inputSizes: [x.shape[1], x.shape[2]], kernel: [w.shape[2], w.shape[3]],
                                                strides: a.strides, dilations: a.dilations) else {
                reject(node, "2-D convolution with a constant kernel (dilation up to 64) is supported"); return
            }
            // A dilated kernel is the kernel with zeros between its taps.
            (weights, weightShape) = Self.dilated(w.values.map(Double.init), shape: w.shape, dilations: a.dilations)
            bias = [Double](repeating: 0, count: w.shape[0])
            if node.inputs.count >= 3, !node.inputs[2].isEmpty {
                guard let b = initializer(node.inputs[2]), b.count == w.shape[0] else { reject(node, "Conv bias must be constant"); return }
                bias = b.values.map(Double.init)
            }
            convolution = ConvolutionGeometry(stride: a.strides, pads: [pads[0], pads[1], pads[2], pads[3]], groups: a.group)
        case .convTranspose(let a):
            guard x.shape.count == 3, let w = initializer(node.inputs[1]), w.shape.count == 4, let full = types[node.inputs[0]]?.shape,
                  a.dilations.allSatisfy({ (1...64).contains($0) }),
                  case .success(let geometry) = ConvTransposeGeometry.resolve(input: full, weight: w.shape, a) else {
                reject(node, "2-D ConvTranspose with a constant kernel (dilation up to 64) is supported"); return
            }
            guard let lowered = lowerTransposedInput(node, x, w, a, geometry) else { return }
            (x, weights, weightShape) = lowered
            bias = [Double](repeating: 0, count: weightShape[0])
            if node.inputs.count >= 3, !node.inputs[2].isEmpty {
                guard let b = initializer(node.inputs[2]), b.count == weightShape[0] else {
                    reject(node, "ConvTranspose bias must be constant"); return
                }
                bias = b.values.map(Double.init)
            }
            convolution = .pointwise(groups: a.group)
        default:
            return
        }
        let rows = weightShape[0], rowLength = weights.count / rows
        var current = node.outputs[0]

        // A bias Add after MatMul.
        if case .matMul = node.op, let next = soleConsumer(of: current), case .add = graph.nodes[next].op {
            let other = graph.nodes[next].inputs.first { $0 != current } ?? ""
            if let c = initializer(other), c.count == rows {
                for o in 0..<rows { bias[o] += Double(c.values[o]) }
                done.insert(next)
                current = graph.nodes[next].outputs[0]
            }
        }
        // BatchNormalization: y = (x − mean)·γ/√(var + ε) + β, folded per output channel.
        if let next = soleConsumer(of: current), case .batchNormalization(let epsilon) = graph.nodes[next].op {
            let bn = graph.nodes[next]
            guard bn.inputs.count == 5, let gamma = initializer(bn.inputs[1]), let beta = initializer(bn.inputs[2]),
                  let mean = initializer(bn.inputs[3]), let variance = initializer(bn.inputs[4]),
                  [gamma, beta, mean, variance].allSatisfy({ $0.count == rows }) else {
                reject(bn, "BatchNormalization needs constant per-channel parameters"); return
            }
            for o in 0..<rows {
                let factor = Double(gamma.values[o]) / (Double(variance.values[o]) + Double(epsilon)).squareRoot()
                for k in 0..<rowLength { weights[o * rowLength + k] *= factor }
                bias[o] = (bias[o] - Double(mean.values[o])) * factor + Double(beta.values[o])
            }
            done.insert(next)
            current = bn.outputs[0]
        }
        // The activation.
        let preActivation = current
        let activation: Activation
        (activation, current) = fusedActivation(after: current)

        guard let (qWeights, qBias, weightScale, accumulatorScale, worst) = quantizeLayer(
            weights: weights, bias: bias, inputScale: x.scale, node: node) else { return }
        let outShape: [Int]
        if let convolution {
            let ho = (x.shape[1] + convolution.pads[0] + convolution.pads[2] - weightShape[2]) / convolution.stride[0] + 1
            let wo = (x.shape[2] + convolution.pads[1] + convolution.pads[3] - weightShape[3]) / convolution.stride[1] + 1
            outShape = [rows, ho, wo]
        } else {
            outShape = [rows]
        }
        let acc = linearAccumulator(node.name, input: x.tensor, weights: qWeights, weightShape: weightShape, bias: qBias,
                                    outShape: outShape, worst: worst, convolution: convolution)
        // The requantized value's scale: the activation's output range (Relu, Clip, none) or the
        // pre-activation's (Sigmoid, Tanh and other functions read it through a table to their own
        // output scale).
        let yScale = scale(of: activation.changesScale ? preActivation : current)
        requantizeAndActivate(
            node: node, accumulator: acc, accumulatorScale: accumulatorScale, outputScale: yScale, worstAccumulator: worst,
            activation: activation, shape: outShape, outputName: current, inputScale: x.scale, weightScale: weightScale)
    }

    /// `C · X` with a constant left operand — MatMul(C, X), or Gemm(A, B) with A constant — as a
    /// 1×1 convolution: X viewed as a `[p, n]` matrix is an input of `p` channels at `1 × n`
    /// positions, C is the kernel `[m, p, 1, 1]`, and the `[m, 1, n]` result is viewed back as the
    /// node's output. The views (and the transpose of Gemm's `transB`) are linear maps that the
    /// verifier applies itself; the activation that follows is fused as for any linear layer.
    /// Gemm's C must then be one value per output row (a scalar or `[M, 1]`).
    mutating func lowerConstantTimesActivation(_ index: Int) {
        let node = graph.nodes[index]
        guard node.inputs.count >= 2, let c = initializer(node.inputs[0]) else {
            reject(node, "\(node.op.name) needs a constant and an activation operand"); return
        }
        guard let x = activationOperand(node, 1, role: "B") else { return }
        guard let xShape = types[node.inputs[1]]?.shape, let outShape = types[node.outputs[0]]?.shape else {
            reject(node, "the shapes of its operands are unknown"); return
        }
        guard c.shape.count == 2 else {
            reject(node, "a constant left operand must be a matrix, has shape \(c.shape)"); return
        }
        let m: Int, p: Int, n: Int
        let left: [Double]              // [m, p] row-major
        var bias: [Double]
        var transposed = false          // the activation holds Bᵀ, [n, p]
        switch node.op {
        case .matMul:
            (m, p) = (c.shape[0], c.shape[1])
            switch xShape.count {
            case 1: n = 1
            case 2: n = xShape[1]
            case 3 where xShape[0] == 1: n = xShape[2]
            default:
                reject(node, "MatMul(constant, activation) needs a 1-D, 2-D or batch-1 3-D activation, has \(xShape)"); return
            }
            left = c.values.map(Double.init)
            bias = [Double](repeating: 0, count: m)
        case .gemm(let a):
            guard xShape.count == 2 else { reject(node, "Gemm needs a 2-D B, has \(xShape)"); return }
            (m, p) = a.transposeA ? (c.shape[1], c.shape[0]) : (c.shape[0], c.shape[1])
            n = a.transposeB ? xShape[0] : xShape[1]
            transposed = a.transposeB
            left = (0..<(m * p)).map { e in
                let (i, k) = (e / p, e % p)
                return Double(a.alpha) * Double(a.transposeA ? c.values[k * m + i] : c.values[i * p + k])
            }
            bias = [Double](repeating: 0, count: m)
            if node.inputs.count >= 3, !node.inputs[2].isEmpty {
                guard let offsets = initializer(node.inputs[2]),
                      offsets.count == 1 || (offsets.shape.count == 2 && offsets.shape[0] == m && offsets.shape[1] == 1) else {
                    reject(node, "with a constant A, Gemm's C must be a constant scalar or one value per output row ([\(m), 1])")
                    return
                }
                for o in 0..<m { bias[o] = Double(a.beta) * Double(offsets.count == 1 ? offsets.values[0] : offsets.values[o]) }
            }
        default:
            return
        }
        guard x.shape.reduce(1, *) == p * n else {
            reject(node, "the activation \(x.shape) is not a [\(p), \(n)] matrix"); return
        }
        var input = x
        if transposed {
            input = view(input, as: [n, p], name: "\(node.name).bt")
            let t = draft.add(activation("\(node.name).b", shape: [p, n], storage: .virtual))
            draft.relations.append(.linear(output: t, input: input.tensor, map: .transpose(permutation: [1, 0])))
            input = QuantizedValue(tensor: t, scale: x.scale, shape: [p, n])
        }
        input = view(input, as: [p, 1, n], name: "\(node.name).x")
        let (activationKind, current) = fusedActivation(after: node.outputs[0])
        guard let (qWeights, qBias, weightScale, accumulatorScale, worst) = quantizeLayer(
            weights: left, bias: bias, inputScale: x.scale, node: node) else { return }
        let acc = linearAccumulator(node.name, input: input.tensor, weights: qWeights, weightShape: [m, p, 1, 1], bias: qBias,
                                    outShape: [m, 1, n], worst: worst, convolution: .pointwise())
        let yScale = scale(of: activationKind.changesScale ? node.outputs[0] : current)
        let shape = Self.dropBatch(outShape)
        let result = shape == [m, 1, n] ? current : "\(node.name).product"
        requantizeAndActivate(
            node: node, accumulator: acc, accumulatorScale: accumulatorScale, outputScale: yScale, worstAccumulator: worst,
            activation: activationKind, shape: [m, 1, n], outputName: result, inputScale: x.scale, weightScale: weightScale)
        if result != current, let y = values[result] {
            let back = draft.add(activation(current, shape: shape, storage: current == outputValue ? .advice : .virtual))
            draft.relations.append(.linear(output: back, input: y.tensor, map: .reshape))
            values[current] = QuantizedValue(tensor: back, scale: y.scale, shape: shape)
        }
    }

    /// `x` with another shape (the same entries in row-major order): `x` itself when it has
    /// that shape already, else a virtual reshape.
    mutating func view(_ x: QuantizedValue, as shape: [Int], name: String) -> QuantizedValue {
        if x.shape == shape { return x }
        let id = draft.add(activation(name, shape: shape, storage: .virtual, bounds: x.bounds))
        draft.relations.append(.linear(output: id, input: x.tensor, map: .reshape))
        return x.relabelled(id, shape: shape)
    }

    /// Quantizes a linear layer's parameters: `bits`-bit weights (symmetric, one scale
    /// `max|w| / limit` for the tensor), the bias at the accumulator's scale `s_in · s_w` (within
    /// ±2^40, so `acc · M` stays far inside Int64 and the field), and the worst-case accumulator
    /// `max_o (|b_o| + Σ_k |w_ok| · limit)` from which the requantized table domain is sized.
    /// `weights` is row-major with one row per entry of `bias`. Rejects `node` (and returns nil)
    /// when a weight or bias is not finite.
    mutating func quantizeLayer(weights: [Double], bias: [Double], inputScale: Double, node: ModelNode) -> (
        weights: [Int64], bias: [Int64], weightScale: Double, accumulatorScale: Double, worst: Int64
    )? {
        guard weights.allSatisfy(\.isFinite), bias.allSatisfy(\.isFinite) else {
            reject(node, "its weights or bias are not finite (NaN or infinite)")
            return nil
        }
        let maxWeight = weights.reduce(0.0) { max($0, abs($1)) }
        let weightScale = maxWeight > 0 ? maxWeight / Double(limit) : 1
        let qWeights = weights.map { Quantization.quantize($0, scale: weightScale, limit: limit).0 }
        let accumulatorScale = inputScale * weightScale
        let qBias = bias.map { Quantization.quantize($0, scale: accumulatorScale, limit: Self.biasLimit).0 }
        let rowLength = weights.count / max(bias.count, 1)
        var worst: Int64 = 0
        for o in 0..<bias.count {
            var sum = abs(qBias[o])
            for k in 0..<rowLength { sum += abs(qWeights[o * rowLength + k]) * limit }
            worst = max(worst, sum)
        }
        return (qWeights, qBias, weightScale, accumulatorScale, worst)
    }

    /// The bound on a quantized bias.
    static let biasLimit = Int64(1) << 40

    /// Stride, padding (`[top, left, bottom, right]`) and groups of a `conv2d` relation.
    struct ConvolutionGeometry {
        var stride: [Int]
        var pads: [Int]
        var groups: Int

        /// A 1×1 convolution with no padding (a matrix product over channels, or depthwise).
        static func pointwise(groups: Int = 1) -> ConvolutionGeometry {
            ConvolutionGeometry(stride: [1, 1], pads: [0, 0, 0, 0], groups: groups)
        }
    }

    /// A linear layer's committed weights (in `weightBounds`, `±limit` by default), its bias
    /// constant (none when `bias` is nil) and the virtual accumulator `acc = W·x + b` (the
    /// `matMul` relation), or `W ⋆ x + b` (`conv2d`, with a `convolution` geometry), bounded by
    /// `±worst`. Returns the accumulator.
    mutating func linearAccumulator(
        _ name: String, input: TensorID, weights: [Int64], weightShape: [Int], weightBounds: ClosedRange<Int64>? = nil,
        bias: [Int64]?, outShape: [Int], worst: Int64, convolution: ConvolutionGeometry?
    ) -> TensorID {
        let w = draft.add(TensorInfo(name: "\(name).weight", shape: weightShape, storage: .weight,
                                     minimum: weightBounds?.lowerBound ?? -limit, maximum: weightBounds?.upperBound ?? limit))
        draft.known[w] = weights
        var b: TensorID? = nil
        if let bias {
            let id = draft.add(TensorInfo(name: "\(name).bias", shape: [weightShape[0]], storage: .constant,
                                          minimum: -Self.biasLimit, maximum: Self.biasLimit))
            draft.known[id] = bias
            b = id
        }
        let acc = draft.add(TensorInfo(name: "\(name).acc", shape: outShape, storage: .virtual, minimum: -worst, maximum: worst))
        if let convolution {
            draft.relations.append(.conv2d(output: acc, weights: w, input: input, bias: b, stride: convolution.stride,
                                           pads: convolution.pads, groups: convolution.groups))
        } else {
            draft.relations.append(.matMul(output: acc, weights: w, input: input, bias: b))
        }
        return acc
    }

    /// `acc → requantize → y → draft.table(activation ∘ clamp to ±limit) → a`, recording the layer.
    mutating func requantizeAndActivate(
        node: ModelNode, accumulator acc: TensorID, accumulatorScale: Double, outputScale yScale: Double,
        worstAccumulator: Int64, activation: Activation, shape: [Int], outputName: String, inputScale: Double,
        weightScale: Double?
    ) {
        // A worst case that would need a table up to 4× wider than the maximum requantizes to a
        // coarser scale instead (each halving of the resolution halves the table): the layer keeps
        // all but one or two bits of its precision rather than being refused (at 16 bits,
        // convolutions). Beyond that the layer is refused as before: its calibrated range is far
        // inside its worst case (a cancellation such as `x − max(x)` of large inputs), and a
        // coarser scale would lose the result. `widest` keeps `floor(worst·M/2^s + 1/2) + 1` below
        // `2^(maximumTableBits−1)` with the 15-bit multiplier's rounding; a layer that fitted
        // before is not touched.
        let widest = Double(Int64(1) << Int64(options.maximumTableBits - 1)) * (1 - 0x1p-12) - 4
        let fitting = Double(worstAccumulator) * accumulatorScale / widest
        let yScale = fitting > yScale && fitting <= 4 * yScale ? fitting : yScale
        guard let (multiplier, shift) = requantizationMultiplier(accumulatorScale / yScale, node: node),
              let (y, bits) = requantize(acc, worst: worstAccumulator, multiplier: multiplier, shift: shift, shape: shape,
                                         name: node.name, node: node) else { return }
        let (spec, outScale) = activationTable(activation, inputScale: yScale, bits: bits)
        let a = draft.add(self.activation(outputName, shape: shape, storage: .advice))
        draft.relations.append(.lookup(input: y, output: a, table: draft.table(spec)))
        values[outputName] = QuantizedValue(tensor: a, scale: outScale, shape: shape)
        layers.append(LayerScales(
            node: node.name, op: node.op.name, inputScale: inputScale, weightScale: weightScale, outputScale: outScale,
            multiplier: multiplier, shift: shift, calibratedMinimum: -(maxAbs[outputName] ?? 0),
            calibratedMaximum: maxAbs[outputName] ?? 0, tableBits: bits, requantizedTensor: y,
            saturationMinimum: -limit, saturationMaximum: limit))
    }

    /// `y = floor((acc · M + 2^(s−1)) / 2^s)` as a requantize relation with 8-bit remainder limbs
    /// (the last limb exactly as wide as what is left of `s`), `y` an advice tensor whose signed
    /// table domain covers the worst case `|acc| ≤ worst`. Returns `y` and that domain's bits, or
    /// nil (the node rejected) when the domain would exceed ``CompileOptions/maximumTableBits``.
    mutating func requantize(
        _ acc: TensorID, worst: Int64, multiplier: Int64, shift: Int, shape: [Int], name: String, node: ModelNode
    ) -> (y: TensorID, bits: Int)? {
        guard let worstRequantized = Quantization.requantize(worst, multiplier: multiplier, shift: shift) else {
            reject(node, "its worst-case accumulator \(worst) times the multiplier \(multiplier) leaves 64-bit integers; use fewer --bits")
            return nil
        }
        let worstY = worstRequantized + 1
        let bits = max(options.bits, Quantization.signedBits(covering: worstY))
        if bits > options.maximumTableBits {
            reject(node, "requantized values need a \(bits)-bit table (maximum \(options.maximumTableBits)); recalibrate or use fewer --bits")
            return nil
        }
        let half = Int64(1) << Int64(bits - 1)
        let y = draft.add(TensorInfo(name: "\(name).y", shape: shape, storage: .advice, minimum: -half, maximum: half - 1))
        let limbCount = (shift + 7) / 8
        let limbs = (0..<limbCount).map { k in
            draft.add(TensorInfo(name: "\(name).r\(k)", shape: shape, storage: .advice, minimum: 0, maximum: 255))
        }
        draft.relations.append(.requantize(output: y, input: acc, remainderLimbs: limbs, multiplier: multiplier, shift: shift))
        for (k, limb) in limbs.enumerated() {
            draft.relations.append(.lookup(input: limb, output: nil, table: draft.table(.range(bits: k == limbCount - 1 ? shift - 8 * k : 8))))
        }
        return (y, bits)
    }

    /// ``Quantization/multiplier(for:)`` for a ratio of the form it promises, `M / 2^s` with `M` in
    /// `[2^14, 2^15)` and `1 ≤ s ≤ 62` (so `2^−48 ≤ ratio < 2^14`); nil, the node rejected, for any
    /// other ratio (degenerate calibrated scales, extreme weights), which would trap there or lose
    /// the multiplier's precision.
    mutating func requantizationMultiplier(_ ratio: Double, node: ModelNode) -> (multiplier: Int64, shift: Int)? {
        guard ratio.isFinite, ratio >= 0x1p-48, ratio < 0x1p14 else {
            reject(node, "the requantization ratio \(ratio) is outside [2^-48, 2^14): degenerate scales (recalibrate)")
            return nil
        }
        guard let pair = Quantization.multiplier(for: ratio) else {
            reject(node, "its requantization ratio \(ratio) has no 15-bit fixed-point multiplier (degenerate scales: check the calibration inputs and the weights)")
            return nil
        }
        return pair
    }

    /// The table of `activation ∘ clamp to ±limit` over `bits`-bit signed inputs of scale
    /// `inputScale`, and the scale of its outputs: the input's for Relu, Clip and the plain clamp,
    /// `1/limit` for Sigmoid and Tanh (whose outputs lie in `[−1, 1]`).
    func activationTable(_ activation: Activation, inputScale: Double, bits: Int) -> (LookupTableSpec, outputScale: Double) {
        let limit = self.limit
        switch activation {
        case .none:
            return (.function(name: "clamp[-\(limit),\(limit)]", bits: bits) { min(max($0, -limit), limit) }, inputScale)
        case .relu:
            return (.function(name: "relu-clamp[0,\(limit)]", bits: bits) { min(max($0, 0), limit) }, inputScale)
        case .clip(let lo, let hi):
            // Bounds beyond the clamp (±FLT_MAX stands for "none" in some exports) are the clamp.
            let low = lo.map { Self.integer($0 / inputScale, limit: limit) } ?? -limit
            let high = hi.map { Self.integer($0 / inputScale, limit: limit) } ?? limit
            return (.function(name: "clip[\(low),\(high)]", bits: bits) { min(max($0, low), high) }, inputScale)
        case .sigmoid:
            let spec = LookupTableSpec.function(name: "sigmoid(\(inputScale))[\(limit)]", bits: bits) { v in
                Self.integer(Double(limit) / (1 + Foundationless.exp(-Double(v) * inputScale)), limit: limit)
            }
            return (spec, 1.0 / Double(limit))
        case .tanh:
            let spec = LookupTableSpec.function(name: "tanh(\(inputScale))[\(limit)]", bits: bits) { v in
                Self.integer(Double(limit) * Foundationless.tanh(Double(v) * inputScale), limit: limit)
            }
            return (spec, 1.0 / Double(limit))
        case .function(let function, let outputScale):
            let spec = LookupTableSpec.function(name: "\(function.signature)(\(inputScale))→\(outputScale)[\(limit)]", bits: bits) { v in
                Self.integer(function.apply(Double(v) * inputScale) / outputScale, limit: limit)
            }
            return (spec, outputScale)
        }
    }

    /// `value` rounded to the nearest integer and clamped to `±limit` (a NaN to 0): never traps.
    static func integer(_ value: Double, limit: Int64) -> Int64 {
        if value.isNaN { return 0 }
        return Int64(min(max(value.rounded(), -Double(limit)), Double(limit)))
    }

    /// Whether `id`'s padding slots are zero in every witness of the circuit built so far
    /// (``ZKCircuit/Circuit/paddingIsZero()``): not after a table with `f(0) ≠ 0` (Sigmoid, a
    /// Clip with a positive lower bound), nor after a slot-wise relation that carries such padding.
    func paddingIsZero(_ id: TensorID) -> Bool {
        draft.circuit(input: 0, output: id).paddingIsZero()[id]
    }

    /// `x` with zero padding: `x` itself when the circuit forces it, else a copy by the identity
    /// linear map — a mask, since the proof system proves a linear map of an input whose padding
    /// is not forced to zero by a sumcheck over the input's logical slots (never by relabelling).
    /// The copy is virtual unless `stored`.
    mutating func zeroPadded(_ x: QuantizedValue, name: String, stored: Bool = false) -> QuantizedValue {
        if paddingIsZero(x.tensor) && (!stored || draft.tensors[x.tensor].storage == .advice) { return x }
        let copy = draft.add(activation(name, shape: x.shape, storage: stored ? .advice : .virtual, bounds: x.bounds))
        draft.relations.append(.linear(output: copy, input: x.tensor, map: .reshape))
        return x.relabelled(copy, shape: x.shape)
    }

    mutating func finish() throws(CompileError) -> CompiledModel {
        guard var output = values[outputValue] else { throw .invalidModel("the output \(outputValue) was not computed") }
        if let zp = output.zeroPoint, zp != 0 {
            throw .invalidModel("the output \(outputValue) is a quantized integer tensor (zero point \(zp)); end the model with DequantizeLinear")
        }
        // The public output must be a stored tensor with zero padding (the verifier evaluates its
        // zero-padded multilinear extension itself). A view (a reshape), the input itself, or a
        // tensor whose padding may be nonzero (a Sigmoid table's output holds f(0) there) gets a
        // stored, masked copy.
        output = zeroPadded(output, name: "\(outputValue).output", stored: true)
        draft.tensors[output.tensor].storage = .publicOutput
        let circuit = draft.circuit(input: 0, output: output.tensor)
        do throws(CircuitError) { try circuit.validate() } catch { throw .invalidModel("\(error)") }
        var model = CompiledModel(
            circuit: circuit, known: draft.known, inputName: graph.inputs[0].name, inputShape: graph.inputs[0].shape,
            inputScale: inputScale, outputName: graph.outputs[0].name,
            // After a trailing ArgMax the proven output is the scores it reads (the verifier takes the index).
            outputShape: postprocessing == .argmax ? (types[outputValue]?.shape ?? graph.outputs[0].shape) : graph.outputs[0].shape,
            outputScale: output.scale, outputPostprocessing: postprocessing, layers: layers)
        model.bits = options.bits
        model.inputQuantization = inputQuantization
        model.witnessHints = hints
        return model
    }
}

/// `exp` and `tanh` without Foundation (Glibc on Linux, Darwin on Apple platforms).
enum Foundationless {
    static func exp(_ x: Double) -> Double {
        #if canImport(Glibc)
        return Glibc.exp(x)
        #else
        return Darwin.exp(x)
        #endif
    }
    static func tanh(_ x: Double) -> Double {
        #if canImport(Glibc)
        return Glibc.tanh(x)
        #else
        return Darwin.tanh(x)
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
