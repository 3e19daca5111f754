import ZKParallel
public import ZKField

// The number-theoretic transform over an `EvaluationDomain`, in place, natural order in and out.
//
// Forward (coefficients → evaluations): a decimation-in-time radix-2 transform. The input is
// permuted into bit-reversed order, then stage `m = 1, 2, 4, …, n/2` merges adjacent transforms
// of size `m` into size `2m` with butterflies
//
//     (a[k + j], a[k + j + m]) ↦ (a[k + j] + ω_{2m}^j · a[k + j + m],  a[k + j] − ω_{2m}^j · a[k + j + m]),
//
// which is the identity `A(x) = A_even(x²) + x·A_odd(x²)` evaluated at `x = ±ω_{2m}^j`.
// The butterfly with `j = 0` has twiddle 1 and skips its multiplication.
//
// Cache blocking: the first `nttBlockLog` stages only mix elements inside aligned blocks of
// `2^nttBlockLog` elements, so each block runs all of them while it sits in L2; the remaining
// stages sweep the whole array once each. Blocks, and the butterflies of a large stage, are
// independent, which is where the parallelism comes from.
//
// Inverse (evaluations → coefficients): `a_j = n⁻¹ Σ_i â_i ω^(−ij)`, i.e. the forward transform
// followed by the index reversal `i ↦ −i mod n` and the scale `n⁻¹` (fused in one pass), so both
// directions share one twiddle table.

/// log₂ of the block the first NTT stages run in (2^12 elements = 128 KiB of BN254 elements).
@usableFromInline let nttBlockLog = 12
/// Below this many elements an NTT (or one of its passes) runs on the calling thread.
@usableFromInline let nttParallelThreshold = 1 << 12

extension EvaluationDomain {
    // MARK: - Arrays

    /// Coefficients → evaluations: replaces `values[j] = a_j` by `a(ω^i)` at index `i`.
    /// - Precondition: `values.count == size`.
    @inlinable
    public func forwardNTT(_ values: inout [F]) {
        precondition(values.count == size, "NTT input has \(values.count) elements, domain size is \(size)")
        values.withUnsafeMutableBufferPointer { forwardNTT($0) }
    }

    /// Evaluations → coefficients: the inverse of ``forwardNTT(_:)-([F])``.
    @inlinable
    public func inverseNTT(_ values: inout [F]) {
        precondition(values.count == size, "NTT input has \(values.count) elements, domain size is \(size)")
        values.withUnsafeMutableBufferPointer { inverseNTT($0) }
    }

    /// Coefficients → evaluations on the coset `shift·H`: index `i` becomes `a(shift · ω^i)`.
    /// `shift` defaults to ``cosetShift``.
    @inlinable
    public func cosetForwardNTT(_ values: inout [F], shift: F? = nil) {
        precondition(values.count == size, "NTT input has \(values.count) elements, domain size is \(size)")
        values.withUnsafeMutableBufferPointer { cosetForwardNTT($0, shift: shift) }
    }

    /// Evaluations on the coset `shift·H` → coefficients: the inverse of ``cosetForwardNTT(_:shift:)-([F],_)``.
    @inlinable
    public func cosetInverseNTT(_ values: inout [F], shift: F? = nil) {
        precondition(values.count == size, "NTT input has \(values.count) elements, domain size is \(size)")
        values.withUnsafeMutableBufferPointer { cosetInverseNTT($0, shift: shift) }
    }

    /// The evaluations on `H` of the polynomial with the given coefficients (zero-padded to `size`).
    @inlinable
    public func evaluate(coefficients: [F]) -> [F] {
        precondition(coefficients.count <= size, "degree ≥ domain size")
        var values = coefficients
        values.append(contentsOf: repeatElement(.zero, count: size - coefficients.count))
        forwardNTT(&values)
        return values
    }

    /// The coefficients of the polynomial of degree `< size` taking the given values on `H`.
    @inlinable
    public func interpolate(evaluations: [F]) -> [F] {
        var values = evaluations
        inverseNTT(&values)
        return values
    }

    /// The evaluations on `shift·H` of the polynomial with the given coefficients (zero-padded).
    @inlinable
    public func evaluateOnCoset(coefficients: [F], shift: F? = nil) -> [F] {
        precondition(coefficients.count <= size, "degree ≥ domain size")
        var values = coefficients
        values.append(contentsOf: repeatElement(.zero, count: size - coefficients.count))
        cosetForwardNTT(&values, shift: shift)
        return values
    }

    /// The coefficients of the polynomial of degree `< size` taking the given values on `shift·H`.
    @inlinable
    public func interpolateFromCoset(evaluations: [F], shift: F? = nil) -> [F] {
        var values = evaluations
        cosetInverseNTT(&values, shift: shift)
        return values
    }

