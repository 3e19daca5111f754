import ZKCircuit
import ZKModel

/// A quantized activation: its tensor, the real value of one integer step, and its shape (the
/// batch dimension of 1 dropped).
///
/// The integers of a calibrated activation are symmetric, in `±limit`. A value that the model
/// itself quantized (an already-quantized ONNX model: the output of QuantizeLinear, QLinearConv,
/// …) keeps the model's own scale and zero point instead: the circuit holds `v = q − zeroPoint`
/// (so `real = scale · v` still holds), in `bounds` (`[0 − zp, 255 − zp]` for uint8).
struct QuantizedValue {
    var tensor: TensorID
    var scale: Double
    var shape: [Int]
    /// The range of the integers when it is not `±limit` (a model-quantized value, or a wide
    /// integer accumulator such as MatMulInteger's int32 output).
    var bounds: ClosedRange<Int64>? = nil
    /// The ONNX zero point of an integer-typed tensor (`q = v + zeroPoint`); nil for a real value.
    var zeroPoint: Int64? = nil

    /// The same integers, scale and zero point under another tensor id and shape (a relabelling).
    func relabelled(_ tensor: TensorID, shape: [Int]) -> QuantizedValue {
        var copy = self
        copy.tensor = tensor
        copy.shape = shape
        return copy
    }
}

/// The element-wise function a table applies after requantization, fused with the clamp.
enum Activation {
    case none
    case relu
    case clip(Double?, Double?)
    case sigmoid
    case tanh
    /// Any other element-wise function, its output at `outputScale` (the calibrated scale of the
    /// function's output value).
    case function(UnaryFunction, outputScale: Double)

    /// Whether the table's output has its own scale (so the requantization before it targets
    /// the scale of the function's *input* value, not its output's).
    var changesScale: Bool {
        switch self {
        case .sigmoid, .tanh, .function: return true
        case .none, .relu, .clip: return false
        }
    }
}

/// Builds the circuit node by node (see ``Compiler``).
struct CircuitBuilder {
    let graph: ModelGraph
    let options: CompileOptions
    var maxAbs: [String: Double] = [:]
    /// The circuit being built (tensors, relations, deduplicated tables, known values).
    var draft = CircuitDraft()
    var values: [String: QuantizedValue] = [:]
    var layers: [LayerScales] = []
    var unsupported: [CompileError.UnsupportedNode] = []
    var consumers: [String: [Int]] = [:]
    var done: Set<Int> = []
    var postprocessing = CompiledModel.Postprocessing.none
    /// Advice integer inference computes outside the relations (CircuitBuilder+ArgMax.swift).
    var hints: [WitnessHint] = []
    var inputQuantization = CompiledModel.InputQuantization.calibrated
    /// Constants computed at compile time (DequantizeLinear of an integer initializer).
    var folded: [String: FloatTensor] = [:]
    var outputValue: String
    var inputScale = 1.0
    /// Every value's type (shape inference on the graph), filled by ``lower()``.
    var types: [String: TensorType] = [:]

    init(graph: ModelGraph, options: CompileOptions) throws(CompileError) {
        guard graph.inputs.count == 1 else { throw .invalidModel("expected one model input, found \(graph.inputs.count)") }
        guard let output = graph.outputs.first else { throw .invalidModel("the model has no output") }
        self.graph = graph
        self.options = options
        self.outputValue = output.name
        for (index, node) in graph.nodes.enumerated() {
            for name in node.inputs where !name.isEmpty { consumers[name, default: []].append(index) }
        }
    }

    // MARK: Calibration

    mutating func calibrate(_ samples: [[String: FloatTensor]]) throws(CompileError) {
        guard !samples.isEmpty else { throw .calibration("at least one calibration input is needed") }
        let executor: FloatExecutor
        do { executor = try FloatExecutor(graph: graph) } catch { throw .calibration("\(error)") }
        for sample in samples {
            let execution: FloatExecution
            do { execution = try executor.run(sample, recordingIntermediates: true) } catch { throw .calibration("\(error)") }
            // In name order, so that the value a refusal names does not depend on hashing.
            let values = execution.values.merging(sample, uniquingKeysWith: { a, _ in a })
            for (name, tensor) in values.sorted(by: { $0.key < $1.key }) {
                guard tensor.values.allSatisfy(\.isFinite) else {
                    throw .calibration("\(name) is not finite (NaN or infinite) on a calibration input")
                }
                let m = tensor.values.reduce(0.0) { max($0, Double(abs($1))) }
                maxAbs[name] = max(maxAbs[name] ?? 0, m)
            }
        }
    }

