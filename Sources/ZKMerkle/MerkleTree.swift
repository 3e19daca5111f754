public import ZKField
public import ZKSodium

/// A binary Merkle tree (BLAKE2b-256) over rows of field elements: each leaf commits to one
/// row, which in a Ligero commitment is one column of the encoded matrix.
///
/// Representation: the `2·n` digests of a complete binary tree with `n = leafCount` leaves
/// (a power of two) in heap order: `nodes[1]` is the root, the children of `nodes[i]` are
/// `nodes[2i]` and `nodes[2i+1]`, leaf `j` is `nodes[n + j]`; `nodes[0]` is unused. A one-leaf
/// tree's root is its leaf hash. Hashing is ``MerkleHash`` (domain-separated leaves and nodes).
///
/// Building hashes leaves, then each level, in parallel chunks on all cores when the level is
/// large enough (see ``MerkleBuildMode``); the result never depends on the thread count.
///
/// ```swift
/// let rows: [[Fr]] = [[1, 2], [3, 4], [5, 6], [7, 8]]
/// let tree = try MerkleTree(rows: rows)
/// let path = try tree.authenticationPath(leafIndex: 2)
/// try MerkleTree<Fr>.verify(root: tree.root, leafIndex: 2, leafCount: 4, row: rows[2], path: path)
/// ```
public struct MerkleTree<F: FiniteField>: Sendable {
    /// Heap-ordered digests; see the type's documentation.
    @usableFromInline
    internal var nodes: [Digest32]

    /// The number of leaves (a power of two).
    public let leafCount: Int

    /// The root digest: the commitment.
    @inlinable
    public var root: Digest32 { nodes[1] }

    /// `log2(leafCount)`: the number of siblings in an authentication path.
    @inlinable
    public var depth: Int { leafCount.trailingZeroBitCount }

    /// The hash of leaf `index`.
    /// - Precondition: `0 <= index < leafCount`.
    @inlinable
    public func leafHash(at index: Int) -> Digest32 {
        precondition(index >= 0 && index < leafCount, "leaf index out of range")
        return nodes[leafCount + index]
    }

    @usableFromInline
    internal init(uncheckedNodes nodes: [Digest32], leafCount: Int) {
        self.nodes = nodes
        self.leafCount = leafCount
    }

    // MARK: Building

    /// Commits to `rows`, one leaf per row (rows may differ in length: each leaf hash includes
    /// its row's length).
    /// - Throws: ``MerkleError/leafCountNotPowerOfTwo(count:)``.
    @inlinable
    public init(rows: [[F]], mode: MerkleBuildMode = .automatic) throws(MerkleError) {
        let n = rows.count
        try MerkleTree.checkLeafCount(n)
        let width = rows.first?.count ?? 0
        let nodes = MerkleTree.buildNodes(leafCount: n, elementsPerLeaf: width, mode: mode) { leaf, scratch in
            let row = rows[leaf]
            return row.withUnsafeBufferPointer { buffer in
                MerkleHash.leaf(count: buffer.count, scratch: &scratch) { buffer[$0] }
            }
        }
        self.init(uncheckedNodes: nodes, leafCount: n)
    }

    /// Commits to the rows of a row-major matrix stored flat: leaf `i` is
    /// `elements[i·rowWidth ..< (i+1)·rowWidth]`.
    /// - Throws: ``MerkleError/shapeMismatch(expected:got:)`` unless `rowWidth >= 1` divides
    ///   `elements.count`; ``MerkleError/leafCountNotPowerOfTwo(count:)``.
    @inlinable
    public init(flatRows elements: [F], rowWidth: Int, mode: MerkleBuildMode = .automatic) throws(MerkleError) {
        guard rowWidth >= 1, elements.count % rowWidth == 0 else {
            throw .shapeMismatch(expected: rowWidth >= 1 ? elements.count / rowWidth * rowWidth + rowWidth : 1,
                                 got: elements.count)
        }
        let n = elements.count / rowWidth
        self = try elements.withUnsafeBufferPointer { (buffer) throws(MerkleError) in
            try MerkleTree(
                unsafeElements: buffer, leafCount: n, leafLength: rowWidth, leafStride: rowWidth, elementStride: 1,
                mode: mode)
        }
    }

