import CReference
import ZKBigInt
import ZKField
import ZKParallel
import ZKPoly

/// Suite `field`: the BN254 Fr hot path against its baselines, all in one run.
///
/// - `fr_mul`: dependent chain `x = x · y` (latency), Swift CIOS Montgomery (the hot path, (c)).
/// - `fr_mul_gmp_mpz`: the same chain with GMP `mpz_mul` + `mpz_mod` (baseline (a)).
/// - `fr_mul_gmp_mpn`: GMP `mpn_mul_n` + Montgomery REDC by `mpn_addmul_1` (baseline (b)).
/// - `fr_mul_c_reference`: the same CIOS in C (clang), the target the Swift code is held to.
/// - `fr_mul_throughput`: independent products over arrays of 4096 (throughput).
/// - `fr_add`, `fr_inverse` (GMP `mpz_invert`), `fr_batch_inverse_per_element` (Montgomery's
///   trick over 2^16), `fr_small_mac` (int8 × Fr multiply-accumulate per element, 2^16 terms) and
///   `fr_mul_mac` (the same dot product with ordinary field multiplications, for the ratio).
/// - `fr_combine_rows_int8_128x1024`: `BN254Fr.combineRows`, the fold eq(r)ᵀW of a 128×1024 int8
///   weight matrix (the MLP's first layer, padded) with an eq table; `…_64x4096_x3`: a Ligero
///   opening of committed int8 weights (2^6 × 2^12) with three coefficient vectors (the proximity
///   row, a claim weighting half the rows, a claim weighting one row). Each against the previous
///   kernel (`benches/ZKBench/RowCombinationBaseline.swift`) in the same run; see
///   ``runRowCombinationBenchmarks(_:rng:runs:)``.
func runFieldSuite(_ reporter: Reporter) {
    var rng = BenchRandom(seed: 1)
    let x0 = BN254Fr.random(using: &rng), y = BN254Fr.random(using: &rng)
    let chain = 2_000_000
    let runs = 11

    // (c) Swift Montgomery, dependent chain.
    let swiftMul = measure(runs: runs, n: chain) {
        var x = x0
        for _ in 0..<chain { x = x * y }
        blackHole(x)
    }

    // (a) GMP mpz_mul + mpz_mod.
    let gmpChain = chain / 4
    let p = BN254Fr.modulus
    let ya = y.bigIntegerValue
    let mpz = measure(runs: runs, n: gmpChain) {
        var x = x0.bigIntegerValue
        for _ in 0..<gmpChain { x.formMultiplyModulo(ya, p) }
        blackHole(x)
    }

    // (b) GMP mpn_mul_n + REDC.
    let mont = MontgomeryMPN(modulus: p)
    let yl = limbs(y), xl0 = limbs(x0)
    let mpn = measure(runs: runs, n: chain / 2) {
        var x = xl0
        yl.withUnsafeBufferPointer { yb in
            x.withUnsafeMutableBufferPointer { xb in
                for _ in 0..<(chain / 2) { mont.multiply(UnsafePointer(xb.baseAddress!), yb.baseAddress!, into: xb.baseAddress!) }
            }
        }
        blackHole(x)
    }

    // C reference.
    let cMul = measure(runs: runs, n: chain) {
        var x = xl0
        x.withUnsafeMutableBufferPointer { xb in
            yl.withUnsafeBufferPointer { yb in creference_fr_mul_chain(xb.baseAddress!, yb.baseAddress!, chain) }
        }
        blackHole(x)
    }

    reporter.report(BenchResult(
        suite: "field", name: "fr_mul", medianNs: swiftMul.median, minNs: swiftMul.min, maxNs: swiftMul.max,
        n: chain, runs: runs, threads: 1,
        extra: [("speedup_vs_gmp_mpz", number(mpz.median / swiftMul.median, decimals: 2)),
                ("speedup_vs_gmp_mpn", number(mpn.median / swiftMul.median, decimals: 2)),
                ("ratio_to_c", number(swiftMul.median / cMul.median, decimals: 2))]))
    reporter.report(BenchResult(
        suite: "field", name: "fr_mul_gmp_mpz", medianNs: mpz.median, minNs: mpz.min, maxNs: mpz.max,
        n: gmpChain, runs: runs, threads: 1))
    reporter.report(BenchResult(
        suite: "field", name: "fr_mul_gmp_mpn", medianNs: mpn.median, minNs: mpn.min, maxNs: mpn.max,
        n: chain / 2, runs: runs, threads: 1))
    reporter.report(BenchResult(
        suite: "field", name: "fr_mul_c_reference", medianNs: cMul.median, minNs: cMul.min, maxNs: cMul.max,
        n: chain, runs: runs, threads: 1))

    // Throughput: independent products.
    let width = 4096, rounds = 500
    let a = (0..<width).map { _ in BN254Fr.random(using: &rng) }
    let b = (0..<width).map { _ in BN254Fr.random(using: &rng) }
    var c = [BN254Fr](repeating: .zero, count: width)
    let throughput = measure(runs: runs, n: width * rounds) {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
            for _ in 0..<rounds { for i in 0..<width { c[i] = a[i] * b[i] } }
        } } }
        blackHole(c)
    }
    reporter.report(BenchResult(
        suite: "field", name: "fr_mul_throughput", medianNs: throughput.median, minNs: throughput.min,
        maxNs: throughput.max, n: width * rounds, runs: runs, threads: 1))

    // Addition chain.
    let add = measure(runs: runs, n: chain * 4) {
        var x = x0
        for _ in 0..<(chain * 4) { x = x + y }
        blackHole(x)
    }
    reporter.report(BenchResult(
        suite: "field", name: "fr_add", medianNs: add.median, minNs: add.min, maxNs: add.max,
        n: chain * 4, runs: runs, threads: 1))

    // Inversion (GMP mpz_invert), chained so each input depends on the last output.
    let inversions = 20_000
    let inverse = measure(runs: runs, n: inversions) {
        var x = x0
        for _ in 0..<inversions { x = x.inverse()! + .one }
        blackHole(x)
    }
    reporter.report(BenchResult(
        suite: "field", name: "fr_inverse", medianNs: inverse.median, minNs: inverse.min, maxNs: inverse.max,
        n: inversions, runs: runs, threads: 1))

    // Batch inversion per element.
    let batchSize = 1 << 16
    let batchInput = (0..<batchSize).map { _ in BN254Fr.random(using: &rng) }
    let batch = measure(runs: runs, n: batchSize) {
        var values = batchInput
        BN254Fr.batchInvert(&values)
        blackHole(values)
    }
    reporter.report(BenchResult(
        suite: "field", name: "fr_batch_inverse_per_element", medianNs: batch.median, minNs: batch.min,
        maxNs: batch.max, n: batchSize, runs: runs, threads: 1,
        extra: [("batch", .integer(batchSize))]))

    // int8 × Fr multiply-accumulate vs. ordinary multiply-accumulate.
    let macSize = 1 << 16
    let weights = (0..<macSize).map { _ in Int8(truncatingIfNeeded: rng.next()) }
    let elements = (0..<macSize).map { _ in BN254Fr.random(using: &rng) }
    let weightElements = weights.map { BN254Fr(Int64($0)) }
    let small = measure(runs: runs, n: macSize) { blackHole(BN254Fr.dot(weights, elements)) }
    let ordinary = measure(runs: runs, n: macSize) {
        var acc = BN254Fr.zero
        weightElements.withUnsafeBufferPointer { w in elements.withUnsafeBufferPointer { e in
            for i in 0..<macSize { acc += w[i] * e[i] }
        } }
        blackHole(acc)
    }
    reporter.report(BenchResult(
        suite: "field", name: "fr_small_mac", medianNs: small.median, minNs: small.min, maxNs: small.max,
        n: macSize, runs: runs, threads: 1,
        extra: [("speedup_vs_field_mac", number(ordinary.median / small.median, decimals: 2))]))
    reporter.report(BenchResult(
        suite: "field", name: "fr_mul_mac", medianNs: ordinary.median, minNs: ordinary.min, maxNs: ordinary.max,
        n: macSize, runs: runs, threads: 1))

    runRowCombinationBenchmarks(reporter, rng: &rng, runs: 21)
}

