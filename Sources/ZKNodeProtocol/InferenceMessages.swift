public import ZKSodium

/// How a result is evidenced. Every mode runs the same integer inference, so the mode changes the
/// evidence, never the number a client gets.
public enum InferenceMode: String, Codable, Sendable, CaseIterable {
    /// A zero-knowledge-ML proof, checked by the full node with the key it derived itself.
    case zkml
    /// An attestation. Simulated until a TEE exists: signed by the inference node's own key, and
    /// every status that carries one says so (``TEEAttestation/measurement``).
    case tee
    /// The inference node's signature on the receipt, nothing more.
    case vanilla
}

/// A client's request (the payload of a ``SignedEnvelope`` of kind ``MessageKind/inferenceRequest``).
public struct InferenceRequest: Codable, Sendable, Hashable {
    /// `name@major.minor` (resolved by the hub) or a model id (64 hex digits).
    public var model: String
    public var mode: InferenceMode
    /// The model input, row-major, as floats (the node quantizes it with the model's input scale).
    public var input: [Float]
    /// Chosen by the client; a retried request with the same key gets the first answer.
    public var idempotencyKey: String
    /// For `zkml`: when the proof would miss its deadline, answer in `vanilla` mode (recorded as a
    /// downgrade, for a later audit) instead of refusing with 429.
    public var allowDowngrade: Bool
    /// The client's clock, milliseconds since the epoch.
    public var issuedAt: Int64

    public init(model: String, mode: InferenceMode, input: [Float], idempotencyKey: String, allowDowngrade: Bool = false, issuedAt: Int64) {
        self.model = model
        self.mode = mode
        self.input = input
        self.idempotencyKey = idempotencyKey
        self.allowDowngrade = allowDowngrade
        self.issuedAt = issuedAt
    }

    /// The request id: a hash of the client's public key and its idempotency key, so a retry
    /// names the same request and two clients never collide.
    public static func requestID(client: Ed25519.PublicKey, idempotencyKey: String) -> String {
        NodeHash.hash(domain: "zkml/request-id/v1", client.rawRepresentation + Array(idempotencyKey.utf8)).description
    }

    /// Idempotency keys are short printable strings.
    public static let maximumIdempotencyKeyLength = 128
}

/// What an inference node signs when it answers a request (kind ``MessageKind/receipt``): the
/// output it gave, bound to the client's signed request, and (for `zkml`) the deadline by which
/// the full node must have the proof.
public struct Receipt: Codable, Sendable, Hashable {
    public var requestId: String
    /// The hash of the client's signed request payload (``SignedEnvelope/payloadHash``).
    public var clientRequestHash: String
    /// The client's public key.
    public var client: String
    /// The inference node's public key (the receipt's signer).
    public var inferenceNode: String
    /// The model id (the verification key's) and the reference the client used.
    public var modelId: String
    public var modelReference: String
    /// The hash of the quantized input (as the proof's public input is hashed) and of the output integers.
    public var inputHash: String
    public var outputHash: String
    public var outputIntegers: [Int64]
    /// The mode of the evidence, and the mode the client asked for (they differ after a downgrade).
    public var mode: InferenceMode
    public var requestedMode: InferenceMode
    public var downgraded: Bool
    public var issuedAt: Int64
    /// `zkml` only: milliseconds since the epoch by which the proof must reach the full node.
    public var proofDeadline: Int64?

    public init(
        requestId: String, clientRequestHash: String, client: String, inferenceNode: String, modelId: String,
        modelReference: String, inputHash: String, outputHash: String, outputIntegers: [Int64], mode: InferenceMode,
        requestedMode: InferenceMode, downgraded: Bool, issuedAt: Int64, proofDeadline: Int64?
    ) {
        self.requestId = requestId
        self.clientRequestHash = clientRequestHash
        self.client = client
        self.inferenceNode = inferenceNode
        self.modelId = modelId
        self.modelReference = modelReference
        self.inputHash = inputHash
        self.outputHash = outputHash
        self.outputIntegers = outputIntegers
        self.mode = mode
        self.requestedMode = requestedMode
        self.downgraded = downgraded
        self.issuedAt = issuedAt
        self.proofDeadline = proofDeadline
    }
}

/// A TEE-mode attestation (kind ``MessageKind/attestation``). **Simulated**: there is no enclave
/// yet; the inference node signs with its own key and `measurement` says so.
public struct TEEAttestation: Codable, Sendable, Hashable {
    public static let simulatedMeasurement = "simulated:node-key"
    public var requestId: String
    public var modelId: String
    public var inputHash: String
    public var outputHash: String
    public var measurement: String
    public var issuedAt: Int64

    public init(requestId: String, modelId: String, inputHash: String, outputHash: String, measurement: String, issuedAt: Int64) {
        self.requestId = requestId
        self.modelId = modelId
        self.inputHash = inputHash
        self.outputHash = outputHash
        self.measurement = measurement
        self.issuedAt = issuedAt
    }
}
