public import ZKVerifier
import ZKField

/// The committed integers of one weight tensor, in its padded slots, at the narrowest width that
/// holds every weight of the model: int8 for the default 8-bit quantization, int16 up to 16 bits.
///
/// The linear relations fold weight matrices with field coefficients through the small-integer
/// kernels (``SmallIntegerKernels``), which are several times cheaper than lifting each weight
/// to the field first; keeping the integers at their width keeps those kernels on their fast path.
public enum WeightSlots: Sendable, Hashable {
    case int8([Int8])
    case int16([Int16])

    /// The slots of `values` at `width` bits (8 or 16).
    /// - Precondition: every value fits the width.
    init(_ values: [Int64], width: Int) {
        self = width <= 8 ? .int8(values.map { Int8($0) }) : .int16(values.map { Int16($0) })
    }

    public var count: Int {
        switch self {
        case .int8(let v): return v.count
        case .int16(let v): return v.count
        }
    }

    /// The integer in slot `index`.
    public subscript(index: Int) -> Int64 {
        switch self {
        case .int8(let v): return Int64(v[index])
        case .int16(let v): return Int64(v[index])
        }
    }

    /// The width of each stored integer, in bits.
    public var width: Int {
        switch self {
        case .int8: return 8
        case .int16: return 16
        }
    }

    /// The slots in the order `indices` gives (same width).
    package func gathered(_ indices: some Sequence<Int>) -> WeightSlots {
        switch self {
        case .int8(let v): return .int8(indices.map { v[$0] })
        case .int16(let v): return .int16(indices.map { v[$0] })
        }
    }

    /// Every slot lifted to `F` (negatives as `p − |w|`).
    package func lifted<F: LargePrimeField>(to field: F.Type = F.self) -> [F] {
        switch self {
        case .int8(let v): return v.map { F(Int64($0)) }
        case .int16(let v): return v.map { F(Int64($0)) }
        }
    }

    /// `result[j] = Σ_i coefficients[i] · M[rows.lowerBound + i][j]` for the row-major matrix
    /// `M` of `columns` columns held in these slots: the weight matrix's multilinear extension with
    /// its row variables fixed, through the small-integer kernel of `F`.
    package func combineRows<F: LargePrimeField>(rows: Range<Int>, columns: Int, coefficients: UnsafeBufferPointer<F>) -> [F] {
        func combine<W: FixedWidthInteger & SignedInteger>(_ slots: [W]) -> [F] {
            slots.withUnsafeBufferPointer { m in
                F.combineRows(UnsafeBufferPointer(rebasing: m[(rows.lowerBound * columns)..<(rows.upperBound * columns)]),
                              columns: columns, coefficients: coefficients)
            }
        }
        switch self {
        case .int8(let v): return combine(v)
        case .int16(let v): return combine(v)
        }
    }

    /// ``combineRows(rows:columns:coefficients:)`` over every row (`coefficients.count` of them).
    package func combineRows<F: LargePrimeField>(columns: Int, coefficients: [F]) -> [F] {
        coefficients.withUnsafeBufferPointer { c in combineRows(rows: 0..<c.count, columns: columns, coefficients: c) }
    }
}
