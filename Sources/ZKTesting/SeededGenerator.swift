/// A deterministic random number generator for tests (xoshiro256**, seeded through SplitMix64).
///
/// Every randomised test draws from one of these, so a failure is reproducible: the seed is the
/// test's fixed default, or the value of the environment variable `ZK_TEST_SEED` when set (to
/// explore other cases: `ZK_TEST_SEED=123 swift test`).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// A generator whose stream is fully determined by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9e37_79b9_7f4a_7c15
            var z = x
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// A generator seeded from `ZK_TEST_SEED` if set, else from `defaultSeed`, mixed with a
    /// per-test `stream` number so that tests do not share a stream.
    public static func forTest(stream: UInt64, defaultSeed: UInt64 = 0x5eed) -> SeededGenerator {
        SeededGenerator(seed: testSeed(default: defaultSeed) &* 0x1000_0000_01b3 ^ stream)
    }

    /// The seed in force: `ZK_TEST_SEED` when it parses as an unsigned integer, else `default`.
    public static func testSeed(default value: UInt64) -> UInt64 {
        guard let text = getEnvironment("ZK_TEST_SEED"), let seed = UInt64(text) else { return value }
        return seed
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func getEnvironment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}
