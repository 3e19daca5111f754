import Testing
import ZKModel

@Suite("Shapes and broadcasting")
struct ShapeTests {
    @Test("numpy broadcasting")
    func broadcasting() {
        #expect(Broadcasting.shape([[2, 3, 4], [4]]) == [2, 3, 4])
        #expect(Broadcasting.shape([[2, 1, 4], [3, 1]]) == [2, 3, 4])
        #expect(Broadcasting.shape([[], [5]]) == [5])
        #expect(Broadcasting.shape([[2, 3], [4, 3]]) == nil)
        #expect(Broadcasting.isUnidirectional([3], to: [2, 3]))
        #expect(!Broadcasting.isUnidirectional([2, 3], to: [3]))
        #expect(Broadcasting.sourceIndices(of: [2, 1], broadcastTo: [2, 3]) == [0, 0, 0, 1, 1, 1])
    }

    @Test("auto_pad resolution")
    func padding() {
        let same = Padding.sameUpper.resolved(inputSizes: [5, 6], kernel: [3, 2], strides: [2, 2], dilations: [1, 1])
        #expect(same == [1, 0, 1, 0])
        let lower = Padding.sameLower.resolved(inputSizes: [6], kernel: [4], strides: [1], dilations: [1])
        #expect(lower == [2, 1])
        #expect(Padding.valid.resolved(inputSizes: [5, 5], kernel: [3, 3], strides: [1, 1], dilations: [1, 1]) == [0, 0, 0, 0])
        #expect(Padding.explicit([1, 2]).resolved(inputSizes: [5, 5], kernel: [3, 3], strides: [1, 1], dilations: [1, 1]) == nil)
    }

    func node(_ op: Operator, _ inputs: [String]) -> ModelNode {
        ModelNode(name: "n", op: op, inputs: inputs, outputs: ["y"])
    }

    func outputShape(_ op: Operator, _ shapes: [[Int]]) throws -> [Int] {
        try ShapeInference.outputTypes(
            of: node(op, shapes.indices.map { "x\($0)" }), inputs: shapes.map { TensorType(shape: $0) })[0].shape
    }

    @Test("shape rules")
    func rules() throws {
        #expect(try outputShape(.gemm(GemmAttributes(transposeA: true, transposeB: true)), [[3, 2], [4, 3], [4]]) == [2, 4])
        #expect(try outputShape(.matMul, [[2, 1, 3, 4], [5, 4, 6]]) == [2, 5, 3, 6])
        #expect(try outputShape(.matMul, [[4], [4, 6]]) == [6])
        let conv = ConvolutionAttributes(strides: [2, 2], padding: .explicit([1, 1, 1, 1]), group: 4)
        #expect(try outputShape(.conv(conv), [[1, 4, 7, 7], [8, 1, 3, 3]]) == [1, 8, 4, 4])
        let pool = PoolingAttributes(kernelShape: [3, 3], strides: [2, 2], ceilMode: true)
        #expect(try outputShape(.maxPool(pool), [[1, 1, 6, 6]]) == [1, 1, 3, 3])
        #expect(try outputShape(.reshape(shape: [0, -1], allowZero: false), [[2, 3, 4]]) == [2, 12])
        #expect(try outputShape(.flatten(axis: 0), [[2, 3]]) == [1, 6])
        #expect(try outputShape(.transpose(permutation: nil), [[2, 3, 4]]) == [4, 3, 2])
        #expect(try outputShape(.concat(axis: -1), [[2, 3], [2, 5]]) == [2, 8])
        #expect(try outputShape(.globalAveragePool, [[2, 3, 5, 5]]) == [2, 3, 1, 1])
    }

