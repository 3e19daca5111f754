extension LookupError {
    /// A stable snake_case name of the case (which shape or which check of the lookup argument
    /// failed), for machine-readable reports. Codes are never renamed or reused once published.
    public var code: String {
        switch self {
        case .invalidStatement: return "invalid_statement"
        case .invalidWitness: return "invalid_witness"
        case .sizeNotBelowCharacteristic: return "size_not_below_characteristic"
        case .wrongRootCount: return "wrong_root_count"
        case .wrongLayerCount: return "wrong_layer_count"
        case .wrongRoundCount: return "wrong_round_count"
        case .wrongMessageLength: return "wrong_message_length"
        case .wrongChildValueCount: return "wrong_child_value_count"
        case .wrongGroupCount: return "wrong_group_count"
        case .wrongColumnEvaluationCount: return "wrong_column_evaluation_count"
        case .wrongMultiplicityEvaluationCount: return "wrong_multiplicity_evaluation_count"
        case .zeroDenominator: return "zero_denominator"
        case .rootMismatch: return "root_mismatch"
        case .layerMismatch: return "layer_mismatch"
        case .witnessNumeratorMismatch: return "witness_numerator_mismatch"
        case .witnessEvaluationMismatch: return "witness_evaluation_mismatch"
        case .tableEvaluationMismatch: return "table_evaluation_mismatch"
        case .multiplicityMismatch: return "multiplicity_mismatch"
        case .decoding: return "malformed_encoding"
        }
    }
}
