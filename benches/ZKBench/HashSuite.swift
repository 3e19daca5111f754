import ZKField
import ZKMerkle
import ZKParallel
import ZKSodium
import ZKTranscript

/// Suite `hash`: BLAKE2b on a Merkle node's 64 bytes, Merkle trees over rows of field elements
/// (all cores and one thread), and a transcript absorb-and-challenge step.
func runHashSuite(_ reporter: Reporter) {
    var rng = BenchRandom(seed: 3)
    let threads = Parallelism.threadCount

    let block = (0..<64).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let count = 200_000
    let single = measure(runs: 11, n: count) {
        block.withUnsafeBytes { raw in
            for _ in 0..<count { blackHole(Blake2b.hash256(raw)) }
        }
    }
    reporter.report(BenchResult(
        suite: "hash", name: "blake2b_64B", medianNs: single.median, minNs: single.min, maxNs: single.max,
        n: count, runs: 11, threads: 1))

    // 2^16 leaves, each a row of 16 Fr elements (a Ligero column of a 16-row matrix): one leaf hash
    // over 8 + 512 bytes per row and 2^16 − 1 node hashes.
    let rows = 1 << 16, width = 16
    let flat = (0..<(rows * width)).map { _ in BN254Fr.random(using: &rng) }
    for (name, limit) in [("merkle_2^16_rows", nil as Int?), ("merkle_2^16_rows_1t", 1)] {
        let m = Parallelism.$threadLimit.withValue(limit) {
            measure(runs: 7, n: 1) { blackHole(try! MerkleTree(flatRows: flat, rowWidth: width)) }
        }
        reporter.report(BenchResult(
            suite: "hash", name: name, medianNs: m.median, minNs: m.min, maxNs: m.max, n: 1, runs: 7,
            threads: limit ?? threads,
            extra: [("median_ms", number(m.median / 1e6, decimals: 2)), ("row_elements", .integer(width)),
                    ("ns_per_row", number(m.median / Double(rows), decimals: 1))]))
    }

    let elements = (0..<2).map { _ in BN254Fr.random(using: &rng) }
    let steps = 20_000
    let transcript = measure(runs: 11, n: steps) {
        var t = Transcript(protocolLabel: "bench")
        for _ in 0..<steps {
            t.absorb(label: "round", elements: elements)
            blackHole(t.challenge(label: "r", as: BN254Fr.self))
        }
    }
    reporter.report(BenchResult(
        suite: "hash", name: "transcript_absorb2_challenge", medianNs: transcript.median, minNs: transcript.min,
        maxNs: transcript.max, n: steps, runs: 11, threads: 1))
}
