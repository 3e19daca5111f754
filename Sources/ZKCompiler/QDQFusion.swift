import ZKModel

/// Rewrites the QDQ node groups of a quantized model (onnxruntime's default `QuantFormat.QDQ`:
/// float operators between DequantizeLinear and QuantizeLinear) into the operator-form nodes that
/// onnxruntime's CPU provider runs in their place, so that the compiler proves onnxruntime's
/// integers rather than recalibrating the model.
///
/// onnxruntime fuses these groups at its default optimization level (its `QDQSelectorActionTransformer`,
/// onnxruntime/core/optimizer/qdq_transformer/selectors_actions/). The rules here follow its
/// selectors; a group that does not match **exactly** is left as it is, and the compiler then
/// treats its QuantizeLinear → DequantizeLinear pairs as before (read through, calibrated):
///
/// | group | becomes |
/// |---|---|
/// | `DQ(x), DQ(w) [, DQ(b)] → Conv → Q` | `QLinearConv(x, x_s, x_zp, w, w_s, w_zp, y_s, y_zp [, b])` |
/// | `DQ(a), DQ(b) → MatMul → Q` | `QLinearMatMul(a, a_s, a_zp, b, b_s, b_zp, y_s, y_zp)` |
/// | `DQ(a), DQ(b) [, DQ(c)] → Gemm [→ Q]` | `QGemm(a, …, b, …, c, y_s, y_zp)` (without Q: a float output) |
/// | `DQ(a), DQ(b) → Add / Mul → Q` | `QLinearAdd` / `QLinearMul` |
/// | `DQ(x) → Sigmoid / LeakyRelu / GlobalAveragePool → Q` | `QLinearSigmoid` / `QLinearLeakyRelu` / `QLinearGlobalAveragePool` |
/// | `DQ(x) → MaxPool / Reshape / Flatten / Transpose / Squeeze / Unsqueeze → Q`, equal parameters | the operator on the integers |
///
/// Before the groups are formed, as onnxruntime's level-1 rules do, a Relu whose only reader is a
/// QuantizeLinear with its zero point at the type's minimum is dropped (`Q(Relu(x)) = Q(x)`
/// exactly), and so is a Clip whose bounds cover the QuantizeLinear's range; after them, a
/// `DQ → Q` pair with equal parameters disappears (`Q(DQ(q)) = q`). A DequantizeLinear read by
/// several nodes serves each of them (onnxruntime duplicates it, `EnsureUniqueDQForNodeUnit`);
/// it stays in the graph while an unfused node still reads it.
///
/// Exact match means onnxruntime's conditions — every data input from a DequantizeLinear, the
/// target's output read by exactly one QuantizeLinear (and not a model output), the integer
/// types onnxruntime requires (8-bit; for the data-movement operators also equal scale and zero
/// point, written out) — and the compiler's own, so that a fused node always lowers: scales and
/// zero points are constant scalars (per-tensor quantization), except a weight's, which may have
/// one entry per output channel along the output-channel axis (per-channel quantization); 8-bit
/// activations of the type the QuantizeLinear writes (uint8 for Conv and MatMul, where
/// onnxruntime's int8 kernels depend on the processor), constant weights, an int32 bias whose
/// zero point is 0 and whose scale is exactly `Float(x_scale) · Float(w_scale)`, per channel with
/// per-channel weights (onnxruntime drops the bias's scale; this is where dropping it is exact), a
/// Gemm without `transA` and with `alpha = beta = 1`, one-row matrix products, and each
/// DequantizeLinear's zero point equal to the one its integers were written with.
///
/// A missing zero point is written as an explicit 0 (uint8, or int8 for an int8 DequantizeLinear
/// input), as onnxruntime does before it fuses.
struct QDQFusion {
    private var graph: ModelGraph
    private let types: [String: TensorType]
    /// The nodes in graph order; `nil` once removed.
    private var nodes: [ModelNode?]
    /// The node defining each value.
    private var producers: [String: Int] = [:]
    /// The nodes reading each value, once per input slot (onnxruntime's edges).
    private var readers: [String: [Int]] = [:]
    private let outputNames: Set<String>
    /// The Relu and Clip nodes dropped before a QuantizeLinear, at their positions.
    private var droppedActivations: [(index: Int, node: ModelNode, quantized: String)] = []

