import Foundation
import Testing
import ZKCircuit
import ZKCompiler
import ZKField
import ZKFuzzTargets
import ZKONNX
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// The CI smoke of the fuzz targets (fuzz/README.md): every seed in `fuzz/corpus/TARGET/` and
/// every reproducer in `fuzz/regressions/TARGET/` through its target, then a few thousand
/// deterministic mutations of them. A crash here is a crash libFuzzer would report.
/// Reproducers under `fuzz/regressions/pending/` (bugs found but not fixed yet) are skipped.
@Suite("Fuzz targets: replay and mutate")
struct FuzzSmokeTests {
    static let names = FuzzTargets.all.map(\.name)

    @Test(arguments: names)
    func replaysSeedsAndRegressions(_ name: String) throws {
        let run = try #require(FuzzTargets.target(named: name))
        let seeds = FuzzFiles.files(in: "corpus/\(name)")
        #expect(!seeds.isEmpty, "no seeds in fuzz/corpus/\(name)")
        for file in seeds + FuzzFiles.files(in: "regressions/\(name)") {
            run(try FuzzFiles.read(file))
        }
    }

    /// Mutations per target: about two seconds of CPU each in a debug build. The proof target
    /// verifies every proof that still decodes (about 50 ms each, debug), hence far fewer.
    static let mutationCounts = [
        "verification-key": 5000, "proof": 150, "compiled-model": 5000, "proving-key": 1500, "onnx": 5000,
    ]

    @Test(arguments: names)
    func survivesMutations(_ name: String) throws {
        let run = try #require(FuzzTargets.target(named: name))
        let pool = try FuzzFiles.files(in: "corpus/\(name)").map(FuzzFiles.read)
        try #require(!pool.isEmpty)
        var rng = SeededGenerator(seed: name.utf8.reduce(0xf022 as UInt64) { $0 &* 31 &+ UInt64($1) })
        // ZKML_FUZZ_SMOKE_SAVE=DIR: each input is written to DIR/smoke-TARGET before it runs, so
        // the input of a crash is left there (to save under fuzz/regressions/TARGET/).
        let save = ProcessInfo.processInfo.environment["ZKML_FUZZ_SMOKE_SAVE"].map {
            URL(fileURLWithPath: $0).appendingPathComponent("smoke-\(name)")
        }
        for _ in 0..<(Self.mutationCounts[name] ?? 1000) {
            let seed = pool[Int(rng.next() % UInt64(pool.count))]
            let input = Mutator.mutate(seed, pool: pool, using: &rng)
            if let save { try FuzzFiles.write(input, to: save) }
            run(input)
        }
    }

    /// The committed honest proofs still verify against the in-process example keys (else the
    /// proof target would only ever explore rejections): regenerate with `scripts/fuzz-seeds`.
    @Test func honestProofSeedsVerify() throws {
        for example in FuzzExample.all {
            let bytes = try FuzzFiles.read(FuzzFiles.root.appendingPathComponent("fuzz/corpus/proof/honest-\(example.name).zkpf"))
            let proof = try Proof<Fr>(decoding: bytes, verificationKey: example.verificationKey)
            try Verifier.verify(proof, verificationKey: example.verificationKey, field: Fr.self)
        }
    }

    /// The committed honest proving keys still decode, also after the target's checksum rewrite
    /// (which must agree with ProvingKey+Wire.swift's).
    @Test func honestProvingKeySeedsDecode() throws {
        for example in FuzzExample.all {
            let bytes = try FuzzFiles.read(
                FuzzFiles.root.appendingPathComponent("fuzz/corpus/proving-key/honest-\(example.name).zkpk"))
            #expect(ProvingKeyTarget.withChecksum(bytes) == bytes)
            let key = try ProvingKey<Fr>(decoding: bytes)
            #expect(key.verificationKey.modelID == example.verificationKey.modelID)
        }
    }

