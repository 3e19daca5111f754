import Testing
import ZKBigInt
import ZKField
import ZKTesting

/// The fast Montgomery field against plain GMP integer arithmetic modulo p (the oracle):
/// "operation result must match big-integer result" (gnark-crypto), on ≥ 10,000 seeded random
/// cases per operation plus the edge values 0, 1, p − 1, (p − 1)/2 and their neighbours.
@Suite("BN254 Fr against GMP")
struct BN254FrDifferentialTests {
    static let p = BigInteger("21888242871839275222246405745257275088548364400416034343698204186575808495617")!
    static let randomCases = 10_000

    /// Edge values: 0, 1, 2, p−1, p−2, (p−1)/2, (p+1)/2, 2^64−1, 2^128, 2^253, R mod p.
    static var edgeValues: [BigInteger] {
        let half = (p - 1) >> 1
        return [0, 1, 2, p - 1, p - 2, half, half + 1, (BigInteger(1) << 64) - 1, BigInteger(1) << 128,
                BigInteger(1) << 253, (BigInteger(1) << 256) % p]
    }

    /// `count` uniformly random residues (from 320 random bits reduced mod p), then the edge values.
    static func operands(_ count: Int, stream: UInt64) -> [BigInteger] {
        var rng = SeededGenerator.forTest(stream: stream)
        var values = edgeValues
        for _ in 0..<count {
            let limbs = (0..<5).map { _ in rng.next() }
            values.append(BigInteger(littleEndianLimbs: limbs) % p)
        }
        return values
    }

    @Test func constantsMatchGMPDerivation() {
        let r = BigInteger(1) << 256
        #expect(BigInteger(littleEndianLimbs: BN254Fr.modulusLimbs) == Self.p)
        #expect(Self.p.isProbablePrime())
        #expect(BN254Fr.modulus == Self.p)
        #expect(BigInteger(littleEndianLimbs: BN254Fr.montgomeryRadixLimbs) == r % Self.p)
        #expect(BigInteger(littleEndianLimbs: BN254Fr.montgomeryRadixSquaredLimbs) == (r * r) % Self.p)
        // −p⁻¹ · p ≡ −1 (mod 2^64)
        let two64 = BigInteger(1) << 64
        #expect((BigInteger(BN254Fr.montgomeryNegativeInverse) * Self.p) % two64 == two64 - 1)
        // p − 1 = 2^28 · t with t odd.
        #expect(((Self.p - 1) >> 28).bit(0))
        #expect(BN254Fr.twoAdicity == 28)
        // The stored root is 5^((p−1)/2^28) and has order exactly 2^28.
        let root = BigInteger(5).power((Self.p - 1) >> 28, modulo: Self.p)
        #expect(BN254Fr.twoAdicRootOfUnity.bigIntegerValue == root)
        #expect(root.power(BigInteger(1) << 27, modulo: Self.p) == Self.p - 1)
        // 5 generates F_p^×: 5^((p−1)/q) ≠ 1 for every prime q dividing p − 1.
        let primeFactors: [BigInteger] = [2, 3, 13, 29, 983, 11003, 237073, 405928799,
            BigInteger("1670836401704629")!, BigInteger("13818364434197438864469338081")!]
        var product = BigInteger(1)
        for q in primeFactors {
            #expect(BigInteger(5).power((Self.p - 1).floorDivided(by: q), modulo: Self.p) != 1)
            var m = Self.p - 1
            while (m % q).isZero { m = m.floorDivided(by: q); product = product * q }
        }
        #expect(product == Self.p - 1, "the listed primes factor p − 1 completely")
        #expect(BN254Fr.multiplicativeGenerator.bigIntegerValue == 5)
    }

    @Test func conversionRoundTrips() {
        for a in Self.operands(Self.randomCases, stream: 1) {
            #expect(BN254Fr(a).bigIntegerValue == a)
        }
        // Out-of-range and negative integers reduce.
        #expect(BN254Fr(Self.p).isZero)
        #expect(BN254Fr(Self.p + 7) == BN254Fr(7 as UInt64))
        #expect(BN254Fr(-BigInteger(3)).bigIntegerValue == Self.p - 3)
    }

    @Test func additionSubtractionNegation() {
        let xs = Self.operands(Self.randomCases, stream: 2), ys = Self.operands(Self.randomCases, stream: 3)
        for (a, b) in zip(xs, ys) {
            let x = BN254Fr(a), y = BN254Fr(b)
            #expect((x + y).bigIntegerValue == (a + b) % Self.p)
            #expect((x - y).bigIntegerValue == (a - b) % Self.p)
            #expect((-x).bigIntegerValue == (-a) % Self.p)
            #expect(x.doubled().bigIntegerValue == (a + a) % Self.p)
        }
    }

    @Test func multiplicationAndSquaring() {
        let xs = Self.operands(Self.randomCases, stream: 4), ys = Self.operands(Self.randomCases, stream: 5)
        for (a, b) in zip(xs, ys) {
            let x = BN254Fr(a), y = BN254Fr(b)
            #expect((x * y).bigIntegerValue == (a * b) % Self.p)
            #expect(x.squared().bigIntegerValue == (a * a) % Self.p)
        }
        // All pairs of edge values.
        for a in Self.edgeValues { for b in Self.edgeValues {
            #expect((BN254Fr(a) * BN254Fr(b)).bigIntegerValue == (a * b) % Self.p)
        } }
    }

