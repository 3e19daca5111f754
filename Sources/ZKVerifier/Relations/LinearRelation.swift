import ZKCircuit
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript

/// `output = L · input` for a fixed sparse map `L` (``LinearMap``).
///
/// Claims `out(z_j) = v_j` (taken from the ledger when the output is virtual; one at a random
/// point `z`, with the prover's `out(z)`, when it is stored) are combined with `γ^j`:
///
///     Σ_j γ^j v_j = Σ_k W(k) · in(k),   W(k) = Σ_j γ^j Σ_{(o, k, c) ∈ L} c · eq(z_j, o),
///
/// one product sumcheck over the input's variables. At its point `s` the prover sends `in(s)`;
/// the verifier recomputes `W(s) = Σ_j γ^j Σ_{(o,k,c)} c · eq(z_j, o) · eq(s, k)` from the map's
/// terms (linear in their number) and checks the final claim.
///
/// **Relabellings cost nothing.** When the map only renames hypercube variables — a transpose
/// (dimensions own disjoint variable groups, so it permutes the groups) or a reshape between
/// layouts whose slots coincide — a claim `out(z) = v` *is* the claim `in(π(z)) = v`: no
/// sumcheck, no message. That renames padding slots onto padding slots, so it holds only when
/// the input's padding is zero like the output's: an input whose padding the circuit does not
/// force to zero (a Sigmoid table's output holds `f(0) ≠ 0` there) goes through the sumcheck,
/// which reads its logical slots only — the copy is then a mask.
package enum LinearRelation {
    /// The point map of a relabelling, or `nil` when the map needs a sumcheck (always when
    /// `inputPaddingIsZero` is false).
    package static func relabeling<F: FiniteField>(
        _ map: LinearMap, input xl: TensorLayout, output ol: TensorLayout, inputPaddingIsZero: Bool
    ) -> (([F]) -> [F])? {
        guard inputPaddingIsZero else { return nil }
        func contiguous(_ l: TensorLayout) -> Bool {
            l.shape.indices.dropFirst().allSatisfy { 1 << l.dimensionBits[$0] == l.shape[$0] }
        }
        switch map {
        case .reshape where contiguous(xl) && contiguous(ol) && xl.slotCount == ol.slotCount:
            return { $0 }
        case .transpose(let permutation):
            return { point in
                let groups = TensorLayoutPoint(point, dimensionBits: ol.dimensionBits).groups
                // Input dimension d is output dimension a with permutation[a] = d.
                var inputPoint: [F] = []
                for d in stride(from: xl.shape.count - 1, through: 0, by: -1) {
                    inputPoint += groups[permutation.firstIndex(of: d)!]
                }
                return inputPoint
            }
        default:
            return nil
        }
    }

    /// `W` on the input's slots, or its value at `s` when `at` is given.
    package static func weights<F: LargePrimeField>(
        circuit: Circuit, output out: TensorID, input x: TensorID, map: LinearMap, claims: [Claim<F>], coefficients: [F]
    ) -> [F] {
        let (xl, ol) = (circuit.tensors[x].layout, circuit.tensors[out].layout)
        var w = [F](repeating: .zero, count: xl.slotCount)
        for (j, claim) in claims.enumerated() {
            let eq = eqTable(point: claim.point)
            let c = coefficients[j]
            map.forEachTerm(inputShape: xl.shape, outputShape: ol.shape) { o, k, coefficient in
                let term = c * eq[ol.slot(ofLogicalIndex: o)]
                w[xl.slot(ofLogicalIndex: k)] += coefficient == 1 ? term : term * F(coefficient)
            }
        }
        return w
    }

    static func verify<F: LargePrimeField>(
        output out: TensorID, input x: TensorID, map: LinearMap, relation: Int, proof: RelationProof<F>,
        state: inout VerifierState<F>
    ) throws(VerificationError) {
        let circuit = state.circuit
        let stored = circuit.tensors[out].storage != .virtual
        let relabel: (([F]) -> [F])? = relabeling(
            map, input: circuit.tensors[x].layout, output: circuit.tensors[out].layout,
            inputPaddingIsZero: state.verificationKey.layout.zeroPadding[x])
        let expectedSumchecks = relabel == nil ? 1 : 0
        let expectedEvaluations = (stored ? 1 : 0) + expectedSumchecks
        guard case .general(let sumchecks, let evaluations) = proof else {
            throw .relationShape(relation: relation, .wrongProofKind(expected: .general, got: proof.kind))
        }
        guard sumchecks.count == expectedSumchecks else {
            throw .relationShape(relation: relation, .sumcheckCount(expected: expectedSumchecks, got: sumchecks.count))
        }
        guard evaluations.count == expectedEvaluations else {
            throw .relationShape(relation: relation, .evaluationCount(expected: expectedEvaluations, got: evaluations.count))
        }
        let (claims, _) = try state.outputClaims(out, prefix: "linear", evaluations: evaluations, relation: relation)
        if let relabel {
            for claim in claims { state.ledger.record(Claim(.tensor(x), point: relabel(claim.point), value: claim.value)) }
            return
        }
        let gamma: F = state.transcript.challenge(label: "linear.combine")
        let coefficients = [F].powers(of: gamma, count: claims.count)
        var target = F.zero
        for (j, claim) in claims.enumerated() { target += coefficients[j] * claim.value }
        let subclaim = try ProductSumcheck.verify(
            claim: target, variables: circuit.tensors[x].layout.variableCount, proof: sumchecks[0],
            transcript: &state.transcript, relation: relation, sumcheck: 0)
        let xs = evaluations.last!
        state.transcript.absorb(label: "linear.evaluations", element: xs)
        let w = weights(circuit: circuit, output: out, input: x, map: map, claims: claims, coefficients: coefficients)
        let ws = DenseMultilinearExtension(evaluations: w).evaluate(at: subclaim.point)
        guard subclaim.expectedEvaluation == ws * xs else { throw .relationCheckFailed(relation: relation, check: .linearFinal) }
        state.ledger.record(Claim(.tensor(x), point: subclaim.point, value: xs))
    }
}