    /// The graph with its QDQ node groups fused; the graph itself when it has none (or when its
    /// types cannot be inferred: the compiler reports that later).
    static func fuse(_ graph: ModelGraph) -> ModelGraph {
        guard graph.nodes.contains(where: { if case .dequantizeLinear = $0.op { true } else { false } }),
              let types = try? graph.inferTypes() else { return graph }
        var fusion = QDQFusion(graph: graph, types: types)
        fusion.dropRedundantActivations()
        for index in graph.nodes.indices { fusion.fuseGroup(at: index) }
        fusion.dropDequantizeQuantizePairs()
        fusion.restoreActivationsBeforeReadThroughs()
        return fusion.result()
    }

    private init(graph: ModelGraph, types: [String: TensorType]) {
        self.graph = graph
        self.types = types
        self.nodes = graph.nodes
        self.outputNames = Set(graph.outputs.map(\.name))
        reindex()
    }

    private mutating func reindex() {
        producers = [:]
        readers = [:]
        for (i, node) in nodes.enumerated() {
            guard let node else { continue }
            for output in node.outputs { producers[output] = i }
            for input in node.inputs where !input.isEmpty { readers[input, default: []].append(i) }
        }
    }

    /// The rewritten graph, without the DequantizeLinear nodes nothing reads any more.
    private func result() -> ModelGraph {
        var fused = graph
        fused.nodes = nodes.compactMap { node in
            guard let node else { return nil }
            if case .dequantizeLinear = node.op, readers[node.outputs[0]] == nil, !outputNames.contains(node.outputs[0]) {
                return nil
            }
            return node
        }
        return fused
    }

    // MARK: Graph queries

    private func producer(_ value: String) -> ModelNode? { producers[value].flatMap { nodes[$0] } }

    /// The node reading `value`, when exactly one input slot of one node does and `value` is not
    /// a model output (onnxruntime's `CheckOutputEdges(node, 1)`).
    private func soleReader(_ value: String) -> (index: Int, node: ModelNode)? {
        guard let r = readers[value], r.count == 1, !outputNames.contains(value), let node = nodes[r[0]] else { return nil }
        return (r[0], node)
    }

    private func isConstant(_ name: String) -> Bool { graph.initializers[name] != nil }

    /// A constant, positive, normal Float32 scale of one element (onnxruntime's "scalar": rank 0 or `[1]`).
    private func scalarScale(_ name: String) -> Float? {
        guard case .float(let tensor, .float32)? = graph.initializers[name], tensor.count == 1, tensor.shape.count <= 1,
              tensor.values[0].isNormal, tensor.values[0] > 0 else { return nil }
        return tensor.values[0]
    }

    /// A constant integer zero point of one element, with its type.
    private func scalarZeroPoint(_ name: String) -> (value: Int64, type: ElementType)? {
        guard case .integer(let tensor)? = graph.initializers[name], tensor.count == 1, tensor.shape.count <= 1 else { return nil }
        return (tensor.values[0], tensor.elementType)
    }

    /// A QuantizeLinear's or DequantizeLinear's constant scalar scale and zero point; an absent
    /// zero point is 0 of `defaultType`, or refused when `explicit`.
    private func parameters(_ node: ModelNode, defaultType: ElementType, explicit: Bool = false) -> Quantization? {
        guard node.inputs.count >= 2, let scale = scalarScale(node.inputs[1]) else { return nil }
        guard node.inputs.count >= 3, !node.inputs[2].isEmpty else {
            return explicit ? nil : Quantization(scale: scale, zeroPoint: 0, type: defaultType)
        }
        guard let (zp, type) = scalarZeroPoint(node.inputs[2]) else { return nil }
        return Quantization(scale: scale, zeroPoint: zp, type: type)
    }

    private struct Quantization: Equatable {
        var scale: Float
        var zeroPoint: Int64
        var type: ElementType
    }

