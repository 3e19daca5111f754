import ZKCircuit
import ZKField
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// The honest keys the proof and proving-key targets work against: small circuits from
/// ``ExampleCircuits`` with fixed seeds, set up once per process. Deterministic, so the committed
/// seeds (honest proofs and proving keys written by `scripts/fuzz-seeds`) stay valid until the
/// formats or the examples change; the smoke test checks that they do.
///
/// Between them they use every relation the example circuits have: matrix products, convolution
/// (with groups and padding), requantization, range and function lookups, max pooling, sum
/// pooling and reshapes — and both advice transports: `cnn-max` commits its advice (C_1), the
/// others send it in the clear (setup's choice for small circuits).
public struct FuzzExample: Sendable {
    public let name: String
    public let circuit: Circuit
    /// The input, every weight and every constant.
    public let known: [TensorID: [Int64]]
    public let provingKey: ProvingKey<Fr>

    public var verificationKey: VerificationKey { provingKey.verificationKey }

    /// The public output integer inference gives for `input`, or nil when the inference refuses it.
    public func output(forInput input: [Int64]) -> [Int64]? {
        var values = known
        values[circuit.input] = input
        guard let witness = try? WitnessBuilder.build(circuit: circuit, known: values) else { return nil }
        return witness.logicalValues(of: circuit.output, in: circuit)
    }

    public static let all: [FuzzExample] = {
        var rng = SeededGenerator(seed: 0xf022)
        let circuits: [(String, (circuit: Circuit, known: [TensorID: [Int64]]), AdviceTransport?)] = [
            ("mlp", ExampleCircuits.mlp(sizes: [8, 6, 4], using: &rng), nil),
            ("cnn-max", ExampleCircuits.cnn(
                input: [1, 6, 6], channels: 2, kernel: [3, 3], pooling: .max(kernel: 2, stride: 2), outputs: 3,
                using: &rng), .committed),
            ("cnn-average-groups", ExampleCircuits.cnn(
                input: [2, 5, 5], channels: 2, kernel: [2, 2], pads: [1, 1, 1, 1], groups: 2,
                pooling: .average(kernel: 2, stride: 2), outputs: 3, using: &rng), nil),
        ]
        return circuits.map { name, example, transport in
            do {
                let key = try Setup.run(
                    circuit: example.circuit, known: example.known, adviceTransport: transport, field: Fr.self)
                return FuzzExample(name: name, circuit: example.circuit, known: example.known, provingKey: key)
            } catch {
                fatalError("the fuzz example \(name) does not set up: \(error)")
            }
        }
    }()
}
