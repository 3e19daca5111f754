public import ZKField
public import ZKSodium

/// Why bytes could not be decoded. Decoding never traps: every malformed input ends here.
public enum WireError: Error, Equatable, Sendable {
    /// `needed` more bytes at `offset`, only `available` left.
    case truncated(offset: Int, needed: Int, available: Int)
    /// The input does not start with the expected magic (`expected`).
    case badMagic(expected: String)
    /// A format version this build cannot read.
    case unsupportedVersion(found: UInt16, supported: UInt16)
    /// A count above the limit the reader allows for that field.
    case countTooLarge(field: String, count: Int, limit: Int)
    /// A count that differs from the one the verifier's parameters fix.
    case countMismatch(field: String, expected: Int, got: Int)
    /// A field element encoding at `offset` is not canonical (≥ the modulus).
    case nonCanonicalElement(offset: Int)
    /// A value that is not allowed (an unknown tag, a malformed string).
    case invalidValue(field: String, detail: String)
    /// Bytes left over after a complete object.
    case trailingBytes(count: Int)
}

/// A bounds-checked cursor over bytes, the reading half of ``WireWriter``.
public struct WireReader: Sendable {
    public let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var remaining: Int { bytes.count - offset }

    public mutating func read(_ count: Int) throws(WireError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw .truncated(offset: offset, needed: count, available: remaining) }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// Reads the magic and version; throws unless the version is `supported`.
    public mutating func readHeader(magic: String, supported: UInt16) throws(WireError) {
        guard try read(magic.utf8.count).elementsEqual(magic.utf8) else { throw .badMagic(expected: magic) }
        let version = try readU16()
        guard version == supported else { throw .unsupportedVersion(found: version, supported: supported) }
    }

    public mutating func readU8() throws(WireError) -> UInt8 { try read(1).first! }

    public mutating func readU16() throws(WireError) -> UInt16 {
        let b = try read(2)
        return UInt16(b[b.startIndex]) | UInt16(b[b.startIndex + 1]) << 8
    }

    /// A `u32` count, rejected above `limit`.
    public mutating func readCount(_ field: String, limit: Int) throws(WireError) -> Int {
        let b = try read(4)
        var value = 0
        for k in 0..<4 { value |= Int(b[b.startIndex + k]) << (8 * k) }
        guard value <= limit else { throw .countTooLarge(field: field, count: value, limit: limit) }
        return value
    }

    /// A `u32` count that must equal `expected`.
    public mutating func readCount(_ field: String, expected: Int) throws(WireError) {
        let got = try readCount(field, limit: Int(UInt32.max))
        guard got == expected else { throw .countMismatch(field: field, expected: expected, got: got) }
    }

    public mutating func readU64() throws(WireError) -> UInt64 {
        let b = try read(8)
        var value: UInt64 = 0
        for k in 0..<8 { value |= UInt64(b[b.startIndex + k]) << UInt64(8 * k) }
        return value
    }

    public mutating func readI64() throws(WireError) -> Int64 { Int64(bitPattern: try readU64()) }

    public mutating func readIntegers(_ field: String, limit: Int) throws(WireError) -> [Int64] {
        let count = try readCount(field, limit: limit)
        guard count * 8 <= remaining else { throw .truncated(offset: offset, needed: count * 8, available: remaining) }
        var out = [Int64]()
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try readI64()) }
        return out
    }

    public mutating func readString(_ field: String) throws(WireError) -> String {
        let length = Int(try readU16())
        let raw = try read(length)
        guard let s = String(validating: raw, as: UTF8.self) else {
            throw .invalidValue(field: field, detail: "not UTF-8")
        }
        return s
    }

    public mutating func readDigest() throws(WireError) -> Digest32 {
        try! Digest32(bytes: try read(Digest32.byteCount))
    }

    public mutating func readElement<F: FiniteField>(_ type: F.Type = F.self) throws(WireError) -> F {
        let start = offset
        let raw = try read(F.encodedByteCount)
        do { return try F(canonicalBytes: raw) } catch { throw .nonCanonicalElement(offset: start) }
    }

    /// Exactly `count` elements (the count is known to the reader, not read).
    public mutating func readElements<F: FiniteField>(count: Int, _ type: F.Type = F.self) throws(WireError) -> [F] {
        guard count >= 0, count.multipliedReportingOverflow(by: F.encodedByteCount).partialValue <= remaining else {
            throw .truncated(offset: offset, needed: count * F.encodedByteCount, available: remaining)
        }
        var out = [F]()
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try readElement(F.self)) }
        return out
    }

    /// A count-prefixed list of elements; the count must be at most `limit`.
    public mutating func readElements<F: FiniteField>(_ field: String, limit: Int, _ type: F.Type = F.self) throws(WireError) -> [F] {
        let count = try readCount(field, limit: limit)
        return try readElements(count: count, F.self)
    }

    /// Throws unless every byte was consumed.
    public func finish() throws(WireError) {
        guard remaining == 0 else { throw .trailingBytes(count: remaining) }
    }
}
