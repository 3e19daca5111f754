/// 2-D max and average pooling over NCHW, and global average pooling.
enum PoolingKernels {
    /// Visits each output position with the input offsets (within one channel plane) its
    /// window covers and the number of window positions inside the padded input.
    private static func pool(
        _ x: FloatTensor, _ attributes: PoolingAttributes, reduce: (_ window: [Int], _ paddedCount: Int) -> Float
    ) -> FloatTensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        guard
            let geometry = try? WindowGeometry.resolve(
                inputSize: [h, w], kernel: attributes.kernelShape, strides: attributes.strides,
                dilations: attributes.dilations, padding: attributes.padding, ceilMode: attributes.ceilMode
            ).get()
        else { return FloatTensor(validatedShape: [n, c, 0, 0], values: []) }
        let (oh, ow) = (geometry.outputSize[0], geometry.outputSize[1])
        let (top, left, bottom, right) = (geometry.pads[0], geometry.pads[1], geometry.pads[2], geometry.pads[3])
        var values = [Float](repeating: 0, count: n * c * oh * ow)
        var window: [Int] = []
        window.reserveCapacity(geometry.kernel[0] * geometry.kernel[1])
        for plane in 0..<(n * c) {
            let base = plane * h * w
            for oy in 0..<oh {
                for ox in 0..<ow {
                    window.removeAll(keepingCapacity: true)
                    var padded = 0
                    for ky in 0..<geometry.kernel[0] {
                        let iy = oy * geometry.strides[0] - top + ky * geometry.dilations[0]
                        let rowInPadded = iy >= -top && iy < h + bottom
                        for kx in 0..<geometry.kernel[1] {
                            let ix = ox * geometry.strides[1] - left + kx * geometry.dilations[1]
                            if rowInPadded && ix >= -left && ix < w + right { padded += 1 }
                            if iy >= 0 && iy < h && ix >= 0 && ix < w { window.append(base + iy * w + ix) }
                        }
                    }
                    values[(plane * oh + oy) * ow + ox] = reduce(window, padded)
                }
            }
        }
        return FloatTensor(validatedShape: [n, c, oh, ow], values: values)
    }

    static func maxPool(_ x: FloatTensor, _ attributes: PoolingAttributes) -> FloatTensor {
        pool(x, attributes) { window, _ in
            window.reduce(-Float.infinity) { Swift.max($0, x.values[$1]) }
        }
    }

    static func averagePool(_ x: FloatTensor, _ attributes: PoolingAttributes) -> FloatTensor {
        pool(x, attributes) { window, padded in
            let sum = window.reduce(0.0) { $0 + Double(x.values[$1]) }
            let count = attributes.countIncludePad ? padded : window.count
            return count == 0 ? 0 : Float(sum / Double(count))
        }
    }

    static func globalAveragePool(_ x: FloatTensor) -> FloatTensor {
        let planes = x.shape[0] * x.shape[1]
        let size = x.shape[2...].reduce(1, *)
        var values = [Float](repeating: 0, count: planes)
        for plane in 0..<planes where size > 0 {
            var sum = 0.0
            for i in 0..<size { sum += Double(x.values[plane * size + i]) }
            values[plane] = Float(sum / Double(size))
        }
        return FloatTensor(validatedShape: Array(x.shape[..<2]) + [Int](repeating: 1, count: x.shape.count - 2), values: values)
    }
}
