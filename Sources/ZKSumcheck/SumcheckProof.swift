public import ZKField

/// The messages of one sumcheck run.
///
/// The prover convinces the verifier that `Σ_{x ∈ {0,1}^n} g(x) = C` for a polynomial `g` of
/// degree at most `d` in each variable. In round `k` (k = 1…n) it sends the univariate
/// polynomial `s_k(t) = Σ_{x_{k+1..n}} g(r_1, …, r_{k−1}, t, x_{k+1}, …, x_n)` as its evaluations at
/// `t = 0, 2, 3, …, d`; the evaluation at `t = 1` is not sent, because the verifier derives it from
/// the running claim, `s_k(1) = claim_{k−1} − s_k(0)`. The verifier then draws `r_k` from the
/// transcript and sets `claim_k = s_k(r_k)`. After `n` rounds the claim is about one point,
/// `g(r_1, …, r_n) = claim_n` (a ``SumcheckSubclaim``), which the caller must check.
///
/// Variables are fixed lowest-index first: round 1 binds `x_1`, the least significant bit of a
/// table index (the convention of `DenseMultilinearExtension`).
public struct SumcheckProof<E: FiniteField>: Sendable, Equatable {
    /// Round `k`'s message: `[s_k(0), s_k(2), s_k(3), …, s_k(d)]`, `d` values.
    public var roundMessages: [[E]]

    public init(roundMessages: [[E]]) { self.roundMessages = roundMessages }
}

/// What a successful sumcheck verification leaves to check: `g(point) = expectedEvaluation`.
public struct SumcheckSubclaim<E: FiniteField>: Sendable, Equatable {
    /// `(r_1, …, r_n)`, `r_1` binding the lowest variable.
    public var point: [E]
    /// The value `g` must take at ``point``.
    public var expectedEvaluation: E

    public init(point: [E], expectedEvaluation: E) {
        self.point = point
        self.expectedEvaluation = expectedEvaluation
    }
}

/// Why a sumcheck proof was rejected.
public enum SumcheckError: Error, Equatable, Sendable {
    /// The proof has `got` rounds; the statement has `expected` variables.
    case wrongRoundCount(expected: Int, got: Int)
    /// Round `round` (0-based) carries `got` evaluations; degree `d` needs exactly `expected = d`.
    case wrongMessageLength(round: Int, expected: Int, got: Int)
    /// The final claim disagrees with the evaluation of the summed polynomial at the random point.
    case finalEvaluationMismatch
}
