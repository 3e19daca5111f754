public import ZKField
import ZKMerkle
public import ZKSodium

// MARK: - Byte format, version 1
//
// All integers little-endian. `id(F)` is `u8(len) || F.fieldID` (UTF-8). Field elements use their
// canonical encodings (`F.encodedByteCount` bytes each, 32 for Fr); decoding rejects
// non-canonical ones.
//
//     LigeroCommitment   = "ZKLC" || u16(1) || id(F) || u32(numVariables) || root (32 bytes)
//     LigeroOpeningProof = "ZKLO" || u16(1) || id(F) || id(E)
//                          || u32(k) || u32(C) || u32(t) || u32(R) || u32(s)
//                          || v (C elements of E) || u_1 … u_k (C elements of E each)
//                          || column_1 … column_t (R elements of F each, query order)
//                          || s sibling digests (32 bytes each)
//
// A decoder takes every count but `s` from the verifier's parameters and claim count and rejects
// a mismatch; `s` is bounded by `t·log₂(C/ρ)` before anything is allocated (its exact value is
// checked by the Merkle verification). Bytes after the object are rejected.

/// Constants of the opening-proof encoding.
public enum LigeroOpeningProofEncoding {
    /// Format version written and read.
    public static let version: UInt16 = 1
    /// `"ZKLO"`.
    public static let magic: [UInt8] = Array("ZKLO".utf8)
    /// The most claims one opening may carry (a sanity bound on the verifier's own count).
    public static let maximumClaimCount = 1 << 16
    /// The header size for 8-byte field ids (e.g. `"bn254-fr"`): magic, version, two ids, five counts.
    public static let headerByteCount = 4 + 2 + 2 * 9 + 5 * 4
}

/// Constants of the commitment encoding.
public enum LigeroCommitmentEncoding {
    /// Format version written and read.
    public static let version: UInt16 = 1
    /// `"ZKLC"`.
    public static let magic: [UInt8] = Array("ZKLC".utf8)
}

/// Appends little-endian integers and tagged ids to a byte buffer.
@usableFromInline
struct ByteWriter {
    @usableFromInline var bytes: [UInt8] = []

    @inlinable init(capacity: Int) { bytes.reserveCapacity(capacity) }

    @inlinable mutating func write(_ raw: [UInt8]) { bytes += raw }

    @inlinable mutating func write(u16 value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    @inlinable mutating func write(u32 value: Int) {
        precondition(value >= 0 && value <= Int(UInt32.max), "count does not fit in 32 bits")
        for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * k))) }
    }

    @inlinable mutating func write(id: String) {
        let utf8 = Array(id.utf8)
        precondition(utf8.count <= 255, "field id too long")
        bytes.append(UInt8(utf8.count))
        bytes += utf8
    }

    @inlinable mutating func write<T: FiniteField>(elements: [T]) {
        for element in elements { element.encode(into: &bytes) }
    }
}

/// A bounds-checked cursor over bytes: every read throws ``LigeroDecodingError`` instead of
/// trapping.
@usableFromInline
struct ByteReader {
    @usableFromInline let bytes: [UInt8]
    @usableFromInline var offset = 0

    @inlinable init(_ bytes: [UInt8]) { self.bytes = bytes }

    @inlinable var remaining: Int { bytes.count - offset }

    @inlinable mutating func require(_ count: Int) throws(LigeroDecodingError) {
        guard count >= 0, count <= remaining else {
            throw .truncated(offset: offset, needed: count, available: remaining)
        }
    }

