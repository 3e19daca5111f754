import ArgumentParser
import Foundation
import ZKNode
import ZKNodeCore
import ZKNodeProtocol

extension ZKMLCommand {
    struct DevnetCommand: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "devnet",
            abstract: "Start an inference node and a full node on loopback, release a zoo model, and run the scripted scenario.",
            discussion: """
                The nodes are separate processes (this zkml, `zkml node full|inference`) with fresh keys in --dir \
                (default: a new temporary directory). The scenario sends a request in every mode, replays one, reuses an \
                idempotency key, forges a signature, and — as a second pinned inference identity — submits a tampered \
                proof, a changed output, a replayed node message, a mismatched input and a proof after its deadline. \
                It prints every step's expected and observed outcome and exits 0 only when all match (and both nodes \
                exit 0 on SIGTERM). --keep leaves the nodes running and prints their URLs.
                """)
        @Option(help: "The ONNX model to release.") var onnx = "circuits/sklearn_mlp/model_probabilities.onnx"
        @Option(help: "Its calibration inputs.") var calibration = "circuits/sklearn_mlp/calibration.json"
        @Option(help: "The input for the scenario's requests.") var input = "circuits/sklearn_mlp/input.json"
        @Option(help: "Where to keep keys, configurations, databases and logs (default: a new temporary directory).") var dir: String?
        @Flag(help: "Leave the nodes running and print their URLs.") var keep = false
        @OptionGroup var jsonOutput: JSONOutput
        var json: Bool { jsonOutput.json }

        func execute() throws {
            let directory = dir ?? (NSTemporaryDirectory() + "zkml-devnet-" + randomNonce().prefix(8))
            let options = Devnet.Options(onnx: onnx, calibration: calibration)
            let net = try Devnet(directory: directory, options: options)
            let values = try InputFile(path: input, inputName: nil).rows[0]
            let quiet = json
            let say: @Sendable (String) -> Void = { if !quiet { print($0) } }
            say("devnet in \(directory)")
            var scenario = DevnetScenario(net: net, input: values)
            do {
                try runBlocking { [scenario] in
                    try await net.start(options: options, say: say)
                    var s = scenario
                    try await s.run()
                    return s
                }.outcomes.forEach { scenario.outcomes.append($0) }
            } catch {
                _ = net.stop()
                throw error
            }
            var exits: (inference: Int32?, full: Int32?) = (0, 0)
            if !keep { exits = net.stop() }
            scenario.check("inference node exits 0 on SIGTERM", nil, expected: "0", observed: keep ? "0" : exits.inference.map(String.init) ?? "killed")
            scenario.check("full node exits 0 on SIGTERM", nil, expected: "0", observed: keep ? "0" : exits.full.map(String.init) ?? "killed")
            let passed = scenario.outcomes.allSatisfy(\.passed)
            if json {
                printNodeJSON(DevnetReport(
                    directory: directory, fullNode: net.full.url, inferenceNode: net.inference.url, modelId: net.modelID, passed: passed,
                    outcomes: scenario.outcomes))
            } else {
                for o in scenario.outcomes {
                    let id = o.requestId.map { " [\($0.prefix(12))…]" } ?? ""
                    print("\(o.passed ? "ok  " : "FAIL") \(o.step)\(id): \(o.observed)\(o.passed ? "" : " (expected \(o.expected))")")
                }
                print(passed ? "devnet: every outcome is the expected one" : "devnet: some outcomes are not the expected ones (logs in \(directory))")
                if keep {
                    print("nodes left running: full \(net.full.url) (pid \(net.full.pid)), inference \(net.inference.url) (pid \(net.inference.pid))")
                }
            }
            if !passed { throw ExitCode(Failure.rejected) }
        }
    }
}

struct DevnetReport: Encodable {
    var directory: String
    var fullNode: String
    var inferenceNode: String
    var modelId: String
    var passed: Bool
    var outcomes: [DevnetScenario.Outcome]
}
