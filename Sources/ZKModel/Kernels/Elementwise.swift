import Foundation

/// Elementwise kernels: activations, clipping and broadcasting binary arithmetic.
enum ElementwiseKernels {
    static func map(_ x: FloatTensor, _ transform: (Float) -> Float) -> FloatTensor {
        FloatTensor(validatedShape: x.shape, values: x.values.map(transform))
    }

    static func relu(_ x: FloatTensor) -> FloatTensor { map(x) { $0 > 0 ? $0 : 0 } }

    static func sigmoid(_ x: FloatTensor) -> FloatTensor { map(x, sigmoid) }

    /// `1 / (1 + exp(-value))` in Float32, evaluated on the side where exp cannot overflow.
    static func sigmoid(_ value: Float) -> Float {
        if value >= 0 { return 1 / (1 + Foundation.exp(-value)) }
        let e = Foundation.exp(value)
        return e / (1 + e)
    }

    static func tanh(_ x: FloatTensor) -> FloatTensor { map(x) { Foundation.tanh($0) } }

    static func clip(_ x: FloatTensor, minimum: Float?, maximum: Float?) -> FloatTensor {
        let low = minimum ?? -Float.infinity
        let high = maximum ?? Float.infinity
        return map(x) { value in value.isNaN ? value : Swift.min(Swift.max(value, low), high) }
    }

    /// `combine(a, b)` over the broadcast shape of `a` and `b` (already checked compatible).
    static func binary(_ a: FloatTensor, _ b: FloatTensor, shape: [Int], _ combine: (Float, Float) -> Float)
        -> FloatTensor
    {
        if a.shape == shape && b.shape == shape {
            return FloatTensor(validatedShape: shape, values: zip(a.values, b.values).map(combine))
        }
        let aIndex = Broadcasting.sourceIndices(of: a.shape, broadcastTo: shape)
        let bIndex = Broadcasting.sourceIndices(of: b.shape, broadcastTo: shape)
        var values = [Float](repeating: 0, count: aIndex.count)
        for i in 0..<values.count {
            values[i] = combine(a.values[aIndex[i]], b.values[bIndex[i]])
        }
        return FloatTensor(validatedShape: shape, values: values)
    }
}
