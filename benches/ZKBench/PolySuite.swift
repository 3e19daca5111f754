import ZKField
import ZKParallel
import ZKPoly
import ZKTranscript

/// Suite `poly`: NTT, multilinear folds, eq tables and the product sumcheck, each on all cores
/// and on one thread (`_1t`), with the multiplication-count bound measured in the same run:
/// `bound = multiplications × fr_mul_throughput`, `ratio_to_bound = median / bound` (one thread).
func runPolySuite(_ reporter: Reporter) {
    var rng = BenchRandom(seed: 2)
    let threads = Parallelism.threadCount

    // Throughput of one multiplication, to express the kernels against their multiplication count.
    let width = 4096
    let a = (0..<width).map { _ in BN254Fr.random(using: &rng) }
    let b = (0..<width).map { _ in BN254Fr.random(using: &rng) }
    var c = [BN254Fr](repeating: .zero, count: width)
    let mulNs = measure(runs: 11, n: width * 200) {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
            for _ in 0..<200 { for i in 0..<width { c[i] = a[i] * b[i] } }
        } } }
        blackHole(c)
    }.median

    /// Reports `name` (all threads) and `name_1t` (one thread) for a whole-kernel body.
    func pair(_ name: String, runs: Int, multiplications: Double, extra: [(String, BenchValue)] = [],
              prepare: () -> Void = {}, _ body: @escaping () -> Void) {
        let all = measure(runs: runs, n: 1, body)
        let one = Parallelism.$threadLimit.withValue(1) { measure(runs: runs, n: 1, body) }
        let bound = multiplications * mulNs
        reporter.report(BenchResult(
            suite: "poly", name: name, medianNs: all.median, minNs: all.min, maxNs: all.max, n: 1, runs: runs,
            threads: threads,
            extra: extra + [("median_ms", number(all.median / 1e6, decimals: 2)),
                            ("speedup_vs_1_thread", number(one.median / all.median, decimals: 2))]))
        reporter.report(BenchResult(
            suite: "poly", name: name + "_1t", medianNs: one.median, minNs: one.min, maxNs: one.max, n: 1,
            runs: runs, threads: 1,
            extra: extra + [("median_ms", number(one.median / 1e6, decimals: 2)),
                            ("mul_bound_ms", number(bound / 1e6, decimals: 2)),
                            ("ratio_to_bound", number(one.median / bound, decimals: 2))]))
    }

    for logSize in [16, 20] {
        let n = 1 << logSize
        let domain = EvaluationDomain<BN254Fr>(logSize: logSize)
        let input = (0..<n).map { _ in BN254Fr.random(using: &rng) }
        var work = input
        let butterflies = Double(n / 2 * logSize)
        pair("ntt_2^\(logSize)", runs: logSize == 20 ? 5 : 11, multiplications: butterflies,
             extra: [("butterflies", .integer(Int(butterflies)))]) {
            work.withUnsafeMutableBufferPointer { buffer in
                _ = input.withUnsafeBufferPointer { src in buffer.update(fromContentsOf: src) }
                domain.forwardNTT(buffer)
            }
            blackHole(work)
        }
    }

    let n20 = 1 << 20
    let table = (0..<n20).map { _ in BN254Fr.random(using: &rng) }
    var scratch = table
    let r = BN254Fr.random(using: &rng)
    pair("mle_fold_2^20", runs: 9, multiplications: Double(n20 / 2)) {
        scratch.withUnsafeMutableBufferPointer { buffer in
            _ = table.withUnsafeBufferPointer { src in buffer.update(fromContentsOf: src) }
        }
        foldFirstVariable(&scratch, count: n20, challenge: r)
        blackHole(scratch)
    }

    let point = (0..<20).map { _ in BN254Fr.random(using: &rng) }
    pair("eq_table_2^20", runs: 9, multiplications: Double(n20)) {
        blackHole(eqTable(point: point))
    }

    // All 20 rounds of the product sumcheck, challenges from a real transcript.
    let g = (0..<n20).map { _ in BN254Fr.random(using: &rng) }
    var claim = BN254Fr.zero
    for i in 0..<n20 { claim += table[i] * g[i] }
    let knownClaim = claim
    pair("sumcheck_product_2^20", runs: 5, multiplications: Double(4 * n20),
         extra: [("rounds", .integer(20))]) {
        var f = table, h = g
        var transcript = Transcript(protocolLabel: "bench.sumcheck")
        let result = ProductSumcheckKernel.prove(f: &f, g: &h, claim: knownClaim) { _, s0, _, s2 in
            transcript.absorb(label: "round", elements: [s0, s2])
            return transcript.challenge(label: "r")
        }
        blackHole(result)
    }
}
