import Testing
import ZKSodium

@Suite("Ed25519")
struct Ed25519Tests {
    // RFC 8032 §7.1, TEST 1 and TEST 2.
    static let seed1 = hexBytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    static let public1 = hexBytes("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    static let signature1 = hexBytes(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )
    static let seed2 = hexBytes("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
    static let public2 = hexBytes("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
    static let signature2 = hexBytes(
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
    )

    @Test("RFC 8032 test vectors 1 and 2: key derivation, signing, verification")
    func rfc8032() throws {
        for (seed, pk, message, signature) in [
            (Self.seed1, Self.public1, [UInt8](), Self.signature1),
            (Self.seed2, Self.public2, [0x72 as UInt8], Self.signature2),
        ] {
            let key = try Ed25519.SigningKey(seed: seed)
            #expect(key.publicKey.rawRepresentation == pk)
            #expect(key.sign(message) == signature)
            let decoded = try Ed25519.PublicKey(rawRepresentation: pk)
            #expect(decoded == key.publicKey)
            #expect(decoded.verify(signature: signature, message: message))
            #expect(key.exportSeed() == seed)
        }
    }

    @Test("Tampered message, signature or key is rejected")
    func tampering() throws {
        let key = try Ed25519.SigningKey(seed: Self.seed2)
        let message: [UInt8] = [0x72]
        let signature = key.sign(message)
        #expect(key.publicKey.verify(signature: signature, message: message))
        #expect(!key.publicKey.verify(signature: signature, message: [0x73]))
        #expect(!key.publicKey.verify(signature: signature, message: message + [0]))
        #expect(!key.publicKey.verify(signature: signature, message: []))
        for index in [0, 31, 32, 63] {
            var bad = signature
            bad[index] ^= 0x01
            #expect(!key.publicKey.verify(signature: bad, message: message), "flipped signature byte \(index)")
        }
        let otherKey = try Ed25519.PublicKey(rawRepresentation: Self.public1)
        #expect(!otherKey.verify(signature: signature, message: message))
        #expect(!key.publicKey.verify(signature: signature.dropLast(), message: message))
        #expect(!key.publicKey.verify(signature: signature + [0], message: message))
    }

    @Test("Wrong lengths and invalid points throw typed errors")
    func invalidInputs() {
        #expect(throws: Ed25519Error.wrongLength(of: .seed, expected: 32, got: 31)) {
            try Ed25519.SigningKey(seed: Self.seed1.dropLast())
        }
        #expect(throws: Ed25519Error.wrongLength(of: .publicKey, expected: 32, got: 33)) {
            try Ed25519.PublicKey(rawRepresentation: Self.public1 + [0])
        }
        // The identity point (small order) and a non-canonical y ≥ p are not valid keys.
        let identity = [1 as UInt8] + [UInt8](repeating: 0, count: 31)
        #expect(throws: Ed25519Error.invalidPublicKey) { try Ed25519.PublicKey(rawRepresentation: identity) }
        let nonCanonical = [UInt8](repeating: 0xff, count: 31) + [0x7f]
        #expect(throws: Ed25519Error.invalidPublicKey) { try Ed25519.PublicKey(rawRepresentation: nonCanonical) }
    }

    @Test("Generated keys sign and verify, are distinct, and never print their secret")
    func generated() throws {
        let a = Ed25519.SigningKey(), b = Ed25519.SigningKey()
        #expect(a.publicKey != b.publicKey)
        let message = Array("attested data".utf8)
        #expect(a.publicKey.verify(signature: a.sign(message), message: message))
        #expect(!b.publicKey.verify(signature: a.sign(message), message: message))
        // Round trip through the seed.
        let restored = try a.withUnsafeSeedBytes { try Ed25519.SigningKey(seed: $0) }
        #expect(restored.publicKey == a.publicKey)
        let seedHex = hex(a.exportSeed())
        #expect(!String(describing: a).contains(seedHex))
        #expect(!String(reflecting: a).contains(seedHex))
        var dumped = ""
        dump(a, to: &dumped)
        #expect(!dumped.contains(seedHex))
        #expect(String(describing: a).contains(a.publicKey.description))
    }
}

@Suite("SecureRandom")
struct SecureRandomTests {
    @Test("Outputs have the requested length and differ")
    func distinct() {
        let a = SecureRandom.bytes(32), b = SecureRandom.bytes(32)
        #expect(a.count == 32 && b.count == 32)
        #expect(a != b)
        #expect(SecureRandom.bytes(0).isEmpty)
        var buffer = [UInt8](repeating: 0, count: 64)
        SecureRandom.fill(&buffer)
        #expect(buffer != [UInt8](repeating: 0, count: 64))
        var rng = SecureRandom.Generator()
        let draws = (0..<8).map { _ in rng.next() }
        #expect(Set(draws).count == 8)
    }
}