    @inlinable mutating func read(_ count: Int) throws(LigeroDecodingError) -> ArraySlice<UInt8> {
        try require(count)
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    @inlinable mutating func readMagic(_ magic: [UInt8]) throws(LigeroDecodingError) {
        guard try read(magic.count).elementsEqual(magic) else { throw .badMagic }
    }

    @inlinable mutating func readU16() throws(LigeroDecodingError) -> UInt16 {
        let b = try read(2)
        return UInt16(b[b.startIndex]) | UInt16(b[b.startIndex + 1]) << 8
    }

    @inlinable mutating func readU32() throws(LigeroDecodingError) -> Int {
        let b = try read(4)
        var value = 0
        for k in 0..<4 { value |= Int(b[b.startIndex + k]) << (8 * k) }
        return value
    }

    @inlinable mutating func readID(expected: String) throws(LigeroDecodingError) {
        let length = Int(try read(1).first!)
        let raw = try read(length)
        guard raw.elementsEqual(expected.utf8) else {
            throw .fieldMismatch(expected: expected, got: String(decoding: raw, as: UTF8.self))
        }
    }

    /// Reads a count and checks it equals `expected`.
    @inlinable mutating func readCount(_ field: String, expected: Int) throws(LigeroDecodingError) {
        let got = try readU32()
        guard got == expected else { throw .countMismatch(field: field, expected: expected, got: got) }
    }

    @inlinable mutating func readElements<T: FiniteField>(_ count: Int, as type: T.Type) throws(LigeroDecodingError) -> [T] {
        let size = T.encodedByteCount
        try require(count * size)
        if T.self == BN254Fr.self {
            // Fast path (the generic `init(canonicalBytes:)` costs over a microsecond per element):
            // four little-endian limbs, range-checked by `init?(canonicalLimbs:)`.
            let start = offset
            var out = [T]()
            out.reserveCapacity(count)
            let firstBad: Int? = bytes.withUnsafeBytes { raw in
                for k in 0..<count {
                    let base = start + 32 * k
                    let limbs = (
                        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base, as: UInt64.self)),
                        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 8, as: UInt64.self)),
                        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 16, as: UInt64.self)),
                        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 24, as: UInt64.self)))
                    guard let element = BN254Fr(canonicalLimbs: limbs) else { return base }
                    out.append(unsafeBitCast(element, to: T.self))
                }
                return nil
            }
            if let firstBad { throw .nonCanonicalElement(offset: firstBad) }
            offset += 32 * count
            return out
        }
        var out = [T]()
        out.reserveCapacity(count)
        for _ in 0..<count {
            let start = offset
            let raw = try read(size)
            do { out.append(try T(canonicalBytes: raw)) } catch { throw .nonCanonicalElement(offset: start) }
        }
        return out
    }

    @inlinable mutating func readDigest() throws(LigeroDecodingError) -> Digest32 {
        let raw = try read(Digest32.byteCount)
        return try! Digest32(bytes: raw)
    }

    @inlinable func finish() throws(LigeroDecodingError) {
        guard remaining == 0 else { throw .trailingBytes(count: remaining) }
    }
}

extension LigeroCommitment {
    /// The version-1 encoding (see the format above); `F` names the committed field.
    public func serialized<F: PrimeField>(field: F.Type) -> [UInt8] {
        var writer = ByteWriter(capacity: 64)
        writer.write(LigeroCommitmentEncoding.magic)
        writer.write(u16: LigeroCommitmentEncoding.version)
        writer.write(id: F.fieldID)
        writer.write(u32: numVariables)
        writer.write(root.bytes)
        return writer.bytes
    }

    /// Decodes a commitment to a polynomial over `F` whose variable count must be the
    /// parameters' (from the verification key).
    public init<F: PrimeField>(
        serialized bytes: [UInt8], field: F.Type, parameters: LigeroParameters
    ) throws(LigeroDecodingError) {
        var reader = ByteReader(bytes)
        try reader.readMagic(LigeroCommitmentEncoding.magic)
        let version = try reader.readU16()
        guard version == LigeroCommitmentEncoding.version else { throw .unsupportedVersion(version) }
        try reader.readID(expected: F.fieldID)
        try reader.readCount("numVariables", expected: parameters.numVariables)
        let root = try reader.readDigest()
        try reader.finish()
        self.init(numVariables: parameters.numVariables, root: root)
    }
}