    /// The integer type a DequantizeLinear reads.
    private func inputType(_ dq: ModelNode) -> ElementType? { types[dq.inputs[0]]?.elementType }

    /// The integer type a QuantizeLinear writes.
    private func outputType(_ q: ModelNode) -> ElementType? { types[q.outputs[0]]?.elementType }

    private static func isEightBit(_ type: ElementType?) -> Bool { type == .uint8 || type == .int8 }

    /// The zero point the integers `value` were written with, when a QuantizeLinear or an
    /// operator-form node wrote them (through data-movement operators); nil when unknown.
    private func writtenZeroPoint(_ value: String) -> Int64? {
        var current = value
        for _ in nodes.indices {
            guard let node = producer(current) else { return nil }
            let position: Int
            switch node.op {
            case .quantizeLinear: position = 2
            case .qLinearConv, .qLinearMatMul, .qLinearAdd, .qLinearMul: position = 7
            case .qGemm: position = 8
            case .qLinearSigmoid, .qLinearLeakyRelu, .qLinearGlobalAveragePool: position = 4
            case .maxPool, .reshape, .flatten, .transpose, .squeeze, .unsqueeze, .identity:
                current = node.inputs[0]
                continue
            default: return nil
            }
            guard position < node.inputs.count, !node.inputs[position].isEmpty else {
                if case .qGemm = node.op { return nil }      // a float output
                return 0
            }
            return scalarZeroPoint(node.inputs[position])?.value
        }
        return nil
    }

    // MARK: Level-1 rules: an activation before QuantizeLinear, DQ → Q pairs

    /// Relu → Q with the zero point at the type's minimum, and Clip → Q whose bounds cover Q's
    /// range: Q reads the activation's input (onnxruntime's ReluQuantFusion and ClipQuantFusion).
    private mutating func dropRedundantActivations() {
        for index in nodes.indices {
            guard let node = nodes[index], let (qIndex, q) = soleReader(node.outputs[0]), case .quantizeLinear = q.op,
                  isRedundant(node, before: q) else { continue }
            nodes[qIndex]?.inputs[0] = node.inputs[0]
            nodes[index] = nil
            droppedActivations.append((index, node, q.outputs[0]))
            reindex()
        }
    }

    /// `Q(Relu(x)) = Q(x)` holds where Q quantizes; a QuantizeLinear read only by DequantizeLinear
    /// nodes that no group consumed reads through instead (the compiler quantizes that value by
    /// calibration, ``CircuitBuilder/isFakeQuantization(_:)``), so the Relu or Clip dropped before
    /// it comes back.
    private mutating func restoreActivationsBeforeReadThroughs() {
        for (index, activation, quantized) in droppedActivations {
            guard let qIndex = producers[quantized], let q = nodes[qIndex], case .quantizeLinear = q.op,
                  let qReaders = readers[quantized], !outputNames.contains(quantized),
                  qReaders.allSatisfy({ if case .dequantizeLinear? = nodes[$0]?.op { true } else { false } }) else { continue }
            nodes[index] = activation
            nodes[qIndex]?.inputs[0] = activation.outputs[0]
            reindex()
        }
    }

    /// Whether `q(activation(x)) = q(x)` for every `x`: a Relu before a zero point at the type's
    /// minimum, or a Clip whose bounds lie outside Q's range (onnxruntime's tolerance of one
    /// Float32 epsilon included). Q's zero point must be written out.
    private func isRedundant(_ activation: ModelNode, before q: ModelNode) -> Bool {
        guard let p = parameters(q, defaultType: .uint8, explicit: true), Self.isEightBit(p.type),
              let range = p.type.integerRange else { return false }
        switch activation.op {
        case .relu:
            return p.zeroPoint == range.lowerBound
        case .clip(let minimum, let maximum):
            let lower = p.scale * Float(range.lowerBound - p.zeroPoint), upper = p.scale * Float(range.upperBound - p.zeroPoint)
            let (lo, hi) = (minimum ?? -.greatestFiniteMagnitude, maximum ?? .greatestFiniteMagnitude)
            return lo - lower <= .ulpOfOne && upper - hi <= .ulpOfOne
        default:
            return false
        }
    }

