extension LigeroError: CustomStringConvertible {
    /// What was wrong, for people (command-line messages and logs).
    public var description: String {
        switch self {
        case .invalidParameters(let reason): return "invalid commitment parameters: \(reason)"
        case .wrongEvaluationCount(let expected, let got): return "\(got) evaluations to commit, the parameters fix \(expected)"
        case .integerOutOfRange(let index): return "source entry \(index) is outside the integer kernels' range"
        case .commitmentMismatch(let expected, let got):
            return "the commitment has \(got) variables, the parameters fix \(expected)"
        case .noClaims: return "an opening with no claims"
        case .wrongPointDimension(let claim, let expected, let got):
            return "claim \(claim) has a point of \(got) coordinates, the polynomial has \(expected) variables"
        case .damagedColumn(let index):
            return "column \(index) of the stored encoded matrix does not match its Merkle leaf: the proving key is damaged (run setup again)"
        case .malformedProof(let shape): return "malformed opening: \(shape)"
        case .merkle(let error): return "the opened columns do not authenticate: \(error)"
        case .proximityCheckFailed(let column):
            return "proximity test failed at column \(column): the committed rows are not a codeword combination there"
        case .evaluationRowMismatch(let claim, let column):
            return "the evaluation row of claim \(claim) disagrees with the committed rows at column \(column)"
        case .claimMismatch(let claim): return "claim \(claim)'s value is not the committed polynomial's evaluation"
        }
    }
}

extension LigeroProofShapeError: CustomStringConvertible {
    /// What was wrong, for people (command-line messages and logs).
    public var description: String {
        switch self {
        case .proximityRowLength(let expected, let got): return "the proximity row has \(got) entries, expected \(expected)"
        case .evaluationRowCount(let expected, let got): return "\(got) evaluation rows for \(expected) claims"
        case .evaluationRowLength(let claim, let expected, let got):
            return "evaluation row \(claim) has \(got) entries, expected \(expected)"
        case .columnCount(let expected, let got): return "\(got) opened columns, the parameters fix \(expected)"
        case .columnLength(let index, let expected, let got): return "opened column \(index) has \(got) entries, expected \(expected)"
        case .pathTooLong(let maximum, let got): return "the authentication path holds \(got) digests, at most \(maximum) are valid"
        }
    }
}
