/// The quantized operators, executed on integer-valued floats by their ONNX definitions:
/// `real = scale · (q - zero_point)`; quantization rounds half to even and saturates to the
/// output type. Integer products are summed exactly in `Double`; results above 2^24 in
/// magnitude (int32 accumulators) lose low bits when stored as `Float`.
enum QuantizedKernels {
    /// The parameter (scale or zero point) for each element of a tensor of `shape`: one value,
    /// or one per slice along `axis`.
    static func perElement(_ parameter: FloatTensor?, default value: Float, shape: [Int], axis: Int) -> (Int) -> Float {
        guard let parameter, parameter.count > 1 else {
            let scalar = parameter?.values.first ?? value
            return { _ in scalar }
        }
        let axis = TensorShape.normalizedAxis(axis, rank: shape.count) ?? 0
        let inner = shape[(axis + 1)...].reduce(1, *)
        let length = shape[axis]
        return { index in parameter.values[(index / inner) % length] }
    }

    static func saturate(_ value: Double, to type: ElementType) -> Float {
        let range = type.integerRange ?? Int64(UInt8.min)...Int64(UInt8.max)
        let rounded = value.rounded(.toNearestOrEven)
        if rounded.isNaN { return 0 }
        return Float(min(max(rounded, Double(range.lowerBound)), Double(range.upperBound)))
    }

    static func quantize(
        _ x: FloatTensor, scale: FloatTensor, zeroPoint: FloatTensor?, axis: Int, outputType: ElementType
    ) -> FloatTensor {
        let scaleAt = perElement(scale, default: 1, shape: x.shape, axis: axis)
        let zeroAt = perElement(zeroPoint, default: 0, shape: x.shape, axis: axis)
        var values = x.values
        for i in 0..<values.count {
            values[i] = saturate(
                (Double(values[i]) / Double(scaleAt(i))).rounded(.toNearestOrEven) + Double(zeroAt(i)), to: outputType)
        }
        return FloatTensor(validatedShape: x.shape, values: values)
    }

    static func dequantize(_ x: FloatTensor, scale: FloatTensor, zeroPoint: FloatTensor?, axis: Int) -> FloatTensor {
        let scaleAt = perElement(scale, default: 1, shape: x.shape, axis: axis)
        let zeroAt = perElement(zeroPoint, default: 0, shape: x.shape, axis: axis)
        var values = x.values
        for i in 0..<values.count {
            values[i] = Float((Double(values[i]) - Double(zeroAt(i))) * Double(scaleAt(i)))
        }
        return FloatTensor(validatedShape: x.shape, values: values)
    }

    /// `x - zeroPoint` with the zero point per tensor, or per row (`alongRows`, for A) or per
    /// column (for B) of the matrix's last two dimensions.
    static func centred(_ x: FloatTensor, zeroPoint: FloatTensor?, alongRows: Bool) -> FloatTensor {
        guard let zeroPoint else { return x }
        if zeroPoint.count == 1 {
            return FloatTensor(validatedShape: x.shape, values: x.values.map { $0 - zeroPoint.values[0] })
        }
        let columns = x.shape.last ?? 1
        let rows = x.shape.count >= 2 ? x.shape[x.shape.count - 2] : 1
        var values = x.values
        for i in 0..<values.count {
            let index = alongRows ? (i / columns) % rows : i % columns
            values[i] -= zeroPoint.values[index % zeroPoint.count]
        }
        return FloatTensor(validatedShape: x.shape, values: values)
    }

    static func matMulInteger(_ a: FloatTensor, _ b: FloatTensor, aZero: FloatTensor?, bZero: FloatTensor?) -> FloatTensor {
        let (shape, sums) = MatrixProductKernels.matMulSums(
            centred(a, zeroPoint: aZero, alongRows: true), centred(b, zeroPoint: bZero, alongRows: false))
        return FloatTensor(validatedShape: shape, values: sums.map { Float($0) })
    }

