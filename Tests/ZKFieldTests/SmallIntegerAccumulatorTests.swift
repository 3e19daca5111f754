import Testing
import ZKBigInt
import ZKField
import ZKTesting

/// The small-integer multiply-accumulate kernel against GMP: Σ wᵢ·eᵢ mod p computed with
/// big integers, for int8, int16 and int32 weights, including lengths past the term budget
/// (which exercise `flush`) and extreme weights.
@Suite("Small-integer multiply-accumulate")
struct SmallIntegerAccumulatorTests {
    static let p = BN254Fr.modulus

    static func oracle<W: FixedWidthInteger & SignedInteger>(_ w: [W], _ e: [BN254Fr]) -> BigInteger {
        var sum = BigInteger(0)
        for (wi, ei) in zip(w, e) { sum = sum + BigInteger(Int(wi)) * ei.bigIntegerValue }
        return sum % p
    }

    @Test func int8DotProductsMatchGMP() {
        var rng = SeededGenerator.forTest(stream: 21)
        for length in [0, 1, 7, 64, 1000] {
            let w = (0..<length).map { _ in Int8(truncatingIfNeeded: rng.next()) }
            let e = (0..<length).map { _ in BN254Fr.random(using: &rng) }
            #expect(BN254Fr.dot(w, e).bigIntegerValue == Self.oracle(w, e))
        }
        // Extreme weights on the largest representatives.
        let w = [Int8](repeating: -128, count: 500) + [Int8](repeating: 127, count: 500)
        let e = [BN254Fr](repeating: -BN254Fr.one, count: 1000)
        #expect(BN254Fr.dot(w, e).bigIntegerValue == Self.oracle(w, e))
    }

    @Test func int16AndInt32DotProductsCrossTheBudget() {
        var rng = SeededGenerator.forTest(stream: 22)
        // int16: budget 2^16 terms; 70,000 terms forces one flush.
        let n16 = 70_000
        let w16 = (0..<n16).map { _ in Int16(truncatingIfNeeded: rng.next()) }
        let e16 = (0..<n16).map { _ in BN254Fr(Int64(bitPattern: rng.next())) }
        #expect(BN254Fr.dot(w16, e16).bigIntegerValue == Self.oracle(w16, e16))
        // int32 within ±2^30: budget 2 terms, so nearly every term flushes.
        let w32 = (0..<300).map { _ in Int32(truncatingIfNeeded: Int64(bitPattern: rng.next()) >> 34) }
        let e32 = (0..<300).map { _ in BN254Fr.random(using: &rng) }
        #expect(BN254Fr.dot(w32, e32).bigIntegerValue == Self.oracle(w32, e32))
    }

    @Test func accumulatorsCombine() {
        var rng = SeededGenerator.forTest(stream: 23)
        var left = SmallIntegerAccumulator(), right = SmallIntegerAccumulator()
        var expected = BigInteger(0)
        for i in 0..<200 {
            let e = BN254Fr.random(using: &rng), w = Int64(Int8(truncatingIfNeeded: rng.next()))
            if i % 2 == 0 { left.add(e, times: w) } else { right.add(e, times: w) }
            if i == 100 { left.flush() }
            expected = expected + BigInteger(Int(w)) * e.bigIntegerValue
        }
        left.add(right)
        #expect(left.reduced().bigIntegerValue == expected % Self.p)
    }
}
