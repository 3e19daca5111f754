import ZKSodium

/// A message between nodes (kind ``MessageKind/nodeMessage``), with replay protection.
///
/// `messageId` names the message across retries: the sender's outbox re-signs a message with a
/// fresh `sentAt` and `nonce` on every attempt, and the receiver answers a second delivery of the
/// same id with its first answer (idempotency). The same signed bytes twice, a `sentAt` outside the
/// freshness window, or a message for another recipient are refused (replay).
public struct NodeMessage<Body: Codable & Sendable>: Codable, Sendable {
    public var messageId: String
    /// The recipient's public key: a message for one node cannot be replayed to another.
    public var recipient: String
    public var sentAt: Int64
    /// 16 random bytes, hex.
    public var nonce: String
    public var body: Body

    public init(messageId: String, recipient: String, sentAt: Int64, nonce: String = randomNonce(), body: Body) {
        self.messageId = messageId
        self.recipient = recipient
        self.sentAt = sentAt
        self.nonce = nonce
        self.body = body
    }

    /// How far a message's `sentAt` may be from the receiver's clock.
    public static var freshnessWindowMilliseconds: Int64 { 5 * 60 * 1000 }
}

/// The inference node registers each receipt with its full node when it answers the client.
public struct Registration: Codable, Sendable {
    public var clientRequest: SignedEnvelope
    public var receipt: SignedEnvelope
    /// TEE mode: the (simulated) attestation.
    public var attestation: SignedEnvelope?

    public init(clientRequest: SignedEnvelope, receipt: SignedEnvelope, attestation: SignedEnvelope?) {
        self.clientRequest = clientRequest
        self.receipt = receipt
        self.attestation = attestation
    }
}

/// A proof for a registered receipt.
public struct ProofSubmission: Codable, Sendable {
    public var requestId: String
    /// The model id of the key the proof was made with.
    public var modelId: String
    /// The proof's bytes (the `zkml prove` format), base64.
    public var proof: String

    public init(requestId: String, modelId: String, proof: String) {
        self.requestId = requestId
        self.modelId = modelId
        self.proof = proof
    }
}

/// Whether a sender's timestamp (milliseconds since the epoch) is within the freshness window of
/// `now`. Overflow-checked: the timestamp is untrusted, and `now − Int64.min` does not fit.
public func isFresh(_ timestamp: Int64, now: Int64, window: Int64 = NodeMessage<String>.freshnessWindowMilliseconds) -> Bool {
    let (difference, overflow) = now.subtractingReportingOverflow(timestamp)
    return !overflow && difference.magnitude <= UInt64(window)
}

/// 16 bytes from the operating system's secure random source, hex: the nonce of every signed
/// message, and a fresh idempotency key.
public func randomNonce() -> String { Hex.encode(SecureRandom.bytes(16)) }
