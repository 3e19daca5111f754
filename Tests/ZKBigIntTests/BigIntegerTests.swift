import Testing
import ZKBigInt
import ZKTesting

@Suite("BigInteger over GMP")
struct BigIntegerTests {
    @Test func parsingAndPrinting() {
        let p = "21888242871839275222246405745257275088548364400416034343698204186575808495617"
        #expect(BigInteger(p)!.description == p)
        #expect(BigInteger("0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001", radix: 16)
            == BigInteger(p))
        #expect(BigInteger(p)!.toString(radix: 16) == "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001")
        #expect(BigInteger("-42")! == BigInteger(-42))
        #expect(BigInteger("-42")!.description == "-42")
        for bad in ["", "-", "12a", "0x", "1 2", "+-1", "١٢"] { #expect(BigInteger(bad) == nil, "\(bad)") }
        #expect(BigInteger("ff", radix: 16) == 255)
        #expect(BigInteger("zz", radix: 16) == nil)
    }

    @Test func arithmeticMatchesMachineIntegers() {
        var rng = SeededGenerator.forTest(stream: 41)
        for _ in 0..<2_000 {
            let a = Int(Int32(truncatingIfNeeded: rng.next())), b = Int(Int32(truncatingIfNeeded: rng.next()))
            let x = BigInteger(a), y = BigInteger(b)
            #expect((x + y).intValue == a + b)
            #expect((x - y).intValue == a - b)
            #expect((x * y).intValue == a * b)
            if b != 0 {
                // floor division and least non-negative residue
                let q = Int((Double(a) / Double(b)).rounded(.down))
                #expect(x.floorDivided(by: y).intValue == q)
                let r = ((a % b) + abs(b)) % abs(b)
                #expect(x.modulo(y).intValue == r)
            }
            #expect((x >> 3).intValue == a >> 3, "arithmetic shift rounds toward −∞")
            #expect((x << 5).intValue == a << 5)
        }
    }

    @Test func limbsAndBytes() {
        let limbs: [UInt64] = [0x1122_3344_5566_7788, 0x99aa_bbcc_ddee_ff00, 7]
        let x = BigInteger(littleEndianLimbs: limbs)
        #expect(x.littleEndianLimbs() == limbs)
        #expect(x.littleEndianLimbs(minimumCount: 5) == limbs + [0, 0])
        #expect(BigInteger(bigEndianBytes: [0x01, 0x00]) == 256)
        #expect(BigInteger(bigEndianBytes: []) == 0)
        #expect(x.bitWidth == 131)
        #expect(BigInteger(0).bitWidth == 0)
        #expect(BigInteger(UInt64.max).littleEndianLimbs() == [UInt64.max])
    }

    @Test func modularInverseAndPower() {
        let p = BigInteger(1_000_000_007)
        for a in [1, 2, 3, 12345, 999_999_999] {
            let inv = BigInteger(a).inverse(modulo: p)!
            #expect((inv * BigInteger(a)) % p == 1)
            #expect(BigInteger(a).power(p - 2, modulo: p) == inv, "Fermat agrees with extended Euclid")
        }
        #expect(BigInteger(6).inverse(modulo: 9) == nil)
        #expect(BigInteger(2).power(10) == 1024)
        #expect(p.isProbablePrime())
        #expect(!(p * 3).isProbablePrime())
    }

    @Test func copyOnWriteKeepsValuesIndependent() {
        let a = BigInteger(10)
        var b = a
        b.formMultiplyModulo(BigInteger(7), BigInteger(11))    // 70 mod 11 = 4
        #expect(a == 10)
        #expect(b == 4)
    }

    @Test func montgomeryMPNMatchesMpz() {
        let p = BigInteger("21888242871839275222246405745257275088548364400416034343698204186575808495617")!
        let mont = MontgomeryMPN(modulus: p)
        let rInverse = (BigInteger(1) << 256).inverse(modulo: p)!
        var rng = SeededGenerator.forTest(stream: 42)
        for _ in 0..<2_000 {
            let a = BigInteger(littleEndianLimbs: (0..<4).map { _ in rng.next() }) % p
            let b = BigInteger(littleEndianLimbs: (0..<4).map { _ in rng.next() }) % p
            let al = a.littleEndianLimbs(minimumCount: 4), bl = b.littleEndianLimbs(minimumCount: 4)
            var out = [UInt64](repeating: 0, count: 4)
            al.withUnsafeBufferPointer { x in bl.withUnsafeBufferPointer { y in out.withUnsafeMutableBufferPointer { r in
                mont.multiply(x.baseAddress!, y.baseAddress!, into: r.baseAddress!)
            } } }
            #expect(BigInteger(littleEndianLimbs: out) == (a * b * rInverse) % p)
        }
    }
}
