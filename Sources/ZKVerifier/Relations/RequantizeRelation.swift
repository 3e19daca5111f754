import ZKCircuit
import ZKField
import ZKTranscript

/// Requantization, `M · acc + 2^(s−1) · valid = 2^s · y + Σ_k 2^(8k) limb_k` on every slot
/// (see ``Relation/requantize(output:input:remainderLimbs:multiplier:shift:)``).
///
/// Both sides are multilinear extensions, so the identity holds on every slot iff it holds at a
/// random point `z` (Schwartz–Zippel, error ≤ variables/|F|). The verifier draws `z`, the prover
/// sends `y(z)` and every `limb_k(z)`, and the accumulator's value follows:
/// `acc(z) = (2^s·y(z) + Σ_k 2^(8k)·limb_k(z) − 2^(s−1)·valid(z)) / M`. All of these become
/// claims: on `y` and the limbs (checked by openings, or by the verifier for a public output) and
/// on the virtual `acc` (consumed by the matrix product that defines it).
package enum RequantizeRelation {
    package static func claims<F: LargePrimeField>(
        output y: TensorID, input acc: TensorID, limbs: [TensorID], multiplier: Int64, shift: Int,
        point z: [F], evaluations: [F], circuit: Circuit
    ) -> [Claim<F>] {
        var claims = [Claim(.tensor(y), point: z, value: evaluations[0])]
        var scaled = F(Int64(1) << Int64(shift)) * evaluations[0]
        for (k, limb) in limbs.enumerated() {
            claims.append(Claim(.tensor(limb), point: z, value: evaluations[k + 1]))
            scaled += F(Int64(1) << Int64(8 * k)) * evaluations[k + 1]
        }
        let valid = logicalSlotIndicator(layout: circuit.tensors[y].layout, at: z)
        let numerator = scaled - F(Int64(1) << Int64(shift - 1)) * valid
        claims.append(Claim(.tensor(acc), point: z, value: numerator * F(multiplier).inverse()!))
        return claims
    }

    static func verify<F: LargePrimeField>(
        output y: TensorID, input acc: TensorID, limbs: [TensorID], multiplier: Int64, shift: Int,
        relation: Int, proof: RelationProof<F>, state: inout VerifierState<F>
    ) throws(VerificationError) {
        guard case .requantize(let evaluations) = proof else {
            throw .relationShape(relation: relation, .wrongProofKind(expected: .requantize, got: proof.kind))
        }
        guard evaluations.count == 1 + limbs.count else {
            throw .relationShape(relation: relation, .evaluationCount(expected: 1 + limbs.count, got: evaluations.count))
        }
        let z: [F] = state.transcript.challenges(label: "requantize.point", count: state.circuit.tensors[y].layout.variableCount)
        state.transcript.absorb(label: "requantize.evaluations", elements: evaluations)
        state.ledger.record(claims(output: y, input: acc, limbs: limbs, multiplier: multiplier, shift: shift,
                                   point: z, evaluations: evaluations, circuit: state.circuit))
    }
}
