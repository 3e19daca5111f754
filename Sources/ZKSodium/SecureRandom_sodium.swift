internal import CSodium

/// Cryptographically secure random bytes from the operating system (libsodium's `randombytes`,
/// which reads `getrandom(2)` on Linux).
///
/// ```swift
/// let nonce = SecureRandom.bytes(32)
/// var rng = SecureRandom.Generator()
/// let die = Int.random(in: 1...6, using: &rng)
/// ```
public enum SecureRandom {
    /// `count` fresh random bytes.
    /// - Precondition: `count >= 0`.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "negative byte count")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Overwrites every byte of `buffer` with fresh random bytes.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        _ = sodiumReady
        randombytes_buf(base, buffer.count)
    }

    /// Overwrites every element of `bytes` with fresh random bytes.
    public static func fill(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { fill($0) }
    }

    /// A `RandomNumberGenerator` drawing from ``SecureRandom`` (for `Int.random(in:using:)`,
    /// `shuffled(using:)` and field sampling where the randomness must be unpredictable).
    public struct Generator: RandomNumberGenerator, Sendable {
        public init() {}

        public mutating func next() -> UInt64 {
            var value: UInt64 = 0
            withUnsafeMutableBytes(of: &value) { SecureRandom.fill($0) }
            return value
        }
    }
}
