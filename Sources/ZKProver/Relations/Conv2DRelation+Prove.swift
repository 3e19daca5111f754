public import ZKSetup
import ZKCircuit
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript
import ZKVerifier

/// The prover half of ``Conv2DRelation`` (the statement and the verifier half are in ZKVerifier).
extension Conv2DRelation {
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
}
