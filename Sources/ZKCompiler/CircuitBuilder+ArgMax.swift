import ZKCircuit
import ZKModel

/// ArgMax, proven: any axis, `keepdims` 0 or 1, `select_last_index` 0 or 1, any number of rows,
/// anywhere in a model — built from the existing relations only (`lookup`, `add`, `mul`,
/// `linear`), so it needs no prover or verifier code of its own.
///
/// Per row `x_0, …, x_{n−1}` (integers in `[lo, hi]`, the input's declared range) the prover
/// supplies advice (``ArgMaxHint``, computed by integer inference): the one-hot `e`, the
/// indicators `T_j = [j < i]` (and `S_j = [j > i]` for the last index), the row maximum
/// broadcast over the row `M`, and the differences `d`. The relations, in the field:
///
/// 1. `e_j ∈ {0, 1}` — a lookup into the 1-bit range table;
/// 2. `Q = T + e` and `T_j = Q_{j+1}` (`T_{n−1} = 0`) — an `add` and a shifting `linear` map
///    (stored output: checked at a random point), so `T_j = Σ_{k>j} e_k`;
/// 3. `Q_0 = 1` — a `linear` selection whose output is a constant tensor of ones, so
///    `Σ_k e_k = 1`;
/// 4. for the last index: `R = S + e` and `S_j = R_{j−1}` (`S_0 = 0`), so `S_j = Σ_{k<j} e_k`;
/// 5. `P = e ⊙ x` (`mul`), `m = Σ_j P_j` (`linear`), and `M_j = m` (`linear` broadcast, stored);
/// 6. `M = (d + x) + I` with `I = T` (first index) or `I = S` (last index) — two `add`s, the
///    second with the stored output `M` (a check);
/// 7. `d_j ∈ [0, 2^k)` — a lookup into the `k`-bit range table, `2^k > hi − lo`;
/// 8. the output `idx = Σ_j T_j` (a summing `linear` map), reshaped when `keepdims` is 0.
///
/// **Why these are exactly ONNX's ArgMax on the integers.** Every identity holds in F_p
/// (p ≈ 2^254); every integer involved is far below p/2, so each is an integer identity. By (1)
/// each `e_j` is 0 or 1, so `Σ_k e_k ≤ n < p` is an integer count and (3) makes exactly one
/// `e_i = 1`. Then (2) gives `T_j = [j < i]`, (4) `S_j = [j > i]`, and (5) `M_j = x_i`. By (6),
/// `d_j ≡ x_i − x_j − I_j (mod p)` where the integer `D_j = x_i − x_j − I_j` lies in
/// `[lo − hi − 1, hi − lo]`; by (7) `0 ≤ d_j < 2^k`. A negative `D_j` would make
/// `d_j = p + D_j ≥ p − (hi − lo + 1) > 2^k`, so `D_j = d_j ≥ 0`: `x_i ≥ x_j` for every `j`, and
/// `x_i > x_j` for every `j < i` (first index) or every `j > i` (last index). So `i` is the
/// first (last) position of the row's maximum, and (8) outputs `i = Σ_j [j < i]`. Conversely the
/// honest advice satisfies every relation: `D_j ∈ [0, hi − lo]` fits the `k`-bit table.
///
/// The input's range `[lo, hi]` is enforced where the input is made (a table, the verifier's
/// range check of the public input, or a bounded integer computation), as for every other
/// relation; the input is masked to zero padding first, so that the stored `M`, `T` and `S`
/// (zero on padding by their `linear` maps) and `d` (range-checked) hold on padding slots too.
/// `e`'s padding is not constrained and never read: `Q` and `P` are read on logical slots only
/// (by per-axis maps; `Circuit.paddingIsZero` does not count `e`, or `Q`, as zero-padded, so
/// even the identity map of a one-element axis is proven by its sumcheck, not relabelled).
///
/// Ties are decided on the quantized integers: two inputs that quantize to the same integer are
/// a tie, resolved to the first (or last) index as ONNX resolves float ties. The output is the
/// exact index (scale 1, zero point 0): no error beyond that of quantizing the input.
extension CircuitBuilder {
    mutating func lowerArgMax(_ node: ModelNode, axis: Int, keepDims: Bool, selectLastIndex: Bool) {
        guard let x = activationOperand(node) else { return }
        guard let full = types[node.inputs[0]]?.shape, let outputFull = types[node.outputs[0]]?.shape,
              let a = TensorShape.normalizedAxis(axis, rank: full.count) else {
            reject(node, "the axis \(axis) is out of range for the input's shape"); return
        }
        // The verifier-side form, kept for the models that use it: an ArgMax over a single row
        // at the end of the model proves the scores, and the verifier takes their index.
        // (OutputPostprocess.argmax takes the first index: a last-index ArgMax is proven instead.)
        if !selectLastIndex, node.outputs[0] == outputValue, full.enumerated().allSatisfy({ $0.offset == a || $0.element == 1 }) {
            postprocessing = .argmax
            outputValue = node.inputs[0]
            return
        }
        // The circuit's view of the input: its ONNX shape (a leading batch of 1 put back when
        // the reduction is over it), reduced along `wa`.
        var input = x, wa = a
        if x.shape != full {
            guard [1] + x.shape == full else { reject(node, "the input's shape \(x.shape) does not match \(full)"); return }
            if a == 0 {
                let id = draft.add(activation("\(node.name).rows", shape: full, storage: .virtual, bounds: x.bounds))
                draft.relations.append(.linear(output: id, input: x.tensor, map: .reshape))
                input = x.relabelled(id, shape: full)
            } else {
                wa = a - 1
            }
        }
        input = zeroPadded(input, name: "\(node.name).masked")
        let shape = input.shape, n = shape[wa]
        var reducedShape = shape
        reducedShape[wa] = 1
        let outputShape = Self.dropBatch(outputFull)
        guard outputShape.reduce(1, *) == reducedShape.reduce(1, *) else {
            reject(node, "the output shape \(outputFull) does not fit an ArgMax of \(full) over axis \(a)"); return
        }

        // Range: D_j = x_i − x_j − I_j ∈ [lo − hi − 1, hi − lo]; the honest d_j ∈ [0, hi − lo].
        let (lo, hi) = (draft.tensors[input.tensor].minimum, draft.tensors[input.tensor].maximum)
        let (width, overflow) = hi.subtractingReportingOverflow(lo)
        let bits = overflow || width < 0 ? Int.max : max(1, Int64.bitWidth - width.leadingZeroBitCount)
        guard bits <= options.maximumTableBits else {
            reject(node, "its input's range [\(lo), \(hi)] needs a \(bits)-bit difference table (maximum \(options.maximumTableBits))")
            return
        }

        func advice(_ suffix: String, _ minimum: Int64, _ maximum: Int64) -> TensorID {
            draft.add(TensorInfo(name: "\(node.name).\(suffix)", shape: shape, storage: .advice, minimum: minimum, maximum: maximum))
        }
        func virtual(_ suffix: String, _ tensorShape: [Int], _ minimum: Int64, _ maximum: Int64) -> TensorID {
            draft.add(TensorInfo(name: "\(node.name).\(suffix)", shape: tensorShape, storage: .virtual, minimum: minimum, maximum: maximum))
        }
        /// A per-axis map: `along` on the reduced axis, the identity on every other.
        func map(_ along: AxisMap) -> LinearMap {
            .axes(shape.indices.map { $0 == wa ? along : .identity(shape[$0]) })
        }

        let e = advice("onehot", 0, 1)
        let before = advice("before", 0, 1)
        let after = selectLastIndex ? advice("after", 0, 1) : nil
        let maximum = advice("maximum", lo, hi)
        let differences = advice("differences", 0, width)
        let ones = draft.add(TensorInfo(name: "\(node.name).ones", shape: reducedShape, storage: .constant, minimum: 1, maximum: 1))
        draft.known[ones] = [Int64](repeating: 1, count: reducedShape.reduce(1, *))
        hints.append(.argMax(ArgMaxHint(
            relation: draft.relations.count, input: input.tensor, axis: wa, selectLastIndex: selectLastIndex, oneHot: e,
            before: before, after: after, maximum: maximum, differences: differences)))

        // (1) e ∈ {0, 1}.
        draft.relations.append(.lookup(input: e, output: nil, table: draft.table(.range(bits: 1))))
        // (2) T_j = Σ_{k>j} e_k: Q = T + e, T_j = Q_{j+1}.
        let q = virtual("before.inclusive", shape, 0, Int64(n))
        draft.relations.append(.add(output: q, lhs: before, rhs: e))
        let next = AxisMap(pairs: (0..<(n - 1)).map { AxisMap.Pair(output: $0, input: $0 + 1) })
        draft.relations.append(.linear(output: before, input: q, map: map(next)))
        // (3) Σ_k e_k = Q_0 = 1.
        draft.relations.append(.linear(output: ones, input: q, map: map(AxisMap(pairs: [.init(output: 0, input: 0)]))))
        // (4) S_j = Σ_{k<j} e_k: R = S + e, S_j = R_{j−1}.
        if let after {
            let r = virtual("after.inclusive", shape, 0, Int64(n))
            draft.relations.append(.add(output: r, lhs: after, rhs: e))
            let previous = AxisMap(pairs: (1..<Swift.max(n, 1)).map { AxisMap.Pair(output: $0, input: $0 - 1) })
            draft.relations.append(.linear(output: after, input: r, map: map(previous)))
        }
        // (5) M = broadcast(Σ_j e_j · x_j).
        let products = virtual("selected", shape, min(lo, 0), max(hi, 0))
        draft.relations.append(.mul(output: products, lhs: e, rhs: input.tensor))
        let m = virtual("max", reducedShape, lo, hi)
        draft.relations.append(.linear(output: m, input: products, map: map(.summing(n))))
        draft.relations.append(.linear(output: maximum, input: m,
                                       map: map(AxisMap(pairs: (0..<n).map { .init(output: $0, input: 0) }))))
        // (6) M = (d + x) + I.
        let partial = virtual("differences.plus.input", shape, lo, hi.addingReportingOverflow(width).overflow ? .max : hi + width)
        draft.relations.append(.add(output: partial, lhs: differences, rhs: input.tensor))
        draft.relations.append(.add(output: maximum, lhs: partial, rhs: after ?? before))
        // (7) d ∈ [0, 2^k).
        draft.relations.append(.lookup(input: differences, output: nil, table: draft.table(.range(bits: bits))))
        // (8) idx = Σ_j T_j, in the output's shape.
        let index = draft.add(TensorInfo(name: reducedShape == outputShape ? node.outputs[0] : "\(node.name).index",
                                         shape: reducedShape, storage: .advice, minimum: 0, maximum: Int64(n - 1)))
        draft.relations.append(.linear(output: index, input: before, map: map(.summing(n))))
        var result = QuantizedValue(tensor: index, scale: 1, shape: reducedShape, bounds: 0...Int64(n - 1), zeroPoint: 0)
        if reducedShape != outputShape {
            let id = draft.add(TensorInfo(name: node.outputs[0], shape: outputShape, storage: .virtual, minimum: 0, maximum: Int64(n - 1)))
            draft.relations.append(.linear(output: id, input: index, map: .reshape))
            result = result.relabelled(id, shape: outputShape)
        }
        values[node.outputs[0]] = result
    }
}
