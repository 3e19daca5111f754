/// A constant tensor in a model: an initializer or a `Constant` node's value. Float types
/// (float32, float64, float16) are held as `FloatTensor`; integer types as `IntegerTensor`.
public enum TensorValue: Sendable, Hashable {
    case float(FloatTensor, elementType: ElementType)
    case integer(IntegerTensor)

    /// A float32 tensor.
    public static func float(_ tensor: FloatTensor) -> TensorValue { .float(tensor, elementType: .float32) }

    /// The shape.
    public var shape: [Int] {
        switch self {
        case .float(let tensor, _): return tensor.shape
        case .integer(let tensor): return tensor.shape
        }
    }

    /// The declared element type.
    public var elementType: ElementType {
        switch self {
        case .float(_, let type): return type
        case .integer(let tensor): return tensor.elementType
        }
    }

    /// The number of elements.
    public var count: Int {
        switch self {
        case .float(let tensor, _): return tensor.count
        case .integer(let tensor): return tensor.count
        }
    }

    /// The value as a float tensor (integers converted; exact up to 2^24).
    public var floatTensor: FloatTensor {
        switch self {
        case .float(let tensor, _): return tensor
        case .integer(let tensor): return FloatTensor(validatedShape: tensor.shape, values: tensor.floatValues)
        }
    }

    /// The elements as integers: integer tensors as they are, float tensors only when every
    /// element is an integer that fits `Int64` (else `nil`).
    public var integerValues: [Int64]? {
        switch self {
        case .integer(let tensor): return tensor.values
        case .float(let tensor, _):
            var result: [Int64] = []
            result.reserveCapacity(tensor.count)
            for value in tensor.values {
                guard value.isFinite, value.rounded() == value, abs(value) < 9.2e18 else { return nil }
                result.append(Int64(value))
            }
            return result
        }
    }
}
