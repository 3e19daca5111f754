public import ZKSetup
import ZKCircuit
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript
import ZKVerifier

/// The prover half of ``MatMulRelation`` (the statement and the verifier half are in ZKVerifier).
extension MatMulRelation {
    static func prove<F: LargePrimeField>(
        output acc: TensorID, weights w: TensorID, input x: TensorID, bias: TensorID?, state: inout ProverState<F>
    ) -> RelationProof<F> {
        let claims = state.ledger.take(.tensor(acc))
        precondition(!claims.isEmpty, "matMul output without claims: the circuit's relations are out of order")
        let gamma: F = state.transcript.challenge(label: "matmul.combine")
        let coefficients = [F].powers(of: gamma, count: claims.count)
        let sum = target(claims: claims, coefficients: coefficients, bias: bias, vk: state.verificationKey)

        let wLayout = state.circuit.tensors[w].layout
        let columns = 1 << wLayout.dimensionBits[1]
        var rowWeights = [F](repeating: .zero, count: 1 << wLayout.dimensionBits[0])
        for (j, claim) in claims.enumerated() {
            let eq = eqTable(point: claim.point)
            for i in rowWeights.indices { rowWeights[i] += coefficients[j] * eq[i] }
        }
        let weights = state.weightSlots(w)
        let folded = weights.combineRows(columns: columns, coefficients: rowWeights)
        let (sumcheck, s, foldedAtS, xs) = ProductSumcheck.prove(folded, state.values(of: .tensor(x)), claim: sum,
                                                                 transcript: &state.transcript)
        var evaluations = [xs]
        if claims.count == 1 {
            evaluations.append(foldedAtS)
        } else {
            for claim in claims {
                let eq = eqTable(point: claim.point)
                let row = weights.combineRows(columns: columns, coefficients: eq)
                evaluations.append(DenseMultilinearExtension(evaluations: row).evaluate(at: s))
            }
        }
        state.transcript.absorb(label: "matmul.evaluations", elements: evaluations)
        state.ledger.record(resultingClaims(weights: w, input: x, claims: claims, point: s, evaluations: evaluations))
        return .matMul(sumcheck: sumcheck, evaluations: evaluations)
    }
}
