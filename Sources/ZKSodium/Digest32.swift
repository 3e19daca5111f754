/// A 32-byte digest (BLAKE2b-256 output, Merkle node, transcript state), held inline.
///
/// Representation: four `UInt64` words whose *memory* is the 32 digest bytes in order, so the
/// value never allocates and hashing writes straight into it. Equality and hashing compare the
/// bytes. ``description`` is lowercase hex.
///
/// ```swift
/// let d = Blake2b.hash256(Array("abc".utf8))
/// assert(d.bytes.count == 32 && d[0] == 0xbd)
/// assert(try Digest32(bytes: d.bytes) == d)
/// ```
@frozen
public struct Digest32: Hashable, Sendable {
    /// The 32 bytes, in memory order (word `k` holds bytes `8k ..< 8k + 8` as stored in memory).
    @usableFromInline
    internal var storage: (UInt64, UInt64, UInt64, UInt64)

    /// Number of bytes in a digest.
    public static let byteCount = 32

    /// The all-zero digest.
    public static let zero = Digest32()

    /// The all-zero digest.
    @inlinable
    public init() { storage = (0, 0, 0, 0) }

    /// A digest from exactly 32 bytes.
    /// - Throws: ``ByteLengthError`` when `bytes` does not hold exactly 32 bytes.
    @inlinable
    public init(bytes: some Collection<UInt8>) throws(ByteLengthError) {
        guard bytes.count == Digest32.byteCount else {
            throw ByteLengthError(expected: Digest32.byteCount, got: bytes.count)
        }
        self.init()
        withUnsafeMutableBytes { raw in
            for (i, byte) in bytes.enumerated() { raw[i] = byte }
        }
    }

    /// Gives `body` read access to the 32 bytes without copying.
    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var copy = storage
        return try Swift.withUnsafeBytes(of: &copy) { (raw) throws(E) -> R in try body(raw) }
    }

    /// Gives `body` write access to the 32 bytes (how hash functions fill a digest in place).
    @inlinable
    public mutating func withUnsafeMutableBytes<R, E: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        try Swift.withUnsafeMutableBytes(of: &storage) { (raw) throws(E) -> R in try body(raw) }
    }

    /// The byte at `index` (0 ..< 32).
    @inlinable
    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < Digest32.byteCount, "digest byte index out of range")
        return withUnsafeBytes { $0[index] }
    }

    /// The 32 bytes as a fresh array.
    @inlinable
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Appends the 32 bytes to `buffer`.
    @inlinable
    public func append(to buffer: inout [UInt8]) {
        withUnsafeBytes { buffer.append(contentsOf: $0) }
    }

    @inlinable
    public static func == (lhs: Digest32, rhs: Digest32) -> Bool {
        lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1
            && lhs.storage.2 == rhs.storage.2 && lhs.storage.3 == rhs.storage.3
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }
}

extension Digest32: CustomStringConvertible {
    /// Lowercase hex of the 32 bytes.
    public var description: String { hexString(bytes) }
}

/// A byte string had the wrong length.
public struct ByteLengthError: Error, Equatable, Sendable {
    /// The required number of bytes.
    public var expected: Int
    /// The number of bytes given.
    public var got: Int

    @inlinable
    public init(expected: Int, got: Int) {
        self.expected = expected
        self.got = got
    }
}

/// Lowercase hex of `bytes`.
internal func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}
