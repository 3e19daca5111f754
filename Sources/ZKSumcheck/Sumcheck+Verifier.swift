public import ZKField
import ZKPoly
public import ZKTranscript

/// The sumcheck verifier: checks the round messages against the running claim and reduces the
/// claim `Σ_x g(x) = claimedSum` to one evaluation of `g` at a random point.
///
/// Soundness (Lund–Fortnow–Karloff–Nisan): if the claimed sum is false, each round the prover must
/// send a polynomial different from the true `s_k`; two distinct polynomials of degree ≤ d agree at
/// ≤ d points, so a random `r_k` catches the lie except with probability `d/|E|`; over `n` rounds
/// the error is at most `n·d/|E|` (≈ 2^-247 for n = 20, d = 5 over BN254 Fr).
public enum SumcheckVerifier {
    /// Verifies the round structure and consistency of `proof` and returns the subclaim the caller
    /// must check: `g(point) = expectedEvaluation`. The challenges come from `transcript`, never
    /// from the proof.
    ///
    /// - Throws: ``SumcheckError/wrongRoundCount(expected:got:)`` or
    ///   ``SumcheckError/wrongMessageLength(round:expected:got:)`` for malformed proofs.
    public static func verify<E: FiniteField>(
        claimedSum: E, variableCount: Int, degree: Int, proof: SumcheckProof<E>, transcript: inout Transcript
    ) throws(SumcheckError) -> SumcheckSubclaim<E> {
        guard proof.roundMessages.count == variableCount else {
            throw .wrongRoundCount(expected: variableCount, got: proof.roundMessages.count)
        }
        transcript.absorb(label: "sumcheck.claim", element: claimedSum)
        var claim = claimedSum
        let scale = UnivariateEvaluations<E>.inverseOfFactorial(degree)
        var point: [E] = []
        point.reserveCapacity(variableCount)
        for (round, message) in proof.roundMessages.enumerated() {
            guard message.count == degree else {
                throw .wrongMessageLength(round: round, expected: degree, got: message.count)
            }
            transcript.absorb(label: "sumcheck.round", elements: message)
            let r: E = transcript.challenge(label: "sumcheck.challenge")
            // Evaluations at 0, 1, 2, …, d with s(1) = claim − s(0).
            var evaluations = message
            evaluations.insert(claim - message[0], at: 1)
            claim = UnivariateEvaluations(evaluations).evaluate(at: r, inverseOfDegreeFactorial: scale)
            point.append(r)
        }
        return SumcheckSubclaim(point: point, expectedEvaluation: claim)
    }
}
