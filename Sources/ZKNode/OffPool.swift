import Dispatch

/// Runs CPU-heavy work (proving, verifying, compiling) on a Dispatch thread instead of a thread of
/// Swift's cooperative pool, which has only one thread per core and also serves HTTP.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
            continuation.resume(with: Result { try work() })
        }
    }
}
