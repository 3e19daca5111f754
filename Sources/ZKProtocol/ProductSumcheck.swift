import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript

/// The degree-2 sumcheck `Σ_x f(x)·g(x) = claim` that most relations reduce to (a table the
/// verifier can recompute times a committed tensor), with the transcript layout of
/// ``SumcheckVerifier``: the claim, then per round `[s(0), s(2)]` before each challenge.
enum ProductSumcheck {
    static func prove<F: LargePrimeField>(
        _ f: [F], _ g: [F], claim: F, transcript: inout Transcript
    ) -> (proof: SumcheckProof<F>, point: [F], f: F, g: F) {
        var f = f, g = g
        transcript.absorb(label: "sumcheck.claim", element: claim)
        var t = transcript
        let result = ProductSumcheckKernel.prove(f: &f, g: &g, claim: claim) { _, s0, _, s2 in
            t.absorb(label: "sumcheck.round", elements: [s0, s2])
            return t.challenge(label: "sumcheck.challenge")
        }
        transcript = t
        let rounds = result.messages.map { [$0.evaluations[0], $0.evaluations[2]] }
        return (SumcheckProof(roundMessages: rounds), result.challenges, result.finalF, result.finalG)
    }

    static func verify<F: LargePrimeField>(
        claim: F, variables: Int, proof: SumcheckProof<F>, transcript: inout Transcript, relation: Int
    ) throws(VerificationError) -> SumcheckSubclaim<F> {
        do throws(SumcheckError) {
            return try SumcheckVerifier.verify(
                claimedSum: claim, variableCount: variables, degree: 2, proof: proof, transcript: &transcript)
        } catch {
            throw .sumcheckFailed(relation: relation, error)
        }
    }
}

/// Per-dimension views of a point on a tensor's hypercube: the coordinates of dimension `a` are
/// a contiguous group, the last dimension's first (lowest bits).

struct TensorLayoutPoint<F: FiniteField> {
    let groups: [[F]]

    init(_ point: [F], dimensionBits: [Int]) {
        var groups = [[F]](repeating: [], count: dimensionBits.count)
        var start = 0
        for a in stride(from: dimensionBits.count - 1, through: 0, by: -1) {
            groups[a] = Array(point[start..<(start + dimensionBits[a])])
            start += dimensionBits[a]
        }
        self.groups = groups
    }

    /// `eq(group a, ·)` over that dimension's padded range.
    func eqTable(dimension a: Int) -> [F] { ZKPoly.eqTable(point: groups[a]) }
}