    /// Writes the seeds that come from the example keys (honest proofs, proving and verification
    /// keys) and from the ONNX test fixtures (the models, and the compiled models of those that
    /// compile); run by `scripts/fuzz-seeds` with `ZKML_WRITE_FUZZ_SEEDS=1`, a no-op otherwise.
    /// (The zoo's keys and compiled models come from the `zkml` command, in the script.)
    @Test func writeExampleSeeds() throws {
        guard ProcessInfo.processInfo.environment["ZKML_WRITE_FUZZ_SEEDS"] == "1" else { return }
        let corpus = FuzzFiles.root.appendingPathComponent("fuzz/corpus")
        for example in FuzzExample.all {
            let witness = try WitnessBuilder.build(circuit: example.circuit, known: example.known)
            let proof = try Prover.prove(provingKey: example.provingKey, witness: witness)
            try FuzzFiles.write(proof.encoded(), to: corpus.appendingPathComponent("proof/honest-\(example.name).zkpf"))
            try FuzzFiles.write(
                example.provingKey.encoded(), to: corpus.appendingPathComponent("proving-key/honest-\(example.name).zkpk"))
            try FuzzFiles.write(
                example.verificationKey.encoded(),
                to: corpus.appendingPathComponent("verification-key/example-\(example.name).zkvk"))
        }
        let fixtures = FuzzFiles.root.appendingPathComponent("Tests/ZKONNXTests/Fixtures")
        let models = FileManager.default.enumerator(at: fixtures, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "onnx" }.sorted { $0.path < $1.path }
        for url in models {
            let bytes = try FuzzFiles.read(url)
            guard bytes.count <= 1 << 16 else { continue }
            // Tests/ZKONNXTests/Fixtures/onnx-node/test_add/model.onnx → fixture-onnx-node-test_add.onnx
            let parts = url.path.dropFirst(fixtures.path.count + 1).split(separator: "/").dropLast()
            let name = "fixture-" + parts.joined(separator: "-")
            try FuzzFiles.write(bytes, to: corpus.appendingPathComponent("onnx/\(name).onnx"))
            guard let graph = try? ONNXImporter().importModel(bytes: bytes).graph,
                  let samples = ONNXTarget.calibrationSamples(for: graph),
                  let compiled = try? Compiler.compile(graph, calibration: samples) else { continue }
            let encoded = compiled.encoded()
            if encoded.count <= 1 << 16 {
                try FuzzFiles.write(encoded, to: corpus.appendingPathComponent("compiled-model/\(name).zkcm"))
            }
        }
    }
}

/// The fuzz folders of the repository.
enum FuzzFiles {
    /// The repository root (this file is Tests/ZKFuzzTests/FuzzSmokeTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The regular files under `fuzz/RELATIVE` (recursively, hidden files excluded), sorted; none
    /// when the folder does not exist.
    static func files(in relative: String) -> [URL] {
        let folder = root.appendingPathComponent("fuzz/\(relative)")
        guard let walk = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else { return [] }
        return walk.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .filter { !$0.lastPathComponent.hasSuffix(".md") }
            .sorted { $0.path < $1.path }
    }

    static func read(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

    static func write(_ bytes: [UInt8], to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }
}

/// Deterministic byte mutations in the spirit of libFuzzer's: bit flips, random and "interesting"
/// bytes and integers (counts at and just past limits, sign bits, 2^24), truncation, deletion,
/// duplication, insertion and splicing with another seed. Positions favour the first 512 bytes,
/// where the headers, counts and shapes of every format are.
enum Mutator {
    static let interesting32: [UInt32] = [
        0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256, 1 << 12, 1 << 16, (1 << 16) + 1, 1 << 20,
        1 << 24, (1 << 24) + 1, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff,
    ]
    static let interesting64: [UInt64] = [
        0, 1, 0x7fff_ffff_ffff_ffff, 0x8000_0000_0000_0000, 0xffff_ffff_ffff_ffff, 1 << 24, 1 << 32, 1 << 62,
        0x7ff0_0000_0000_0000, 0xfff8_0000_0000_0000,   // +inf, NaN
    ]

    static func mutate(_ seed: [UInt8], pool: [[UInt8]], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = seed
        func position(_ width: Int = 1) -> Int? {
            guard bytes.count >= width else { return nil }
            let span = bytes.count - width + 1
            return rng.next() % 2 == 0 ? Int(rng.next() % UInt64(min(span, 512))) : Int(rng.next() % UInt64(span))
        }
        func store<I: FixedWidthInteger>(_ value: I) {
            guard let p = position(MemoryLayout<I>.size) else { return }
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(p..<(p + $0.count), with: $0) }
        }
        for _ in 0..<(1 + Int(rng.next() % 3)) {
            switch rng.next() % 10 {
            case 0: if let p = position() { bytes[p] ^= 1 << UInt8(rng.next() % 8) }
            case 1: if let p = position() { bytes[p] = UInt8(truncatingIfNeeded: rng.next()) }
            case 2, 3:
                let v = interesting32[Int(rng.next() % UInt64(interesting32.count))]
                store(rng.next() % 4 == 0 ? v &+ UInt32(truncatingIfNeeded: rng.next() % 3) &- 1 : v)
            case 4: store(interesting64[Int(rng.next() % UInt64(interesting64.count))])
            case 5: store(UInt16(truncatingIfNeeded: interesting32[Int(rng.next() % UInt64(interesting32.count))]))
            case 6: if !bytes.isEmpty { bytes.removeLast(Int(rng.next() % UInt64(bytes.count))) }
            case 7:
                if let p = position() {
                    bytes.removeSubrange(p..<min(bytes.count, p + 1 + Int(rng.next() % 16)))
                }
            case 8:
                if let p = position() {
                    let chunk = Array(bytes[p..<min(bytes.count, p + 1 + Int(rng.next() % 64))])
                    let at = Int(rng.next() % UInt64(bytes.count + 1))
                    bytes.insert(contentsOf: chunk, at: at)
                }
            default:
                let other = pool[Int(rng.next() % UInt64(pool.count))]
                guard !other.isEmpty, !bytes.isEmpty else { break }
                let cut = Int(rng.next() % UInt64(bytes.count)), from = Int(rng.next() % UInt64(other.count))
                bytes = Array(bytes[..<cut]) + other[from...]
            }
        }
        return bytes
    }
}
