internal import ZKParallel
public import ZKSodium

/// How a ``MerkleTree`` spreads its hashing over threads. The tree is identical in every mode.
public enum MerkleBuildMode: Sendable, Hashable {
    /// Parallel chunks on all cores once a level holds enough work (about 64 KiB of leaf data
    /// or 4096 inner nodes); serial below, where thread start-up would cost more than it saves.
    case automatic
    /// Everything on the calling thread.
    case serial
    /// Parallel chunks even for tiny trees (chunks of 2 leaves / nodes); for tests.
    case parallel

    /// Leaves per parallel chunk (`count` itself means one serial chunk).
    @inlinable
    internal func leafChunkSize(leafCount: Int, bytesPerLeaf: Int) -> Int {
        switch self {
        case .serial: return leafCount
        case .parallel: return 2
        case .automatic:
            let bytes = max(bytesPerLeaf, 1)
            if leafCount.multipliedReportingOverflow(by: bytes).partialValue < 1 << 16 { return leafCount }
            return max(1, (1 << 14) / bytes)  // about 16 KiB of preimage per chunk
        }
    }

    /// Nodes per parallel chunk for an inner level of `count` nodes.
    @usableFromInline
    internal func nodeChunkSize(count: Int) -> Int {
        switch self {
        case .serial: return count
        case .parallel: return 2
        case .automatic: return count < 4096 ? count : 1024
        }
    }
}

/// Runs `body` over `0 ..< count` in consecutive ranges of at least `chunkSize` items,
/// concurrently (through ZKParallel, so the task-local thread limit applies) when there is more
/// than one range.
///
/// `body` must be safe to run concurrently on disjoint ranges; every caller in this module
/// writes only the elements of its own range.
@usableFromInline
internal func forEachChunk(count: Int, chunkSize: Int, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    if chunkSize >= count {
        body(0..<count)
        return
    }
    parallelChunks(count: count, minimumChunk: max(1, chunkSize), body: body)
}

/// Fills the inner nodes `nodes[1 ..< leafCount]` of a heap-ordered tree whose leaves
/// `nodes[leafCount ..< 2·leafCount]` are set, one level at a time (each level in parallel
/// chunks).
@usableFromInline
internal func hashInnerLevels(_ nodes: UnsafeMutableBufferPointer<Digest32>, leafCount: Int, mode: MerkleBuildMode) {
    let base = UnsafeSendablePointer(nodes.baseAddress!)
    MerkleHash.nodeDomainTag.withUnsafeBytes { tag in
        let tag = UnsafeSendableRawBuffer(tag)
        var levelStart = leafCount / 2
        while levelStart >= 1 {
            let start = levelStart
            forEachChunk(count: start, chunkSize: mode.nodeChunkSize(count: start)) { range in
                let p = base.pointer!
                for offset in range {
                    let i = start + offset
                    p[i] = Blake2b.hash256(prefix: tag.buffer, p[2 * i], p[2 * i + 1])
                }
            }
            levelStart /= 2
        }
    }
}

/// A pointer handed to worker threads that write disjoint elements (or only read).
///
/// `@unchecked Sendable`: every use splits the index space into disjoint chunks, and the buffer
/// outlives the `concurrentPerform` call that uses it.
@usableFromInline
internal struct UnsafeSendablePointer<T>: @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutablePointer<T>?

    @inlinable
    init(_ pointer: UnsafeMutablePointer<T>?) { self.pointer = pointer }

    @inlinable
    init(_ pointer: UnsafePointer<T>?) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}

/// A read-only byte buffer handed to worker threads (see ``UnsafeSendablePointer``).
@usableFromInline
internal struct UnsafeSendableRawBuffer: @unchecked Sendable {
    @usableFromInline let buffer: UnsafeRawBufferPointer

    @inlinable
    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }
}
