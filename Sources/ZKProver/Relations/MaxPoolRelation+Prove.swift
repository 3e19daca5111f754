public import ZKSetup
import ZKCircuit
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript
import ZKVerifier

/// The prover half of ``MaxPoolRelation`` (the statement and the verifier half are in ZKVerifier).
extension MaxPoolRelation {
    static func prove<F: LargePrimeField>(
        output m: TensorID, input x: TensorID, differences: [TensorID], kernel: [Int], stride: [Int], pads: [Int],
        state: inout ProverState<F>
    ) -> RelationProof<F> {
        let circuit = state.circuit
        let variables = circuit.tensors[m].layout.variableCount
        let z: [F] = state.transcript.challenges(label: "maxpool.point", count: variables)
        let atZ = ([m] + differences).map { state.evaluate(.tensor($0), at: z) }
        state.transcript.absorb(label: "maxpool.evaluations", elements: atZ)
        for (id, value) in zip([m] + differences, atZ) { state.ledger.record(Claim(.tensor(id), point: z, value: value)) }
        let rho: F = state.transcript.challenge(label: "maxpool.combine")
        let powers = [F].powers(of: rho, count: differences.count)
        var target = F.zero
        for w in differences.indices { target += powers[w] * (atZ[0] - atZ[w + 1]) }
        let weights = linkWeights(circuit: circuit, output: m, input: x, maps: windows(kernel: kernel, stride: stride, pads: pads),
                                  point: z, rho: rho)
        let (link, s, _, xs) = ProductSumcheck.prove(weights, state.values(of: .tensor(x)), claim: target,
                                                      transcript: &state.transcript)
        state.transcript.absorb(label: "maxpool.input", element: xs)
        state.ledger.record(Claim(.tensor(x), point: s, value: xs))

        let r: [F] = state.transcript.challenges(label: "maxpool.zerocheck", count: variables)
        let tables = [eqTable(point: r)] + differences.map { state.values(of: .tensor($0)) }
        let (zero, t, values) = SumcheckProver.prove(
            claimedSum: .zero, tables: tables, polynomial: .product(Array(0...differences.count)),
            transcript: &state.transcript)
        let atT = Array(values.dropFirst())
        state.transcript.absorb(label: "maxpool.differences", elements: atT)
        for (id, value) in zip(differences, atT) { state.ledger.record(Claim(.tensor(id), point: t, value: value)) }
        return .general(sumchecks: [link, zero], evaluations: atZ + [xs] + atT)
    }
}
