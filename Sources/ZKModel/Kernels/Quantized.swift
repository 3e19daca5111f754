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
