import ZKNodeCore
import Foundation
import GRDB
import ZKNodeProtocol
import ZKSodium

/// The checks every node-to-node message passes before its body is looked at: a valid signature
/// by a pinned peer, addressed to this node, sent within the freshness window, and a nonce not
/// seen before (a replay of the same signed bytes is refused with 409 `replayed`). Messages are
/// idempotent by `message_id` (``StoredAnswer``): a retry, re-signed with a fresh nonce, gets the
/// first answer.
struct MessageGate: Sendable {
    let me: String
    let peers: Set<String>

    func open<Body: Codable & Sendable>(_ envelope: SignedEnvelope, as body: Body.Type) throws(APIFailure) -> (NodeMessage<Body>, signer: String) {
        let opened: (message: NodeMessage<Body>, signer: Ed25519.PublicKey)
        do { opened = try envelope.open(NodeMessage<Body>.self, kind: .nodeMessage) } catch {
            throw APIFailure(error == .badSignature ? .unauthorized : .badRequest, error.code, error.description)
        }
        let signer = opened.signer.hex
        guard peers.contains(signer) else { throw APIFailure(.forbidden, "unknown_peer", "the signer \(signer) is not a pinned peer of this node") }
        let message = opened.message
        guard message.recipient == me else { throw APIFailure(.forbidden, "wrong_recipient", "the message is addressed to another node") }
        guard isFresh(message.sentAt, now: nowMilliseconds()) else {
            throw APIFailure(.unauthorized, "stale_message", "sent_at is outside the freshness window of \(NodeMessage<Body>.freshnessWindowMilliseconds / 1000) s")
        }
        guard message.messageId.utf8.count <= 128, !message.messageId.isEmpty, message.nonce.utf8.count == 32, Hex.decode(message.nonce) != nil else {
            throw .badRequest("malformed_message", "message_id must be 1–128 bytes and nonce 32 hex digits")
        }
        return (message, signer)
    }

    /// Inside the write transaction: records the nonce (refusing one seen before) and returns the
    /// stored first answer to this message id, if any.
    static func admit(_ db: Database, messageId: String, nonce: String) throws -> StoredAnswer? {
        let now = nowMilliseconds()
        if try Row.fetchOne(db, sql: "SELECT 1 FROM nonces WHERE nonce = ?", arguments: [nonce]) != nil {
            throw APIFailure(.conflict, "replayed", "this signed message was received before (nonce already seen)")
        }
        try db.execute(sql: "INSERT INTO nonces(nonce, seen_at) VALUES (?, ?)", arguments: [nonce, now])
        // Nonces older than twice the freshness window can never be accepted again anyway.
        try db.execute(sql: "DELETE FROM nonces WHERE seen_at < ?", arguments: [now - 2 * NodeMessage<String>.freshnessWindowMilliseconds])
        guard let row = try Row.fetchOne(db, sql: "SELECT status, response FROM messages WHERE message_id = ?", arguments: [messageId]) else {
            return nil
        }
        return StoredAnswer(status: row["status"], body: row["response"])
    }

    static func remember(_ db: Database, messageId: String, sender: String, answer: StoredAnswer) throws {
        try db.execute(
            sql: "INSERT INTO messages(message_id, sender, status, response, received_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [messageId, sender, answer.status, answer.body, nowMilliseconds()])
    }
}

/// A first answer kept for idempotent replies.
struct StoredAnswer: Sendable {
    var status: Int
    var body: Data
}
