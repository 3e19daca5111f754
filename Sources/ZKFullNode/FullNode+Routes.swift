import ZKNodeCore
import Foundation
import GRDB
import Hummingbird
import NIOCore
import ZKNodeProtocol
import ZKVerifier

extension FullNode {
    /// The full node's HTTP API (openapi.yaml).
    package func routes(into router: Router<BasicRequestContext>) {
        let limit = config.resolvedMaxBodyBytes
        router.get("/v1/info") { _, _ in
            HTTPJSON.response(NodeInfo(
                role: "full", publicKey: self.identity.publicKeyHex, version: NodeVersion.tool, proofFormat: NodeVersion.proofFormat,
                models: self.models.withLock { Array($0.keys).sorted() }))
        }
        router.get("/readyz") { _, _ in
            let writable = await NodeDatabase.isWritable(self.database)
            let body = HealthBody(status: writable ? "ready" : "not_ready", checks: ["store": writable ? "writable" : "not writable"])
            return HTTPJSON.response(body, status: writable ? .ok : .serviceUnavailable)
        }
        router.post("/v1/receipts") { request, _ in
            let envelope = try HTTPJSON.decode(SignedEnvelope.self, from: try await HTTPJSON.body(request, limit: limit))
            return Self.reply(try await self.register(envelope))
        }
        router.post("/v1/proofs") { request, _ in
            let envelope = try HTTPJSON.decode(SignedEnvelope.self, from: try await HTTPJSON.body(request, limit: limit))
            return Self.reply(try await self.submit(envelope))
        }
        router.get("/v1/results/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard id.utf8.count == 64, Hex.decode(id) != nil else { throw APIFailure.badRequest("malformed_request_id", "a request id is 64 hex digits") }
            return HTTPJSON.response(try await self.result(id.lowercased()))
        }
        router.get("/v1/log") { request, _ in
            let after = try Self.integerParameter(request, "after", default: 0, range: 0...Int64.max)
            let count = try Self.integerParameter(request, "limit", default: 1000, range: 1...1000)
            return HTTPJSON.response(try await self.logPage(after: after, limit: Int(count)))
        }
        // Hub.
        router.post("/v1/blobs") { request, _ in
            HTTPJSON.response(try self.putBlob(try await HTTPJSON.body(request, limit: BlobStore.maximumBlobBytes)), status: .created)
        }
        router.get("/v1/blobs/{id}") { _, context in
            let bytes = try self.getBlob(try context.parameters.require("id"))
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/v1/models") { _, _ in HTTPJSON.response(try await self.listModels()) }
        router.post("/v1/models") { request, _ in
            let envelope = try HTTPJSON.decode(SignedEnvelope.self, from: try await HTTPJSON.body(request, limit: limit))
            return HTTPJSON.response(try await self.createModel(envelope), status: .created)
        }
        router.get("/v1/models/{name}") { _, context in
            HTTPJSON.response(try await self.model(named: try context.parameters.require("name")))
        }
        router.post("/v1/models/{name}/releases") { request, context in
            let envelope = try HTTPJSON.decode(SignedEnvelope.self, from: try await HTTPJSON.body(request, limit: limit))
            return HTTPJSON.response(try await self.release(envelope, name: try context.parameters.require("name")), status: .created)
        }
        router.get("/v1/models/{name}/releases/{version}") { _, context in
            HTTPJSON.response(try await self.release(
                named: try context.parameters.require("name"), version: try context.parameters.require("version")))
        }
    }

    static func reply(_ answer: StoredAnswer) -> Response {
        Response(
            status: HTTPResponse.Status(code: answer.status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(data: answer.body)))
    }

    static func integerParameter(_ request: Request, _ name: String, default value: Int64, range: ClosedRange<Int64>) throws(APIFailure) -> Int64 {
        guard let text = request.uri.queryParameters[name[...]] else { return value }
        guard let parsed = Int64(String(text)), range.contains(parsed) else {
            throw .badRequest("invalid_parameter", "\(name) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return parsed
    }

    func result(_ id: String) async throws -> ResultRecord {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM receipts WHERE request_id = ?", arguments: [id]) else {
                throw APIFailure.notFound("request \(id)")
            }
            let entryHash = try String.fetchOne(db, sql: "SELECT entry_hash FROM log WHERE request_id = ?", arguments: [id])
            return Self.record(from: row, entryHash: entryHash)
        }
    }

    func logPage(after: Int64, limit: Int) async throws -> LogPage {
        try await database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM log WHERE position > ? ORDER BY position LIMIT ?", arguments: [after, limit])
            let head = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) FROM log") ?? 0
            return LogPage(node: self.identity.publicKeyHex, entries: rows.map(Self.entry(from:)), head: head)
        }
    }
}
