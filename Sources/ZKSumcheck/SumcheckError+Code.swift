extension SumcheckError {
    /// A stable snake_case name of the case, for machine-readable reports. Codes are never
    /// renamed or reused once published.
    public var code: String {
        switch self {
        case .wrongRoundCount: return "wrong_round_count"
        case .wrongMessageLength: return "wrong_message_length"
        case .finalEvaluationMismatch: return "final_evaluation_mismatch"
        }
    }
}