extension LigeroOpeningProof {
    /// The version-1 encoding (see the format above).
    public func serialized() -> [UInt8] {
        let elementBytes =
            (proximityRow.count + evaluationRows.reduce(0) { $0 + $1.count }) * E.encodedByteCount
            + columns.reduce(0) { $0 + $1.count } * F.encodedByteCount
        var writer = ByteWriter(capacity: 64 + elementBytes + 32 * path.siblings.count)
        writer.write(LigeroOpeningProofEncoding.magic)
        writer.write(u16: LigeroOpeningProofEncoding.version)
        writer.write(id: F.fieldID)
        writer.write(id: E.fieldID)
        writer.write(u32: evaluationRows.count)
        writer.write(u32: proximityRow.count)
        writer.write(u32: columns.count)
        writer.write(u32: columns.first?.count ?? 0)
        writer.write(u32: path.siblings.count)
        writer.write(elements: proximityRow)
        for row in evaluationRows { writer.write(elements: row) }
        for column in columns {
            // Columns of unequal length cannot be encoded (nor verified); honest proofs have none.
            precondition(column.count == columns[0].count, "columns of unequal length")
            writer.write(elements: column)
        }
        for sibling in path.siblings { writer.write(sibling.bytes) }
        return writer.bytes
    }

    /// Decodes a proof of `claimCount` claims for a commitment with `parameters` (both from the
    /// verifier, never from the bytes): every count must match them, the path length is bounded,
    /// every element must be canonical and nothing may follow the proof.
    public init(
        serialized bytes: [UInt8], parameters: LigeroParameters, claimCount: Int
    ) throws(LigeroDecodingError) {
        guard claimCount >= 0, claimCount <= LigeroOpeningProofEncoding.maximumClaimCount else {
            throw .countTooLarge(field: "claims", maximum: LigeroOpeningProofEncoding.maximumClaimCount, got: claimCount)
        }
        var reader = ByteReader(bytes)
        try reader.readMagic(LigeroOpeningProofEncoding.magic)
        let version = try reader.readU16()
        guard version == LigeroOpeningProofEncoding.version else { throw .unsupportedVersion(version) }
        try reader.readID(expected: F.fieldID)
        try reader.readID(expected: E.fieldID)
        let C = parameters.columnCount, R = parameters.rowCount, t = parameters.openedColumnCount
        try reader.readCount("claims", expected: claimCount)
        try reader.readCount("rowLength", expected: C)
        try reader.readCount("columnCount", expected: t)
        try reader.readCount("columnLength", expected: R)
        let siblingCount = try reader.readU32()
        guard siblingCount <= parameters.maximumPathLength else {
            throw .countTooLarge(field: "siblings", maximum: parameters.maximumPathLength, got: siblingCount)
        }
        // Everything that follows has a known size: fail on truncation before decoding.
        try reader.require(
            (1 + claimCount) * C * E.encodedByteCount + t * R * F.encodedByteCount + siblingCount * Digest32.byteCount)
        let proximityRow = try reader.readElements(C, as: E.self)
        var evaluationRows = [[E]]()
        evaluationRows.reserveCapacity(claimCount)
        for _ in 0..<claimCount { evaluationRows.append(try reader.readElements(C, as: E.self)) }
        var columns = [[F]]()
        columns.reserveCapacity(t)
        for _ in 0..<t { columns.append(try reader.readElements(R, as: F.self)) }
        var siblings = [Digest32]()
        siblings.reserveCapacity(siblingCount)
        for _ in 0..<siblingCount { siblings.append(try reader.readDigest()) }
        try reader.finish()
        self.init(
            proximityRow: proximityRow, evaluationRows: evaluationRows, columns: columns,
            path: MerkleBatchPath(siblings: siblings))
    }
}
