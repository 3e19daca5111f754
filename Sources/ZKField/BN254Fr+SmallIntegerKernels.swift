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
        var acc = SmallIntegerAccumulator()
        var start = 0
        while start < weights.count {
            let end = Swift.min(start + budget, weights.count)
            for i in start..<end {
                let w = Int64(weights[i])
                if W.bitWidth > 31 { precondition(w.magnitude <= 1 << 30, "weight outside ±2^30") }
                acc.add(elements[i], times: w)
            }
            if end < weights.count { acc.flush() }
            start = end
        }
        return acc.reduced()
    }

    /// Row combination with one unreduced accumulator per column: each coefficient is split once
    /// (``Limbs32``) and multiply-added into every column, so a 1024×1024 int8 matrix costs about
    /// a million 8-lane integer multiply-adds and 1024·8 field multiplications.
    @inlinable
    public static func combineRows<W: FixedWidthInteger & SignedInteger>(
        _ matrix: UnsafeBufferPointer<W>, columns: Int, coefficients: UnsafeBufferPointer<BN254Fr>
    ) -> [BN254Fr] {
        let rows = coefficients.count
        precondition(matrix.count == rows * columns, "matrix shape does not match")
        let weightBits = Swift.min(W.bitWidth - 1, 30)
        let budget = SmallIntegerAccumulator.termBudget(weightBits: weightBits)
        var accumulators = [SmallIntegerAccumulator](repeating: SmallIntegerAccumulator(), count: columns)
        accumulators.withUnsafeMutableBufferPointer { acc in
            var sinceFlush = 0
            for i in 0..<rows {
                if sinceFlush == budget {
                    for j in 0..<columns { acc[j].flush() }
                    sinceFlush = 0
                }
                let e = Limbs32(coefficients[i])
                let row = matrix.baseAddress! + i * columns
                for j in 0..<columns {
                    let w = Int64(row[j])
                    if W.bitWidth > 31 { precondition(w.magnitude <= 1 << 30, "weight outside ±2^30") }
                    acc[j].add(e, times: w)
                }
                sinceFlush += 1
            }
        }
        return accumulators.map { $0.reduced() }
    }
}