/// The row-combination kernel at the two shapes the MLP proof uses, all threads and one thread,
/// against the previous kernel: `baseline_unspecialized` is the old kernel as the matMul fold
/// reached it (through the protocol's witness table, generic over the weight type),
/// `baseline_specialized` the same code compiled for `Int8`, and for the Ligero shape `baseline`
/// the old opening path (parallel column blocks, each combined by the specialised old kernel).
func runRowCombinationBenchmarks(_ reporter: Reporter, rng: inout BenchRandom, runs: Int) {
    let threads = Parallelism.threadCount
    func row(_ name: String, _ m: (median: Double, min: Double, max: Double), threads: Int, weights: Int,
             _ extra: [(String, BenchValue)] = []) {
        reporter.report(BenchResult(
            suite: "field", name: name, medianNs: m.median, minNs: m.min, maxNs: m.max, n: 1, runs: runs,
            threads: threads,
            extra: [("median_ms", number(m.median / 1e6, decimals: 3)),
                    ("ns_per_weight", number(m.median / Double(weights), decimals: 2))] + extra))
    }
    func point(_ count: Int) -> [BN254Fr] { (0..<count).map { _ in BN254Fr.random(using: &rng) } }

    // The matMul fold: 128 × 1024 int8, eq(r) over the 7 row variables.
    do {
        let rows = 128, columns = 1024
        let matrix = (0..<(rows * columns)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
        let eq = eqTable(point: point(7))
        matrix.withUnsafeBufferPointer { m in eq.withUnsafeBufferPointer { c in
            let fast = BN254Fr.combineRows(m, columns: columns, coefficients: c)
            precondition(fast == BaselineRowCombination.int8(m, columns: columns, coefficients: c), "kernels disagree")
            let all = measure(runs: runs, n: 1) { blackHole(BN254Fr.combineRows(m, columns: columns, coefficients: c)) }
            let one = Parallelism.$threadLimit.withValue(1) {
                measure(runs: runs, n: 1) { blackHole(BN254Fr.combineRows(m, columns: columns, coefficients: c)) }
            }
            let generic = measure(runs: runs, n: 1) {
                blackHole(BaselineRowCombination.unspecialized(m, columns: columns, coefficients: c))
            }
            let specialized = measure(runs: runs, n: 1) {
                blackHole(BaselineRowCombination.int8(m, columns: columns, coefficients: c))
            }
            let name = "fr_combine_rows_int8_128x1024"
            row(name, all, threads: threads, weights: rows * columns,
                [("speedup_vs_1_thread", number(one.median / all.median, decimals: 2)),
                 ("speedup_vs_baseline_unspecialized", number(generic.median / all.median, decimals: 2)),
                 ("speedup_vs_baseline_specialized", number(specialized.median / all.median, decimals: 2))])
            row(name + "_1t", one, threads: 1, weights: rows * columns,
                [("speedup_vs_baseline_unspecialized", number(generic.median / one.median, decimals: 2)),
                 ("speedup_vs_baseline_specialized", number(specialized.median / one.median, decimals: 2))])
            row(name + "_baseline_unspecialized", generic, threads: 1, weights: rows * columns)
            row(name + "_baseline_specialized", specialized, threads: 1, weights: rows * columns)
        } }
    }

    // A Ligero opening of int8 weights committed as 2^6 × 2^12: the proximity row (64 random
    // weights), a claim on a tensor in the first half of the rows (32 nonzero eq weights) and a
    // claim on a tensor within one row (one nonzero weight).
    do {
        let rows = 64, columns = 4096
        let matrix = (0..<(rows * columns)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
        let weights = [point(rows), eqTable(point: point(5) + [.zero]), eqTable(point: [.one, .zero, .zero, .one, .zero, .one])]
        let fast = {
            matrix.withUnsafeBufferPointer { m in BN254Fr.combineRows(m, columns: columns, coefficientVectors: weights) }
        }
        precondition(fast() == BaselineRowCombination.ligeroOpening(matrix, rows: rows, columns: columns, weights: weights),
                     "kernels disagree")
        let all = measure(runs: runs, n: 1) { blackHole(fast()) }
        let one = Parallelism.$threadLimit.withValue(1) { measure(runs: runs, n: 1) { blackHole(fast()) } }
        let old = measure(runs: runs, n: 1) {
            blackHole(BaselineRowCombination.ligeroOpening(matrix, rows: rows, columns: columns, weights: weights))
        }
        let oldOne = Parallelism.$threadLimit.withValue(1) {
            measure(runs: runs, n: 1) {
                blackHole(BaselineRowCombination.ligeroOpening(matrix, rows: rows, columns: columns, weights: weights))
            }
        }
        let name = "fr_combine_rows_int8_64x4096_x3"
        let weightCount = 3 * rows * columns
        row(name, all, threads: threads, weights: weightCount,
            [("speedup_vs_1_thread", number(one.median / all.median, decimals: 2)),
             ("speedup_vs_baseline", number(old.median / all.median, decimals: 2))])
        row(name + "_1t", one, threads: 1, weights: weightCount,
            [("speedup_vs_baseline_1t", number(oldOne.median / one.median, decimals: 2))])
        row(name + "_baseline", old, threads: threads, weights: weightCount)
        row(name + "_baseline_1t", oldOne, threads: 1, weights: weightCount)
    }
}

func limbs(_ x: BN254Fr) -> [UInt64] {
    let m = x.montgomeryLimbs
    return [m.0, m.1, m.2, m.3]
}

/// SplitMix64: the benches' deterministic input generator.
struct BenchRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
