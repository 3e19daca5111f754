import ArgumentParser
import Foundation
import ZKNode
import ZKNodeCore
import ZKNodeProtocol

extension ZKMLCommand {
    struct Node: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "node",
            abstract: "Run an inference or full node, or create a node identity.",
            subcommands: [Keygen.self, Inference.self, Full.self])

        struct Keygen: ReportingCommand {
            static let configuration = CommandConfiguration(
                commandName: "keygen",
                abstract: "Create an Ed25519 identity (a key file with mode 0600; never overwrites one).")
            @Option(name: .shortAndLong, help: "Where to write the key file.") var output: String
            @OptionGroup var jsonOutput: JSONOutput
            var json: Bool { jsonOutput.json }

            func execute() throws {
                let identity = NodeIdentity.generate()
                try identity.write(path: output)
                if json { printNodeJSON(KeygenReport(keyFile: output, publicKey: identity.publicKeyHex)) } else {
                    print("public key \(identity.publicKeyHex) → \(output) (mode 0600)")
                }
            }
        }

        struct RunOptions: ParsableArguments {
            @Option(help: "The node's configuration file (JSON; see docs/nodes.md).") var config: String
            @Option(help: "Override the configuration's host.") var host: String?
            @Option(help: "Override the configuration's port (0: any free port).") var port: Int?
            @Option(help: "Override the configuration's data directory.") var dataDir: String?

            func load(role: NodeConfig.Role) throws -> NodeConfig {
                var config = try NodeConfig.load(path: config)
                guard config.role == role else {
                    throw ConfigError("\(self.config) configures a \(config.role.rawValue) node, not a \(role.rawValue) node")
                }
                if let host { config.host = host }
                if let port { config.port = port }
                if let dataDir { config.dataDir = dataDir }
                try config.validate()
                return config
            }
        }

        struct Inference: ReportingCommand {
            static let configuration = CommandConfiguration(
                commandName: "inference",
                abstract: "Run an inference node: serves models, answers requests with signed receipts, proves in the background.")
            @OptionGroup var options: RunOptions
            func execute() throws {
                let config = try options.load(role: .inference)
                try runBlocking { try await NodeServer.run(config: config) }
            }
        }

        struct Full: ReportingCommand {
            static let configuration = CommandConfiguration(
                commandName: "full",
                abstract: "Run a full node: the model hub, verification and the signed log.")
            @OptionGroup var options: RunOptions
            func execute() throws {
                let config = try options.load(role: .full)
                try runBlocking { try await NodeServer.run(config: config) }
            }
        }
    }
}

struct KeygenReport: Encodable {
    var keyFile: String
    var publicKey: String
    enum CodingKeys: String, CodingKey { case keyFile = "key_file", publicKey = "public_key" }
}
