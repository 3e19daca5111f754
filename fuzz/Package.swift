// swift-tools-version:6.0
//
// The libFuzzer executables of swift-zkml: one per fuzz target, each a thin
// `LLVMFuzzerTestOneInput` around a function of the root package's `ZKFuzzTargets` module
// (Sources/ZKFuzzTargets), which also runs in the CI smoke test (Tests/ZKFuzzTests).
//
// A separate package so that the sanitizer build has its own build directory (fuzz/.build) and
// never touches the main one. Build and run through `scripts/fuzz TARGET [SECONDS]` (fuzz/README.md);
// by hand:
//
//     swift build -c release --package-path fuzz --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address
//     ASAN_OPTIONS=detect_leaks=0 fuzz/.build/release/FuzzVerificationKey fuzz/corpus/verification-key
//
// `--sanitize=fuzzer` (SwiftPM 6.2 and later) compiles with -parse-as-library and leaves `main` to
// libFuzzer; why ASan comes through -Xswiftc is explained in scripts/fuzz. Built without
// `--sanitize=fuzzer` the executables do not link (no `main`): they are only fuzzers.

import PackageDescription

/// The executables, one per target (scripts/fuzz maps target names to them).
let fuzzers = [
    "FuzzVerificationKey", "FuzzProof", "FuzzCompiledModel", "FuzzProvingKey", "FuzzONNX",
]

let package = Package(
    name: "swift-zkml-fuzz",
    dependencies: [
        // The root package, by path; `name:` because a path dependency's identity is its directory
        // name, which differs between checkouts.
        .package(name: "swift-zkml", path: ".."),
    ],
    targets: fuzzers.map { name in
        .executableTarget(
            name: name,
            dependencies: [.product(name: "ZKFuzzTargets", package: "swift-zkml")])
    }
)
