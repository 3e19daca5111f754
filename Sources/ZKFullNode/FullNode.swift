import ZKNodeCore
import Foundation
import GRDB
import Logging
import Metrics
import Synchronization
import ZKNodeProtocol
import ZKSodium

/// A full node: verifies and settles. It holds the model hub (blobs and releases), derives every
/// model's verification key itself, checks receipts when they are registered, verifies proofs
/// with its own keys, expires receipts whose proof misses its deadline, and records each verdict
/// in its append-only, hash-chained, signed log. It never links the prover: it compiles and runs
/// setup, and verifies.
public final class FullNode: Sendable {
    let config: NodeConfig
    let identity: NodeIdentity
    let database: DatabasePool
    let blobs: BlobStore
    let gate: MessageGate
    let logger: Logger
    /// Model id → the build this node derived (from releases it accepted).
    let models = Mutex<[String: ModelBuild]>([:])

    let settledCounter = Counter(label: "zkml_full_verdicts_total", dimensions: [("verdict", "settled")])
    let rejectedCounter = Counter(label: "zkml_full_verdicts_total", dimensions: [("verdict", "rejected")])
    let expiredCounter = Counter(label: "zkml_full_verdicts_total", dimensions: [("verdict", "expired")])
    let verifyTimer = Timer(label: "zkml_full_verify_seconds")

    static let migrations: [(String, [String])] = [
        ("v1", [
            "CREATE TABLE models(name TEXT PRIMARY KEY, owner TEXT NOT NULL, description TEXT NOT NULL, created_at INTEGER NOT NULL)",
            """
            CREATE TABLE releases(name TEXT NOT NULL REFERENCES models(name), version TEXT NOT NULL, onnx_blob TEXT NOT NULL,
              calibration_blob TEXT NOT NULL, bits INTEGER NOT NULL, vk_hash TEXT NOT NULL, model_id TEXT NOT NULL,
              released_at INTEGER NOT NULL, PRIMARY KEY(name, version))
            """,
            "CREATE TABLE nonces(nonce TEXT PRIMARY KEY, seen_at INTEGER NOT NULL)",
            "CREATE TABLE messages(message_id TEXT PRIMARY KEY, sender TEXT NOT NULL, status INTEGER NOT NULL, response BLOB NOT NULL, received_at INTEGER NOT NULL)",
            """
            CREATE TABLE receipts(request_id TEXT PRIMARY KEY, inference_node TEXT NOT NULL, client TEXT NOT NULL,
              client_request_hash TEXT NOT NULL, model_id TEXT NOT NULL, mode TEXT NOT NULL, downgraded INTEGER NOT NULL,
              input_hash TEXT NOT NULL, output_hash TEXT NOT NULL, proof_deadline INTEGER, registration BLOB NOT NULL,
              registered_at INTEGER NOT NULL, status TEXT NOT NULL, reason TEXT, evidence_hash TEXT, log_position INTEGER)
            """,
            "CREATE INDEX receipts_open ON receipts(status, proof_deadline)",
            """
            CREATE TABLE log(position INTEGER PRIMARY KEY, request_id TEXT NOT NULL UNIQUE, previous_hash TEXT NOT NULL,
              statement BLOB NOT NULL, entry_hash TEXT NOT NULL, signature TEXT NOT NULL)
            """,
        ])
    ]

