/// The bodies of the node HTTP API (openapi.yaml describes the same shapes). All are JSON with
/// snake_case keys (``NodeJSON``).

/// Every 4xx and 5xx answer: `{"error": {"code": ..., "message": ...}}`.
public struct APIErrorBody: Codable, Sendable, Error {
    public struct Detail: Codable, Sendable {
        public var code: String
        public var message: String
    }
    public var error: Detail

    public init(code: String, message: String) { error = Detail(code: code, message: message) }
}

/// `GET /v1/info`.
public struct NodeInfo: Codable, Sendable {
    public var role: String
    public var publicKey: String
    public var version: String
    public var proofFormat: Int
    public var models: [String]

    public init(role: String, publicKey: String, version: String, proofFormat: Int, models: [String]) {
        self.role = role
        self.publicKey = publicKey
        self.version = version
        self.proofFormat = proofFormat
        self.models = models
    }
}

/// `GET /healthz` and `GET /readyz`.
public struct HealthBody: Codable, Sendable {
    public var status: String
    public var checks: [String: String]

    public init(status: String, checks: [String: String]) {
        self.status = status
        self.checks = checks
    }
}

/// `POST /v1/infer`: the answer to a client. The output is provisional until the full node settles it.
public struct InferResponse: Codable, Sendable {
    public var requestId: String
    public var status: RequestStatus
    public var provisional: Bool
    public var mode: InferenceMode
    public var requestedMode: InferenceMode
    public var downgraded: Bool
    public var modelId: String
    /// The dequantized output (a trailing softmax applied, as the verifier applies it).
    public var output: [Double]
    public var outputIntegers: [Int64]
    public var receipt: SignedEnvelope
    public var attestation: SignedEnvelope?
    public var proofDeadline: Int64?
    /// Whether this answer repeats the first answer to the same idempotency key.
    public var replayed: Bool

    public init(
        requestId: String, status: RequestStatus, provisional: Bool, mode: InferenceMode, requestedMode: InferenceMode,
        downgraded: Bool, modelId: String, output: [Double], outputIntegers: [Int64], receipt: SignedEnvelope,
        attestation: SignedEnvelope?, proofDeadline: Int64?, replayed: Bool
    ) {
        self.requestId = requestId
        self.status = status
        self.provisional = provisional
        self.mode = mode
        self.requestedMode = requestedMode
        self.downgraded = downgraded
        self.modelId = modelId
        self.output = output
        self.outputIntegers = outputIntegers
        self.receipt = receipt
        self.attestation = attestation
        self.proofDeadline = proofDeadline
        self.replayed = replayed
    }
}

/// `GET /v1/requests/{id}` on an inference node.
public struct RequestStatusResponse: Codable, Sendable {
    public var requestId: String
    public var status: RequestStatus
    /// For `rejected` and `expired`: a ``RejectionReason`` code.
    public var reason: String?
    public var mode: InferenceMode
    public var modelId: String
    public var proofDeadline: Int64?
    /// The full node's log position once it has settled the request.
    public var logPosition: Int64?
    /// The TEE attestation's status (`simulated` until a real enclave signs it).
    public var attestation: String?
    public var updatedAt: Int64

    public init(
        requestId: String, status: RequestStatus, reason: String?, mode: InferenceMode, modelId: String, proofDeadline: Int64?,
        logPosition: Int64?, attestation: String?, updatedAt: Int64
    ) {
        self.requestId = requestId
        self.status = status
        self.reason = reason
        self.mode = mode
        self.modelId = modelId
        self.proofDeadline = proofDeadline
        self.logPosition = logPosition
        self.attestation = attestation
        self.updatedAt = updatedAt
    }
}

/// `GET /v1/results/{id}` on a full node, and its answer to a registration or proof submission.
public struct ResultRecord: Codable, Sendable, Hashable {
    public var requestId: String
    public var status: RequestStatus
    public var reason: String?
    public var mode: InferenceMode
    public var modelId: String
    public var evidenceHash: String?
    public var logPosition: Int64?
    public var entryHash: String?
    public var proofDeadline: Int64?

    public init(
        requestId: String, status: RequestStatus, reason: String?, mode: InferenceMode, modelId: String, evidenceHash: String?,
        logPosition: Int64?, entryHash: String?, proofDeadline: Int64?
    ) {
        self.requestId = requestId
        self.status = status
        self.reason = reason
        self.mode = mode
        self.modelId = modelId
        self.evidenceHash = evidenceHash
        self.logPosition = logPosition
        self.entryHash = entryHash
        self.proofDeadline = proofDeadline
    }
}

