public import ZKField
public import ZKSodium

/// Builds the project's binary formats (proofs, keys): little-endian fixed-width integers,
/// length-prefixed strings, canonical field encodings, digests.
///
/// Every format written with it starts with a 4-byte magic and a `u16` version, so a reader can
/// say exactly what it was handed.
public struct WireWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public mutating func write(magic: String, version: UInt16) {
        bytes += Array(magic.utf8)
        write(u16: version)
    }

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

    /// A count-prefixed list of signed integers.
    public mutating func write(integers values: [Int64]) {
        write(count: values.count)
        for v in values { write(i64: v) }
    }

    /// A `u16`-length-prefixed UTF-8 string.
    public mutating func write(string: String) {
        let utf8 = Array(string.utf8)
        precondition(utf8.count <= Int(UInt16.max), "string too long")
        write(u16: UInt16(utf8.count))
        bytes += utf8
    }

    public mutating func write(raw: [UInt8]) { bytes += raw }

    public mutating func write(digest: Digest32) { digest.append(to: &bytes) }

    /// One canonical field element.
    public mutating func write<F: FiniteField>(element: F) { element.encode(into: &bytes) }

    /// A count-prefixed list of canonical field elements.
    public mutating func write<F: FiniteField>(elements: [F]) {
        write(count: elements.count)
        for e in elements { e.encode(into: &bytes) }
    }
}
