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

    /// A short name for messages ("matMul", "requantize", …).
    public var kind: String {
        switch self {
        case .matMul: return "matMul"
        case .requantize: return "requantize"
        case .lookup: return "lookup"
        case .add: return "add"
        }
    }

    /// The tensor the relation defines or constrains last.
    public var output: TensorID? {
        switch self {
        case .matMul(let output, _, _, _), .requantize(let output, _, _, _, _), .add(let output, _, _):
            return output
        case .lookup(_, let output, _):
            return output
        }
    }
}
