import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How many threads the data-parallel kernels (NTT, folds, eq tables, sumcheck rounds, Merkle
/// hashing) may use.
///
/// Every kernel (NTT stages, multilinear folds, eq tables, sumcheck rounds) splits its work into
/// independent chunks and hands them to `DispatchQueue.concurrentPerform`, which runs them on
/// Dispatch's worker pool (one worker per core) with the calling thread taking part. Results never
/// depend on the thread count: chunks write disjoint outputs and reductions are combined in chunk
/// order.
///
/// The limit is a task-local value, so a benchmark or a test can pin it for one scope without
/// affecting concurrently running code:
///
/// ```swift
/// Parallelism.$threadLimit.withValue(1) { domain.forwardNTT(&values) }   // serial
/// ```
public enum Parallelism {
    /// The number of online processors, read once (`sysconf(_SC_NPROCESSORS_ONLN)`).
    public static let processorCount: Int = {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? Int(n) : 1
    }()

    /// An upper bound on the threads used by kernels started in the current task; `nil` means one
    /// per processor. Values above ``processorCount`` are clamped to it.
    @TaskLocal public static var threadLimit: Int? = nil

    /// The number of threads kernels started here will use: `min(threadLimit, processorCount)`, at least 1.
    public static var threadCount: Int {
        max(1, min(threadLimit ?? processorCount, processorCount))
    }

    /// Chunks per thread when a loop is split: more chunks than threads keeps both cores busy when
    /// one of them is shared with other work, at a cost of a few microseconds per chunk.
    public static let chunksPerThread = 4
}

/// Carries a value that is not `Sendable` (a closure capturing unsafe pointers, a pointer) into
/// `concurrentPerform`'s `@Sendable` closure. Sound here because every use writes disjoint memory
/// and `concurrentPerform` returns only after all iterations finish.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    @inlinable public init(_ value: Value) { self.value = value }
}

/// The number of chunks ``parallelChunks(count:minimumChunk:body:)`` splits `count` items into:
/// 1 when only one thread is available or the work is too small, otherwise
/// `min(threads · chunksPerThread, count / minimumChunk)`.
@inlinable
public func parallelChunkCount(count: Int, minimumChunk: Int) -> Int {
    let threads = Parallelism.threadCount
    guard threads > 1, count >= 2 * max(1, minimumChunk) else { return 1 }
    return max(1, min(threads * Parallelism.chunksPerThread, count / max(1, minimumChunk)))
}

/// The `index`-th of `chunks` near-equal contiguous pieces of `0..<count`.
@inlinable @inline(__always)
public func chunkRange(_ index: Int, of chunks: Int, count: Int) -> Range<Int> {
    let base = count / chunks, extra = count % chunks
    let start = index * base + min(index, extra)
    return start..<(start + base + (index < extra ? 1 : 0))
}

/// Runs `body` over contiguous, disjoint ranges covering `0..<count`, concurrently on up to
/// ``Parallelism/threadCount`` threads. Ranges hold at least `minimumChunk` items (except when the
/// whole loop is smaller), so small loops run inline on the calling thread with no dispatch cost.
///
/// `body` may run concurrently with itself: it must only write to locations owned by its range.
@inlinable
public func parallelChunks(count: Int, minimumChunk: Int, body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = parallelChunkCount(count: count, minimumChunk: minimumChunk)
    if chunks == 1 {
        body(0..<count)
        return
    }
    withoutActuallyEscaping(body) { body in
        let box = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            box.value(chunkRange(c, of: chunks, count: count))
        }
    }
}

/// Like ``parallelChunks(count:minimumChunk:body:)``, collecting one result per chunk, in range
/// order (so a reduction over the results is deterministic for a given chunk count).
@inlinable
public func parallelMapChunks<T>(count: Int, minimumChunk: Int, body: (Range<Int>) -> T) -> [T] {
    guard count > 0 else { return [] }
    let chunks = parallelChunkCount(count: count, minimumChunk: minimumChunk)
    if chunks == 1 { return [body(0..<count)] }
    return [T](unsafeUninitializedCapacity: chunks) { buffer, initialized in
        let base = UncheckedSendable(buffer.baseAddress!)
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                (base.value + c).initialize(to: box.value(chunkRange(c, of: chunks, count: count)))
            }
        }
        initialized = chunks
    }
}

/// Schedules an **in-place halving pass**: a loop that writes output `i` from inputs at `2i` and
/// `2i + 1` (or any positions in `[k·i, k·(i+1))`, `k ≥ 2`) of the *same* buffer, such as a
/// multilinear fold. Run serially in increasing `i` this is safe (outputs never overwrite unread
/// inputs); naive parallel chunks are not (chunk 0 reads what chunk 1 writes).
///
/// The schedule: outputs `[0, m)` run serially, then outputs `[m, 2m)`, `[2m, 4m)`, `[4m, 8m)`, …,
/// each wave split in parallel. A wave `[a, 2a)` reads inputs `[2a, 4a)`, which no earlier wave
/// wrote (they wrote `[0, a)`) and which this wave does not write; the wave's writes `[a, 2a)`
/// only clobber inputs of outputs `[a/2, a)`, all finished. Returns the per-range results in order.
@inlinable
public func inPlaceHalvingMap<T>(outputCount: Int, minimumChunk: Int, body: (Range<Int>) -> T) -> [T] {
    guard outputCount > 0 else { return [] }
    let first = min(outputCount, max(1, minimumChunk))
    var results = [body(0..<first)]
    var start = first
    while start < outputCount {
        let end = min(outputCount, 2 * start)
        let wave = parallelMapChunks(count: end - start, minimumChunk: minimumChunk) { r in
            body((start + r.lowerBound)..<(start + r.upperBound))
        }
        results += wave
        start = end
    }
    return results
}
