/// The element type of a tensor value in a model graph.
///
/// The float reference executor computes in `Float`; the element type records what the model
/// declares (quantized models carry int8/uint8 activations and int32 biases), so that later
/// stages (calibration, quantization, circuits) know which values are already integers.
public enum ElementType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case float32, float64, float16, bfloat16
    case int8, uint8, int16, uint16, int32, uint32, int64, uint64
    case bool

    /// Whether the type holds floating-point numbers.
    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float64, .float16, .bfloat16: return true
        default: return false
        }
    }

    /// Whether the type holds integers (booleans count as the integers 0 and 1).
    public var isInteger: Bool { !isFloatingPoint }

    /// The representable range of an integer type (`nil` for floating-point types).
    public var integerRange: ClosedRange<Int64>? {
        switch self {
        case .int8: return -128...127
        case .uint8: return 0...255
        case .int16: return -32768...32767
        case .uint16: return 0...65535
        case .int32: return Int64(Int32.min)...Int64(Int32.max)
        case .uint32: return 0...Int64(UInt32.max)
        case .int64, .uint64: return Int64.min...Int64.max
        case .bool: return 0...1
        default: return nil
        }
    }

    /// Whether every value of the integer type `source` is a value of this integer type, so
    /// that a cast from `source` keeps every value (a widening cast). `uint64` is special: its
    /// range does not fit ``integerRange`` (an `Int64` range), so it holds exactly the
    /// non-negative types' values, and only it holds all of its own.
    public func holdsEveryValue(of source: ElementType) -> Bool {
        guard source != self else { return isInteger }
        guard let from = source.integerRange, let to = integerRange, source != .uint64 else { return false }
        if self == .uint64 { return from.lowerBound >= 0 }
        return to.lowerBound <= from.lowerBound && from.upperBound <= to.upperBound
    }

    public var description: String { rawValue }
}
