/// Where a request stands. On the inference node: `queued → proving → proven → submitted`, then
/// the full node's verdict. On the full node: `registered`, then `settled`, `rejected` or `expired`.
public enum RequestStatus: String, Codable, Sendable, CaseIterable {
    case queued, proving, proven, submitted, registered, settled, rejected, expired

    /// Whether the status is a final verdict of the full node.
    public var isFinal: Bool { self == .settled || self == .rejected || self == .expired }
}

/// The full node's verdict on a request: what the log records.
public enum Verdict: String, Codable, Sendable, CaseIterable {
    case settled, rejected, expired

    public var status: RequestStatus {
        switch self {
        case .settled: .settled
        case .rejected: .rejected
        case .expired: .expired
        }
    }
}

/// Why a request was rejected or expired: stable codes (never renamed or reused).
public enum RejectionReason: String, Codable, Sendable, CaseIterable {
    /// The proof does not verify with the full node's own key.
    case invalidProof = "invalid_proof"
    /// The proof is for another model than the receipt's.
    case wrongModel = "wrong_model"
    /// The proof's public input is not the quantized input the client signed.
    case inputMismatch = "input_mismatch"
    /// The proof's output is not the output in the receipt.
    case outputMismatch = "output_mismatch"
    /// The proof cannot be decoded.
    case malformedProof = "malformed_proof"
    /// The proof did not arrive before the receipt's deadline.
    case deadlineMissed = "deadline_missed"
    /// The inference node gave up on the proof.
    case provingFailed = "proving_failed"
}
