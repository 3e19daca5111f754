public import ZKSetup
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTranscript
import ZKVerifier

/// The prover half of ``ProductSumcheck``.
extension ProductSumcheck {
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
}
