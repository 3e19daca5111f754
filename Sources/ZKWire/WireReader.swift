public import ZKField
import ZKParallel
public import ZKSodium

/// A bounds-checked cursor over bytes, the reading half of ``WireWriter``.
///
/// The bytes are an array or a file mapped into memory (``MappedFile``); from a mapped file,
/// ``readElementStorage(count:_:)`` hands out large element arrays in place, without copying.
public struct WireReader: Sendable {
    /// Where the bytes live.
    private enum Source: Sendable {
        case array([UInt8])
        case mapped(MappedFile)
    }

    private let source: Source
    /// The number of bytes in all.
    public let count: Int
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) {
        source = .array(bytes)
        count = bytes.count
    }

    public init(_ file: MappedFile) {
        source = .mapped(file)
        count = file.bytes.count
    }

    public var remaining: Int { count - offset }

    /// Gives `body` every byte of the input (for checksums over a whole file).
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch source {
        case .array(let bytes): return bytes.withUnsafeBytes(body)
        case .mapped(let file): return body(file.bytes)
        }
    }

    /// Gives `body` the next `count` bytes, then moves past them.
    public mutating func withBytes<R>(_ count: Int, _ body: (UnsafeRawBufferPointer) -> R) throws(WireError) -> R {
        guard count >= 0, count <= remaining else { throw .truncated(offset: offset, needed: count, available: remaining) }
        let start = offset
        offset += count
        return withUnsafeBytes { all in body(UnsafeRawBufferPointer(rebasing: all[start..<(start + count)])) }
    }

    /// The next `count` bytes (a slice of the array, or a copy from a mapped file).
    public mutating func read(_ count: Int) throws(WireError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw .truncated(offset: offset, needed: count, available: remaining) }
        if case .array(let bytes) = source {
            defer { offset += count }
            return bytes[offset..<(offset + count)]
        }
        return try withBytes(count) { ArraySlice($0) }
    }

    /// A little-endian unsigned integer of `I.bitWidth / 8` bytes.
    private mutating func readLittleEndian<I: FixedWidthInteger & UnsignedInteger>(_: I.Type) throws(WireError) -> I {
        try withBytes(MemoryLayout<I>.size) { I(littleEndian: $0.loadUnaligned(as: I.self)) }
    }

    /// Reads the magic and version; throws unless the version is `supported`.
    public mutating func readHeader(magic: String, supported: UInt16) throws(WireError) {
        guard try read(magic.utf8.count).elementsEqual(magic.utf8) else { throw .badMagic(expected: magic) }
        let version = try readU16()
        guard version == supported else { throw .unsupportedVersion(found: version, supported: supported) }
    }

    /// Reads the magic and version of a format whose readers take several versions; returns the
    /// version, or throws (naming the newest) unless it is in `supported`.
    public mutating func readHeader(magic: String, supported: ClosedRange<UInt16>) throws(WireError) -> UInt16 {
        guard try read(magic.utf8.count).elementsEqual(magic.utf8) else { throw .badMagic(expected: magic) }
        let version = try readU16()
        guard supported.contains(version) else { throw .unsupportedVersion(found: version, supported: supported.upperBound) }
        return version
    }

    /// The tool-version field of a file header (``WireWriter/write(toolVersion:)``): a UTF-8
    /// string of at most 64 bytes.
    public mutating func readToolVersion() throws(WireError) -> String {
        let start = offset
        let version = try readString("tool version")
        guard version.utf8.count <= 64 else {
            throw .invalidValue(field: "tool version", detail: "\(version.utf8.count) bytes at offset \(start)")
        }
        return version
    }

    public mutating func readU8() throws(WireError) -> UInt8 { try readLittleEndian(UInt8.self) }

    public mutating func readU16() throws(WireError) -> UInt16 { try readLittleEndian(UInt16.self) }

    /// A `u32` count, rejected above `limit`.
    public mutating func readCount(_ field: String, limit: Int) throws(WireError) -> Int {
        let value = Int(try readLittleEndian(UInt32.self))
        guard value <= limit else { throw .countTooLarge(field: field, count: value, limit: limit) }
        return value
    }

    /// A `u32` count that must equal `expected`.
    public mutating func readCount(_ field: String, expected: Int) throws(WireError) {
        let got = try readCount(field, limit: Int(UInt32.max))
        guard got == expected else { throw .countMismatch(field: field, expected: expected, got: got) }
    }

    public mutating func readU64() throws(WireError) -> UInt64 { try readLittleEndian(UInt64.self) }

    public mutating func readI64() throws(WireError) -> Int64 { Int64(bitPattern: try readU64()) }

    public mutating func readF64() throws(WireError) -> Double { Double(bitPattern: try readU64()) }

    /// A count-prefixed list of `i64` (``WireWriter/write(integers:)``), at most `limit` of them.
    public mutating func readIntegers(_ field: String, limit: Int) throws(WireError) -> [Int64] {
        try readFixedWidthIntegers(field, limit: limit, as: Int64.self)
    }

    /// A short list of small non-negative integers (shapes, strides, pads, permutations): at most
    /// 16 entries, each in `0 ... 2^24`.
    public mutating func readSmallIntegers(_ field: String) throws(WireError) -> [Int] {
        let values = try readIntegers(field, limit: 16)
        guard values.allSatisfy({ $0 >= 0 && $0 <= 1 << 24 }) else {
            throw .invalidValue(field: field, detail: "\(values)")
        }
        return values.map { Int($0) }
    }

    /// A count-prefixed array of fixed-width integers (``WireWriter/write(fixedWidthIntegers:)``),
    /// at most `limit` of them; one bounds check and one copy.
    public mutating func readFixedWidthIntegers<I: FixedWidthInteger>(
        _ field: String, limit: Int, as type: I.Type = I.self
    ) throws(WireError) -> [I] {
        let count = try readCount(field, limit: limit)
        let size = MemoryLayout<I>.size
        guard count <= remaining / size else {
            throw .truncated(offset: offset, needed: count * size, available: remaining)
        }
        return try withBytes(count * size) { source in
            [I](unsafeUninitializedCapacity: count) { buffer, initialized in
                #if _endian(little)
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
                #else
                for i in 0..<count { buffer[i] = I(littleEndian: source.loadUnaligned(fromByteOffset: i * size, as: I.self)) }
                #endif
                initialized = count
            }
        }
    }

    /// A list written by ``WireWriter/write(packedIntegers:)``, at most `limit` values.
    public mutating func readPackedIntegers(_ field: String, limit: Int) throws(WireError) -> [Int64] {
        switch try readU8() {
        case 1: return try readFixedWidthIntegers(field, limit: limit, as: Int8.self).map(Int64.init)
        case 2: return try readFixedWidthIntegers(field, limit: limit, as: Int16.self).map(Int64.init)
        case 4: return try readFixedWidthIntegers(field, limit: limit, as: Int32.self).map(Int64.init)
        case 8: return try readFixedWidthIntegers(field, limit: limit, as: Int64.self)
        case let width: throw .invalidValue(field: field, detail: "integer width \(width) bytes")
        }
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
        let raw = try read(Digest32.byteCount)
        return try! Digest32(bytes: raw)   // exactly 32 bytes: cannot fail
    }

    /// Exactly `count` digests written by ``WireWriter/write(digests:)``; one copy.
    public mutating func readDigests(count: Int) throws(WireError) -> [Digest32] {
        guard count >= 0, count <= remaining / Digest32.byteCount else {
            throw .truncated(offset: offset, needed: count &* Digest32.byteCount, available: remaining)
        }
        return try withBytes(count * Digest32.byteCount) { source in
            [Digest32](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
                initialized = count
            }
        }
    }

    /// Exactly `count` elements written by ``WireWriter/write(storageElements:)`` after
    /// ``WireWriter/write(alignmentPadding:)`` (the caller has checked the storage encoding's
    /// name): used in place when the bytes are a mapped file and `F` allows it
    /// (``BulkStorableField/isValidInPlaceStorage(_:)``), else copied and checked.
    ///
    /// With `checked: false`, when `F`'s storage encoding is its memory layout
    /// (``BulkStorableField/storageEncodingIsMemoryLayout``), the elements are **not** read:
    /// a mapped, aligned array is used in place with no page of it touched, an array is copied
    /// without checks. The elements may then be any bit patterns of `F`'s size, which both
    /// sources accept alike; this is for a caller that checks each part it uses before using it
    /// (a proving key's encoded matrix, whose columns are checked against their Merkle leaves
    /// when opened).
    public mutating func readElementStorage<F: BulkStorableField>(
        count: Int, _ type: F.Type = F.self, checked: Bool = true
    ) throws(WireError) -> ElementStorage<F> {
        guard count >= 0, count <= remaining / F.encodedByteCount else {
            throw .truncated(offset: offset, needed: count &* F.encodedByteCount, available: remaining)
        }
        let start = offset
        if !checked, F.storageEncodingIsMemoryLayout {
            switch source {
            case .mapped(let file):
                let raw = UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + count * F.encodedByteCount)])
                if count > 0, Int(bitPattern: raw.baseAddress) % MemoryLayout<F>.alignment == 0 {
                    offset += raw.count
                    let elements = raw.baseAddress!.bindMemory(to: F.self, capacity: count)
                    return ElementStorage(unsafeBorrowing: UnsafeBufferPointer(start: elements, count: count), owner: file)
                }
            case .array:
                return ElementStorage(try withBytes(count * F.encodedByteCount) { raw in
                    [F](unsafeUninitializedCapacity: count) { buffer, initialized in
                        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
                        initialized = count
                    }
                })
            }
        }
        if case .mapped(let file) = source, MemoryLayout<F>.stride == F.encodedByteCount {
            let size = F.encodedByteCount
            let raw = UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + count * size)])
            // Checked in parallel chunks: a pass over tens of MiB, memory-bound.
            let valid = parallelMapChunks(count: count, minimumChunk: 1 << 15) { chunk in
                let bytes = (chunk.lowerBound * size)..<(chunk.upperBound * size)
                return F.isValidInPlaceStorage(UnsafeRawBufferPointer(rebasing: raw[bytes]))
            }
            if valid.allSatisfy({ $0 }) {
                offset += raw.count
                let elements = raw.baseAddress.map { $0.bindMemory(to: F.self, capacity: count) }
                return ElementStorage(unsafeBorrowing: UnsafeBufferPointer(start: elements, count: count), owner: file)
            }
        }
        let elements: [F]? = try withBytes(count * F.encodedByteCount) { try? F.elements(fromStorageBytes: $0) }
        guard let elements else { throw .nonCanonicalElement(offset: start) }
        return ElementStorage(elements)
    }

    /// Skips the zero bytes ``WireWriter/write(alignmentPadding:)`` wrote.
    public mutating func readAlignmentPadding(_ alignment: Int) throws(WireError) {
        let padding = (alignment - offset % alignment) % alignment
        guard try withBytes(padding, { $0.allSatisfy { $0 == 0 } }) else {
            throw .invalidValue(field: "alignment padding", detail: "not zero")
        }
    }

    public mutating func readElement<F: FiniteField>(_ type: F.Type = F.self) throws(WireError) -> F {
        let start = offset
        let raw = try read(F.encodedByteCount)
        do { return try F(canonicalBytes: raw) } catch { throw .nonCanonicalElement(offset: start) }
    }

    /// Exactly `count` elements (the count is known to the reader, not read).
    public mutating func readElements<F: FiniteField>(count: Int, _ type: F.Type = F.self) throws(WireError) -> [F] {
        guard count >= 0, count <= remaining / F.encodedByteCount else {
            throw .truncated(offset: offset, needed: count.multipliedReportingOverflow(by: F.encodedByteCount).overflow
                ? .max : count * F.encodedByteCount, available: remaining)
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
