/// Fixed-point helpers of the integer-only quantization scheme.
enum Quantization {
    /// `(M, s)` with `M / 2^s ≈ ratio` and `M` in `[2^14, 2^15)` (15 significant bits), `1 ≤ s ≤ 62`.
    static func multiplier(for ratio: Double) -> (multiplier: Int64, shift: Int) {
        precondition(ratio > 0 && ratio.isFinite, "requantization ratio must be positive")
        var shift = 14
        var scaled = ratio * Double(1 << 14)
        while scaled < Double(1 << 14) && shift < 62 { scaled *= 2; shift += 1 }
        while scaled >= Double(1 << 15) && shift > 1 { scaled /= 2; shift -= 1 }
        return (Int64(scaled.rounded()), shift)
    }

    /// `round(value / scale)` clamped into `[−limit, limit]`, and whether it was clamped.
    static func quantize(_ value: Double, scale: Double, limit: Int64) -> (Int64, Bool) {
        let q = (value / scale).rounded()
        if q > Double(limit) { return (limit, true) }
        if q < -Double(limit) { return (-limit, true) }
        return (Int64(q), false)
    }

    /// The integer engine's requantization: `floor((acc·M + 2^(s−1)) / 2^s)` by an arithmetic shift.
    static func requantize(_ acc: Int64, multiplier: Int64, shift: Int) -> Int64 {
        (acc * multiplier + (Int64(1) << Int64(shift - 1))) >> Int64(shift)
    }

    /// Bits of a signed table domain covering `[−bound, bound]`.
    static func signedBits(covering bound: Int64) -> Int {
        var bits = 1
        while (Int64(1) << Int64(bits - 1)) <= bound { bits += 1 }
        return bits
    }
}
