/// The bodies of the coverage-guided fuzz targets (fuzz/README.md): each takes arbitrary bytes and
/// must return normally whatever they hold. A decoder that refuses the bytes with its typed error
/// is doing its job; a trap (an overflow, an out-of-range index, a failed precondition) is a bug,
/// and so is a broken invariant that a target checks after a successful decode (``fuzzFailure(_:)``).
///
/// The libFuzzer executables (the separate package in fuzz/) and the replay-and-mutate smoke test
/// (Tests/ZKFuzzTests) call these functions and nothing else, so a crash found by one replays in
/// the other.
public enum FuzzTargets {
    /// Inputs longer than this are ignored (returned from at once), to bound the work per input.
    public static let maximumInputSize = 1 << 20

    /// Every target by name: the names of the executables' corpus and regression folders
    /// (`fuzz/corpus/NAME`, `fuzz/regressions/NAME`) and of `scripts/fuzz NAME`.
    public static let all: [(name: String, run: @Sendable ([UInt8]) -> Void)] = [
        (VerificationKeyTarget.name, VerificationKeyTarget.run),
        (ProofTarget.name, ProofTarget.run),
        (CompiledModelTarget.name, CompiledModelTarget.run),
        (ProvingKeyTarget.name, ProvingKeyTarget.run),
        (ONNXTarget.name, ONNXTarget.run),
    ]

    /// The target called `name`, if there is one.
    public static func target(named name: String) -> (@Sendable ([UInt8]) -> Void)? {
        all.first { $0.name == name }?.run
    }
}

/// Stops the process with a message that says which invariant broke: how a target reports a bug
/// that is not a trap (a decoded object that does not re-encode, an accepted forgery). libFuzzer
/// records the input like any other crash.
func fuzzFailure(_ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("fuzz invariant broken: \(message())", file: file, line: line)
}
