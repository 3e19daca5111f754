import ZKCircuit
import ZKField
import ZKTranscript

/// What the verifier carries through one verification.
struct VerifierState<F: LargePrimeField> {
    let verificationKey: VerificationKey
    var transcript: Transcript
    var ledger = ClaimLedger<F>()

    var circuit: Circuit { verificationKey.circuit }
}

extension VerifierState {
    /// The verifier's half of ``ProverState/outputClaims(_:prefix:)``: reads the stored output's
    /// value from `evaluations` (the first entry) when the output is stored.
    /// - Returns: the claims and how many evaluations were read.
    /// - Throws: ``VerificationError/missingClaims(tensor:)`` for a virtual output nobody claimed;
    ///   ``RelationShapeError/missingOutputValue`` (for `relation`) when `evaluations` is empty.
    mutating func outputClaims(
        _ out: TensorID, prefix: String, evaluations: [F], relation: Int
    ) throws(VerificationError) -> (claims: [Claim<F>], read: Int) {
        if circuit.tensors[out].storage == .virtual {
            let claims = ledger.take(.tensor(out))
            guard !claims.isEmpty else { throw .missingClaims(tensor: out) }
            return (claims, 0)
        }
        guard let v = evaluations.first else { throw .relationShape(relation: relation, .missingOutputValue) }
        let z: [F] = transcript.challenges(label: prefix + ".point", count: circuit.tensors[out].layout.variableCount)
        transcript.absorb(label: prefix + ".output", element: v)
        let claim = Claim(.tensor(out), point: z, value: v)
        ledger.record(claim)
        return ([claim], 1)
    }
}
