import CReference
import ZKBigInt
import ZKField

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
        extra: [("speedup_vs_gmp_mpz", format(mpz.median / swiftMul.median, decimals: 2)),
                ("speedup_vs_gmp_mpn", format(mpn.median / swiftMul.median, decimals: 2)),
                ("ratio_to_c", format(swiftMul.median / cMul.median, decimals: 2))]))
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
        extra: [("batch", String(batchSize))]))

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
        extra: [("speedup_vs_field_mac", format(ordinary.median / small.median, decimals: 2))]))
    reporter.report(BenchResult(
        suite: "field", name: "fr_mul_mac", medianNs: ordinary.median, minNs: ordinary.min, maxNs: ordinary.max,
        n: macSize, runs: runs, threads: 1))
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
