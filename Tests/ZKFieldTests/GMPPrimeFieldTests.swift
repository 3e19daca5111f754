import Testing
import ZKBigInt
import ZKField
import ZKTesting

enum F17: PrimeModulus {
    static let parameters = PrimeFieldParameters(modulus: 17, generator: 3, fieldID: "f17")
}

enum Goldilocks: PrimeModulus {
    static let parameters = PrimeFieldParameters(
        modulus: BigInteger("18446744069414584321")!, generator: 7, fieldID: "goldilocks-gmp")
}

@Suite("GMP-backed prime fields")
struct GMPPrimeFieldTests {
    typealias E17 = GMPPrimeField<F17>

    @Test func smallFieldByHand() throws {
        #expect(E17(3 as UInt64) * E17(6 as UInt64) == E17.one)      // 18 ≡ 1
        #expect(E17(-1 as Int64).value == 16)
        #expect(E17(5 as UInt64).inverse() == E17(7 as UInt64))       // 35 ≡ 1
        #expect(E17.zero.inverse() == nil)
        #expect(E17.twoAdicity == 4)                                   // 16 = 2^4
        // Exhaustive: every nonzero element times its inverse is one; 3 generates all of F17^×.
        var seen = Set<BigInteger>()
        var x = E17.one
        for _ in 0..<16 { seen.insert(x.value); x *= E17.multiplicativeGenerator }
        #expect(seen.count == 16)
        for v in 1..<17 { #expect(E17(UInt64(v)) * E17(UInt64(v)).inverse()! == .one) }
        #expect(E17.encodedByteCount == 1)
        #expect(throws: FieldDecodingError.notCanonical) { try E17(canonicalBytes: [17]) }
        #expect(try E17(canonicalBytes: [16]) == -E17.one)
    }

    @Test func axiomsHoldForSeveralModuli() {
        var rng = SeededGenerator.forTest(stream: 31)
        #expect(fieldAxiomViolations(E17.self, count: 500, using: &rng) == [])
        #expect(fieldAxiomViolations(GMPPrimeField<Goldilocks>.self, count: 500, using: &rng) == [])
        #expect(fieldAxiomViolations(BN254FrReference.self, count: 500, using: &rng) == [])
    }

    @Test func goldilocksRootOfUnity() {
        typealias G = GMPPrimeField<Goldilocks>
        #expect(G.twoAdicity == 32)
        var w = G.twoAdicRootOfUnity
        for _ in 0..<31 { w = w.squared() }
        #expect(w == -G.one)
    }
}
