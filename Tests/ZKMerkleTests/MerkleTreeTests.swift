import Testing
import ZKField
import ZKMerkle
import ZKSodium

/// Deterministic rows: `rows[i][k] = f(seed, i, k)`, including large elements.
private func makeRows(count: Int, width: Int, seed: UInt64 = 1) -> [[Fr]] {
    var state = seed
    func next() -> UInt64 {  // SplitMix64
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    return (0..<count).map { _ in (0..<width).map { _ in Fr(next()) * Fr(next()) - Fr(next()) } }
}

@Suite("Merkle tree")
struct MerkleTreeTests {
    @Test("Every leaf's path verifies", arguments: [(1, 3), (2, 1), (8, 5), (1024, 4)])
    func allPathsVerify(leafCount: Int, width: Int) throws {
        let rows = makeRows(count: leafCount, width: width)
        let tree = try MerkleTree(rows: rows)
        #expect(tree.leafCount == leafCount)
        #expect(tree.depth == leafCount.trailingZeroBitCount)
        for index in 0..<leafCount {
            let path = try tree.authenticationPath(leafIndex: index)
            #expect(path.siblings.count == tree.depth)
            try MerkleTree<Fr>.verify(root: tree.root, leafIndex: index, leafCount: leafCount, row: rows[index], path: path)
        }
    }

    @Test("A tree rebuilt from its leaf hashes is the same tree", arguments: [1, 2, 64, 8192])
    func rebuiltFromLeafHashes(leafCount: Int) throws {
        let tree = try MerkleTree(rows: makeRows(count: leafCount, width: 2))
        let rebuilt = try MerkleTree<Fr>(leafHashes: Array(tree.leafHashes))
        #expect(rebuilt == tree)
        #expect(rebuilt.root == tree.root)
        #expect(throws: MerkleError.leafCountNotPowerOfTwo(count: 3)) { try MerkleTree<Fr>(leafHashes: [Digest32](repeating: tree.root, count: 3)) }
    }

    @Test("Known answer: root of a 4-leaf tree matches the documented byte layout (Python hashlib)")
    func knownAnswer() throws {
        let rows: [[Fr]] = [[1, 2, 3], [-1, 0, 5], [7, 8, 9], [10, 11, 12]]
        let tree = try MerkleTree(rows: rows)
        #expect(tree.root.description == "eabdb2769b23c68add7b33cca0c8dadd2556e2f6fafca8d0f24db6e04d02fa69")
        #expect(tree.leafHash(at: 0).description == "2623da2cded3a4e20669b3fce8d7e339a0de12505c34459d6b9444a31b144827")
        #expect(MerkleHash.leaf([Fr]()).description == "c84174aa3d7e0ba5c2ef628717c502b6d674696749d3bb2b00543c6e5cf2f2c0")
        // The same layout spelled out with the raw hash.
        var preimage = Array("zkml.merkle.leaf.v1".utf8) + [3, 0, 0, 0, 0, 0, 0, 0]
        for x in rows[0] { x.encode(into: &preimage) }
        #expect(MerkleHash.leaf(rows[0]) == Blake2b.hash256(preimage))
        let l = tree.leafHash(at: 0), r = tree.leafHash(at: 1)
        #expect(MerkleHash.node(l, r) == Blake2b.hash256(Array("zkml.merkle.node.v1".utf8) + l.bytes + r.bytes))
    }

    @Test("Tampering with the row, a sibling, the index, the root or the shape is rejected")
    func tampering() throws {
        let leafCount = 16
        let rows = makeRows(count: leafCount, width: 3)
        let tree = try MerkleTree(rows: rows)
        let index = 5
        let path = try tree.authenticationPath(leafIndex: index)
        let root = tree.root
        func verify(
            root: Digest32 = root, index: Int = index, leafCount: Int = leafCount, row: [Fr] = rows[index],
            path: MerklePath = path
        ) throws(MerkleError) {
            try MerkleTree<Fr>.verify(root: root, leafIndex: index, leafCount: leafCount, row: row, path: path)
        }
        try verify()

        for k in 0..<3 {
            var row = rows[index]
            row[k] += .one
            #expect(throws: MerkleError.rootMismatch) { try verify(row: row) }
        }
        #expect(throws: MerkleError.rootMismatch) { try verify(row: rows[index] + [.zero]) }  // length is hashed
        #expect(throws: MerkleError.rootMismatch) { try verify(row: Array(rows[index].dropLast())) }
        for level in 0..<path.siblings.count {
            for byte in [0, 17, 31] {
                var bad = path
                var bytes = bad.siblings[level].bytes
                bytes[byte] ^= 0x80
                bad.siblings[level] = try Digest32(bytes: bytes)
                #expect(throws: MerkleError.rootMismatch) { try verify(path: bad) }
            }
        }
        for other in [4, 6, 7, 13] {
            #expect(throws: MerkleError.rootMismatch) { try verify(index: other) }
        }
        var badRoot = root.bytes
        badRoot[0] ^= 1
        #expect(throws: MerkleError.rootMismatch) { try verify(root: try Digest32(bytes: badRoot)) }
        #expect(throws: MerkleError.leafIndexOutOfRange(index: 16, leafCount: 16)) { try verify(index: 16) }
        #expect(throws: MerkleError.leafIndexOutOfRange(index: -1, leafCount: 16)) { try verify(index: -1) }
        #expect(throws: MerkleError.wrongPathLength(expected: 4, got: 3)) {
            try verify(path: MerklePath(siblings: Array(path.siblings.dropLast())))
        }
        #expect(throws: MerkleError.wrongPathLength(expected: 5, got: 4)) { try verify(leafCount: 32) }
        #expect(throws: MerkleError.leafCountNotPowerOfTwo(count: 12)) { try verify(leafCount: 12) }
        #expect(!MerkleTree<Fr>.isValid(root: root, leafIndex: 4, leafCount: leafCount, row: rows[index], path: path))
        #expect(MerkleTree<Fr>.isValid(root: root, leafIndex: index, leafCount: leafCount, row: rows[index], path: path))
    }

    @Test("Parallel, serial and automatic builds give the same tree")
    func parallelEqualsSerial() throws {
        for (count, width) in [(2, 1), (64, 3), (128, 20)] {  // the last is above the automatic threshold
            let rows = makeRows(count: count, width: width, seed: 7)
            let serial = try MerkleTree(rows: rows, mode: .serial)
            #expect(try MerkleTree(rows: rows, mode: .parallel) == serial)
            #expect(try MerkleTree(rows: rows, mode: .automatic) == serial)
        }
        let big = (0..<8192).map { [Fr(UInt64($0))] }  // inner levels above the threshold
        #expect(try MerkleTree(rows: big, mode: .automatic).root == MerkleTree(rows: big, mode: .serial).root)
    }

    @Test("Leaves and inner nodes are domain-separated")
    func domainSeparation() throws {
        let rows: [[Fr]] = [[1, 2], [3, 4]]
        let tree = try MerkleTree(rows: rows)
        // The root of a two-leaf tree is not the leaf hash of the rows' concatenation ...
        #expect(tree.root != MerkleHash.leaf(rows[0] + rows[1]))
        // ... nor the untagged hash of the two leaf digests, nor a leaf hash of those bytes read as elements.
        let l = tree.leafHash(at: 0), r = tree.leafHash(at: 1)
        #expect(tree.root != Blake2b.hash256(l.bytes + r.bytes))
        #expect(MerkleHash.leafDomainTag != MerkleHash.nodeDomainTag)
        #expect(MerkleHash.leafDomainTag.count == MerkleHash.nodeDomainTag.count)
        // A one-leaf tree's root is its leaf hash, which differs from any node hash of it.
        let single = try MerkleTree(rows: [rows[0]])
        #expect(single.root == MerkleHash.leaf(rows[0]))
        #expect(single.root != MerkleHash.node(l, l))
        #expect(try single.authenticationPath(leafIndex: 0).siblings.isEmpty)
    }

    @Test("Flat rows, matrix columns and strided views agree with [[F]] rows")
    func layouts() throws {
        let rowCount = 3, columnCount = 8
        let matrix = makeRows(count: rowCount, width: columnCount, seed: 11)
        let flat = matrix.flatMap { $0 }
        let columns = (0..<columnCount).map { j in (0..<rowCount).map { matrix[$0][j] } }
        let byColumns = try MerkleTree(columnsOf: flat, rowCount: rowCount, columnCount: columnCount)
        #expect(byColumns == (try MerkleTree(rows: columns)))
        #expect(try MerkleTree(columnsOf: flat, rowCount: rowCount, columnCount: columnCount, mode: .parallel) == byColumns)
        let flatRows = try MerkleTree(flatRows: Array(flat.prefix(2 * columnCount)), rowWidth: columnCount)
        #expect(flatRows == (try MerkleTree(rows: Array(matrix.prefix(2)))))
        let strided = try flat.withUnsafeBufferPointer {
            try MerkleTree(unsafeElements: $0, leafCount: 8, leafLength: 3, leafStride: 1, elementStride: 8)
        }
        #expect(strided == byColumns)
    }

    @Test("Malformed shapes throw")
    func shapes() {
        #expect(throws: MerkleError.leafCountNotPowerOfTwo(count: 0)) { try MerkleTree<Fr>(rows: []) }
        #expect(throws: MerkleError.leafCountNotPowerOfTwo(count: 3)) { try MerkleTree(rows: makeRows(count: 3, width: 1)) }
        #expect(throws: MerkleError.self) { try MerkleTree<Fr>(flatRows: [1, 2, 3], rowWidth: 2) }
        #expect(throws: MerkleError.self) { try MerkleTree<Fr>(flatRows: [1, 2], rowWidth: 0) }
        #expect(throws: MerkleError.shapeMismatch(expected: 8, got: 7)) {
            try MerkleTree<Fr>(columnsOf: Array(repeating: 1, count: 7), rowCount: 2, columnCount: 4)
        }
        let elements: [Fr] = Array(repeating: 1, count: 8)
        #expect(throws: MerkleError.shapeMismatch(expected: 10, got: 8)) {
            try elements.withUnsafeBufferPointer {
                try MerkleTree(unsafeElements: $0, leafCount: 4, leafLength: 2, leafStride: 2, elementStride: 3)
            }
        }
        let tree = try? MerkleTree(rows: makeRows(count: 4, width: 1))
        #expect(throws: MerkleError.leafIndexOutOfRange(index: 4, leafCount: 4)) { try tree?.authenticationPath(leafIndex: 4) }
    }
}

