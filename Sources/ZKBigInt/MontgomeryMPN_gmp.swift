internal import CGMP

/// Montgomery multiplication on GMP's low-level `mpn_` layer, for a fixed odd modulus of `n` limbs.
///
/// This is baseline (b) of the field benchmark: the full product `a · b` by `mpn_mul_n`, then
/// Montgomery reduction (REDC) by `n` rounds of `mpn_addmul_1`, each adding `m · p` with
/// `m = t[i] · (−p⁻¹ mod 2^64)` so that limb `i` becomes zero; the upper half is `a·b·2^(−64n) mod p`
/// after at most one subtraction of `p`. Only documented GMP entry points are used.
///
/// It works on caller-owned limb buffers so a benchmark or test can run it without allocation.
public final class MontgomeryMPN {
    public let limbCount: Int
    private let modulus: UnsafeMutablePointer<UInt>
    private let negativeInverse: UInt
    private let scratch: UnsafeMutablePointer<UInt>

    /// - Precondition: `modulus` is odd and positive.
    public init(modulus m: BigInteger) {
        precondition(m.signum > 0 && m.bit(0), "Montgomery needs an odd positive modulus")
        let limbs = m.littleEndianLimbs()
        limbCount = limbs.count
        modulus = .allocate(capacity: limbs.count)
        for (i, l) in limbs.enumerated() { modulus[i] = UInt(l) }
        let inverse = m.inverse(modulo: BigInteger(1) << 64)!
        negativeInverse = UInt(((BigInteger(1) << 64) - inverse).littleEndianLimbs(minimumCount: 1)[0])
        scratch = .allocate(capacity: 2 * limbs.count + 1)
    }

    deinit {
        modulus.deallocate()
        scratch.deallocate()
    }

    /// `result = a · b · 2^(−64n) mod p` for `a, b < p`, all as `n` little-endian limbs.
    /// Not thread-safe (one scratch buffer per instance).
    public func multiply(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, into result: UnsafeMutablePointer<UInt64>) {
        let n = limbCount
        a.withMemoryRebound(to: UInt.self, capacity: n) { a in
            b.withMemoryRebound(to: UInt.self, capacity: n) { b in
                __gmpn_mul_n(scratch, a, b, n)
            }
        }
        scratch[2 * n] = 0
        for i in 0..<n {
            let m = scratch[i] &* negativeInverse
            let carry = __gmpn_addmul_1(scratch + i, modulus, n, m)
            _ = __gmpn_add_1(scratch + i + n, scratch + i + n, n + 1 - i, carry)
        }
        let upper = scratch + n
        if upper[n] != 0 || __gmpn_cmp(upper, modulus, n) >= 0 {
            _ = __gmpn_sub_n(upper, upper, modulus, n)
        }
        result.withMemoryRebound(to: UInt.self, capacity: n) { r in
            for i in 0..<n { r[i] = upper[i] }
        }
    }
}
