/// Helpers for static tensor shapes (`[Int]`, outermost dimension first, row-major layout).
public enum TensorShape {
    /// The number of elements of `shape`, or `nil` when a dimension is negative or the product
    /// overflows `Int`.
    public static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// Row-major strides of `shape` (the last dimension has stride 1).
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in (0..<shape.count).reversed() {
            strides[axis] = running
            running &*= shape[axis]
        }
        return strides
    }

    /// `axis` in `-rank..<rank` mapped to `0..<rank`, or `nil` when out of range.
    public static func normalizedAxis(_ axis: Int, rank: Int) -> Int? {
        let normalized = axis < 0 ? axis + rank : axis
        return (0..<rank).contains(normalized) ? normalized : nil
    }

    /// The product of `shape[range]` (1 for an empty range); `nil` on overflow.
    public static func product(_ shape: [Int], _ range: Range<Int>) -> Int? {
        elementCount(Array(shape[range]))
    }
}
