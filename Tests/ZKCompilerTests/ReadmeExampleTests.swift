import Foundation
import Testing
import ZKML
import ZKSodium

/// The README's library example, verbatim but for the model's absolute path and where the
/// pixels come from; and the promise beside it, that `zkml compile` + `zkml setup` give the
/// same model id.
@Suite("README example")
struct ReadmeExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let pixels = (0..<784).map { Float(($0 * 37) % 256) / 255 }

    @Test func theLibraryExampleRuns() throws {
        let root = Self.root
        let pixels = Self.pixels

        let graph = try ONNXImporter().importModel(contentsOf: root.path + "/circuits/mlp_784_128_10/model.onnx").graph
        let sample = try FloatTensor(shape: [1, 784], values: pixels)           // one calibration input
        let model = try Compiler.compile(graph, calibration: [["input": sample]]) // carries the file's hash
        let provingKey = try Setup.run(model: model, field: Fr.self)            // the model id `zkml setup` gives
        let inference = try model.run(input: pixels)                            // integer inference + witness
        let proof = try Prover.prove(provingKey: provingKey, witness: inference.witness)
        let vk = provingKey.verificationKey                                     // vk.modelID: the model's identity
        try Verifier.verify(proof, verificationKey: vk, field: Fr.self)
        let output = try ProofStatement(proof: proof, verificationKey: vk).output // the proven output, as reals

        #expect(output.count == 10)
        // The verifier's reading (key + proof) is integer inference's, bit for bit.
        #expect(output == inference.output)
        #expect(output == model.dequantizeOutput(proof.publicOutput))
        // The key records the interface and the source file's hash.
        let bytes = try Data(contentsOf: root.appendingPathComponent("circuits/mlp_784_128_10/model.onnx"))
        #expect(vk.interface?.sourceHash == Blake2b.hash256(Array(bytes)).description)
        #expect(vk.interface?.postprocessing == model.outputPostprocessing.rawValue)
        try vk.requireModelID(vk.modelID)
        // The zoo test's proof checks, on this model (ZooTests.mlp784x128x10 does not prove it
        // again: its setup alone is a minute or two in a debug build): the proof verifies after
        // encoding and decoding, and not with a changed output.
        let decoded = try Proof<Fr>(decoding: proof.encoded(), verificationKey: vk)
        try Verifier.verify(decoded, verificationKey: vk, field: Fr.self)
        var forged = decoded
        forged.publicOutput[0] += 1
        #expect(throws: VerificationError.self) { try Verifier.verify(forged, verificationKey: vk, field: Fr.self) }
    }

    /// `zkml compile MODEL --calibration FILE` then `zkml setup` give the model id of the README's
    /// calls (`Compiler.compile`, `Setup.run(model:field:)`) on the same file and calibration rows.
    /// On the zoo's smallest model (with a verifier-side softmax), to keep the debug build quick.
    @Test func zkmlSetupGivesTheLibraryModelID() throws {
        let zkml = try #require(Self.zkmlExecutable(), "no zkml executable beside the tests: run `swift build --build-tests`")
        let zoo = Self.root.path + "/circuits/sklearn_mlp"
        let modelPath = zoo + "/model_probabilities.onnx"
        let calibrationPath = zoo + "/calibration.json"

        let graph = try ONNXImporter().importModel(contentsOf: modelPath).graph
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: calibrationPath)))
        let rows = try #require((json as? [String: Any])?["input_data"] as? [[NSNumber]])
        let samples = try rows.map { ["input": try FloatTensor(shape: [1, 64], values: $0.map(\.floatValue))] }
        let model = try Compiler.compile(graph, calibration: samples)
        let libraryID = try Setup.run(model: model, field: Fr.self).verificationKey.modelID

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("zkml-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let directory = work.appendingPathComponent("model").path
        #expect(try Self.run(zkml, ["compile", modelPath, "--calibration", calibrationPath, "-o", directory]).status == 0)
        let setup = try Self.run(zkml, ["setup", directory])
        #expect(setup.status == 0)
        #expect(setup.output.contains("model id \(libraryID)"))
        let key = try VerificationKey(decoding: Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/verification.key"))))
        #expect(key.modelID == libraryID)
        #expect(key.interface?.postprocessing == "softmax")
    }

    /// The `zkml` built beside the test bundle (`.build/<configuration>/zkml`).
    static func zkmlExecutable() -> URL? {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("zkml"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("zkml"),
            root.appendingPathComponent(".build/debug/zkml"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
