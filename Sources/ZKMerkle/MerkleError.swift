/// Why a Merkle tree could not be built or an opening was rejected.
public enum MerkleError: Error, Equatable, Sendable {
    /// Trees have a power-of-two number of leaves (at least one); `count` is not one. Pad the
    /// matrix explicitly (e.g. with zero columns) before committing.
    case leafCountNotPowerOfTwo(count: Int)
    /// The element buffer does not have the shape described (`expected` elements, `got` given).
    case shapeMismatch(expected: Int, got: Int)
    /// A leaf index outside `0 ..< leafCount`.
    case leafIndexOutOfRange(index: Int, leafCount: Int)
    /// A batch opening of no leaves (it would authenticate nothing).
    case emptyBatch
    /// The same leaf was listed twice in a batch opening.
    case duplicateLeafIndex(Int)
    /// A batch opening listed `indices` leaf indices but `rows` rows.
    case rowCountMismatch(indices: Int, rows: Int)
    /// The authentication path has `got` siblings; the tree needs `expected`.
    case wrongPathLength(expected: Int, got: Int)
    /// The recomputed root differs from the committed one.
    case rootMismatch
}
