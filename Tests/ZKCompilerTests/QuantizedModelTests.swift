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

    /// ``graph(_:weightZeroPoint:)`` quantized per channel: the convolution's kernel with one
    /// scale and one zero point per output channel (nonzero zero points, as a uint8-weight
    /// exporter writes), the matrix product's with one per output column.
    static func perChannelGraph(_ rng: inout SeededGenerator, convolutionScales: [Float] = [0.0123, 0.0071, 0.0305]) -> ModelGraph {
        var graph = Self.graph(&rng)
        graph.initializers["w1s"] = .float(try! FloatTensor(shape: [3], values: convolutionScales))
        graph.initializers["w1zp"] = integers([3], [0, 3, -2], .int8)
        graph.initializers["w2s"] = .float(try! FloatTensor(shape: [5], values: [0.0071, 0.011, 0.0042, 0.0093, 0.0071]))
        graph.initializers["w2zp"] = integers([5], [0, 1, -1, 2, 0], .int8)
        return graph
    }

    /// Per-channel scales and zero points: each channel's integers equal the operators'
    /// definitions (each channel's own Float32 multiplier, exactly), on inputs that saturate too;
    /// the accumulators are scaled per channel by constants of the key before one requantization
    /// per layer; the model proves and verifies.
    @Test func perChannelIntegersEqualTheOperatorDefinitions() throws {
        var rng = SeededGenerator.forTest(stream: 1130)
        let graph = Self.perChannelGraph(&rng)
        let model = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 1, 8, 8], count: 2, &rng))
        let circuit = model.circuit
        // Convolution: a [3, 1, 1] constant broadcast by a linear map, then the product; the
        // matrix product: a [5] constant, the product.
        let products = circuit.relations.compactMap { relation -> TensorID? in
            if case .mul(_, _, let rhs) = relation { return rhs } else { return nil }
        }
        #expect(products.count == 2)
        #expect(circuit.relations.contains { if case .linear(products[0], _, _) = $0 { true } else { false } })
        #expect(circuit.tensors[products[1]].storage == .constant && circuit.tensors[products[1]].layout.shape == [5])
        #expect(model.layers.map(\.op) == ["QLinearConv", "QLinearMatMul"])
        #expect(model.layers.allSatisfy { $0.weightScale == nil })
        let executor = try FloatExecutor(graph: graph)
        for index in 0..<6 {
            let input = CompilerTests.inputs([1, 1, 8, 8], count: 1, &rng)[0]["x"]!
            let scaled = try FloatTensor(shape: input.shape, values: input.values.map { $0 * (index.isMultiple(of: 2) ? 1 : 1.6) })
            let execution = try executor.run(["x": scaled], recordingIntermediates: true)
            let inference = try model.run(input: scaled.values)
            #expect(inference.outputIntegers == execution.values["yq"]!.values.map { Int64($0) - 128 })
            #expect(CircuitChecker.check(circuit, inference.witness) == nil)
            // The convolution's integers too (before the max pool), channel by channel.
            let h1 = execution.values["h1"]!.values.map { Int64($0) - 10 }
            let h1Tensor = try #require(circuit.tensors.firstIndex { $0.name == "h1" })
            #expect(inference.witness.logicalValues(of: h1Tensor, in: circuit) == h1)
            if index == 0 {
                let pk = try Setup.run(circuit: circuit, known: model.known, field: Fr.self)
                let proof = try Prover.prove(provingKey: pk, witness: inference.witness)
                try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
            }
        }
    }

    /// Channels whose multipliers agree (equal scales in a 1-D tensor) need no per-channel factor:
    /// the one requantization of a per-tensor layer.
    @Test func perChannelScalesThatAgreeNeedNoProduct() throws {
        var rng = SeededGenerator.forTest(stream: 1140)
        var graph = Self.perChannelGraph(&rng, convolutionScales: [0.0123, 0.0123, 0.0123])
        graph.initializers["w2s"] = .float(try FloatTensor(shape: [5], values: [0.0071, 0.0071, 0.0071, 0.0071, 0.0071]))
        let model = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 1, 8, 8], count: 1, &rng))
        #expect(!model.circuit.relations.contains { $0.kind == "mul" })
        let input = CompilerTests.inputs([1, 1, 8, 8], count: 1, &rng)[0]["x"]!
        let expected = try FloatExecutor(graph: graph).run(["x": input], recordingIntermediates: true).values["yq"]!.values
        #expect(try model.run(input: input.values).outputIntegers == expected.map { Int64($0) - 128 })
    }

    /// Channels of near-zero weights (tiny scales, as onnxruntime writes for a dead channel) round
    /// to 0 for every input in range: they get the factor 0 and leave the common shift alone, even
    /// when their multiplier has no fixed-point form at all (below 2^−39).
    @Test func deadChannelsGetTheFactorZero() throws {
        var rng = SeededGenerator.forTest(stream: 1160)
        let graph = Self.perChannelGraph(&rng, convolutionScales: [0.0123, 1e-9, 1e-12])
        let model = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 1, 8, 8], count: 1, &rng))
        let factors = try #require(model.circuit.tensors.indices.first { model.circuit.tensors[$0].name == "conv.factors" })
        #expect(model.known[factors]?.dropFirst() == [0, 0])
        #expect(model.layers.first?.shift == Quantization_testHook.exactMultiplier(Float(2) / 255 * 0.0123 / 0.047)?.1)
        let executor = try FloatExecutor(graph: graph)
        for input in CompilerTests.inputs([1, 1, 8, 8], count: 3, &rng) {
            let expected = try executor.run(input, recordingIntermediates: true).values["yq"]!.values.map { Int64($0) - 128 }
            let inference = try model.run(input: input["x"]!.values)
            #expect(inference.outputIntegers == expected)
            #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
        }
    }

    /// One shift for several exact multipliers gives each channel its own rounding exactly:
    /// `floor((acc·M_c + 2^(s_c−1)) / 2^(s_c)) = floor((acc·common·f_c + 2^(s−1)) / 2^s)`.
    @Test func commonShiftKeepsEachChannelsRounding() throws {
        var rng = SeededGenerator.forTest(stream: 1150)
        let values: [Float] = [0.0123 * 0.0078 / 0.047, 0.0305 * 0.0078 / 0.047, 3.1e-5, 0.5, 0.75 * 0x1p-20]
        let multipliers = try values.map { try #require(Quantization_testHook.exactMultiplier($0)) }
        let (common, shift, factors) = try #require(Quantization_testHook.commonShift(multipliers))
        #expect(shift == multipliers.map(\.1).max())
        func rounded(_ acc: Int64, _ m: Int64, _ s: Int) -> Int64 { (acc * m + (1 << (s - 1))) >> s }
        for _ in 0..<2000 {
            let acc = Int64(rng.next() % (1 << 21)) - (1 << 20)
            for (c, (m, s)) in multipliers.enumerated() {
                #expect(rounded(acc, m, s) == rounded(acc * factors[c], common, shift))
            }
        }
        // Scales that differ by powers of two: the factors are powers of two, the significand common.
        let powers = try [Float(0.3), 0.15, 0.6].map { try #require(Quantization_testHook.exactMultiplier($0)) }
        let (powersCommon, _, powerFactors) = try #require(Quantization_testHook.commonShift(powers))
        #expect(powerFactors == [2, 1, 4] && powersCommon == powers[1].0)
        // Exponents too far apart for one 62-bit shift.
        #expect(Quantization_testHook.commonShift([(3, 1), ((1 << 23) + 1, 62)]) == nil)
    }

    /// Weight scales neither scalar nor one per output channel are refused with the reason.
    @Test func malformedPerChannelScalesAreRefused() throws {
        var rng = SeededGenerator.forTest(stream: 1120)
        var graph = Self.graph(&rng)
        graph.initializers["w1s"] = .float(try FloatTensor(shape: [2], values: [0.01, 0.02]))
        #expect {
            try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 1, 8, 8], count: 1, &rng))
        } throws: { error in
            "\(error)".contains("'conv' (QLinearConv)") && "\(error)".contains("w_scale must hold one value or 3")
        }
    }
}
