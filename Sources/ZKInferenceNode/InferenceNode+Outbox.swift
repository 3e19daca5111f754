import ZKNodeCore
import Foundation
import GRDB
import ServiceLifecycle
import ZKNodeProtocol

extension InferenceNode {
    /// Delivers pending outbox messages to the full node, oldest first and never a message before
    /// an earlier undelivered one of the same request (a proof never overtakes its registration).
    /// Each attempt is signed anew (fresh `sent_at` and nonce) under the same message id, so the
    /// full node answers a retry with its first answer. Returns how many were delivered.
    func deliverPending(http: NodeHTTPClient? = nil) async throws -> Int {
        let http = http ?? client
        let now = nowMilliseconds()
        let batch = try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, message_id, request_id, kind, body, attempts FROM outbox o
                    WHERE delivered_at IS NULL AND next_attempt_at <= ?
                      AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.request_id = o.request_id AND p.seq < o.seq AND p.delivered_at IS NULL)
                    ORDER BY seq LIMIT 32
                    """, arguments: [now])
        }
        // Different requests' messages go out concurrently (the query picks at most one per request).
        return await withTaskGroup(of: Bool.self) { group in
            var inFlight = 0, delivered = 0
            for row in batch {
                if inFlight == Self.outboxConcurrency, let ok = await group.next() {
                    inFlight -= 1
                    if ok { delivered += 1 }
                }
                let message = OutboxMessage(
                    seq: row["seq"], messageID: row["message_id"], kind: row["kind"], body: row["body"], attempts: row["attempts"])
                group.addTask { await self.deliver(message, http: http) }
                inFlight += 1
            }
            for await ok in group where ok { delivered += 1 }
            return delivered
        }
    }

    /// Deliveries in flight at once.
    static var outboxConcurrency: Int { 8 }

    struct OutboxMessage: Sendable {
        var seq: Int64
        var messageID: String
        var kind: String
        var body: Data
        var attempts: Int
    }

    /// One delivery attempt; true when the full node acknowledged it.
    func deliver(_ row: OutboxMessage, http: NodeHTTPClient) async -> Bool {
        let kind = row.kind, messageID = row.messageID, body = row.body
        do {
            let envelope: SignedEnvelope
            let path: String
            if kind == "register" {
                let registration = try NodeJSON.decoder.decode(Registration.self, from: body)
                envelope = try SignedEnvelope.seal(
                    NodeMessage(messageId: messageID, recipient: fullNode.publicKey, sentAt: nowMilliseconds(), body: registration),
                    kind: .nodeMessage, by: identity)
                path = "/v1/receipts"
            } else {
                let submission = try NodeJSON.decoder.decode(ProofSubmission.self, from: body)
                envelope = try SignedEnvelope.seal(
                    NodeMessage(messageId: messageID, recipient: fullNode.publicKey, sentAt: nowMilliseconds(), body: submission),
                    kind: .nodeMessage, by: identity)
                path = "/v1/proofs"
            }
            let record = try await http.post(fullNodeURL + path, json: envelope, as: ResultRecord.self)
            try await markDelivered(seq: row.seq, record: record, kind: kind, error: nil)
            return true
        } catch let error as NodeCallError where !error.isTransient {
            // Refused for good (e.g. a registration the full node finds inconsistent): stop retrying, keep the reason.
            logger.error("full node refused \(messageID): \(error)")
            try? await markDelivered(seq: row.seq, record: nil, kind: kind, error: "\(error)")
            if case .refused(_, let code, _, _) = error {
                // The full node will never settle it: the request ends here, rejected with the full node's code.
                try? await database.write { db in
                    try db.execute(
                        sql: "UPDATE requests SET status = 'rejected', reason = ?, updated_at = ? WHERE request_id = (SELECT request_id FROM outbox WHERE seq = ?)",
                        arguments: [code, nowMilliseconds(), row.seq])
                }
            }
            return false
        } catch {
            let backoff = min(5000, 100 << min(row.attempts, 6))
            try? await database.write { db in
                try db.execute(
                    sql: "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE seq = ?",
                    arguments: [nowMilliseconds() + Int64(backoff), "\(error)", row.seq])
            }
            return false
        }
    }

    func markDelivered(seq: Int64, record: ResultRecord?, kind: String, error: String?) async throws {
        try await database.write { db in
            let now = nowMilliseconds()
            try db.execute(sql: "UPDATE outbox SET delivered_at = ?, last_error = ? WHERE seq = ?", arguments: [now, error, seq])
            guard let record else { return }
            if record.status.isFinal {
                try db.execute(
                    sql: "UPDATE requests SET status = ?, reason = ?, log_position = ?, updated_at = ? WHERE request_id = ?",
                    arguments: [record.status.rawValue, record.reason, record.logPosition, now, record.requestId])
            } else if kind == "submit" {
                try db.execute(sql: "UPDATE requests SET status = 'submitted', updated_at = ? WHERE request_id = ?", arguments: [now, record.requestId])
            }
        }
    }

    func pendingOutboxCount() async -> Int {
        (try? await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL") ?? 0 }) ?? 0
    }
}

/// The outbox sender: delivers until shutdown, then keeps flushing for up to five seconds.
package struct OutboxSender: Service {
    let node: InferenceNode

    package init(node: InferenceNode) { self.node = node }

    package func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let sent = (try? await node.deliverPending()) ?? 0
            node.outboxGauge.record(await node.pendingOutboxCount())
            if sent == 0 { try? await Task.sleep(for: .milliseconds(5)) }
        }
        // Shutdown: flush for about five seconds, each call limited to one second, then leave the
        // rest in the store for the next start.
        let stop = ContinuousClock.now + .seconds(5)
        let quick = NodeHTTPClient(client: node.client.client, timeout: .seconds(1))
        while ContinuousClock.now < stop, await node.pendingOutboxCount() > 0 {
            if (try? await node.deliverPending(http: quick)) ?? 0 == 0 { try? await Task.sleep(for: .milliseconds(50)) }
        }
    }
}
