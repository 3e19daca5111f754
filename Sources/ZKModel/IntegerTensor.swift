/// A dense row-major tensor of integers with a static shape: shape values (int64), indices,
/// and quantized weights, zero points and biases (int8, uint8, int32). Values are held as
/// `Int64` whatever the declared `elementType`.
public struct IntegerTensor: Sendable, Hashable {
    /// The dimensions, outermost first.
    public let shape: [Int]
    /// The elements in row-major order.
    public let values: [Int64]
    /// The declared integer type (`int8`, `uint8`, `int32`, `int64`, `bool`, ...).
    public let elementType: ElementType

    /// A tensor of `shape` holding `values` of `elementType`; throws when the counts disagree,
    /// the type is not an integer type, or a value is outside the type's range.
    public init(shape: [Int], values: [Int64], elementType: ElementType = .int64) throws {
        guard let count = TensorShape.elementCount(shape), count == values.count else {
            throw ModelError.invalidTensor(reason: "shape \(shape) does not hold \(values.count) values")
        }
        guard let range = elementType.integerRange else {
            throw ModelError.invalidTensor(reason: "\(elementType) is not an integer type")
        }
        if elementType != .int64 && elementType != .uint64, let bad = values.first(where: { !range.contains($0) }) {
            throw ModelError.invalidTensor(reason: "\(bad) is out of range for \(elementType)")
        }
        self.shape = shape
        self.values = values
        self.elementType = elementType
    }

    /// A scalar int64 tensor.
    public init(scalar: Int64) {
        self.shape = []
        self.values = [scalar]
        self.elementType = .int64
    }

    /// The number of elements.
    public var count: Int { values.count }

    /// The elements as `Float` (exact for magnitudes up to 2^24).
    public var floatValues: [Float] { values.map { Float($0) } }
}
