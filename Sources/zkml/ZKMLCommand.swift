import ArgumentParser
import ZKWire

/// `zkml`: prove that a neural network's output is the model applied to the input.
@main
struct ZKMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zkml",
        abstract: "Zero-knowledge proofs of machine-learning inference (proofs are not hiding; see the README).",
        version: toolVersion,
        subcommands: [Compile.self, SetupCommand.self, Prove.self, Verify.self, Run.self, Check.self, Inspect.self, Bench.self, Demo.self],
        defaultSubcommand: nil
    )
}

let toolVersion = ToolVersion.current
