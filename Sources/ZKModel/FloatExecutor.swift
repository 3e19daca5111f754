/// The result of running a graph: its outputs and, when asked for, every value computed on the
/// way (inputs, initializers used, node outputs), e.g. for per-node calibration ranges.
public struct FloatExecution: Sendable {
    /// The graph outputs by name.
    public var outputs: [String: FloatTensor]
    /// Every value by name when intermediates were recorded; otherwise empty.
    public var values: [String: FloatTensor]
}

/// Runs a model graph in single-precision floats: the reference every other execution (integer
/// inference, the circuit) is compared with. Integer-typed values (quantized tensors, int32
/// accumulators) are carried as integer-valued floats.
public struct FloatExecutor: Sendable {
    public let graph: ModelGraph
    /// The inferred type of every value.
    public let types: [String: TensorType]
    private let constants: [String: FloatTensor]
    /// For each node, the values whose last reader it is (freed after it when not recording).
    private let releases: [[String]]

    /// Checks the graph and infers every value's type; throws `ModelError` on a bad graph.
    public init(graph: ModelGraph) throws {
        self.graph = graph
        self.types = try graph.inferTypes()
        self.constants = graph.initializers.mapValues(\.floatTensor)
        var lastUse: [String: Int] = [:]
        for (index, node) in graph.nodes.enumerated() {
            for name in node.inputs where !name.isEmpty { lastUse[name] = index }
        }
        let kept = Set(graph.outputs.map(\.name))
        var releases = [[String]](repeating: [], count: graph.nodes.count)
        for (name, index) in lastUse where !kept.contains(name) { releases[index].append(name) }
        self.releases = releases
    }

    /// Runs the graph on `inputs` (one tensor per graph input, of the declared shape) and
    /// returns the outputs by name.
    public func run(_ inputs: [String: FloatTensor]) throws -> [String: FloatTensor] {
        try run(inputs, recordingIntermediates: false).outputs
    }

    /// Runs the graph; with `recordingIntermediates`, `values` holds every value computed.
    public func run(_ inputs: [String: FloatTensor], recordingIntermediates: Bool) throws -> FloatExecution {
        var values: [String: FloatTensor] = [:]
        for input in graph.inputs {
            guard let tensor = inputs[input.name] else { throw ModelError.missingInput(name: input.name) }
            guard tensor.shape == input.shape else {
                throw ModelError.inputShapeMismatch(name: input.name, expected: input.shape, actual: tensor.shape)
            }
            values[input.name] = tensor
        }
        for (index, node) in graph.nodes.enumerated() {
            let arguments = try node.inputs.map { name -> FloatTensor? in
                if name.isEmpty { return nil }
                if let value = values[name] ?? constants[name] { return value }
                throw ModelError.undefinedValue(name: name, node: node.name)
            }
            let outputType = node.outputs.first.flatMap { types[$0] }?.elementType ?? .float32
            let result = try NodeEvaluation(node: node, arguments: arguments, outputType: outputType).evaluate()
            if let name = node.outputs.first { values[name] = result }
            if recordingIntermediates {
                for name in node.inputs where !name.isEmpty && values[name] == nil { values[name] = constants[name] }
            } else {
                for name in releases[index] { values[name] = nil }
            }
        }
        var outputs: [String: FloatTensor] = [:]
        for output in graph.outputs {
            guard let value = values[output.name] ?? constants[output.name] else {
                throw ModelError.undefinedOutput(name: output.name)
            }
            outputs[output.name] = value
        }
        return FloatExecution(outputs: outputs, values: recordingIntermediates ? values : [:])
    }
}

/// One node's computation from its argument tensors.
private struct NodeEvaluation {
    let node: ModelNode
    let arguments: [FloatTensor?]
    let outputType: ElementType

    func input(_ index: Int) throws -> FloatTensor {
        guard index < arguments.count, let tensor = arguments[index] else {
            throw ModelError.invalidNode(node: node.name, op: node.op.name, reason: "missing input \(index)")
        }
        return tensor
    }

    func optionalInput(_ index: Int) -> FloatTensor? {
        index < arguments.count ? arguments[index] : nil
    }

    func broadcastShape() throws -> [Int] {
        let (a, b) = (try input(0), try input(1))
        guard let shape = Broadcasting.shape([a.shape, b.shape]) else {
            throw ModelError.invalidNode(node: node.name, op: node.op.name, reason: "shapes do not broadcast")
        }
        return shape
    }

    /// The output's shape by shape inference on the arguments.
    func outputShape() throws -> [Int] {
        let types = arguments.map { $0.map { TensorType(elementType: .float32, shape: $0.shape) } }
        return try ShapeInference.outputTypes(of: node, inputs: types)[0].shape
    }

