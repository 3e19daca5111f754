import Foundation
import ZKCompiler
import ZKField
import ZKNode
import ZKNodeCore
import ZKNodeProtocol
import ZKProver
import ZKSodium
import ZKVerifier

/// The scripted scenario of `zkml devnet`: every mode through the inference node, a replayed
/// request, an idempotency conflict, a forged signature, and — played by a second pinned
/// inference identity — a tampered proof, a changed output, a replayed node message, a
/// mismatched input and a proof that arrives after its deadline. Each step states its expected
/// outcome; the run passes only when every outcome is the expected one.
struct DevnetScenario {
    let net: Devnet
    let input: [Float]
    let http = NodeHTTPClient(timeoutSeconds: 120)

    struct Outcome: Encodable {
        var step: String
        var requestId: String?
        var expected: String
        var observed: String
        var passed: Bool
    }

    /// Requests whose verdict is awaited on the full node: (step, request id, expected status, expected reason).
    var awaited: [(String, String, RequestStatus, String?)] = []
    var outcomes: [Outcome] = []

    mutating func check(_ step: String, _ id: String?, expected: String, observed: String) {
        outcomes.append(Outcome(step: step, requestId: id, expected: expected, observed: observed, passed: expected == observed))
    }

    mutating func run() async throws {
        // 1–3. Every mode through the inference node: provisional answers at once, then settled.
        var first: (envelope: SignedEnvelope, answer: InferResponse)?
        var outputs: [[Int64]] = []
        for mode in [InferenceMode.vanilla, .tee, .zkml] {
            let envelope = try net.request(mode: mode, input: input)
            let answer = try await http.post(net.inference.url + "/v1/infer", json: envelope, as: InferResponse.self)
            outputs.append(answer.outputIntegers)
            awaited.append(("\(mode.rawValue) request", answer.requestId, .settled, nil))
            if mode == .zkml { first = (envelope, answer) }
        }
        check("every mode gives the same output", nil, expected: "equal", observed: Set(outputs).count == 1 ? "equal" : "different")

        // 4. A replayed request: the first answer again, no second inference.
        let before = try await counter("zkml_inference_requests_total")
        let replay = try await http.post(net.inference.url + "/v1/infer", json: first!.envelope, as: InferResponse.self)
        let after = try await counter("zkml_inference_requests_total")
        check(
            "replayed request", replay.requestId, expected: "first answer, no new inference",
            observed: replay.replayed && replay.requestId == first!.answer.requestId && replay.outputIntegers == first!.answer.outputIntegers && before == after
                ? "first answer, no new inference" : "replayed=\(replay.replayed), inferences \(before)→\(after)")

        // 5. The same idempotency key for another input.
        let key = randomNonce()
        _ = try await http.post(net.inference.url + "/v1/infer", json: try net.request(mode: .vanilla, input: input, key: key), as: InferResponse.self)
        var changed = input
        changed[0] += 1
        check("idempotency key reused for another input", nil, expected: "409 idempotency_conflict",
              observed: await refusal { try await http.post(net.inference.url + "/v1/infer", json: try net.request(mode: .vanilla, input: changed, key: key), as: InferResponse.self) })

        // 6. A forged client signature.
        var forged = try net.request(mode: .vanilla, input: input)
        forged.signer = NodeIdentity.generate().publicKeyHex
        check("forged client signature", nil, expected: "401 bad_signature",
              observed: await refusal { try await http.post(net.inference.url + "/v1/infer", json: forged, as: InferResponse.self) })

        // 7. A tampered proof (one byte flipped) from a pinned but dishonest prover.
        let tampered = try rogueReceipt()
        try await rogueRegister(tampered)
        var proof = try rogueProof(tampered.inference)
        proof[proof.count / 2] ^= 0x01
        let tamperedVerdict = try await rogueSubmit(tampered.receipt.requestId, proof: proof)
        awaited.append(("tampered proof", tampered.receipt.requestId, .rejected, nil))
        _ = tamperedVerdict

        // 8. A changed output: the receipt claims other integers than the proof proves.
        let lying = try rogueReceipt(changeOutput: true)
        try await rogueRegister(lying)
        let lyingSubmission = try rogueSubmissionEnvelope(lying.receipt.requestId, proof: try rogueProof(lying.inference))
        _ = try await http.post(net.full.url + "/v1/proofs", json: lyingSubmission, as: ResultRecord.self)
        awaited.append(("changed output", lying.receipt.requestId, .rejected, RejectionReason.outputMismatch.rawValue))

        // 9. The same signed node message again (a replay, not a retry).
        check("replayed node message", lying.receipt.requestId, expected: "409 replayed",
              observed: await refusal { try await http.post(net.full.url + "/v1/proofs", json: lyingSubmission, as: ResultRecord.self) })

        // 10. A receipt whose input hash is not the client's input: refused at registration, never settled.
        let mismatched = try rogueReceipt(changeInput: true)
        check("mismatched input", mismatched.receipt.requestId, expected: "422 input_mismatch",
              observed: await refusal { try await rogueRegister(mismatched) })
        check("mismatched input never settled", mismatched.receipt.requestId, expected: "404 not_found",
              observed: await refusal { try await http.get("\(net.full.url)/v1/results/\(mismatched.receipt.requestId)", as: ResultRecord.self) })

        // 11. A proof that arrives after its deadline.
        let late = try rogueReceipt(deadlineMilliseconds: 800)
        try await rogueRegister(late)
        let lateProof = try rogueProof(late.inference)
        try await Task.sleep(for: .milliseconds(1500))
        _ = try await rogueSubmit(late.receipt.requestId, proof: lateProof)
        awaited.append(("late proof", late.receipt.requestId, .expired, RejectionReason.deadlineMissed.rawValue))

        // Verdicts, as the full node has them.
        for (step, id, status, reason) in awaited {
            let record = try await waitFinal(id)
            let expected = status.rawValue + (reason.map { " (\($0))" } ?? "")
            let observed = record.status.rawValue + (reason != nil ? record.reason.map { " (\($0))" } ?? "" : "")
            check(step, id, expected: expected, observed: observed)
        }
        // The log: exported, checked offline, one entry per settled request.
        let log = try await exportLog(node: net.full.url)
        let summary = try LogVerifier.verify(log)
        let logged = Set(try log.entries.map { try $0.decodedStatement().requestId })
        check("exported log verifies", nil, expected: "valid", observed: "valid")
        check("every verdict is in the log", nil, expected: "\(awaited.count) of \(awaited.count)",
              observed: "\(awaited.filter { logged.contains($0.1) }.count) of \(awaited.count)")
        _ = summary
    }

