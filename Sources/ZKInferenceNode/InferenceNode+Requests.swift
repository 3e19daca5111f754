import ZKNodeCore
import Foundation
import GRDB
import ZKCompiler
import ZKNodeProtocol
import ZKSodium
import ZKVerifier

extension InferenceNode {
    /// `POST /v1/infer`: runs the integer inference and answers at once with the provisional
    /// output and a signed receipt; admits a `zkml` request only when its proof is predicted to
    /// finish before its deadline (else 429 with Retry-After, or a recorded downgrade to vanilla
    /// when the client allowed it).
    func infer(_ envelope: SignedEnvelope) async throws -> InferResponse {
        let request: InferenceRequest, client: Ed25519.PublicKey
        do { (request, client) = try envelope.open(InferenceRequest.self, kind: .inferenceRequest) } catch {
            throw APIFailure(error == .badSignature ? .unauthorized : .badRequest, error.code, error.description)
        }
        guard (1...InferenceRequest.maximumIdempotencyKeyLength).contains(request.idempotencyKey.utf8.count) else {
            throw APIFailure.badRequest("invalid_idempotency_key", "the idempotency key must have 1–\(InferenceRequest.maximumIdempotencyKeyLength) bytes")
        }
        let requestID = InferenceRequest.requestID(client: client, idempotencyKey: request.idempotencyKey)
        let requestHash = envelope.payloadHash!.description
        if let first = try await firstAnswer(requestID: requestID, requestHash: requestHash) {
            replayCounter.increment()
            return first
        }
        guard isFresh(request.issuedAt, now: nowMilliseconds()) else {
            throw APIFailure(.unauthorized, "stale_request", "issued_at is outside the freshness window of \(NodeMessage<String>.freshnessWindowMilliseconds / 1000) s")
        }
        guard let model = model(for: request.model) else {
            throw APIFailure(.notFound, "unknown_model", "this node does not serve \(request.model) (it serves \(servedReferences.joined(separator: ", ")))")
        }
        let size = model.build.compiled.inputShape.reduce(1, *)
        guard request.input.count == size else {
            throw APIFailure.badRequest("invalid_input", "the input has \(request.input.count) values; \(model.reference) takes \(size) (shape \(model.build.compiled.inputShape))")
        }
        guard request.input.allSatisfy(\.isFinite) else { throw APIFailure.badRequest("invalid_input", "the input has a value that is not finite") }
        // Token ids outside the vocabulary have no public input (CompiledModel.quantizeInput).
        if model.build.compiled.inputQuantization == .oneHot {
            do { _ = try model.build.compiled.quantizeInput(request.input) } catch {
                throw APIFailure.badRequest("invalid_input", "\(error)")
            }
        }

        // Admission (zkml): reserve the predicted work now; released if anything below fails.
        let now = nowMilliseconds()
        var mode = request.mode
        var downgraded = false
        var reservation: Double?
        let deadline = now + Int64(config.resolvedProofDeadlineSeconds * 1000)
        if mode == .zkml {
            switch admit(modelID: model.build.modelID, deadlineSeconds: config.resolvedProofDeadlineSeconds) {
            case .admitted(let predicted): reservation = predicted
            case .refused(let retryAfter, let why):
                if request.allowDowngrade {
                    mode = .vanilla
                    downgraded = true
                    downgradedCounter.increment()
                } else {
                    refusedCounter.increment()
                    throw APIFailure(.tooManyRequests, "proof_capacity", why, retryAfter: retryAfter)
                }
            }
        }
        do {
            let start = ContinuousClock.now
            let inference = try await offPool { try model.build.compiled.run(input: request.input) }
            inferenceTimer.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
            requestCounter.increment()
            let receipt = Receipt(
                requestId: requestID, clientRequestHash: requestHash, client: client.hex, inferenceNode: identity.publicKeyHex,
                modelId: model.build.modelID, modelReference: request.model,
                inputHash: ProofStatement.inputHash(of: inference.quantizedInput).description,
                outputHash: NodeHash.outputHash(inference.outputIntegers).description, outputIntegers: inference.outputIntegers, mode: mode,
                requestedMode: request.mode, downgraded: downgraded, issuedAt: now, proofDeadline: mode == .zkml ? deadline : nil)
            let signedReceipt = try SignedEnvelope.seal(receipt, kind: .receipt, by: identity)
            let attestation = mode == .tee
                ? try SignedEnvelope.seal(
                    TEEAttestation(
                        requestId: requestID, modelId: receipt.modelId, inputHash: receipt.inputHash, outputHash: receipt.outputHash,
                        measurement: TEEAttestation.simulatedMeasurement, issuedAt: now), kind: .attestation, by: identity)
                : nil
            let response = InferResponse(
                requestId: requestID, status: mode == .zkml ? .queued : .submitted, provisional: true, mode: mode, requestedMode: request.mode,
                downgraded: downgraded, modelId: receipt.modelId, output: inference.output, outputIntegers: inference.outputIntegers,
                receipt: signedReceipt, attestation: attestation, proofDeadline: receipt.proofDeadline, replayed: false)
            let registration = try NodeJSON.encode(Registration(clientRequest: envelope, receipt: signedReceipt, attestation: attestation))
            let responseBytes = try NodeJSON.encode(response)
            let inputBytes = try NodeJSON.encode(request.input)
            let (finalMode, reserved) = (mode, reservation)
            let stored = try await database.write { db -> InferResponse? in
                if let existing = try Row.fetchOne(db, sql: "SELECT client_request_hash, response FROM requests WHERE request_id = ?", arguments: [requestID]) {
                    return try Self.replay(existing, requestHash: requestHash)
                }
                try db.execute(
                    sql: """
                        INSERT INTO requests(request_id, client_request, client_request_hash, model_id, mode, status, response, proof_deadline, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        requestID, try NodeJSON.encode(envelope), requestHash, receipt.modelId, finalMode.rawValue, response.status.rawValue,
                        responseBytes, receipt.proofDeadline, now, now,
                    ])
                if let reserved {
                    try db.execute(
                        sql: "INSERT INTO jobs(request_id, model_id, input, status, predicted_seconds, deadline, enqueued_at) VALUES (?, ?, ?, 'queued', ?, ?, ?)",
                        arguments: [requestID, receipt.modelId, inputBytes, reserved, deadline, now])
                }
                try db.execute(
                    sql: "INSERT INTO outbox(message_id, request_id, kind, body, next_attempt_at) VALUES (?, ?, 'register', ?, ?)",
                    arguments: ["register:" + requestID, requestID, registration, now])
                return nil
            }
            if let stored {
                // A concurrent duplicate won the race: release our reservation, answer with the first.
                if let reservation { release(reservation) }
                return stored
            }
            return response
        } catch {
            if let reservation { release(reservation) }
            throw error
        }
    }

    /// The first answer to this request id, marked `replayed`; 409 if the id was used with other bytes.
    func firstAnswer(requestID: String, requestHash: String) async throws -> InferResponse? {
        guard let row = try await database.read({ db in
            try Row.fetchOne(db, sql: "SELECT client_request_hash, response FROM requests WHERE request_id = ?", arguments: [requestID])
        }) else { return nil }
        return try Self.replay(row, requestHash: requestHash)
    }

    static func replay(_ row: Row, requestHash: String) throws -> InferResponse {
        guard row["client_request_hash"] as String == requestHash else {
            throw APIFailure(.conflict, "idempotency_conflict", "this idempotency key was used for a different request")
        }
        var first = try NodeJSON.decoder.decode(InferResponse.self, from: row["response"] as Data)
        first.replayed = true
        return first
    }

    enum Admission {
        case admitted(predictedSeconds: Double)
        case refused(retryAfter: Int, why: String)
    }

    /// Admission by predicted completion: `now + (work queued ahead) / workers + own cost` must be
    /// before the deadline, and the queue must stay under its bounds (jobs and predicted seconds).
    func admit(modelID: String, deadlineSeconds: Double) -> Admission {
        let predicted = costs.withLock { $0[modelID]?.predictedSeconds ?? 1 }
        let workers = Double(workerCount)
        let maxJobs = config.resolvedMaxQueuedJobs, maxSeconds = config.resolvedMaxQueuedSeconds
        let result: Admission = queue.withLock { state in
            let completion = state.predictedSeconds / workers + predicted
            let retryAfter = max(1, Int((state.predictedSeconds / workers).rounded(.up)))
            if state.jobs + 1 > maxJobs {
                return .refused(retryAfter: retryAfter, why: "the proof queue holds \(state.jobs) jobs (bound \(maxJobs))")
            }
            if state.predictedSeconds + predicted > maxSeconds {
                return .refused(retryAfter: retryAfter, why: "the proof queue holds \(Int(state.predictedSeconds)) s of predicted proving (bound \(Int(maxSeconds)) s)")
            }
            if completion > deadlineSeconds {
                return .refused(retryAfter: retryAfter, why: String(format: "the proof would finish in %.1f s, after its %.0f s deadline", completion, deadlineSeconds))
            }
            state.jobs += 1
            state.predictedSeconds += predicted
            return .admitted(predictedSeconds: predicted)
        }
        publishQueue()
        return result
    }

    func release(_ predictedSeconds: Double) {
        queue.withLock { state in
            state.jobs = max(0, state.jobs - 1)
            state.predictedSeconds = max(0, state.predictedSeconds - predictedSeconds)
        }
        publishQueue()
    }

    /// `GET /v1/requests/{id}`: the local status; a request not yet final here is looked up on
    /// the full node, whose verdict (settled, rejected, expired) is the one that counts.
    func status(of requestID: String) async throws -> RequestStatusResponse {
        guard let row = try await database.read({ db in
            try Row.fetchOne(db, sql: "SELECT * FROM requests WHERE request_id = ?", arguments: [requestID])
        }) else { throw APIFailure.notFound("request \(requestID)") }
        var status = RequestStatus(rawValue: row["status"]) ?? .queued
        var reason: String? = row["reason"]
        var position: Int64? = row["log_position"]
        if !status.isFinal, status == .submitted || (row["proof_deadline"] as Int64?).map({ $0 < nowMilliseconds() }) == true,
            let record = try? await NodeHTTPClient(client: client.client, timeout: .seconds(2)).get(
                "\(fullNodeURL)/v1/results/\(requestID)", as: ResultRecord.self), record.status.isFinal
        {
            status = record.status
            reason = record.reason
            position = record.logPosition
            try await recordVerdict(record)
        }
        let mode = InferenceMode(rawValue: row["mode"]) ?? .vanilla
        return RequestStatusResponse(
            requestId: requestID, status: status, reason: reason, mode: mode, modelId: row["model_id"], proofDeadline: row["proof_deadline"],
            logPosition: position, attestation: mode == .tee ? "simulated (signed by the inference node's key; no enclave yet)" : nil,
            updatedAt: row["updated_at"])
    }

    /// Stores a final verdict of the full node on the request.
    func recordVerdict(_ record: ResultRecord) async throws {
        guard record.status.isFinal else { return }
        try await database.write { db in
            try db.execute(
                sql: "UPDATE requests SET status = ?, reason = ?, log_position = ?, updated_at = ? WHERE request_id = ?",
                arguments: [record.status.rawValue, record.reason, record.logPosition, nowMilliseconds(), record.requestId])
        }
    }

    var fullNodeURL: String {
        let url = fullNode.url!
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