    /// Commits to the **columns** of a row-major `rowCount × columnCount` matrix: leaf `j` is
    /// `(matrix[0·columnCount + j], matrix[1·columnCount + j], …)`. This is the Ligero
    /// commitment's tree, built without transposing the matrix.
    /// - Throws: ``MerkleError/shapeMismatch(expected:got:)`` unless
    ///   `matrix.count == rowCount·columnCount`; ``MerkleError/leafCountNotPowerOfTwo(count:)``
    ///   unless `columnCount` is a power of two.
    @inlinable
    public init(
        columnsOf matrix: [F], rowCount: Int, columnCount: Int, mode: MerkleBuildMode = .automatic
    ) throws(MerkleError) {
        guard rowCount >= 0, columnCount >= 0, rowCount.multipliedReportingOverflow(by: columnCount).overflow == false,
            matrix.count == rowCount * columnCount
        else { throw .shapeMismatch(expected: max(0, rowCount) &* max(0, columnCount), got: matrix.count) }
        self = try matrix.withUnsafeBufferPointer { (buffer) throws(MerkleError) in
            try MerkleTree(
                unsafeElements: buffer, leafCount: columnCount, leafLength: rowCount, leafStride: 1,
                elementStride: columnCount, mode: mode)
        }
    }

    /// Commits to strided views of a buffer: leaf `i` is the `leafLength` elements
    /// `elements[i·leafStride + k·elementStride]` for `k = 0 ..< leafLength`. Rows of a row-major
    /// matrix are `(leafStride: width, elementStride: 1)`, its columns `(1, width)`.
    /// - Throws: ``MerkleError/shapeMismatch(expected:got:)`` when a view would read outside
    ///   `elements`; ``MerkleError/leafCountNotPowerOfTwo(count:)``.
    @inlinable
    public init(
        unsafeElements elements: UnsafeBufferPointer<F>, leafCount: Int, leafLength: Int, leafStride: Int,
        elementStride: Int, mode: MerkleBuildMode = .automatic
    ) throws(MerkleError) {
        try MerkleTree.checkLeafCount(leafCount)
        guard leafLength >= 0, leafStride >= 0, elementStride >= 0 else {
            throw .shapeMismatch(expected: 0, got: elements.count)
        }
        if leafLength > 0 {
            // The largest index read: (leafCount − 1)·leafStride + (leafLength − 1)·elementStride.
            let (a, o1) = (leafCount - 1).multipliedReportingOverflow(by: leafStride)
            let (b, o2) = (leafLength - 1).multipliedReportingOverflow(by: elementStride)
            let (last, o3) = a.addingReportingOverflow(b)
            guard !o1, !o2, !o3, last < elements.count else {
                throw .shapeMismatch(expected: o1 || o2 || o3 ? Int.max : last + 1, got: elements.count)
            }
        }
        let base = UnsafeSendablePointer(elements.baseAddress)
        let nodes = MerkleTree.buildNodes(leafCount: leafCount, elementsPerLeaf: leafLength, mode: mode) {
            leaf, scratch in
            let start = leaf &* leafStride
            return MerkleHash.leaf(count: leafLength, scratch: &scratch) { base.pointer![start &+ $0 &* elementStride] }
        }
        self.init(uncheckedNodes: nodes, leafCount: leafCount)
    }

    /// Rebuilds a tree from its leaf hashes (``leafHashes``), hashing the inner levels only: how
    /// a stored tree is loaded without rehashing the data under its leaves (`leafCount − 1` node
    /// hashes, about 0.2 µs each).
    /// - Throws: ``MerkleError/leafCountNotPowerOfTwo(count:)``.
    public init(leafHashes: [Digest32], mode: MerkleBuildMode = .automatic) throws(MerkleError) {
        let n = leafHashes.count
        try MerkleTree.checkLeafCount(n)
        var nodes = [Digest32](repeating: Digest32(), count: n)
        nodes += leafHashes
        nodes.withUnsafeMutableBufferPointer { hashInnerLevels($0, leafCount: n, mode: mode) }
        self.init(uncheckedNodes: nodes, leafCount: n)
    }

    /// The hashes of the leaves, in leaf order: with ``init(leafHashes:mode:)``, all a stored
    /// tree needs.
    public var leafHashes: ArraySlice<Digest32> { nodes[leafCount...] }

