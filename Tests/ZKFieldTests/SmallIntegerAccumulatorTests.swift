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

@Suite("Row combination of small-integer matrices")
struct CombineRowsTests {
    @Test func fastKernelMatchesGMPAndTheGenericDefault() {
        var rng = SeededGenerator.forTest(stream: 24)
        let rows = 37, columns = 19
        let matrix = (0..<(rows * columns)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
        let coefficients = (0..<rows).map { _ in BN254Fr.random(using: &rng) }
        let fast = matrix.withUnsafeBufferPointer { m in coefficients.withUnsafeBufferPointer { c in
            BN254Fr.combineRows(m, columns: columns, coefficients: c)
        } }
        // The GMP reference field uses the protocol's generic default (lift, multiply, add).
        let reference = coefficients.map { BN254FrReference($0.bigIntegerValue) }
        let slow = matrix.withUnsafeBufferPointer { m in reference.withUnsafeBufferPointer { c in
            BN254FrReference.combineRows(m, columns: columns, coefficients: c)
        } }
        for j in 0..<columns {
            var expected = BigInteger(0)
            for i in 0..<rows { expected = expected + BigInteger(Int(matrix[i * columns + j])) * coefficients[i].bigIntegerValue }
            #expect(fast[j].bigIntegerValue == expected % BN254Fr.modulus)
            #expect(slow[j].value == expected % BN254Fr.modulus)
        }
        // The default for several vectors is one plain combination per vector.
        let halves = [reference, reference.map { $0 + $0 }]
        let several = matrix.withUnsafeBufferPointer { m in
            BN254FrReference.combineRows(m, columns: columns, coefficientVectors: halves)
        }
        #expect(several[0] == slow)
        #expect(several[1] == slow.map { $0 + $0 })
    }

    @Test func int32MatricesFlushWithinBudget() {
        var rng = SeededGenerator.forTest(stream: 25)
        let rows = 9, columns = 4
        let matrix = (0..<(rows * columns)).map { _ in Int32(truncatingIfNeeded: Int64(bitPattern: rng.next()) >> 34) }
        let coefficients = (0..<rows).map { _ in BN254Fr.random(using: &rng) }
        let fast = matrix.withUnsafeBufferPointer { m in coefficients.withUnsafeBufferPointer { c in
            BN254Fr.combineRows(m, columns: columns, coefficients: c)
        } }
        for j in 0..<columns {
            var expected = BigInteger(0)
            for i in 0..<rows { expected = expected + BigInteger(Int(matrix[i * columns + j])) * coefficients[i].bigIntegerValue }
            #expect(fast[j].bigIntegerValue == expected % BN254Fr.modulus)
        }
    }
}
