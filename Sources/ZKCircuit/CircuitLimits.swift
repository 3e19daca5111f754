/// How large a circuit may be: the bounds every decoder of a circuit (the verification key, the
/// proving key, the compiled model) enforces **before** anything proportional to the declared
/// sizes is allocated or computed, so bytes from a stranger cannot make a verifier trap on an
/// overflow, run out of memory or spin.
///
/// The limits are far above the largest model this toolkit proves on one machine (the zoo's
/// biggest tensor has 2^18 slots, its biggest table 2^20 entries) and far below what would hurt a
/// verifier: with BN254 elements of 32 bytes, the largest table the verifier may build (an `eq`
/// table over one tensor's slots) is 2^24 · 32 B = 512 MiB, and the total over a whole key is
/// bounded by ``maximumTotalSlots``.
///
/// Every count here is computed with overflow-checked arithmetic: a product of dimensions that
/// overflows `Int` is treated as "too large", never wrapped.
public enum CircuitLimits {
    /// Padded slots of one tensor (`2^Σk_j`; its logical entries are at most this many): 2^24.
    public static let maximumTensorSlots = 1 << 24
    /// Padded slots of all tensors of a circuit together: 2^27.
    public static let maximumTotalSlots = 1 << 27
    /// Terms of one relation's fixed linear structure: the entries of a data-movement or pooling
    /// map (``LinearMap/termCount(inputShape:outputShape:)``), all window gathers of a max pool,
    /// and a convolution's per-axis kernel-by-output tables. 2^26.
    public static let maximumRelationTerms = 1 << 26

    /// `Π values`, or `nil` when it overflows `Int` or exceeds `limit`.
    public static func checkedProduct(_ values: [Int], limit: Int = .max) -> Int? {
        var product = 1
        for v in values {
            guard v >= 0 else { return nil }
            let (p, overflow) = product.multipliedReportingOverflow(by: v)
            guard !overflow, p <= limit else { return nil }
            product = p
        }
        return product
    }

    /// `Σ values`, or `nil` when it overflows `Int` or exceeds `limit`.
    public static func checkedSum(_ values: [Int], limit: Int = .max) -> Int? {
        var sum = 0
        for v in values {
            let (s, overflow) = sum.addingReportingOverflow(v)
            guard !overflow, s <= limit else { return nil }
            sum = s
        }
        return sum
    }
}

/// A shape or size that a circuit may not have (see ``CircuitLimits``).
public enum CircuitSizeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A dimension is zero or negative.
    case nonPositiveDimension(shape: [Int])
    /// One tensor's padded slot count is above ``CircuitLimits/maximumTensorSlots`` (or overflows).
    case tensorTooLarge(shape: [Int], limit: Int)
    /// All tensors together are above ``CircuitLimits/maximumTotalSlots``.
    case circuitTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .nonPositiveDimension(let shape): return "shape \(shape) has a dimension below 1"
        case .tensorTooLarge(let shape, let limit): return "shape \(shape) needs more than \(limit) slots"
        case .circuitTooLarge(let limit): return "the tensors need more than \(limit) slots in total"
        }
    }
}
