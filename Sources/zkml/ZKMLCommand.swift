import ArgumentParser
import Foundation
import ZKWire

/// `zkml`: prove that a neural network's output is the model applied to the input.
@main
struct ZKMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zkml",
        abstract: "Zero-knowledge proofs of machine-learning inference (proofs are not hiding; see the README).",
        discussion: """
            Exit statuses, for every command: 0 success (for verify: the proof is valid); 1 a proof \
            is rejected, or the key is another model's than --expect-model-id (for check: a relation \
            fails); 2 unusable input: an unreadable or malformed file, key, model or command line.
            """,
        version: toolVersion,
        subcommands: [
            Compile.self, SetupCommand.self, Prove.self, Verify.self, Run.self, Check.self, Inspect.self, Bench.self, Demo.self, Node.self,
            Model.self, Infer.self, Request.self, Log.self, DevnetCommand.self, Loadtest.self, Conformance.self,
        ],
        defaultSubcommand: nil
    )

    /// ArgumentParser's own entry point, except that a malformed command line exits with 2 (the
    /// status of every unusable input) rather than 64, and, when `--json` was asked for, also
    /// prints `{"error": {"code": "usage", ...}}` so that a script always gets its JSON object.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                if CommandLine.arguments.dropFirst().contains("--json") {
                    var report = FailureReport()
                    report.fail(ErrorReport(Failure(status: Failure.unusable, code: "usage", message: message(for: error))))
                    printJSON(report)
                }
                Foundation.exit(Failure.unusable)
            }
            exit(withError: error)
        }
    }
}

let toolVersion = ToolVersion.current
