import Testing
import ZKSodium

/// Known answers: RFC 7693 Appendix A ("abc"), the reference `blake2b-kat.txt` (keyed), and
/// Python's `hashlib.blake2b` (independent implementation) for the other lengths.
@Suite("BLAKE2b")
struct Blake2bTests {
    static let abc = Array("abc".utf8)

    @Test("RFC 7693 Appendix A: BLAKE2b-512(\"abc\")")
    func rfc7693() {
        #expect(
            hex(Blake2b.hash(Self.abc, outputByteCount: 64))
                == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")
    }

    @Test("BLAKE2b-256 and -512 of short messages (hashlib)")
    func shortMessages() {
        #expect(hex(Blake2b.hash([UInt8]())) == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
        #expect(hex(Blake2b.hash(Self.abc)) == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
        #expect(
            hex(Blake2b.hash([UInt8](), outputByteCount: 64))
                == "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
                + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce")
        #expect(
            hex(Blake2b.hash((0..<200).map { UInt8($0) }, outputByteCount: 20))
                == "b83a5733ce63f2dd8266ea8ec93333d7935142cf")
    }

    @Test("Keyed BLAKE2b-512 (reference blake2b-kat.txt)")
    func keyed() {
        let key = (0..<64).map { UInt8($0) }
        #expect(
            hex(Blake2b.hash([UInt8](), outputByteCount: 64, key: key))
                == "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786"
                + "b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568")
        #expect(
            hex(Blake2b.hash((0..<255).map { UInt8($0) }, outputByteCount: 64, key: key))
                == "142709d62e28fcccd0af97fad0f8465b971e82201dc51070faa0372aa43e9248"
                + "4be1c1e73ba10906d5d1853db6a4106e0a7bf9800d373d6dee2d46d62ef2a461")
    }

    @Test("Incremental equals one-shot, for every split point and across block boundaries")
    func incremental() {
        let message = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        for outputByteCount in [32, 64] {
            let expected = Blake2b.hash(message, outputByteCount: outputByteCount)
            for split in [0, 1, 63, 127, 128, 129, 255, 256, 300] {
                var hasher = Blake2b(outputByteCount: outputByteCount)
                hasher.update(message[..<split])
                hasher.update(message[split...])
                #expect(hasher.finalize() == expected, "split at \(split)")
            }
        }
        var keyed = Blake2b(outputByteCount: 64, key: [1, 2, 3])
        keyed.update(message)
        #expect(keyed.finalize() == Blake2b.hash(message, outputByteCount: 64, key: [1, 2, 3]))
    }

    @Test("A hasher is a value: copies fork, finalize leaves it usable")
    func valueSemantics() {
        var a = Blake2b()
        a.update(Array("ab".utf8))
        var b = a
        a.update(Array("c".utf8))
        b.update(Array("x".utf8))
        #expect(a.finalize() == Blake2b.hash(Array("abc".utf8)))
        #expect(b.finalize() == Blake2b.hash(Array("abx".utf8)))
        // Finalizing twice gives the same answer, and updating afterwards continues the stream.
        #expect(a.finalize() == a.finalize())
        a.update(Array("d".utf8))
        #expect(a.finalizeDigest32() == Blake2b.hash256(Array("abcd".utf8)))
    }

    @Test("hash256 variants agree with the general function")
    func digestPaths() {
        let message = (0..<77).map { UInt8($0) }
        let expected = Blake2b.hash(message)
        #expect(Blake2b.hash256(message).bytes == expected)
        #expect(message.withUnsafeBytes { Blake2b.hash256($0) }.bytes == expected)
        #expect(Blake2b.hash256(AnySequence(message)).bytes == expected)  // non-contiguous input

        let left = Blake2b.hash256(Array("left".utf8)), right = Blake2b.hash256(Array("right".utf8))
        let tag = Array("zkml.test.node".utf8)
        #expect(Blake2b.hash256(prefix: tag, left, right).bytes == Blake2b.hash(tag + left.bytes + right.bytes))
        #expect(Blake2b.hash256(prefix: [], left, right).bytes == Blake2b.hash(left.bytes + right.bytes))
    }

    @Test("Digest32 round-trips bytes and rejects wrong lengths")
    func digest32() throws {
        let bytes = (0..<32).map { UInt8($0 * 3) }
        let d = try Digest32(bytes: bytes)
        #expect(d.bytes == bytes)
        #expect(d[31] == 93)
        #expect(d.description == hex(bytes))
        #expect(Digest32.zero.bytes == [UInt8](repeating: 0, count: 32))
        #expect(throws: ByteLengthError(expected: 32, got: 31)) { try Digest32(bytes: bytes.dropLast()) }
        var buffer: [UInt8] = [9]
        d.append(to: &buffer)
        #expect(buffer == [9] + bytes)
    }
}
