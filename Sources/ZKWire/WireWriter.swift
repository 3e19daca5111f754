public import ZKField
public import ZKSodium

/// Builds the project's binary formats (proofs, keys): little-endian fixed-width integers,
/// length-prefixed strings, canonical field encodings, digests.
///
/// Every format written with it starts with a 4-byte magic and a `u16` version, so a reader can
/// say exactly what it was handed; file formats (compiled model, keys) follow them with the
/// version of the tool that wrote them (``write(toolVersion:)``).
///
/// Bulk data goes in at memory speed: integer arrays as their little-endian bytes
/// (``write(fixedWidthIntegers:)``), digests as their 32 bytes, field elements in their storage
/// encoding (``write(storageElements:)``).
public struct WireWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public mutating func write(magic: String, version: UInt16) {
        bytes += Array(magic.utf8)
        write(u16: version)
    }

    /// The tool-version field of a file header: a string, ``ToolVersion/current`` unless the
    /// caller re-encodes what an older tool wrote.
    public mutating func write(toolVersion: String = ToolVersion.current) { write(string: toolVersion) }

    public mutating func write(u8 value: UInt8) { bytes.append(value) }

    public mutating func write(u16 value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    /// A count or small non-negative integer as `u32`.
    public mutating func write(count value: Int) {
        precondition(value >= 0 && value <= Int(UInt32.max), "count does not fit in 32 bits")
        for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * k))) }
    }

    public mutating func write(u64 value: UInt64) {
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * k))) }
    }

    public mutating func write(i64 value: Int64) { write(u64: UInt64(bitPattern: value)) }

    /// A `Double` as the `u64` of its IEEE 754 bit pattern (exact, NaN payloads included).
    public mutating func write(f64 value: Double) { write(u64: value.bitPattern) }

    /// A count-prefixed list of signed integers (`u32` count, `i64` each).
    public mutating func write(integers values: [Int64]) { write(fixedWidthIntegers: values) }

    /// A short list of small non-negative integers (shapes, strides, pads): ``write(integers:)``.
    /// ``WireReader/readSmallIntegers(_:)`` reads it back with its bounds.
    public mutating func write(smallIntegers values: [Int]) { write(integers: values.map(Int64.init)) }

    /// A count-prefixed array of fixed-width integers: `u32` count, then each value's
    /// `I.bitWidth / 8` bytes, little-endian (two's complement for signed types). One copy on a
    /// little-endian host.
    public mutating func write<I: FixedWidthInteger>(fixedWidthIntegers values: [I]) {
        write(count: values.count)
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for v in values { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        #endif
    }

    /// A count-prefixed list of signed integers at the narrowest width that holds them all:
    /// `u8` byte width (1, 2, 4 or 8), then ``write(fixedWidthIntegers:)`` at that width. Int8
    /// weights take one byte each instead of eight.
    public mutating func write(packedIntegers values: [Int64]) {
        func fits<I: FixedWidthInteger & SignedInteger>(_: I.Type) -> Bool {
            values.allSatisfy { $0 >= Int64(I.min) && $0 <= Int64(I.max) }
        }
        if fits(Int8.self) {
            write(u8: 1)
            write(fixedWidthIntegers: values.map { Int8($0) })
        } else if fits(Int16.self) {
            write(u8: 2)
            write(fixedWidthIntegers: values.map { Int16($0) })
        } else if fits(Int32.self) {
            write(u8: 4)
            write(fixedWidthIntegers: values.map { Int32($0) })
        } else {
            write(u8: 8)
            write(fixedWidthIntegers: values)
        }
    }

    /// A `u16`-length-prefixed UTF-8 string.
    public mutating func write(string: String) {
        let utf8 = Array(string.utf8)
        precondition(utf8.count <= Int(UInt16.max), "string too long")
        write(u16: UInt16(utf8.count))
        bytes += utf8
    }

    public mutating func write(raw: [UInt8]) { bytes += raw }

    public mutating func write(raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }

    public mutating func write(digest: Digest32) { digest.append(to: &bytes) }

    /// Digests back to back, 32 bytes each, no count (the reader knows it).
    public mutating func write(digests: [Digest32]) {
        // A digest's memory is its 32 bytes in order (``Digest32``), on every host.
        digests.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// Field elements back to back in `F`'s storage encoding (``BulkStorableField``), no count;
    /// the reader must also know `F.storageEncodingID` (write it beside them).
    public mutating func write<F: BulkStorableField>(storageElements elements: UnsafeBufferPointer<F>) {
        F.appendStorageBytes(of: elements, to: &bytes)
    }

    /// Zero bytes up to the next multiple of `alignment` from the start, so that what follows
    /// can be used in place from a file mapped into memory (``WireReader/readElementStorage(count:_:)``).
    public mutating func write(alignmentPadding alignment: Int) {
        bytes += [UInt8](repeating: 0, count: (alignment - bytes.count % alignment) % alignment)
    }

    /// One canonical field element.
    public mutating func write<F: FiniteField>(element: F) { element.encode(into: &bytes) }

    /// A count-prefixed list of canonical field elements.
    public mutating func write<F: FiniteField>(elements: [F]) {
        write(count: elements.count)
        for e in elements { e.encode(into: &bytes) }
    }
}