    @inlinable
    internal static func checkLeafCount(_ n: Int) throws(MerkleError) {
        guard n > 0, n & (n - 1) == 0 else { throw .leafCountNotPowerOfTwo(count: n) }
    }

    /// Hashes all leaves with `hashLeaf(index, scratch)` (chunks in parallel, one scratch buffer
    /// per chunk), then all inner levels.
    @inlinable
    internal static func buildNodes(
        leafCount n: Int, elementsPerLeaf: Int, mode: MerkleBuildMode,
        hashLeaf: (Int, inout [UInt8]) -> Digest32
    ) -> [Digest32] {
        var nodes = [Digest32](repeating: Digest32(), count: 2 * n)
        nodes.withUnsafeMutableBufferPointer { buffer in
            let out = UnsafeSendablePointer(buffer.baseAddress! + n)
            let chunk = mode.leafChunkSize(leafCount: n, bytesPerLeaf: (elementsPerLeaf + 1) * F.encodedByteCount)
            forEachChunk(count: n, chunkSize: chunk) { range in
                var scratch = [UInt8]()
                for leaf in range { out.pointer![leaf] = hashLeaf(leaf, &scratch) }
            }
            hashInnerLevels(buffer, leafCount: n, mode: mode)
        }
        return nodes
    }

    // MARK: Opening

    /// The authentication path of leaf `leafIndex` (siblings bottom-up).
    /// - Throws: ``MerkleError/leafIndexOutOfRange(index:leafCount:)``.
    public func authenticationPath(leafIndex: Int) throws(MerkleError) -> MerklePath {
        guard leafIndex >= 0, leafIndex < leafCount else {
            throw .leafIndexOutOfRange(index: leafIndex, leafCount: leafCount)
        }
        var siblings = [Digest32]()
        siblings.reserveCapacity(depth)
        var i = leafCount + leafIndex
        while i > 1 {
            siblings.append(nodes[i ^ 1])
            i >>= 1
        }
        return MerklePath(siblings: siblings)
    }

    // MARK: Verification

    /// Checks that `row` is leaf `leafIndex` of a `leafCount`-leaf tree with root `root`.
    ///
    /// `leafCount` must come from the verifier's own parameters, never from the proof.
    /// - Throws: ``MerkleError/leafCountNotPowerOfTwo(count:)``,
    ///   ``MerkleError/leafIndexOutOfRange(index:leafCount:)``,
    ///   ``MerkleError/wrongPathLength(expected:got:)``, or ``MerkleError/rootMismatch``.
    @inlinable
    public static func verify(
        root: Digest32, leafIndex: Int, leafCount: Int, row: some Collection<F>, path: MerklePath
    ) throws(MerkleError) {
        try verify(root: root, leafIndex: leafIndex, leafCount: leafCount, leafHash: MerkleHash.leaf(row), path: path)
    }

    /// Checks a leaf given by its hash; see ``verify(root:leafIndex:leafCount:row:path:)``.
    public static func verify(
        root: Digest32, leafIndex: Int, leafCount: Int, leafHash: Digest32, path: MerklePath
    ) throws(MerkleError) {
        try checkLeafCount(leafCount)
        guard leafIndex >= 0, leafIndex < leafCount else {
            throw .leafIndexOutOfRange(index: leafIndex, leafCount: leafCount)
        }
        let depth = leafCount.trailingZeroBitCount
        guard path.siblings.count == depth else { throw .wrongPathLength(expected: depth, got: path.siblings.count) }
        var current = leafHash
        var position = leafIndex
        for sibling in path.siblings {
            current = position & 1 == 0 ? MerkleHash.node(current, sibling) : MerkleHash.node(sibling, current)
            position >>= 1
        }
        guard current == root else { throw .rootMismatch }
    }

    /// Whether ``verify(root:leafIndex:leafCount:row:path:)`` accepts.
    @inlinable
    public static func isValid(
        root: Digest32, leafIndex: Int, leafCount: Int, row: some Collection<F>, path: MerklePath
    ) -> Bool {
        do {
            try verify(root: root, leafIndex: leafIndex, leafCount: leafCount, row: row, path: path)
            return true
        } catch {
            return false
        }
    }
}

extension MerkleTree: Equatable {
    public static func == (lhs: MerkleTree, rhs: MerkleTree) -> Bool {
        lhs.leafCount == rhs.leafCount && lhs.nodes == rhs.nodes
    }
}
