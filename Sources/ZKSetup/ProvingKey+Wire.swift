public import ZKVerifier
import ZKCircuit
import ZKCommit
import ZKField
import ZKParallel
import ZKSodium
public import ZKWire

/// The byte layout of a proving key, version 2 (all integers little-endian): everything the
/// prover needs, stored so that loading costs neither setup's encoding and hashing nor a pass
/// over the encoded matrix.
///
///     "ZKPK" u16 version
///     string toolVersion                 the version of the tool that wrote it (its verification key's)
///     u32 length, verification key       (the ZKVK format)
///     u8 weight width                    8 or 16 (``WeightSlots``)
///     u32 weight tensor count, per weight tensor in id order:
///         u32 id, u32 slot count, the slots (1 or 2 bytes each)
///     weight commitment prover data      (ZKCommit's stored ``LigeroProverData``: its encoded
///                                        matrix U, nearly all of the file, last)
///     u64 matrix offset                  where U starts
///     u64 checksum                       of the bytes before U (below)
///
/// The checksum is SipHash-2-4, under the 16-byte key "zkml-proving-key" (ASCII), of the
/// 8-byte little-endian SipHash-2-4 tags (same key) of the consecutive 1 MiB blocks of the
/// bytes before U, the last block shorter. Checked right after the magic and version, it
/// catches accidental damage to everything the prover reads whole — the verification key, the
/// weights, the column leaf hashes (a damaged file passes with probability about 2⁻⁶⁴) — at a
/// fifth of BLAKE2b's cost.
///
/// It does not cover U (32 MiB of the 33 MiB key of `circuits/mlp_784_128_10`): `zkml prove`
/// maps the file and never reads U as a whole. An opening reads only its queried columns and
/// checks each against its leaf hash before sending it, so a damaged column is refused
/// (``ZKCommit/LigeroError/damagedColumn(index:)``) exactly when a proof would use it. Version 1
/// checksummed and range-checked all of U on every load: 20 ms and every page of the key
/// resident, for a 6 ms proof.
///
/// The checksum is not what makes a key trustworthy: that is the check that the commitment
/// root rebuilt from the stored leaves is the verification key's (the key the proofs are
/// verified against), so a key whose committed weights are not the verification key's cannot be
/// loaded; the verifier never reads a proving key at all.
extension ProvingKey {
    public static var formatVersion: UInt16 { 2 }

    /// The checksum's key: the 16 ASCII bytes "zkml-proving-key".
    static var checksumKey: SipHash.Key { SipHash.Key(Array("zkml-proving-key".utf8)) }

    /// The key's bytes (see the layout above). The same model gives the same bytes on every
    /// machine and thread count.
    public func encoded() -> [UInt8] {
        let vk = verificationKey.encoded()
        let p = weightData.parameters
        let matrixBytes = weightData.encodedCount * F.encodedByteCount
        var writer = WireWriter(capacity: vk.count + matrixBytes + 8 << p.numVariables + 32 * p.codewordLength + 4096)
        writer.write(magic: "ZKPK", version: Self.formatVersion)
        writer.write(toolVersion: verificationKey.toolVersion)
        writer.write(count: vk.count)
        writer.write(raw: vk)
        let ids = weightSlots.keys.sorted()
        writer.write(u8: UInt8(ids.first.map { weightSlots[$0]!.width } ?? 8))
        writer.write(count: ids.count)
        for id in ids {
            writer.write(count: id)
            switch weightSlots[id]! {
            case .int8(let values): writer.write(fixedWidthIntegers: values)
            case .int16(let values): writer.write(fixedWidthIntegers: values)
            }
        }
        weightData.write(to: &writer)
        let matrixOffset = writer.bytes.count - matrixBytes
        writer.write(u64: UInt64(matrixOffset))
        writer.write(u64: writer.bytes.withUnsafeBytes { Self.checksum(UnsafeRawBufferPointer(rebasing: $0[..<matrixOffset])) })
        return writer.bytes
    }

