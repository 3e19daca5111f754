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

/// Models quantized by onnxruntime's own tool (circuits/make_quantized.py, QOperator format), and
/// one hand-written integer model: their proven integers are onnxruntime's, and they prove.
@Suite("Already-quantized models from onnxruntime")
struct QuantizedZooTests {
    /// circuits/M/ort_integers.json: inputs and onnxruntime's output integers `q − zp`.
    struct RuntimeIntegers: Decodable {
        var inputs: [[Float]]
        var integers: [[Int64]]
    }

    static func compile(_ model: String) throws -> (CompiledModel, [Float]) {
        let (graph, input, calibration, _) = try ZooTests.load(model)
        let name = graph.inputs[0].name, shape = graph.inputs[0].shape
        let samples = try calibration.input_data.map { [name: try FloatTensor(shape: shape, values: $0)] }
        return (try Compiler.compile(graph, calibration: samples), input.input_data[0])
    }

    static func proveAndVerify(_ compiled: CompiledModel, _ inference: IntegerInference) throws {
        let pk = try Setup.run(circuit: compiled.circuit, known: compiled.known, field: Fr.self)
        let proof = try Prover.prove(provingKey: pk, witness: inference.witness)
        try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        #expect(proof.publicOutput == inference.outputIntegers)
    }

    /// The first inputs of ort_integers.json give onnxruntime's integers exactly (all 200 are
    /// checked by `zkml bench --onnxruntime`); the model input is quantized by the model's own
    /// QuantizeLinear; the smaller models are proven and verified.
    @Test(arguments: [("mlp_784_128_10_qop", true), ("lenet5_qop", false), ("cnn2_24x24_qop", false), ("mlp_matmul_qop", true),
                      ("lenet5_qop_pc", false), ("mlp_matmul_qop_pc", true)])
    func provenIntegersAreOnnxRuntimes(model: String, prove: Bool) throws {
        let (compiled, _) = try Self.compile(model)
        #expect(compiled.inputQuantization == .onnx)
        let file = ZooTests.root.appendingPathComponent(model).appendingPathComponent("ort_integers.json")
        let reference = try JSONDecoder().decode(RuntimeIntegers.self, from: Data(contentsOf: file))
        for (index, (input, expected)) in zip(reference.inputs, reference.integers).prefix(8).enumerated() {
            let inference = try compiled.run(input: input)
            #expect(inference.outputIntegers == expected, "\(model), input \(index)")
            if index == 0 {
                #expect(CircuitChecker.check(compiled.circuit, inference.witness) == nil)
                if prove { try Self.proveAndVerify(compiled, inference) }
            }
        }
    }

    /// QuantizeLinear → ConvInteger → Cast → Mul → Add → Relu → Flatten → QuantizeLinear →
    /// MatMulInteger → Cast → Mul: the integer products are exact; the float section between them
    /// is quantized by calibration (narrowed from the wide accumulator), so the output is compared
    /// with onnxruntime's within tolerance.
    @Test func integerOperatorsWithAFloatSectionProve() throws {
        let (compiled, input) = try Self.compile("conv_integer_q")
        let (_, _, _, reference) = try ZooTests.load("conv_integer_q")
        let inference = try compiled.run(input: input)
        let range = reference.map { abs(Double($0)) }.max()!
        for (ours, theirs) in zip(inference.output, reference) {
            #expect(abs(ours - Double(theirs)) <= 0.05 * range, "\(inference.output) vs \(reference)")
        }
        #expect(CircuitChecker.check(compiled.circuit, inference.witness) == nil)
        try Self.proveAndVerify(compiled, inference)
    }

    /// A CNN that quantize_static turned into QLinearConv, QLinearLeakyRelu, QLinearAdd of two
    /// activations, QLinearMul, QLinearSigmoid, QLinearGlobalAveragePool and QGemm
    /// (Tests/ZKONNXTests/Fixtures): its output integers are onnxruntime's, and it proves.
    @Test func everyMicrosoftOperatorProves() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ZKONNXTests/Fixtures/models/ort_quantize_static_qoperator")
        let graph = try ONNXImporter().importModel(contentsOf: folder.appendingPathComponent("model.onnx").path).graph
        let input = try TensorProtoFile(contentsOf: folder.appendingPathComponent("test_data_set_0/input_0.pb").path).value.floatTensor
        let expected = try TensorProtoFile(contentsOf: folder.appendingPathComponent("test_data_set_0/output_0.pb").path).value.floatTensor
        let compiled = try Compiler.compile(graph, calibration: [[graph.inputs[0].name: input]])
        let inference = try compiled.run(input: input.values)
        #expect(inference.outputIntegers == expected.values.map { Int64((Double($0) / compiled.outputScale).rounded()) })
        #expect(CircuitChecker.check(compiled.circuit, inference.witness) == nil)
        try Self.proveAndVerify(compiled, inference)
    }
}