    func scale(of value: String) -> Double {
        let m = maxAbs[value] ?? 0
        return m > 0 ? m / Double(limit) : 1.0 / Double(limit)
    }

    /// The largest magnitude of a quantized value (127 at 8 bits).
    var limit: Int64 { options.limit }

    /// A quantized activation's tensor info: symmetric in `±limit`, or in `bounds`.
    func activation(_ name: String, shape: [Int], storage: TensorStorage, bounds: ClosedRange<Int64>? = nil) -> TensorInfo {
        TensorInfo(name: name, shape: shape, storage: storage, minimum: bounds?.lowerBound ?? -limit,
                   maximum: bounds?.upperBound ?? limit)
    }

    // MARK: Helpers

    /// A constant operand: an initializer, or a constant the compiler folded (a dequantized weight).
    func initializer(_ name: String) -> FloatTensor? { folded[name] ?? graph.initializers[name]?.floatTensor }

    /// The single node reading `value`, if exactly one does (and the value is not a model output).
    func soleConsumer(of value: String) -> Int? {
        guard let readers = consumers[value], readers.count == 1, !graph.outputs.contains(where: { $0.name == value }) else {
            return nil
        }
        return readers[0]
    }

    static func dropBatch(_ shape: [Int]) -> [Int] {
        shape.count >= 2 && shape[0] == 1 ? Array(shape.dropFirst()) : shape
    }

    mutating func reject(_ node: ModelNode, _ hint: String) {
        unsupported.append(.init(name: node.name, op: node.op.name, hint: hint))
    }

    /// Input `index` of `node` as a quantized activation, or `nil` after rejecting the node (the
    /// input is a constant, or the node has no such input).
    mutating func activationOperand(_ node: ModelNode, _ index: Int = 0, role: String = "X") -> QuantizedValue? {
        guard index < node.inputs.count, let x = values[node.inputs[index]] else {
            reject(node, "its input \(role) must be an activation computed from the model input, not a constant")
            return nil
        }
        return x
    }

    /// The largest hypercube a tensor may occupy, `2^30` slots (the lookup argument's largest group).
    static let maximumTensorVariables = 30

    /// Why a value of this (ONNX) shape cannot be a circuit tensor, or `nil` when it can.
    static func shapeProblem(_ shape: [Int]) -> String? {
        guard shape.allSatisfy({ $0 > 0 }) else { return "empty tensors (a dimension of 0) are not supported: \(shape)" }
        var variables = 0
        for d in shape { variables += d <= 1 ? 0 : Int.bitWidth - (d - 1).leadingZeroBitCount }
        guard variables <= maximumTensorVariables else {
            return "a tensor of shape \(shape) needs 2^\(variables) slots (at most 2^\(maximumTensorVariables))"
        }
        return nil
    }
}

// MARK: - Lowering

