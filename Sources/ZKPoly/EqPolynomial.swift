import ZKParallel
public import ZKField

/// Below this many entries an eq-table doubling step runs on the calling thread.
@usableFromInline let eqParallelThreshold = 1 << 12

/// The table of `eq(r, x)` over all `x ∈ {0,1}^n`, index `i = Σ_j x_j 2^(j−1)` (``DenseMultilinearExtension``'s
/// order: `r[0]` goes with the lowest bit), where
///
///     eq(r, x) = Π_j ( r_j x_j + (1 − r_j)(1 − x_j) ),
///
/// the multilinear extension of the equality indicator: `Σ_x eq(r, x) f(x) = f̃(r)` for every table `f`.
///
/// Built by doubling in `2^n − 1` multiplications: after the first `k` coordinates the table
/// holds `eq((r_1..r_k), ·)` on `2^k` entries; coordinate `r_{k+1}` becomes bit `k`, so the upper
/// half is `T[i]·r_{k+1}` and the lower half `T[i]·(1 − r_{k+1}) = T[i] − T[i]·r_{k+1}` (one
/// multiplication per new pair). The entries sum to 1.
@inlinable
public func eqTable<F: FiniteField>(point r: [F]) -> [F] {
    let n = r.count
    precondition(n < Int.bitWidth - 6, "eq table too large")
    let size = 1 << n
    return [F](unsafeUninitializedCapacity: size) { buffer, initialized in
        let t = buffer.baseAddress!
        t.initialize(to: .one)
        var filled = 1
        for k in 0..<n {
            let rk = r[k]
            parallelChunks(count: filled, minimumChunk: eqParallelThreshold) { range in
                for i in range {
                    let high = t[i] * rk
                    (t + i + filled).initialize(to: high)
                    t[i] = t[i] - high
                }
            }
            filled *= 2
        }
        initialized = size
    }
}

/// `eq(r, s) = Π_j (r_j s_j + (1 − r_j)(1 − s_j))` for two points of equal length, in `2n`
/// multiplications (each factor is `1 − r_j − s_j + 2 r_j s_j`). For boolean `s` it is the entry
/// of ``eqTable(point:)`` at the index of `s`; for boolean `r` and `s` it is 1 iff `r == s`.
@inlinable
public func eq<F: FiniteField>(_ r: [F], _ s: [F]) -> F {
    precondition(r.count == s.count, "eq of points of different lengths")
    var product = F.one
    for j in 0..<r.count {
        let rs = r[j] * s[j]
        product *= (F.one - r[j] - s[j] + rs.doubled())
    }
    return product
}
