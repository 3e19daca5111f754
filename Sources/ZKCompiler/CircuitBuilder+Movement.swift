import ZKCircuit
import ZKModel

/// Data movement and reductions as ``LinearMap/axes(_:)`` maps: one linear sumcheck each, with
/// weights the verifier recomputes from the per-axis maps (no table, no advice).
extension CircuitBuilder {
    /// `shape` without the leading axes that are 1 in both `shape` and `grid` and that `maps`
    /// leave alone (the batch dimension and the leading 1s of a broadcast), keeping at least one axis.
    static func dropTrivialLeadingAxes(view: [Int], grid: [Int], maps: [AxisMap]) -> (view: [Int], grid: [Int], maps: [AxisMap]) {
        var (view, grid, maps) = (view, grid, maps)
        while view.count > 1, view[0] == 1, grid[0] == 1, maps[0] == .identity(1) {
            view.removeFirst()
            grid.removeFirst()
            maps.removeFirst()
        }
        return (view, grid, maps)
    }

    /// `x` (whose circuit shape may lack the batch dimension) mapped by per-axis maps from `view`
    /// (x's elements under the ONNX shape the maps read) to `grid`, then viewed as `shape`. The
    /// result is virtual: a reshape where the shapes differ, one `axes` linear relation.
    mutating func mapAxes(
        _ x: QuantizedValue, view fullView: [Int], grid fullGrid: [Int], maps fullMaps: [AxisMap], shape: [Int], name: String,
        node: ModelNode, bound: Int64? = nil
    ) -> QuantizedValue? {
        let bound = bound ?? limit
        func virtual(_ name: String, _ shape: [Int]) -> TensorID {
            draft.add(TensorInfo(name: name, shape: shape, storage: .virtual, minimum: -bound, maximum: bound))
        }
        let (view, grid, maps) = Self.dropTrivialLeadingAxes(view: fullView, grid: fullGrid, maps: fullMaps)
        guard view.reduce(1, *) == x.shape.reduce(1, *), grid.reduce(1, *) == shape.reduce(1, *) else {
            reject(node, "cannot view \(x.shape) as \(view) or \(grid) as \(shape)"); return nil
        }
        if let problem = Self.shapeProblem(view) ?? Self.shapeProblem(grid) { reject(node, problem); return nil }
        var input = x.tensor
        if view != x.shape {
            input = virtual("\(name).view", view)
            draft.relations.append(.linear(output: input, input: x.tensor, map: .reshape))
        }
        let isIdentity = view == grid && maps.enumerated().allSatisfy { $0.element == .identity(view[$0.offset]) }
        var result = input
        if !isIdentity {
            result = virtual(grid == shape ? name : "\(name).grid", grid)
            draft.relations.append(.linear(output: result, input: input, map: .axes(maps)))
        }
        if grid != shape {
            let reshaped = virtual(name, shape)
            draft.relations.append(.linear(output: reshaped, input: result, map: .reshape))
            result = reshaped
        }
        return QuantizedValue(tensor: result, scale: x.scale, shape: shape)
    }

    /// Pad, Slice, Tile, Expand, Gather with constant indices, a Split output, nearest Resize:
    /// every output element is one input element (or zero padding), at the input's scale.
    mutating func lowerSelection(_ node: ModelNode, _ selection: Selection) {
        guard let x = activationOperand(node), let full = types[node.inputs[0]]?.shape,
              let outputShape = types[node.outputs[0]]?.shape else { return }
        let plan: SelectionPlan
        switch selection.plan(inputShape: full) {
        case .success(let resolved): plan = resolved
        case .failure(let problem): reject(node, problem.description); return
        }
        let padsWithValue = plan.fill != 0 && plan.readsFill
        guard let y = mapAxes(x, view: plan.inputView, grid: plan.gridShape, maps: plan.sources.map(AxisMap.selecting),
                              shape: Self.dropBatch(outputShape), name: padsWithValue ? "\(node.name).zero-padded" : node.outputs[0],
                              node: node) else { return }
        guard padsWithValue else { values[node.outputs[0]] = y; return }
        // Padding with a value c: the zero-padded copy plus c on the padding positions, a
        // per-element affine step (multiplier 1, offset c or 0).
        let offsets = plan.sourceIndices().map { $0 < 0 ? Double(plan.fill) : 0 }
        lowerChannelAffine(node, y, multipliers: offsets.map { _ in 1 }, offsets: offsets, elementwise: true)
    }

    /// ReduceSum and ReduceMean: the sum over the reduced axes as a linear map (a virtual
    /// accumulator bounded by `n · limit`), then the usual requantization to the output's scale —
    /// by `s_x / n` for a mean — and the clamp (with a following activation fused). Other
    /// reductions are decomposed before calibration (``GraphDecomposition``).
    mutating func lowerReduction(_ node: ModelNode, _ reduction: Reduction) {
        guard let x = activationOperand(node), let full = types[node.inputs[0]]?.shape,
              let outputShape = types[node.outputs[0]]?.shape else { return }
        guard reduction.kind == .sum || reduction.kind == .mean else {
            reject(node, "\(reduction.kind.operatorName) of this shape is not supported"); return
        }
        guard let axes = reduction.normalizedAxes(rank: full.count) else { reject(node, "axes out of range"); return }
        let count = axes.map { full[$0] }.reduce(1, *)
        guard count >= 1 else { reject(node, "an empty reduction"); return }
        let maps = full.enumerated().map { a, d in axes.contains(a) ? AxisMap.summing(d) : AxisMap.identity(d) }
        let grid = full.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let shape = Self.dropBatch(outputShape)
        let worst = limit * Int64(count)
        guard let sum = mapAxes(x, view: full, grid: grid, maps: maps, shape: shape, name: "\(node.name).sum", node: node,
                                bound: worst) else { return }
        let accumulator = zeroPadded(sum, name: "\(node.name).sum.masked")
        let (activation, current) = fusedActivation(after: node.outputs[0])
        let accumulatorScale = reduction.kind == .mean ? x.scale / Double(count) : x.scale
        let yScale = fittingScale(scale(of: activation.changesScale ? node.outputs[0] : current),
                                  worst: worst, accumulatorScale: accumulatorScale)
        requantizeAndActivate(
            node: node, accumulator: accumulator.tensor, accumulatorScale: accumulatorScale, outputScale: yScale,
            worstAccumulator: worst, activation: activation, shape: shape, outputName: current, inputScale: x.scale,
            weightScale: nil)
    }