extension CircuitBuilder {
    mutating func lower() throws(CompileError) {
        // A graph output produced by a chain of Identity nodes is their first input.
        while let producer = graph.nodes.firstIndex(where: { $0.outputs.contains(outputValue) }),
              case .identity = graph.nodes[producer].op {
            done.insert(producer)
            outputValue = graph.nodes[producer].inputs[0]
        }
        do { types = try graph.inferTypes() } catch { throw .invalidModel("\(error)") }
        let input = graph.inputs[0]
        if let problem = Self.shapeProblem(input.shape) { throw .invalidModel("input \(input.name): \(problem)") }
        inputScale = scale(of: input.name)
        let shape = Self.dropBatch(input.shape)
        if input.elementType.isInteger {
            // Token ids: the public input is their one-hot encoding (CircuitBuilder+Embedding.swift).
            try setUpOneHotInput(input)
        } else if let quantized = modelQuantizedInput(input) {
            // The model quantizes its input itself: the public input is that QuantizeLinear's output.
            inputScale = Double(quantized.scale)
            inputQuantization = .onnx
            let id = draft.add(activation("input", shape: shape, storage: .publicInput, bounds: quantized.bounds))
            let real = QuantizedValue(tensor: id, scale: inputScale, shape: shape, bounds: quantized.bounds)
            values[input.name] = real
            for reader in quantized.readers {
                done.insert(reader)
                var integers = real
                integers.zeroPoint = quantized.zeroPoint
                values[graph.nodes[reader].outputs[0]] = integers
            }
        } else {
            let id = draft.add(activation("input", shape: shape, storage: .publicInput))
            values[input.name] = QuantizedValue(tensor: id, scale: inputScale, shape: shape)
        }

        for (index, node) in graph.nodes.enumerated() where !done.contains(index) {
            done.insert(index)
            if case .dequantizeLinear(let axis) = node.op, let q = initializer(node.inputs[0]) {
                guard node.inputs.count >= 2, let scale = initializer(node.inputs[1]) else {
                    reject(node, "DequantizeLinear of a constant needs a constant scale"); continue
                }
                let zeroPoint = node.inputs.count >= 3 && !node.inputs[2].isEmpty ? initializer(node.inputs[2]) : nil
                folded[node.outputs[0]] = q.dequantized(scale: scale, zeroPoint: zeroPoint, axis: axis)
                continue
            }
            guard node.inputs.contains(where: { values[$0] != nil }) || node.op.name == "Constant" else {
                reject(node, "its input is not a quantized activation (only one data path from the input is supported)")
                continue
            }
            let types = self.types
            if let problem = node.outputs.compactMap({ types[$0].flatMap { Self.shapeProblem($0.shape) } }).first {
                reject(node, problem)
                continue
            }
            // Operators that read calibrated ±limit values get model-quantized inputs narrowed.
            if !Self.readsAnyRange(node.op) && !isRescalingMul(node) {
                guard narrowInputs(of: node) else { continue }
            }
            switch node.op {
            case .identity:
                values[node.outputs[0]] = values[node.inputs[0]]
            case .cast:
                // An integer tensor read as real numbers: `q` itself, so only a zero point of 0.
                guard var x = activationOperand(node) else { continue }
                guard (x.zeroPoint ?? 0) == 0 else {
                    reject(node, "Cast of a quantized tensor with a nonzero zero point (use DequantizeLinear)"); continue
                }
                x.zeroPoint = nil
                values[node.outputs[0]] = x
            case .matMul where node.inputs.count == 2 && values[node.inputs[0]] != nil && values[node.inputs[1]] != nil:
                lowerActivationMatMul(node)
            case .gemm, .matMul, .conv, .convTranspose:
                lowerLinear(index)
            case .relu:
                lowerActivation(node, .relu)
            case .clip(let lo, let hi):
                lowerActivation(node, .clip(lo.map(Double.init), hi.map(Double.init)))
            case .sigmoid:
                lowerActivation(node, .sigmoid)
            case .tanh:
                lowerActivation(node, .tanh)
            case .unary(let function):
                lowerActivation(node, .function(function, outputScale: scale(of: node.outputs[0])))
            case .select(let selection):
                lowerSelection(node, selection)
            case .gather:
                lowerEmbedding(node)
            case .reduce(let reduction):
                lowerReduction(node, reduction)
            case .squeeze, .unsqueeze:
                guard let x = activationOperand(node), let full = types[node.outputs[0]]?.shape else { continue }
                lowerMovement(node, x, map: .reshape, shape: Self.dropBatch(full))
            case .argMax(let axis, let keepDims, let selectLastIndex):
                lowerArgMax(node, axis: axis, keepDims: keepDims, selectLastIndex: selectLastIndex)
            case .batchNormalization(let epsilon):
                lowerBatchNormalization(node, epsilon: epsilon)
            case .maxPool(let attributes):
                lowerMaxPool(node, attributes)
            case .averagePool(let attributes):
                lowerAveragePool(node, kernel: attributes.kernelShape, strides: attributes.strides,
                                 padding: attributes.padding, countIncludePad: attributes.countIncludePad,
                                 dilations: attributes.dilations, ceilMode: attributes.ceilMode)
            case .globalAveragePool:
                guard let shape = activationOperand(node)?.shape else { continue }
                guard shape.count == 3 else { reject(node, "expects a [C, H, W] activation"); continue }
                lowerAveragePool(node, kernel: [shape[1], shape[2]], strides: [1, 1], padding: .valid,
                                 countIncludePad: true, dilations: [1, 1], ceilMode: false)
            case .flatten:
                guard let x = activationOperand(node) else { continue }
                lowerMovement(node, x, map: .reshape, shape: [x.shape.reduce(1, *)])
            case .reshape(let target, let allowZero):
                guard let x = activationOperand(node) else { continue }
                guard let full = Self.resolveReshape([1] + x.shape, target: target, allowZero: allowZero) else {
                    reject(node, "cannot resolve the target shape \(target)"); continue
                }
                lowerMovement(node, x, map: .reshape, shape: Self.dropBatch(full))
            case .transpose(let permutation):
                guard let x = activationOperand(node) else { continue }
                let rank = x.shape.count + 1
                let perm = permutation ?? Array((0..<rank).reversed())
                guard perm.count == rank, perm[0] == 0 else { reject(node, "transposes that move the batch axis are not supported"); continue }
                let inner = perm.dropFirst().map { $0 - 1 }
                lowerMovement(node, x, map: .transpose(permutation: inner), shape: inner.map { x.shape[$0] })
            case .softmax(let axis):
                guard let x = activationOperand(node) else { continue }
                // The verifier applies it to the whole dequantized output: one row only.
                guard node.outputs[0] == outputValue, axis == -1 || axis == x.shape.count,
                      x.shape.dropLast().allSatisfy({ $0 == 1 }) else {
                    reject(node, "only a Softmax over the last axis of a single row at the end of the model is supported (applied by the verifier)")
                    continue
                }
                postprocessing = .softmax
                outputValue = node.inputs[0]
            case .add:
                lowerAddSub(index, subtract: false)
            case .sub:
                lowerAddSub(index, subtract: true)
            case .mul:
                lowerScalarMul(node)
            case .concat(let axis):
                lowerConcat(node, axis: axis)
            case .constant:
                continue
            case .quantizeLinear:
                lowerQuantizeLinear(node)
            case .dequantizeLinear:
                lowerDequantizeLinear(node)
            case .qLinearConv, .qLinearMatMul, .convInteger, .matMulInteger, .qGemm:
                lowerIntegerLinear(node)
            case .qLinearAdd:
                lowerQLinearAdd(node)
            case .qLinearMul:
                lowerQLinearMul(node)
            case .qLinearSigmoid, .qLinearLeakyRelu:
                lowerQuantizedTable(node)
            case .qLinearGlobalAveragePool(let channelsLast):
                lowerQLinearGlobalAveragePool(node, channelsLast: channelsLast)
            default:
                reject(node, "no relation lowers this operator yet")
            }
        }
        if !unsupported.isEmpty { throw .unsupported(unsupported) }
    }

