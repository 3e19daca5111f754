/// Numpy-style (multidirectional) broadcasting, as ONNX uses for Add, Sub, Mul and friends.
///
/// Shapes are aligned at their last dimension; two dimensions are compatible when they are
/// equal or one of them is 1; the result takes the larger. A missing leading dimension counts
/// as 1.
public enum Broadcasting {
    /// The broadcast shape of `shapes`, or `nil` when they are incompatible.
    public static func shape(_ shapes: [[Int]]) -> [Int]? {
        let rank = shapes.map(\.count).max() ?? 0
        var result = [Int](repeating: 1, count: rank)
        for shape in shapes {
            let offset = rank - shape.count
            for (axis, dimension) in shape.enumerated() {
                let current = result[offset + axis]
                if current == dimension || dimension == 1 { continue }
                if current == 1 { result[offset + axis] = dimension } else { return nil }
            }
        }
        return result
    }

    /// Whether `shape` broadcasts to `target` without changing `target` (unidirectional
    /// broadcasting, as for Gemm's C).
    public static func isUnidirectional(_ shape: [Int], to target: [Int]) -> Bool {
        Self.shape([shape, target]) == target
    }

    /// Strides for reading a tensor of `shape` as if it had `target`'s shape (broadcast
    /// dimensions get stride 0). `shape` must broadcast to `target`.
    public static func strides(of shape: [Int], broadcastTo target: [Int]) -> [Int] {
        let own = TensorShape.strides(shape)
        let offset = target.count - shape.count
        var result = [Int](repeating: 0, count: target.count)
        for axis in 0..<shape.count where shape[axis] != 1 {
            result[offset + axis] = own[axis]
        }
        return result
    }

    /// For every element of a tensor of `target`'s shape (row-major order), the index of the
    /// element of a tensor of `shape` that broadcasting reads.
    public static func sourceIndices(of shape: [Int], broadcastTo target: [Int]) -> [Int] {
        let count = TensorShape.elementCount(target) ?? 0
        let strides = strides(of: shape, broadcastTo: target)
        var indices = [Int](repeating: 0, count: count)
        if count == 0 { return indices }
        var counter = [Int](repeating: 0, count: target.count)
        var source = 0
        for flat in 0..<count {
            indices[flat] = source
            // Increment the multi-index, updating the source offset incrementally.
            var axis = target.count - 1
            while axis >= 0 {
                counter[axis] += 1
                source += strides[axis]
                if counter[axis] < target[axis] { break }
                source -= strides[axis] * counter[axis]
                counter[axis] = 0
                axis -= 1
            }
        }
        return indices
    }
}
