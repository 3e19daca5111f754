import Dispatch

/// Runs CPU-heavy work (proving, verifying, compiling) on a Dispatch thread instead of a thread of
/// Swift's cooperative pool, which has only one thread per core and also serves HTTP.
package func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
            continuation.resume(with: Result { try work() })
        }
    }
}

extension Duration {
    /// The duration in nanoseconds (for swift-metrics timers).
    package var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
