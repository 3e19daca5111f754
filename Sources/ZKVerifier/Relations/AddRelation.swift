import ZKCircuit
import ZKField
import ZKTranscript

/// `out = lhs + rhs`, slot by slot: linear, so it holds at a point iff `out(z) = lhs(z) + rhs(z)`.
///
/// If `out` is virtual, every claim `out(z) = v` is consumed and the prover sends `lhs(z)`, and
/// `rhs(z) = v − lhs(z)` follows. If `out` is stored, the verifier draws `z` and the prover sends
/// `out(z)` and `lhs(z)`; `rhs(z)` follows. The resulting claims go to the ledger.
package enum AddRelation {
    static func verify<F: LargePrimeField>(
        output out: TensorID, lhs: TensorID, rhs: TensorID, relation: Int, proof: RelationProof<F>,
        state: inout VerifierState<F>
    ) throws(VerificationError) {
        guard case .add(let evaluations) = proof else {
            throw .relationShape(relation: relation, .wrongProofKind(expected: .add, got: proof.kind))
        }
        if state.circuit.tensors[out].storage == .virtual {
            let claims = state.ledger.take(.tensor(out))
            guard !claims.isEmpty else { throw .missingClaims(tensor: out) }
            guard evaluations.count == claims.count else {
                throw .relationShape(relation: relation, .evaluationCount(expected: claims.count, got: evaluations.count))
            }
            for (claim, l) in zip(claims, evaluations) {
                state.ledger.record([Claim(.tensor(lhs), point: claim.point, value: l),
                                     Claim(.tensor(rhs), point: claim.point, value: claim.value - l)])
            }
        } else {
            guard evaluations.count == 2 else {
                throw .relationShape(relation: relation, .evaluationCount(expected: 2, got: evaluations.count))
            }
            let z: [F] = state.transcript.challenges(label: "add.point", count: state.circuit.tensors[out].layout.variableCount)
            let (o, l) = (evaluations[0], evaluations[1])
            state.ledger.record([Claim(.tensor(out), point: z, value: o), Claim(.tensor(lhs), point: z, value: l),
                                 Claim(.tensor(rhs), point: z, value: o - l)])
        }
        state.transcript.absorb(label: "add.evaluations", elements: evaluations)
    }
}