    // MARK: - Buffers

    /// ``forwardNTT(_:)-([F])`` on memory the caller owns (e.g. one row of a matrix).
    @inlinable
    public func forwardNTT(_ buffer: UnsafeMutableBufferPointer<F>) {
        forwardNTT(buffer, blockLog: nttBlockLog, parallelThreshold: nttParallelThreshold)
    }

    /// The forward transform with explicit tuning knobs (cache block size, parallel threshold);
    /// tests use tiny ones to reach every parallel code path at small sizes. Same result as
    /// ``forwardNTT(_:)-([F])``.
    @inlinable
    public func forwardNTT(_ buffer: UnsafeMutableBufferPointer<F>, blockLog: Int, parallelThreshold: Int) {
        precondition(buffer.count == size, "NTT input has \(buffer.count) elements, domain size is \(size)")
        guard size > 1 else { return }
        let a = buffer.baseAddress!
        twiddles.withUnsafeBufferPointer { tw in
            nttBitReverse(a, logSize: logSize, parallelThreshold: parallelThreshold)
            nttDecimationInTime(
                a, logSize: logSize, twiddles: tw.baseAddress!, blockLog: blockLog, parallelThreshold: parallelThreshold)
        }
    }

    /// ``inverseNTT(_:)-([F])`` on memory the caller owns.
    @inlinable
    public func inverseNTT(_ buffer: UnsafeMutableBufferPointer<F>) {
        forwardNTT(buffer)
        nttReverseAndScale(buffer.baseAddress!, count: size, scale: sizeInverse, ratio: .one)
    }

    /// ``cosetForwardNTT(_:shift:)-([F],_)`` on memory the caller owns.
    @inlinable
    public func cosetForwardNTT(_ buffer: UnsafeMutableBufferPointer<F>, shift: F? = nil) {
        precondition(buffer.count == size, "NTT input has \(buffer.count) elements, domain size is \(size)")
        nttScaleByPowers(buffer.baseAddress!, count: size, ratio: shift ?? cosetShift)
        forwardNTT(buffer)
    }

    /// ``cosetInverseNTT(_:shift:)-([F],_)`` on memory the caller owns.
    @inlinable
    public func cosetInverseNTT(_ buffer: UnsafeMutableBufferPointer<F>, shift: F? = nil) {
        // a_j g^j = n⁻¹ Σ_i â_i ω^(−ij), so a_j = n⁻¹ g^(−j) · NTT(â)[−j].
        let ratio: F
        if let shift {
            guard let inverse = shift.inverse() else { preconditionFailure("the coset shift must be nonzero") }
            ratio = inverse
        } else {
            ratio = cosetShiftInverse
        }
        forwardNTT(buffer)
        nttReverseAndScale(buffer.baseAddress!, count: size, scale: sizeInverse, ratio: ratio)
    }
}

// MARK: - Kernels

/// Reverses the low `bits` bits of `i`.
@inlinable @inline(__always)
internal func reverseBits(_ i: Int, bits: Int) -> Int {
    var x = UInt64(truncatingIfNeeded: i)
    x = ((x >> 1) & 0x5555_5555_5555_5555) | ((x & 0x5555_5555_5555_5555) << 1)
    x = ((x >> 2) & 0x3333_3333_3333_3333) | ((x & 0x3333_3333_3333_3333) << 2)
    x = ((x >> 4) & 0x0f0f_0f0f_0f0f_0f0f) | ((x & 0x0f0f_0f0f_0f0f_0f0f) << 4)
    x = x.byteSwapped
    return Int(truncatingIfNeeded: x >> UInt64(64 - bits))
}

/// Permutes `a[0 ..< 2^logSize]` into bit-reversed order. Each swap pair `(i, rev(i))` is done by
/// its smaller index only, so chunks of `i` never touch the same pair.
@inlinable
internal func nttBitReverse<F>(_ a: UnsafeMutablePointer<F>, logSize: Int, parallelThreshold: Int) {
    let n = 1 << logSize
    guard n > 2 else { return }
    parallelChunks(count: n, minimumChunk: parallelThreshold) { range in
        for i in range {
            let j = reverseBits(i, bits: logSize)
            if i < j { swap(&a[i], &a[j]) }
        }
    }
}

