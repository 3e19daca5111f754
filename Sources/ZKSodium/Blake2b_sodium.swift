internal import CSodium

/// BLAKE2b (RFC 7693), the hash behind every Merkle tree and Fiat–Shamir transcript here.
///
/// BLAKE2b produces 1 to 64 bytes; the output length is an input to the hash (it is written into
/// the parameter block), so BLAKE2b-256 is **not** a prefix of BLAKE2b-512. An optional key of up
/// to 64 bytes turns it into a MAC. This type wraps libsodium's `crypto_generichash` and comes in
/// two shapes:
///
/// - one-shot static functions: ``hash(_:outputByteCount:key:)`` for any length,
///   ``hash256(_:)-(UnsafeRawBufferPointer)`` and ``hash256(prefix:_:_:)`` returning an inline
///   ``Digest32`` without allocating (the Merkle hot path);
/// - an incremental hasher (a value: copying it forks the computation):
///
/// ```swift
/// var hasher = Blake2b(outputByteCount: 32)
/// hasher.update(Array("ab".utf8))
/// hasher.update(Array("c".utf8))
/// assert(hasher.finalize() == Blake2b.hash(Array("abc".utf8)))
/// ```
///
/// Lengths and keys are chosen by the caller's code, not by untrusted data, so out-of-range
/// values are preconditions.
public struct Blake2b: Sendable {
    /// Smallest output length (16 bytes; libsodium's lower bound).
    public static let minimumOutputByteCount = 16
    /// Largest output length (64 bytes).
    public static let maximumOutputByteCount = 64
    /// Largest key length (64 bytes).
    public static let maximumKeyByteCount = 64

    /// The state, shared copy-on-write between copies of the hasher.
    private var state: Blake2bState
    /// The number of bytes ``finalize()`` returns.
    public let outputByteCount: Int

    /// Starts an incremental hash.
    /// - Parameters:
    ///   - outputByteCount: digest length, 16 ... 64 (default 32, BLAKE2b-256).
    ///   - key: an optional key of at most 64 bytes (keyed BLAKE2b is a MAC); empty means unkeyed.
    /// - Precondition: the lengths are in range.
    public init(outputByteCount: Int = 32, key: [UInt8] = []) {
        Blake2b.checkParameters(outputByteCount: outputByteCount, keyByteCount: key.count)
        self.outputByteCount = outputByteCount
        self.state = Blake2bState()
        let statePointer = state.pointer
        key.withUnsafeBufferPointer { k in
            let rc = crypto_generichash_blake2b_init(statePointer, k.baseAddress, k.count, outputByteCount)
            precondition(rc == 0, "crypto_generichash_init failed")
        }
    }

    /// Feeds `bytes` into the hash.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        if !isKnownUniquelyReferenced(&state) { state = state.copy() }
        let rc = crypto_generichash_blake2b_update(
            state.pointer, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
        precondition(rc == 0, "crypto_generichash_update failed")
    }

    /// Feeds `bytes` into the hash.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// Feeds the 32 bytes of `digest` into the hash.
    public mutating func update(_ digest: Digest32) {
        digest.withUnsafeBytes { update($0) }
    }

