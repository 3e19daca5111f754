import ZKCircuit
import ZKField
import ZKParallel
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

#if canImport(Glibc)
import Glibc
#endif

/// Suite `layers`: whole proofs of single layers and small networks. For each: `setup_ms`
/// (weight commitment and keys, once), `witness_ms` (integer inference), `prove_ms` (from the
/// witness to the encoded proof), `verify_ms` (decoding and verification), `proof_bytes`, and
/// `peak_rss_mb` (the process's peak resident memory; `benches/run layers` runs every benchmark
/// in its own process so the figure belongs to that benchmark).
func runLayersSuite(_ reporter: Reporter, only: String?) {
    // Each case with the advice transport setup chooses (nil), or a forced one (the `_clear` and
    // `_committed` variants of the activation-heavy rows measure where the threshold should lie).
    var cases: [(String, () -> (Circuit, [TensorID: [Int64]]), AdviceTransport?)] = []
    func mlp(_ sizes: [Int], finalActivation: Bool = false) -> () -> (Circuit, [TensorID: [Int64]]) {
        return {
            var rng = SeededGenerator(seed: 7)
            let (c, k) = ExampleCircuits.mlp(sizes: sizes, finalActivation: finalActivation, using: &rng)
            return (c, k)
        }
    }
    cases.append(("dense_256x256", mlp([256, 256]), nil))
    cases.append(("dense_4096x1024", mlp([4096, 1024]), nil))
    cases.append(("dense_1024x1024", mlp([1024, 1024], finalActivation: true), nil))
    for log in [16, 18, 20] {
        let make = { () -> (Circuit, [TensorID: [Int64]]) in
            var rng = SeededGenerator(seed: 8)
            let (c, k) = ExampleCircuits.requantizeReLU(count: 1 << log, using: &rng)
            return (c, k)
        }
        if log != 18 { cases.append(("requantize_relu_2^\(log)", make, nil)) }
        for transport in AdviceTransport.allCases {
            cases.append(("requantize_relu_2^\(log)_\(transport)", make, transport))
        }
    }
    cases.append(("conv_3x3_16to16_32x32", {
        var rng = SeededGenerator(seed: 9)
        let (c, k) = ExampleCircuits.convolutionLayer(input: [16, 32, 32], channels: 16, kernel: 3, using: &rng)
        return (c, k)
    }, nil))
    cases.append(("maxpool_2x2_16x32x32", {
        var rng = SeededGenerator(seed: 10)
        let (c, k) = ExampleCircuits.maxPoolLayer(input: [16, 32, 32], size: 2, using: &rng)
        return (c, k)
    }, nil))
    cases.append(("mlp_784_128_10", mlp([784, 128, 10]), nil))

    for (name, make, transport) in cases where only == nil || only == name {
        let (circuit, known) = make()
        let clock = ContinuousClock()
        func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15 }
        var pk: ProvingKey<Fr>!
        let setup = ms(clock.measure {
            pk = try! Setup.run(circuit: circuit, known: known, adviceTransport: transport, field: Fr.self)
        })
        var witness: Witness!
        let witnessTime = measure(runs: 3, n: 1) { witness = try! WitnessBuilder.build(circuit: circuit, known: known) }
        let large = circuit.tensors.contains { $0.layout.slotCount >= 1 << 20 }
        let runs = large ? 3 : 7
        var bytes: [UInt8] = []
        let prove = measure(runs: runs, n: 1) {
            let proof = try! Prover.prove(provingKey: pk, witness: witness)
            bytes = proof.encoded()
        }
        var profile = ProvingProfile()
        _ = try! Prover.prove(provingKey: pk, witness: witness, profile: &profile)
        let phases = profile.phases.map { phase in
            ("phase_" + String(phase.name.map { $0 == " " ? "_" : $0 }) + "_ms", number(ms(phase.duration), decimals: 2))
        }
        let vk = pk.verificationKey
        let verify = measure(runs: runs, n: 1) {
            let proof = try! Proof<Fr>(decoding: bytes, verificationKey: vk)
            try! Verifier.verify(proof, verificationKey: vk, field: Fr.self)
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        reporter.report(BenchResult(
            suite: "layers", name: name, medianNs: prove.median, minNs: prove.min, maxNs: prove.max, n: 1, runs: runs,
            threads: Parallelism.threadCount,
            extra: [("prove_ms", number(prove.median / 1e6, decimals: 2)),
                    ("verify_ms", number(verify.median / 1e6, decimals: 2)),
                    ("proof_bytes", .integer(bytes.count)),
                    ("setup_ms", number(setup, decimals: 1)),
                    ("witness_ms", number(witnessTime.median / 1e6, decimals: 2)),
                    ("peak_rss_mb", number(Double(usage.ru_maxrss) / 1024, decimals: 1)),
                    ("advice", .text(vk.adviceTransport.description)),
                    ("advice_slots", .integer(vk.layout.advice.usedCount))] + phases))
    }
}

/// The names of the `layers` benchmarks, for `benches/run` to run one per process.
let layerBenchmarkNames = [
    "dense_256x256", "dense_4096x1024", "dense_1024x1024",
    "requantize_relu_2^16", "requantize_relu_2^16_committed", "requantize_relu_2^16_clear",
    "requantize_relu_2^18_committed", "requantize_relu_2^18_clear",
    "requantize_relu_2^20", "requantize_relu_2^20_committed", "requantize_relu_2^20_clear",
    "conv_3x3_16to16_32x32", "maxpool_2x2_16x32x32", "mlp_784_128_10",
]