    func evaluate() throws -> FloatTensor {
        switch node.op {
        case .gemm(let attributes):
            return MatrixProductKernels.gemm(try input(0), try input(1), optionalInput(2), attributes)
        case .matMul:
            return MatrixProductKernels.matMul(try input(0), try input(1))
        case .conv(let attributes):
            return ConvolutionKernels.conv(try input(0), try input(1), optionalInput(2), attributes)
        case .relu:
            return ElementwiseKernels.relu(try input(0))
        case .sigmoid:
            return ElementwiseKernels.sigmoid(try input(0))
        case .tanh:
            return ElementwiseKernels.tanh(try input(0))
        case .clip(let minimum, let maximum):
            return ElementwiseKernels.clip(try input(0), minimum: minimum, maximum: maximum)
        case .softmax(let axis):
            return NormalizationKernels.softmax(try input(0), axis: axis)
        case .maxPool(let attributes):
            return PoolingKernels.maxPool(try input(0), attributes)
        case .averagePool(let attributes):
            return PoolingKernels.averagePool(try input(0), attributes)
        case .globalAveragePool:
            return PoolingKernels.globalAveragePool(try input(0))
        case .batchNormalization(let epsilon):
            return NormalizationKernels.batchNormalization(
                try input(0), scale: try input(1), bias: try input(2), mean: try input(3), variance: try input(4),
                epsilon: epsilon)
        case .add:
            return ElementwiseKernels.binary(try input(0), try input(1), shape: try broadcastShape(), +)
        case .sub:
            return ElementwiseKernels.binary(try input(0), try input(1), shape: try broadcastShape(), -)
        case .mul:
            return ElementwiseKernels.binary(try input(0), try input(1), shape: try broadcastShape(), *)
        case .reshape, .flatten:
            let x = try input(0)
            let shape = try ShapeInference.outputTypes(
                of: node, inputs: [TensorType(elementType: outputType, shape: x.shape)])[0].shape
            return try x.reshaped(shape)
        case .transpose(let permutation):
            return DataMovementKernels.transpose(try input(0), permutation: permutation)
        case .concat(let axis):
            return DataMovementKernels.concat(try arguments.indices.map { try input($0) }, axis: axis)
        case .identity, .cast:
            // Values are held as Float already: a cast to a floating-point type keeps them.
            return try input(0)
        case .constant(let value):
            return value.floatTensor
        case .quantizeLinear(let axis):
            return QuantizedKernels.quantize(
                try input(0), scale: try input(1), zeroPoint: optionalInput(2), axis: axis, outputType: outputType)
        case .dequantizeLinear(let axis):
            return QuantizedKernels.dequantize(try input(0), scale: try input(1), zeroPoint: optionalInput(2), axis: axis)
        case .qLinearMatMul:
            return QuantizedKernels.qLinearMatMul(
                a: try input(0), aScale: try input(1), aZero: optionalInput(2), b: try input(3), bScale: try input(4),
                bZero: optionalInput(5), yScale: try input(6), yZero: optionalInput(7), outputType: outputType)
        case .qLinearConv(let attributes):
            return QuantizedKernels.qLinearConv(
                x: try input(0), xScale: try input(1), xZero: optionalInput(2), w: try input(3), wScale: try input(4),
                wZero: optionalInput(5), yScale: try input(6), yZero: optionalInput(7), bias: optionalInput(8), attributes,
                outputType: outputType)
        case .matMulInteger:
            return QuantizedKernels.matMulInteger(
                try input(0), try input(1), aZero: optionalInput(2), bZero: optionalInput(3))
        case .convInteger(let attributes):
            return QuantizedKernels.convInteger(
                try input(0), try input(1), xZero: optionalInput(2), wZero: optionalInput(3), attributes)
        case .qGemm(let attributes):
            return QuantizedKernels.qGemm(
                a: try input(0), aScale: try input(1), aZero: optionalInput(2), b: try input(3), bScale: try input(4),
                bZero: optionalInput(5), bias: optionalInput(6), yScale: optionalInput(7), yZero: optionalInput(8), attributes,
                outputType: outputType)
        case .qLinearAdd, .qLinearMul:
            let (a, b) = (try input(0), try input(3))
            guard let shape = Broadcasting.shape([a.shape, b.shape]) else {
                throw ModelError.invalidNode(node: node.name, op: node.op.name, reason: "shapes do not broadcast")
            }
            let kernel = node.op == .qLinearAdd ? QuantizedKernels.qLinearAdd : QuantizedKernels.qLinearMul
            return kernel(
                a, try input(1), optionalInput(2), b, try input(4), optionalInput(5), try input(6), optionalInput(7), shape,
                outputType)
        case .qLinearSigmoid:
            return QuantizedKernels.lookupTable(
                try input(0), xScale: try input(1), xZero: optionalInput(2), yScale: try input(3), yZero: optionalInput(4),
                outputType: outputType, ElementwiseKernels.sigmoid)
        case .qLinearLeakyRelu(let alpha):
            return QuantizedKernels.lookupTable(
                try input(0), xScale: try input(1), xZero: optionalInput(2), yScale: try input(3), yZero: optionalInput(4),
                outputType: outputType) { $0 >= 0 ? $0 : alpha * $0 }
        case .qLinearGlobalAveragePool(let channelsLast):
            return QuantizedKernels.qLinearGlobalAveragePool(
                try input(0), xScale: try input(1), xZero: optionalInput(2), yScale: try input(3), yZero: optionalInput(4),
                channelsLast: channelsLast, outputType: outputType)
        case .unary(let function):
            return ElementwiseKernels.map(try input(0)) { Float(function.apply(Double($0))) }
        case .pRelu:
            return ElementwiseKernels.binary(try input(0), try input(1), shape: try input(0).shape) { x, slope in
                x >= 0 ? x : slope * x
            }
        case .div:
            let integer = outputType.isInteger
            return ElementwiseKernels.binary(try input(0), try input(1), shape: try broadcastShape()) { a, b in
                integer ? (b == 0 ? 0 : (a / b).rounded(.towardZero)) : a / b
            }
        case .maximum:
            return ElementwiseKernels.binary(try input(0), try input(1), shape: try broadcastShape()) { a, b in
                a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
            }
        case .minimum:
            return ElementwiseKernels.binary(try input(0), try input(1), shape: try broadcastShape()) { a, b in
                a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
            }
        case .select(let selection):
            let x = try input(0)
            switch selection.plan(inputShape: x.shape) {
            case .success(let plan): return SelectionKernels.select(x, plan)
            case .failure(let problem):
                throw ModelError.invalidNode(node: node.name, op: node.op.name, reason: problem.description)
            }
        case .gather(let axis):
            return try gather(axis: axis)
        case .reduce(let reduction):
            return ReductionKernels.reduce(try input(0), reduction, outputShape: try outputShape())
        case .squeeze, .unsqueeze:
            return try input(0).reshaped(try outputShape())
        case .argMax(let axis, _, let last):
            return ReductionKernels.argMax(try input(0), axis: axis, selectLastIndex: last, outputShape: try outputShape())
        case .layerNormalization(let axis, let epsilon):
            return NormalizationKernels.layerNormalization(
                try input(0), scale: try input(1), bias: optionalInput(2), axis: axis, epsilon: epsilon)
        case .instanceNormalization(let epsilon):
            return NormalizationKernels.instanceNormalization(try input(0), scale: try input(1), bias: try input(2), epsilon: epsilon)
        case .logSoftmax(let axis):
            return NormalizationKernels.logSoftmax(try input(0), axis: axis)
        case .convTranspose(let attributes):
            let (x, w) = (try input(0), try input(1))
            switch ConvTransposeGeometry.resolve(input: x.shape, weight: w.shape, attributes) {
            case .success(let geometry): return ConvolutionKernels.convTranspose(x, w, optionalInput(2), geometry, attributes)
            case .failure(let problem):
                throw ModelError.invalidNode(node: node.name, op: node.op.name, reason: problem.description)
            }
        }
    }
}

