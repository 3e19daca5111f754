/// Fixed-point helpers of the integer-only quantization scheme.
enum Quantization {
    /// `(M, s)` with `M / 2^s ≈ ratio` and `M` in `[2^14, 2^15)` (15 significant bits), `1 ≤ s ≤ 62`;
    /// `nil` when no such pair approximates `ratio` (not a positive finite number, at least
    /// `2^14`, or so small that `M` would round to 0): the caller refuses the layer.
    static func multiplier(for ratio: Double) -> (multiplier: Int64, shift: Int)? {
        guard ratio > 0, ratio.isFinite else { return nil }
        var shift = 14
        var scaled = ratio * Double(1 << 14)
        while scaled < Double(1 << 14) && shift < 62 { scaled *= 2; shift += 1 }
        while scaled >= Double(1 << 15) && shift > 1 { scaled /= 2; shift -= 1 }
        let m = scaled.rounded()
        guard m >= 1, m <= Double(1 << 15) else { return nil }
        return (Int64(m), shift)
    }

    /// `round(value / scale)` clamped into `[−limit, limit]`, and whether it was clamped (a NaN
    /// counts as clamped, to 0).
    static func quantize(_ value: Double, scale: Double, limit: Int64) -> (Int64, Bool) {
        let q = (value / scale).rounded()
        if q.isNaN { return (0, true) }
        if q > Double(limit) { return (limit, true) }
        if q < -Double(limit) { return (-limit, true) }
        return (Int64(q), false)
    }

    /// The integer engine's requantization: `floor((acc·M + 2^(s−1)) / 2^s)` by an arithmetic
    /// shift; `nil` if `acc·M + 2^(s−1)` leaves Int64.
    static func requantize(_ acc: Int64, multiplier: Int64, shift: Int) -> Int64? {
        let (scaled, o1) = acc.multipliedReportingOverflow(by: multiplier)
        let (numerator, o2) = scaled.addingReportingOverflow(Int64(1) << Int64(shift - 1))
        guard !o1, !o2 else { return nil }
        return numerator >> Int64(shift)
    }

    /// Bits of a signed table domain covering `[−bound, bound]` (at most 64).
    static func signedBits(covering bound: Int64) -> Int {
        var bits = 1
        while bits < 64 && (Int64(1) << Int64(bits - 1)) <= bound { bits += 1 }
        return bits
    }

    /// `M / 2^s` equal to the Float32 `multiplier` exactly (its significand and exponent), with
    /// trailing zero bits of `M` removed; nil when `s` would fall outside `1…62` or the multiplier
    /// is not a positive normal number.
    static func exactMultiplier(_ multiplier: Float) -> (multiplier: Int64, shift: Int)? {
        guard multiplier.isNormal, multiplier > 0 else { return nil }
        var m = Int64(multiplier.significandBitPattern) | (Int64(1) << 23)
        var shift = 23 - Int(multiplier.exponent)
        while m & 1 == 0 && shift > 1 { m >>= 1; shift -= 1 }
        guard (1...62).contains(shift) else { return nil }
        return (m, shift)
    }

    /// One rounding shift for several exact multipliers `M_c / 2^(s_c)` (one per output channel):
    /// with `s = max_c s_c`, channel `c`'s multiplier is `M'_c / 2^s` where `M'_c = M_c · 2^(s − s_c)`
    /// is an integer, the same rational number, so `floor((acc·M_c + 2^(s_c−1)) / 2^(s_c))` equals
    /// `floor((acc·M'_c + 2^(s−1)) / 2^s)` exactly. `M'_c = common · factors[c]` with `common` the
    /// greatest common divisor of the `M'_c` (equal significands, scales that differ by powers of
    /// two, leave the factors powers of two). nil when an `M'_c` would reach 2^62.
    static func commonShift(_ multipliers: [(multiplier: Int64, shift: Int)]) -> (common: Int64, shift: Int, factors: [Int64])? {
        guard let shift = multipliers.map(\.shift).max() else { return nil }
        var scaled: [Int64] = []
        for (m, s) in multipliers {
            guard m > 0, s <= shift, (shift - s) + (Int64.bitWidth - m.leadingZeroBitCount) <= 62 else { return nil }
            scaled.append(m << Int64(shift - s))
        }
        func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
        let common = scaled.reduce(0, gcd)
        return (common, shift, scaled.map { $0 / common })
    }
}