    /// `quantize((a - a_zp) · (b - b_zp) · a_scale · b_scale / y_scale)`; scales and zero
    /// points per tensor, or per row of `a` / per column of `b`.
    static func qLinearMatMul(
        a: FloatTensor, aScale: FloatTensor, aZero: FloatTensor?, b: FloatTensor, bScale: FloatTensor,
        bZero: FloatTensor?, yScale: FloatTensor, yZero: FloatTensor?, outputType: ElementType
    ) -> FloatTensor {
        let (shape, sums) = MatrixProductKernels.matMulSums(
            centred(a, zeroPoint: aZero, alongRows: true), centred(b, zeroPoint: bZero, alongRows: false))
        let columns = b.shape.count > 1 ? b.shape[b.shape.count - 1] : 1
        let rows = a.shape.count > 1 ? a.shape[a.shape.count - 2] : 1
        let range = outputType.integerRange ?? 0...255
        var values = [Float](repeating: 0, count: sums.count)
        for i in 0..<sums.count {
            let row = (i / columns) % rows
            let column = i % columns
            let aS = aScale.count == 1 ? aScale.values[0] : aScale.values[row % aScale.count]
            let bS = bScale.count == 1 ? bScale.values[0] : bScale.values[column % bScale.count]
            // The combined multiplier is formed in Float, as ONNX's reference does.
            let multiplier = aS * bS / yScale.values[0]
            let scaled = (sums[i] * Double(multiplier)).rounded(.toNearestOrEven)
            let shifted = scaled + Double(yZero?.values[0] ?? 0)
            values[i] = Float(min(max(shifted, Double(range.lowerBound)), Double(range.upperBound)))
        }
        return FloatTensor(validatedShape: shape, values: values)
    }

    static func convInteger(_ x: FloatTensor, _ w: FloatTensor, xZero: FloatTensor?, wZero: FloatTensor?, _ attributes: ConvolutionAttributes) -> FloatTensor {
        let (shape, sums) = ConvolutionKernels.sums(
            x, w, attributes, xOffset: xZero?.values.first ?? 0, wOffset: wZero?.values)
        return FloatTensor(validatedShape: shape, values: sums.map { Float($0) })
    }

    /// `quantize((conv(x - x_zp, w - w_zp) + B) · x_scale · w_scale / y_scale)`, with `w_scale`
    /// and `w_zp` per tensor or per output channel.
    static func qLinearConv(
        x: FloatTensor, xScale: FloatTensor, xZero: FloatTensor?, w: FloatTensor, wScale: FloatTensor,
        wZero: FloatTensor?, yScale: FloatTensor, yZero: FloatTensor?, bias: FloatTensor?,
        _ attributes: ConvolutionAttributes, outputType: ElementType
    ) -> FloatTensor {
        let (shape, sums) = ConvolutionKernels.sums(
            x, w, attributes, xOffset: xZero?.values.first ?? 0, wOffset: wZero?.values)
        let plane = shape[2] * shape[3]
        let range = outputType.integerRange ?? 0...255
        var values = [Float](repeating: 0, count: sums.count)
        for i in 0..<sums.count {
            let channel = (i / plane) % shape[1]
            let wS = wScale.count == 1 ? wScale.values[0] : wScale.values[channel % wScale.count]
            let accumulator = sums[i] + Double(bias?.values[channel] ?? 0)
            // The combined multiplier is formed in Float, as ONNX's reference does.
            let multiplier = xScale.values[0] * wS / yScale.values[0]
            let scaled = (accumulator * Double(multiplier)).rounded(.toNearestOrEven)
            let shifted = scaled + Double(yZero?.values[0] ?? 0)
            values[i] = Float(min(max(shifted, Double(range.lowerBound)), Double(range.upperBound)))
        }
        return FloatTensor(validatedShape: shape, values: values)
    }
}

// MARK: - onnxruntime's `com.microsoft` quantized operators

/// The operators onnxruntime's `quantize_static` writes in the QOperator format, computed as
/// onnxruntime's CPU kernels (MLAS) compute them: integer accumulations are exact, and every
/// float step is the same Float32 operation in the same order, so the results are onnxruntime's
/// integers, not those of an exact-arithmetic definition (they differ by one at some rounding
/// ties). Checked against onnxruntime 1.32 on x86-64 (Tests/ZKONNXTests/Fixtures/make_fixtures.py).
extension QuantizedKernels {
    /// The value of a per-tensor parameter (scale or zero point), or `value` when absent.
    static func scalar(_ parameter: FloatTensor?, default value: Float) -> Float {
        parameter?.values.first ?? value
    }

    /// MLAS's float requantization of an integer accumulator (`MlasRequantizeOutput`):
    /// `Float(accumulator) · multiplier` in Float32, rounded half to even, plus the zero point,
    /// saturated to `type`.
    static func requantize(_ accumulator: Double, multiplier: Float, zeroPoint: Float, to type: ElementType) -> Float {
        let scaled = Float(accumulator) * multiplier
        return saturate(Double(scaled.rounded(.toNearestOrEven)) + Double(zeroPoint), to: type)
    }

