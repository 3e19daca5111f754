import Testing
import ZKSodium

@Suite("SipHash")
struct SipHashTests {
    /// The example of the SipHash paper (Aumasson–Bernstein 2012, Appendix A): key 00…0f,
    /// message 00…0e, SipHash-2-4 = a129ca6149be45e5.
    @Test func paperExample() {
        let key = SipHash.Key((0..<16).map { UInt8($0) })
        #expect(SipHash.hash((0..<15).map { UInt8($0) }, key: key) == 0xa129_ca61_49be_45e5)
    }

    @Test func keyAndMessageMatter() {
        let a = SipHash.Key(Array("zkml-proving-key".utf8)), b = SipHash.Key(Array("zkml-proving-kez".utf8))
        let message = Array("abc".utf8)
        #expect(SipHash.hash(message, key: a) != SipHash.hash(message, key: b))
        #expect(SipHash.hash(message, key: a) != SipHash.hash(Array("abd".utf8), key: a))
        #expect(SipHash.hash(message, key: a) == message.withUnsafeBytes { SipHash.hash($0, key: a) })
    }
}
