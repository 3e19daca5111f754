import ZKCircuit
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript

/// A dense layer `acc[i] = Σ_k W[i, k]·x[k] + b[i]` by the structured matrix–vector sumcheck.
///
/// The accumulator is virtual: the verifier holds claims `acc(z_j) = v_j` (from the
/// requantization). It draws `γ` and combines them: with `c_j = γ^j`,
///
///     Σ_j c_j (v_j − b(z_j)) = Σ_k W'(k) · x(k),   W'(k) = Σ_i (Σ_j c_j eq(z_j, i)) · W[i, k],
///
/// where `b(z_j)` is the bias's multilinear extension, which the verifier evaluates from the
/// verification key. The prover folds the int8 weights with the row weights once (the
/// small-integer kernel, no field multiplication per weight) and runs a degree-2 product sumcheck
/// over the input's variables, ending at a point `s`; it then sends `x(s)` and `W(s, z_j)` for
/// every `j`, and the verifier checks `Σ_j c_j W(s, z_j) · x(s)` against the sumcheck's final
/// claim. The claims on `x` and on the weights go to the ledger.
package enum MatMulRelation {
    package static func target<F: LargePrimeField>(claims: [Claim<F>], coefficients: [F], bias: TensorID?, vk: VerificationKey) -> F {
        var sum = F.zero
        for (j, claim) in claims.enumerated() {
            var value = claim.value
            if let bias {
                let slots = vk.constantSlots(bias).map { F($0) }
                value -= DenseMultilinearExtension(evaluations: slots).evaluate(at: claim.point)
            }
            sum += coefficients[j] * value
        }
        return sum
    }

    package static func resultingClaims<F: LargePrimeField>(
        weights w: TensorID, input x: TensorID, claims: [Claim<F>], point s: [F], evaluations: [F]
    ) -> [Claim<F>] {
        var out = [Claim(.tensor(x), point: s, value: evaluations[0])]
        for (j, claim) in claims.enumerated() {
            out.append(Claim(.tensor(w), point: s + claim.point, value: evaluations[j + 1]))
        }
        return out
    }

    static func verify<F: LargePrimeField>(
        output acc: TensorID, weights w: TensorID, input x: TensorID, bias: TensorID?,
        relation: Int, proof: RelationProof<F>, state: inout VerifierState<F>
    ) throws(VerificationError) {
        let claims = state.ledger.take(.tensor(acc))
        guard !claims.isEmpty else { throw .missingClaims(tensor: acc) }
        guard case .matMul(let sumcheck, let evaluations) = proof else {
            throw .relationShape(relation: relation, .wrongProofKind(expected: .matMul, got: proof.kind))
        }
        guard evaluations.count == 1 + claims.count else {
            throw .relationShape(relation: relation, .evaluationCount(expected: 1 + claims.count, got: evaluations.count))
        }
        let gamma: F = state.transcript.challenge(label: "matmul.combine")
        let coefficients = [F].powers(of: gamma, count: claims.count)
        let sum = target(claims: claims, coefficients: coefficients, bias: bias, vk: state.verificationKey)
        let variables = state.circuit.tensors[x].layout.variableCount
        let subclaim = try ProductSumcheck.verify(
            claim: sum, variables: variables, proof: sumcheck, transcript: &state.transcript, relation: relation, sumcheck: 0)
        state.transcript.absorb(label: "matmul.evaluations", elements: evaluations)
        var combinedWeights = F.zero
        for j in claims.indices { combinedWeights += coefficients[j] * evaluations[j + 1] }
        guard subclaim.expectedEvaluation == combinedWeights * evaluations[0] else {
            throw .relationCheckFailed(relation: relation, check: .matMulFinal)
        }
        state.ledger.record(resultingClaims(
            weights: w, input: x, claims: claims, point: subclaim.point, evaluations: evaluations))
    }
}
