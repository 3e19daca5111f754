import ZKCommit
import ZKLookup
import ZKSumcheck
import ZKWire

extension VerificationError {
    /// A stable snake_case name of the check that rejected the proof, for machine-readable
    /// reports (`zkml verify --json`). Codes are never renamed or reused once published; the
    /// README lists them.
    public var code: String {
        switch self {
        case .insecureKey: return "insecure_key"
        case .proofShape: return "proof_shape"
        case .malformedProof: return "malformed_proof"
        case .incompatibleProof: return "incompatible_proof"
        case .publicValueOutOfRange: return "public_value_out_of_range"
        case .publicValueCount: return "public_value_count"
        case .publicInputNotOneHot: return "public_input_not_one_hot"
        case .relationShape: return "relation_shape"
        case .sumcheckFailed: return "sumcheck_failed"
        case .relationCheckFailed: return "relation_check_failed"
        case .missingClaims: return "missing_claims"
        case .lookupFailed: return "lookup_failed"
        case .publicEvaluationMismatch: return "public_evaluation_mismatch"
        case .constantEvaluationMismatch: return "constant_evaluation_mismatch"
        case .clearAdviceMismatch: return "clear_advice_mismatch"
        case .adviceBatchFailed: return "advice_batch_failed"
        case .adviceOpeningFailed: return "advice_opening_failed"
        case .weightOpeningFailed: return "weight_opening_failed"
        case .unconsumedClaims: return "unconsumed_claims"
        }
    }

    /// The code of the underlying error, when the check failed in a lower layer: the
    /// ``WireError/code`` of a malformed proof, the ``SumcheckError/code``, ``LookupError/code``
    /// or ``LigeroError/code`` of a failed sumcheck, lookup argument or opening.
    public var reason: String? {
        switch self {
        case .malformedProof(let error): return error.code
        case .sumcheckFailed(_, _, let error): return error.code
        case .lookupFailed(let error): return error.code
        case .adviceBatchFailed(let error): return error.code
        case .relationCheckFailed(_, let check): return check.code
        case .adviceOpeningFailed(let error), .weightOpeningFailed(let error): return error.code
        case .insecureKey, .proofShape, .incompatibleProof, .publicValueOutOfRange, .publicValueCount,
             .publicInputNotOneHot, .relationShape,
             .missingClaims, .publicEvaluationMismatch, .clearAdviceMismatch, .constantEvaluationMismatch, .unconsumedClaims:
            return nil
        }
    }
}

extension RelationCheck {
    /// A stable snake_case name of the relation check (the `reason` of `relation_check_failed`).
    public var code: String {
        switch self {
        case .matMulFinal: return "mat_mul_final"
        case .mulFinal: return "mul_final"
        case .linearFinal: return "linear_final"
        case .concatContributions: return "concat_contributions"
        case .concatFinal: return "concat_final"
        case .maxPoolLink: return "max_pool_link"
        case .maxPoolAmong: return "max_pool_among"
        case .conv2dInput: return "conv2d_input"
        case .conv2dKernel: return "conv2d_kernel"
        }
    }
}
