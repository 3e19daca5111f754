import ZKModel

/// Rewrites composite operators into the primitives the circuit builder proves, **before**
/// calibration, so that every intermediate value is computed by the float executor and gets its
/// own calibrated scale:
///
/// | operator | primitives |
/// |---|---|
/// | `LayerNormalization` | `m = ReduceMean(x)`, `c = x − m`, `v = ReduceMean(c·c)`, `c · rsqrt(v + ε)`, `· γ + β` |
/// | `InstanceNormalization` | the same over the spatial axes, `γ`, `β` per channel |
/// | `Softmax` (not the model's last step) | `e = exp(x − ReduceMax(x))`, `e · 1/ReduceSum(e)` |
/// | `LogSoftmax` | `d = x − ReduceMax(x)`, `d − log ReduceSum(exp d)` |
/// | `Div(a, b)` of activations | `a · (1/b)` (a reciprocal table) |
/// | `Div(a, c)` by a constant | `a · (1/c)` |
/// | `Max(a, b)`, `Min(a, b)` | `a + Relu(b − a)`, `a − Relu(a − b)` |
/// | `ReduceMax`, `ReduceMin` | halving: `max(x[first half], x[second half])` until one is left |
/// | `ReduceSumSquare`, `ReduceL1`, `ReduceL2` | `ReduceSum(x·x)`, `ReduceSum(|x|)`, `sqrt(ReduceSum(x·x))` |
/// | `PRelu(x, s)` | `p = Relu(x)`, `p + s · (x − p)` |
///
/// Each primitive is then proven as usual (reductions by a linear sumcheck, products by the
/// `mul` zerocheck, functions by tables), so the composite's error is the sum of its steps'
/// quantization errors (docs/operators.md).
struct GraphDecomposition {
    private var graph: ModelGraph
    private var types: [String: TensorType]
    private var nodes: [ModelNode] = []
    private var counter = 0

    /// The decomposed graph; the input graph when nothing needed rewriting.
    ///
    /// A model with several outputs proves one: the first floating-point output (a classifier's
    /// probabilities rather than the integer label an exporter lists first), or the first output.
    /// The other outputs are dropped from the graph, and with them every node only they need.
    static func decompose(_ original: ModelGraph) throws(CompileError) -> ModelGraph {
        let types: [String: TensorType]
        do { types = try original.inferTypes() } catch { throw .invalidModel("\(error)") }
        var graph = original
        if let proven = Compiler.provenOutput(of: original, types: types) { graph.outputs = [proven] }
        var decomposition = GraphDecomposition(graph: graph, types: types)
        for node in graph.nodes { decomposition.rewrite(node) }
        decomposition.graph.nodes = Self.live(decomposition.nodes, outputs: graph.outputs.prefix(1).map(\.name))
        return decomposition.graph
    }

    /// The nodes the given outputs depend on, in their order (exporters leave unused branches,
    /// and a value nothing reads would be unconstrained in the circuit).
    static func live(_ nodes: [ModelNode], outputs: [String]) -> [ModelNode] {
        var needed = Set(outputs)
        var keep = [Bool](repeating: false, count: nodes.count)
        for index in nodes.indices.reversed() where nodes[index].outputs.contains(where: needed.contains) {
            keep[index] = true
            for input in nodes[index].inputs where !input.isEmpty { needed.insert(input) }
        }
        return nodes.indices.filter { keep[$0] }.map { nodes[$0] }
    }

    /// The proven output and the values an Identity chain copies into it (a trailing Softmax there
    /// stays whole: the verifier applies it).
    private let finalValues: Set<String>

    private init(graph: ModelGraph, types: [String: TensorType]) {
        self.graph = graph
        self.types = types
        var finals = Set<String>()
        var current = graph.outputs.first?.name
        while let value = current, finals.insert(value).inserted {
            current = graph.nodes.first { $0.outputs.contains(value) && $0.op == .identity }?.inputs.first
        }
        finalValues = finals
    }

    private func isConstant(_ name: String) -> Bool { graph.initializers[name] != nil }

    private func rank(_ name: String) -> Int? { types[name]?.shape.count }

    /// A fresh value name derived from `base`.
    private mutating func fresh(_ base: String, _ role: String) -> String {
        counter += 1
        return "\(base)/\(role)#\(counter)"
    }

    /// Appends a node computing `op(inputs)` into a fresh value (or `output`), and returns its name.
    @discardableResult
    private mutating func emit(_ op: Operator, _ inputs: [String], from node: ModelNode, role: String, output: String? = nil)
        -> String
    {
        let name = output ?? fresh(node.outputs[0], role)
        counter += 1
        nodes.append(ModelNode(name: "\(node.name)/\(role)#\(counter)", op: op, inputs: inputs, outputs: [name]))
        if types[name] == nil {
            let inputTypes = inputs.map { types[$0] ?? graph.initializers[$0].map { TensorType(elementType: $0.elementType, shape: $0.shape) } }
            if let type = try? ShapeInference.outputTypes(of: nodes.last!, inputs: inputTypes).first { types[name] = type }
        }
        return name
    }

