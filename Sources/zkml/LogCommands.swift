import ArgumentParser
import Foundation
import ZKNode
import ZKNodeCore
import ZKNodeProtocol

extension ZKMLCommand {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "A full node's signed log: export it, and check it offline.", subcommands: [Export.self, Verify.self])

        struct Export: ReportingCommand {
            static let configuration = CommandConfiguration(commandName: "export", abstract: "Download a full node's whole log to a file (JSON).")
            @Option(help: "The full node's URL.") var node: String
            @Option(name: .shortAndLong, help: "The file to write.") var output: String

            func execute() throws {
                let url = try baseURL(node)
                let export = try runBlocking { try await exportLog(node: url) }
                try writeBytes(Array(try NodeJSON.encode(export)), toPath: output)
                print("\(export.entries.count) entries of node \(export.node) → \(output)")
            }
        }

        struct Verify: ReportingCommand {
            static let configuration = CommandConfiguration(
                commandName: "verify",
                abstract: "Check an exported log offline: positions, the hash chain and every signature; exit 1 when it fails.")
            @Argument(help: "The exported log (zkml log export).") var file: String
            @Option(help: "The node's public key, pinned (default: the one the file names).") var nodeKey: String?
            @OptionGroup var jsonOutput: JSONOutput
            var json: Bool { jsonOutput.json }

            func execute() throws {
                guard let data = FileManager.default.contents(atPath: file) else { throw UsageError("cannot read \(file)", code: "unreadable_file") }
                let export: LogExport
                do { export = try NodeJSON.decoder.decode(LogExport.self, from: data) } catch {
                    throw UsageError("\(file) is not an exported log: \(error)", code: "malformed_log")
                }
                if let nodeKey, nodeKey.lowercased() != export.node.lowercased() {
                    throw Failure(status: Failure.rejected, code: "wrong_node", message: "the log is signed by \(export.node), not \(nodeKey)")
                }
                let summary = try LogVerifier.verify(export)
                if json { printNodeJSON(summary) } else {
                    print("log of \(export.node): \(summary.entries) entries, chain and signatures valid, head \(summary.headHash)")
                    print("verdicts: " + summary.verdicts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                }
            }
        }
    }
}

/// Pages through `GET /v1/log` until the head.
func exportLog(node: String) async throws -> LogExport {
    let client = NodeHTTPClient()
    var entries: [LogEntry] = []
    var after: Int64 = 0
    var nodeKey = ""
    while true {
        let page = try await client.get("\(node)/v1/log?after=\(after)&limit=1000", as: LogPage.self)
        nodeKey = page.node
        entries += page.entries
        guard let last = page.entries.last, last.position < page.head else { break }
        after = last.position
    }
    return LogExport(node: nodeKey, entries: entries)
}