    /// `DQ → Q` with equal, written-out parameters, the DQ read only by that Q: Q's readers read
    /// the DQ's input (onnxruntime's QDQFinalCleanupTransformer; `Q(DQ(q)) = q`).
    private mutating func dropDequantizeQuantizePairs() {
        for index in nodes.indices {
            guard let dq = nodes[index], case .dequantizeLinear = dq.op, let (qIndex, q) = soleReader(dq.outputs[0]),
                  case .quantizeLinear = q.op, !outputNames.contains(q.outputs[0]), let type = inputType(dq),
                  let d = parameters(dq, defaultType: type, explicit: true), d == parameters(q, defaultType: type, explicit: true)
            else { continue }
            for reader in Set(readers[q.outputs[0]] ?? []) {
                guard var node = nodes[reader] else { continue }
                node.inputs = node.inputs.map { $0 == q.outputs[0] ? dq.inputs[0] : $0 }
                nodes[reader] = node
            }
            nodes[index] = nil
            nodes[qIndex] = nil
            reindex()
        }
    }

    // MARK: Node groups

    /// A target node, the DequantizeLinear producing each of its inputs, the QuantizeLinear reading
    /// its output (nil for a Gemm with a float output), and a redundant Relu or Clip between them.
    private struct Group {
        var targetIndex: Int
        var target: ModelNode
        var dequantize: [ModelNode]
        var quantize: (index: Int, node: ModelNode)?
        var activation: Int?
    }

    /// onnxruntime's node group around `index` (`GetQDQSelection`, `CheckQDQNodes`,
    /// `CanCreateNodeGroup`), or nil: every input comes from a DequantizeLinear, and the output
    /// (after a redundant Relu or Clip) goes to exactly one QuantizeLinear and nowhere else;
    /// without a QuantizeLinear only when `quantizeOptional`.
    private func group(at index: Int, quantizeOptional: Bool = false) -> Group? {
        guard let target = nodes[index], target.outputs.count == 1, !target.inputs.contains("") else { return nil }
        var dequantize: [ModelNode] = []
        for input in target.inputs {
            guard let dq = producer(input), case .dequantizeLinear = dq.op else { return nil }
            dequantize.append(dq)
        }
        let out = target.outputs[0]
        // A Relu or Clip read once, reading the target only.
        var activation: Int? = nil
        var last = out
        if let (i, reader) = soleReader(out), soleReader(reader.outputs[0]) != nil, Self.isClipping(reader.op) {
            (activation, last) = (i, reader.outputs[0])
        }
        let lastReaders = readers[last] ?? []
        let quantizers = lastReaders.filter { if case .quantizeLinear? = nodes[$0]?.op { true } else { false } }
        if let activation {
            guard quantizers.count == 1, let clip = nodes[activation], let q = nodes[quantizers[0]],
                  isRedundant(clip, before: q) else { return nil }
        }
        if quantizers.isEmpty {
            guard quantizeOptional, activation == nil else { return nil }
            return Group(targetIndex: index, target: target, dequantize: dequantize, quantize: nil, activation: nil)
        }
        guard quantizers.count == 1, lastReaders.count == 1, !outputNames.contains(out), !outputNames.contains(last),
              let q = nodes[quantizers[0]] else { return nil }
        return Group(targetIndex: index, target: target, dequantize: dequantize, quantize: (quantizers[0], q), activation: activation)
    }

    private static func isClipping(_ op: Operator) -> Bool {
        switch op {
        case .relu, .clip: return true
        default: return false
        }
    }

    /// A written-out zero point for a fused node: the node's own, or a new constant 0 of `type`
    /// (onnxruntime's `SetOptionalZeroPoint`).
    private mutating func zeroPoint(of node: ModelNode, type: ElementType) -> String {
        if node.inputs.count >= 3, !node.inputs[2].isEmpty { return node.inputs[2] }
        let name = "qdq_fusion.zero_point.\(type)"
        if graph.initializers[name] == nil, let zero = try? IntegerTensor(shape: [], values: [0], elementType: type) {
            graph.initializers[name] = .integer(zero)
        }
        return name
    }