    /// ONNX Reshape semantics (0 copies a dimension unless `allowZero`, −1 is inferred).
    static func resolveReshape(_ shape: [Int], target: [Int], allowZero: Bool) -> [Int]? {
        var out = target
        let total = shape.reduce(1, *)
        for (i, d) in target.enumerated() where d == 0 && !allowZero {
            guard i < shape.count else { return nil }
            out[i] = shape[i]
        }
        if let inferred = out.firstIndex(of: -1) {
            let known = out.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            guard known > 0, total % known == 0 else { return nil }
            out[inferred] = total / known
        }
        return out.reduce(1, *) == total && out.allSatisfy({ $0 > 0 }) ? out : nil
    }

    mutating func lowerMovement(_ node: ModelNode, _ x: QuantizedValue, map: LinearMap, shape: [Int]) {
        let id = draft.add(activation(node.outputs[0], shape: shape, storage: .virtual, bounds: x.bounds))
        draft.relations.append(.linear(output: id, input: x.tensor, map: map))
        values[node.outputs[0]] = x.relabelled(id, shape: shape)
    }

    mutating func lowerMaxPool(_ node: ModelNode, _ a: PoolingAttributes) {
        guard let x = activationOperand(node) else { return }
        guard x.shape.count == 3, a.kernelShape.count == 2, a.strides.count == 2, a.strides.allSatisfy({ $0 > 0 }),
              a.dilations.allSatisfy({ $0 == 1 }), !a.ceilMode,
              let pads = a.padding.resolved(inputSizes: [x.shape[1], x.shape[2]], kernel: a.kernelShape,
                                            strides: a.strides, dilations: a.dilations) else {
            reject(node, "2-D max pooling without dilation or ceil mode is supported"); return
        }
        let ours = [pads[0], pads[1], pads[2], pads[3]]
        // The proof's zerocheck has degree `window + 1`; a window of more than
        // `maximumPoolWindow` elements is split into its separable row and column stages
        // (max over a kh×kw window = max over kh rows of the max over kw columns), exactly.
        if a.kernelShape[0] * a.kernelShape[1] > Self.maximumPoolWindow, a.kernelShape.allSatisfy({ $0 <= Self.maximumPoolWindow }) {
            let rows = maxPoolStage(x, kernel: [1, a.kernelShape[1]], stride: [1, a.strides[1]], pads: [0, ours[1], 0, ours[3]],
                                    name: "\(node.outputs[0]).columns")
            values[node.outputs[0]] = maxPoolStage(rows, kernel: [a.kernelShape[0], 1], stride: [a.strides[0], 1],
                                                   pads: [ours[0], 0, ours[2], 0], name: node.outputs[0])
            return
        }
        guard a.kernelShape[0] * a.kernelShape[1] <= Self.maximumPoolWindow else {
            reject(node, "max pooling windows of more than \(Self.maximumPoolWindow) elements per axis are not supported"); return
        }
        values[node.outputs[0]] = maxPoolStage(x, kernel: a.kernelShape, stride: a.strides, pads: ours, name: node.outputs[0])
    }

