public import ZKSetup
import ZKCircuit
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript
import ZKVerifier

/// The prover half of ``LinearRelation`` (the statement and the verifier half are in ZKVerifier).
extension LinearRelation {
    static func prove<F: LargePrimeField>(
        output out: TensorID, input x: TensorID, map: LinearMap, state: inout ProverState<F>
    ) -> RelationProof<F> {
        let circuit = state.circuit
        var (claims, evaluations) = state.outputClaims(out, prefix: "linear")
        if let relabel: ([F]) -> [F] = relabeling(
            map, input: circuit.tensors[x].layout, output: circuit.tensors[out].layout,
            inputPaddingIsZero: state.verificationKey.layout.zeroPadding[x]) {
            for claim in claims { state.ledger.record(Claim(.tensor(x), point: relabel(claim.point), value: claim.value)) }
            return .general(sumchecks: [], evaluations: evaluations)
        }
        let gamma: F = state.transcript.challenge(label: "linear.combine")
        let coefficients = [F].powers(of: gamma, count: claims.count)
        var target = F.zero
        for (j, claim) in claims.enumerated() { target += coefficients[j] * claim.value }
        let w = weights(circuit: circuit, output: out, input: x, map: map, claims: claims, coefficients: coefficients)
        let (proof, s, _, xs) = ProductSumcheck.prove(w, state.values(of: .tensor(x)), claim: target, transcript: &state.transcript)
        state.transcript.absorb(label: "linear.evaluations", element: xs)
        evaluations.append(xs)
        state.ledger.record(Claim(.tensor(x), point: s, value: xs))
        return .general(sumchecks: [proof], evaluations: evaluations)
    }
}
