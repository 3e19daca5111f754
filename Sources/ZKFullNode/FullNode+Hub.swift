import ZKNodeCore
import Foundation
import GRDB
import ZKNodeProtocol
import ZKSodium

/// The model hub, served by the full node: content-addressed blobs, named repositories owned by
/// a publisher key, and `major.minor` releases. A release is accepted only after this node has
/// compiled the model and derived its verification key itself, and only if the key's hash is the
/// one the publisher signed.
extension FullNode {
    func putBlob(_ bytes: [UInt8]) throws -> BlobReceipt {
        guard !bytes.isEmpty else { throw APIFailure.badRequest("empty_blob", "a blob needs at least one byte") }
        do { return BlobReceipt(id: try blobs.put(bytes), size: bytes.count) } catch {
            throw APIFailure(.internalServerError, "blob_unwritable", "the blob cannot be stored")
        }
    }

    func getBlob(_ id: String) throws -> [UInt8] {
        do {
            guard let bytes = try blobs.get(id) else { throw APIFailure.notFound("blob \(id)") }
            return bytes
        } catch let error as BlobError {
            if case .malformedID = error { throw APIFailure.badRequest("malformed_blob_id", error.description) }
            throw APIFailure(.internalServerError, "blob_corrupt", error.description)
        }
    }

    /// Opens a publisher's signed hub write, checking its freshness; the nonce is recorded by the caller's transaction.
    func openHubWrite<T: Decodable>(_ envelope: SignedEnvelope, as type: T.Type, issuedAt: (T) -> Int64) throws(APIFailure) -> (T, String) {
        let opened: (message: T, signer: Ed25519.PublicKey)
        do { opened = try envelope.open(T.self, kind: .hubWrite) } catch {
            throw APIFailure(error == .badSignature ? .unauthorized : .badRequest, error.code, error.description)
        }
        guard isFresh(issuedAt(opened.message), now: nowMilliseconds()) else {
            throw APIFailure(.unauthorized, "stale_message", "issued_at is outside the freshness window")
        }
        return (opened.message, opened.signer.hex)
    }

    static func recordNonce(_ db: Database, _ nonce: String) throws {
        guard nonce.utf8.count == 32, Hex.decode(nonce) != nil else { throw APIFailure.badRequest("malformed_message", "nonce must be 32 hex digits") }
        if try Row.fetchOne(db, sql: "SELECT 1 FROM nonces WHERE nonce = ?", arguments: [nonce]) != nil {
            throw APIFailure(.conflict, "replayed", "this signed request was received before")
        }
        try db.execute(sql: "INSERT INTO nonces(nonce, seen_at) VALUES (?, ?)", arguments: [nonce, nowMilliseconds()])
    }

    func createModel(_ envelope: SignedEnvelope) async throws -> ModelRecord {
        let (request, owner) = try openHubWrite(envelope, as: CreateModelRequest.self) { $0.issuedAt }
        guard request.action == "create" else { throw APIFailure.badRequest("wrong_action", "expected action \"create\"") }
        guard ModelReference.isValidName(request.name) else {
            throw APIFailure.badRequest("invalid_name", "a model name is 1–64 characters of a-z 0-9 - _ . starting with a letter or digit")
        }
        guard request.description.utf8.count <= 4096 else { throw APIFailure.badRequest("invalid_description", "the description exceeds 4096 bytes") }
        return try await database.write { db in
            try Self.recordNonce(db, request.nonce)
            if try Row.fetchOne(db, sql: "SELECT 1 FROM models WHERE name = ?", arguments: [request.name]) != nil {
                throw APIFailure(.conflict, "model_exists", "a model named \(request.name) exists")
            }
            let now = nowMilliseconds()
            try db.execute(
                sql: "INSERT INTO models(name, owner, description, created_at) VALUES (?, ?, ?, ?)",
                arguments: [request.name, owner, request.description, now])
            return ModelRecord(name: request.name, owner: owner, description: request.description, createdAt: now, releases: [])
        }
    }