    public init(config: NodeConfig, identity: NodeIdentity, logger: Logger) throws {
        self.config = config
        self.identity = identity
        self.logger = logger
        try FileManager.default.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true)
        database = try NodeDatabase.open(path: config.dataDir + "/full.sqlite", migrations: Self.migrations)
        blobs = try BlobStore(directory: config.dataDir + "/blobs")
        gate = MessageGate(me: identity.publicKeyHex, peers: Set((config.inferenceNodes ?? []).map { $0.publicKey.lowercased() }))
    }

    /// Start-up: checks the log's tail, then derives the keys of every accepted release.
    public func start() throws {
        try checkLogTail()
        let releases = try database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM releases") }
        for row in releases {
            let name: String = row["name"], version: String = row["version"]
            let build = try derive(onnxBlob: row["onnx_blob"], settings: CompileSettings(calibrationBlob: row["calibration_blob"], bits: row["bits"]))
            guard build.verificationKeyHash == row["vk_hash"] as String else {
                throw ConfigError("release \(name)@\(version): the key derived now differs from the one accepted (different zkml version?)")
            }
            models.withLock { $0[build.modelID] = build }
            logger.info("model \(name)@\(version) loaded: \(build.modelID)")
        }
    }

    /// Compiles a release's model from its blobs and runs setup (the proving key is dropped).
    func derive(onnxBlob: String, settings: CompileSettings) throws -> ModelBuild {
        guard let onnx = try blobs.get(onnxBlob) else { throw APIFailure(.unprocessableContent, "unknown_blob", "no blob \(onnxBlob) (upload it first)") }
        guard let calibration = try blobs.get(settings.calibrationBlob) else {
            throw APIFailure(.unprocessableContent, "unknown_blob", "no blob \(settings.calibrationBlob) (upload it first)")
        }
        do { return try ModelBuild.build(onnx: onnx, calibration: calibration, bits: settings.bits).build } catch {
            throw APIFailure(.unprocessableContent, error.code, error.description)
        }
    }

    /// Checks the newest entry against the one before it and this node's key: a damaged tail is
    /// refused at start rather than extended.
    func checkLogTail() throws {
        let rows = try database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM log ORDER BY position DESC LIMIT 2") }
        guard let last = rows.first else { return }
        let entries = rows.reversed().map(Self.entry(from:))
        let previous = entries.count == 2 ? Digest32(hex: entries[0].entryHash) ?? .zero : .zero
        let first = entries.count == 2 ? entries[0].position : (last["position"] as Int64)
        let check = LogExport(node: identity.publicKeyHex, entries: entries.count == 2 ? [entries[1]] : entries)
        do {
            _ = try LogVerifier.verify(check, firstPosition: entries.count == 2 ? first + 1 : first, previousHash: previous)
        } catch { throw ConfigError("the log's newest entry fails its check (\(error)); refusing to extend it") }
    }

    static func entry(from row: Row) -> LogEntry {
        LogEntry(
            position: row["position"], previousHash: row["previous_hash"], statement: (row["statement"] as Data).base64EncodedString(),
            entryHash: row["entry_hash"], signature: row["signature"])
    }

    /// Inside a write transaction: appends the verdict for `receipt` to the log and records it on
    /// the receipt, in the same transaction (so an entry and its index are never half-written).
    func settle(_ db: Database, receipt row: Row, verdict: Verdict, reason: RejectionReason?, evidenceHash: String) throws -> ResultRecord {
        let tail = try Row.fetchOne(db, sql: "SELECT position, entry_hash FROM log ORDER BY position DESC LIMIT 1")
        let previous: (position: Int64, hash: Digest32)? = tail.flatMap { row in
            Digest32(hex: row["entry_hash"] as String).map { (row["position"] as Int64, $0) }
        }
        let statement = LogStatement(
            requestId: row["request_id"], clientRequestHash: row["client_request_hash"], client: row["client"],
            inferenceNode: row["inference_node"], modelId: row["model_id"], inputHash: row["input_hash"], outputHash: row["output_hash"],
            mode: InferenceMode(rawValue: row["mode"]) ?? .vanilla, downgraded: row["downgraded"], evidenceHash: evidenceHash,
            verdict: verdict, reason: reason?.rawValue ?? "", decidedAt: nowMilliseconds())
        let entry = try LogEntry.make(after: previous, statement: statement, by: identity)
        try db.execute(
            sql: "INSERT INTO log(position, request_id, previous_hash, statement, entry_hash, signature) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [entry.position, statement.requestId, entry.previousHash, Data(base64Encoded: entry.statement)!, entry.entryHash, entry.signature])
        try db.execute(
            sql: "UPDATE receipts SET status = ?, reason = ?, evidence_hash = ?, log_position = ? WHERE request_id = ?",
            arguments: [verdict.rawValue, reason?.rawValue, evidenceHash.isEmpty ? nil : evidenceHash, entry.position, statement.requestId])
        switch verdict {
        case .settled: settledCounter.increment()
        case .rejected: rejectedCounter.increment()
        case .expired: expiredCounter.increment()
        }
        return ResultRecord(
            requestId: statement.requestId, status: verdict.status, reason: reason?.rawValue, mode: statement.mode,
            modelId: statement.modelId, evidenceHash: evidenceHash.isEmpty ? nil : evidenceHash, logPosition: entry.position,
            entryHash: entry.entryHash, proofDeadline: row["proof_deadline"])
    }

    static func record(from row: Row, entryHash: String?) -> ResultRecord {
        ResultRecord(
            requestId: row["request_id"], status: RequestStatus(rawValue: row["status"]) ?? .registered, reason: row["reason"],
            mode: InferenceMode(rawValue: row["mode"]) ?? .vanilla, modelId: row["model_id"], evidenceHash: row["evidence_hash"],
            logPosition: row["log_position"], entryHash: entryHash, proofDeadline: row["proof_deadline"])
    }

    /// Expires every zkml receipt whose deadline has passed without a verdict; returns how many.
    public func expireOverdue() async throws -> Int {
        let now = nowMilliseconds()
        return try await database.write { db in
            let overdue = try Row.fetchAll(
                db, sql: "SELECT * FROM receipts WHERE status = 'registered' AND proof_deadline IS NOT NULL AND proof_deadline < ? LIMIT 500",
                arguments: [now])
            for row in overdue { _ = try self.settle(db, receipt: row, verdict: .expired, reason: .deadlineMissed, evidenceHash: "") }
            return overdue.count
        }
    }
}
