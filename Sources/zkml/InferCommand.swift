import ArgumentParser
import Foundation
import ZKNode
import ZKNodeCore
import ZKNodeProtocol

extension ZKMLCommand {
    struct Infer: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "infer",
            abstract: "Ask an inference node for a model's output (the counterpart of the OpenGradient SDK's infer(model, mode, input)).",
            discussion: """
                The node answers at once with the output, marked provisional, and a signed receipt. zkml mode: the \
                proof follows and the full node settles it; tee: a (simulated) attestation; vanilla: the node's \
                signature. --wait settled polls the node until the full node's verdict (exit 1 when it is rejected \
                or expired). A retry with the same --idempotency-key returns the first answer.
                """)
        @Option(help: "The inference node's URL.") var node: String
        @Option(help: "NAME@major.minor or a model id.") var model: String
        @Option(help: "zkml, tee or vanilla.") var mode: String = "zkml"
        @Option(help: "The input: a JSON list of numbers, or an input document (EZKL input.json).") var input: String?
        @Option(name: .short, help: "An input file (EZKL input.json or a named tensor).") var file: String?
        @Option(help: "Wait for this status: settled (the full node's verdict).") var wait: String?
        @Option(help: "Seconds to wait at most with --wait.") var timeout: Double = 120
        @Option(help: "The idempotency key (default: a fresh random one).") var idempotencyKey: String?
        @Flag(help: "zkml: accept a downgrade to vanilla (recorded, for a later audit) instead of 429 when the proof would miss its deadline.")
        var allowDowngrade = false
        @OptionGroup var key: ClientKeyOption
        @OptionGroup var jsonOutput: JSONOutput
        var json: Bool { jsonOutput.json }

        func execute() throws {
            guard let mode = InferenceMode(rawValue: mode) else { throw UsageError("--mode must be zkml, tee or vanilla", code: "usage") }
            if let wait, wait != "settled" { throw UsageError("--wait takes settled", code: "usage") }
            let values = try readInput()
            let identity = try key.identity(), url = try baseURL(node)
            let request = InferenceRequest(
                model: model, mode: mode, input: values, idempotencyKey: idempotencyKey ?? randomNonce(), allowDowngrade: allowDowngrade,
                issuedAt: nowMilliseconds())
            let envelope = try SignedEnvelope.seal(request, kind: .inferenceRequest, by: identity)
            let answer = try runBlocking { try await NodeHTTPClient().post("\(url)/v1/infer", json: envelope, as: InferResponse.self) }
            var final: RequestStatusResponse?
            if wait != nil {
                final = try runBlocking { [timeout] in try await waitForVerdict(node: url, requestID: answer.requestId, timeout: timeout) }
            }
            if json {
                printNodeJSON(InferReport(answer: answer, final: final))
            } else {
                print("request \(answer.requestId): \(answer.mode.rawValue)\(answer.downgraded ? " (downgraded from \(answer.requestedMode.rawValue))" : ""), \(answer.replayed ? "first answer repeated" : "provisional")")
                print("output: \(answer.output)")
                if let final { print("final: \(final.status.rawValue)\(final.reason.map { " (\($0))" } ?? "")\(final.logPosition.map { " at log position \($0)" } ?? "")") }
            }
            if let final, final.status != .settled { throw ExitCode(Failure.rejected) }
        }

        func readInput() throws -> [Float] {
            switch (input, file) {
            case (let text?, nil):
                if let list = try? JSONDecoder().decode([Float].self, from: Data(text.utf8)) { return list }
                do {
                    let document = try InputDocument(data: Data(text.utf8), inputName: nil)
                    guard document.rows.count == 1 else { throw UsageError("--input holds \(document.rows.count) rows; give one", code: "invalid_input") }
                    return document.rows[0]
                } catch let error as InputDocumentError { throw UsageError("--input: \(error)", code: "invalid_input") }
            case (nil, let path?):
                let rows = try InputFile(path: path, inputName: nil).rows
                guard rows.count == 1 else { throw UsageError("\(path) holds \(rows.count) rows; give one", code: "invalid_input") }
                return rows[0]
            default:
                throw UsageError("give the input with --input JSON or -f FILE (one of them)", code: "usage")
            }
        }
    }

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "request", abstract: "A request's status on an inference node.", subcommands: [Get.self, Wait.self])

        struct Get: ReportingCommand {
            static let configuration = CommandConfiguration(commandName: "get", abstract: "Print a request's status (queued, proving, proven, submitted, settled, rejected, expired).")
            @Argument(help: "The request id.") var id: String
            @Option(help: "The inference node's URL.") var node: String
            @OptionGroup var jsonOutput: JSONOutput
            var json: Bool { jsonOutput.json }

            func execute() throws {
                let url = try baseURL(node)
                let status = try runBlocking { [id] in try await NodeHTTPClient().get("\(url)/v1/requests/\(id)", as: RequestStatusResponse.self) }
                if json { printNodeJSON(status) } else { print(describe(status)) }
            }
        }

        struct Wait: ReportingCommand {
            static let configuration = CommandConfiguration(commandName: "wait", abstract: "Wait for the full node's verdict on a request; exit 1 unless settled.")
            @Argument(help: "The request id.") var id: String
            @Option(help: "The inference node's URL.") var node: String
            @Option(help: "Seconds to wait at most.") var timeout: Double = 120
            @OptionGroup var jsonOutput: JSONOutput
            var json: Bool { jsonOutput.json }

            func execute() throws {
                let url = try baseURL(node)
                let status = try runBlocking { [id, timeout] in try await waitForVerdict(node: url, requestID: id, timeout: timeout) }
                if json { printNodeJSON(status) } else { print(describe(status)) }
                if status.status != .settled { throw ExitCode(Failure.rejected) }
            }
        }
    }
}

/// Polls `GET /v1/requests/{id}` until the status is final (settled, rejected, expired).
func waitForVerdict(node: String, requestID: String, timeout: Double) async throws -> RequestStatusResponse {
    let client = NodeHTTPClient()
    let stop = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
    while true {
        let status = try await client.get("\(node)/v1/requests/\(requestID)", as: RequestStatusResponse.self)
        if status.status.isFinal { return status }
        guard ContinuousClock.now < stop else {
            throw UsageError("request \(requestID) is still \(status.status.rawValue) after \(Int(timeout)) s", code: "timeout")
        }
        try await Task.sleep(for: .milliseconds(100))
    }
}

func describe(_ status: RequestStatusResponse) -> String {
    var text = "\(status.requestId): \(status.status.rawValue) (\(status.mode.rawValue))"
    if let reason = status.reason { text += ", reason \(reason)" }
    if let position = status.logPosition { text += ", log position \(position)" }
    if let attestation = status.attestation { text += ", attestation \(attestation)" }
    return text
}

struct InferReport: Encodable {
    var answer: InferResponse
    var final: RequestStatusResponse?
}