/// Butterflies of the stage with half-size `m` (twiddles `w[j] = ω_{2m}^j`) for the groups
/// `groups` (group `g` covers `a[2mg ..< 2m(g+1)]`) and the offsets `js` within each group.
@inlinable @inline(__always)
internal func nttButterflies<F: FiniteField>(
    _ a: UnsafeMutablePointer<F>, half m: Int, twiddles w: UnsafePointer<F>, groups: Range<Int>, offsets js: Range<Int>
) {
    for g in groups {
        let lo = a + 2 * m * g
        let hi = lo + m
        var j = js.lowerBound
        if j == 0 {
            let u = lo[0], v = hi[0]
            lo[0] = u + v
            hi[0] = u - v
            j = 1
        }
        while j < js.upperBound {
            let t = w[j] * hi[j]
            let u = lo[j]
            lo[j] = u + t
            hi[j] = u - t
            j &+= 1
        }
    }
}

/// All stages of a decimation-in-time NTT on bit-reversed input `a[0 ..< 2^logSize]`.
@inlinable
internal func nttDecimationInTime<F: FiniteField>(
    _ a: UnsafeMutablePointer<F>, logSize: Int, twiddles tw: UnsafePointer<F>, blockLog maximumBlockLog: Int,
    parallelThreshold: Int
) {
    let n = 1 << logSize
    let blockLog = min(logSize, maximumBlockLog)
    let blockSize = 1 << blockLog
    // Stages m < blockSize, block by block.
    parallelChunks(count: n / blockSize, minimumChunk: max(1, parallelThreshold / blockSize)) { blocks in
        for b in blocks {
            let block = a + b * blockSize
            for s in 0..<blockLog {
                let m = 1 << s
                nttButterflies(block, half: m, twiddles: tw + (m - 1), groups: 0..<(blockSize / (2 * m)), offsets: 0..<m)
            }
        }
    }
    // Stages m ≥ blockSize, one sweep each, split into power-of-two chunks of butterflies.
    guard blockLog < logSize else { return }
    let butterflies = n / 2
    var chunks = parallelChunkCount(count: butterflies, minimumChunk: max(1, parallelThreshold / 2))
    chunks = 1 << (Int.bitWidth - 1 - chunks.leadingZeroBitCount)  // round down to a power of two
    let perChunk = butterflies / chunks
    for s in blockLog..<logSize {
        let m = 1 << s
        let w = tw + (m - 1)
        parallelChunks(count: chunks, minimumChunk: 1) { range in
            for c in range {
                let first = c * perChunk
                if perChunk >= m {
                    nttButterflies(a, half: m, twiddles: w, groups: (first / m)..<((first + perChunk) / m), offsets: 0..<m)
                } else {
                    let j0 = first % m
                    nttButterflies(a, half: m, twiddles: w, groups: (first / m)..<(first / m + 1), offsets: j0..<(j0 + perChunk))
                }
            }
        }
    }
}

/// `a[i] *= ratio^i` for `i < count` (coefficients `a_j` → `a_j g^j` for a coset transform).
@inlinable
internal func nttScaleByPowers<F: FiniteField>(_ a: UnsafeMutablePointer<F>, count: Int, ratio: F) {
    parallelChunks(count: count, minimumChunk: nttParallelThreshold) { range in
        var x = ratio.power(UInt64(range.lowerBound))
        for i in range {
            a[i] *= x
            x *= ratio
        }
    }
}

/// `b[i] = scale · ratio^i · a[−i mod n]` in place, for `n = count ≥ 2` (the tail of an inverse
/// transform: index reversal, the `n⁻¹` scale and, on a coset, the factor `g^(−i)`).
@inlinable
internal func nttReverseAndScale<F: FiniteField>(_ a: UnsafeMutablePointer<F>, count n: Int, scale: F, ratio: F) {
    guard n >= 2 else {
        if n == 1 { a[0] *= scale }
        return
    }
    let half = n / 2
    a[0] *= scale
    a[half] *= scale * ratio.power(UInt64(half))
    guard half > 1 else { return }
    let plain = ratio == .one
    // Pairs (i, n − i) for 1 ≤ i < n/2, disjoint across chunks.
    parallelChunks(count: half - 1, minimumChunk: nttParallelThreshold / 2) { range in
        let start = range.lowerBound + 1
        if plain {
            for i in start..<(range.upperBound + 1) {
                let x = a[i], y = a[n - i]
                a[i] = y * scale
                a[n - i] = x * scale
            }
        } else {
            let inverseRatio = ratio.inverse()!
            var low = scale * ratio.power(UInt64(start))  // scale · ratio^i
            var high = scale * ratio.power(UInt64(n - start))  // scale · ratio^(n − i)
            for i in start..<(range.upperBound + 1) {
                let x = a[i], y = a[n - i]
                a[i] = y * low
                a[n - i] = x * high
                low *= ratio
                high *= inverseRatio
            }
        }
    }
}
