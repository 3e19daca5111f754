import Foundation
import Testing
import ZKCircuit
import ZKCompiler
import ZKField
import ZKModel
import ZKONNX
import ZKProver
import ZKSetup
import ZKTesting
import ZKVerifier

/// The pinned formats: golden verification keys and proofs, checked in under Tests/Golden/ and
/// compared byte for byte with what this build's setup and prover produce for the same circuits.
/// A change to the key format, the proof format, the transcript or setup shows up here as a
/// failure, never silently. After an intended format change, regenerate them with
///
///     ZKML_UPDATE_GOLDEN=1 swift test --filter GoldenFixtureTests
///
/// and say why in the commit. The verifier-only target (Tests/ZKVerifierTests) verifies the same
/// files linking nothing but ZKVerifier.
@Suite("Golden fixtures")
struct GoldenFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")
    static var updating: Bool { ProcessInfo.processInfo.environment["ZKML_UPDATE_GOLDEN"] == "1" }

    /// An MLP (dense → requantize → ReLU table → dense → public output), with setup's choice of
    /// advice transport (in the clear: the model is small) or with the advice committed as C_1.
    static func mlp(adviceTransport: AdviceTransport? = nil) throws -> (ProvingKey<Fr>, Witness) {
        var rng = SeededGenerator(seed: 0x601d_0001)
        let (circuit, known) = ExampleCircuits.mlp(sizes: [24, 12, 5], using: &rng)
        return (try Setup.run(circuit: circuit, known: known, adviceTransport: adviceTransport, field: Fr.self),
                try WitnessBuilder.build(circuit: circuit, known: known))
    }

    /// A CNN with max pooling (conv with padding → requantize → ReLU → 2×2 max pool → dense).
    static func cnnWithPooling() throws -> (ProvingKey<Fr>, Witness) {
        var rng = SeededGenerator(seed: 0x601d_0002)
        let (circuit, known) = ExampleCircuits.cnn(
            input: [2, 8, 8], channels: 3, kernel: [3, 3], pads: [1, 1, 1, 1], pooling: .max(kernel: 2, stride: 2),
            outputs: 4, using: &rng)
        return (try Setup.run(circuit: circuit, known: known, field: Fr.self), try WitnessBuilder.build(circuit: circuit, known: known))
    }

    /// A zoo model as a user compiles it: circuits/sklearn_mlp at 8 bits, calibrated on its
    /// calibration file, proven on its input.
    static func zooSklearnMLP() throws -> (ProvingKey<Fr>, Witness) {
        let (graph, input, calibration, _) = try ZooTests.load("sklearn_mlp", file: "model_probabilities.onnx")
        let name = graph.inputs[0].name, shape = graph.inputs[0].shape
        let samples = try calibration.input_data.map { [name: try FloatTensor(shape: shape, values: $0)] }
        let compiled = try Compiler.compile(graph, calibration: samples)
        let inference = try compiled.run(input: input.input_data[0])
        return (try Setup.run(circuit: compiled.circuit, known: compiled.known, field: Fr.self), inference.witness)
    }

    static let cases: [(name: String, make: @Sendable () throws -> (ProvingKey<Fr>, Witness))] = [
        ("mlp", { try mlp() }), ("mlp_committed", { try mlp(adviceTransport: .committed) }),
        ("cnn_maxpool", cnnWithPooling), ("zoo_sklearn_mlp", zooSklearnMLP),
    ]

    @Test(arguments: cases.map(\.name))
    func setupAndProverReproduceTheGoldenFiles(name: String) throws {
        let make = try #require(Self.cases.first { $0.name == name }).make
        let (pk, witness) = try make()
        let proof = try Prover.prove(provingKey: pk, witness: witness, selfCheck: true)
        let folder = Self.directory.appendingPathComponent(name)
        let files: [(String, Data)] = [
            ("verification.key", Data(pk.verificationKey.encoded())),
            ("proof", Data(proof.encoded())),
            ("model_id", Data((pk.verificationKey.modelID.description + "\n").utf8)),
        ]
        if Self.updating {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (file, data) in files { try data.write(to: folder.appendingPathComponent(file)) }
            return
        }
        let goldenKey = try VerificationKey(decoding: Array(Data(contentsOf: folder.appendingPathComponent("verification.key"))))
        // The key's bytes carry the tool version, which is informational; the model id covers the rest.
        #expect(goldenKey.modelID == pk.verificationKey.modelID, "\(name): setup no longer gives the golden key")
        let goldenID = try String(contentsOf: folder.appendingPathComponent("model_id"), encoding: .utf8)
        #expect(goldenID.trimmingCharacters(in: .whitespacesAndNewlines) == pk.verificationKey.modelID.description)
        let goldenProof = try Data(contentsOf: folder.appendingPathComponent("proof"))
        #expect(goldenProof == Data(proof.encoded()), "\(name): the prover no longer gives the golden proof bytes")
    }
}