    /// QGemm, onnxruntime's float requantization: `acc = (A' − a_zp) · (B' − b_zp) + C` summed
    /// exactly (int32 in onnxruntime); per output column `j`, the Float32 scale
    /// `alpha · a_scale · b_scale[j]` (left to right), divided by `y_scale` when there is one;
    /// then `requantize(acc, scale)` (round half to even, plus `y_zp`, saturate), or without
    /// `y_scale` the float32 `Float(acc) · scale`. onnxruntime folds `alpha` into the output
    /// scale, so it scales C too (C is in units of `alpha · a_scale · b_scale`).
    static func qGemm(
        a: FloatTensor, aScale: FloatTensor, aZero: FloatTensor?, b: FloatTensor, bScale: FloatTensor, bZero: FloatTensor?,
        bias: FloatTensor?, yScale: FloatTensor?, yZero: FloatTensor?, _ attributes: GemmAttributes, outputType: ElementType
    ) -> FloatTensor {
        let aT = attributes.transposeA ? DataMovementKernels.transpose(a, permutation: nil) : a
        let bT = attributes.transposeB ? DataMovementKernels.transpose(b, permutation: nil) : b
        var (shape, sums) = MatrixProductKernels.matMulSums(
            centred(aT, zeroPoint: aZero, alongRows: true), centred(bT, zeroPoint: bZero, alongRows: false))
        if let bias {
            let index = Broadcasting.sourceIndices(of: bias.shape, broadcastTo: shape)
            for i in 0..<sums.count { sums[i] += Double(bias.values[index[i]]) }
        }
        let columns = shape[1]
        let aS = scalar(aScale, default: 1)
        let scales = (0..<columns).map { j -> Float in
            let scale = attributes.alpha * aS * bScale.values[bScale.count == 1 ? 0 : j]
            return yScale.map { scale / $0.values[0] } ?? scale
        }
        let yZ = scalar(yZero, default: 0)
        var values = [Float](repeating: 0, count: sums.count)
        for i in 0..<sums.count {
            let scale = scales[i % columns]
            values[i] = yScale == nil ? Float(sums[i]) * scale : requantize(sums[i], multiplier: scale, zeroPoint: yZ, to: outputType)
        }
        return FloatTensor(validatedShape: shape, values: values)
    }

    /// QLinearAdd as MLAS's AVX2 kernel computes it (onnxruntime on x86-64): the ratios
    /// `rA = A_scale / C_scale` and `rB = B_scale / C_scale` in Float32, then
    /// `fixed = C_zp − (rA · A_zp + rB · B_zp)` and `c = A · rA + (B · rB + fixed)` with fused
    /// multiply-adds (`rA · A_zp` fused into the inner sum), rounded half to even and saturated.
    /// Where A is the operand that repeats along the innermost broadcast run (a scalar, or a
    /// dimension of 1 there), onnxruntime swaps the operands' roles, and so does this. Other
    /// builds of onnxruntime (SSE2 or NEON kernels) may differ by one at a rounding tie.
    static func qLinearAdd(
        a: FloatTensor, aScale: FloatTensor, aZero: FloatTensor?, b: FloatTensor, bScale: FloatTensor, bZero: FloatTensor?,
        cScale: FloatTensor, cZero: FloatTensor?, shape: [Int], outputType: ElementType
    ) -> FloatTensor {
        let cS = scalar(cScale, default: 1)
        var p = (values: a.values, index: Broadcasting.sourceIndices(of: a.shape, broadcastTo: shape),
                 ratio: scalar(aScale, default: 1) / cS, zero: scalar(aZero, default: 0))
        var q = (values: b.values, index: Broadcasting.sourceIndices(of: b.shape, broadcastTo: shape),
                 ratio: scalar(bScale, default: 1) / cS, zero: scalar(bZero, default: 0))
        if repeatsAlongInnermostRun(a.shape, in: shape) { swap(&p, &q) }
        let fixed = scalar(cZero, default: 0) - (q.ratio * q.zero).addingProduct(p.ratio, p.zero)
        var values = [Float](repeating: 0, count: p.index.count)
        for i in 0..<values.count {
            let sum = fixed.addingProduct(q.values[q.index[i]], q.ratio).addingProduct(p.values[p.index[i]], p.ratio)
            values[i] = saturate(Double(sum), to: outputType)
        }
        return FloatTensor(validatedShape: shape, values: values)
    }

