internal import CSodium

/// libsodium must be initialised once per process before any other call (`sodium_init`), which
/// picks the fastest implementations for this CPU and seeds the random-number generator.
///
/// A global `let` is initialised lazily and exactly once, under a lock, by the Swift runtime
/// (`swift_once`), so every entry point of this module simply evaluates ``sodiumReady`` first.
/// `sodium_init` returns 0 on first success, 1 if it had already run and −1 on failure; failure
/// means the process cannot obtain entropy, which no caller can recover from.
internal let sodiumReady: Void = {
    guard sodium_init() >= 0 else { fatalError("libsodium could not be initialised (no entropy source?)") }
}()

/// Overwrites `count` bytes at `pointer` with zeros in a way the optimiser may not remove.
@inline(__always)
internal func secureZero(_ pointer: UnsafeMutableRawPointer, count: Int) {
    sodium_memzero(pointer, count)
}