// MARK: - Model hub

/// `POST /v1/blobs` answer.
public struct BlobReceipt: Codable, Sendable {
    public var id: String
    public var size: Int

    public init(id: String, size: Int) {
        self.id = id
        self.size = size
    }
}

/// A publisher's signed request to create a model repository (kind ``MessageKind/hubWrite``).
public struct CreateModelRequest: Codable, Sendable {
    public var action: String = "create"
    public var name: String
    public var description: String
    public var issuedAt: Int64
    public var nonce: String

    public init(name: String, description: String, issuedAt: Int64, nonce: String) {
        self.name = name
        self.description = description
        self.issuedAt = issuedAt
        self.nonce = nonce
    }
}

/// The settings a model is compiled with: with the ONNX file they determine the verification key.
public struct CompileSettings: Codable, Sendable, Hashable {
    /// The calibration inputs (JSON, `zkml compile --calibration`), a blob id.
    public var calibrationBlob: String
    public var bits: Int

    public init(calibrationBlob: String, bits: Int) {
        self.calibrationBlob = calibrationBlob
        self.bits = bits
    }
}

/// A publisher's signed request to release a version (kind ``MessageKind/hubWrite``).
public struct ReleaseModelRequest: Codable, Sendable {
    public var action: String = "release"
    public var name: String
    /// `major.minor`.
    public var version: String
    public var onnxBlob: String
    public var settings: CompileSettings
    /// The hash of the verification key the publisher derived; the hub derives its own and refuses a mismatch.
    public var verificationKeyHash: String
    public var issuedAt: Int64
    public var nonce: String

    public init(
        name: String, version: String, onnxBlob: String, settings: CompileSettings, verificationKeyHash: String, issuedAt: Int64,
        nonce: String
    ) {
        self.name = name
        self.version = version
        self.onnxBlob = onnxBlob
        self.settings = settings
        self.verificationKeyHash = verificationKeyHash
        self.issuedAt = issuedAt
        self.nonce = nonce
    }
}

public struct ReleaseRecord: Codable, Sendable, Hashable {
    public var name: String
    public var version: String
    public var onnxBlob: String
    public var settings: CompileSettings
    public var verificationKeyHash: String
    public var modelId: String
    public var releasedAt: Int64

    public init(
        name: String, version: String, onnxBlob: String, settings: CompileSettings, verificationKeyHash: String, modelId: String,
        releasedAt: Int64
    ) {
        self.name = name
        self.version = version
        self.onnxBlob = onnxBlob
        self.settings = settings
        self.verificationKeyHash = verificationKeyHash
        self.modelId = modelId
        self.releasedAt = releasedAt
    }
}

public struct ModelRecord: Codable, Sendable {
    public var name: String
    public var owner: String
    public var description: String
    public var createdAt: Int64
    public var releases: [ReleaseRecord]

    public init(name: String, owner: String, description: String, createdAt: Int64, releases: [ReleaseRecord]) {
        self.name = name
        self.owner = owner
        self.description = description
        self.createdAt = createdAt
        self.releases = releases
    }
}

public struct ModelList: Codable, Sendable {
    public var models: [ModelRecord]
    public init(models: [ModelRecord]) { self.models = models }
}

/// `GET /v1/log?after=N&limit=M`.
public struct LogPage: Codable, Sendable {
    public var node: String
    public var entries: [LogEntry]
    /// The position of the newest entry (0 when the log is empty).
    public var head: Int64

    public init(node: String, entries: [LogEntry], head: Int64) {
        self.node = node
        self.entries = entries
        self.head = head
    }
}

/// Model references: `name@major.minor` or a 64-hex-digit model id.
public enum ModelReference: Sendable, Hashable {
    case release(name: String, version: String)
    case id(String)

    public init?(_ text: String) {
        if text.count == 64, Hex.decode(text) != nil {
            self = .id(text.lowercased())
            return
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, Self.isValidName(parts[0]), Self.isValidVersion(parts[1]) else { return nil }
        self = .release(name: String(parts[0]), version: String(parts[1]))
    }

    /// Names: 1–64 characters of `a-z 0-9 - _ .`, starting with a letter or digit.
    public static func isValidName(_ name: some StringProtocol) -> Bool {
        guard (1...64).contains(name.count), let first = name.first, first.isASCII, first.isLetter || first.isNumber else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }

    /// Versions: `major.minor`, each 0–99999 without leading zeros.
    public static func isValidVersion(_ version: some StringProtocol) -> Bool {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return parts.allSatisfy { part in
            (1...5).contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber } && (part == "0" || part.first != "0")
        }
    }
}
