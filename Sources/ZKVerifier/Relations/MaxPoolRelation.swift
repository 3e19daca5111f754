import ZKCircuit
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript

/// Max pooling: `m = max_w window_w(x)` with committed differences `d_w = m − window_w(x)`.
///
/// 1. **Link.** The verifier draws `z`; the prover sends `m(z)` and every `d_w(z)`; with a random
///    `ρ`, `Σ_w ρ^w (m(z) − d_w(z)) = Σ_k W(k)·x(k)` where `W` scatters `ρ^w eq(z, o)` through each
///    window's gather map — one product sumcheck over `x`, ending in a claim on `x`.
/// 2. **Among the inputs.** `Σ_x eq(r, x) · Π_w d_w(x) = 0`: a zerocheck of degree `|w| + 1`
///    (5 for 2×2 windows) proving that on every slot some difference is zero, i.e. `m` equals one
///    of its window's elements.
/// 3. **At least every input.** Each `d_w ≥ 0` by a range lookup (separate lookup relations).
///
/// Padding slots have all-zero differences and `m = 0` (the gather maps send nothing there, so
/// the link forces `d_w = m` there, and the checker requires zeros).
package enum MaxPoolRelation {
    package static func windows(kernel: [Int], stride: [Int], pads: [Int]) -> [LinearMap] {
        var maps: [LinearMap] = []
        for u in 0..<kernel[0] { for v in 0..<kernel[1] {
            maps.append(.window(kernel: kernel, stride: stride, pads: pads, offset: [u, v]))
        } }
        return maps
    }

    /// The link's weights on `x`'s slots: `W(k) = Σ_w ρ^w Σ_{(o,k) ∈ window_w} eq(z, o)`.
    package static func linkWeights<F: LargePrimeField>(
        circuit: Circuit, output out: TensorID, input x: TensorID, maps: [LinearMap], point z: [F], rho: F
    ) -> [F] {
        let (xl, ol) = (circuit.tensors[x].layout, circuit.tensors[out].layout)
        let eq = eqTable(point: z)
        let powers = [F].powers(of: rho, count: maps.count)
        var w = [F](repeating: .zero, count: xl.slotCount)
        for (index, map) in maps.enumerated() {
            map.forEachTerm(inputShape: xl.shape, outputShape: ol.shape) { o, k, _ in
                w[xl.slot(ofLogicalIndex: k)] += powers[index] * eq[ol.slot(ofLogicalIndex: o)]
            }
        }
        return w
    }

    static func verify<F: LargePrimeField>(
        output m: TensorID, input x: TensorID, differences: [TensorID], kernel: [Int], stride: [Int], pads: [Int],
        relation: Int, proof: RelationProof<F>, state: inout VerifierState<F>
    ) throws(VerificationError) {
        let circuit = state.circuit
        let n = differences.count
        guard case .general(let sumchecks, let evaluations) = proof else {
            throw .relationShape(relation: relation, .wrongProofKind(expected: .general, got: proof.kind))
        }
        guard sumchecks.count == 2 else {
            throw .relationShape(relation: relation, .sumcheckCount(expected: 2, got: sumchecks.count))
        }
        guard evaluations.count == 2 * n + 2 else {
            throw .relationShape(relation: relation, .evaluationCount(expected: 2 * n + 2, got: evaluations.count))
        }
        let variables = circuit.tensors[m].layout.variableCount
        let z: [F] = state.transcript.challenges(label: "maxpool.point", count: variables)
        let atZ = Array(evaluations[0...n])
        state.transcript.absorb(label: "maxpool.evaluations", elements: atZ)
        for (id, value) in zip([m] + differences, atZ) { state.ledger.record(Claim(.tensor(id), point: z, value: value)) }
        let rho: F = state.transcript.challenge(label: "maxpool.combine")
        let powers = [F].powers(of: rho, count: n)
        var target = F.zero
        for w in 0..<n { target += powers[w] * (atZ[0] - atZ[w + 1]) }
        let link = try ProductSumcheck.verify(
            claim: target, variables: circuit.tensors[x].layout.variableCount, proof: sumchecks[0],
            transcript: &state.transcript, relation: relation, sumcheck: 0)
        let xs = evaluations[n + 1]
        state.transcript.absorb(label: "maxpool.input", element: xs)
        let weights = linkWeights(circuit: circuit, output: m, input: x, maps: windows(kernel: kernel, stride: stride, pads: pads),
                                  point: z, rho: rho)
        guard link.expectedEvaluation == DenseMultilinearExtension(evaluations: weights).evaluate(at: link.point) * xs else {
            throw .relationCheckFailed(relation: relation, check: .maxPoolLink)
        }
        state.ledger.record(Claim(.tensor(x), point: link.point, value: xs))

        let r: [F] = state.transcript.challenges(label: "maxpool.zerocheck", count: variables)
        let zero: SumcheckSubclaim<F>
        do throws(SumcheckError) {
            zero = try SumcheckVerifier.verify(
                claimedSum: .zero, variableCount: variables, degree: n + 1, proof: sumchecks[1], transcript: &state.transcript)
        } catch {
            throw .sumcheckFailed(relation: relation, sumcheck: 1, error)
        }
        let atT = Array(evaluations[(n + 2)...])
        state.transcript.absorb(label: "maxpool.differences", elements: atT)
        var product = eq(r, zero.point)
        for value in atT { product *= value }
        guard zero.expectedEvaluation == product else { throw .relationCheckFailed(relation: relation, check: .maxPoolAmong) }
        for (id, value) in zip(differences, atT) { state.ledger.record(Claim(.tensor(id), point: zero.point, value: value)) }
    }
}
