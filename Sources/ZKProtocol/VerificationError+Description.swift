extension VerificationError: CustomStringConvertible {
    /// Why the proof was rejected, for people (command-line messages); ``code`` is the stable
    /// machine-readable name.
    public var description: String {
        switch self {
        case .malformedProof(let error):
            return "the proof is malformed: \(error)"
        case .incompatibleProof(let detail):
            return "the proof does not fit this verification key: \(detail)"
        case .publicValueOutOfRange(let tensor, let index, let value):
            return "the public \(tensor)[\(index)] = \(value) lies outside the range the circuit allows"
        case .publicValueCount(let tensor, let expected, let got):
            return "the public \(tensor) has \(got) values, the circuit has \(expected)"
        case .relationShape(let relation, let detail):
            return relation < 0 ? "the proof's shape: \(detail)" : "relation \(relation): \(detail)"
        case .sumcheckFailed(let relation, let error):
            return "relation \(relation): its sumcheck failed (\(error))"
        case .relationCheckFailed(let relation, let kind):
            return "relation \(relation): the \(kind) check failed"
        case .missingClaims(let tensor):
            return "tensor \(tensor) received no claims (the circuit's relations are out of order)"
        case .lookupFailed(let error):
            return "the lookup argument failed (\(error))"
        case .publicEvaluationMismatch(let tensor):
            return "a claim on public tensor \(tensor) disagrees with the verifier's own evaluation"
        case .adviceBatchFailed(let error):
            return "the advice batch sumcheck failed" + (error.map { " (\($0))" } ?? " (final check)")
        case .adviceOpeningFailed(let error):
            return "the opening of the advice commitment C_1 failed (\(error))"
        case .weightOpeningFailed(let error):
            return "the opening of the weight commitment C_W failed (\(error))"
        case .unconsumedClaims(let count):
            return "\(count) claims were left unchecked"
        }
    }
}
