import ZKField
import ZKLookup
import ZKPoly
import ZKTesting
import ZKTranscript

typealias F = BN254Fr

/// A transcript in the state a caller would leave it in: protocol id and a stand-in for the
/// commitment to the witness and multiplicities.
func callerTranscript(_ commitment: UInt64 = 7) -> Transcript {
    var t = Transcript(protocolLabel: "zkml.lookup-test.v1")
    t.absorb(label: "commitment", integer: commitment)
    return t
}

/// `count` uniform row indices below `rows`.
func randomRows(_ count: Int, below rows: Int, _ rng: inout SeededGenerator) -> [Int] {
    (0..<count).map { _ in Int.random(in: 0..<rows, using: &rng) }
}

struct Proven {
    var statement: LookupStatement<F>
    var witness: LookupWitness<F>
    var proof: LookupProof<F>
    var claims: LookupClaims<F>
}

/// Proves with the honest prover.
func prove(_ statement: LookupStatement<F>, _ witness: LookupWitness<F>) throws -> Proven {
    var t = callerTranscript()
    let (proof, claims) = try LogUpGKR.prove(statement: statement, witness: witness, transcript: &t, challengeField: F.self)
    return Proven(statement: statement, witness: witness, proof: proof, claims: claims)
}

/// Verifies against the same caller transcript.
func verify(_ statement: LookupStatement<F>, _ proof: LookupProof<F>) throws(LookupError) -> LookupClaims<F> {
    var t = callerTranscript()
    return try LogUpGKR.verify(statement: statement, proof: proof, transcript: &t)
}

/// Checks every returned claim against a direct evaluation of the committed vectors
/// (`DenseMultilinearExtension`, independent of the prover's arithmetic). Returns the mismatches.
func claimMismatches(_ claims: LookupClaims<F>, statement: LookupStatement<F>, witness: LookupWitness<F>) -> [String] {
    var bad: [String] = []
    for claim in claims.all {
        switch claim.polynomial {
        case .witnessColumn(let g, let k):
            let n = statement.groups[g].numVariables
            let mle = DenseMultilinearExtension(paddingWithZeros: witness.columns[g][k], numVariables: n)
            if claim.point.count != n || mle.evaluate(at: claim.point) != claim.value { bad.append("group \(g) column \(k)") }
        case .multiplicities(let t):
            let mle = DenseMultilinearExtension(evaluations: witness.multiplicities[t])
            if claim.point.count != statement.tables[t].numVariables || mle.evaluate(at: claim.point) != claim.value {
                bad.append("table \(t) multiplicities")
            }
        }
    }
    return bad
}
