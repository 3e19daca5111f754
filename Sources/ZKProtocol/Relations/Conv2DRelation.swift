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
enum Conv2DRelation {
    struct Geometry {
        let xl, kl, ol: TensorLayout
        let stride, pads: [Int]
        let groups: Int
        var cin: Int { xl.shape[0] }
        var h: Int { xl.shape[1] }
        var w: Int { xl.shape[2] }
        var cout: Int { kl.shape[0] }
        var cg: Int { kl.shape[1] }
        var kh: Int { kl.shape[2] }
        var kw: Int { kl.shape[3] }
        var ho: Int { ol.shape[1] }
        var wo: Int { ol.shape[2] }
        var perGroup: Int { cout / groups }
    }

    static func geometry(_ circuit: Circuit, out: TensorID, weights k: TensorID, input x: TensorID,
                         stride: [Int], pads: [Int], groups: Int) -> Geometry {
        Geometry(xl: circuit.tensors[x].layout, kl: circuit.tensors[k].layout, ol: circuit.tensors[out].layout,
                 stride: stride, pads: pads, groups: groups)
    }

    /// `Σ_j c_j (v_j − b(z_j))`, the bias broadcast over each output channel's logical positions:
    /// its extension at `z = (zo, zi, zw)` is `b̃(zo) · valid_{Ho}(zi) · valid_{Wo}(zw)`.
    static func target<F: LargePrimeField>(_ g: Geometry, claims: [Claim<F>], coefficients: [F], bias: TensorID?, vk: VerificationKey) -> F {
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
    static func factor<F: LargePrimeField>(_ eqOut: [F], _ eqIn: [F], outCount: Int, inCount: Int,
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
    static func kernelWeights<F: LargePrimeField>(_ g: Geometry, claims: [Claim<F>], coefficients: [F], inputPoint s: [F]) -> [F] {
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

    static func prove<F: LargePrimeField>(
        output out: TensorID, weights k: TensorID, input x: TensorID, bias: TensorID?, stride: [Int], pads: [Int],
        groups: Int, state: inout ProverState<F>
    ) -> RelationProof<F> {
        let circuit = state.circuit
        let g = geometry(circuit, out: out, weights: k, input: x, stride: stride, pads: pads, groups: groups)
        let claims = state.ledger.take(.tensor(out))
        precondition(!claims.isEmpty, "conv2d output without claims: the circuit's relations are out of order")
        let gamma: F = state.transcript.challenge(label: "conv.combine")
        let coefficients = [F].powers(of: gamma, count: claims.count)
        let target = Self.target(g, claims: claims, coefficients: coefficients, bias: bias, vk: state.verificationKey)

        // The kernel as a row-major integer matrix [C_out, C_g·kh·kw] (logical entries).
        let slots = state.weightSlots(k)
        let columns = g.cg * g.kh * g.kw
        let matrix = slots.gathered((0..<(g.cout * columns)).lazy.map { g.kl.slot(ofLogicalIndex: $0) })
        var weights = [F](repeating: .zero, count: g.xl.slotCount)
        for (j, claim) in claims.enumerated() {
            let zp = TensorLayoutPoint(claim.point, dimensionBits: g.ol.dimensionBits)
            let (eo, ei, ew) = (zp.eqTable(dimension: 0), zp.eqTable(dimension: 1), zp.eqTable(dimension: 2))
            for group in 0..<groups {
                let rows = (group * g.perGroup)..<((group + 1) * g.perGroup)
                let folded = Array(eo[rows]).withUnsafeBufferPointer { e in
                    matrix.combineRows(rows: rows, columns: columns, coefficients: e)
                }
                for c in 0..<g.cg { for u in 0..<g.kh { for v in 0..<g.kw {
                    let kv = coefficients[j] * folded[(c * g.kh + u) * g.kw + v]
                    if kv.isZero { continue }
                    let channel = group * g.cg + c
                    for i in 0..<g.ho {
                        let y = i * g.stride[0] + u - g.pads[0]
                        guard y >= 0 && y < g.h else { continue }
                        let kvi = kv * ei[i]
                        for jj in 0..<g.wo {
                            let xx = jj * g.stride[1] + v - g.pads[1]
                            guard xx >= 0 && xx < g.w else { continue }
                            weights[g.xl.slot(ofLogicalIndex: (channel * g.h + y) * g.w + xx)] += kvi * ew[jj]
                        }
                    }
                } } }
            }
        }
        let (first, s, wStar, xs) = ProductSumcheck.prove(weights, state.values(of: .tensor(x)), claim: target,
                                                           transcript: &state.transcript)
        state.transcript.absorb(label: "conv.input", elements: [xs, wStar])
        state.ledger.record(Claim(.tensor(x), point: s, value: xs))
        let a = kernelWeights(g, claims: claims, coefficients: coefficients, inputPoint: s)
        let kernel: [F] = slots.lifted()
        let (second, t, kt, _) = ProductSumcheck.prove(kernel, a, claim: wStar, transcript: &state.transcript)
        state.transcript.absorb(label: "conv.kernel", element: kt)
        state.ledger.record(Claim(.tensor(k), point: t, value: kt))
        return .general(sumchecks: [first, second], evaluations: [xs, wStar, kt])
    }

    static func verify<F: LargePrimeField>(
        output out: TensorID, weights k: TensorID, input x: TensorID, bias: TensorID?, stride: [Int], pads: [Int],
        groups: Int, relation: Int, proof: RelationProof<F>, state: inout VerifierState<F>
    ) throws(VerificationError) {
        let circuit = state.circuit
        let g = geometry(circuit, out: out, weights: k, input: x, stride: stride, pads: pads, groups: groups)
        let claims = state.ledger.take(.tensor(out))
        guard !claims.isEmpty else { throw .missingClaims(tensor: out) }
        guard case .general(let sumchecks, let evaluations) = proof, sumchecks.count == 2, evaluations.count == 3 else {
            throw .relationShape(relation: relation, "expected two sumchecks and three evaluations")
        }
        let gamma: F = state.transcript.challenge(label: "conv.combine")
        let coefficients = [F].powers(of: gamma, count: claims.count)
        let target = Self.target(g, claims: claims, coefficients: coefficients, bias: bias, vk: state.verificationKey)
        let first = try ProductSumcheck.verify(
            claim: target, variables: g.xl.variableCount, proof: sumchecks[0], transcript: &state.transcript, relation: relation)
        let (xs, wStar, kt) = (evaluations[0], evaluations[1], evaluations[2])
        state.transcript.absorb(label: "conv.input", elements: [xs, wStar])
        guard first.expectedEvaluation == wStar * xs else { throw .relationCheckFailed(relation: relation, kind: "conv2d.input") }
        state.ledger.record(Claim(.tensor(x), point: first.point, value: xs))
        let second = try ProductSumcheck.verify(
            claim: wStar, variables: g.kl.variableCount, proof: sumchecks[1], transcript: &state.transcript, relation: relation)
        state.transcript.absorb(label: "conv.kernel", element: kt)
        let a = kernelWeights(g, claims: claims, coefficients: coefficients, inputPoint: first.point)
        guard second.expectedEvaluation == kt * DenseMultilinearExtension(evaluations: a).evaluate(at: second.point) else {
            throw .relationCheckFailed(relation: relation, kind: "conv2d.kernel")
        }
        state.ledger.record(Claim(.tensor(k), point: second.point, value: kt))
    }
}
