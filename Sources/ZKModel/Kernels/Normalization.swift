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
                for j in 0..<length {
                    values[base + j * inner] = Float(Foundation.exp(Double(values[base + j * inner] - largest)) / sum)
                }
            }
        }
        return FloatTensor(validatedShape: x.shape, values: values)
    }
}