    /// Whether an operand of `operandShape`, broadcast to `shape`, holds one value along the
    /// innermost dimension of `shape` longer than 1 (or one value in all): onnxruntime's
    /// broadcast loop then passes it to MLAS as a scalar.
    static func repeatsAlongInnermostRun(_ operandShape: [Int], in shape: [Int]) -> Bool {
        if TensorShape.elementCount(operandShape) == 1 { return true }
        guard let axis = shape.lastIndex(where: { $0 > 1 }) else { return false }
        let aligned = axis - (shape.count - operandShape.count)
        return aligned < 0 || operandShape[aligned] == 1
    }

    /// QLinearMul as MLAS computes it: the product `(A − A_zp) · (B − B_zp)` exactly, then
    /// `Float(product) · ratio + C_zp` in Float32 (not fused) with
    /// `ratio = A_scale · B_scale / C_scale` (left to right), rounded half to even, saturated.
    static func qLinearMul(
        a: FloatTensor, aScale: FloatTensor, aZero: FloatTensor?, b: FloatTensor, bScale: FloatTensor, bZero: FloatTensor?,
        cScale: FloatTensor, cZero: FloatTensor?, shape: [Int], outputType: ElementType
    ) -> FloatTensor {
        let ratio = scalar(aScale, default: 1) * scalar(bScale, default: 1) / scalar(cScale, default: 1)
        let (aZ, bZ, cZ) = (scalar(aZero, default: 0), scalar(bZero, default: 0), scalar(cZero, default: 0))
        return ElementwiseKernels.binary(a, b, shape: shape) { x, y in
            let product = (Double(x) - Double(aZ)) * (Double(y) - Double(bZ))
            return saturate(Double(Float(product) * ratio + cZ), to: outputType)
        }
    }

    /// QLinearSigmoid, QLinearLeakyRelu: onnxruntime's 256-entry table, one entry per value `q`
    /// of the 8-bit type: `v = function(x_scale · (q − x_zp))` in Float32, then quantized as MLAS
    /// does, `saturate(roundHalfEven(v / y_scale) + y_zp)`. (A value outside the type's range,
    /// which no 8-bit input holds, is computed the same way without the table.)
    static func lookupTable(
        _ x: FloatTensor, xScale: FloatTensor, xZero: FloatTensor?, yScale: FloatTensor, yZero: FloatTensor?,
        outputType: ElementType, _ function: (Float) -> Float
    ) -> FloatTensor {
        let (xS, xZ) = (scalar(xScale, default: 1), scalar(xZero, default: 0))
        let (yS, yZ) = (scalar(yScale, default: 1), scalar(yZero, default: 0))
        func entry(_ q: Float) -> Float {
            let v = function(xS * (q - xZ))
            return saturate(Double((v / yS).rounded(.toNearestOrEven)) + Double(yZ), to: outputType)
        }
        let range = outputType.integerRange ?? 0...255
        let table = range.map { entry(Float($0)) }
        return ElementwiseKernels.map(x) { q in
            guard let value = Int64(exactly: q), range.contains(value) else { return entry(q) }
            return table[Int(value - range.lowerBound)]
        }
    }

    /// QLinearGlobalAveragePool as MLAS computes it: per sample and channel, the exact sum of
    /// `x − x_zp` over the spatial positions, requantized (`requantize`) with the Float32
    /// multiplier `x_scale / (y_scale · Float(window))`. Channels are axis 1, or the last axis
    /// with `channelsLast`.
    static func qLinearGlobalAveragePool(
        _ x: FloatTensor, xScale: FloatTensor, xZero: FloatTensor?, yScale: FloatTensor, yZero: FloatTensor?,
        channelsLast: Bool, outputType: ElementType
    ) -> FloatTensor {
        let rank = x.shape.count
        let (samples, channels) = (x.shape[0], channelsLast ? x.shape[rank - 1] : x.shape[1])
        let spatial = channelsLast ? 1..<(rank - 1) : 2..<rank
        let window = x.shape[spatial].reduce(1, *)
        let multiplier = scalar(xScale, default: 1) / (scalar(yScale, default: 1) * Float(window))
        let (xZ, yZ) = (Double(scalar(xZero, default: 0)), scalar(yZero, default: 0))
        var values = [Float](repeating: 0, count: samples * channels)
        for sample in 0..<samples {
            for channel in 0..<channels {
                var sum = 0.0
                for position in 0..<window {
                    let index = channelsLast
                        ? (sample * window + position) * channels + channel : (sample * channels + channel) * window + position
                    sum += Double(x.values[index]) - xZ
                }
                values[sample * channels + channel] = requantize(sum, multiplier: multiplier, zeroPoint: yZ, to: outputType)
            }
        }
        var shape = x.shape
        for axis in spatial { shape[axis] = 1 }
        return FloatTensor(validatedShape: shape, values: values)
    }
}
