public import ZKField
public import ZKSodium

/// The two hash functions of every Merkle tree in this package: one for leaves, one for inner
/// nodes, both BLAKE2b-256 and domain-separated so that a leaf can never be passed off as a node
/// (the second-preimage attack on untagged trees) and two rows of different lengths can never
/// hash alike.
///
/// Byte layout (part of the proof format; `u64le(n)` is `n` as 8 bytes, little-endian):
///
/// ```text
/// leaf(row) = BLAKE2b-256( "zkml.merkle.leaf.v1"            19 bytes, ASCII
///                          || u64le(row.count)               number of field elements
///                          || encode(row[0]) || ... || encode(row[n-1]) )
///                                                            canonical encodings, each
///                                                            F.encodedByteCount bytes (32 for Fr,
///                                                            little-endian integer)
/// node(l, r) = BLAKE2b-256( "zkml.merkle.node.v1" || l || r ) 19 + 32 + 32 = 83 bytes
/// ```
///
/// The two tags have the same length and differ, so no leaf preimage is a node preimage: a
/// node preimage is exactly 83 bytes starting with the node tag, a leaf preimage starts with the
/// leaf tag. A node input fits one BLAKE2b block (one compression). The inner-node hash does not
/// include the level: the tree shape is fixed by `leafCount`, which the verifier takes from its
/// parameters, never from the proof.
public enum MerkleHash {
    /// Domain tag opening every leaf preimage.
    public static let leafDomainTag: [UInt8] = Array("zkml.merkle.leaf.v1".utf8)
    /// Domain tag opening every inner-node preimage.
    public static let nodeDomainTag: [UInt8] = Array("zkml.merkle.node.v1".utf8)

    /// The inner-node hash of two children.
    public static func node(_ left: Digest32, _ right: Digest32) -> Digest32 {
        nodeDomainTag.withUnsafeBytes { Blake2b.hash256(prefix: $0, left, right) }
    }

    /// The leaf hash of a row of field elements.
    @inlinable
    public static func leaf<F: FiniteField>(_ row: some Collection<F>) -> Digest32 {
        var scratch = [UInt8]()
        var iterator = row.makeIterator()
        return leaf(count: row.count, scratch: &scratch) { _ in iterator.next()! }
    }

    /// The leaf hash of `count` elements produced in order by `element(k)`, `k = 0 ..< count`,
    /// assembled in `scratch` (whose capacity is reused across calls: the hot path allocates once
    /// per thread, not per leaf).
    @inlinable @inline(__always)
    public static func leaf<F: FiniteField>(
        count: Int, scratch: inout [UInt8], element: (Int) -> F
    ) -> Digest32 {
        scratch.removeAll(keepingCapacity: true)
        scratch.reserveCapacity(leafDomainTag.count + 8 + count * F.encodedByteCount)
        scratch.append(contentsOf: leafDomainTag)
        let n = UInt64(count)
        for k in 0..<8 { scratch.append(UInt8(truncatingIfNeeded: n >> UInt64(8 * k))) }
        for k in 0..<count { element(k).encode(into: &scratch) }
        return scratch.withUnsafeBytes { Blake2b.hash256($0) }
    }
}
