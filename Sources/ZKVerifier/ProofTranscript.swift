import ZKCommit
import ZKField
import ZKTranscript

/// The first absorb of every proof's transcript (DESIGN.md, "Transcript"): protocol id and
/// version, field id, both commitments' parameters, the verification key's hash (the model id),
/// and the public input and output as integers. Prover and verifier call this one function.
package enum ProofTranscript {
    package static let protocolLabel = "zkml.proof.v1"

    package static func start<F: LargePrimeField>(
        verificationKey vk: VerificationKey, publicInput: [Int64], publicOutput: [Int64], field: F.Type
    ) -> Transcript {
        var t = Transcript(protocolLabel: protocolLabel)
        t.absorb(label: "field", bytes: Array(F.fieldID.utf8))
        for p in [vk.weightParameters, vk.adviceParameters] {
            t.absorb(label: "commitment.parameters", signedIntegers: [
                Int64(p.numVariables), Int64(p.logRows), Int64(p.logInverseRate), Int64(p.queryCount),
            ])
        }
        t.absorb(label: "model", digest: vk.modelID)
        t.absorb(label: "public.input", signedIntegers: publicInput)
        t.absorb(label: "public.output", signedIntegers: publicOutput)
        return t
    }
}

extension Array where Element: FiniteField {
    /// Powers `1, x, x², …` (`count` of them).
    package static func powers(of x: Element, count: Int) -> [Element] {
        var out = [Element]()
        out.reserveCapacity(count)
        var p = Element.one
        for _ in 0..<count { out.append(p); p *= x }
        return out
    }
}
