import Testing
import ZKCircuit
import ZKCompiler
import ZKModel
import ZKTesting

/// The operators issue #11 added, each compiled, run in integers against the float executor,
/// checked by the circuit checker, proven and verified (``CompilerTests/roundTrip``).
@Suite("Compiler: element-wise functions, data movement, reductions, normalisation, attention")
struct OperatorCoverageTests {
    typealias C = CompilerCoverageTests

    /// x[1,16] → Gemm(16→12) → [Softplus + 0.05 for functions of positive inputs] → f → output.
    static func functionGraph(_ function: UnaryFunction, _ rng: inout SeededGenerator) -> ModelGraph {
        let positive: Set<String> = ["Log", "Sqrt", "Reciprocal", "ReciprocalSquareRoot", "Pow"]
        var nodes = [ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["x", "w", "b"], outputs: ["h"])]
        var input = "h"
        if positive.contains(function.name) {
            nodes.append(ModelNode(name: "softplus", op: .unary(.softplus), inputs: ["h"], outputs: ["s"]))
            nodes.append(ModelNode(name: "shift", op: .add, inputs: ["s", "offset"], outputs: ["p"]))
            input = "p"
        }
        nodes.append(ModelNode(name: "f", op: .unary(function), inputs: [input], outputs: ["y"]))
        return ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 16]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 12]))],
            initializers: ["w": CompilerTests.tensor([12, 16], &rng, scale: 0.6), "b": CompilerTests.tensor([12], &rng),
                           "offset": C.constant([], [0.25])],
            nodes: nodes)
    }

    static let functions: [UnaryFunction] = [
        .leakyRelu(alpha: 0.1), .elu(alpha: 1), .selu(alpha: 1.6733, gamma: 1.0507), .celu(alpha: 0.5),
        .thresholdedRelu(alpha: 0.2), .softplus, .softsign, .hardSigmoid(alpha: 0.2, beta: 0.5), .hardSwish,
        .gelu(tanhApproximation: false), .gelu(tanhApproximation: true), .mish, .erf, .exp, .log, .sqrt,
        .reciprocalSquareRoot(epsilon: 1e-5), .reciprocal, .power(exponent: 2), .power(exponent: 0.5), .negate, .absolute,
        .sine, .cosine,
    ]

    /// Every function proves, and its integer output tracks the float one. The tolerance is
    /// relative to the output's range: a table rounds to one output step, and steep functions
    /// (exp, 1/x) amplify the input's rounding.
    @Test(arguments: functions) func elementwiseFunctionProves(_ function: UnaryFunction) throws {
        var rng = SeededGenerator.forTest(stream: 700)
        let steep: Set<String> = ["Exp", "Reciprocal", "ReciprocalSquareRoot", "Log"]
        try CompilerTests().roundTrip(Self.functionGraph(function, &rng), inputShape: [1, 16], stream: 701,
                                      tolerance: steep.contains(function.name) ? 0.2 : 0.05)
    }

    /// Each function table against the float reference: entry `v` holds `f(v · s_in) / s_out`
    /// rounded, clamped to ±limit.
    @Test func functionTablesMatchTheFloatReference() throws {
        var rng = SeededGenerator.forTest(stream: 705)
        for function in Self.functions {
            let graph = Self.functionGraph(function, &rng)
            let model = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 16], count: 8, &rng))
            let name = function.signature
            let tables = model.circuit.tables.compactMap { table -> (String, Int, [Int64])? in
                if case .function(let n, let bits, let values) = table, n.hasPrefix(name + "(") { return (n, bits, values) }
                return nil
            }
            #expect(tables.count == 1, "\(name): \(tables.count) tables")
            guard let (tableName, bits, values) = tables.first else { continue }
            // The name records the scales: "sig(s_in)→s_out[limit]".
            let inner = tableName.dropFirst(name.count + 1)
            let sIn = Double(inner.prefix { $0 != ")" })!
            let sOut = Double(inner.split(separator: "→")[1].prefix { $0 != "[" })!
            let half = 1 << (bits - 1)
            for row in stride(from: 0, to: values.count, by: 7) {
                let v = Double(row - half)
                let exact = function.apply(v * sIn) / sOut
                guard exact.isFinite, abs(exact) < 126 else { continue }
                #expect(abs(Double(values[row]) - exact) <= 0.5 + 1e-9, "\(name) at \(v): table \(values[row]) vs \(exact)")
            }
        }
    }

    /// x[1,2,5,5] → Pad(reflect 1) → Pad(edge [0,0,1,0]) → Slice(rows 1..6 step 2) → Tile(1,1,1,2) →
    /// Resize(nearest ×2 on rows) → Conv(2→3, 3×3) → Flatten → Gemm(→4).
    @Test func dataMovementProves() throws {
        var rng = SeededGenerator.forTest(stream: 710)
        // 5x5 → pad reflect → 7x7 → edge top 1 → 8x7 → slice rows 1,3,5,7 → 4x7 → tile cols → 4x14 → ×2 rows → 8x14
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 2, 5, 5]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 4]))],
            initializers: ["k": CompilerTests.tensor([3, 2, 3, 3], &rng), "w": CompilerTests.tensor([4, 216], &rng)],
            nodes: [
                ModelNode(name: "pad", op: .select(.pad(pads: [0, 0, 1, 1, 0, 0, 1, 1], mode: .reflect, value: 0)), inputs: ["x"], outputs: ["p"]),
                ModelNode(name: "edge", op: .select(.pad(pads: [0, 0, 1, 0, 0, 0, 0, 0], mode: .edge, value: 0)), inputs: ["p"], outputs: ["e"]),
                ModelNode(name: "slice", op: .select(.slice(starts: [1], ends: [100], axes: [2], steps: [2])), inputs: ["e"], outputs: ["s"]),
                ModelNode(name: "tile", op: .select(.tile(repeats: [1, 1, 1, 2])), inputs: ["s"], outputs: ["t"]),
                ModelNode(name: "up", op: .select(.resizeNearest(scales: [1, 1, 2, 1], sizes: nil, coordinates: .asymmetric, rounding: .floor)),
                          inputs: ["t"], outputs: ["u"]),
                ModelNode(name: "conv", op: .conv(ConvolutionAttributes()), inputs: ["u", "k"], outputs: ["c"]),
                ModelNode(name: "flat", op: .flatten(axis: 1), inputs: ["c"], outputs: ["f"]),
                ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["f", "w"], outputs: ["y"]),
            ])
        try CompilerTests().roundTrip(graph, inputShape: [1, 2, 5, 5], stream: 711, tolerance: 0.08)
    }

    /// x[1,4,6] → Gemm-free chain: Unsqueeze/Squeeze, Gather(axis 2, [5, 0, 3]), Split part, Expand,
    /// ReduceSum, ReduceMean, ReduceMax, ReduceMin, Max, Min, Div, PRelu, then Concat.
    @Test func reductionsAndBinaryOperatorsProve() throws {
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 4, 6]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 4, 22]))],
            initializers: ["slope": C.constant([4, 1], [0.1, 0.2, 0.3, 0.4]), "two": C.constant([], [2])],
            nodes: [
                ModelNode(name: "gather", op: .select(.gather(axis: 2, indices: [5, 0, 3], indicesShape: [3])), inputs: ["x"], outputs: ["g"]),
                ModelNode(name: "split", op: .select(.splitPart(axis: 2, sizes: nil, parts: 2, index: 1)), inputs: ["x"], outputs: ["h"]),
                ModelNode(name: "sum", op: .reduce(Reduction(kind: .sum, axes: [2], keepDims: true)), inputs: ["x"], outputs: ["s"]),
                ModelNode(name: "mean", op: .reduce(Reduction(kind: .mean, axes: [-1], keepDims: false)), inputs: ["x"], outputs: ["m0"]),
                ModelNode(name: "unsq", op: .unsqueeze(axes: [2]), inputs: ["m0"], outputs: ["m"]),
                ModelNode(name: "max", op: .reduce(Reduction(kind: .max, axes: [2], keepDims: true)), inputs: ["x"], outputs: ["mx"]),
                ModelNode(name: "min", op: .reduce(Reduction(kind: .min, axes: [2], keepDims: true)), inputs: ["x"], outputs: ["mn"]),
                ModelNode(name: "emax", op: .maximum, inputs: ["g", "h"], outputs: ["a"]),
                ModelNode(name: "emin", op: .minimum, inputs: ["h", "m"], outputs: ["b"]),
                ModelNode(name: "exp", op: .unary(.exp), inputs: ["mx"], outputs: ["pos"]),
                ModelNode(name: "div", op: .div, inputs: ["g", "pos"], outputs: ["d"]),
                ModelNode(name: "half", op: .div, inputs: ["h", "two"], outputs: ["hh"]),
                ModelNode(name: "prelu", op: .pRelu, inputs: ["x", "slope"], outputs: ["r"]),
                ModelNode(name: "expand", op: .select(.expand(shape: [1, 4, 3])), inputs: ["mn"], outputs: ["ex"]),
                ModelNode(name: "cat", op: .concat(axis: 2), inputs: ["a", "b", "d", "hh", "s", "r", "ex"], outputs: ["y0"]),
                ModelNode(name: "sq", op: .squeeze(axes: [0]), inputs: ["y0"], outputs: ["y1"]),
                ModelNode(name: "unsq2", op: .unsqueeze(axes: [0]), inputs: ["y1"], outputs: ["y"]),
            ])
        // Concatenated widths: a 3, b 3, d 3, hh 3, s 1, r 6, ex 3 = 22.
        try CompilerTests().roundTrip(graph, inputShape: [1, 4, 6], stream: 721, tolerance: 0.1)
    }

    /// A transformer block on an embedded sequence x[1,8,16]: LayerNormalization, Q/K/V
    /// projections, `Q·Kᵀ` (MatMul of activations after a Transpose), a scale, Softmax over the
    /// last axis inside the model, `·V`, a residual Add, InstanceNormalization-free LayerNorm
    /// again, Gelu, a mean over the sequence and a Gemm head.
    static func transformer(_ rng: inout SeededGenerator) -> ModelGraph {
        ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 8, 16]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 4]))],
            initializers: [
                "g1": CompilerTests.tensor([16], &rng, scale: 1), "b1": CompilerTests.tensor([16], &rng),
                "wq": CompilerTests.tensor([16, 16], &rng), "wk": CompilerTests.tensor([16, 16], &rng),
                "wv": CompilerTests.tensor([16, 16], &rng), "scale": C.constant([], [0.25]),
                "w1": CompilerTests.tensor([16, 32], &rng), "w2": CompilerTests.tensor([32, 16], &rng),
                "head": CompilerTests.tensor([4, 16], &rng, scale: 0.6),
            ],
            nodes: [
                ModelNode(name: "ln1", op: .layerNormalization(axis: -1, epsilon: 1e-5), inputs: ["x", "g1", "b1"], outputs: ["n1"]),
                ModelNode(name: "q", op: .matMul, inputs: ["n1", "wq"], outputs: ["q"]),
                ModelNode(name: "k", op: .matMul, inputs: ["n1", "wk"], outputs: ["k"]),
                ModelNode(name: "v", op: .matMul, inputs: ["n1", "wv"], outputs: ["v"]),
                ModelNode(name: "kt", op: .transpose(permutation: [0, 2, 1]), inputs: ["k"], outputs: ["kt"]),
                ModelNode(name: "scores", op: .matMul, inputs: ["q", "kt"], outputs: ["s0"]),
                ModelNode(name: "scaled", op: .mul, inputs: ["s0", "scale"], outputs: ["s"]),
                ModelNode(name: "softmax", op: .softmax(axis: -1), inputs: ["s"], outputs: ["a"]),
                ModelNode(name: "attend", op: .matMul, inputs: ["a", "v"], outputs: ["o"]),
                ModelNode(name: "residual", op: .add, inputs: ["o", "x"], outputs: ["r"]),
                ModelNode(name: "ln2", op: .layerNormalization(axis: -1, epsilon: 1e-5), inputs: ["r", "g1"], outputs: ["n2"]),
                ModelNode(name: "mlp1", op: .matMul, inputs: ["n2", "w1"], outputs: ["m1"]),
                ModelNode(name: "gelu", op: .unary(.gelu(tanhApproximation: false)), inputs: ["m1"], outputs: ["m2"]),
                ModelNode(name: "mlp2", op: .matMul, inputs: ["m2", "w2"], outputs: ["m3"]),
                ModelNode(name: "pool", op: .reduce(Reduction(kind: .mean, axes: [1], keepDims: false)), inputs: ["m3"], outputs: ["p"]),
                ModelNode(name: "head", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["p", "head"], outputs: ["y"]),
            ])
    }

    @Test func transformerBlockProves() throws {
        var rng = SeededGenerator.forTest(stream: 730)
        try CompilerTests().roundTrip(Self.transformer(&rng), inputShape: [1, 8, 16], stream: 731, tolerance: 0.15)
    }

    /// InstanceNormalization, LogSoftmax over the channels and a trailing ArgMax (applied by the verifier).
    @Test func normalisationAndArgMaxProve() throws {
        var rng = SeededGenerator.forTest(stream: 740)
        var graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 3, 4, 4]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 3, 4, 4]))],
            initializers: ["g": C.constant([3], [1, 0.5, -1]), "b": C.constant([3], [0, 0.1, 0.2]),
                           "w": CompilerTests.tensor([5, 48], &rng)],
            nodes: [
                ModelNode(name: "in", op: .instanceNormalization(epsilon: 1e-5), inputs: ["x", "g", "b"], outputs: ["n"]),
                ModelNode(name: "lsm", op: .logSoftmax(axis: 1), inputs: ["n"], outputs: ["y"]),
            ])
        try CompilerTests().roundTrip(graph, inputShape: [1, 3, 4, 4], stream: 741, tolerance: 0.1)
        graph.nodes += [
            ModelNode(name: "flat", op: .flatten(axis: 1), inputs: ["y"], outputs: ["f"]),
            ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["f", "w"], outputs: ["l"]),
            ModelNode(name: "argmax", op: .argMax(axis: 1, keepDims: true, selectLastIndex: false), inputs: ["l"], outputs: ["label"]),
        ]
        graph.outputs = [ValueInfo(name: "label", type: TensorType(elementType: .int64, shape: [1, 1]))]
        let model = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 3, 4, 4], count: 4, &rng))
        #expect(model.outputPostprocessing == .argmax)
        let sample = CompilerTests.inputs([1, 3, 4, 4], count: 1, &rng)[0]
        let reference = try FloatExecutor(graph: graph).run(sample)["label"]!.values
        let inference = try model.run(input: sample["x"]!.values)
        #expect(inference.output == reference.map(Double.init), "the verifier's argmax of the proven scores is the float label")
        #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
    }

    /// x[1,2,4,4] → ConvTranspose(2→4, 3×3, stride 2, pads 1, output padding 1, 2 groups) → Relu →
    /// Conv(4→3, 3×3, dilation 2, pads 2) → Flatten → Gemm(→3).
    @Test func transposedAndDilatedConvolutionsProve() throws {
        var rng = SeededGenerator.forTest(stream: 750)
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 2, 4, 4]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 3]))],
            initializers: ["wt": CompilerTests.tensor([2, 2, 3, 3], &rng, scale: 0.6), "bt": CompilerTests.tensor([4], &rng),
                           "wd": CompilerTests.tensor([3, 4, 3, 3], &rng), "w": CompilerTests.tensor([3, 192], &rng)],
            nodes: [
                ModelNode(name: "up", op: .convTranspose(ConvTransposeAttributes(strides: [2, 2], pads: [1, 1, 1, 1],
                                                                                 outputPadding: [1, 1], group: 2)),
                          inputs: ["x", "wt", "bt"], outputs: ["u"]),
                ModelNode(name: "relu", op: .relu, inputs: ["u"], outputs: ["r"]),
                ModelNode(name: "dilated", op: .conv(ConvolutionAttributes(dilations: [2, 2], padding: .explicit([2, 2, 2, 2]))),
                          inputs: ["r", "wd"], outputs: ["d"]),
                ModelNode(name: "flat", op: .flatten(axis: 1), inputs: ["d"], outputs: ["f"]),
                ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["f", "w"], outputs: ["y"]),
            ])
        // 4×4 → (4−1)·2 + 1 + 3 − 2 = 8×8, 4 channels; the dilated conv keeps 8×8: 3·64 = 192.
        try CompilerTests().roundTrip(graph, inputShape: [1, 2, 4, 4], stream: 751, tolerance: 0.08)
    }

    /// LayerNorm and Gelu as older PyTorch exporters write them: ReduceMean, Sub, Pow 2,
    /// ReduceMean, Add ε, Sqrt, Div; `x · 0.5 · (1 + Erf(x / √2))`.
    @Test func decomposedLayerNormAndGeluProve() throws {
        var rng = SeededGenerator.forTest(stream: 760)
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 4, 8]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 4, 8]))],
            initializers: ["two": C.constant([], [2]), "eps": C.constant([], [1e-5]), "gamma": CompilerTests.tensor([8], &rng, scale: 1),
                           "beta": CompilerTests.tensor([8], &rng), "root2": C.constant([], [1.4142135]), "one": C.constant([], [1]),
                           "half": C.constant([], [0.5]), "w": CompilerTests.tensor([8, 8], &rng, scale: 0.6)],
            nodes: [
                ModelNode(name: "mean", op: .reduce(Reduction(kind: .mean, axes: [-1], keepDims: true)), inputs: ["x"], outputs: ["m"]),
                ModelNode(name: "centre", op: .sub, inputs: ["x", "m"], outputs: ["c"]),
                ModelNode(name: "square", op: .unary(.power(exponent: 2)), inputs: ["c"], outputs: ["c2"]),
                ModelNode(name: "var", op: .reduce(Reduction(kind: .mean, axes: [-1], keepDims: true)), inputs: ["c2"], outputs: ["v"]),
                ModelNode(name: "eps", op: .add, inputs: ["v", "eps"], outputs: ["ve"]),
                ModelNode(name: "sqrt", op: .unary(.sqrt), inputs: ["ve"], outputs: ["sd"]),
                ModelNode(name: "div", op: .div, inputs: ["c", "sd"], outputs: ["n"]),
                ModelNode(name: "scale", op: .mul, inputs: ["n", "gamma"], outputs: ["ng"]),
                ModelNode(name: "shift", op: .add, inputs: ["ng", "beta"], outputs: ["ln"]),
                ModelNode(name: "fc", op: .matMul, inputs: ["ln", "w"], outputs: ["h"]),
                ModelNode(name: "scaled", op: .div, inputs: ["h", "root2"], outputs: ["hs"]),
                ModelNode(name: "erf", op: .unary(.erf), inputs: ["hs"], outputs: ["e"]),
                ModelNode(name: "plus1", op: .add, inputs: ["e", "one"], outputs: ["e1"]),
                ModelNode(name: "gate", op: .mul, inputs: ["h", "e1"], outputs: ["g"]),
                ModelNode(name: "halve", op: .mul, inputs: ["g", "half"], outputs: ["y"]),
            ])
        try CompilerTests().roundTrip(graph, inputShape: [1, 4, 8], stream: 761, tolerance: 0.1)
    }

    /// Constant padding with a nonzero value: the zero-padded copy plus the value on the padding.
    @Test func constantPaddingWithAValueProves() throws {
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 2, 3, 3]))],
            outputs: [ValueInfo(name: "p", type: TensorType(shape: [1, 2, 5, 5]))],
            initializers: [:],
            nodes: [
                ModelNode(name: "pad", op: .select(.pad(pads: [0, 0, 1, 1, 0, 0, 1, 1], mode: .constant, value: 0.75)),
                          inputs: ["x"], outputs: ["p"]),
            ])
        try CompilerTests().roundTrip(graph, inputShape: [1, 2, 3, 3], stream: 772, tolerance: 0.02)
    }
}
