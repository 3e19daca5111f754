internal import CSodium

/// Ed25519 signatures (RFC 8032): node identities and signed data attestations.
///
/// A ``SigningKey`` is a 32-byte secret seed (from which libsodium derives the 64-byte expanded
/// secret key it signs with); its ``PublicKey`` is a compressed curve point of 32 bytes;
/// signatures are 64 bytes and deterministic (the same key and message always give the same
/// signature).
///
/// ```swift
/// let key = Ed25519.SigningKey()
/// let signature = key.sign(Array("hello".utf8))
/// assert(key.publicKey.verify(signature: signature, message: Array("hello".utf8)))
/// ```
public enum Ed25519 {
    /// Length of a seed (the secret key's encoding), in bytes.
    public static let seedByteCount = 32
    /// Length of a public key, in bytes.
    public static let publicKeyByteCount = 32
    /// Length of a signature, in bytes.
    public static let signatureByteCount = 64

    /// A secret signing key.
    ///
    /// The secret bytes live in one heap block that is zeroed (`sodium_memzero`) when the last
    /// copy of the key is dropped. `description`, `debugDescription` and `dump` show only the
    /// public key.
    public struct SigningKey: Sendable {
        private let secret: SecretKeyStorage
        /// The matching public key.
        public let publicKey: PublicKey

        /// A fresh key from the operating system's secure random source.
        public init() {
            _ = sodiumReady
            secret = SecretKeyStorage()
            var pk = Digest32()
            let secretPointer = secret.pointer
            pk.withUnsafeMutableBytes { out in
                let rc = crypto_sign_keypair(out.baseAddress!.assumingMemoryBound(to: UInt8.self), secretPointer)
                precondition(rc == 0, "crypto_sign_keypair failed")
            }
            publicKey = PublicKey(unchecked: pk)
        }

        /// The key whose RFC 8032 secret (seed) is `seed`.
        /// - Throws: ``Ed25519Error/wrongLength(of:expected:got:)`` unless `seed` has 32 bytes.
        public init(seed: some Collection<UInt8>) throws(Ed25519Error) {
            guard seed.count == Ed25519.seedByteCount else {
                throw .wrongLength(of: .seed, expected: Ed25519.seedByteCount, got: seed.count)
            }
            _ = sodiumReady
            secret = SecretKeyStorage()
            var seedBuffer = Digest32()
            seedBuffer.withUnsafeMutableBytes { raw in
                for (i, byte) in seed.enumerated() { raw[i] = byte }
            }
            var pk = Digest32()
            let secretPointer = secret.pointer
            seedBuffer.withUnsafeMutableBytes { s in
                pk.withUnsafeMutableBytes { out in
                    let rc = crypto_sign_seed_keypair(
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self), secretPointer,
                        s.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    precondition(rc == 0, "crypto_sign_seed_keypair failed")
                }
                secureZero(s.baseAddress!, count: s.count)
            }
            publicKey = PublicKey(unchecked: pk)
        }

        /// The 64-byte signature of `message`.
        public func sign(_ message: some Sequence<UInt8>) -> [UInt8] {
            let secretPointer = secret.pointer
            func signContiguous(_ m: UnsafeRawBufferPointer) -> [UInt8] {
                [UInt8](unsafeUninitializedCapacity: Ed25519.signatureByteCount) { out, initialized in
                    let rc = crypto_sign_detached(
                        out.baseAddress!, nil, m.baseAddress?.assumingMemoryBound(to: UInt8.self),
                        UInt64(m.count), secretPointer)
                    precondition(rc == 0, "crypto_sign_detached failed")
                    initialized = Ed25519.signatureByteCount
                }
            }
            if let s = message.withContiguousStorageIfAvailable({ signContiguous(UnsafeRawBufferPointer($0)) }) {
                return s
            }
            return Array(message).withUnsafeBytes { signContiguous($0) }
        }

        /// The 32-byte secret seed, for storing the key. The caller is responsible for the copy:
        /// prefer ``withUnsafeSeedBytes(_:)``, which does not leave one behind.
        public func exportSeed() -> [UInt8] {
            withUnsafeSeedBytes { Array($0) }
        }

