extension SumcheckError: CustomStringConvertible {
    /// What was wrong, for people (command-line messages and logs).
    public var description: String {
        switch self {
        case .wrongRoundCount(let expected, let got):
            return "the sumcheck has \(got) rounds, the statement has \(expected) variables"
        case .wrongMessageLength(let round, let expected, let got):
            return "sumcheck round \(round) carries \(got) evaluations, expected \(expected)"
        case .finalEvaluationMismatch:
            return "the sumcheck's final claim is not the summed polynomial's value at the random point"
        }
    }
}