    /// A new constant initializer.
    private mutating func constant(_ tensor: FloatTensor, _ base: String, _ role: String) -> String {
        let name = fresh(base, role)
        graph.initializers[name] = .float(tensor)
        types[name] = TensorType(shape: tensor.shape)
        return name
    }

    private mutating func rewrite(_ node: ModelNode) {
        let out = node.outputs.first ?? ""
        let isModelOutput = finalValues.contains(out)
        switch node.op {
        case .layerNormalization(let axis, let epsilon):
            guard let r = rank(node.inputs[0]), let a = TensorShape.normalizedAxis(axis, rank: r) else { break }
            let scale = node.inputs.count > 1 ? node.inputs[1] : ""
            let bias = node.inputs.count > 2 ? node.inputs[2] : ""
            normalize(node, axes: Array(a..<r), epsilon: epsilon, scale: scale, bias: bias)
            return
        case .instanceNormalization(let epsilon):
            guard let shape = types[node.inputs[0]]?.shape, shape.count >= 3,
                  let gamma = graph.initializers[node.inputs[1]]?.floatTensor,
                  let beta = graph.initializers[node.inputs[2]]?.floatTensor else { break }
            let perChannel = [shape[1]] + [Int](repeating: 1, count: shape.count - 2)
            guard let g = try? gamma.reshaped(perChannel), let b = try? beta.reshaped(perChannel) else { break }
            let scale = constant(g, out, "gamma"), bias = constant(b, out, "beta")
            normalize(node, axes: Array(2..<shape.count), epsilon: epsilon, scale: scale, bias: bias)
            return
        case .softmax(let axis) where !(isModelOutput && isSingleRow(node.inputs[0], axis: axis)):
            // A trailing Softmax over one row stays whole: the verifier applies it exactly.
            softmax(node, axis: axis, logarithm: false)
            return
        case .logSoftmax(let axis):
            softmax(node, axis: axis, logarithm: true)
            return
        case .div where node.inputs.count == 2:
            if let c = graph.initializers[node.inputs[1]]?.floatTensor, !isConstant(node.inputs[0]) {
                let reciprocal = try? FloatTensor(shape: c.shape, values: c.values.map { 1 / $0 })
                guard let reciprocal else { break }
                emit(.mul, [node.inputs[0], constant(reciprocal, out, "reciprocal")], from: node, role: "mul", output: out)
                return
            }
            guard !isConstant(node.inputs[0]), !isConstant(node.inputs[1]) else { break }
            let r = emit(.unary(.reciprocal), [node.inputs[1]], from: node, role: "reciprocal")
            emit(.mul, [node.inputs[0], r], from: node, role: "mul", output: out)
            return
        case .maximum, .minimum:
            // With a constant operand the Sub and Add below are affine steps.
            guard node.inputs.count == 2, !(isConstant(node.inputs[0]) && isConstant(node.inputs[1])) else { break }
            extremum(node.inputs[0], node.inputs[1], maximum: node.op == .maximum, from: node, output: out)
            return
        case .reduce(let reduction):
            guard let shape = types[node.inputs[0]]?.shape, let axes = reduction.normalizedAxes(rank: shape.count) else { break }
            switch reduction.kind {
            case .max, .min:
                var current = node.inputs[0]
                for a in axes { current = halve(current, axis: a, maximum: reduction.kind == .max, from: node) }
                finishReduction(current, keepDims: reduction.keepDims, axes: axes, from: node, output: out)
                return
            case .sumSquare, .l2:
                let squares = emit(.mul, [node.inputs[0], node.inputs[0]], from: node, role: "square")
                let sumKind = Reduction(kind: .sum, axes: reduction.axes, keepDims: reduction.keepDims)
                if reduction.kind == .sumSquare {
                    emit(.reduce(sumKind), [squares], from: node, role: "sum", output: out)
                } else {
                    let sum = emit(.reduce(sumKind), [squares], from: node, role: "sum")
                    emit(.unary(.sqrt), [sum], from: node, role: "sqrt", output: out)
                }
                return
            case .l1:
                let magnitudes = emit(.unary(.absolute), [node.inputs[0]], from: node, role: "abs")
                emit(.reduce(Reduction(kind: .sum, axes: reduction.axes, keepDims: reduction.keepDims)), [magnitudes],
                     from: node, role: "sum", output: out)
                return
            default:
                break
            }
        case .pRelu where node.inputs.count == 2 && !isConstant(node.inputs[0]):
            let p = emit(.relu, [node.inputs[0]], from: node, role: "positive")
            let n = emit(.sub, [node.inputs[0], p], from: node, role: "negative")
            let s = emit(.mul, [n, node.inputs[1]], from: node, role: "slope")
            emit(.add, [p, s], from: node, role: "sum", output: out)
            return
        default:
            break
        }
        nodes.append(node)
    }

