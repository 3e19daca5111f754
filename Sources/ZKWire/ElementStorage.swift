/// Field elements held in an array, or viewed in place in memory that something else owns and
/// keeps alive (a ``MappedFile``): how a large stored matrix — a proving key's encoded weights —
/// is loaded without copying it.
///
/// Immutable either way; read it through ``withUnsafeBufferPointer(_:)``.
public struct ElementStorage<F: Sendable>: @unchecked Sendable {
    @usableFromInline
    enum Storage {
        case array([F])
        /// `elements` stays valid while `owner` lives.
        case borrowed(elements: UnsafeBufferPointer<F>, owner: AnyObject)
    }

    @usableFromInline let storage: Storage

    public init(_ elements: [F]) { storage = .array(elements) }

    /// Elements in memory kept alive, and never written, by `owner`.
    /// - Precondition: `elements` is initialised, bound to `F` and immutable while `owner` lives.
    public init(unsafeBorrowing elements: UnsafeBufferPointer<F>, owner: AnyObject) {
        storage = .borrowed(elements: elements, owner: owner)
    }

    public var count: Int {
        switch storage {
        case .array(let elements): return elements.count
        case .borrowed(let elements, _): return elements.count
        }
    }

    /// Gives `body` the elements.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<F>) throws -> R) rethrows -> R {
        switch storage {
        case .array(let elements): return try elements.withUnsafeBufferPointer(body)
        case .borrowed(let elements, let owner): return try withExtendedLifetime(owner) { try body(elements) }
        }
    }

    /// Elements `range`, copied; `nil` when they cannot be read. Borrowed from a
    /// ``MappedFile`` they are read from the file (``MappedFile/copyBytes(at:into:)``), which
    /// keeps the mapping's pages out of this process: for scattered small reads of a large
    /// stored matrix.
    /// - Precondition: `range` lies within `0 ..< count`.
    public func elements(_ range: Range<Int>) -> [F]? {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range outside the storage")
        switch storage {
        case .array(let elements): return Array(elements[range])
        case .borrowed(let elements, let owner):
            guard _isPOD(F.self), let file = owner as? MappedFile, let base = elements.baseAddress,
                  let fileBase = file.bytes.baseAddress else {
                return withExtendedLifetime(owner) { Array(elements[range]) }
            }
            let offset = UnsafeRawPointer(base) - fileBase + range.lowerBound * MemoryLayout<F>.stride
            var ok = false
            let out = [F](unsafeUninitializedCapacity: range.count) { buffer, initialized in
                ok = file.copyBytes(at: offset, into: UnsafeMutableRawBufferPointer(buffer))
                initialized = range.count   // F is trivial (any bytes are some value of it)
            }
            return ok ? out : nil
        }
    }

    /// The elements as an array (a copy when borrowed).
    public var array: [F] {
        switch storage {
        case .array(let elements): return elements
        case .borrowed(let elements, let owner): return withExtendedLifetime(owner) { Array(elements) }
        }
    }
}
