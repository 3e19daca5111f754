import ArgumentParser
import ZKCircuit
import ZKField
import ZKParallel
import ZKProtocol
import ZKTesting
import ZKSodium

extension ZKMLCommand {
    /// The end-to-end demo: builds two example networks (a 784-128-10 MLP and a small CNN with
    /// convolution, max pooling and a dense layer) with seeded int8 weights, runs integer
    /// inference, proves, verifies from the encoded bytes, and shows that a changed output is
    /// rejected. Until ONNX import lands, the models are generated rather than loaded.
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove and verify example networks end to end and print what was checked.")

        @Option(help: "Seed for the example weights and input.")
        var seed: UInt64 = 7

        func run() throws {
            print("swift-zkml demo — BN254 scalar field, \(Parallelism.threadCount) threads")
            print("(proofs are not zero-knowledge: input and output are public; see docs/proof-system.md)\n")
            var rng = SeededGenerator(seed: seed)
            let mlp = ExampleCircuits.mlp(sizes: [784, 128, 10], using: &rng)
            try prove(name: "MLP 784-128-10", circuit: mlp.circuit, known: mlp.known)
            let cnn = ExampleCircuits.cnn(
                input: [1, 28, 28], channels: 8, kernel: [5, 5], stride: [1, 1], pads: [2, 2, 2, 2],
                pooling: .max(kernel: 2, stride: 2), outputs: 10, using: &rng)
            try prove(name: "CNN conv5x5(1→8) + maxpool 2x2 + dense(1568→10)", circuit: cnn.circuit, known: cnn.known)
            print("\nAll checks passed.")
        }

        func prove(name: String, circuit: Circuit, known: [TensorID: [Int64]]) throws {
            print("\(name)")
            let (pk, setupTime) = try timed { try Setup.run(circuit: circuit, known: known, field: Fr.self) }
            let vk = pk.verificationKey
            print("  setup     \(ms(setupTime))   model id \(vk.modelID.description.prefix(16))…")
            let (witness, witnessTime) = try timed { try WitnessBuilder.build(circuit: circuit, known: known) }
            try check(CircuitChecker.check(circuit, witness) == nil, "integer inference (\(ms(witnessTime))) satisfies every relation")
            var profile = ProvingProfile()
            let (proof, proveTime) = try timed { try Prover.prove(provingKey: pk, witness: witness, profile: &profile) }
            let bytes = proof.encoded()
            print("  prove     \(ms(proveTime))   proof \(bytes.count / 1024) KiB")
            for phase in profile.phases { print("    \(phase.name.padding(16)) \(ms(phase.duration))") }
            let (_, verifyTime) = try timed {
                let decoded = try Proof<Fr>(decoding: bytes, verificationKey: vk)
                try Verifier.verify(decoded, verificationKey: vk, field: Fr.self)
            }
            try check(true, "verified from the encoded bytes in \(ms(verifyTime)); output \(proof.publicOutput)")
            var forged = proof
            forged.publicOutput[0] += 1
            var rejected = false
            do { try Verifier.verify(forged, verificationKey: vk, field: Fr.self) } catch { rejected = true }
            try check(rejected, "a proof whose output was changed is rejected")
        }
    }
}

struct DemoFailure: Error, CustomStringConvertible {
    let description: String
}

func check(_ condition: Bool, _ what: String) throws {
    guard condition else { throw DemoFailure(description: "FAILED: \(what)") }
    print("  ✓ \(what)")
}

func timed<T>(_ body: () throws -> T) rethrows -> (T, Duration) {
    let clock = ContinuousClock()
    var result: T?
    let elapsed = try clock.measure { result = try body() }
    return (result!, elapsed)
}

func ms(_ d: Duration) -> String {
    let milliseconds = Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15
    return "\((milliseconds * 100).rounded() / 100) ms"
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
