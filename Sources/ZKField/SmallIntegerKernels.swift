/// Linear algebra between small signed integers (quantized weights and activations) and field
/// elements: the inner loops of every linear layer.
///
/// Every ``PrimeField`` gets these with plain field arithmetic (lift each integer, multiply, add).
/// A field can replace them with a faster kernel — ``BN254Fr`` does, accumulating without
/// reduction (see ``SmallIntegerAccumulator``) — and generic proof code that calls them
/// specialises to that kernel.
public protocol SmallIntegerKernels {
    /// `Σ weights[i] · elements[i]`.
    /// - Precondition: equal lengths; for 32-bit weights `|w| ≤ 2^30`.
    static func dot<W: FixedWidthInteger & SignedInteger>(
        _ weights: UnsafeBufferPointer<W>, _ elements: UnsafeBufferPointer<Self>
    ) -> Self

    /// The combination of the rows of a small-integer matrix with field coefficients:
    /// `result[j] = Σ_i coefficients[i] · matrix[i·columns + j]` (row-major `matrix`,
    /// `rows = coefficients.count`). With `coefficients = eq(r, ·)` this is the multilinear
    /// extension of the matrix with its row variables fixed to `r`, the structured fold of a
    /// matrix–vector sumcheck and a Ligero opening row.
    /// - Precondition: `matrix.count == coefficients.count · columns`.
    static func combineRows<W: FixedWidthInteger & SignedInteger>(
        _ matrix: UnsafeBufferPointer<W>, columns: Int, coefficients: UnsafeBufferPointer<Self>
    ) -> [Self]

    /// ``combineRows(_:columns:coefficients:)`` for several coefficient vectors over one matrix
    /// (each of `matrix.count / columns` entries): `result[v][j] = Σ_i coefficientVectors[v][i] ·
    /// matrix[i·columns + j]`. A field may do them in one pass (a Ligero opening combines the
    /// committed matrix with its proximity row and one row per claim).
    /// - Precondition: `matrix.count == coefficientVectors[v].count · columns` for every `v`.
    static func combineRows<W: FixedWidthInteger & SignedInteger>(
        _ matrix: UnsafeBufferPointer<W>, columns: Int, coefficientVectors: [[Self]]
    ) -> [[Self]]
}

extension SmallIntegerKernels where Self: PrimeField {
    @inlinable
    public static func dot<W: FixedWidthInteger & SignedInteger>(
        _ weights: UnsafeBufferPointer<W>, _ elements: UnsafeBufferPointer<Self>
    ) -> Self {
        precondition(weights.count == elements.count, "dot product of vectors of different lengths")
        var sum = Self.zero
        for i in 0..<weights.count { sum += Self(Int64(weights[i])) * elements[i] }
        return sum
    }

    @inlinable
    public static func combineRows<W: FixedWidthInteger & SignedInteger>(
        _ matrix: UnsafeBufferPointer<W>, columns: Int, coefficients: UnsafeBufferPointer<Self>
    ) -> [Self] {
        precondition(matrix.count == coefficients.count * columns, "matrix shape does not match")
        var result = [Self](repeating: .zero, count: columns)
        for i in 0..<coefficients.count {
            let c = coefficients[i]
            for j in 0..<columns { result[j] += c * Self(Int64(matrix[i * columns + j])) }
        }
        return result
    }

    @inlinable
    public static func combineRows<W: FixedWidthInteger & SignedInteger>(
        _ matrix: UnsafeBufferPointer<W>, columns: Int, coefficientVectors: [[Self]]
    ) -> [[Self]] {
        coefficientVectors.map { vector in
            vector.withUnsafeBufferPointer { combineRows(matrix, columns: columns, coefficients: $0) }
        }
    }
}

extension SmallIntegerKernels where Self: PrimeField {
    /// `Σ weights[i] · elements[i]` for arrays.
    @inlinable
    public static func dot<W: FixedWidthInteger & SignedInteger>(_ weights: [W], _ elements: [Self]) -> Self {
        weights.withUnsafeBufferPointer { w in elements.withUnsafeBufferPointer { e in dot(w, e) } }
    }
}