    @Test("errors name the node and never trap on nonsense")
    func errors() {
        let bad: [(Operator, [[Int]])] = [
            (.gemm(GemmAttributes()), [[2, 3], [4, 5]]),
            (.conv(ConvolutionAttributes(strides: [0, 1])), [[1, 1, 5, 5], [1, 1, 3, 3]]),
            (.conv(ConvolutionAttributes(group: 3)), [[1, 4, 5, 5], [4, 1, 3, 3]]),
            (.maxPool(PoolingAttributes(kernelShape: [9, 9])), [[1, 1, 5, 5]]),
            (.maxPool(PoolingAttributes(kernelShape: [Int.max, 1])), [[1, 1, 5, 5]]),
            (.reshape(shape: [-1, -1], allowZero: false), [[4]]),
            (.reshape(shape: [5], allowZero: false), [[4]]),
            (.softmax(axis: Int.min), [[4]]),
            (.transpose(permutation: [0, 0]), [[2, 2]]),
            (.add, [[2, 3], [3, 2]]),
            (.flatten(axis: Int.max), [[2]]),
        ]
        for (op, shapes) in bad {
            #expect {
                try outputShape(op, shapes)
            } throws: { error in
                guard case ModelError.invalidNode(let name, let opName, _) = error else { return false }
                return name == "n" && opName == op.name
            }
        }
    }

    @Test("onnxruntime's quantized operators: shapes, output types from the zero points, refusals")
    func microsoftQuantized() throws {
        func types(_ op: Operator, _ inputs: [TensorType?]) throws -> TensorType {
            let names = inputs.indices.map { inputs[$0] == nil ? "" : "x\($0)" }
            return try ShapeInference.outputTypes(of: node(op, names), inputs: inputs)[0]
        }
        let f = TensorType(shape: [])
        let u8 = TensorType(elementType: .uint8, shape: [])
        let s8 = TensorType(elementType: .int8, shape: [1])
        let gemm = Operator.qGemm(GemmAttributes(transposeB: true))
        let a = TensorType(elementType: .uint8, shape: [2, 3])
        let b = TensorType(elementType: .int8, shape: [4, 3])
        let perColumn = TensorType(shape: [4])
        let perColumnZero = TensorType(elementType: .int8, shape: [4])
        #expect(try types(gemm, [a, f, u8, b, perColumn, perColumnZero, nil, f, s8]) == TensorType(elementType: .int8, shape: [2, 4]))
        #expect(try types(gemm, [a, f, u8, b, f, s8]) == TensorType(shape: [2, 4]))
        let add = [TensorType(elementType: .int8, shape: [2, 1, 3]), f, nil, TensorType(elementType: .int8, shape: [4, 1]), f, nil, f]
        #expect(try types(.qLinearAdd, add) == TensorType(elementType: .int8, shape: [2, 4, 3]))
        #expect(try types(.qLinearMul, add + [u8]) == TensorType(elementType: .uint8, shape: [2, 4, 3]))
        let x = TensorType(elementType: .int8, shape: [2, 5, 6, 3])
        #expect(try types(.qLinearLeakyRelu(alpha: 0.1), [x, f, nil, f]) == x)
        #expect(try types(.qLinearGlobalAveragePool(channelsLast: true), [x, f, s8, f, s8]).shape == [2, 1, 1, 3])
        #expect(try types(.qLinearGlobalAveragePool(channelsLast: false), [x, f, s8, f, s8]).shape == [2, 5, 1, 1])
        let bad: [(Operator, [TensorType?])] = [
            (gemm, [a, f, u8, b, f, s8, nil, nil, s8]),  // y_zero_point without y_scale
            (gemm, [a, f, u8, b, f, s8, nil, f]),  // y_scale without y_zero_point
            (gemm, [a, f, u8, b, TensorType(shape: [3]), s8]),  // b_scale of neither 1 nor N values
            (gemm, [a, f, u8, b, perColumn, s8]),  // b_scale and b_zero_point of different shapes
            (.qLinearAdd, [a, f, nil, TensorType(elementType: .uint8, shape: [2, 2]), f, nil, f]),  // no broadcast
            (.qLinearAdd, [a, perColumn, nil, a, f, nil, f]),  // a per-channel scale
            (.qLinearSigmoid, [TensorType(elementType: .int32, shape: [3]), f, nil, f]),  // not 8-bit
            (.qLinearGlobalAveragePool(channelsLast: false), [TensorType(elementType: .uint8, shape: [2, 3]), f, u8, f, u8]),
        ]
        for (op, inputs) in bad {
            #expect(throws: ModelError.self, "\(op.name) \(inputs)") { try types(op, inputs) }
        }
        let all: [Operator] = [
            gemm, .qLinearAdd, .qLinearMul, .qLinearSigmoid, .qLinearLeakyRelu(alpha: 0.01), .qLinearGlobalAveragePool(channelsLast: false),
        ]
        #expect(all.allSatisfy { $0.isQuantized })
    }

    @Test("tensor construction checks counts")
    func tensors() {
        #expect(throws: ModelError.self) { try FloatTensor(shape: [2, 2], values: [1, 2, 3]) }
        #expect(throws: ModelError.self) { try FloatTensor(shape: [-1], values: []) }
        #expect(throws: ModelError.self) { try IntegerTensor(shape: [1], values: [300], elementType: .int8) }
        #expect(throws: ModelError.self) { try FloatTensor(shape: [Int.max, 2], repeating: 0) }
    }

    /// Widening casts keep every value (the importer and shape inference accept exactly these
    /// integer-to-integer casts of computed values); uint64, whose range is not an Int64 range,
    /// holds the non-negative types and is held by nothing else.
    @Test("widening integer casts")
    func wideningIntegerCasts() {
        let widening: [(ElementType, ElementType)] = [
            (.int32, .int64), (.int8, .int16), (.uint8, .int16), (.uint32, .uint64), (.uint16, .uint32),
            (.bool, .int8), (.int64, .int64), (.uint64, .uint64),
        ]
        for (from, to) in widening { #expect(to.holdsEveryValue(of: from), "\(from) → \(to)") }
        let narrowing: [(ElementType, ElementType)] = [
            (.int64, .int32), (.int16, .int8), (.int8, .uint8), (.int64, .uint64), (.int32, .uint64),
            (.uint64, .int64), (.float32, .int64), (.int32, .float32), (.float32, .float32),
        ]
        for (from, to) in narrowing { #expect(!to.holdsEveryValue(of: from), "\(from) → \(to)") }
    }
}
