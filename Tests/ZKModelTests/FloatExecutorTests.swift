import Testing
import ZKModel

@Suite("Float executor")
struct FloatExecutorTests {
    func run(_ op: Operator, _ inputs: [FloatTensor], initializers: [Int: TensorValue] = [:]) throws -> FloatTensor {
        var graphInputs: [ValueInfo] = []
        var constants: [String: TensorValue] = [:]
        var feeds: [String: FloatTensor] = [:]
        for (index, tensor) in inputs.enumerated() {
            if let value = initializers[index] {
                constants["x\(index)"] = value
            } else {
                graphInputs.append(ValueInfo(name: "x\(index)", type: TensorType(shape: tensor.shape)))
                feeds["x\(index)"] = tensor
            }
        }
        let node = ModelNode(name: "n", op: op, inputs: inputs.indices.map { "x\($0)" }, outputs: ["y"])
        let probe = ModelGraph(inputs: graphInputs, outputs: [], initializers: constants, nodes: [node])
        let shape = try #require(try probe.inferTypes()["y"]).shape
        let graph = ModelGraph(
            inputs: graphInputs, outputs: [ValueInfo(name: "y", type: TensorType(shape: shape))], initializers: constants,
            nodes: [node])
        return try #require(try FloatExecutor(graph: graph).run(feeds)["y"])
    }

    func tensor(_ shape: [Int], _ values: [Float]) throws -> FloatTensor { try FloatTensor(shape: shape, values: values) }

    @Test("Gemm with transposes, alpha and beta")
    func gemm() throws {
        let a = try tensor([2, 2], [1, 2, 3, 4])  // transposed: [[1, 3], [2, 4]]
        let b = try tensor([2, 2], [1, 0, 0, 1])
        let c = try tensor([2], [10, 20])
        let y = try run(.gemm(GemmAttributes(alpha: 2, beta: 0.5, transposeA: true, transposeB: false)), [a, b, c])
        #expect(y.values == [7, 16, 9, 18] as [Float])
    }

    @Test("Conv with padding, stride and a depthwise group")
    func conv() throws {
        let x = try tensor([1, 2, 3, 3], (0..<18).map { Float($0) })
        let w = try tensor([2, 1, 2, 2], [1, 1, 1, 1, 1, 0, 0, -1])
        let attributes = ConvolutionAttributes(strides: [2, 2], padding: .explicit([0, 0, 1, 1]), group: 2)
        let y = try run(.conv(attributes), [x, w])
        // Channel 0 sums 2x2 windows at (0,0), (0,2 → padded), (2,0), (2,2).
        #expect(y.shape == [1, 2, 2, 2])
        #expect(Array(y.values[0..<4]) == [8, 7, 13, 8] as [Float])
        #expect(Array(y.values[4..<8]) == [-4, 11, 15, 17] as [Float])
    }

    @Test("pooling: max, average with and without padding counted, global")
    func pooling() throws {
        let x = try tensor([1, 1, 2, 2], [1, 2, 3, 4])
        let padded = PoolingAttributes(kernelShape: [2, 2], padding: .explicit([1, 1, 0, 0]))
        #expect(try run(.maxPool(padded), [x]).values == [1, 2, 3, 4])
        #expect(try run(.averagePool(padded), [x]).values == [1, 1.5, 2, 2.5])
        var counted = padded
        counted.countIncludePad = true
        #expect(try run(.averagePool(counted), [x]).values == [0.25, 0.75, 1, 2.5])
        #expect(try run(.globalAveragePool, [x]).values == [2.5])
    }

    @Test("Softmax, BatchNormalization, activations and broadcasting arithmetic")
    func elementwise() throws {
        let y = try run(.softmax(axis: 0), [try tensor([2, 1], [0, 0])])
        #expect(y.values == [0.5, 0.5])
        let bn = try run(
            .batchNormalization(epsilon: 0),
            [try tensor([1, 2, 1], [3, 5]), try tensor([2], [2, 1]), try tensor([2], [1, 0]), try tensor([2], [1, 1]),
             try tensor([2], [4, 16])])
        #expect(bn.values == [3, 1])
        #expect(try run(.relu, [try tensor([3], [-1, 0, 2])]).values == [0, 0, 2])
        #expect(try run(.clip(minimum: 0, maximum: 1), [try tensor([3], [-1, 0.5, 2])]).values == [0, 0.5, 1])
        #expect(try run(.sub, [try tensor([2, 2], [1, 2, 3, 4]), try tensor([2], [1, 1])]).values == [0, 1, 2, 3])
        #expect(try run(.sigmoid, [try tensor([1], [0])]).values == [0.5])
    }

    @Test("quantized operators follow the ONNX definitions")
    func quantized() throws {
        let x = try tensor([4], [-1, 0.26, 0.25, 100])
        let q = try run(
            .quantizeLinear(axis: 0), [x, try tensor([], [0.5]), try tensor([], [1])],
            initializers: [2: .integer(try IntegerTensor(shape: [], values: [1], elementType: .int8))])
        #expect(q.values == [-1, 2, 1, 127])  // 0.25/0.5 = 0.5 rounds to even 0, plus 1
        let d = try run(.dequantizeLinear(axis: 0), [try tensor([2], [3, 5]), try tensor([], [0.5]), try tensor([], [1])])
        #expect(d.values == [1, 2])
        let m = try run(.matMulInteger, [try tensor([1, 2], [3, 4]), try tensor([2, 1], [1, 2]), try tensor([], [1])])
        #expect(m.values == [8] as [Float])
    }

    /// onnxruntime's quantize_static writes a QDQ model's bias DequantizeLinear with its scale as
    /// `[1]` and its zero point as a scalar: one value each, per tensor.
    @Test("a one-value scale [1] beside a scalar zero point is per-tensor")
    func oneValueParametersOfTwoShapes() throws {
        let d = try run(.dequantizeLinear(axis: 1), [try tensor([2], [3, 5]), try tensor([1], [0.5]), try tensor([], [1])])
        #expect(d.values == [1, 2])
        #expect(throws: (any Error).self) {
            try run(.dequantizeLinear(axis: 0), [try tensor([2], [3, 5]), try tensor([2], [0.5, 1]), try tensor([], [1])])
        }
    }

    @Test("errors: missing inputs, wrong shapes, undefined values")
    func errors() throws {
        let node = ModelNode(name: "relu", op: .relu, inputs: ["x"], outputs: ["y"])
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [2]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [2]))], nodes: [node])
        let executor = try FloatExecutor(graph: graph)
        #expect(throws: ModelError.missingInput(name: "x")) { try executor.run([:]) }
        #expect(throws: ModelError.inputShapeMismatch(name: "x", expected: [2], actual: [3])) {
            try executor.run(["x": try FloatTensor(shape: [3], repeating: 1)])
        }
        let broken = ModelGraph(inputs: [], outputs: [], nodes: [node])
        #expect(throws: ModelError.undefinedValue(name: "x", node: "relu")) { try FloatExecutor(graph: broken) }
        let wrongOutput = ModelGraph(
            inputs: graph.inputs, outputs: [ValueInfo(name: "y", type: TensorType(shape: [3]))], nodes: [node])
        #expect(throws: ModelError.self) { try FloatExecutor(graph: wrongOutput) }
    }
}
