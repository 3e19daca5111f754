import ArgumentParser

/// `zkml`: prove that a neural network's output is the model applied to the input.
@main
struct ZKMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zkml",
        abstract: "Zero-knowledge proofs of machine-learning inference.",
        version: "0.1.0",
        subcommands: [Demo.self],
        defaultSubcommand: Demo.self
    )
}