    @Test func inversionAndPower() {
        var rng = SeededGenerator.forTest(stream: 6)
        for a in Self.operands(Self.randomCases, stream: 7) {
            let x = BN254Fr(a)
            if a.isZero {
                #expect(x.inverse() == nil)
            } else {
                #expect(x.inverse()?.bigIntegerValue == a.inverse(modulo: Self.p))
            }
            let e = rng.next()
            #expect(x.power(e).bigIntegerValue == a.power(BigInteger(e), modulo: Self.p))
        }
        #expect(BN254Fr.one.power(0) == .one)
        #expect(BN254Fr.zero.power(0) == .one)
    }

    @Test func batchInversionMatchesGMP() {
        let values = Self.operands(Self.randomCases, stream: 8)
        var elements = values.map { BN254Fr($0) }
        elements.insert(.zero, at: 17)           // zeros stay zero and do not poison the batch
        BN254Fr.batchInvert(&elements)
        elements.remove(at: 17)
        for (a, inverse) in zip(values, elements) {
            #expect(inverse.bigIntegerValue == (a.isZero ? 0 : a.inverse(modulo: Self.p)!))
        }
    }

    @Test func signedEmbedding() {
        var rng = SeededGenerator.forTest(stream: 9)
        let fixed: [Int64] = [0, 1, -1, 127, -128, Int64.max, Int64.min, Int64.min + 1]
        let random = (0..<Self.randomCases).map { _ in Int64(bitPattern: rng.next()) >> Int64(rng.next() % 63) }
        for v in fixed + random {
            let x = BN254Fr(v)
            #expect(x.bigIntegerValue == BigInteger(Int(v)) % Self.p, "negatives embed as p − |x|")
            #expect(x.signedValue == v)
        }
        #expect(BN254Fr(-5 as Int64) + BN254Fr(5 as Int64) == .zero)
        #expect(BN254Fr(UInt64.max).bigIntegerValue == BigInteger(UInt64.max))
    }

    @Test func canonicalEncoding() throws {
        for a in Self.operands(Self.randomCases, stream: 10) {
            let x = BN254Fr(a)
            let bytes = x.canonicalBytes
            #expect(bytes.count == 32)
            #expect(BigInteger(bigEndianBytes: bytes.reversed()) == a, "little-endian canonical integer")
            #expect(try BN254Fr(canonicalBytes: bytes) == x)
        }
    }

    @Test func decoderRejectsNonCanonicalInput() {
        func encode(_ v: BigInteger) -> [UInt8] {
            let limbs = v.littleEndianLimbs(minimumCount: 4)
            return (0..<32).map { UInt8(truncatingIfNeeded: limbs[$0 / 8] >> UInt64(8 * ($0 % 8))) }
        }
        for v in [Self.p, Self.p + 1, (BigInteger(1) << 256) - 1, Self.p * 2] {
            #expect(throws: FieldDecodingError.notCanonical) { try BN254Fr(canonicalBytes: encode(v)) }
        }
        #expect(throws: FieldDecodingError.wrongLength(expected: 32, got: 31)) {
            try BN254Fr(canonicalBytes: [UInt8](repeating: 0, count: 31))
        }
        #expect(throws: FieldDecodingError.wrongLength(expected: 32, got: 33)) {
            try BN254Fr(canonicalBytes: [UInt8](repeating: 0, count: 33))
        }
        #expect((try? BN254Fr(canonicalBytes: encode(Self.p - 1))) == -BN254Fr.one)
    }

    @Test func uniformBytesReduceModuloP() {
        var rng = SeededGenerator.forTest(stream: 11)
        for _ in 0..<1_000 {
            let bytes = (0..<48).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(BN254Fr(uniformBytes: bytes).bigIntegerValue == BigInteger(bigEndianBytes: bytes.reversed()) % Self.p)
        }
    }

    @Test func fieldAxioms() {
        var rng = SeededGenerator.forTest(stream: 12)
        #expect(fieldAxiomViolations(BN254Fr.self, count: 2_000, using: &rng) == [])
    }

    @Test func agreesWithTheGMPReferenceField() {
        var rng = SeededGenerator.forTest(stream: 13)
        for _ in 0..<2_000 {
            let a = BN254FrReference.random(using: &rng), b = BN254FrReference.random(using: &rng)
            let x = BN254Fr(a.value), y = BN254Fr(b.value)
            #expect((x * y).bigIntegerValue == (a * b).value)
            #expect((x - y).bigIntegerValue == (a - b).value)
            #expect(x.canonicalBytes == a.canonicalBytes)
        }
        #expect(BN254FrReference.twoAdicity == BN254Fr.twoAdicity)
        #expect(BN254FrReference.twoAdicRootOfUnity.value == BN254Fr.twoAdicRootOfUnity.bigIntegerValue)
    }

    @Test func rootsOfUnityHaveExactOrder() {
        for logSize in [0, 1, 2, 10, 28] {
            let w = BN254Fr.rootOfUnity(logSize: logSize)
            var x = w
            for _ in 0..<logSize { x = x.squared() }
            #expect(x == .one)
            if logSize > 0 {
                var half = w
                for _ in 0..<(logSize - 1) { half = half.squared() }
                #expect(half == -BN254Fr.one, "ω^(n/2) = −1, so the order is exactly 2^\(logSize)")
            }
        }
    }
}
