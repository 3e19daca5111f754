public import ZKSetup
import ZKCircuit
import ZKField
import ZKTranscript
import ZKVerifier

/// The prover half of ``RequantizeRelation`` (the statement and the verifier half are in ZKVerifier).
extension RequantizeRelation {
    static func prove<F: LargePrimeField>(
        output y: TensorID, input acc: TensorID, limbs: [TensorID], multiplier: Int64, shift: Int,
        state: inout ProverState<F>
    ) -> RelationProof<F> {
        let circuit = state.circuit
        let z: [F] = state.transcript.challenges(label: "requantize.point", count: circuit.tensors[y].layout.variableCount)
        let evaluations = ([y] + limbs).map { state.evaluate(.tensor($0), at: z) }
        state.transcript.absorb(label: "requantize.evaluations", elements: evaluations)
        state.ledger.record(claims(output: y, input: acc, limbs: limbs, multiplier: multiplier, shift: shift,
                                   point: z, evaluations: evaluations, circuit: circuit))
        return .requantize(evaluations: evaluations)
    }
}