    /// The quantization of the integer activation a DequantizeLinear reads: 8-bit, scalar
    /// parameters, not a constant, and dequantized with the zero point it was written with.
    private func activationQuantization(_ dq: ModelNode) -> Quantization? {
        guard !isConstant(dq.inputs[0]), let type = inputType(dq), Self.isEightBit(type),
              let p = parameters(dq, defaultType: type) else { return nil }
        if let written = writtenZeroPoint(dq.inputs[0]), written != p.zeroPoint { return nil }
        return p
    }

    /// The QuantizeLinear's quantization when it writes `type`.
    private func outputQuantization(_ q: ModelNode, type: ElementType) -> Quantization? {
        guard outputType(q) == type, let p = parameters(q, defaultType: .uint8), p.type == type else { return nil }
        return p
    }

    private mutating func fuseGroup(at index: Int) {
        guard let node = nodes[index] else { return }
        let fused: (Group, ModelNode)?
        switch node.op {
        case .conv(let attributes):
            fused = linearGroup(at: index, .qLinearConv(attributes))
        case .matMul:
            fused = linearGroup(at: index, .qLinearMatMul)
        case .gemm(let a):
            guard !a.transposeA, a.alpha == 1, a.beta == 1 || node.inputs.count == 2 else { return }
            fused = linearGroup(at: index, .qGemm(GemmAttributes(alpha: 1, transposeA: false, transposeB: a.transposeB)))
        case .add:
            fused = binaryGroup(at: index, .qLinearAdd)
        case .mul:
            fused = binaryGroup(at: index, .qLinearMul)
        case .sigmoid:
            fused = unaryGroup(at: index, .qLinearSigmoid)
        case .unary(.leakyRelu(let alpha)):
            fused = unaryGroup(at: index, .qLinearLeakyRelu(alpha: alpha))
        case .globalAveragePool:
            fused = unaryGroup(at: index, .qLinearGlobalAveragePool(channelsLast: false))
        case .maxPool:
            fused = movementGroup(at: index, eightBitOnly: true)
        case .reshape, .flatten, .transpose, .squeeze, .unsqueeze:
            fused = movementGroup(at: index, eightBitOnly: false)
        default:
            return
        }
        guard let (group, replacement) = fused else { return }
        nodes[group.targetIndex] = replacement
        if let q = group.quantize { nodes[q.index] = nil }
        if let a = group.activation { nodes[a] = nil }
        reindex()
    }