        /// Gives `body` the 32-byte secret seed in a buffer that is zeroed afterwards.
        public func withUnsafeSeedBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
            var seed = Digest32()
            defer { seed.withUnsafeMutableBytes { secureZero($0.baseAddress!, count: $0.count) } }
            let secretPointer = secret.pointer
            seed.withUnsafeMutableBytes { out in
                let rc = crypto_sign_ed25519_sk_to_seed(
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), secretPointer)
                precondition(rc == 0, "crypto_sign_ed25519_sk_to_seed failed")
            }
            return try seed.withUnsafeBytes { (raw) throws(E) -> R in try body(raw) }
        }
    }

    /// A public verification key: a 32-byte compressed Edwards point.
    public struct PublicKey: Hashable, Sendable {
        private let storage: Digest32

        fileprivate init(unchecked storage: Digest32) { self.storage = storage }

        /// Decodes a public key.
        /// - Throws: ``Ed25519Error/wrongLength(of:expected:got:)`` unless `bytes` has 32 bytes;
        ///   ``Ed25519Error/invalidPublicKey`` when the bytes are not the canonical encoding of a
        ///   point of the prime-order subgroup (small-order and off-curve points are rejected).
        public init(rawRepresentation bytes: some Collection<UInt8>) throws(Ed25519Error) {
            guard bytes.count == Ed25519.publicKeyByteCount else {
                throw .wrongLength(of: .publicKey, expected: Ed25519.publicKeyByteCount, got: bytes.count)
            }
            _ = sodiumReady
            let candidate: Digest32
            do { candidate = try Digest32(bytes: bytes) } catch { throw .invalidPublicKey }
            let valid = candidate.withUnsafeBytes { raw in
                crypto_core_ed25519_is_valid_point(raw.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 1
            }
            guard valid else { throw .invalidPublicKey }
            storage = candidate
        }

        /// The 32-byte encoding.
        public var rawRepresentation: [UInt8] { storage.bytes }

        /// Whether `signature` is a valid signature of `message` under this key. Any malformed
        /// input (a signature that is not 64 bytes, a non-canonical scalar) gives `false`.
        public func verify(signature: some Collection<UInt8>, message: some Sequence<UInt8>) -> Bool {
            guard signature.count == Ed25519.signatureByteCount else { return false }
            _ = sodiumReady
            let sig = Array(signature)
            func check(_ m: UnsafeRawBufferPointer) -> Bool {
                storage.withUnsafeBytes { pk in
                    sig.withUnsafeBufferPointer { s in
                        crypto_sign_verify_detached(
                            s.baseAddress!, m.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(m.count),
                            pk.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
                    }
                }
            }
            if let ok = message.withContiguousStorageIfAvailable({ check(UnsafeRawBufferPointer($0)) }) { return ok }
            return Array(message).withUnsafeBytes { check($0) }
        }
    }
}

/// Why Ed25519 input was rejected.
public enum Ed25519Error: Error, Equatable, Sendable {
    /// Which encoded object had the wrong length.
    public enum Object: String, Sendable {
        case seed, publicKey, signature
    }
    /// `of` had `got` bytes; it must have exactly `expected`.
    case wrongLength(of: Object, expected: Int, got: Int)
    /// The bytes are not a valid public key (not a canonical point of the prime-order subgroup).
    case invalidPublicKey
}

extension Ed25519.SigningKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Shows the public key only.
    public var description: String { "Ed25519.SigningKey(publicKey: \(publicKey))" }
    public var debugDescription: String { description }
    /// Hides the secret from `dump` and debuggers' mirrors.
    public var customMirror: Mirror { Mirror(self, children: ["publicKey": publicKey]) }
}

extension Ed25519.PublicKey: CustomStringConvertible {
    /// Lowercase hex of the 32-byte encoding.
    public var description: String { storage.description }
}

/// The 64-byte expanded secret key (seed || public key) in a heap block zeroed on release.
///
/// `@unchecked Sendable`: the bytes are written once in the initialiser of the owning key and
/// only read afterwards.
private final class SecretKeyStorage: @unchecked Sendable {
    static let byteCount = 64
    let pointer: UnsafeMutablePointer<UInt8>

    init() {
        pointer = .allocate(capacity: SecretKeyStorage.byteCount)
        pointer.initialize(repeating: 0, count: SecretKeyStorage.byteCount)
    }

    deinit {
        secureZero(pointer, count: SecretKeyStorage.byteCount)
        pointer.deallocate()
    }
}
