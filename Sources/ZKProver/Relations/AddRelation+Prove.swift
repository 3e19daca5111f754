public import ZKSetup
import ZKCircuit
import ZKField
import ZKTranscript
import ZKVerifier

/// The prover half of ``AddRelation`` (the statement and the verifier half are in ZKVerifier).
extension AddRelation {
    static func prove<F: LargePrimeField>(
        output out: TensorID, lhs: TensorID, rhs: TensorID, state: inout ProverState<F>
    ) -> RelationProof<F> {
        var evaluations: [F] = []
        if state.circuit.tensors[out].storage == .virtual {
            for claim in state.ledger.take(.tensor(out)) {
                let l = state.evaluate(.tensor(lhs), at: claim.point)
                evaluations.append(l)
                state.ledger.record([Claim(.tensor(lhs), point: claim.point, value: l),
                                     Claim(.tensor(rhs), point: claim.point, value: claim.value - l)])
            }
        } else {
            let z: [F] = state.transcript.challenges(label: "add.point", count: state.circuit.tensors[out].layout.variableCount)
            let o = state.evaluate(.tensor(out), at: z), l = state.evaluate(.tensor(lhs), at: z)
            evaluations = [o, l]
            state.ledger.record([Claim(.tensor(out), point: z, value: o), Claim(.tensor(lhs), point: z, value: l),
                                 Claim(.tensor(rhs), point: z, value: o - l)])
        }
        state.transcript.absorb(label: "add.evaluations", elements: evaluations)
        return .add(evaluations: evaluations)
    }
}