extension NodeEvaluation {
    /// Gather with computed indices: each index (a float holding an integer, as every tensor
    /// here) must be an integer in `[−d, d)` for the gathered axis of size `d`; negative indices
    /// count from the end, as ONNX specifies.
    func gather(axis: Int) throws -> FloatTensor {
        let (data, indices) = (try input(0), try input(1))
        guard let a = TensorShape.normalizedAxis(axis, rank: data.shape.count) else {
            throw ModelError.invalidNode(node: node.name, op: node.op.name, reason: "axis \(axis) is out of range for rank \(data.shape.count)")
        }
        let d = data.shape[a]
        var picks: [Int] = []
        picks.reserveCapacity(indices.values.count)
        for value in indices.values {
            guard value.rounded() == value, value >= -Float(d), value < Float(d) else {
                throw ModelError.invalidNode(
                    node: node.name, op: node.op.name, reason: "index \(value) is not an integer in [\(-d), \(d))")
            }
            picks.append(Int(value))
        }
        switch Selection.gather(axis: a, indices: picks, indicesShape: indices.shape).plan(inputShape: data.shape) {
        case .success(let plan): return SelectionKernels.select(data, plan)
        case .failure(let problem): throw ModelError.invalidNode(node: node.name, op: node.op.name, reason: problem.description)
        }
    }
}
