public import ZKSetup
import ZKCircuit
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript
import ZKVerifier

/// The prover half of ``MulRelation`` (the statement and the verifier half are in ZKVerifier).
extension MulRelation {
    static func prove<F: LargePrimeField>(
        output out: TensorID, lhs a: TensorID, rhs b: TensorID, state: inout ProverState<F>
    ) -> RelationProof<F> {
        let circuit = state.circuit
        let stored = circuit.tensors[out].storage != .virtual
        let variables = circuit.tensors[out].layout.variableCount
        var weight: [F]
        var target = F.zero
        if stored {
            let r: [F] = state.transcript.challenges(label: "mul.point", count: variables)
            weight = eqTable(point: r)
        } else {
            let claims = state.ledger.take(.tensor(out))
            let gamma: F = state.transcript.challenge(label: "mul.combine")
            let coefficients = [F].powers(of: gamma, count: claims.count)
            weight = [F](repeating: .zero, count: 1 << variables)
            for (j, claim) in claims.enumerated() {
                let eq = eqTable(point: claim.point)
                for i in weight.indices { weight[i] += coefficients[j] * eq[i] }
                target += coefficients[j] * claim.value
            }
        }
        var tables = [weight, state.values(of: .tensor(a)), state.values(of: .tensor(b))]
        var terms = [SumOfProducts<F>.Term(coefficient: .one, factors: [0, 1, 2])]
        if stored {
            tables.append(state.values(of: .tensor(out)))
            terms.append(.init(coefficient: -F.one, factors: [0, 3]))
        }
        let (proof, s, values) = SumcheckProver.prove(
            claimedSum: target, tables: tables, polynomial: SumOfProducts(terms: terms), transcript: &state.transcript)
        let evaluations = Array(values.dropFirst())
        state.transcript.absorb(label: "mul.evaluations", elements: evaluations)
        state.ledger.record(Claim(.tensor(a), point: s, value: evaluations[0]))
        state.ledger.record(Claim(.tensor(b), point: s, value: evaluations[1]))
        if stored { state.ledger.record(Claim(.tensor(out), point: s, value: evaluations[2])) }
        return .general(sumchecks: [proof], evaluations: evaluations)
    }
}
