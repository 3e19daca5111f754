import ZKParallel
public import ZKField

/// Below this many output elements a fold runs on the calling thread.
@usableFromInline let foldParallelThreshold = 1 << 12

/// A multilinear polynomial in `n` variables, stored densely by its `2^n` values on the boolean
/// hypercube `{0,1}^n`.
///
/// **The maths.** Every function `f: {0,1}^n → 𝔽` has exactly one extension to `𝔽^n` that is of
/// degree at most 1 in each variable, its *multilinear extension* (MLE)
/// `f̃(r) = Σ_{x ∈ {0,1}^n} eq(r, x) · f(x)` with `eq(r, x) = Π_j (r_j x_j + (1 − r_j)(1 − x_j))`
/// (see ``eqTable(point:)``). Sumcheck-based provers commit to tensors as such tables and reduce
/// every claim to evaluations of `f̃` at random points.
///
/// **Variable order (the convention of the whole project).** The table index of a point
/// `x = (x_1, …, x_n)` is `i = Σ_j x_j · 2^(j−1)`: **`x_1` is the lowest bit** of the index and
/// `x_n` the highest. So a point's coordinates are listed lowest bit first, and
/// `evaluations[i] == f̃(bit 0 of i, bit 1 of i, …, bit n−1 of i)`.
/// Consequently fixing the *first* variable pairs adjacent entries:
///
///     f̃(r, x_2, …, x_n) at index i  =  f[2i] + r · (f[2i+1] − f[2i])     (i < 2^(n−1)),
///
/// which is what a sumcheck round does with its challenge, and which touches memory linearly.
/// A row-major tensor of shape `[rows, cols]` (both powers of two) is then an MLE whose first
/// `log₂ cols` variables index the column and the last `log₂ rows` the row.
public struct DenseMultilinearExtension<F: FiniteField>: Sendable, Equatable {
    /// The table; only mutated by operations that keep its length a power of two.
    @usableFromInline internal var storage: [F]

    /// The `2^numVariables` values on the hypercube, index `i = Σ_j x_j 2^(j−1)`.
    @inlinable
    public var evaluations: [F] { storage }
    /// `n`.
    @inlinable
    public var numVariables: Int { storage.count.trailingZeroBitCount }

    /// The MLE with the given table.
    /// - Precondition: `evaluations.count` is a power of two (`2^0 = 1` is the constant polynomial).
    @inlinable
    public init(evaluations: [F]) {
        let n = evaluations.count
        precondition(n > 0 && n & (n - 1) == 0, "an MLE table needs a power-of-two length, got \(n)")
        self.storage = evaluations
    }

    /// The MLE of `values` zero-padded to the next power of two (or to `2^numVariables` when given):
    /// how a tensor of arbitrary length enters a proof (entries past the end are 0).
    @inlinable
    public init(paddingWithZeros values: [F], numVariables: Int? = nil) {
        let count = numVariables.map { 1 << $0 } ?? nextPowerOfTwo(values.count)
        self.init(evaluations: zeroPadded(values, toCount: count))
    }

    /// The number of table entries, `2^numVariables`.
    @inlinable
    public var count: Int { storage.count }

    /// Fixes `x_1 = r`, leaving an MLE in `x_2, …, x_n` (half the size, computed in place).
    /// - Precondition: `numVariables ≥ 1`.
    @inlinable
    public mutating func fixFirstVariable(_ r: F) {
        precondition(numVariables >= 1, "no variable left to fix")
        let half = foldFirstVariable(&storage, count: storage.count, challenge: r)
        storage.removeLast(storage.count - half)
    }

    /// `f̃(point)` for `point = (r_1, …, r_n)` (lowest-bit variable first), by folding one variable
    /// at a time: `2^n − 1` multiplications, no allocation beyond one half-size copy.
    /// - Precondition: `point.count == numVariables`.
    @inlinable
    public func evaluate(at point: [F]) -> F {
        precondition(point.count == numVariables, "point has \(point.count) coordinates, MLE has \(numVariables) variables")
        guard numVariables > 0 else { return storage[0] }
        // The first fold reads `self` and writes a fresh half-size buffer; the rest fold in place.
        var scratch = [F](unsafeUninitializedCapacity: count / 2) { buffer, initialized in
            storage.withUnsafeBufferPointer { src in
                foldInto(source: src.baseAddress!, destination: buffer.baseAddress!, outputCount: count / 2, challenge: point[0])
            }
            initialized = count / 2
        }
        var size = count / 2
        for r in point.dropFirst() {
            size = foldFirstVariable(&scratch, count: size, challenge: r)
        }
        return scratch[0]
    }
}