    /// The digest of everything fed so far (``outputByteCount`` bytes). The hasher is left
    /// unchanged, so it can keep absorbing and be finalized again.
    public func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: outputByteCount) { buffer, initialized in
            finalize(into: UnsafeMutableRawBufferPointer(buffer))
            initialized = outputByteCount
        }
    }

    /// Writes the digest of everything fed so far into the first ``outputByteCount`` bytes of
    /// `output`, leaving the hasher unchanged.
    /// - Precondition: `output.count >= outputByteCount`.
    public func finalize(into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= outputByteCount, "output buffer too small")
        // libsodium's final mutates (and poisons) the state; finalize a stack copy instead.
        withStackState { scratch in
            UnsafeMutableRawPointer(scratch).copyMemory(from: state.raw, byteCount: Blake2bState.byteCount)
            let rc = crypto_generichash_blake2b_final(
                scratch, output.baseAddress!.assumingMemoryBound(to: UInt8.self), outputByteCount)
            precondition(rc == 0, "crypto_generichash_final failed")
        }
    }

    /// The 32-byte digest of everything fed so far.
    /// - Precondition: ``outputByteCount`` is 32.
    public func finalizeDigest32() -> Digest32 {
        precondition(outputByteCount == 32, "finalizeDigest32 needs a 32-byte hasher")
        var digest = Digest32()
        digest.withUnsafeMutableBytes { finalize(into: $0) }
        return digest
    }

    // MARK: One-shot hashing

    /// The BLAKE2b digest of `bytes`.
    /// - Parameters:
    ///   - bytes: the message.
    ///   - outputByteCount: digest length, 16 ... 64 (default 32).
    ///   - key: an optional key of at most 64 bytes; empty means unkeyed.
    /// - Returns: `outputByteCount` bytes.
    public static func hash(_ bytes: some Sequence<UInt8>, outputByteCount: Int = 32, key: [UInt8] = []) -> [UInt8] {
        checkParameters(outputByteCount: outputByteCount, keyByteCount: key.count)
        let contiguous = bytes.withContiguousStorageIfAvailable { message in
            oneShot(UnsafeRawBufferPointer(message), outputByteCount: outputByteCount, key: key)
        }
        if let contiguous { return contiguous }
        return Array(bytes).withUnsafeBytes { oneShot($0, outputByteCount: outputByteCount, key: key) }
    }

    /// BLAKE2b-256 of `bytes`, without allocating.
    public static func hash256(_ bytes: UnsafeRawBufferPointer) -> Digest32 {
        _ = sodiumReady
        var digest = Digest32()
        digest.withUnsafeMutableBytes { out in
            let rc = crypto_generichash_blake2b(
                out.baseAddress!.assumingMemoryBound(to: UInt8.self), 32,
                bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count), nil, 0)
            precondition(rc == 0, "crypto_generichash failed")
        }
        return digest
    }

    /// BLAKE2b-256 of `bytes`.
    public static func hash256(_ bytes: some Sequence<UInt8>) -> Digest32 {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash256(UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { hash256($0) }
    }

    /// BLAKE2b-256 of `prefix || left || right`, without allocating: the Merkle inner-node hash,
    /// where `prefix` is a domain-separation tag.
    ///
    /// With a prefix of at most 64 bytes the whole input fits one 128-byte BLAKE2b block, so this
    /// costs a single compression.
    public static func hash256(prefix: UnsafeRawBufferPointer, _ left: Digest32, _ right: Digest32) -> Digest32 {
        _ = sodiumReady
        var digest = Digest32()
        withStackState { state in
            var rc = crypto_generichash_blake2b_init(state, nil, 0, 32)
            if prefix.count > 0 {
                rc |= crypto_generichash_blake2b_update(
                    state, prefix.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(prefix.count))
            }
            withUnsafeBytes(of: left.storage) { l in
                rc |= crypto_generichash_blake2b_update(state, l.baseAddress!.assumingMemoryBound(to: UInt8.self), 32)
            }
            withUnsafeBytes(of: right.storage) { r in
                rc |= crypto_generichash_blake2b_update(state, r.baseAddress!.assumingMemoryBound(to: UInt8.self), 32)
            }
            digest.withUnsafeMutableBytes { out in
                rc |= crypto_generichash_blake2b_final(state, out.baseAddress!.assumingMemoryBound(to: UInt8.self), 32)
            }
            precondition(rc == 0, "crypto_generichash failed")
        }
        return digest
    }

    /// BLAKE2b-256 of `prefix || left || right`.
    public static func hash256(prefix: [UInt8], _ left: Digest32, _ right: Digest32) -> Digest32 {
        prefix.withUnsafeBytes { hash256(prefix: $0, left, right) }
    }

    // MARK: Internals

    private static func checkParameters(outputByteCount: Int, keyByteCount: Int) {
        precondition(
            (minimumOutputByteCount...maximumOutputByteCount).contains(outputByteCount),
            "BLAKE2b output length must be 16 ... 64 bytes, got \(outputByteCount)")
        precondition(keyByteCount <= maximumKeyByteCount, "BLAKE2b key must be at most 64 bytes")
    }

    private static func oneShot(_ message: UnsafeRawBufferPointer, outputByteCount: Int, key: [UInt8]) -> [UInt8] {
        _ = sodiumReady
        return [UInt8](unsafeUninitializedCapacity: outputByteCount) { out, initialized in
            key.withUnsafeBufferPointer { k in
                let rc = crypto_generichash_blake2b(
                    out.baseAddress!, outputByteCount,
                    message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                    k.baseAddress, k.count)
                precondition(rc == 0, "crypto_generichash failed")
            }
            initialized = outputByteCount
        }
    }

    /// Runs `body` with an uninitialised, suitably aligned hash state on the stack.
    private static func withStackState<R>(_ body: (OpaquePointer) -> R) -> R {
        withUnsafeTemporaryAllocation(byteCount: Blake2bState.byteCount, alignment: Blake2bState.alignment) { raw in
            let result = body(OpaquePointer(raw.baseAddress!))
            secureZero(raw.baseAddress!, count: Blake2bState.byteCount)
            return result
        }
    }

    private func withStackState<R>(_ body: (OpaquePointer) -> R) -> R {
        Blake2b.withStackState(body)
    }
}

/// Heap storage for an incremental BLAKE2b state (`crypto_generichash_blake2b_state`, 384 bytes aligned
/// to 64), zeroed when freed. A reference type so that ``Blake2b`` copies share it until one of
/// them writes (copy-on-write).
///
/// `@unchecked Sendable`: the state is only mutated through ``Blake2b/update(_:)-(UnsafeRawBufferPointer)``
/// after a uniqueness check, so a box reachable from two values is never written.
private final class Blake2bState: @unchecked Sendable {
    /// 384 bytes in libsodium 1.0.18; asked at run time so a future layout change stays safe.
    static let byteCount = crypto_generichash_blake2b_statebytes()
    /// libsodium declares the state `CRYPTO_ALIGN(64)` (which is also why Swift imports it only
    /// as an opaque pointer).
    static let alignment = 64
    let raw: UnsafeMutableRawPointer
    var pointer: OpaquePointer { OpaquePointer(raw) }

    init() {
        _ = sodiumReady
        raw = UnsafeMutableRawPointer.allocate(byteCount: Blake2bState.byteCount, alignment: Blake2bState.alignment)
    }

    func copy() -> Blake2bState {
        let other = Blake2bState()
        other.raw.copyMemory(from: raw, byteCount: Blake2bState.byteCount)
        return other
    }

    deinit {
        secureZero(raw, count: Blake2bState.byteCount)
        raw.deallocate()
    }
}