    /// Conv → QLinearConv, MatMul → QLinearMatMul, Gemm → QGemm: `DQ(x), DQ(w) [, DQ(b)] → op → Q`
    /// (a Gemm without Q: QGemm's float output).
    private mutating func linearGroup(at index: Int, _ op: Operator) -> (Group, ModelNode)? {
        var (isConv, isGemm, transposeB) = (false, false, false)
        switch op {
        case .qLinearConv: isConv = true
        case .qGemm(let attributes): (isGemm, transposeB) = (true, attributes.transposeB)
        default: break
        }
        // (Only a Gemm may go without Q: QGemm's float output.)
        guard let g = group(at: index, quantizeOptional: isGemm),
              g.dequantize.count == 2 || (g.dequantize.count == 3 && (isConv || isGemm)) else { return nil }
        let (dqX, dqW) = (g.dequantize[0], g.dequantize[1])
        // The activation: 8-bit (uint8 for Conv and MatMul: onnxruntime's int8 kernels depend on
        // the processor), the output of the same type.
        guard let x = activationQuantization(dqX), isGemm || x.type == .uint8 else { return nil }
        if let q = g.quantize?.node, outputQuantization(q, type: x.type) == nil { return nil }
        // The weights: constant 8-bit integers (signed when the activation is).
        guard case .integer(let weights)? = graph.initializers[dqW.inputs[0]], Self.isEightBit(weights.elementType),
              x.type == .uint8 || weights.elementType == .int8 else { return nil }
        // Shapes the circuit proves: a 2-D convolution, a one-row matrix product. The output
        // channels: a kernel's first axis, B's columns (its rows with Gemm's transB).
        var columns = 0, channelAxis = 0
        if isConv {
            guard weights.shape.count == 4, types[dqX.inputs[0]]?.shape.count == 4 else { return nil }
        } else {
            guard weights.shape.count == 2, let a = types[dqX.inputs[0]]?.shape, a.count == 1 || (a.count == 2 && a[0] == 1) else {
                return nil
            }
            columns = transposeB ? weights.shape[0] : weights.shape[1]
            channelAxis = transposeB ? 0 : 1
        }
        // One scale, or one per output channel (per-channel quantization, the DequantizeLinear's axis).
        guard let wScales = weightScales(dqW, type: weights.elementType, shape: weights.shape, channelAxis: channelAxis) else {
            return nil
        }
        // The bias: int32 integers in units of x_scale · w_scale (Float32; per channel with the
        // weights'), zero point 0.
        var bias = ""
        if g.dequantize.count == 3 {
            let dqB = g.dequantize[2]
            guard case .integer(let b)? = graph.initializers[dqB.inputs[0]], b.elementType == .int32,
                  isBias(dqB, count: b.count, scales: wScales.map { x.scale * $0 }),
                  !isGemm || b.count == columns else { return nil }
            bias = dqB.inputs[0]
        }
        var inputs = [dqX.inputs[0], dqX.inputs[1], zeroPoint(of: dqX, type: x.type),
                      dqW.inputs[0], dqW.inputs[1], zeroPoint(of: dqW, type: weights.elementType)]
        if isGemm { inputs.append(bias) }
        if let q = g.quantize?.node { inputs += [q.inputs[1], zeroPoint(of: q, type: x.type)] }
        if isConv && !bias.isEmpty { inputs.append(bias) }
        let output = g.quantize?.node.outputs[0] ?? g.target.outputs[0]
        return (g, ModelNode(name: g.target.name, op: op, inputs: inputs, outputs: [output]))
    }

    /// A weight DequantizeLinear's scales: its scalar scale (zero point scalar or absent), or — per
    /// channel — a 1-D scale of `shape[channelAxis]` entries along the DequantizeLinear's `axis`,
    /// which must be `channelAxis`, with a zero point of the same shape and the weight's type (or
    /// none). The fused node takes both tensors as they are (QLinearConv, QLinearMatMul and QGemm
    /// read per-channel weight parameters).
    private func weightScales(_ dq: ModelNode, type: ElementType, shape: [Int], channelAxis: Int) -> [Float]? {
        if let p = parameters(dq, defaultType: type) { return [p.scale] }
        guard case .dequantizeLinear(let axis) = dq.op, (axis < 0 ? axis + shape.count : axis) == channelAxis,
              dq.inputs.count >= 2, case .float(let scale, .float32)? = graph.initializers[dq.inputs[1]],
              scale.shape == [shape[channelAxis]], scale.values.allSatisfy({ $0.isNormal && $0 > 0 }) else { return nil }
        if dq.inputs.count >= 3, !dq.inputs[2].isEmpty {
            guard case .integer(let zp)? = graph.initializers[dq.inputs[2]], zp.shape == scale.shape, zp.elementType == type
            else { return nil }
        }
        return scale.values
    }

    /// Whether a bias DequantizeLinear has zero points 0 and exactly the scales `scales` (one, or
    /// one per channel along axis 0): then onnxruntime's dropping of the bias's scale is exact.
    private func isBias(_ dq: ModelNode, count: Int, scales: [Float]) -> Bool {
        if scales.count == 1 {
            guard let p = parameters(dq, defaultType: .int32) else { return false }
            return p.zeroPoint == 0 && p.scale == scales[0]
        }
        guard case .dequantizeLinear(let axis) = dq.op, axis == 0 || axis == -1, count == scales.count,
              dq.inputs.count >= 2, case .float(let scale, .float32)? = graph.initializers[dq.inputs[1]],
              scale.values == scales else { return false }
        guard dq.inputs.count >= 3, !dq.inputs[2].isEmpty else { return true }
        guard case .integer(let zp)? = graph.initializers[dq.inputs[2]], zp.count == count || zp.count == 1 else { return false }
        return zp.values.allSatisfy { $0 == 0 }
    }

