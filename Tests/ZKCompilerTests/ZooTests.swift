import Foundation
import Testing
import ZKCircuit
import ZKCompiler
import ZKField
import ZKModel
import ZKONNX
import ZKProver
import ZKSetup
import ZKVerifier
import ZKSodium

/// Every model of the zoo (circuits/), end to end: ONNX import → calibration and compilation →
/// integer inference against the float reference output → proof → verification (for
/// `mlp_784_128_10`, the proof is the README example's).
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

    /// Not proved here: the README example (`ReadmeExampleTests.theLibraryExampleRuns`) proves
    /// this network (calibrated on its one input) with the same decoding and forged-output
    /// checks, and a second setup of its 100k weights cost over a minute of a debug build. The
    /// CLI tests prove it with this calibration.
    @Test func mlp784x128x10() throws { try check("mlp_784_128_10", prove: false) }
    @Test func mlp784x256x256x10() throws { try check("mlp_784_256_256_10") }
    @Test func lenet5() throws { try check("lenet5") }
    @Test func cnn2() throws { try check("cnn2_24x24") }
    @Test func sklearnProbabilities() throws { try check("sklearn_mlp", file: "model_probabilities.onnx") }

    /// skl2onnx's default export of the classifier lists the label first (`classes[ArgMax(p)]`: an
    /// ArrayFeatureExtractor at a computed index, cast from int32 to int64) and the probabilities
    /// second. It imports whole, the float executor computes both outputs, and the compiler
    /// proves the probabilities (the first floating-point output), as for the probabilities-only
    /// export.
    @Test func sklearnFullGraphProvesItsProbabilities() throws {
        try check("sklearn_mlp")
        let (graph, input, _, reference) = try Self.load("sklearn_mlp")
        #expect(graph.outputs.map(\.name) == ["label", "probabilities"])
        let x = graph.inputs[0]
        let outputs = try FloatExecutor(graph: graph).run([x.name: try FloatTensor(shape: x.shape, values: input.input_data[0])])
        let probabilities = try #require(outputs["probabilities"]).values
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
        #expect(try #require(outputs["label"]).values == [Float(best)], "the zoo's classes are 0 … 9")
        #expect(zip(probabilities, reference).allSatisfy { abs($0 - $1) < 1e-5 })
    }
}

/// The model id identifies the source model: a one-ulp change of one float weight — which
/// quantizes to the same int8 weights — still gives a new verification key.
@Suite("Model identity")
struct ModelIdentityTests {
    @Test func aOneUlpWeightChangeGivesANewModelID() throws {
        let path = ZooTests.root.appendingPathComponent("sklearn_mlp/model_probabilities.onnx").path
        let original = Array(FileManager.default.contents(atPath: path)!)
        let graph = try ONNXImporter().importModel(bytes: original).graph
        // The first weight's float32 bytes, found in the file and nudged by one unit in the last place.
        let name = graph.nodes.first { $0.op.name == "MatMul" || $0.op.name == "Gemm" }!.inputs[1]
        let weight = graph.initializers[name]!.floatTensor.values[0]
        let pattern = withUnsafeBytes(of: weight.bitPattern.littleEndian) { Array($0) }
        let offset = try #require((0...(original.count - 4)).first { Array(original[$0..<($0 + 4)]) == pattern })
        var changed = original
        let nudged = Float(bitPattern: weight.bitPattern + 1)
        withUnsafeBytes(of: nudged.bitPattern.littleEndian) { for k in 0..<4 { changed[offset + k] = $0[k] } }
        let changedGraph = try ONNXImporter().importModel(bytes: changed).graph
        #expect(changedGraph.initializers[name]!.floatTensor.values[0] == nudged)

        func key(_ bytes: [UInt8], _ graph: ModelGraph) throws -> VerificationKey {
            let input = graph.inputs[0]
            let sample = try FloatTensor(shape: input.shape, repeating: 0.5)
            let model = try Compiler.compile(graph, calibration: [[input.name: sample]])
            let interface = ModelInterface(
                inputName: model.inputName, inputShape: model.inputShape, inputScale: model.inputScale,
                outputName: model.outputName, outputShape: model.outputShape, outputScale: model.outputScale,
                postprocessing: model.outputPostprocessing.rawValue, sourceHash: Blake2b.hash256(bytes).description)
            return try Setup.run(circuit: model.circuit, known: model.known, interface: interface, field: Fr.self).verificationKey
        }
        let before = try key(original, graph), after = try key(changed, changedGraph)
        #expect(before.modelID != after.modelID)
        #expect(before.circuit == after.circuit, "the quantized circuits are the same; only the source differs")
    }
}
