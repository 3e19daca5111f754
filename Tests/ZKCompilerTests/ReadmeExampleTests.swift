import Foundation
import Testing
import ZKML

/// The README's library example, verbatim but for the model's absolute path and where the
/// pixels come from.
@Suite("README example")
struct ReadmeExampleTests {
    @Test func theLibraryExampleRuns() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let pixels = (0..<784).map { Float(($0 * 37) % 256) / 255 }

        let graph = try ONNXImporter().importModel(contentsOf: root.path + "/circuits/mlp_784_128_10/model.onnx").graph
        let sample = try FloatTensor(shape: [1, 784], values: pixels)           // one calibration input
        let model = try Compiler.compile(graph, calibration: [["input": sample]])
        let provingKey = try Setup.run(circuit: model.circuit, known: model.known, field: Fr.self)
        let inference = try model.run(input: pixels)                            // integer inference + witness
        let proof = try Prover.prove(provingKey: provingKey, witness: inference.witness)
        try Verifier.verify(proof, verificationKey: provingKey.verificationKey, field: Fr.self)
        let output = model.dequantizeOutput(proof.publicOutput)                  // the proven output, as reals

        #expect(output.count == 10)
        #expect(output == inference.output)
    }
}