    /// The largest max-pool window one relation proves: its zerocheck's round messages hold
    /// `window + 2` values, and a proof allows 16.
    static let maximumPoolWindow = 14

    /// One max-pool relation over `x [C, H, W]`: the maximum `m` (advice), one difference tensor
    /// `m − window element` per window offset, each range-checked to `[0, 2·limit]`.
    mutating func maxPoolStage(_ x: QuantizedValue, kernel: [Int], stride: [Int], pads ours: [Int], name: String) -> QuantizedValue {
        let ho = (x.shape[1] + ours[0] + ours[2] - kernel[0]) / stride[0] + 1
        let wo = (x.shape[2] + ours[1] + ours[3] - kernel[1]) / stride[1] + 1
        let shape = [x.shape[0], ho, wo]
        // m − a_i ∈ [0, 2·limit] < 2^bits (or the width of a model-quantized range): one range
        // table of `bits` bits.
        let m = draft.add(activation(name, shape: shape, storage: .advice, bounds: x.bounds))
        let width = x.bounds.map { $0.upperBound - $0.lowerBound } ?? 2 * limit
        let differences = (0..<(kernel[0] * kernel[1])).map { w in
            draft.add(TensorInfo(name: "\(name).d\(w)", shape: shape, storage: .advice, minimum: 0, maximum: width))
        }
        draft.relations.append(.maxPool(output: m, input: x.tensor, differences: differences, kernel: kernel, stride: stride, pads: ours))
        let range = draft.table(.range(bits: max(options.bits, Quantization.signedBits(covering: width) - 1)))
        for d in differences { draft.relations.append(.lookup(input: d, output: nil, table: range)) }
        return x.relabelled(m, shape: shape)
    }

    mutating func lowerAveragePool(
        _ node: ModelNode, kernel: [Int], strides: [Int], padding: Padding, countIncludePad: Bool, dilations: [Int],
        ceilMode: Bool
    ) {
        guard let x = activationOperand(node) else { return }
        guard x.shape.count == 3, kernel.count == 2, strides.count == 2, strides.allSatisfy({ $0 > 0 }),
              dilations.allSatisfy({ $0 == 1 }), !ceilMode,
              let pads = padding.resolved(inputSizes: [x.shape[1], x.shape[2]], kernel: kernel, strides: strides,
                                          dilations: dilations) else {
            reject(node, "2-D average pooling without dilation or ceil mode is supported"); return
        }
        guard countIncludePad || pads.allSatisfy({ $0 == 0 }) else {
            reject(node, "padded average pooling that excludes the padding from the count is not supported"); return
        }
        let ho = (x.shape[1] + pads[0] + pads[2] - kernel[0]) / strides[0] + 1
        let wo = (x.shape[2] + pads[1] + pads[3] - kernel[1]) / strides[1] + 1
        let shape = [x.shape[0], ho, wo]
        let window = kernel[0] * kernel[1]
        let sum = draft.add(TensorInfo(name: "\(node.outputs[0]).sum", shape: shape, storage: .virtual,
                                 minimum: -limit * Int64(window), maximum: limit * Int64(window)))
        draft.relations.append(.linear(output: sum, input: x.tensor, map: .sumPool(kernel: kernel, stride: strides, pads: pads)))
        // The sum of `window` entries at scale s_x is the average at scale s_x / window.
        requantizeAndActivate(
            node: node, accumulator: sum, accumulatorScale: x.scale / Double(window), outputScale: scale(of: node.outputs[0]),
            worstAccumulator: limit * Int64(window),
            activation: .none, shape: shape, outputName: node.outputs[0], inputScale: x.scale, weightScale: nil)
    }
}