    /// The checksum of `bytes` (see the layout above).
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let block = 1 << 20
        let blockCount = (bytes.count + block - 1) / block
        var tags = [UInt64](repeating: 0, count: blockCount)
        tags.withUnsafeMutableBufferPointer { tags in
            parallelChunks(count: blockCount, minimumChunk: 1) { blocks in
                for b in blocks {
                    let start = b * block
                    let range = start..<min(start + block, bytes.count)
                    tags[b] = SipHash.hash(UnsafeRawBufferPointer(rebasing: bytes[range]), key: checksumKey).littleEndian
                }
            }
        }
        return tags.withUnsafeBytes { SipHash.hash($0, key: checksumKey) }
    }

    /// Decodes a key written by ``encoded()``: checks the magic, version and checksum first,
    /// then everything ``VerificationKey/init(decoding:)`` and ``LigeroProverData/init(reading:)``
    /// check, that the weight slots are exactly the circuit's weight tensors at their padded
    /// sizes and one width, and that the stored commitment is the verification key's.
    /// - Throws: ``WireError`` for anything malformed or inconsistent; never traps.
    public init(decoding bytes: [UInt8]) throws(WireError) {
        try self.init(reading: WireReader(bytes))
    }

    /// Decodes a key from a file mapped into memory (what `zkml prove` does): as
    /// ``init(decoding:)-([UInt8])``, but the committed matrix — nearly all of the file — is
    /// used in place, unread, rather than copied and checked (see the layout above).
    public init(decoding file: MappedFile) throws(WireError) {
        try self.init(reading: WireReader(file))
    }

    @_specialize(where F == BN254Fr)
    private init(reading input: WireReader) throws(WireError) {
        var r = input
        try r.readHeader(magic: "ZKPK", supported: Self.formatVersion)
        let trailer = r.count - 16
        guard trailer >= r.offset else { throw .truncated(offset: r.offset, needed: 16, available: r.remaining) }
        let (storedOffset, storedChecksum) = r.withUnsafeBytes { all in
            (UInt64(littleEndian: all.loadUnaligned(fromByteOffset: trailer, as: UInt64.self)),
             UInt64(littleEndian: all.loadUnaligned(fromByteOffset: trailer + 8, as: UInt64.self)))
        }
        guard storedOffset >= UInt64(r.offset), storedOffset <= UInt64(trailer) else {
            throw .invalidValue(
                field: "checksum", detail: "the file is damaged or truncated (its matrix offset \(storedOffset) is outside it)")
        }
        let matrixOffset = Int(storedOffset)
        let intact = r.withUnsafeBytes { all in
            Self.checksum(UnsafeRawBufferPointer(rebasing: all[..<matrixOffset])) == storedChecksum
        }
        guard intact else {
            throw .invalidValue(field: "checksum", detail: "the file is damaged or truncated (its checksum does not match)")
        }
        _ = try r.readToolVersion()
        let vkLength = try r.readCount("verification key length", limit: r.remaining)
        let vk = try VerificationKey(decoding: Array(try r.read(vkLength)))
        let tensors = vk.circuit.tensors
        let width = try r.readU8()
        guard width == 8 || width == 16 else { throw .invalidValue(field: "weight width", detail: "\(width) bits") }
        let weightIDs = tensors.indices.filter { tensors[$0].storage == .weight }
        try r.readCount("weight tensors", expected: weightIDs.count)
        var weightSlots: [TensorID: WeightSlots] = [:]
        for expected in weightIDs {
            let id = try r.readCount("weight tensor", limit: Int(UInt32.max))
            guard id == expected else { throw .invalidValue(field: "weight tensor", detail: "\(id), expected \(expected)") }
            let count = tensors[id].layout.slotCount
            func slots<I: FixedWidthInteger>(_: I.Type) throws(WireError) -> [I] {
                let values = try r.readFixedWidthIntegers("weight slots", limit: count, as: I.self)
                guard values.count == count else {
                    throw .countMismatch(field: "weight slots of \(tensors[id].name)", expected: count, got: values.count)
                }
                return values
            }
            weightSlots[id] = width == 8 ? .int8(try slots(Int8.self)) : .int16(try slots(Int16.self))
        }
        let weightData = try LigeroProverData<F>(reading: &r)
        guard r.offset == trailer, trailer - weightData.encodedCount * F.encodedByteCount == matrixOffset else {
            throw .invalidValue(field: "matrix offset", detail: "\(matrixOffset) is not where the encoded matrix starts")
        }
        _ = try r.readU64()   // the matrix offset and the checksum, checked above
        _ = try r.readU64()
        try r.finish()
        guard weightData.parameters == vk.weightParameters else {
            throw .invalidValue(field: "weight commitment", detail: "its parameters are not the verification key's")
        }
        guard weightData.commitment == vk.weightCommitment else {
            throw .invalidValue(
                field: "weight commitment",
                detail: "root \(weightData.commitment.root) is not the verification key's \(vk.weightCommitment.root)")
        }
        self.init(verificationKey: vk, weightSlots: weightSlots, weightData: weightData)
    }
}
