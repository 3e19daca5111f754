public import ZKField
import ZKMerkle
import ZKSodium
public import ZKWire

/// The stored form of a commitment's prover data — the weight half of a proving key — so that a
/// prover loads it instead of encoding and hashing the matrix again (for the 2^18 weight slots of
/// `circuits/mlp_784_128_10`: 32 MiB, mapped in well under a millisecond against about 110 ms to
/// recompute). All integers little-endian:
///
///     string fieldID                 F.fieldID, e.g. "bn254-fr"
///     string storageEncoding         F.storageEncodingID (BN254Fr: its Montgomery limbs)
///     parameters                     u32 numVariables, u32 logRows, u32 logInverseRate, u32 queryCount
///     u8 small-integer source        0 none, 1 int8, 2 int16, 3 int32; unless 0:
///                                    u32 count (= 2^numVariables), the integers (1, 2 or 4 bytes each)
///     column leaf hashes             C/ρ digests of 32 bytes (leaf q commits to column q of U)
///     zero bytes                     up to a multiple of 32 bytes from the start of the file
///     encoded matrix U               C/ρ columns of R elements, column-major, in F's storage encoding
///
/// Everything before `U` is small (for that model: 256 KiB of integers and 512 KiB of leaf
/// hashes) and is read and checked: every size against the parameters, the int32 source against
/// the kernels' ±2^30, and the tree's inner nodes are rebuilt from the stored leaves (C/ρ − 1
/// hashes), so ``LigeroProverData/commitment`` is the root of the stored leaves — the caller
/// compares it with the commitment it trusts (the verification key's).
///
/// `U` is last, and column-major, so that it need not be read at all. When the matrix has a
/// small-integer source (a proving key's weights always do) and `F`'s storage encoding is its
/// memory layout (BN254Fr on a little-endian host), `U` is not read on loading: from a file mapped
/// into memory it is used in place (hence the alignment), from an array copied unchecked. An
/// opening reads only its `t` queried columns, and checks each against its leaf hash before
/// sending it (``LigeroError/damagedColumn(index:)``), so damage to `U` is caught exactly when it
/// could matter and costs nothing otherwise. Without a small-integer source (the row combinations
/// then read `U`'s systematic part) every element of `U` is checked against the field as it is
/// read.
extension LigeroProverData where F: BulkStorableField {
    /// Appends the stored form (see the layout above).
    public func write(to writer: inout WireWriter) {
        writer.write(string: F.fieldID)
        writer.write(string: F.storageEncodingID)
        parameters.write(to: &writer)
        switch smallIntegers {
        case .none: writer.write(u8: 0)
        case .int8(let values):
            writer.write(u8: 1)
            writer.write(fixedWidthIntegers: values)
        case .int16(let values):
            writer.write(u8: 2)
            writer.write(fixedWidthIntegers: values)
        case .int32(let values):
            writer.write(u8: 3)
            writer.write(fixedWidthIntegers: values)
        }
        writer.write(digests: Array(tree.leafHashes))
        writer.write(alignmentPadding: 32)
        encoded.withUnsafeBufferPointer { writer.write(storageElements: $0) }
    }

    /// The stored form as bytes, sized up front (16 MiB and more for real models).
    public func serialized() -> [UInt8] {
        let capacity = 160 + (1 << parameters.numVariables) * 4 + encoded.count * F.encodedByteCount
            + parameters.codewordLength * Digest32.byteCount
        var writer = WireWriter(capacity: capacity)
        write(to: &writer)
        return writer.bytes
    }

    /// Reads prover data written by ``write(to:)`` (see the layout for what is checked).
    /// - Throws: ``WireError`` for anything malformed or written for another field or storage
    ///   encoding; never traps.
    public init(reading r: inout WireReader) throws(WireError) {
        let field = try r.readString("field")
        guard field == F.fieldID else { throw .invalidValue(field: "field", detail: "\(field), expected \(F.fieldID)") }
        let storage = try r.readString("storage encoding")
        guard storage == F.storageEncodingID else {
            throw .invalidValue(field: "storage encoding", detail: "\(storage), expected \(F.storageEncodingID)")
        }
        let parameters = try LigeroParameters(reading: &r)
        do throws(LigeroError) { try parameters.checkSupported(by: F.self) } catch {
            throw .invalidValue(field: "commitment parameters", detail: "\(error)")
        }
        let count = 1 << parameters.numVariables
        func integers<I: FixedWidthInteger>(_: I.Type) throws(WireError) -> [I] {
            let values = try r.readFixedWidthIntegers("small integers", limit: count, as: I.self)
            guard values.count == count else {
                throw .countMismatch(field: "small integers", expected: count, got: values.count)
            }
            return values
        }
        let smallIntegers: LigeroSmallIntegerSource
        switch try r.readU8() {
        case 0: smallIntegers = .none
        case 1: smallIntegers = .int8(try integers(Int8.self))
        case 2: smallIntegers = .int16(try integers(Int16.self))
        case 3:
            let values = try integers(Int32.self)
            guard values.allSatisfy({ $0.magnitude <= 1 << 30 }) else {
                throw .invalidValue(field: "small integers", detail: "an int32 outside ±2^30")
            }
            smallIntegers = .int32(values)
        case let tag: throw .invalidValue(field: "small-integer source", detail: "tag \(tag)")
        }
        let leaves = try r.readDigests(count: parameters.codewordLength)
        let tree: MerkleTree<F>
        do throws(MerkleError) { tree = try MerkleTree(leafHashes: leaves) } catch {
            throw .invalidValue(field: "column tree", detail: "\(error)")
        }
        try r.readAlignmentPadding(32)
        var checked = true
        if case .none = smallIntegers {} else { checked = false }   // only opened columns are read: checked then
        let encoded = try r.readElementStorage(count: parameters.rowCount * parameters.codewordLength, F.self, checked: checked)
        self.init(parameters: parameters, encoded: encoded, tree: tree, smallIntegers: smallIntegers, isStored: true)
    }
}
