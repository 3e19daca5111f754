public import ZKCommit
public import ZKLookup
public import ZKSumcheck
public import ZKWire

/// Why a proof was rejected. Every failure of verification is one of these: the verifier never
/// traps on a hostile proof.
public enum VerificationError: Error, Equatable, Sendable {
    /// The key's commitment parameters offer `bits` of soundness, below the `required` floor
    /// (``VerificationKey/minimumSoundnessBits``): no proof under this key is worth anything.
    case insecureKey(bits: Double, required: Double)
    /// The proof bytes are malformed.
    case malformedProof(WireError)
    /// The proof names another field or format than this verification key.
    case incompatibleProof(String)
    /// The proof's public input or output has the wrong number of entries or an entry out of range.
    case publicValueOutOfRange(tensor: String, index: Int, value: Int64)
    case publicValueCount(tensor: String, expected: Int, got: Int)
    /// The proof has the wrong number of relation proofs, or one of the wrong kind or length.
    case relationShape(relation: Int, String)
    /// A relation's sumcheck failed or its final check did not hold.
    case sumcheckFailed(relation: Int, SumcheckError)
    case relationCheckFailed(relation: Int, kind: String)
    /// A virtual tensor received no claims to consume (the circuit's relations are out of order).
    case missingClaims(tensor: Int)
    /// The lookup argument rejected.
    case lookupFailed(LookupError)
    /// A claim on a public tensor disagrees with the verifier's own evaluation.
    case publicEvaluationMismatch(tensor: Int)
    /// The advice batch sumcheck failed, or its final check did not hold.
    case adviceBatchFailed(SumcheckError?)
    /// An opening of C_1 or C_W failed.
    case adviceOpeningFailed(LigeroError)
    case weightOpeningFailed(LigeroError)
    /// Claims that no step consumed or checked (the claim ledger must end empty).
    case unconsumedClaims(Int)
}
