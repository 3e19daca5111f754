extension FiniteField {
    /// A uniformly distributed element (within ``FiniteField/init(uniformBytes:)``'s statistical
    /// distance), drawn from `generator`. For tests and randomised checks; protocol challenges come
    /// from the Fiat–Shamir transcript instead.
    @inlinable
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> Self {
        var bytes = [UInt8](repeating: 0, count: sampleByteCount)
        var i = 0
        while i < bytes.count {
            let word = generator.next()
            for k in 0..<8 where i + k < bytes.count { bytes[i + k] = UInt8(truncatingIfNeeded: word >> UInt64(8 * k)) }
            i += 8
        }
        return Self(uniformBytes: bytes)
    }
}
