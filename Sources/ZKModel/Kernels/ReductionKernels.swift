import Foundation

/// Reductions over axes, and ArgMax.
enum ReductionKernels {
    static func reduce(_ x: FloatTensor, _ reduction: Reduction, outputShape: [Int]) -> FloatTensor {
        let axes = reduction.normalizedAxes(rank: x.shape.count) ?? []
        let keptShape = x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let count = keptShape.reduce(1, *)
        let groupSize = axes.map { x.shape[$0] }.reduce(1, *)
        var accumulators = [Double](repeating: initial(reduction.kind), count: count)
        let sources = Broadcasting.sourceIndices(of: keptShape, broadcastTo: x.shape)
        for (i, value) in x.values.enumerated() {
            let v = Double(value)
            let j = sources[i]
            switch reduction.kind {
            case .sum, .mean: accumulators[j] += v
            case .max: accumulators[j] = v.isNaN || accumulators[j].isNaN ? .nan : Swift.max(accumulators[j], v)
            case .min: accumulators[j] = v.isNaN || accumulators[j].isNaN ? .nan : Swift.min(accumulators[j], v)
            case .product: accumulators[j] *= v
            case .sumSquare, .l2: accumulators[j] += v * v
            case .l1: accumulators[j] += Swift.abs(v)
            case .logSumExp: accumulators[j] += Foundation.exp(v)
            }
        }
        let values = accumulators.map { a -> Float in
            switch reduction.kind {
            case .mean: return Float(a / Double(Swift.max(groupSize, 1)))
            case .l2: return Float(a.squareRoot())
            case .logSumExp: return Float(Foundation.log(a))
            default: return Float(a)
            }
        }
        return FloatTensor(validatedShape: outputShape, values: values)
    }

    private static func initial(_ kind: Reduction.Kind) -> Double {
        switch kind {
        case .max: return -.infinity
        case .min: return .infinity
        case .product: return 1
        default: return 0
        }
    }

    static func argMax(_ x: FloatTensor, axis: Int, selectLastIndex: Bool, outputShape: [Int]) -> FloatTensor {
        let axis = TensorShape.normalizedAxis(axis, rank: x.shape.count) ?? 0
        let length = x.shape[axis]
        let inner = x.shape[(axis + 1)...].reduce(1, *)
        let outer = x.shape[..<axis].reduce(1, *)
        var values = [Float](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                var best = 0
                for j in 1..<Swift.max(length, 1) {
                    let v = x.values[(o * length + j) * inner + i], b = x.values[(o * length + best) * inner + i]
                    if v > b || (selectLastIndex && v == b) { best = j }
                }
                values[o * inner + i] = Float(best)
            }
        }
        return FloatTensor(validatedShape: outputShape, values: values)
    }
}
