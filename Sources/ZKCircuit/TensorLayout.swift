/// How a tensor's logical entries sit on the boolean hypercube.
///
/// Every dimension is padded to a power of two, and the padded tensor is stored row-major, so a
/// tensor of shape `[d_1, …, d_m]` occupies `2^(k_1 + … + k_m)` slots with `2^k_j ≥ d_j`, and its
/// multilinear extension has one group of `k_j` variables per dimension, **the last (innermost)
/// dimension taking the lowest variables** (the project's lowest-bit-first convention). Padding
/// entries hold zero unless a relation says otherwise.
///
/// Because dimensions own disjoint groups of variables, a transpose is a permutation of variable
/// groups and a reshape that only merges power-of-two dimensions is the identity on points: data
/// movement that the verifier applies to points itself, at no cost to the prover.
public struct TensorLayout: Sendable, Hashable, Codable {
    /// The logical shape.
    public let shape: [Int]
    /// `k_j = ⌈log₂ d_j⌉` for every dimension.
    public let dimensionBits: [Int]

    /// A layout for a shape the program built itself.
    /// - Precondition: every dimension is positive and the padded tensor has at most
    ///   ``CircuitLimits/maximumTensorSlots`` slots. Shapes read from bytes go through
    ///   ``init(checkedShape:)`` instead.
    public init(shape: [Int]) {
        do throws(CircuitSizeError) { try self.init(checkedShape: shape) } catch {
            preconditionFailure("tensor layout: \(error)")
        }
    }

    /// A layout for a shape read from untrusted bytes: every dimension positive, the padded slot
    /// count (overflow-checked) at most ``CircuitLimits/maximumTensorSlots``. Nothing is
    /// allocated before the check.
    public init(checkedShape shape: [Int]) throws(CircuitSizeError) {
        guard shape.allSatisfy({ $0 > 0 }) else { throw .nonPositiveDimension(shape: shape) }
        let bits = shape.map { d in d <= 1 ? 0 : Int.bitWidth - (d - 1).leadingZeroBitCount }
        // Each padded dimension is 2^k_j ≥ d_j, so bounding Σ k_j bounds the logical count too.
        guard let total = CircuitLimits.checkedSum(bits, limit: Int.bitWidth - 2),
              1 << total <= CircuitLimits.maximumTensorSlots else {
            throw .tensorTooLarge(shape: shape, limit: CircuitLimits.maximumTensorSlots)
        }
        self.shape = shape
        dimensionBits = bits
    }

    private enum CodingKeys: String, CodingKey { case shape }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let shape = try container.decode([Int].self, forKey: .shape)
        do { try self.init(checkedShape: shape) } catch {
            throw DecodingError.dataCorruptedError(forKey: .shape, in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(shape, forKey: .shape)
    }

    /// The number of logical entries `Π d_j` (at most ``slotCount``, so it cannot overflow).
    public var count: Int { shape.reduce(1, *) }
    /// The number of hypercube variables `Σ k_j`.
    public var variableCount: Int { dimensionBits.reduce(0, +) }
    /// The number of slots `2^variableCount`.
    public var slotCount: Int { 1 << variableCount }

    /// The slot of the logical entry with the given row-major logical index.
    public func slot(ofLogicalIndex index: Int) -> Int {
        var remaining = index
        var slot = 0
        var shift = 0
        for j in stride(from: shape.count - 1, through: 0, by: -1) {
            let coordinate = remaining % shape[j]
            remaining /= shape[j]
            slot |= coordinate << shift
            shift += dimensionBits[j]
        }
        return slot
    }

    /// The logical values spread into their slots, padding with `padding`. Inlinable so that it
    /// specialises in other modules: unspecialised, its loop costs about 70 ns per value (7 ms
    /// for the weights of a 100k-parameter model).
    @inlinable
    public func padded<T>(_ values: [T], padding: T) -> [T] {
        precondition(values.count == count, "expected \(count) values, got \(values.count)")
        var out = [T](repeating: padding, count: slotCount)
        if dimensionBits.count <= 1 || (1..<shape.count).allSatisfy({ 1 << dimensionBits[$0] == shape[$0] }) {
            // Inner dimensions are powers of two: the layout is contiguous.
            out.replaceSubrange(0..<values.count, with: values)
            return out
        }
        // Each run of the last dimension is contiguous (its coordinate is the low bits): one slot
        // computation per run.
        let run = shape[shape.count - 1]
        out.withUnsafeMutableBufferPointer { destination in
            values.withUnsafeBufferPointer { source in
                var i = 0
                while i < source.count {
                    let start = slot(ofLogicalIndex: i)
                    for k in 0..<run { destination[start + k] = source[i + k] }
                    i += run
                }
            }
        }
        return out
    }

    /// Whether `slot` holds a logical entry (is not padding).
    public func isLogicalSlot(_ slot: Int) -> Bool {
        var remaining = slot
        for j in stride(from: shape.count - 1, through: 0, by: -1) {
            let coordinate = remaining & ((1 << dimensionBits[j]) - 1)
            if coordinate >= shape[j] { return false }
            remaining >>= dimensionBits[j]
        }
        return true
    }
}