extension DenseMultilinearExtension where F: PrimeField {
    /// `f̃(point)` at a point of a challenge field `E ⊇ F` (for a base field smaller than the
    /// challenge field): the first fold maps `F → E` with `E × F` products, the rest are in `E`.
    @inlinable
    public func evaluate<E: ExtensionField>(at point: [E]) -> E where E.BaseField == F {
        precondition(point.count == numVariables, "point has \(point.count) coordinates, MLE has \(numVariables) variables")
        guard numVariables > 0 else { return E(base: storage[0]) }
        let r = point[0]
        var lifted = [E](unsafeUninitializedCapacity: count / 2) { buffer, initialized in
            let out = buffer.baseAddress!
            storage.withUnsafeBufferPointer { src in
                let s = src.baseAddress!
                parallelChunks(count: count / 2, minimumChunk: foldParallelThreshold) { range in
                    for i in range {
                        let a = s[2 * i], b = s[2 * i + 1]
                        (out + i).initialize(to: E(base: a) + r * (b - a))
                    }
                }
            }
            initialized = count / 2
        }
        var size = count / 2
        for r in point.dropFirst() {
            size = foldFirstVariable(&lifted, count: size, challenge: r)
        }
        return lifted[0]
    }
}

// MARK: - Folding kernels

/// Folds the table `values[0 ..< count]` by fixing its first (lowest-bit) variable to `r`, in place:
/// `values[i] = values[2i] + r · (values[2i+1] − values[2i])` for `i < count/2`. Returns the new
/// count `count/2`; entries from there on are left as they were. One multiplication per output;
/// parallel (``inPlaceHalvingMap(outputCount:minimumChunk:body:)``) above a threshold.
/// - Precondition: `count` is an even number `≤ values.count`.
@inlinable
@discardableResult
public func foldFirstVariable<F: FiniteField>(_ values: inout [F], count: Int, challenge r: F) -> Int {
    precondition(count >= 2 && count % 2 == 0 && count <= values.count, "fold needs an even count ≥ 2 within the table")
    let half = count / 2
    values.withUnsafeMutableBufferPointer { buffer in
        let p = buffer.baseAddress!
        _ = inPlaceHalvingMap(outputCount: half, minimumChunk: foldParallelThreshold) { range in
            foldRange(source: p, destination: p, range: range, challenge: r)
        }
    }
    return half
}

/// Out-of-place fold: `destination[i] = source[2i] + r·(source[2i+1] − source[2i])` for
/// `i < outputCount`; the buffers must not overlap. Parallel above a threshold.
@inlinable
public func foldInto<F: FiniteField>(
    source: UnsafePointer<F>, destination: UnsafeMutablePointer<F>, outputCount: Int, challenge r: F
) {
    parallelChunks(count: outputCount, minimumChunk: foldParallelThreshold) { range in
        foldRange(source: source, destination: destination, range: range, challenge: r)
    }
}

@inlinable @inline(__always)
internal func foldRange<F: FiniteField>(
    source s: UnsafePointer<F>, destination d: UnsafeMutablePointer<F>, range: Range<Int>, challenge r: F
) {
    for i in range {
        let a = s[2 * i], b = s[2 * i + 1]
        d[i] = a + r * (b - a)
    }
}

/// `values` followed by zeros up to `count` entries (how tensors fill power-of-two slots).
/// - Precondition: `values.count ≤ count`.
@inlinable
public func zeroPadded<F: FiniteField>(_ values: [F], toCount count: Int) -> [F] {
    precondition(values.count <= count, "cannot pad \(values.count) values into \(count) slots")
    var out = values
    out.reserveCapacity(count)
    out.append(contentsOf: repeatElement(F.zero, count: count - values.count))
    return out
}
