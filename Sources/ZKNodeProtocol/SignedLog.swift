public import ZKSodium
import Foundation

/// What a full node settles about one request: the statement it signs in its log.
///
/// It is encoded once, canonically (``NodeJSON``: sorted keys, strings and integers only, no
/// floating point), and the log keeps and hashes those exact bytes.
public struct LogStatement: Codable, Sendable, Hashable {
    public var requestId: String
    public var clientRequestHash: String
    public var client: String
    public var inferenceNode: String
    public var modelId: String
    public var inputHash: String
    public var outputHash: String
    public var mode: InferenceMode
    /// Whether the inference node answered in another mode than the client asked for.
    public var downgraded: Bool
    /// The hash of the evidence: the proof bytes (`zkml`), the attestation envelope (`tee`), the
    /// receipt envelope (`vanilla`); empty when there is none (an expired request).
    public var evidenceHash: String
    public var verdict: Verdict
    /// The rejection or expiry reason (``RejectionReason``), empty when settled.
    public var reason: String
    public var decidedAt: Int64

    public init(
        requestId: String, clientRequestHash: String, client: String, inferenceNode: String, modelId: String,
        inputHash: String, outputHash: String, mode: InferenceMode, downgraded: Bool, evidenceHash: String,
        verdict: Verdict, reason: String, decidedAt: Int64
    ) {
        self.requestId = requestId
        self.clientRequestHash = clientRequestHash
        self.client = client
        self.inferenceNode = inferenceNode
        self.modelId = modelId
        self.inputHash = inputHash
        self.outputHash = outputHash
        self.mode = mode
        self.downgraded = downgraded
        self.evidenceHash = evidenceHash
        self.verdict = verdict
        self.reason = reason
        self.decidedAt = decidedAt
    }
}

/// One entry of a full node's append-only log.
///
/// Entry `n` (from 1) binds its position, the previous entry's hash (all zeros for entry 1) and
/// the statement's bytes:
///
///     entryHash(n) = BLAKE2b-256("zkml/log-entry/v1" ‖ 0x00 ‖ n as 8 bytes big-endian ‖ entryHash(n−1) ‖ statement)
///
/// and the node signs `entryHash(n)` (Ed25519, domain ``MessageKind/logEntry``). Changing,
/// removing, inserting or reordering any entry changes every later hash; each entry's signature
/// makes the chain the node's own.
public struct LogEntry: Codable, Sendable, Hashable {
    public var position: Int64
    public var previousHash: String
    /// The statement's canonical bytes, base64.
    public var statement: String
    public var entryHash: String
    public var signature: String

    public init(position: Int64, previousHash: String, statement: String, entryHash: String, signature: String) {
        self.position = position
        self.previousHash = previousHash
        self.statement = statement
        self.entryHash = entryHash
        self.signature = signature
    }

    public static func hash(position: Int64, previous: Digest32, statement: [UInt8]) -> Digest32 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(40 + statement.count)
        withUnsafeBytes(of: UInt64(position).bigEndian) { bytes.append(contentsOf: $0) }
        bytes += previous.bytes
        bytes += statement
        return NodeHash.hash(domain: MessageKind.logEntry.domain, bytes)
    }

    /// Makes and signs the entry after `previous` (nil for the first entry).
    public static func make(
        after previous: (position: Int64, hash: Digest32)?, statement: LogStatement, by identity: NodeIdentity
    ) throws -> LogEntry {
        let bytes = Array(try NodeJSON.encode(statement))
        let position = (previous?.position ?? 0) + 1
        let previousHash = previous?.hash ?? .zero
        let entryHash = hash(position: position, previous: previousHash, statement: bytes)
        let signature = identity.signingKey.sign(SignedEnvelope.signedBytes(kind: .logEntry, payload: entryHash.bytes))
        return LogEntry(
            position: position, previousHash: previousHash.description, statement: Data(bytes).base64EncodedString(),
            entryHash: entryHash.description, signature: Hex.encode(signature))
    }

    /// The decoded statement (no signature check: see ``LogVerifier``).
    public func decodedStatement() throws -> LogStatement {
        guard let data = Data(base64Encoded: statement) else { throw LogVerificationError.malformed(position: position, why: "statement is not base64") }
        return try NodeJSON.decoder.decode(LogStatement.self, from: data)
    }
}

