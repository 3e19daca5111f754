public import ZKSodium

extension MerkleTree {
    /// One ``MerkleBatchPath`` authenticating all of `leafIndices` (distinct, any order), with
    /// the siblings their individual paths share sent once and siblings that are themselves
    /// opened or recomputed not sent at all.
    /// - Throws: ``MerkleError/emptyBatch``, ``MerkleError/leafIndexOutOfRange(index:leafCount:)``,
    ///   ``MerkleError/duplicateLeafIndex(_:)``.
    public func batchAuthenticationPath(leafIndices: [Int]) throws(MerkleError) -> MerkleBatchPath {
        var known = try MerkleTree.sortedDistinct(leafIndices, leafCount: leafCount)
        var siblings = [Digest32]()
        var width = leafCount
        while width > 1 {
            var parents = [Int]()
            parents.reserveCapacity(known.count)
            var i = 0
            while i < known.count {
                let position = known[i]
                if position & 1 == 0, i + 1 < known.count, known[i + 1] == position + 1 {
                    i += 2
                } else {
                    siblings.append(nodes[width + (position ^ 1)])
                    i += 1
                }
                parents.append(position >> 1)
            }
            known = parents
            width >>= 1
        }
        return MerkleBatchPath(siblings: siblings)
    }

    /// Checks that `rows[k]` is leaf `leafIndices[k]` for every `k`, in a `leafCount`-leaf tree
    /// with root `root`, using one batch path (see ``MerkleBatchPath`` for the sibling order).
    ///
    /// `leafCount` must come from the verifier's own parameters, never from the proof.
    /// - Throws: ``MerkleError/leafCountNotPowerOfTwo(count:)``, ``MerkleError/emptyBatch``,
    ///   ``MerkleError/rowCountMismatch(indices:rows:)``,
    ///   ``MerkleError/leafIndexOutOfRange(index:leafCount:)``,
    ///   ``MerkleError/duplicateLeafIndex(_:)``, ``MerkleError/wrongPathLength(expected:got:)``,
    ///   or ``MerkleError/rootMismatch``.
    @inlinable
    public static func verifyBatch(
        root: Digest32, leafCount: Int, leafIndices: [Int], rows: [[F]], path: MerkleBatchPath
    ) throws(MerkleError) {
        guard leafIndices.count == rows.count else {
            throw .rowCountMismatch(indices: leafIndices.count, rows: rows.count)
        }
        var scratch = [UInt8]()
        let leafHashes = rows.map { row in
            row.withUnsafeBufferPointer { buffer in MerkleHash.leaf(count: buffer.count, scratch: &scratch) { buffer[$0] } }
        }
        try verifyBatch(root: root, leafCount: leafCount, leafIndices: leafIndices, leafHashes: leafHashes, path: path)
    }

    /// ``verifyBatch(root:leafCount:leafIndices:rows:path:)`` for leaves given by their hashes.
    public static func verifyBatch(
        root: Digest32, leafCount: Int, leafIndices: [Int], leafHashes: [Digest32], path: MerkleBatchPath
    ) throws(MerkleError) {
        try checkLeafCount(leafCount)
        guard leafIndices.count == leafHashes.count else {
            throw .rowCountMismatch(indices: leafIndices.count, rows: leafHashes.count)
        }
        let order = try sortedDistinct(leafIndices, leafCount: leafCount)
        let expected = batchSiblingCount(sortedLeafIndices: order, leafCount: leafCount)
        guard path.siblings.count == expected else {
            throw .wrongPathLength(expected: expected, got: path.siblings.count)
        }
        let hashOf = Dictionary(uniqueKeysWithValues: zip(leafIndices, leafHashes))
        var known: [(position: Int, digest: Digest32)] = order.map { ($0, hashOf[$0]!) }
        var cursor = 0
        var width = leafCount
        while width > 1 {
            var parents = [(position: Int, digest: Digest32)]()
            parents.reserveCapacity(known.count)
            var i = 0
            while i < known.count {
                let (position, digest) = known[i]
                let parent: Digest32
                if position & 1 == 0, i + 1 < known.count, known[i + 1].position == position + 1 {
                    parent = MerkleHash.node(digest, known[i + 1].digest)
                    i += 2
                } else {
                    let sibling = path.siblings[cursor]
                    cursor += 1
                    parent = position & 1 == 0 ? MerkleHash.node(digest, sibling) : MerkleHash.node(sibling, digest)
                    i += 1
                }
                parents.append((position >> 1, parent))
            }
            known = parents
            width >>= 1
        }
        guard known.count == 1, known[0].digest == root else { throw .rootMismatch }
    }

    /// The number of siblings a batch path for these (sorted, distinct) leaves holds.
    @usableFromInline
    internal static func batchSiblingCount(sortedLeafIndices: [Int], leafCount: Int) -> Int {
        var known = sortedLeafIndices
        var count = 0
        var width = leafCount
        while width > 1 {
            var parents = [Int]()
            var i = 0
            while i < known.count {
                if known[i] & 1 == 0, i + 1 < known.count, known[i + 1] == known[i] + 1 {
                    i += 2
                } else {
                    count += 1
                    i += 1
                }
                parents.append(known[i - 1] >> 1)
            }
            known = parents
            width >>= 1
        }
        return count
    }

    /// `indices` sorted, after checking they are non-empty, in range and distinct.
    @usableFromInline
    internal static func sortedDistinct(_ indices: [Int], leafCount: Int) throws(MerkleError) -> [Int] {
        guard !indices.isEmpty else { throw .emptyBatch }
        for index in indices where index < 0 || index >= leafCount {
            throw .leafIndexOutOfRange(index: index, leafCount: leafCount)
        }
        let sorted = indices.sorted()
        for k in 1..<max(1, sorted.count) where sorted[k] == sorted[k - 1] {
            throw .duplicateLeafIndex(sorted[k])
        }
        return sorted
    }
}
