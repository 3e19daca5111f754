import Foundation

/// Batch normalization (inference) and softmax.
enum NormalizationKernels {
    static func batchNormalization(
        _ x: FloatTensor, scale: FloatTensor, bias: FloatTensor, mean: FloatTensor, variance: FloatTensor,
        epsilon: Float
    ) -> FloatTensor {
        let channels = x.shape[1]
        let inner = x.shape[2...].reduce(1, *)
        var values = x.values
        for i in 0..<values.count {
            let channel = (i / inner) % channels
            let normalized = (Double(values[i]) - Double(mean.values[channel]))
                / (Double(variance.values[channel]) + Double(epsilon)).squareRoot()
            values[i] = Float(Double(scale.values[channel]) * normalized + Double(bias.values[channel]))
        }
        return FloatTensor(validatedShape: x.shape, values: values)
    }

    static func softmax(_ x: FloatTensor, axis: Int) -> FloatTensor {
        alongAxis(x, axis: axis) { value, largest, sum in Float(Foundation.exp(Double(value - largest)) / sum) }
    }

    /// `transform(x_j, max_j x, Σ_j exp(x_j − max))` for every element, the maximum and the sum
    /// taken along `axis` (the numerically stable form of Softmax and LogSoftmax).
    private static func alongAxis(
        _ x: FloatTensor, axis: Int, _ transform: (_ value: Float, _ largest: Float, _ sumOfExponentials: Double) -> Float
    ) -> FloatTensor {
        let rank = x.shape.count
        let axis = TensorShape.normalizedAxis(axis, rank: rank) ?? max(rank - 1, 0)
        let length = rank == 0 ? 1 : x.shape[axis]
        let inner = rank == 0 ? 1 : x.shape[(axis + 1)...].reduce(1, *)
        let outer = rank == 0 ? 1 : x.shape[..<axis].reduce(1, *)
        var values = x.values
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * length * inner + i
                var largest = -Float.infinity
                for j in 0..<length { largest = max(largest, values[base + j * inner]) }
                var sum = 0.0
                for j in 0..<length { sum += Foundation.exp(Double(values[base + j * inner] - largest)) }
                for j in 0..<length { values[base + j * inner] = transform(values[base + j * inner], largest, sum) }
            }
        }
        return FloatTensor(validatedShape: x.shape, values: values)
    }
}

extension NormalizationKernels {
    /// `log(softmax(x))` along `axis`, computed as `x − max − log Σ exp(x − max)`.
    static func logSoftmax(_ x: FloatTensor, axis: Int) -> FloatTensor {
        alongAxis(x, axis: axis) { value, largest, sum in Float(Double(value - largest) - Foundation.log(sum)) }
    }

    /// Normalizes every group of `groupSize` consecutive elements to mean 0 and variance 1
    /// (`(x − mean) / sqrt(var + epsilon)`), then `· scale(i) + bias(i)` for element `i`.
    private static func normalizeGroups(
        _ x: FloatTensor, groupSize: Int, epsilon: Float, scale: (Int) -> Double, bias: (Int) -> Double
    ) -> FloatTensor {
        var values = x.values
        let groups = groupSize == 0 ? 0 : values.count / groupSize
        for g in 0..<groups {
            let range = (g * groupSize)..<((g + 1) * groupSize)
            var mean = 0.0
            for i in range { mean += Double(values[i]) }
            mean /= Double(groupSize)
            var variance = 0.0
            for i in range { variance += (Double(values[i]) - mean) * (Double(values[i]) - mean) }
            variance /= Double(groupSize)
            let factor = 1 / (variance + Double(epsilon)).squareRoot()
            for i in range { values[i] = Float((Double(values[i]) - mean) * factor * scale(i) + bias(i)) }
        }
        return FloatTensor(validatedShape: x.shape, values: values)
    }

    static func layerNormalization(_ x: FloatTensor, scale: FloatTensor, bias: FloatTensor?, axis: Int, epsilon: Float) -> FloatTensor {
        let axis = TensorShape.normalizedAxis(axis, rank: x.shape.count) ?? 0
        let normalized = Array(x.shape[axis...])
        let groupSize = normalized.reduce(1, *)
        let scaleIndex = Broadcasting.sourceIndices(of: scale.shape, broadcastTo: normalized)
        let biasIndex = bias.map { Broadcasting.sourceIndices(of: $0.shape, broadcastTo: normalized) }
        return normalizeGroups(
            x, groupSize: groupSize, epsilon: epsilon, scale: { Double(scale.values[scaleIndex[$0 % groupSize]]) },
            bias: { i in bias.map { Double($0.values[biasIndex![i % groupSize]]) } ?? 0 })
    }

    static func instanceNormalization(_ x: FloatTensor, scale: FloatTensor, bias: FloatTensor, epsilon: Float) -> FloatTensor {
        let channels = x.shape[1]
        let spatial = x.shape[2...].reduce(1, *)
        return normalizeGroups(
            x, groupSize: spatial, epsilon: epsilon, scale: { Double(scale.values[($0 / spatial) % channels]) },
            bias: { Double(bias.values[($0 / spatial) % channels]) })
    }
}
