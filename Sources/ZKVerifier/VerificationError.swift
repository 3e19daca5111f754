public import ZKCommit
public import ZKLookup
public import ZKSumcheck
public import ZKWire

/// Why a proof was rejected. Every failure of verification is one of these: the verifier never
/// traps on a hostile proof.
///
/// The cases follow the order in which ``Verifier/verify(_:verificationKey:field:)`` runs its
/// checks: the key, the public values (and a one-hot input's rows), the shape of the whole proof, the lookup argument, each
/// arithmetic relation (walking the circuit backwards), the public tensors' evaluations, the
/// claim ledger, the advice batch and the two openings. Each case carries typed data (a relation
/// index, a check, the shape that was wrong, the sub-protocol's own error), never a message or a
/// sentinel; ``description`` gives the message a person reads.
public enum VerificationError: Error, Equatable, Sendable {
    /// The key's commitment parameters offer `bits` of soundness, below the `required` floor
    /// (``VerificationKey/minimumSoundnessBits``): no proof under this key is worth anything.
    case insecureKey(bits: Double, required: Double)
    /// The proof bytes are malformed.
    case malformedProof(WireError)
    /// The proof names another field or format than this verification key.
    case incompatibleProof(ProofIncompatibility)
    /// An entry of the proof's public input or output is outside the tensor's range.
    case publicValueOutOfRange(tensor: String, index: Int, value: Int64)
    /// The proof's public input or output has the wrong number of entries.
    case publicValueCount(tensor: String, expected: Int, got: Int)
    /// The key's interface says the public input is one-hot token ids, but row `row` of it holds
    /// `ones` entries equal to 1, not exactly one: it is not the encoding of token ids.
    case publicInputNotOneHot(row: Int, ones: Int)
    /// The proof as a whole has the wrong shape: the wrong number of relation proofs, or a lookup
    /// argument where the circuit has no lookups (or none where it has).
    case proofShape(ProofShapeError)
    /// The message of relation `relation` (an index into the circuit's relations) has the wrong
    /// kind or length.
    case relationShape(relation: Int, RelationShapeError)
    /// Sumcheck number `sumcheck` of relation `relation` (in the order of the relation's
    /// message) has the wrong shape.
    case sumcheckFailed(relation: Int, sumcheck: Int, SumcheckError)
    /// A relation's check did not hold: `check` names which.
    case relationCheckFailed(relation: Int, check: RelationCheck)
    /// A virtual tensor received no claims to consume (the circuit's relations are out of order).
    case missingClaims(tensor: Int)
    /// The lookup argument rejected.
    case lookupFailed(LookupError)
    /// A claim on a public tensor disagrees with the verifier's own evaluation.
    case publicEvaluationMismatch(tensor: Int)
    /// A claim on a constant tensor (its integers are in the key) disagrees with the verifier's
    /// own evaluation.
    case constantEvaluationMismatch(tensor: Int)
    /// A claim on advice sent in the clear disagrees with the verifier's own evaluation of the
    /// values (``AdviceTransport/clear``).
    case clearAdviceMismatch(PolynomialID)
    /// The advice batch sumcheck has the wrong shape, or its final check did not hold
    /// (``ZKSumcheck/SumcheckError/finalEvaluationMismatch``).
    case adviceBatchFailed(SumcheckError)
    /// An opening of C_1 or C_W failed.
    case adviceOpeningFailed(LigeroError)
    case weightOpeningFailed(LigeroError)
    /// Claims that no step consumed or checked (the claim ledger must end empty).
    case unconsumedClaims(Int)
}

/// Why a proof does not belong to a verification key at all.
public enum ProofIncompatibility: Equatable, Sendable {
    /// The proof is over the field `got`; the verifier works over `expected`.
    case field(expected: String, got: String)
    /// The proof is in format version `got`; this verifier reads `expected`.
    case formatVersion(expected: UInt16, got: UInt16)
}

/// What is wrong with the shape of a whole proof (``VerificationError/proofShape(_:)``).
public enum ProofShapeError: Equatable, Sendable {
    /// The circuit has `expected` arithmetic relations; the proof has `got` relation proofs.
    case relationCount(expected: Int, got: Int)
    /// The proof carries a lookup argument, but the circuit has no lookup relation.
    case unexpectedLookupArgument
    /// The circuit has lookup relations, but the proof carries no lookup argument.
    case missingLookupArgument
    /// The proof carries its advice another way than the key's ``AdviceTransport`` (`expected`).
    case adviceTransport(expected: AdviceTransport)
    /// The advice in the clear has `got` values; the key's layout has `expected` advice slots.
    case adviceValueCount(expected: Int, got: Int)
}

/// The kind of a ``RelationProof`` message (which case of the enum it is).
public enum RelationProofKind: Equatable, Sendable {
    case requantize
    case matMul
    case add
    case general
}

/// What is wrong with one relation's message (``VerificationError/relationShape(relation:_:)``).
public enum RelationShapeError: Equatable, Sendable {
    /// The message is a `got` proof; the relation needs an `expected` one.
    case wrongProofKind(expected: RelationProofKind, got: RelationProofKind)
    /// The message has `got` sumchecks; the relation needs `expected`.
    case sumcheckCount(expected: Int, got: Int)
    /// The message has `got` evaluations; the relation (with the claims the verifier holds)
    /// needs `expected`.
    case evaluationCount(expected: Int, got: Int)
    /// The relation's output is stored, but the message does not start with its value.
    case missingOutputValue
}

/// The check of a relation that failed (``VerificationError/relationCheckFailed(relation:check:)``).
/// Each is the comparison the relation's documentation states; "final" is the comparison of a
/// sumcheck's last claim with the product the verifier computes at the sumcheck's point.
public enum RelationCheck: Equatable, Sendable {
    /// Matrix–vector product: `Σ_j γ^j W(s, z_j) · x(s)` against the sumcheck's final claim.
    case matMulFinal
    /// Element-wise product: `weight(s) · (lhs(s)·rhs(s) [− out(s)])` against the zerocheck's final claim.
    case mulFinal
    /// Linear map: `W(s) · in(s)` against the sumcheck's final claim.
    case linearFinal
    /// Concatenation: the inputs' contributions do not add up to the combined claims on the output.
    case concatContributions
    /// Concatenation: input `input`'s sumcheck, `W_i(s) · in_i(s)` against its final claim.
    case concatFinal(input: Int)
    /// Max pool, link: `W(s) · x(s)` against the final claim of the sumcheck linking the maximum
    /// and the differences to the input.
    case maxPoolLink
    /// Max pool, among the inputs: `eq(r, t) · Π_w d_w(t)` against the zerocheck's final claim.
    case maxPoolAmong
    /// Convolution, sumcheck over the input: `w* · x(s)` against its final claim.
    case conv2dInput
    /// Convolution, sumcheck over the kernel: `K(t) · A(t)` against its final claim.
    case conv2dKernel
}

extension RelationProof {
    /// Which case of the enum this message is.
    public var kind: RelationProofKind {
        switch self {
        case .requantize: return .requantize
        case .matMul: return .matMul
        case .add: return .add
        case .general: return .general
        }
    }
}