    func release(_ envelope: SignedEnvelope, name: String) async throws -> ReleaseRecord {
        let (request, signer) = try openHubWrite(envelope, as: ReleaseModelRequest.self) { $0.issuedAt }
        guard request.action == "release", request.name == name else {
            throw APIFailure.badRequest("wrong_action", "expected action \"release\" for model \(name)")
        }
        guard ModelReference.isValidVersion(request.version) else { throw APIFailure.badRequest("invalid_version", "a version is major.minor") }
        guard BlobStore.isValidID(request.onnxBlob), BlobStore.isValidID(request.settings.calibrationBlob) else {
            throw APIFailure.badRequest("malformed_blob_id", "blob ids are 64 lower-case hex digits")
        }
        let owner = try await database.read { db in try String.fetchOne(db, sql: "SELECT owner FROM models WHERE name = ?", arguments: [name]) }
        guard let owner else { throw APIFailure.notFound("model \(name)") }
        guard owner == signer else { throw APIFailure(.forbidden, "not_owner", "only the model's owner can release it") }
        // Derive the key ourselves (compile + deterministic setup), off the cooperative pool.
        let build = try await offPool { try self.derive(onnxBlob: request.onnxBlob, settings: request.settings) }
        guard build.verificationKeyHash == request.verificationKeyHash else {
            throw APIFailure(
                .unprocessableContent, "verification_key_mismatch",
                "the key this node derived (\(build.verificationKeyHash)) is not the released one (\(request.verificationKeyHash))")
        }
        let record = ReleaseRecord(
            name: name, version: request.version, onnxBlob: request.onnxBlob, settings: request.settings,
            verificationKeyHash: build.verificationKeyHash, modelId: build.modelID, releasedAt: nowMilliseconds())
        try await database.write { db in
            try Self.recordNonce(db, request.nonce)
            if try Row.fetchOne(db, sql: "SELECT 1 FROM releases WHERE name = ? AND version = ?", arguments: [name, request.version]) != nil {
                throw APIFailure(.conflict, "release_exists", "\(name)@\(request.version) is already released")
            }
            try db.execute(
                sql: """
                    INSERT INTO releases(name, version, onnx_blob, calibration_blob, bits, vk_hash, model_id, released_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    name, request.version, request.onnxBlob, request.settings.calibrationBlob, request.settings.bits,
                    record.verificationKeyHash, record.modelId, record.releasedAt,
                ])
        }
        models.withLock { $0[build.modelID] = build }
        logger.info("released \(name)@\(request.version): model \(build.modelID)")
        return record
    }

    func listModels() async throws -> ModelList {
        try await database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM models ORDER BY name")
            return ModelList(models: try rows.map { try Self.model(from: $0, db) })
        }
    }

    func model(named name: String) async throws -> ModelRecord {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM models WHERE name = ?", arguments: [name]) else {
                throw APIFailure.notFound("model \(name)")
            }
            return try Self.model(from: row, db)
        }
    }

    static func model(from row: Row, _ db: Database) throws -> ModelRecord {
        let name: String = row["name"]
        let releases = try Row.fetchAll(db, sql: "SELECT * FROM releases WHERE name = ? ORDER BY released_at", arguments: [name]).map { r in
            ReleaseRecord(
                name: name, version: r["version"], onnxBlob: r["onnx_blob"],
                settings: CompileSettings(calibrationBlob: r["calibration_blob"], bits: r["bits"]), verificationKeyHash: r["vk_hash"],
                modelId: r["model_id"], releasedAt: r["released_at"])
        }
        return ModelRecord(name: name, owner: row["owner"], description: row["description"], createdAt: row["created_at"], releases: releases)
    }

    func release(named name: String, version: String) async throws -> ReleaseRecord {
        let model = try await model(named: name)
        guard let release = model.releases.first(where: { $0.version == version }) else { throw APIFailure.notFound("release \(name)@\(version)") }
        return release
    }
}