    /// `desired`, or the finest scale at which the worst-case accumulator still requantizes into
    /// a table of at most `bits + 6` bits (calibrated ranges of sums and products can be far
    /// below their worst case; the table domain must cover the worst case).
    func fittingScale(_ desired: Double, worst: Int64, accumulatorScale: Double) -> Double {
        let widest = Double(Int64(1) << Int64(min(options.bits + 6, options.maximumTableBits) - 2))
        return max(desired, Double(worst) * accumulatorScale / widest)
    }

    /// `x` broadcast (numpy rules) to `target`, as a virtual tensor; `nil` when it does not broadcast.
    mutating func broadcast(_ x: QuantizedValue, to target: [Int], name: String, node: ModelNode) -> QuantizedValue? {
        if x.shape == target { return x }
        guard target.count >= x.shape.count else { return nil }
        let view = [Int](repeating: 1, count: target.count - x.shape.count) + x.shape
        guard zip(view, target).allSatisfy({ $0 == $1 || $0 == 1 }) else { return nil }
        let maps = zip(view, target).map { v, t in v == t ? AxisMap.identity(t) : .selecting([Int](repeating: 0, count: t)) }
        return mapAxes(x, view: view, grid: target, maps: maps, shape: target, name: name, node: node)
    }

    /// The broadcast shape of two activations, checked against the node's output shape.
    func broadcastShape(_ a: QuantizedValue, _ b: QuantizedValue, node: ModelNode) -> [Int]? {
        guard let shape = Broadcasting.shape([a.shape, b.shape]) else { return nil }
        if let declared = types[node.outputs[0]]?.shape, Self.dropBatch(declared).reduce(1, *) != shape.reduce(1, *) { return nil }
        return shape
    }

    /// MatMul of two activations (attention's `Q·Kᵀ` and `weights·V`): `A [.., i, k]` and
    /// `B [.., k, j]` are broadcast to `[.., i, k, j]`, multiplied exactly by the `mul` relation,
    /// summed over `k` by a linear map (a virtual accumulator bounded by `k · limit²`), then
    /// requantized like a linear layer. The products are never rounded before the sum.
    mutating func lowerActivationMatMul(_ node: ModelNode) {
        guard let a = values[node.inputs[0]], let b = values[node.inputs[1]],
              let outputShape = types[node.outputs[0]]?.shape else { return }
        guard a.shape.count >= 2, b.shape.count >= 2, a.shape[a.shape.count - 1] == b.shape[b.shape.count - 2] else {
            reject(node, "MatMul of two activations needs operands of rank 2 or more with matching inner dimensions"); return
        }
        let k = a.shape[a.shape.count - 1]
        let a3 = a.shape + [1]
        let b3 = Array(b.shape.dropLast(2)) + [1] + Array(b.shape.suffix(2))
        guard let target = Broadcasting.shape([a3, b3]) else { reject(node, "MatMul batch dimensions do not broadcast"); return }
        guard let av = mapAxes(a, view: a3, grid: a3, maps: a3.map(AxisMap.identity), shape: a3, name: "\(node.name).a3", node: node),
              let bv = mapAxes(b, view: b3, grid: b3, maps: b3.map(AxisMap.identity), shape: b3, name: "\(node.name).b3", node: node),
              let left = broadcast(av, to: target, name: "\(node.name).lhs", node: node),
              let right = broadcast(bv, to: target, name: "\(node.name).rhs", node: node) else { return }
        let square = limit * limit
        let product = draft.add(TensorInfo(name: "\(node.name).products", shape: target, storage: .virtual, minimum: -square, maximum: square))
        draft.relations.append(.mul(output: product, lhs: left.tensor, rhs: right.tensor))
        let rank = target.count
        let maps = target.enumerated().map { $0.offset == rank - 2 ? AxisMap.summing($0.element) : .identity($0.element) }
        var grid = target
        grid[rank - 2] = 1
        let shape = Self.dropBatch(outputShape)
        let productValue = QuantizedValue(tensor: product, scale: a.scale * b.scale, shape: target)
        let worst = square * Int64(k)
        guard let sum = mapAxes(productValue, view: target, grid: grid, maps: maps, shape: shape, name: "\(node.name).acc",
                                node: node, bound: worst) else { return }
        let (activation, current) = fusedActivation(after: node.outputs[0])
        let accumulatorScale = a.scale * b.scale
        let yScale = fittingScale(scale(of: activation.changesScale ? node.outputs[0] : current),
                                  worst: worst, accumulatorScale: accumulatorScale)
        requantizeAndActivate(
            node: node, accumulator: sum.tensor, accumulatorScale: accumulatorScale, outputScale: yScale, worstAccumulator: worst,
            activation: activation, shape: shape, outputName: current, inputScale: a.scale, weightScale: b.scale)
    }
}
