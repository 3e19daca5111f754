public import ZKSodium

/// The authentication path of one leaf: its sibling at every level, bottom-up.
///
/// For a tree of `2^d` leaves the path has `d` siblings; `siblings[0]` is the leaf's neighbour
/// (index `leafIndex ^ 1`), `siblings[k]` the neighbour of its ancestor at height `k`. Whether a
/// sibling sits left or right follows from bit `k` of the leaf index, so the path stores no
/// direction bits.
public struct MerklePath: Hashable, Sendable {
    /// Sibling digests from the leaf level up to just below the root.
    public var siblings: [Digest32]

    @inlinable
    public init(siblings: [Digest32]) { self.siblings = siblings }
}

/// Sibling digests that authenticate several leaves at once, sharing the nodes their paths have
/// in common (a Ligero opening queries ~150 columns, whose paths overlap near the root).
///
/// Order (both sides derive it, so it is not stored): level by level from the leaves up; within
/// a level, by increasing position among the nodes whose value is known at that level (opened
/// leaves first, then recomputed parents). A known node whose sibling is also known consumes
/// nothing; otherwise the next digest of ``siblings`` is its sibling.
public struct MerkleBatchPath: Hashable, Sendable {
    /// The sibling digests, in the order described above.
    public var siblings: [Digest32]

    @inlinable
    public init(siblings: [Digest32]) { self.siblings = siblings }
}
