/// A dense row-major tensor of `Float` with a static shape: what the float reference executor
/// computes with. A scalar has shape `[]` and one value.
public struct FloatTensor: Sendable, Hashable {
    /// The dimensions, outermost first.
    public let shape: [Int]
    /// The elements in row-major order; `values.count` is the product of `shape`.
    public private(set) var values: [Float]

    /// A tensor of `shape` holding `values`; throws when the counts disagree.
    public init(shape: [Int], values: [Float]) throws {
        guard let count = TensorShape.elementCount(shape), count == values.count else {
            throw ModelError.invalidTensor(reason: "shape \(shape) does not hold \(values.count) values")
        }
        self.shape = shape
        self.values = values
    }

    /// A tensor of `shape` with every element equal to `value`; throws on an invalid shape.
    public init(shape: [Int], repeating value: Float) throws {
        guard let count = TensorShape.elementCount(shape) else {
            throw ModelError.invalidTensor(reason: "invalid shape \(shape)")
        }
        self.shape = shape
        self.values = [Float](repeating: value, count: count)
    }

    /// A scalar (shape `[]`).
    public init(scalar: Float) {
        self.shape = []
        self.values = [scalar]
    }

    /// For kernels that computed `values` for `shape` themselves.
    init(validatedShape shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }

    /// The number of elements.
    public var count: Int { values.count }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) throws -> FloatTensor {
        try FloatTensor(shape: newShape, values: values)
    }
}
