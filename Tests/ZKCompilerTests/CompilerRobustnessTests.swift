import Testing
import ZKCircuit
import ZKCompiler
import ZKField
import ZKModel
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// The compiler never traps on a model: it lowers what the relations allow and refuses the rest
/// with a ``CompileError`` naming the node.
@Suite("Compiler: constant left operands and models it must refuse")
struct CompilerRobustnessTests {
    static func graph(
        input: [Int], output: [Int], initializers: [String: TensorValue] = [:], _ nodes: [ModelNode]
    ) -> ModelGraph {
        ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: input))],
            outputs: [ValueInfo(name: nodes.last!.outputs[0], type: TensorType(shape: output))],
            initializers: initializers, nodes: nodes)
    }

    static func constant(_ shape: [Int], _ values: [Float]) -> TensorValue {
        .float(try! FloatTensor(shape: shape, values: values))
    }

    /// Compiles, checks integer inference against the float executor on one input, proves and
    /// verifies once. Returns the compiled model.
    @discardableResult
    static func proveOnce(_ graph: ModelGraph, stream: UInt64, tolerance: Double = 0.1) throws -> CompiledModel {
        var rng = SeededGenerator.forTest(stream: stream)
        let shape = graph.inputs[0].shape
        // Calibrated on the sample too, so nothing saturates and only rounding is left.
        let samples = CompilerTests.inputs(shape, count: 6, &rng)
        let model = try Compiler.compile(graph, calibration: samples)
        let sample = samples[0]
        let reference = try FloatExecutor(graph: graph).run(sample)[graph.outputs[0].name]!.values.map(Double.init)
        let inference = try model.run(input: sample["x"]!.values)
        #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
        let range = max(reference.map(abs).max() ?? 0, 1e-3)
        for (a, b) in zip(inference.output, reference) { #expect(abs(a - b) <= tolerance * range, "integer \(a) vs float \(b)") }
        #expect(inference.output.count == reference.count)
        let pk = try Setup.run(circuit: model.circuit, known: model.known, field: Fr.self)
        let proof = try Prover.prove(provingKey: pk, witness: inference.witness)
        try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        return model
    }

    /// The hint recorded for `node` when compiling `graph` is refused, or nil (an issue recorded)
    /// when the compiler accepts it or fails another way.
    static func refusal(_ graph: ModelGraph, node: String, stream: UInt64, options: CompileOptions = CompileOptions()) -> String? {
        var rng = SeededGenerator.forTest(stream: stream)
        let calibration = CompilerTests.inputs(graph.inputs[0].shape, count: 2, &rng)
        do {
            _ = try Compiler.compile(graph, calibration: calibration, options: options)
            Issue.record("the model compiled; expected node \(node) to be refused")
        } catch .unsupported(let nodes) {
            guard let refused = nodes.first(where: { $0.name == node }) else {
                Issue.record("expected node \(node) among the refused nodes, got \(nodes)"); return nil
            }
            return refused.hint
        } catch {
            Issue.record("expected node \(node) to be refused, got \(error)")
        }
        return nil
    }

    // MARK: - MatMul(constant, activation) and Gemm with a constant A

    /// `C · X` for an activation X of each supported shape: `[p]`, `[p, n]`, `[1, p, n]`, and the
    /// `[p, 1]` column (where Relu and Sigmoid follow, fused).
    @Test(arguments: [([5], [3]), ([5, 1], [3, 1]), ([4, 3], [2, 3]), ([1, 4, 3], [1, 2, 3])])
    func matMulWithAConstantLeftOperand(input: [Int], output: [Int]) throws {
        var rng = SeededGenerator.forTest(stream: 800)
        let p = input.count == 1 ? input[0] : input[input.count - 2]
        let m = output.count == 1 ? output[0] : output[output.count - 2]
        let activation: Operator = input.count == 2 ? .sigmoid : .relu
        let graph = Self.graph(input: input, output: output, initializers: ["c": CompilerTests.tensor([m, p], &rng)], [
            ModelNode(name: "left", op: .matMul, inputs: ["c", "x"], outputs: ["h"]),
            ModelNode(name: "act", op: activation, inputs: ["h"], outputs: ["y"]),
        ])
        let model = try Self.proveOnce(graph, stream: 801)
        #expect(model.circuit.relations.contains { $0.kind == "conv2d" })
    }

    /// Gemm(A, B, C) with A constant: plain, and with transA, transB and a per-row bias.
    @Test(arguments: [false, true])
    func gemmWithAConstantA(transposed: Bool) throws {
        var rng = SeededGenerator.forTest(stream: 810)
        let a = CompilerTests.tensor(transposed ? [3, 2] : [2, 3], &rng)
        let bias = transposed ? Self.constant([2, 1], [0.3, -0.2]) : Self.constant([], [0.1])
        let graph = Self.graph(
            input: transposed ? [4, 3] : [3, 4], output: [2, 4], initializers: ["a": a, "bias": bias], [
                ModelNode(name: "left", op: .gemm(GemmAttributes(alpha: 0.8, beta: 1.5, transposeA: transposed, transposeB: transposed)),
                          inputs: ["a", "x", "bias"], outputs: ["y"]),
            ])
        try Self.proveOnce(graph, stream: 811)
    }

    @Test func gemmWithAConstantAAndAPerColumnBiasIsRefused() throws {
        var rng = SeededGenerator.forTest(stream: 820)
        let graph = Self.graph(
            input: [3, 4], output: [2, 4], initializers: ["a": CompilerTests.tensor([2, 3], &rng), "bias": CompilerTests.tensor([4], &rng)],
            [ModelNode(name: "left", op: .gemm(GemmAttributes()), inputs: ["a", "x", "bias"], outputs: ["y"])])
        #expect(Self.refusal(graph, node: "left", stream: 821)?.contains("one value per output row") == true)
    }

    // MARK: - Constants where an activation is needed

    @Test func convolutionOfAConstantIsRefused() throws {
        var rng = SeededGenerator.forTest(stream: 830)
        let graph = Self.graph(
            input: [1, 1, 2, 2], output: [1, 1, 2, 2], initializers: ["image": CompilerTests.tensor([1, 1, 3, 3], &rng)],
            [ModelNode(name: "conv", op: .conv(ConvolutionAttributes()), inputs: ["image", "x"], outputs: ["y"])])
        #expect(Self.refusal(graph, node: "conv", stream: 831) != nil)
    }

    @Test func batchNormalizationOfAConstantIsRefused() throws {
        var rng = SeededGenerator.forTest(stream: 840)
        let graph = Self.graph(
            input: [2], output: [1, 2, 3, 3],
            initializers: [
                "data": CompilerTests.tensor([1, 2, 3, 3], &rng), "gamma": Self.constant([2], [1, 2]),
                "beta": Self.constant([2], [0, 1]), "var": Self.constant([2], [1, 1]),
            ],
            [ModelNode(name: "bn", op: .batchNormalization(epsilon: 1e-5), inputs: ["data", "gamma", "beta", "x", "var"],
                       outputs: ["y"])])
        #expect(Self.refusal(graph, node: "bn", stream: 841)?.contains("not a constant") == true)
    }

    // MARK: - Degenerate values

    /// Clip bounds of ±FLT_MAX (and ±∞) stand for "no bound": they clamp to the table's range.
    @Test func clipWithUnboundedLimitsProves() throws {
        for (low, high) in [(-Float.greatestFiniteMagnitude, Float(0.5)), (-Float.infinity, Float.infinity)] {
            let graph = Self.graph(input: [1, 6], output: [1, 6], [
                ModelNode(name: "clip", op: .clip(minimum: low, maximum: high), inputs: ["x"], outputs: ["y"]),
            ])
            try Self.proveOnce(graph, stream: 850, tolerance: 0.02)
        }
    }

    @Test func nonFiniteWeightsAreRefused() throws {
        var values = [Float](repeating: 0.1, count: 12)
        values[5] = .nan
        let graph = Self.graph(
            input: [1, 4], output: [1, 3], initializers: ["w": Self.constant([3, 4], values)],
            [ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["x", "w"], outputs: ["y"])])
        var rng = SeededGenerator.forTest(stream: 860)
        #expect(throws: CompileError.self) {
            _ = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 4], count: 2, &rng))
        }
    }

    @Test func emptyTensorsAreRefused() throws {
        let graph = Self.graph(input: [1, 0], output: [1, 0], [ModelNode(name: "relu", op: .relu, inputs: ["x"], outputs: ["y"])])
        #expect(throws: CompileError.self) {
            _ = try Compiler.compile(graph, calibration: [["x": try FloatTensor(shape: [1, 0], values: [])]])
        }
    }

    /// A layer whose worst-case accumulator times the multiplier leaves 64 bits (16-bit weights
    /// and inputs, a fan-in of 2^20) is refused, naming it.
    @Test func worstCaseBeyondSixtyFourBitsIsRefused() throws {
        let fanIn = 1 << 20
        let graph = Self.graph(
            input: [1, fanIn], output: [1, 1],
            initializers: ["w": Self.constant([1, fanIn], [Float](repeating: 0.5, count: fanIn))],
            [ModelNode(name: "wide", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["x", "w"], outputs: ["y"])])
        let calibration = [["x": try FloatTensor(shape: [1, fanIn], repeating: 0.01)]]
        do {
            _ = try Compiler.compile(graph, calibration: calibration, options: CompileOptions(bits: 16))
            Issue.record("expected the layer to be refused")
        } catch .unsupported(let nodes) {
            #expect(nodes.map(\.name) == ["wide"])
            #expect(nodes.first?.hint.contains("64-bit") == true)
        } catch {
            Issue.record("expected the layer to be refused, got \(error)")
        }
    }

    /// A layer whose worst case needs a table up to 4× wider than the maximum is requantized to a
    /// coarser scale (the table then fits) instead of being refused — how 16-bit convolutions
    /// compile; one that needs 8× more is still refused (a coarser scale would lose its result).
    @Test func aTooWideTableCoarsensTheLayerScale() throws {
        var rng = SeededGenerator.forTest(stream: 885)
        let graph = Self.graph(
            input: [1, 64], output: [1, 4],
            initializers: ["w": CompilerTests.tensor([4, 64], &rng, scale: 1)],
            [ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["x", "w"], outputs: ["y"])])
        let calibration = CompilerTests.inputs([1, 64], count: 4, &rng)
        let wide = try Compiler.compile(graph, calibration: calibration)
        let bits = wide.layers[0].tableBits
        var narrow = CompileOptions()
        narrow.maximumTableBits = bits - 1
        let coarse = try Compiler.compile(graph, calibration: calibration, options: narrow)
        #expect(coarse.layers[0].tableBits <= bits - 1)
        #expect(coarse.layers[0].outputScale > wide.layers[0].outputScale)
        #expect(coarse.layers[0].outputScale <= 4 * wide.layers[0].outputScale)
        let input = calibration[0]["x"]!
        let reference = try FloatExecutor(graph: graph).run(["x": input])["y"]!.values.map(Double.init)
        let range = reference.map(abs).max()!
        let inference = try coarse.run(input: input.values)
        #expect(CircuitChecker.check(coarse.circuit, inference.witness) == nil)
        for (a, b) in zip(inference.output, reference) { #expect(abs(a - b) <= 0.1 * range, "\(a) vs \(b)") }
        var tooNarrow = CompileOptions()
        tooNarrow.maximumTableBits = bits - 3
        #expect(tooNarrow.maximumTableBits >= tooNarrow.bits)      // a valid option: the layer itself is refused
        #expect {
            _ = try Compiler.compile(graph, calibration: calibration, options: tooNarrow)
        } throws: { error in
            guard case CompileError.unsupported(let nodes) = error else { return false }
            return nodes.map(\.name) == ["fc"] && nodes[0].hint.contains("table")
        }
    }

    @Test func tableWidthsOutsideTheirRangeAreRefused() throws {
        let graph = Self.graph(input: [1, 6], output: [1, 6], [ModelNode(name: "relu", op: .relu, inputs: ["x"], outputs: ["y"])])
        var rng = SeededGenerator.forTest(stream: 880)
        let calibration = CompilerTests.inputs([1, 6], count: 2, &rng)
        for maximum in [7, 25, Int.max] {
            var options = CompileOptions()
            options.maximumTableBits = maximum
            #expect(throws: CompileError.self) { _ = try Compiler.compile(graph, calibration: calibration, options: options) }
        }
    }

    /// The verifier applies a trailing Softmax to the whole output only: a Softmax over the rows of
    /// a matrix is proven row by row inside the circuit instead (exp and reciprocal tables), never
    /// computed over the wrong axis.
    @Test func softmaxOverSeveralRowsIsProvenRowByRow() throws {
        let graph = Self.graph(input: [1, 2, 3], output: [1, 2, 3], [
            ModelNode(name: "softmax", op: .softmax(axis: -1), inputs: ["x"], outputs: ["y"]),
        ])
        var rng = SeededGenerator.forTest(stream: 870)
        let model = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 2, 3], count: 4, &rng))
        #expect(model.outputPostprocessing == .none)
        try CompilerTests().roundTrip(graph, inputShape: [1, 2, 3], stream: 871, tolerance: 0.1)
    }
}
