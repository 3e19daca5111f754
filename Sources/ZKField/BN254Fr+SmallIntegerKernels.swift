extension BN254Fr: SmallIntegerKernels {
    /// `Σ weights[i] · elements[i]` for small signed integer weights (int8, int16, or int32
    /// within ±2^30), with one field reduction per budget-full block instead of one
    /// multiplication per term (see ``SmallIntegerAccumulator``).
    /// - Precondition: `weights.count == elements.count`.
    @inlinable
    public static func dot<W: FixedWidthInteger & SignedInteger>(
        _ weights: UnsafeBufferPointer<W>, _ elements: UnsafeBufferPointer<BN254Fr>
    ) -> BN254Fr {
        precondition(weights.count == elements.count, "dot product of vectors of different lengths")
        // Bits of |w|: an int8 weight satisfies |w| ≤ 2^7; int32 weights must stay within ±2^30.
        let weightBits = Swift.min(W.bitWidth - 1, 30)
        let budget = SmallIntegerAccumulator.termBudget(weightBits: weightBits)
        let checkRange = W.bitWidth > 31
        var acc = SmallIntegerAccumulator()
        var start = 0
        while start < weights.count {
            let end = Swift.min(start + budget, weights.count)
            for i in start..<end {
                let w = Int64(weights[i])
                if checkRange { precondition(w.magnitude <= 1 << 30, "weight outside ±2^30") }
                acc.add(elements[i], times: w)
            }
            if end < weights.count { acc.flush() }
            start = end
        }
        return acc.reduced()
    }

    /// Row combination by the 16-bit multiply-add kernel (``RowCombination``): integer sums per
    /// column, one Montgomery word-reduction per column, zero-coefficient rows skipped, large
    /// matrices split over threads by columns. `Int8`, `Int16` and `Int32` matrices are read as
    /// they are (`Int32` in its full range); wider types are narrowed to `Int32` first and must
    /// lie within `±2^30` (the protocol's contract).
    @inlinable
    public static func combineRows<W: FixedWidthInteger & SignedInteger>(
        _ matrix: UnsafeBufferPointer<W>, columns: Int, coefficients: UnsafeBufferPointer<BN254Fr>
    ) -> [BN254Fr] {
        precondition(columns >= 0 && matrix.count == coefficients.count * columns, "matrix shape does not match")
        return rowCombinations(matrix, columns: columns, vectors: [coefficients])
    }

    /// Several row combinations of one matrix in a single pass of the kernel (one parallel
    /// dispatch for all of them): a Ligero opening's proximity row and evaluation rows.
    @inlinable
    public static func combineRows<W: FixedWidthInteger & SignedInteger>(
        _ matrix: UnsafeBufferPointer<W>, columns: Int, coefficientVectors: [[BN254Fr]]
    ) -> [[BN254Fr]] {
        for vector in coefficientVectors {
            precondition(columns >= 0 && matrix.count == vector.count * columns, "matrix shape does not match")
        }
        let flatCoefficients = coefficientVectors.flatMap { $0 }
        let flat = flatCoefficients.withUnsafeBufferPointer { all in
            var offset = 0
            let vectors = coefficientVectors.map { vector in
                defer { offset += vector.count }
                return UnsafeBufferPointer(rebasing: all[offset..<(offset + vector.count)])
            }
            return rowCombinations(matrix, columns: columns, vectors: vectors)
        }
        return coefficientVectors.indices.map { v in Array(flat[(v * columns)..<((v + 1) * columns)]) }
    }

    /// The kernel's results for every vector, concatenated (`vectors.count · columns` elements).
    ///
    /// The type test runs once per call and leads to non-generic entry points, so the kernel is
    /// the specialised one even when reached through the protocol's witness table with `W`
    /// unknown (as from generic proof code).
    @inlinable
    static func rowCombinations<W: FixedWidthInteger & SignedInteger>(
        _ matrix: UnsafeBufferPointer<W>, columns: Int, vectors: [UnsafeBufferPointer<BN254Fr>]
    ) -> [BN254Fr] {
        if W.self == Int8.self {
            return rowCombinations(int8: unsafeBitCast(matrix, to: UnsafeBufferPointer<Int8>.self), columns: columns, vectors: vectors)
        } else if W.self == Int16.self {
            return rowCombinations(int16: unsafeBitCast(matrix, to: UnsafeBufferPointer<Int16>.self), columns: columns, vectors: vectors)
        } else if W.self == Int32.self {
            return rowCombinations(int32: unsafeBitCast(matrix, to: UnsafeBufferPointer<Int32>.self), columns: columns, vectors: vectors)
        }
        let narrowed = matrix.map { w in
            precondition(w.magnitude <= 1 << 30, "weight outside ±2^30")
            return Int32(w)
        }
        return narrowed.withUnsafeBufferPointer { rowCombinations(int32: $0, columns: columns, vectors: vectors) }
    }

    @usableFromInline
    static func rowCombinations(int8 matrix: UnsafeBufferPointer<Int8>, columns: Int, vectors: [UnsafeBufferPointer<BN254Fr>]) -> [BN254Fr] {
        RowCombination.combine(matrix, columns: columns, vectors: vectors)
    }

    @usableFromInline
    static func rowCombinations(int16 matrix: UnsafeBufferPointer<Int16>, columns: Int, vectors: [UnsafeBufferPointer<BN254Fr>]) -> [BN254Fr] {
        RowCombination.combine(matrix, columns: columns, vectors: vectors)
    }

    @usableFromInline
    static func rowCombinations(int32 matrix: UnsafeBufferPointer<Int32>, columns: Int, vectors: [UnsafeBufferPointer<BN254Fr>]) -> [BN254Fr] {
        RowCombination.combine(matrix, columns: columns, vectors: vectors)
    }
}
