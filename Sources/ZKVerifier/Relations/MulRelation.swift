import ZKCircuit
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript

/// `output = lhs ⊙ rhs`, a product of two tensors, by an `eq`-weighted zerocheck.
///
/// Stored output: the verifier draws `r`, and `Σ_x eq(r, x)·(lhs(x)·rhs(x) − out(x)) = 0` is a
/// degree-3 sumcheck; the multilinear extension of the slot-wise difference vanishes at a random
/// `r` only if the difference is zero on every slot (error ≤ variables/|F|). Virtual output: the
/// claims `out(z_j) = v_j` combine to `Σ_x (Σ_j γ^j eq(z_j, x))·lhs(x)·rhs(x) = Σ_j γ^j v_j`.
/// Either way the prover ends by sending `lhs(s)`, `rhs(s)` (and `out(s)`), which become claims.
package enum MulRelation {
    static func verify<F: LargePrimeField>(
        output out: TensorID, lhs a: TensorID, rhs b: TensorID, relation: Int, proof: RelationProof<F>,
        state: inout VerifierState<F>
    ) throws(VerificationError) {
        let circuit = state.circuit
        let stored = circuit.tensors[out].storage != .virtual
        let variables = circuit.tensors[out].layout.variableCount
        guard case .general(let sumchecks, let evaluations) = proof else {
            throw .relationShape(relation: relation, .wrongProofKind(expected: .general, got: proof.kind))
        }
        guard sumchecks.count == 1 else {
            throw .relationShape(relation: relation, .sumcheckCount(expected: 1, got: sumchecks.count))
        }
        guard evaluations.count == (stored ? 3 : 2) else {
            throw .relationShape(relation: relation, .evaluationCount(expected: stored ? 3 : 2, got: evaluations.count))
        }
        var target = F.zero
        var weightAt: ([F]) -> F
        if stored {
            let r: [F] = state.transcript.challenges(label: "mul.point", count: variables)
            weightAt = { eq(r, $0) }
        } else {
            let claims = state.ledger.take(.tensor(out))
            guard !claims.isEmpty else { throw .missingClaims(tensor: out) }
            let gamma: F = state.transcript.challenge(label: "mul.combine")
            let coefficients = [F].powers(of: gamma, count: claims.count)
            for (j, claim) in claims.enumerated() { target += coefficients[j] * claim.value }
            weightAt = { s in
                var sum = F.zero
                for (j, claim) in claims.enumerated() { sum += coefficients[j] * eq(claim.point, s) }
                return sum
            }
        }
        let subclaim: SumcheckSubclaim<F>
        do throws(SumcheckError) {
            subclaim = try SumcheckVerifier.verify(
                claimedSum: target, variableCount: variables, degree: 3, proof: sumchecks[0], transcript: &state.transcript)
        } catch {
            throw .sumcheckFailed(relation: relation, sumcheck: 0, error)
        }
        state.transcript.absorb(label: "mul.evaluations", elements: evaluations)
        let s = subclaim.point
        var value = evaluations[0] * evaluations[1]
        if stored { value -= evaluations[2] }
        guard subclaim.expectedEvaluation == weightAt(s) * value else {
            throw .relationCheckFailed(relation: relation, check: .mulFinal)
        }
        state.ledger.record(Claim(.tensor(a), point: s, value: evaluations[0]))
        state.ledger.record(Claim(.tensor(b), point: s, value: evaluations[1]))
        if stored { state.ledger.record(Claim(.tensor(out), point: s, value: evaluations[2])) }
    }
}
