// swift-tools-version:6.0
//
// swift-zkml: zero-knowledge proofs of machine-learning inference, in Swift.
//
// Layering (lower layers never import higher ones; the verifier side never needs the prover side):
//
//   CGMP ── ZKBigInt ── ZKField ── ZKPoly ── ZKSumcheck
//                       ZKParallel (Dispatch chunked loops; used by ZKPoly, ZKMerkle, ZKSumcheck)
//   CSodium ── ZKSodium ──┬── ZKMerkle      (BLAKE2b Merkle trees over rows of field elements)
//                         └── ZKTranscript  (Fiat–Shamir)
//
// C libraries are reached only through `CGMP` (by `ZKBigInt`) and `CSodium` (by `ZKSodium`).

import PackageDescription

/// Settings applied to every Swift target.
let strictSettings: [SwiftSetting] = [
    // SE-0335: `any` is spelled out for existentials, so their cost is visible in hot code.
    .enableUpcomingFeature("ExistentialAny"),
    // SE-0444: a file sees only the members of modules it imports itself.
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "swift-zkml",
    products: [
        // MARK: - Public API
        .library(name: "ZKField", targets: ["ZKField"]),
        .library(name: "ZKPoly", targets: ["ZKPoly"]),
        .library(name: "ZKParallel", targets: ["ZKParallel"]),
        .library(name: "ZKMerkle", targets: ["ZKMerkle"]),
        .library(name: "ZKTranscript", targets: ["ZKTranscript"]),
        .library(name: "ZKSodium", targets: ["ZKSodium"]),
        .library(name: "ZKSumcheck", targets: ["ZKSumcheck"]),
        .library(name: "ZKCommit", targets: ["ZKCommit"]),
        .library(name: "ZKLookup", targets: ["ZKLookup"]),
        .executable(name: "zkml", targets: ["zkml"]),
        .executable(name: "zkml-bench", targets: ["ZKBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - System libraries (module map + shim header; no Swift)
        .systemLibrary(
            name: "CGMP",
            pkgConfig: "gmp",
            providers: [.apt(["libgmp-dev"]), .brew(["gmp"])]
        ),
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]
        ),

        // MARK: - Arithmetic core
        .target(name: "ZKBigInt", dependencies: ["CGMP"], swiftSettings: strictSettings),
        .target(name: "ZKField", dependencies: ["ZKBigInt"], swiftSettings: strictSettings),
        .target(name: "ZKParallel", swiftSettings: strictSettings),
        .target(name: "ZKPoly", dependencies: ["ZKField", "ZKParallel"], swiftSettings: strictSettings),

        // MARK: - Hashing, signatures and Fiat–Shamir
        .target(name: "ZKSodium", dependencies: ["CSodium"], swiftSettings: strictSettings),
        .target(name: "ZKMerkle", dependencies: ["ZKField", "ZKSodium", "ZKParallel"], swiftSettings: strictSettings),
        .target(name: "ZKTranscript", dependencies: ["ZKField", "ZKSodium"], swiftSettings: strictSettings),

        // MARK: - Proof system
        // Binary formats: bounds-checked readers and writers shared by every encoding.
        .target(name: "ZKWire", dependencies: ["ZKField", "ZKSodium"], swiftSettings: strictSettings),
        .target(name: "ZKSumcheck", dependencies: ["ZKField", "ZKPoly", "ZKParallel", "ZKTranscript"], swiftSettings: strictSettings),
        .target(
            name: "ZKCommit", dependencies: ["ZKField", "ZKPoly", "ZKParallel", "ZKMerkle", "ZKTranscript", "ZKSodium"],
            swiftSettings: strictSettings),
        .target(
            name: "ZKLookup", dependencies: ["ZKField", "ZKPoly", "ZKParallel", "ZKSumcheck", "ZKTranscript"],
            swiftSettings: strictSettings),

        // The proof protocol: keys, proof format, relations (prover and verifier halves), prover, verifier.
        .target(
            name: "ZKProtocol",
            dependencies: [
                "ZKField", "ZKPoly", "ZKParallel", "ZKSumcheck", "ZKCommit", "ZKLookup", "ZKCircuit", "ZKTranscript",
                "ZKSodium", "ZKWire",
            ],
            swiftSettings: strictSettings),
        // The circuit: tensors, relations, tables, witness generation and the independent checker.
        .target(name: "ZKCircuit", swiftSettings: strictSettings),

        // MARK: - Executables
        .executableTarget(
            name: "zkml",
            dependencies: [
                "ZKField", "ZKParallel", "ZKCircuit", "ZKProtocol", "ZKTesting", "ZKSodium",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // Benchmarks live under benches/ (see benches/README.md); `benches/run SUITE` builds this in release mode.
        .executableTarget(
            name: "ZKBench",
            dependencies: [
                "ZKBigInt", "ZKField", "ZKParallel", "ZKPoly", "ZKMerkle", "ZKTranscript", "ZKSodium", "CReference",
                "ZKCircuit", "ZKProtocol", "ZKTesting",
            ],
            path: "benches/ZKBench",
            swiftSettings: strictSettings
        ),

        // The C baseline the Swift field is measured against, in the same run (benchmarks only).
        .target(name: "CReference", path: "benches/CReference"),

        // MARK: - Test support and unit tests
        .target(name: "ZKTesting", dependencies: ["ZKField", "ZKBigInt", "ZKCircuit"], swiftSettings: strictSettings),
        .testTarget(name: "ZKBigIntTests", dependencies: ["ZKBigInt", "ZKTesting"], swiftSettings: strictSettings),
        .testTarget(
            name: "ZKFieldTests", dependencies: ["ZKField", "ZKBigInt", "ZKTesting"], swiftSettings: strictSettings),
        .testTarget(name: "ZKSodiumTests", dependencies: ["ZKSodium"], swiftSettings: strictSettings),
        .testTarget(
            name: "ZKPolyTests", dependencies: ["ZKPoly", "ZKParallel", "ZKField", "ZKBigInt", "ZKTesting"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ZKMerkleTests", dependencies: ["ZKMerkle", "ZKField", "ZKSodium", "ZKTesting"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ZKTranscriptTests", dependencies: ["ZKTranscript", "ZKField", "ZKSodium", "ZKTesting"],
            resources: [.copy("Vectors")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ZKCommitTests",
            dependencies: ["ZKCommit", "ZKPoly", "ZKField", "ZKMerkle", "ZKTranscript", "ZKSodium", "ZKTesting"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ZKLookupTests",
            dependencies: ["ZKLookup", "ZKSumcheck", "ZKPoly", "ZKField", "ZKTranscript", "ZKTesting"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ZKProtocolTests",
            dependencies: [
                "ZKProtocol", "ZKCircuit", "ZKField", "ZKCommit", "ZKLookup", "ZKSumcheck", "ZKWire", "ZKSodium", "ZKMerkle",
                "ZKTesting",
            ],
            swiftSettings: strictSettings),
        .testTarget(name: "ZKCircuitTests", dependencies: ["ZKCircuit", "ZKTesting"], swiftSettings: strictSettings),
        .testTarget(
            name: "ZKSumcheckTests", dependencies: ["ZKSumcheck", "ZKPoly", "ZKParallel", "ZKField", "ZKTranscript", "ZKTesting"],
            swiftSettings: strictSettings),
    ]
)