    /// The value of a counter in the inference node's /metrics.
    func counter(_ name: String) async throws -> Double {
        let text = String(decoding: try await http.getRaw(net.inference.url + "/metrics").body, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") || line.hasPrefix(name + "{") {
            return Double(line.split(separator: " ").last ?? "") ?? 0
        }
        return 0
    }

    /// `"STATUS code"` of a refused call, or `"accepted"`.
    func refusal(_ call: () async throws -> some Any) async -> String {
        do {
            _ = try await call()
            return "accepted"
        } catch let NodeCallError.refused(status, code, _, _) {
            return "\(status) \(code)"
        } catch {
            return "\(error)"
        }
    }

    func waitFinal(_ id: String) async throws -> ResultRecord {
        let stop = ContinuousClock.now + .seconds(300)
        while true {
            let record = try await http.get("\(net.full.url)/v1/results/\(id)", as: ResultRecord.self)
            if record.status.isFinal || ContinuousClock.now > stop { return record }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    // MARK: - The dishonest prover (a second pinned inference identity)

    struct RogueRequest {
        var clientRequest: SignedEnvelope
        var receipt: Receipt
        var inference: [Float]
    }

    func rogueReceipt(changeOutput: Bool = false, changeInput: Bool = false, deadlineMilliseconds: Int64 = 60_000) throws -> RogueRequest {
        let envelope = try net.request(mode: .zkml, input: input)
        let build = net.build!
        let result = try build.compiled.run(input: input)
        var quantized = result.quantizedInput
        if changeInput { quantized[0] += 1 }
        var output = result.outputIntegers
        if changeOutput { output[0] += 1 }
        let now = nowMilliseconds()
        let receipt = Receipt(
            requestId: InferenceRequest.requestID(client: net.client.publicKey, idempotencyKey: try envelope.open(InferenceRequest.self, kind: .inferenceRequest).message.idempotencyKey),
            clientRequestHash: envelope.payloadHash!.description, client: net.client.publicKeyHex, inferenceNode: net.rogue.publicKeyHex,
            modelId: build.modelID, modelReference: net.modelReference, inputHash: ProofStatement.inputHash(of: quantized).description,
            outputHash: NodeHash.outputHash(output).description, outputIntegers: output, mode: .zkml, requestedMode: .zkml, downgraded: false,
            issuedAt: now, proofDeadline: now + deadlineMilliseconds)
        return RogueRequest(clientRequest: envelope, receipt: receipt, inference: input)
    }

    func rogueRegister(_ request: RogueRequest) async throws {
        let registration = Registration(
            clientRequest: request.clientRequest, receipt: try SignedEnvelope.seal(request.receipt, kind: .receipt, by: net.rogue), attestation: nil)
        let message = NodeMessage(messageId: "register:" + request.receipt.requestId, recipient: net.fullIdentity.publicKeyHex, sentAt: nowMilliseconds(), body: registration)
        _ = try await http.post(net.full.url + "/v1/receipts", json: try SignedEnvelope.seal(message, kind: .nodeMessage, by: net.rogue), as: ResultRecord.self)
    }

    func rogueProof(_ input: [Float]) throws -> [UInt8] {
        let result = try net.build!.compiled.run(input: input)
        return try Prover.prove(provingKey: net.provingKey!, witness: result.witness).encoded()
    }

    func rogueSubmissionEnvelope(_ requestID: String, proof: [UInt8]) throws -> SignedEnvelope {
        let submission = ProofSubmission(requestId: requestID, modelId: net.modelID, proof: Data(proof).base64EncodedString())
        let message = NodeMessage(messageId: "submit:" + requestID, recipient: net.fullIdentity.publicKeyHex, sentAt: nowMilliseconds(), body: submission)
        return try SignedEnvelope.seal(message, kind: .nodeMessage, by: net.rogue)
    }

    func rogueSubmit(_ requestID: String, proof: [UInt8]) async throws -> ResultRecord {
        try await http.post(net.full.url + "/v1/proofs", json: try rogueSubmissionEnvelope(requestID, proof: proof), as: ResultRecord.self)
    }
}
