import Testing
import ZKCircuit
import ZKCompiler
import ZKField
import ZKModel
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// Already-quantized models (QuantizeLinear → QLinearConv → MaxPool → Flatten → QLinearMatMul →
/// DequantizeLinear): compiled with the model's own scales and zero points, their integers equal
/// the operators' definitions (the float executor's quantized kernels), and they prove.
@Suite("Compiler: already-quantized models")
struct QuantizedModelTests {
    static func integers(_ shape: [Int], _ values: [Int64], _ type: ElementType) -> TensorValue {
        .integer(try! IntegerTensor(shape: shape, values: values, elementType: type))
    }

    static func scalar(_ value: Float) -> TensorValue { .float(try! FloatTensor(shape: [], values: [value])) }

    static func randomIntegers(_ count: Int, in range: ClosedRange<Int64>, _ rng: inout SeededGenerator) -> [Int64] {
        (0..<count).map { _ in range.lowerBound + Int64(rng.next() % UInt64(range.upperBound - range.lowerBound + 1)) }
    }

    /// x[1,1,8,8] (uint8, zero point 128) → QLinearConv(1→3, 3×3, pad 1, int8 kernel, int32 bias;
    /// output uint8 with zero point 10) → MaxPool 2×2 → Flatten → QLinearMatMul(48→5, output
    /// uint8 zero point 128) → DequantizeLinear.
    static func graph(_ rng: inout SeededGenerator, weightZeroPoint: Int64 = 0) -> ModelGraph {
        let conv = ConvolutionAttributes(kernelShape: [3, 3], padding: .explicit([1, 1, 1, 1]))
        let pool = PoolingAttributes(kernelShape: [2, 2], strides: [2, 2], dilations: [1, 1], padding: .explicit([0, 0, 0, 0]),
                                     ceilMode: false, countIncludePad: false)
        return ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 1, 8, 8]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 5]))],
            initializers: [
                "xs": scalar(2 / 255), "xzp": integers([], [128], .uint8),
                "w1": integers([3, 1, 3, 3], randomIntegers(27, in: -127...127, &rng), .int8), "w1s": scalar(0.0123),
                "w1zp": integers([], [weightZeroPoint], .int8), "b1": integers([3], [-300, 41, 1234], .int32),
                "h1s": scalar(0.047), "h1zp": integers([], [10], .uint8),
                "w2": integers([48, 5], randomIntegers(240, in: -127...127, &rng), .int8), "w2s": scalar(0.0071),
                "w2zp": integers([], [0], .int8), "ys": scalar(0.093), "yzp": integers([], [128], .uint8),
            ],
            nodes: [
                ModelNode(name: "quantize", op: .quantizeLinear(axis: 1), inputs: ["x", "xs", "xzp"], outputs: ["xq"]),
                ModelNode(name: "conv", op: .qLinearConv(conv),
                          inputs: ["xq", "xs", "xzp", "w1", "w1s", "w1zp", "h1s", "h1zp", "b1"], outputs: ["h1"]),
                ModelNode(name: "pool", op: .maxPool(pool), inputs: ["h1"], outputs: ["p"]),
                ModelNode(name: "flatten", op: .flatten(axis: 1), inputs: ["p"], outputs: ["f"]),
                ModelNode(name: "fc", op: .qLinearMatMul, inputs: ["f", "h1s", "h1zp", "w2", "w2s", "w2zp", "ys", "yzp"], outputs: ["yq"]),
                ModelNode(name: "dequantize", op: .dequantizeLinear(axis: 1), inputs: ["yq", "ys", "yzp"], outputs: ["y"]),
            ])
    }

    /// The proven integers equal the operators' definitions exactly (the float executor's
    /// quantized kernels), on inputs that saturate too; the model proves and verifies.
    @Test func integersEqualTheOperatorDefinitions() throws {
        var rng = SeededGenerator.forTest(stream: 1100)
        let graph = Self.graph(&rng)
        let model = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 1, 8, 8], count: 2, &rng))
        #expect(model.inputQuantization == .onnx)
        #expect(model.inputScale == Double(Float(2) / 255))
        #expect(model.outputScale == Double(Float(0.093)))
        let info = model.circuit.tensors[model.circuit.input]
        #expect(info.minimum == -128 && info.maximum == 127)
        let executor = try FloatExecutor(graph: graph)
        for index in 0..<6 {
            // Inputs beyond [−1, 1] saturate the input quantization.
            let input = CompilerTests.inputs([1, 1, 8, 8], count: 1, &rng)[0]["x"]!
            let scaled = try FloatTensor(shape: input.shape, values: input.values.map { $0 * (index.isMultiple(of: 2) ? 1 : 1.6) })
            let execution = try executor.run(["x": scaled], recordingIntermediates: true)
            let expected = execution.values["yq"]!.values.map { Int64($0) - 128 }
            let inference = try model.run(input: scaled.values)
            #expect(inference.outputIntegers == expected)
            #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
            // The input integers are QuantizeLinear's, minus the zero point.
            #expect(inference.quantizedInput == execution.values["xq"]!.values.map { Int64($0) - 128 })
            if index == 0 {
                let pk = try Setup.run(circuit: model.circuit, known: model.known, field: Fr.self)
                let proof = try Prover.prove(provingKey: pk, witness: inference.witness)
                try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
                #expect(proof.publicOutput == expected)
            }
        }
    }

    /// A weight zero point is subtracted from the kernel at compile time.
    @Test func weightZeroPointIsRemoved() throws {
        var rng = SeededGenerator.forTest(stream: 1110)
        let graph = Self.graph(&rng, weightZeroPoint: 3)
        let model = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 1, 8, 8], count: 1, &rng))
        let input = CompilerTests.inputs([1, 1, 8, 8], count: 1, &rng)[0]["x"]!
        let expected = try FloatExecutor(graph: graph).run(["x": input], recordingIntermediates: true).values["yq"]!.values
        #expect(try model.run(input: input.values).outputIntegers == expected.map { Int64($0) - 128 })
    }

    /// The multiplier is the Float32 `x_scale · w_scale / y_scale` exactly: its significand over
    /// a power of two, trailing zero bits removed.
    @Test func exactMultiplierIsTheFloat32Value() {
        for value: Float in [0.5, 0.75, 1.0 / 3, 0.0123 * 2 / 255 / 0.047, 3.0e-9, 1.5e3] {
            guard let (m, s) = Quantization_testHook.exactMultiplier(value) else {
                Issue.record("no multiplier for \(value)"); continue
            }
            #expect(Double(m) / Double(sign: .plus, exponent: s, significand: 1) == Double(value))
            #expect(m & 1 == 1 || s == 1)
        }
        #expect(Quantization_testHook.exactMultiplier(1e-30) == nil)      // s > 62
        #expect(Quantization_testHook.exactMultiplier(0) == nil)
        #expect(Quantization_testHook.exactMultiplier(.nan) == nil)
    }

    /// Per-channel weight scales are refused with the reason (the requantization has one multiplier).
    @Test func perChannelScalesAreRefused() throws {
        var rng = SeededGenerator.forTest(stream: 1120)
        var graph = Self.graph(&rng)
        graph.initializers["w1s"] = .float(try FloatTensor(shape: [3], values: [0.01, 0.02, 0.03]))
        #expect {
            try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 1, 8, 8], count: 1, &rng))
        } throws: { error in
            "\(error)".contains("conv (QLinearConv)") && "\(error)".contains("per_channel=False")
        }
    }
}