    /// Add → QLinearAdd, Mul → QLinearMul: `DQ(a), DQ(b) → op → Q`, all of one 8-bit type; two
    /// activations of one shape, or an activation and a constant that broadcasts to it.
    private mutating func binaryGroup(at index: Int, _ op: Operator) -> (Group, ModelNode)? {
        guard let g = group(at: index), let q = g.quantize?.node, g.dequantize.count == 2 else { return nil }
        let (dqA, dqB) = (g.dequantize[0], g.dequantize[1])
        guard let type = inputType(dqA), Self.isEightBit(type), inputType(dqB) == type,
              outputQuantization(q, type: type) != nil else { return nil }
        let (aIsConstant, bIsConstant) = (isConstant(dqA.inputs[0]), isConstant(dqB.inputs[0]))
        if !aIsConstant && !bIsConstant {
            guard activationQuantization(dqA) != nil, activationQuantization(dqB) != nil,
                  let a = types[dqA.inputs[0]]?.shape, a == types[dqB.inputs[0]]?.shape else { return nil }
        } else {
            guard aIsConstant != bIsConstant else { return nil }
            let (x, c) = aIsConstant ? (dqB, dqA) : (dqA, dqB)
            guard activationQuantization(x) != nil, parameters(c, defaultType: type) != nil,
                  case .integer(let constant)? = graph.initializers[c.inputs[0]], let shape = types[x.inputs[0]]?.shape,
                  Broadcasting.shape([constant.shape, shape]) == shape else { return nil }
        }
        let inputs = [dqA.inputs[0], dqA.inputs[1], zeroPoint(of: dqA, type: type),
                      dqB.inputs[0], dqB.inputs[1], zeroPoint(of: dqB, type: type),
                      q.inputs[1], zeroPoint(of: q, type: type)]
        return (g, ModelNode(name: g.target.name, op: op, inputs: inputs, outputs: [q.outputs[0]]))
    }

    /// Sigmoid → QLinearSigmoid, LeakyRelu → QLinearLeakyRelu, GlobalAveragePool (channels
    /// first, 2-D) → QLinearGlobalAveragePool: `DQ(x) → op → Q`, one 8-bit type in and out.
    private mutating func unaryGroup(at index: Int, _ op: Operator) -> (Group, ModelNode)? {
        guard let g = group(at: index), let q = g.quantize?.node, g.dequantize.count == 1, let x = activationQuantization(g.dequantize[0]),
              outputQuantization(q, type: x.type) != nil else { return nil }
        let dq = g.dequantize[0]
        if case .qLinearGlobalAveragePool = op, types[dq.inputs[0]]?.shape.count != 4 { return nil }
        let inputs = [dq.inputs[0], dq.inputs[1], zeroPoint(of: dq, type: x.type), q.inputs[1], zeroPoint(of: q, type: x.type)]
        return (g, ModelNode(name: g.target.name, op: op, inputs: inputs, outputs: [q.outputs[0]]))
    }

    /// MaxPool, Reshape, Flatten, Transpose, Squeeze, Unsqueeze: `DQ → op → Q` with one scale and
    /// zero point, written out, on both sides (onnxruntime's `IsQDQPairSupported`) is the operator
    /// on the integers. MaxPool only on 8-bit integers (its scale is positive: order is kept).
    private mutating func movementGroup(at index: Int, eightBitOnly: Bool) -> (Group, ModelNode)? {
        guard let g = group(at: index), let q = g.quantize?.node, g.activation == nil, g.dequantize.count == 1 else { return nil }
        let dq = g.dequantize[0]
        guard let type = inputType(dq), outputType(q) == type, !eightBitOnly || Self.isEightBit(type),
              let d = parameters(dq, defaultType: type, explicit: true), d == parameters(q, defaultType: type, explicit: true)
        else { return nil }
        if let written = writtenZeroPoint(dq.inputs[0]), written != d.zeroPoint { return nil }
        var node = g.target
        node.inputs = [dq.inputs[0]]
        node.outputs = [q.outputs[0]]
        return (g, node)
    }
}
