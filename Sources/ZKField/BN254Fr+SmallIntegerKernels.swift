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
    ///
    /// The type test runs once per call and leads to non-generic entry points, so the kernel is
    /// the specialised one even when this method is reached through the protocol's witness table
    /// with `W` unknown (as from generic proof code).
    @inlinable
    public static func combineRows<W: FixedWidthInteger & SignedInteger>(
        _ matrix: UnsafeBufferPointer<W>, columns: Int, coefficients: UnsafeBufferPointer<BN254Fr>
    ) -> [BN254Fr] {
        precondition(columns >= 0 && matrix.count == coefficients.count * columns, "matrix shape does not match")
        if W.self == Int8.self {
            return combineRows(int8: unsafeBitCast(matrix, to: UnsafeBufferPointer<Int8>.self),
                               columns: columns, coefficients: coefficients)
        } else if W.self == Int16.self {
            return combineRows(int16: unsafeBitCast(matrix, to: UnsafeBufferPointer<Int16>.self),
                               columns: columns, coefficients: coefficients)
        } else if W.self == Int32.self {
            return combineRows(int32: unsafeBitCast(matrix, to: UnsafeBufferPointer<Int32>.self),
                               columns: columns, coefficients: coefficients)
        }
        let narrowed = matrix.map { w in
            precondition(w.magnitude <= 1 << 30, "weight outside ±2^30")
            return Int32(w)
        }
        return narrowed.withUnsafeBufferPointer { combineRows(int32: $0, columns: columns, coefficients: coefficients) }
    }

    @usableFromInline
    static func combineRows(int8 matrix: UnsafeBufferPointer<Int8>, columns: Int, coefficients: UnsafeBufferPointer<BN254Fr>) -> [BN254Fr] {
        [BN254Fr](unsafeUninitializedCapacity: columns) { output, initialized in
            RowCombination.combine(matrix, columns: columns, coefficients: coefficients, into: output)
            initialized = columns
        }
    }

    @usableFromInline
    static func combineRows(int16 matrix: UnsafeBufferPointer<Int16>, columns: Int, coefficients: UnsafeBufferPointer<BN254Fr>) -> [BN254Fr] {
        [BN254Fr](unsafeUninitializedCapacity: columns) { output, initialized in
            RowCombination.combine(matrix, columns: columns, coefficients: coefficients, into: output)
            initialized = columns
        }
    }

    @usableFromInline
    static func combineRows(int32 matrix: UnsafeBufferPointer<Int32>, columns: Int, coefficients: UnsafeBufferPointer<BN254Fr>) -> [BN254Fr] {
        [BN254Fr](unsafeUninitializedCapacity: columns) { output, initialized in
            RowCombination.combine(matrix, columns: columns, coefficients: coefficients, into: output)
            initialized = columns
        }
    }
}
