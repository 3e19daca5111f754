extension LigeroError {
    /// A stable snake_case name of the case (which check or which precondition failed), for
    /// machine-readable reports. Codes are never renamed or reused once published.
    public var code: String {
        switch self {
        case .invalidParameters: return "invalid_parameters"
        case .wrongEvaluationCount: return "wrong_evaluation_count"
        case .integerOutOfRange: return "integer_out_of_range"
        case .commitmentMismatch: return "commitment_mismatch"
        case .noClaims: return "no_claims"
        case .wrongPointDimension: return "wrong_point_dimension"
        case .damagedColumn: return "damaged_column"
        case .malformedProof: return "malformed_opening"
        case .merkle: return "merkle_authentication_failed"
        case .proximityCheckFailed: return "proximity_check_failed"
        case .evaluationRowMismatch: return "evaluation_row_mismatch"
        case .claimMismatch: return "claim_mismatch"
        }
    }
}
