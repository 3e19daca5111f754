/// One relation of a circuit: an identity over the tensors' hypercube slots that the prover
/// proves and the verifier checks by sumcheck, lookup or a random-point evaluation.
///
/// Each case has a prover half and a verifier half in the proof system (one file each, named
/// after the case) and an independent integer check in ``CircuitChecker``.
public enum Relation: Sendable, Hashable, Codable {
    /// A dense layer: `output[i] = Σ_k weights[i, k] · input[k] + bias[i]`.
    ///
    /// `weights` has shape `[out, in]` (stored in C_W), `input` shape `[in]`, `output` shape `[out]`
    /// (a ``TensorStorage/virtual`` accumulator consumed by a requantization), `bias` shape `[out]`
    /// (a ``TensorStorage/constant``) or `nil`. Proven by the structured matrix–vector sumcheck:
    /// the verifier's claims on `output` at points `r_j`, combined with random `γ^j`, become
    /// `Σ_k (Σ_j γ^j W(r_j, k)) · x(k)`, a product sumcheck over the `in` variables.
    case matMul(output: TensorID, weights: TensorID, input: TensorID, bias: TensorID?)

    /// Requantization with the rounding rule of DESIGN.md:
    /// `y = floor((acc · M + 2^(s−1)) / 2^s)`, remainder `r = acc · M + 2^(s−1) − y · 2^s ∈ [0, 2^s)`.
    ///
    /// As an identity on every slot `i`: `M · acc[i] + 2^(s−1) · valid(i) = 2^s · y[i] + r[i]`, where
    /// `valid(i)` is 1 on logical slots and 0 on padding (its multilinear extension has a closed
    /// form the verifier evaluates), and `r = Σ_k 2^(8k) · limb_k` with every limb range-checked by
    /// a lookup of exactly its own width (8 bits, the last one `s − 8·(L−1)` bits). With `y`
    /// range-bounded by its consumer's lookup (or, for the public output, by the verifier) and the
    /// compiler's no-wrap bound `|M·acc| + 2^s·|y| + 2^s < p/2`, the identity in the field is the
    /// identity over the integers, so `y` is exactly the rounded quotient.
    case requantize(output: TensorID, input: TensorID, remainderLimbs: [TensorID], multiplier: Int64, shift: Int)

    /// Every slot's `(input[i])` — or `(input[i], output[i])` when `output` is given — is a row
    /// of `tables[table]`. Range checks use one column; activations (fused with their clamp)
    /// use a two-column function table.
    case lookup(input: TensorID, output: TensorID?, table: Int)

    /// `output = lhs + rhs`, slot by slot (the tensors share a layout).
    case add(output: TensorID, lhs: TensorID, rhs: TensorID)

    /// `output = lhs ⊙ rhs` (element-wise product of two tensors of one layout), by an
    /// `eq`-weighted zerocheck `Σ_x eq(r, x)·(lhs(x)·rhs(x) − output(x)) = 0`.
    case mul(output: TensorID, lhs: TensorID, rhs: TensorID)

    /// `output = L · input` for a fixed sparse linear map (data movement, sum pooling); proven
    /// by one sumcheck over the input with weights the verifier recomputes from the map.
    case linear(output: TensorID, input: TensorID, map: LinearMap)

    /// `output` is the concatenation of `inputs` along `axis`: the sum of each input placed at its
    /// offset (``LinearMap/pad(before:)``), proven by one linear sumcheck per input after the
    /// prover splits each claim into the inputs' contributions.
    case concat(output: TensorID, inputs: [TensorID], axis: Int)

    /// 2-D max pooling of `input [C, H, W]` into `output [C, Ho, Wo]`. For each window offset
    /// `w` the prover commits `differences[w] = output − window_w(input)`; lookups (separate
    /// relations) check every difference is ≥ 0, a zerocheck checks `Π_w differences[w] = 0`
    /// on every slot (the maximum is one of the window's elements), and one sumcheck links the
    /// differences to the input. Windows partly in the padding repeat a real element.
    case maxPool(output: TensorID, input: TensorID, differences: [TensorID], kernel: [Int], stride: [Int], pads: [Int])

    /// 2-D convolution `acc[o, i, j] = Σ_{c,u,v} K[o, c, u, v] · x[g(o)·C_g + c, i·s_h + u − p_t,
    /// j·s_w + v − p_l] + b[o]` with `groups` groups (depthwise when `groups = C_in`); `x` is
    /// `[C_in, H, W]`, `K` is `[C_out, C_in/groups, kh, kw]` (weights), `acc` `[C_out, Ho, Wo]`
    /// (virtual). Proven directly — no im2col — by two sumchecks: one over the input with the
    /// kernel folded in, one over the kernel.
    case conv2d(output: TensorID, weights: TensorID, input: TensorID, bias: TensorID?, stride: [Int], pads: [Int], groups: Int)

    /// The placement maps of a concatenation: input `i` padded into the output's shape at its
    /// offset along `axis`.
    public static func concatPlacements(inputShapes: [[Int]], axis: Int) -> [LinearMap] {
        var offset = 0
        return inputShapes.map { shape in
            var before = [Int](repeating: 0, count: shape.count)
            before[axis] = offset
            offset += shape[axis]
            return .pad(before: before)
        }
    }

    /// A short name for messages ("matMul", "requantize", …).
    public var kind: String {
        switch self {
        case .matMul: return "matMul"
        case .requantize: return "requantize"
        case .lookup: return "lookup"
        case .add: return "add"
        case .mul: return "mul"
        case .linear: return "linear"
        case .concat: return "concat"
        case .maxPool: return "maxPool"
        case .conv2d: return "conv2d"
        }
    }

    /// The tensors the relation reads.
    public var inputs: [TensorID] {
        switch self {
        case .matMul(_, let w, let x, let b): return [w, x] + (b.map { [$0] } ?? [])
        case .requantize(_, let acc, let limbs, _, _): return [acc] + limbs
        case .lookup(let x, _, _): return [x]
        case .add(_, let a, let b), .mul(_, let a, let b): return [a, b]
        case .linear(_, let x, _): return [x]
        case .concat(_, let xs, _): return xs
        case .maxPool(_, let x, let differences, _, _, _): return [x] + differences
        case .conv2d(_, let w, let x, let b, _, _, _): return [w, x] + (b.map { [$0] } ?? [])
        }
    }

    /// Every tensor the relation defines: its output, and a requantization's remainder limbs or a
    /// max-pool's differences.
    public var definedTensors: [TensorID] {
        switch self {
        case .requantize(let output, _, let limbs, _, _): return [output] + limbs
        case .maxPool(let output, _, let differences, _, _, _): return [output] + differences
        default: return output.map { [$0] } ?? []
        }
    }

    /// The tensor the relation defines or constrains last.
    public var output: TensorID? {
        switch self {
        case .matMul(let output, _, _, _), .requantize(let output, _, _, _, _), .add(let output, _, _),
             .mul(let output, _, _), .linear(let output, _, _), .maxPool(let output, _, _, _, _, _), .concat(let output, _, _),
             .conv2d(let output, _, _, _, _, _, _):
            return output
        case .lookup(_, let output, _):
            return output
        }
    }
}
