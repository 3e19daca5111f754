/// 2-D convolution (cross-correlation, as ONNX and PyTorch define it) over NCHW with groups,
/// strides, dilations and zero padding. Sums are accumulated in `Double`.
enum ConvolutionKernels {
    /// The per-output sums `Σ x · w` (no bias) and the output shape. `x` and `w` have already
    /// been checked by shape inference; `xOffset` and `wOffset` are subtracted from every input
    /// and weight element (the quantized ops' zero points; `wOffset` per output channel).
    static func sums(
        _ x: FloatTensor, _ w: FloatTensor, _ attributes: ConvolutionAttributes, xOffset: Float = 0,
        wOffset: [Float]? = nil
    ) -> (shape: [Int], sums: [Double]) {
        let (n, c, h, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (m, cPerGroup, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let geometry = try? WindowGeometry.resolve(
            inputSize: [h, width], kernel: [kh, kw], strides: attributes.strides, dilations: attributes.dilations,
            padding: attributes.padding
        ).get()
        guard let geometry else { return ([n, m, 0, 0], []) }
        let (oh, ow) = (geometry.outputSize[0], geometry.outputSize[1])
        let (sh, sw) = (geometry.strides[0], geometry.strides[1])
        let (dh, dw) = (geometry.dilations[0], geometry.dilations[1])
        let (top, left) = (geometry.pads[0], geometry.pads[1])
        let mPerGroup = m / attributes.group
        var sums = [Double](repeating: 0, count: n * m * oh * ow)
        x.values.withUnsafeBufferPointer { xv in
            w.values.withUnsafeBufferPointer { wv in
                for batch in 0..<n {
                    for out in 0..<m {
                        let group = out / mPerGroup
                        let wZero = Double(wOffset.map { $0.isEmpty ? 0 : $0[out % $0.count] } ?? 0)
                        for oy in 0..<oh {
                            for ox in 0..<ow {
                                var sum = 0.0
                                for ci in 0..<cPerGroup {
                                    let channel = group * cPerGroup + ci
                                    let xBase = (batch * c + channel) * h * width
                                    let wBase = (out * cPerGroup + ci) * kh * kw
                                    for ky in 0..<kh {
                                        let iy = oy * sh - top + ky * dh
                                        if iy < 0 || iy >= h { continue }
                                        for kx in 0..<kw {
                                            let ix = ox * sw - left + kx * dw
                                            if ix < 0 || ix >= width { continue }
                                            let xValue = Double(xv[xBase + iy * width + ix]) - Double(xOffset)
                                            let wValue = Double(wv[wBase + ky * kw + kx]) - wZero
                                            sum += xValue * wValue
                                        }
                                    }
                                }
                                sums[((batch * m + out) * oh + oy) * ow + ox] = sum
                            }
                        }
                    }
                }
            }
        }
        return ([n, m, oh, ow], sums)
    }

    static func conv(_ x: FloatTensor, _ w: FloatTensor, _ bias: FloatTensor?, _ attributes: ConvolutionAttributes)
        -> FloatTensor
    {
        let (shape, sums) = sums(x, w, attributes)
        let plane = shape[2] * shape[3]
        var values = [Float](repeating: 0, count: sums.count)
        for i in 0..<sums.count {
            let channel = (i / plane) % shape[1]
            values[i] = Float(sums[i] + Double(bias?.values[channel] ?? 0))
        }
        return FloatTensor(validatedShape: shape, values: values)
    }
}

extension ConvolutionKernels {
    /// The transposed convolution: input element `x[n, c, i, j]` adds `x · W[c, o, u, v]` to the
    /// full output at `(i·s_h + u·d_h, j·s_w + v·d_w)`, which is then cropped by the pads.
    static func convTranspose(_ x: FloatTensor, _ w: FloatTensor, _ bias: FloatTensor?, _ g: ConvTransposeGeometry,
                              _ a: ConvTransposeAttributes) -> FloatTensor {
        let (n, c, h, wi) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let perGroupOut = w.shape[1]
        let perGroupIn = c / a.group
        let (kh, kw) = (g.kernel[0], g.kernel[1])
        let (oh, ow) = (g.outputSize[0], g.outputSize[1])
        let m = g.outputChannels
        var sums = [Double](repeating: 0, count: n * m * oh * ow)
        for b in 0..<n { for ci in 0..<c {
            let group = ci / perGroupIn
            for i in 0..<h { for j in 0..<wi {
                let value = Double(x.values[((b * c + ci) * h + i) * wi + j])
                if value == 0 { continue }
                for o in 0..<perGroupOut {
                    let oc = group * perGroupOut + o
                    for u in 0..<kh {
                        let y = i * a.strides[0] + u * a.dilations[0] - g.pads[0]
                        if y < 0 || y >= oh { continue }
                        for v in 0..<kw {
                            let xx = j * a.strides[1] + v * a.dilations[1] - g.pads[1]
                            if xx < 0 || xx >= ow { continue }
                            sums[((b * m + oc) * oh + y) * ow + xx] += value * Double(w.values[((ci * perGroupOut + o) * kh + u) * kw + v])
                        }
                    }
                }
            } }
        } }
        let plane = oh * ow
        let values = sums.enumerated().map { i, s in Float(s + Double(bias?.values[(i / plane) % m] ?? 0)) }
        return FloatTensor(validatedShape: [n, m, oh, ow], values: values)
    }
}