    /// Whether `value` is one row along `axis` (every other dimension 1), so that a Softmax over it
    /// is a function of the whole output (the verifier's postprocessing).
    private func isSingleRow(_ value: String, axis: Int) -> Bool {
        guard let shape = types[value]?.shape, let a = TensorShape.normalizedAxis(axis, rank: shape.count) else { return false }
        return a == shape.count - 1 && shape.dropLast().allSatisfy { $0 == 1 }
    }

    /// `(x − mean) · rsqrt(var + ε) · scale + bias` over `axes`.
    private mutating func normalize(_ node: ModelNode, axes: [Int], epsilon: Float, scale: String, bias: String) {
        let out = node.outputs[0]
        let x = node.inputs[0]
        let mean = Reduction(kind: .mean, axes: axes, keepDims: true)
        let m = emit(.reduce(mean), [x], from: node, role: "mean")
        let c = emit(.sub, [x, m], from: node, role: "centred")
        let squares = emit(.mul, [c, c], from: node, role: "square")
        let variance = emit(.reduce(mean), [squares], from: node, role: "variance")
        let factor = emit(.unary(.reciprocalSquareRoot(epsilon: epsilon)), [variance], from: node, role: "rsqrt")
        let hasScale = !scale.isEmpty, hasBias = !bias.isEmpty
        let normalized = emit(.mul, [c, factor], from: node, role: "normalized", output: hasScale || hasBias ? nil : out)
        var current = normalized
        if hasScale { current = emit(.mul, [current, scale], from: node, role: "scaled", output: hasBias ? nil : out) }
        if hasBias { emit(.add, [current, bias], from: node, role: "shifted", output: out) }
    }

    /// Softmax (or LogSoftmax) along `axis` from its primitives.
    private mutating func softmax(_ node: ModelNode, axis: Int, logarithm: Bool) {
        let out = node.outputs[0]
        let x = node.inputs[0]
        guard let r = rank(x), let a = TensorShape.normalizedAxis(axis, rank: r) else { nodes.append(node); return }
        let m = halve(x, axis: a, maximum: true, from: node)
        let d = emit(.sub, [x, m], from: node, role: "shifted")
        let e = emit(.unary(.exp), [d], from: node, role: "exp")
        let s = emit(.reduce(Reduction(kind: .sum, axes: [a], keepDims: true)), [e], from: node, role: "sum")
        if logarithm {
            let l = emit(.unary(.log), [s], from: node, role: "log")
            emit(.sub, [d, l], from: node, role: "logsoftmax", output: out)
        } else {
            let inverse = emit(.unary(.reciprocal), [s], from: node, role: "inverse")
            emit(.mul, [e, inverse], from: node, role: "softmax", output: out)
        }
    }

    /// `max(a, b) = a + Relu(b − a)`, `min(a, b) = a − Relu(a − b)`.
    @discardableResult
    private mutating func extremum(_ a: String, _ b: String, maximum: Bool, from node: ModelNode, output: String? = nil) -> String {
        let d = emit(.sub, maximum ? [b, a] : [a, b], from: node, role: "difference")
        let p = emit(.relu, [d], from: node, role: "excess")
        return emit(maximum ? .add : .sub, [a, p], from: node, role: maximum ? "max" : "min", output: output)
    }

    /// The maximum (or minimum) along `axis`, kept as a dimension of 1: pairwise halving, the two
    /// halves overlapping by one element when the length is odd (harmless for an extremum).
    private mutating func halve(_ x: String, axis: Int, maximum: Bool, from node: ModelNode) -> String {
        var current = x
        while let shape = types[current]?.shape, axis < shape.count, shape[axis] > 1 {
            let n = shape[axis]
            let half = (n + 1) / 2
            let first = emit(.select(.slice(starts: [0], ends: [half], axes: [axis], steps: [1])), [current], from: node, role: "lower")
            let second = emit(.select(.slice(starts: [n - half], ends: [n], axes: [axis], steps: [1])), [current], from: node, role: "upper")
            current = extremum(first, second, maximum: maximum, from: node)
        }
        return current
    }

    /// Squeezes the reduced axes unless `keepDims`, writing `output`.
    private mutating func finishReduction(_ x: String, keepDims: Bool, axes: [Int], from node: ModelNode, output: String) {
        if keepDims || axes.isEmpty {
            emit(.identity, [x], from: node, role: "result", output: output)
        } else {
            emit(.squeeze(axes: axes), [x], from: node, role: "squeeze", output: output)
        }
    }
}