@Suite("Merkle batch opening")
struct MerkleBatchTests {
    @Test("Batch paths verify, share siblings, and reject tampering")
    func batch() throws {
        let leafCount = 64
        let rows = makeRows(count: leafCount, width: 2, seed: 5)
        let tree = try MerkleTree(rows: rows)
        for indices in [[0], [63, 0], [1, 0], [5, 9, 40, 41, 2, 33], Array(0..<64), [62, 3, 17]] {
            let path = try tree.batchAuthenticationPath(leafIndices: indices)
            let opened = indices.map { rows[$0] }
            try MerkleTree<Fr>.verifyBatch(root: tree.root, leafCount: leafCount, leafIndices: indices, rows: opened, path: path)
            #expect(path.siblings.count <= indices.count * tree.depth)
            if indices.count == 64 { #expect(path.siblings.isEmpty) }
            if indices == [0] { #expect(path.siblings == (try tree.authenticationPath(leafIndex: 0)).siblings) }

            var badRows = opened
            badRows[badRows.count - 1][0] += .one
            #expect(throws: MerkleError.rootMismatch) {
                try MerkleTree<Fr>.verifyBatch(
                    root: tree.root, leafCount: leafCount, leafIndices: indices, rows: badRows, path: path)
            }
            for k in path.siblings.indices {
                var bad = path
                var bytes = bad.siblings[k].bytes
                bytes[3] ^= 4
                bad.siblings[k] = try Digest32(bytes: bytes)
                #expect(throws: MerkleError.rootMismatch) {
                    try MerkleTree<Fr>.verifyBatch(
                        root: tree.root, leafCount: leafCount, leafIndices: indices, rows: opened, path: bad)
                }
            }
        }
        // Swapping which row belongs to which index is caught.
        let path = try tree.batchAuthenticationPath(leafIndices: [10, 20])
        #expect(throws: MerkleError.rootMismatch) {
            try MerkleTree<Fr>.verifyBatch(
                root: tree.root, leafCount: leafCount, leafIndices: [10, 20], rows: [rows[20], rows[10]], path: path)
        }
        #expect(throws: MerkleError.wrongPathLength(expected: path.siblings.count, got: path.siblings.count + 1)) {
            try MerkleTree<Fr>.verifyBatch(
                root: tree.root, leafCount: leafCount, leafIndices: [10, 20], rows: [rows[10], rows[20]],
                path: MerkleBatchPath(siblings: path.siblings + [.zero]))
        }
        #expect(throws: MerkleError.duplicateLeafIndex(3)) { try tree.batchAuthenticationPath(leafIndices: [3, 1, 3]) }
        #expect(throws: MerkleError.emptyBatch) { try tree.batchAuthenticationPath(leafIndices: []) }
        #expect(throws: MerkleError.leafIndexOutOfRange(index: 64, leafCount: 64)) {
            try tree.batchAuthenticationPath(leafIndices: [64])
        }
        #expect(throws: MerkleError.rowCountMismatch(indices: 2, rows: 1)) {
            try MerkleTree<Fr>.verifyBatch(
                root: tree.root, leafCount: leafCount, leafIndices: [10, 20], rows: [rows[10]], path: path)
        }
    }
}
