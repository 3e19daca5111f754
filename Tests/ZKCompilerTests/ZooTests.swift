import Foundation
import Testing
import ZKCircuit
import ZKCompiler
import ZKField
import ZKModel
import ZKONNX
import ZKProtocol

/// Every model of the zoo (circuits/), end to end: ONNX import → calibration and compilation →
/// integer inference against the float reference output → proof → verification.
@Suite("Model zoo")
struct ZooTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("circuits")

    struct InputFile: Decodable {
        var input_data: [[Float]]
        var input_shapes: [[Int]]?
        var output_data: [[Float]]?
    }

    static func load(_ model: String, file: String = "model.onnx") throws -> (ModelGraph, InputFile, InputFile, [Float]) {
        let folder = root.appendingPathComponent(model)
        let imported = try ONNXImporter().importModel(contentsOf: folder.appendingPathComponent(file).path)
        let decoder = JSONDecoder()
        let input = try decoder.decode(InputFile.self, from: Data(contentsOf: folder.appendingPathComponent("input.json")))
        let calibration = try decoder.decode(InputFile.self, from: Data(contentsOf: folder.appendingPathComponent("calibration.json")))
        let reference = input.output_data?.first ?? []
        return (imported.graph, input, calibration, reference)
    }

    func check(_ model: String, file: String = "model.onnx", prove: Bool = true) throws {
        let (graph, input, calibration, reference) = try Self.load(model, file: file)
        let name = graph.inputs[0].name, shape = graph.inputs[0].shape
        let samples = try calibration.input_data.map { [name: try FloatTensor(shape: shape, values: $0)] }
        let compiled = try Compiler.compile(graph, calibration: samples)
        let inference = try compiled.run(input: input.input_data[0])
        #expect(CircuitChecker.check(compiled.circuit, inference.witness) == nil)
        // The quantized output agrees with the float reference on the class and within tolerance.
        let argmax = { (v: [Double]) in v.indices.max { v[$0] < v[$1] }! }
        #expect(argmax(inference.output) == argmax(reference.map(Double.init)), "\(model): \(inference.output) vs \(reference)")
        let range = reference.map { abs(Double($0)) }.max()!
        let worst = zip(inference.output, reference).map { abs($0 - Double($1)) }.max()!
        #expect(worst <= 0.1 * range, "\(model): largest error \(worst) of \(range)")
        guard prove else { return }
        let pk = try Setup.run(circuit: compiled.circuit, known: compiled.known, field: Fr.self)
        let proof = try Prover.prove(provingKey: pk, witness: inference.witness)
        let decoded = try Proof<Fr>(decoding: proof.encoded(), verificationKey: pk.verificationKey)
        try Verifier.verify(decoded, verificationKey: pk.verificationKey, field: Fr.self)
        var forged = decoded
        forged.publicOutput[0] += 1
        #expect(throws: VerificationError.self) { try Verifier.verify(forged, verificationKey: pk.verificationKey, field: Fr.self) }
    }

    @Test func mlp784x128x10() throws { try check("mlp_784_128_10") }
    @Test func mlp784x256x256x10() throws { try check("mlp_784_256_256_10") }
    @Test func lenet5() throws { try check("lenet5") }
    @Test func cnn2() throws { try check("cnn2_24x24") }
    @Test func sklearnProbabilities() throws { try check("sklearn_mlp", file: "model_probabilities.onnx") }

    @Test func sklearnFullGraphReportsItsUnsupportedNodes() throws {
        let folder = Self.root.appendingPathComponent("sklearn_mlp")
        do {
            let imported = try ONNXImporter().importModel(contentsOf: folder.appendingPathComponent("model.onnx").path)
            // If the importer accepts the label branch, the compiler must reject what it cannot lower.
            let error = #expect(throws: CompileError.self) {
                _ = try Compiler.compile(imported.graph, calibration: [[imported.graph.inputs[0].name:
                    try FloatTensor(shape: imported.graph.inputs[0].shape, repeating: 0.5)]])
            }
            #expect(error != nil)
        } catch let error as ONNXImportError {
            #expect(String(describing: error).contains("ArrayFeatureExtractor"))
        }
    }
}
