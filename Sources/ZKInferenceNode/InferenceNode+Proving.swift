import ZKNodeCore
import Foundation
import GRDB
import ServiceLifecycle
import ZKField
import ZKNodeProtocol
import ZKParallel
import ZKProver

extension InferenceNode {
    /// Claims the queued job with the earliest deadline (earliest-deadline-first), marking it
    /// `proving` in the same transaction. A job that can no longer meet its deadline (now plus its
    /// predicted cost is past it) is abandoned instead of proven: a late proof would be refused as
    /// expired anyway, and proving it would make the jobs behind it late too. Its receipt expires
    /// on the full node, which is where the miss is recorded.
    func claimJob() async throws -> (requestID: String, modelID: String, input: [Float], predicted: Double)? {
        let predictions = costs.withLock { $0.mapValues(\.predictedSeconds) }
        let (job, abandoned) = try await database.write { db -> ((String, String, [Float], Double)?, [Double]) in
            var abandoned: [Double] = []
            let now = nowMilliseconds()
            while let row = try Row.fetchOne(
                db, sql: "SELECT request_id, model_id, input, predicted_seconds, deadline FROM jobs WHERE status = 'queued' ORDER BY deadline, enqueued_at LIMIT 1")
            {
                let id: String = row["request_id"], modelID: String = row["model_id"], deadline: Int64 = row["deadline"]
                let predicted = predictions[modelID] ?? row["predicted_seconds"]
                if now + Int64(predicted * 1000) > deadline {
                    try db.execute(sql: "UPDATE jobs SET status = 'abandoned', finished_at = ? WHERE request_id = ?", arguments: [now, id])
                    try db.execute(
                        sql: "UPDATE requests SET reason = 'deadline_unreachable', updated_at = ? WHERE request_id = ?", arguments: [now, id])
                    abandoned.append(row["predicted_seconds"])
                    continue
                }
                try db.execute(sql: "UPDATE jobs SET status = 'proving', started_at = ?, attempts = attempts + 1 WHERE request_id = ?", arguments: [now, id])
                try db.execute(sql: "UPDATE requests SET status = 'proving', updated_at = ? WHERE request_id = ?", arguments: [now, id])
                let input = try NodeJSON.decoder.decode([Float].self, from: row["input"] as Data)
                return ((id, modelID, input, row["predicted_seconds"]), abandoned)
            }
            return (nil, abandoned)
        }
        for predicted in abandoned {
            abandonedCounter.increment()
            release(predicted)
        }
        return job.map { (requestID: $0.0, modelID: $0.1, input: $0.2, predicted: $0.3) }
    }

    /// Proves one job (off the cooperative pool) and, in one transaction, marks it proven and
    /// queues the proof's submission in the outbox.
    func prove(requestID: String, modelID: String, input: [Float], predicted: Double) async throws {
        defer { release(predicted) }
        guard let model = models[modelID] else {
            try await failJob(requestID, why: "model \(modelID) is no longer served")
            return
        }
        let delay = config.testProofDelaySeconds ?? 0
        let start = ContinuousClock.now
        let proofBytes: [UInt8]
        do {
            // The pool's parallelism is the core count: each of the W workers proves with cores / W threads.
            let threads = max(1, Parallelism.processorCount / workerCount)
            proofBytes = try await offPool {
                try Parallelism.$threadLimit.withValue(threads) {
                    let inference = try model.build.compiled.run(input: input)
                    let proof = try Prover.prove(provingKey: model.provingKey, witness: inference.witness)
                    return proof.encoded()
                }
            }
        } catch {
            logger.error("proving \(requestID) failed: \(error)")
            try await failJob(requestID, why: "\(error)")
            return
        }
        let measured = Double((ContinuousClock.now - start).nanoseconds) / 1e9
        proofTimer.recordSeconds(measured)
        let (error, model_) = costs.withLock { costs -> (Double, ProofCostModel) in
            var cost = costs[modelID] ?? ProofCostModel(coldStartSeconds: measured)
            let error = cost.record(measuredSeconds: measured)
            costs[modelID] = cost
            return (error, cost)
        }
        predictionError.record(abs(error))
        if delay > 0 { try? await Task.sleep(for: .seconds(delay)) }
        let submission = try NodeJSON.encode(ProofSubmission(requestId: requestID, modelId: modelID, proof: Data(proofBytes).base64EncodedString()))
        try await database.write { db in
            let now = nowMilliseconds()
            try db.execute(
                sql: "UPDATE jobs SET status = 'done', finished_at = ?, measured_seconds = ? WHERE request_id = ?",
                arguments: [now, measured, requestID])
            try db.execute(
                sql: "UPDATE requests SET status = 'proven', updated_at = ? WHERE request_id = ? AND status = 'proving'", arguments: [now, requestID])
            try db.execute(
                sql: "INSERT OR IGNORE INTO outbox(message_id, request_id, kind, body, next_attempt_at) VALUES (?, ?, 'submit', ?, ?)",
                arguments: ["submit:" + requestID, requestID, submission, now])
            try db.execute(
                sql: "INSERT INTO cost_history(model_id, predicted_seconds, samples) VALUES (?, ?, ?) ON CONFLICT(model_id) DO UPDATE SET predicted_seconds = excluded.predicted_seconds, samples = excluded.samples",
                arguments: [modelID, model_.predictedSeconds, model_.samples])
        }
    }

    /// A job that cannot be proven: no proof will be submitted, so the full node expires the
    /// receipt at its deadline (the failure is visible there, not only here).
    func failJob(_ requestID: String, why: String) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE jobs SET status = 'failed', finished_at = ? WHERE request_id = ?", arguments: [nowMilliseconds(), requestID])
            try db.execute(
                sql: "UPDATE requests SET reason = ?, updated_at = ? WHERE request_id = ?",
                arguments: [RejectionReason.provingFailed.rawValue, nowMilliseconds(), requestID])
        }
    }
}

/// The proving workers (as many as `workers`, by default one per core, each proving with
/// cores / workers threads): each takes the next job, proves it, and repeats; an idle worker
/// looks for a job every 5 ms.
/// On graceful shutdown a worker finishes the proof it is making and takes no new one; queued
/// jobs stay in the store for the next start.
package struct ProvingWorkers: Service {
    let node: InferenceNode

    package init(node: InferenceNode) { self.node = node }

    package func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<node.workerCount {
                group.addTask {
                    while !Task.isShuttingDownGracefully && !Task.isCancelled {
                        do {
                            if let job = try await node.claimJob() {
                                try await node.prove(requestID: job.requestID, modelID: job.modelID, input: job.input, predicted: job.predicted)
                            } else {
                                try? await Task.sleep(for: .milliseconds(5))
                            }
                        } catch {
                            node.logger.error("worker: \(error)")
                            try? await Task.sleep(for: .milliseconds(200))
                        }
                    }
                }
            }
        }
    }
}
