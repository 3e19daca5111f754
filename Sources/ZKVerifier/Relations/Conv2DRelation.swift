import ZKCircuit
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript

/// 2-D convolution by a direct conv sumcheck (no im2col; the gather is never committed).
///
/// With `x [C_in, H, W]`, kernel `K [C_out, C_g, kh, kw]`, `g(o)` the group of output channel `o`
/// and claims `acc(z_j) = v_j` combined by `c_j = γ^j`, write `z_j = (zo, zi, zw)` by dimension.
/// Because `eq` factors over dimensions,
///
///     Σ_j c_j (v_j − b(z_j)) = Σ_{ch,y,x} W(ch, y, x) · x(ch, y, x),
///     W(g·C_g + c, y, x) = Σ_j c_j Σ_{u,v} K'_j[g][c,u,v] · eq(zi, (y + p_t − u)/s_h) · eq(zw, (x + p_l − v)/s_w),
///     K'_j[g][c,u,v] = Σ_{o ∈ g} eq(zo, o) · K[o, c, u, v]        (int8 kernel folded once),
///
/// (terms only where the divisions are exact and in range). **Sumcheck 1** over the input ends at
/// `s`; the prover sends `x(s)` and `w* = W(s)`. Expanding `eq(s, ·)` by dimension,
///
///     W(s) = Σ_{o,c,u,v} K[o,c,u,v] · A(o,c,u,v),
///     A = Σ_j c_j eq(zo, o) · eq(s_ch, g(o)·C_g + c) · FU_j(u) · FV_j(v),
///     FU_j(u) = Σ_i eq(zi, i)·eq(s_y, i·s_h + u − p_t),   FV_j(v) = Σ_j' eq(zw, j')·eq(s_x, j'·s_w + v − p_l),
///
/// which **sumcheck 2** over the kernel's variables proves, ending at `t` with the prover's
/// `K(t)` (a claim on the weights); the verifier evaluates `A`'s extension at `t` itself in
/// `O(|K|)`. Stride, padding, groups and depthwise convolutions are all covered by the same sums.
package enum Conv2DRelation {
    package struct Geometry {
        package let xl, kl, ol: TensorLayout
        package let stride, pads: [Int]
        package let groups: Int
        package var cin: Int { xl.shape[0] }
        package var h: Int { xl.shape[1] }
        package var w: Int { xl.shape[2] }
        package var cout: Int { kl.shape[0] }
        package var cg: Int { kl.shape[1] }
        package var kh: Int { kl.shape[2] }
        package var kw: Int { kl.shape[3] }
        package var ho: Int { ol.shape[1] }
        package var wo: Int { ol.shape[2] }
        package var perGroup: Int { cout / groups }
    }

    package static func geometry(_ circuit: Circuit, out: TensorID, weights k: TensorID, input x: TensorID,
                         stride: [Int], pads: [Int], groups: Int) -> Geometry {
        Geometry(xl: circuit.tensors[x].layout, kl: circuit.tensors[k].layout, ol: circuit.tensors[out].layout,
                 stride: stride, pads: pads, groups: groups)
    }

    /// `Σ_j c_j (v_j − b(z_j))`, the bias broadcast over each output channel's logical positions:
    /// its extension at `z = (zo, zi, zw)` is `b̃(zo) · valid_{Ho}(zi) · valid_{Wo}(zw)`.
    package static func target<F: LargePrimeField>(_ g: Geometry, claims: [Claim<F>], coefficients: [F], bias: TensorID?, vk: VerificationKey) -> F {
        var sum = F.zero
        let bias = bias.map { DenseMultilinearExtension(evaluations: vk.constantSlots($0).map { F($0) }) }
        let spatial = TensorLayout(shape: [g.ho, g.wo])
        for (j, claim) in claims.enumerated() {
            var value = claim.value
            if let bias {
                let zp = TensorLayoutPoint(claim.point, dimensionBits: g.ol.dimensionBits)
                let valid = logicalSlotIndicator(layout: spatial, at: Array(claim.point[0..<spatial.variableCount]))
                value -= bias.evaluate(at: zp.groups[0]) * valid
            }
            sum += coefficients[j] * value
        }
        return sum
    }

    /// `FU(u) = Σ_i eqOut[i] · eqIn[i·s + u − p]` (only in-range rows).
    package static func factor<F: LargePrimeField>(_ eqOut: [F], _ eqIn: [F], outCount: Int, inCount: Int,
                                           kernel: Int, stride: Int, pad: Int) -> [F] {
        (0..<kernel).map { u in
            var sum = F.zero
            for i in 0..<outCount {
                let y = i * stride + u - pad
                if y >= 0 && y < inCount { sum += eqOut[i] * eqIn[y] }
            }
            return sum
        }
    }

    /// `A` on the kernel's slots for the input point `s`.
    package static func kernelWeights<F: LargePrimeField>(_ g: Geometry, claims: [Claim<F>], coefficients: [F], inputPoint s: [F]) -> [F] {
        let sp = TensorLayoutPoint(s, dimensionBits: g.xl.dimensionBits)
        let (esCh, esY, esX) = (sp.eqTable(dimension: 0), sp.eqTable(dimension: 1), sp.eqTable(dimension: 2))
        var a = [F](repeating: .zero, count: g.kl.slotCount)
        for (j, claim) in claims.enumerated() {
            let zp = TensorLayoutPoint(claim.point, dimensionBits: g.ol.dimensionBits)
            let (eo, ei, ew) = (zp.eqTable(dimension: 0), zp.eqTable(dimension: 1), zp.eqTable(dimension: 2))
            let fu = factor(ei, esY, outCount: g.ho, inCount: g.h, kernel: g.kh, stride: g.stride[0], pad: g.pads[0])
            let fv = factor(ew, esX, outCount: g.wo, inCount: g.w, kernel: g.kw, stride: g.stride[1], pad: g.pads[1])
            for o in 0..<g.cout {
                let go = o / g.perGroup
                let base = coefficients[j] * eo[o]
                for c in 0..<g.cg {
                    let oc = base * esCh[go * g.cg + c]
                    for u in 0..<g.kh {
                        let ocu = oc * fu[u]
                        for v in 0..<g.kw {
                            a[g.kl.slot(ofLogicalIndex: ((o * g.cg + c) * g.kh + u) * g.kw + v)] += ocu * fv[v]
                        }
                    }
                }
            }
        }
        return a
    }

    static func verify<F: LargePrimeField>(
        output out: TensorID, weights k: TensorID, input x: TensorID, bias: TensorID?, stride: [Int], pads: [Int],
        groups: Int, relation: Int, proof: RelationProof<F>, state: inout VerifierState<F>
    ) throws(VerificationError) {
        let circuit = state.circuit
        let g = geometry(circuit, out: out, weights: k, input: x, stride: stride, pads: pads, groups: groups)
        let claims = state.ledger.take(.tensor(out))
        guard !claims.isEmpty else { throw .missingClaims(tensor: out) }
        guard case .general(let sumchecks, let evaluations) = proof else {
            throw .relationShape(relation: relation, .wrongProofKind(expected: .general, got: proof.kind))
        }
        guard sumchecks.count == 2 else {
            throw .relationShape(relation: relation, .sumcheckCount(expected: 2, got: sumchecks.count))
        }
        guard evaluations.count == 3 else {
            throw .relationShape(relation: relation, .evaluationCount(expected: 3, got: evaluations.count))
        }
        let gamma: F = state.transcript.challenge(label: "conv.combine")
        let coefficients = [F].powers(of: gamma, count: claims.count)
        let target = Self.target(g, claims: claims, coefficients: coefficients, bias: bias, vk: state.verificationKey)
        let first = try ProductSumcheck.verify(
            claim: target, variables: g.xl.variableCount, proof: sumchecks[0], transcript: &state.transcript,
            relation: relation, sumcheck: 0)
        let (xs, wStar, kt) = (evaluations[0], evaluations[1], evaluations[2])
        state.transcript.absorb(label: "conv.input", elements: [xs, wStar])
        guard first.expectedEvaluation == wStar * xs else { throw .relationCheckFailed(relation: relation, check: .conv2dInput) }
        state.ledger.record(Claim(.tensor(x), point: first.point, value: xs))
        let second = try ProductSumcheck.verify(
            claim: wStar, variables: g.kl.variableCount, proof: sumchecks[1], transcript: &state.transcript,
            relation: relation, sumcheck: 1)
        state.transcript.absorb(label: "conv.kernel", element: kt)
        let a = kernelWeights(g, claims: claims, coefficients: coefficients, inputPoint: first.point)
        guard second.expectedEvaluation == kt * DenseMultilinearExtension(evaluations: a).evaluate(at: second.point) else {
            throw .relationCheckFailed(relation: relation, check: .conv2dKernel)
        }
        state.ledger.record(Claim(.tensor(k), point: second.point, value: kt))
    }
}
