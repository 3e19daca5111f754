/// Kernels that only move elements: transpose and concatenation (reshape and flatten keep
/// the element order and only change the shape).
enum DataMovementKernels {
    static func transpose(_ x: FloatTensor, permutation: [Int]?) -> FloatTensor {
        let rank = x.shape.count
        let perm = permutation ?? Array((0..<rank).reversed())
        let outShape = perm.map { x.shape[$0] }
        let inStrides = TensorShape.strides(x.shape)
        // Reading the input with permuted strides walks it in output order.
        let permutedStrides = perm.map { inStrides[$0] }
        var values = [Float](repeating: 0, count: x.count)
        var counter = [Int](repeating: 0, count: rank)
        var source = 0
        for flat in 0..<values.count {
            values[flat] = x.values[source]
            var axis = rank - 1
            while axis >= 0 {
                counter[axis] += 1
                source += permutedStrides[axis]
                if counter[axis] < outShape[axis] { break }
                source -= permutedStrides[axis] * counter[axis]
                counter[axis] = 0
                axis -= 1
            }
        }
        return FloatTensor(validatedShape: outShape, values: values)
    }

    static func concat(_ parts: [FloatTensor], axis: Int) -> FloatTensor {
        let rank = parts[0].shape.count
        let axis = TensorShape.normalizedAxis(axis, rank: rank) ?? 0
        let outer = parts[0].shape[..<axis].reduce(1, *)
        var shape = parts[0].shape
        shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        var values: [Float] = []
        values.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for o in 0..<outer {
            for part in parts {
                let chunk = part.shape[axis...].reduce(1, *)
                values.append(contentsOf: part.values[(o * chunk)..<((o + 1) * chunk)])
            }
        }
        return FloatTensor(validatedShape: shape, values: values)
    }
}