/// A log as exported by `GET /v1/log` and `zkml log export`: the node's public key and entries.
public struct LogExport: Codable, Sendable {
    public var node: String
    public var entries: [LogEntry]

    public init(node: String, entries: [LogEntry]) {
        self.node = node
        self.entries = entries
    }
}

/// Why a log fails its offline check.
public enum LogVerificationError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedNodeKey
    case gap(expected: Int64, found: Int64)
    case brokenChain(position: Int64)
    case wrongHash(position: Int64)
    case badSignature(position: Int64)
    case malformed(position: Int64, why: String)
    case duplicateRequest(position: Int64, requestId: String)

    public var code: String {
        switch self {
        case .malformedNodeKey: "malformed_node_key"
        case .gap: "log_gap"
        case .brokenChain: "broken_chain"
        case .wrongHash: "wrong_entry_hash"
        case .badSignature: "bad_entry_signature"
        case .malformed: "malformed_entry"
        case .duplicateRequest: "duplicate_request"
        }
    }

    public var description: String {
        switch self {
        case .malformedNodeKey: "the log's node key is not an Ed25519 public key"
        case .gap(let expected, let found): "expected entry \(expected), found \(found)"
        case .brokenChain(let p): "entry \(p) does not cite the previous entry's hash"
        case .wrongHash(let p): "entry \(p)'s hash is not the hash of its contents"
        case .badSignature(let p): "entry \(p)'s signature does not verify with the node's key"
        case .malformed(let p, let why): "entry \(p) is malformed: \(why)"
        case .duplicateRequest(let p, let id): "entry \(p) settles request \(id) a second time"
        }
    }
}

/// Checks an exported log offline: consecutive positions from `firstPosition`, each entry citing
/// the previous one's hash, each hash recomputed from the entry's bytes, each signature valid
/// under the node's key, each statement decodable, no request settled twice.
public enum LogVerifier {
    public struct Summary: Codable, Sendable {
        public var entries: Int
        public var headHash: String
        public var verdicts: [String: Int]
    }

    public static func verify(_ log: LogExport, firstPosition: Int64 = 1, previousHash: Digest32 = .zero) throws(LogVerificationError) -> Summary {
        guard let key = Ed25519.PublicKey(hex: log.node) else { throw .malformedNodeKey }
        var expected = firstPosition
        var previous = previousHash
        var seen = Set<String>()
        var verdicts: [String: Int] = [:]
        for entry in log.entries {
            guard entry.position == expected else { throw .gap(expected: expected, found: entry.position) }
            guard entry.previousHash == previous.description else { throw .brokenChain(position: entry.position) }
            guard let data = Data(base64Encoded: entry.statement) else { throw .malformed(position: entry.position, why: "statement is not base64") }
            let hash = LogEntry.hash(position: entry.position, previous: previous, statement: Array(data))
            guard entry.entryHash == hash.description else { throw .wrongHash(position: entry.position) }
            guard let signature = Hex.decode(entry.signature, byteCount: Ed25519.signatureByteCount),
                key.verify(signature: signature, message: SignedEnvelope.signedBytes(kind: .logEntry, payload: hash.bytes))
            else { throw .badSignature(position: entry.position) }
            let statement: LogStatement
            do { statement = try NodeJSON.decoder.decode(LogStatement.self, from: data) } catch {
                throw .malformed(position: entry.position, why: "statement: \(error)")
            }
            guard seen.insert(statement.requestId).inserted else {
                throw .duplicateRequest(position: entry.position, requestId: statement.requestId)
            }
            verdicts[statement.verdict.rawValue, default: 0] += 1
            previous = hash
            expected += 1
        }
        return Summary(entries: log.entries.count, headHash: previous.description, verdicts: verdicts)
    }
}
