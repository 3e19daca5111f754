import ZKCircuit
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript

/// Concatenation: `out = Σ_i P_i(in_i)` where `P_i` places input `i` at its offset along the
/// axis (``Relation/concatPlacements(inputShapes:axis:)``).
///
/// The claims on `out` (combined by `γ^j` into `target`) split into the inputs' contributions
/// `c_i = Σ_j γ^j (P_i in_i)(z_j)`, which the prover sends; the verifier checks `Σ_i c_i = target`
/// and then proves each `c_i` by the linear map's sumcheck over input `i`
/// (``LinearRelation/weights(circuit:output:input:map:claims:coefficients:)``).
package enum ConcatRelation {
    static func verify<F: LargePrimeField>(
        output out: TensorID, inputs: [TensorID], axis: Int, relation: Int, proof: RelationProof<F>,
        state: inout VerifierState<F>
    ) throws(VerificationError) {
        let circuit = state.circuit
        let stored = circuit.tensors[out].storage != .virtual
        let n = inputs.count
        guard case .general(let sumchecks, let evaluations) = proof else {
            throw .relationShape(relation: relation, .wrongProofKind(expected: .general, got: proof.kind))
        }
        guard sumchecks.count == n else {
            throw .relationShape(relation: relation, .sumcheckCount(expected: n, got: sumchecks.count))
        }
        guard evaluations.count == (stored ? 1 : 0) + 2 * n else {
            throw .relationShape(
                relation: relation, .evaluationCount(expected: (stored ? 1 : 0) + 2 * n, got: evaluations.count))
        }
        let (claims, cursor) = try state.outputClaims(out, prefix: "concat", evaluations: evaluations, relation: relation)
        let gamma: F = state.transcript.challenge(label: "concat.combine")
        let coefficients = [F].powers(of: gamma, count: claims.count)
        var target = F.zero
        for (j, claim) in claims.enumerated() { target += coefficients[j] * claim.value }
        let contributions = Array(evaluations[cursor..<(cursor + n)])
        state.transcript.absorb(label: "concat.contributions", elements: contributions)
        guard F.sum(contributions) == target else { throw .relationCheckFailed(relation: relation, check: .concatContributions) }
        let maps = Relation.concatPlacements(inputShapes: inputs.map { circuit.tensors[$0].layout.shape }, axis: axis)
        for (i, x) in inputs.enumerated() {
            let subclaim = try ProductSumcheck.verify(
                claim: contributions[i], variables: circuit.tensors[x].layout.variableCount, proof: sumchecks[i],
                transcript: &state.transcript, relation: relation, sumcheck: i)
            let xs = evaluations[cursor + n + i]
            state.transcript.absorb(label: "concat.input", element: xs)
            let w = LinearRelation.weights(circuit: circuit, output: out, input: x, map: maps[i], claims: claims,
                                           coefficients: coefficients)
            guard subclaim.expectedEvaluation == DenseMultilinearExtension(evaluations: w).evaluate(at: subclaim.point) * xs else {
                throw .relationCheckFailed(relation: relation, check: .concatFinal(input: i))
            }
            state.ledger.record(Claim(.tensor(x), point: subclaim.point, value: xs))
        }
    }
}
