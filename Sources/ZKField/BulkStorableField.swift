/// Copies of many field elements to and from bytes at memory speed: the *storage encoding*, for
/// large arrays kept on disk whose load time matters (a proving key's encoded matrix: 32 MiB for
/// the 100k weights of `circuits/mlp_784_128_10`).
///
/// Like the canonical encoding (``FiniteField/encode(into:)``) it takes
/// ``FiniteField/encodedByteCount`` bytes per element and admits exactly one byte string per
/// element, but it may be the field's in-memory representation, so that writing is a copy and
/// reading a copy plus a range check. ``storageEncodingID`` names it: a reader refuses bytes
/// written under another name (another field, or another representation of the same field).
///
/// Every ``PrimeField`` gets the canonical encoding element by element (`"canonical"`);
/// ``BN254Fr`` replaces it with its Montgomery limbs (see its conformance), which saves the two
/// Montgomery multiplications per element that canonical bytes cost on the way out and in.
///
/// ```swift
/// var bytes: [UInt8] = []
/// let values: [Fr] = [1, 2, -1]
/// values.withUnsafeBufferPointer { Fr.appendStorageBytes(of: $0, to: &bytes) }
/// let back = try bytes.withUnsafeBytes { try Fr.elements(fromStorageBytes: $0) }
/// assert(back == values)
/// ```
public protocol BulkStorableField: FiniteField {
    /// Names the storage encoding (written next to the stored elements, checked on reading).
    static var storageEncodingID: String { get }

    /// Appends the storage encoding of every element (``FiniteField/encodedByteCount`` bytes each).
    static func appendStorageBytes(of elements: UnsafeBufferPointer<Self>, to bytes: inout [UInt8])

    /// The elements whose storage encodings `bytes` holds, back to back.
    /// - Throws: ``FieldDecodingError/wrongLength(expected:got:)`` unless the length is a multiple
    ///   of ``FiniteField/encodedByteCount``; ``FieldDecodingError/notCanonical`` if any element's
    ///   bytes are not a valid encoding.
    static func elements(fromStorageBytes bytes: UnsafeRawBufferPointer) throws(FieldDecodingError) -> [Self]

    /// Whether `bytes` (a multiple of ``FiniteField/encodedByteCount`` long, aligned for `Self`)
    /// can be used in place as elements, without a copy: the storage encoding is the in-memory
    /// representation on this host and every element is valid. Lets a large array be used
    /// straight from a file mapped into memory. `false` by default (decode a copy instead).
    static func isValidInPlaceStorage(_ bytes: UnsafeRawBufferPointer) -> Bool

    /// Whether the storage encoding is this host's memory layout of `Self`, and every byte string
    /// of ``FiniteField/encodedByteCount`` bytes some value of the type (valid or not): then
    /// stored elements can be used, or copied, without reading them, by a caller that checks
    /// what it uses (``ZKWire/WireReader/readElementStorage(count:_:checked:)``). `false`
    /// by default.
    static var storageEncodingIsMemoryLayout: Bool { get }
}

extension BulkStorableField {
    /// The canonical encoding.
    public static var storageEncodingID: String { "canonical" }

    /// Each element's canonical encoding, in order.
    @inlinable
    public static func appendStorageBytes(of elements: UnsafeBufferPointer<Self>, to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + elements.count * encodedByteCount)
        for element in elements { element.encode(into: &bytes) }
    }

    /// Decodes canonical encodings one by one.
    @inlinable
    public static func elements(fromStorageBytes bytes: UnsafeRawBufferPointer) throws(FieldDecodingError) -> [Self] {
        let size = encodedByteCount
        guard bytes.count % size == 0 else {
            throw .wrongLength(expected: (bytes.count / size + 1) * size, got: bytes.count)
        }
        var out = [Self]()
        out.reserveCapacity(bytes.count / size)
        var start = 0
        while start < bytes.count {
            out.append(try Self(canonicalBytes: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + size)])))
            start += size
        }
        return out
    }

    /// Never: the canonical encoding is not a memory layout.
    @inlinable
    public static func isValidInPlaceStorage(_ bytes: UnsafeRawBufferPointer) -> Bool { false }

    /// No: the canonical encoding is not a memory layout.
    @inlinable
    public static var storageEncodingIsMemoryLayout: Bool { false }
}
