import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript

/// The degree-2 sumcheck `Σ_x f(x)·g(x) = claim` that most relations reduce to (a table the
/// verifier can recompute times a committed tensor), with the transcript layout of
/// ``SumcheckVerifier``: the claim, then per round `[s(0), s(2)]` before each challenge.
package enum ProductSumcheck {
    /// - Throws: ``VerificationError/sumcheckFailed(relation:sumcheck:_:)`` naming `relation` and
    ///   `sumcheck` (the sumcheck's position in the relation's message) when the proof's shape is wrong.
    static func verify<F: LargePrimeField>(
        claim: F, variables: Int, proof: SumcheckProof<F>, transcript: inout Transcript, relation: Int, sumcheck: Int
    ) throws(VerificationError) -> SumcheckSubclaim<F> {
        do throws(SumcheckError) {
            return try SumcheckVerifier.verify(
                claimedSum: claim, variableCount: variables, degree: 2, proof: proof, transcript: &transcript)
        } catch {
            throw .sumcheckFailed(relation: relation, sumcheck: sumcheck, error)
        }
    }
}

/// Per-dimension views of a point on a tensor's hypercube: the coordinates of dimension `a` are
/// a contiguous group, the last dimension's first (lowest bits).

package struct TensorLayoutPoint<F: FiniteField> {
    package let groups: [[F]]

    package init(_ point: [F], dimensionBits: [Int]) {
        var groups = [[F]](repeating: [], count: dimensionBits.count)
        var start = 0
        for a in stride(from: dimensionBits.count - 1, through: 0, by: -1) {
            groups[a] = Array(point[start..<(start + dimensionBits[a])])
            start += dimensionBits[a]
        }
        self.groups = groups
    }

    /// `eq(group a, ·)` over that dimension's padded range.
    package func eqTable(dimension a: Int) -> [F] { ZKPoly.eqTable(point: groups[a]) }
}
