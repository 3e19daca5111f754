import ZKNodeCore
import Foundation
import GRDB
import Logging
import Metrics
import Synchronization
import ZKCompiler
import ZKField
import ZKNodeProtocol
import ZKSetup
import ZKSodium

/// An inference node: runs models from the hub, answers at once with a provisional output and a
/// signed receipt, registers the receipt with its full node, and proves in the background.
///
/// Accepted means durable: the request row, its proof job and the outgoing registration are
/// committed in one transaction before the answer leaves the node (a transactional outbox), so a
/// killed node resumes its jobs and its unsent messages when it restarts.
public final class InferenceNode: Sendable {
    let config: NodeConfig
    let identity: NodeIdentity
    let database: DatabasePool
    let logger: Logger
    let fullNode: NodeConfig.Peer
    let client: NodeHTTPClient
    /// Models served, by reference (`name@version`) and by model id.
    let models: [String: LoadedModel]
    let workerCount: Int
    let queue = Mutex(QueueState())
    let costs: Mutex<[String: ProofCostModel]>

    struct LoadedModel: Sendable {
        var reference: String
        var build: ModelBuild
        var provingKey: ProvingKey<Fr>
    }

    /// Predicted work admitted and not yet proven: what admission and `/readyz` look at.
    struct QueueState: Sendable {
        var jobs = 0
        var predictedSeconds = 0.0
    }

    let requestCounter = Counter(label: "zkml_inference_requests_total")
    let refusedCounter = Counter(label: "zkml_inference_refused_total")
    let downgradedCounter = Counter(label: "zkml_inference_downgraded_total")
    let replayCounter = Counter(label: "zkml_inference_idempotent_replays_total")
    let inferenceTimer = Timer(label: "zkml_inference_seconds")
    let proofTimer = Timer(label: "zkml_proof_seconds")
    /// The absolute relative error of each proof-time prediction, |measured − predicted| / predicted.
    let predictionError = Recorder(label: "zkml_proof_prediction_relative_error")
    let queueDepthGauge = Gauge(label: "zkml_proof_queue_jobs")
    let queueSecondsGauge = Gauge(label: "zkml_proof_queue_predicted_seconds")
    let outboxGauge = Gauge(label: "zkml_outbox_pending")
    let abandonedCounter = Counter(label: "zkml_proof_jobs_abandoned_total")

    static let migrations: [(String, [String])] = [
        ("v1", [
            """
            CREATE TABLE requests(request_id TEXT PRIMARY KEY, client_request BLOB NOT NULL, client_request_hash TEXT NOT NULL,
              model_id TEXT NOT NULL, mode TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, response BLOB NOT NULL,
              proof_deadline INTEGER, log_position INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)
            """,
            """
            CREATE TABLE jobs(request_id TEXT PRIMARY KEY REFERENCES requests(request_id), model_id TEXT NOT NULL, input BLOB NOT NULL,
              status TEXT NOT NULL, predicted_seconds REAL NOT NULL, deadline INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
              enqueued_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER, measured_seconds REAL)
            """,
            "CREATE INDEX jobs_queue ON jobs(status, deadline)",
            """
            CREATE TABLE outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL UNIQUE, request_id TEXT NOT NULL,
              kind TEXT NOT NULL, body BLOB NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
              delivered_at INTEGER, last_error TEXT)
            """,
            "CREATE INDEX outbox_pending ON outbox(delivered_at, seq)",
            "CREATE INDEX outbox_request ON outbox(request_id, seq)",
            "CREATE TABLE cost_history(model_id TEXT PRIMARY KEY, predicted_seconds REAL NOT NULL, samples INTEGER NOT NULL)",
        ])
    ]

    /// Opens the store, pulls and builds every configured model from the hub (checking each blob
    /// against its id and the derived key against the release), and requeues interrupted jobs.
    public static func start(config: NodeConfig, identity: NodeIdentity, logger: Logger) async throws -> InferenceNode {
        try FileManager.default.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true)
        let database = try NodeDatabase.open(path: config.dataDir + "/inference.sqlite", migrations: migrations)
        let client = NodeHTTPClient()
        let fullNode = config.fullNode!
        let hub = ModelHubClient(baseURL: fullNode.url!, http: client)
        var models: [String: LoadedModel] = [:]
        for reference in config.models ?? [] {
            guard case .release(let name, let version) = ModelReference(reference) else { continue }
            let (release, onnx, calibration) = try await hub.pull(name: name, version: version)
            let (build, provingKey) = try await offPool {
                try ModelBuild.build(onnx: onnx, calibration: calibration, bits: release.settings.bits)
            }
            guard build.verificationKeyHash == release.verificationKeyHash else {
                throw ConfigError("\(reference): the key derived here is not the released key \(release.verificationKeyHash)")
            }
            let loaded = LoadedModel(reference: reference, build: build, provingKey: provingKey)
            models[reference] = loaded
            models[build.modelID] = loaded
            logger.info("serving \(reference): model \(build.modelID)")
        }
        var costs: [String: ProofCostModel] = [:]
        let history = try await database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM cost_history") }
        for model in models.values { costs[model.build.modelID] = ProofCostModel(coldStartSeconds: ProofCostModel.coldStartSeconds(circuit: model.build.compiled.circuit)) }
        for row in history where costs[row["model_id"]] != nil {
            costs[row["model_id"]] = ProofCostModel(coldStartSeconds: row["predicted_seconds"], samples: row["samples"])
        }
        let node = InferenceNode(
            config: config, identity: identity, database: database, logger: logger, fullNode: fullNode, client: client, models: models,
            costs: costs)
        try await node.requeueInterruptedJobs()
        return node
    }

    init(
        config: NodeConfig, identity: NodeIdentity, database: DatabasePool, logger: Logger, fullNode: NodeConfig.Peer, client: NodeHTTPClient,
        models: [String: LoadedModel], costs: [String: ProofCostModel]
    ) {
        self.config = config
        self.identity = identity
        self.database = database
        self.logger = logger
        self.fullNode = fullNode
        self.client = client
        self.models = models
        self.costs = Mutex(costs)
        workerCount = config.resolvedWorkers
    }

    /// Jobs a killed process left `proving` go back to `queued` (proving is deterministic, so
    /// proving again is safe); the queue's accounting is rebuilt from the store.
    func requeueInterruptedJobs() async throws {
        let (jobs, seconds) = try await database.write { db -> (Int, Double) in
            try db.execute(sql: "UPDATE jobs SET status = 'queued' WHERE status = 'proving'")
            try db.execute(sql: "UPDATE requests SET status = 'queued', updated_at = ? WHERE status = 'proving'", arguments: [nowMilliseconds()])
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(predicted_seconds), 0) AS s FROM jobs WHERE status = 'queued'")!
            return (row["n"], row["s"])
        }
        queue.withLock { $0 = QueueState(jobs: jobs, predictedSeconds: seconds) }
        if jobs > 0 { logger.info("resuming \(jobs) queued proof jobs") }
        publishQueue()
    }

    func publishQueue() {
        let state = queue.withLock { $0 }
        queueDepthGauge.record(state.jobs)
        queueSecondsGauge.record(state.predictedSeconds)
    }

    func model(for reference: String) -> LoadedModel? {
        switch ModelReference(reference) {
        case .id(let id): models[id]
        case .release: models[reference]
        case nil: nil
        }
    }

    var servedReferences: [String] { Set(models.values.map(\.reference)).sorted() }
}
