import ZKNodeCore
import Foundation
import GRDB
import ZKField
import ZKNodeProtocol
import ZKSodium
import ZKVerifier

extension FullNode {
    /// `POST /v1/receipts`: an inference node registers the receipt it just gave a client.
    ///
    /// The receipt is checked against the client's signed request (request id, request hash,
    /// model, mode, and the input: this node quantizes the client's input with the model it
    /// compiled itself and compares the hash) before it is stored; `vanilla` and `tee` results are
    /// settled at once on their signatures, `zkml` results wait for their proof until the deadline.
    func register(_ envelope: SignedEnvelope) async throws -> StoredAnswer {
        let (message, sender) = try gate.open(envelope, as: Registration.self)
        let checked = try checkRegistration(message.body, sender: sender)
        let registration = try NodeJSON.encode(message.body)
        return try await database.write { db in
            if let first = try MessageGate.admit(db, messageId: message.messageId, nonce: message.nonce) { return first }
            var record: ResultRecord
            if let existing = try Row.fetchOne(db, sql: "SELECT * FROM receipts WHERE request_id = ?", arguments: [checked.receipt.requestId]) {
                // A second registration of the same request (another message id): the first stands.
                record = Self.record(from: existing, entryHash: nil)
            } else {
                let r = checked.receipt
                try db.execute(
                    sql: """
                        INSERT INTO receipts(request_id, inference_node, client, client_request_hash, model_id, mode, downgraded,
                          input_hash, output_hash, proof_deadline, registration, registered_at, status)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'registered')
                        """,
                    arguments: [
                        r.requestId, r.inferenceNode, r.client, r.clientRequestHash, r.modelId, r.mode.rawValue, r.downgraded,
                        r.inputHash, r.outputHash, r.proofDeadline, registration, nowMilliseconds(),
                    ])
                let row = try Row.fetchOne(db, sql: "SELECT * FROM receipts WHERE request_id = ?", arguments: [r.requestId])!
                switch r.mode {
                case .zkml: record = Self.record(from: row, entryHash: nil)
                case .vanilla: record = try self.settle(db, receipt: row, verdict: .settled, reason: nil, evidenceHash: message.body.receipt.hash.description)
                case .tee: record = try self.settle(db, receipt: row, verdict: .settled, reason: nil, evidenceHash: message.body.attestation!.hash.description)
                }
            }
            let answer = StoredAnswer(status: 200, body: try NodeJSON.encode(record))
            try MessageGate.remember(db, messageId: message.messageId, sender: sender, answer: answer)
            return answer
        }
    }

    struct CheckedRegistration {
        var receipt: Receipt
        var request: InferenceRequest
    }

    /// Every check of a registration that needs no database write.
    func checkRegistration(_ registration: Registration, sender: String) throws(APIFailure) -> CheckedRegistration {
        func refuse(_ code: String, _ message: String) -> APIFailure { APIFailure(.unprocessableContent, code, message) }
        let request: InferenceRequest, client: Ed25519.PublicKey
        do { (request, client) = try registration.clientRequest.open(InferenceRequest.self, kind: .inferenceRequest) } catch {
            throw refuse("bad_client_request", "the client's request: \(error)")
        }
        let receipt: Receipt, receiptSigner: Ed25519.PublicKey
        do { (receipt, receiptSigner) = try registration.receipt.open(Receipt.self, kind: .receipt) } catch {
            throw refuse("bad_receipt", "the receipt: \(error)")
        }
        guard receiptSigner.hex == sender, receipt.inferenceNode == sender else {
            throw refuse("bad_receipt", "the receipt is not signed by the registering node")
        }
        guard receipt.client == client.hex,
            receipt.requestId == InferenceRequest.requestID(client: client, idempotencyKey: request.idempotencyKey),
            receipt.clientRequestHash == registration.clientRequest.payloadHash?.description
        else { throw refuse("receipt_mismatch", "the receipt does not answer the client's signed request") }
        let modeIsConsistent = receipt.requestedMode == request.mode
            && (receipt.mode == request.mode && !receipt.downgraded
                || receipt.downgraded && request.allowDowngrade && request.mode == .zkml && receipt.mode == .vanilla)
        guard modeIsConsistent else { throw refuse("mode_mismatch", "the receipt's mode is not the one the client asked for (or allowed)") }
        guard let build = models.withLock({ $0[receipt.modelId] }) else {
            throw refuse("unknown_model", "model \(receipt.modelId) is not a release this node accepted")
        }
        guard try resolves(request.model, to: receipt.modelId) else {
            throw refuse("wrong_model", "the client asked for \(request.model), not model \(receipt.modelId)")
        }
        guard request.input.count == build.compiled.inputShape.reduce(1, *) else {
            throw refuse("input_mismatch", "the client's input has \(request.input.count) values; the model takes \(build.compiled.inputShape.reduce(1, *))")
        }
        // A token id that is not one (an id outside the vocabulary) has no public input: no
        // inference node may have answered it.
        let quantized: [Int64]
        do { quantized = try build.compiled.quantizeInput(request.input).values } catch {
            throw refuse("input_mismatch", "the client's input is not one the model takes: \(error)")
        }
        guard ProofStatement.inputHash(of: quantized).description == receipt.inputHash else {
            throw refuse("input_mismatch", "the receipt's input hash is not the hash of the client's quantized input")
        }
        guard NodeHash.outputHash(receipt.outputIntegers).description == receipt.outputHash,
            receipt.outputIntegers.count == build.compiled.outputShape.reduce(1, *)
        else { throw refuse("output_mismatch", "the receipt's output hash does not match its output") }
        switch receipt.mode {
        case .zkml:
            guard let deadline = receipt.proofDeadline, deadline > receipt.issuedAt else {
                throw refuse("bad_receipt", "a zkml receipt needs a proof deadline after its issue time")
            }
        case .tee:
            guard let envelope = registration.attestation,
                let (attestation, signer) = try? envelope.open(TEEAttestation.self, kind: .attestation),
                signer.hex == sender, attestation.requestId == receipt.requestId, attestation.modelId == receipt.modelId,
                attestation.inputHash == receipt.inputHash, attestation.outputHash == receipt.outputHash
            else { throw refuse("bad_attestation", "a tee receipt needs an attestation of the same result by the same node") }
        case .vanilla: break
        }
        return CheckedRegistration(receipt: receipt, request: request)
    }

