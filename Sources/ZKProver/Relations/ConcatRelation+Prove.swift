public import ZKSetup
import ZKCircuit
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript
import ZKVerifier

/// The prover half of ``ConcatRelation`` (the statement and the verifier half are in ZKVerifier).
extension ConcatRelation {
    static func prove<F: LargePrimeField>(
        output out: TensorID, inputs: [TensorID], axis: Int, state: inout ProverState<F>
    ) -> RelationProof<F> {
        let circuit = state.circuit
        var (claims, evaluations) = state.outputClaims(out, prefix: "concat")
        let gamma: F = state.transcript.challenge(label: "concat.combine")
        let coefficients = [F].powers(of: gamma, count: claims.count)
        let maps = Relation.concatPlacements(inputShapes: inputs.map { circuit.tensors[$0].layout.shape }, axis: axis)
        let weights = zip(inputs, maps).map { x, map in
            LinearRelation.weights(circuit: circuit, output: out, input: x, map: map, claims: claims, coefficients: coefficients)
        }
        var contributions: [F] = []
        for (x, w) in zip(inputs, weights) {
            let values = state.values(of: .tensor(x))
            var c = F.zero
            for k in w.indices where !w[k].isZero { c += w[k] * values[k] }
            contributions.append(c)
        }
        state.transcript.absorb(label: "concat.contributions", elements: contributions)
        evaluations += contributions
        var sumchecks: [SumcheckProof<F>] = []
        for (i, x) in inputs.enumerated() {
            let (proof, s, _, xs) = ProductSumcheck.prove(
                weights[i], state.values(of: .tensor(x)), claim: contributions[i], transcript: &state.transcript)
            state.transcript.absorb(label: "concat.input", element: xs)
            state.ledger.record(Claim(.tensor(x), point: s, value: xs))
            sumchecks.append(proof)
            evaluations.append(xs)
        }
        return .general(sumchecks: sumchecks, evaluations: evaluations)
    }
}