    /// Whether the reference (`name@version` or a model id) names `modelID` in this node's hub.
    func resolves(_ reference: String, to modelID: String) throws(APIFailure) -> Bool {
        switch ModelReference(reference) {
        case .id(let id): return id == modelID
        case .release(let name, let version):
            let found = try? database.read { db in
                try String.fetchOne(db, sql: "SELECT model_id FROM releases WHERE name = ? AND version = ?", arguments: [name, version])
            }
            return found == modelID
        case nil: return false
        }
    }

    /// `POST /v1/proofs`: verifies a proof for a registered zkml receipt with this node's own key
    /// and settles the request (settled, rejected with a reason, or expired when late).
    func submit(_ envelope: SignedEnvelope) async throws -> StoredAnswer {
        let (message, sender) = try gate.open(envelope, as: ProofSubmission.self)
        let submission = message.body
        guard let receipt = try await database.read({ db in
            try Row.fetchOne(db, sql: "SELECT * FROM receipts WHERE request_id = ?", arguments: [submission.requestId])
        }) else { throw APIFailure(.notFound, "unknown_request", "no receipt \(submission.requestId) is registered") }
        guard receipt["inference_node"] as String == sender else {
            throw APIFailure(.forbidden, "not_your_request", "the request was registered by another inference node")
        }
        let arrived = nowMilliseconds()
        // Verification is CPU work: off the cooperative pool, which also serves HTTP.
        let receiptRow = UncheckedRow(row: receipt)
        let (verdict, reason, evidence) = try await offPool { self.judge(submission, receipt: receiptRow.row, arrived: arrived) }
        return try await database.write { db in
            if let first = try MessageGate.admit(db, messageId: message.messageId, nonce: message.nonce) { return first }
            let current = try Row.fetchOne(db, sql: "SELECT * FROM receipts WHERE request_id = ?", arguments: [submission.requestId])!
            let record: ResultRecord
            if current["status"] as String == RequestStatus.registered.rawValue {
                record = try self.settle(db, receipt: current, verdict: verdict, reason: reason, evidenceHash: evidence)
            } else {
                // Already decided (expired meanwhile, or settled by an earlier submission): one statement per request.
                let entryHash = try String.fetchOne(db, sql: "SELECT entry_hash FROM log WHERE request_id = ?", arguments: [submission.requestId])
                record = Self.record(from: current, entryHash: entryHash)
            }
            let answer = StoredAnswer(status: 200, body: try NodeJSON.encode(record))
            try MessageGate.remember(db, messageId: message.messageId, sender: sender, answer: answer)
            return answer
        }
    }

    /// The verdict on a submission (no database access): deadline, model, proof, input, output.
    func judge(_ submission: ProofSubmission, receipt: Row, arrived: Int64) -> (Verdict, RejectionReason?, String) {
        guard let bytes = Data(base64Encoded: submission.proof).map(Array.init), bytes.count <= ProofLimits.maximumProofBytes else {
            return (.rejected, .malformedProof, "")
        }
        let evidence = NodeHash.hash(domain: "zkml/proof/v1", bytes).description
        if let deadline = receipt["proof_deadline"] as Int64?, arrived > deadline { return (.expired, .deadlineMissed, evidence) }
        let modelID: String = receipt["model_id"]
        guard submission.modelId == modelID else { return (.rejected, .wrongModel, evidence) }
        guard let build = models.withLock({ $0[modelID] }) else { return (.rejected, .wrongModel, evidence) }
        let proof: Proof<Fr>
        do { proof = try Proof<Fr>(decoding: bytes, verificationKey: build.verificationKey) } catch { return (.rejected, .malformedProof, evidence) }
        let start = ContinuousClock.now
        do { try Verifier.verify(proof, verificationKey: build.verificationKey, field: Fr.self) } catch {
            logger.info("proof for \(submission.requestId) rejected: \(error.code)")
            return (.rejected, .invalidProof, evidence)
        }
        verifyTimer.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        guard ProofStatement.inputHash(of: proof.publicInput).description == receipt["input_hash"] as String else {
            return (.rejected, .inputMismatch, evidence)
        }
        guard NodeHash.outputHash(proof.publicOutput).description == receipt["output_hash"] as String else {
            return (.rejected, .outputMismatch, evidence)
        }
        return (.settled, nil, evidence)
    }
}

enum ProofLimits {
    /// Proofs of the models a node serves are well under this.
    static let maximumProofBytes = 64 << 20
}

/// A database row handed to the verification thread (read-only there; GRDB rows are not Sendable).
struct UncheckedRow: @unchecked Sendable {
    let row: Row
}
