import Foundation
import Testing
import ZKNodeCore
import ZKNodeProtocol

@Suite struct NodeConfigTests {
    let key = NodeIdentity.generate().publicKeyHex

    func load(_ json: String) throws -> NodeConfig {
        let path = NSTemporaryDirectory() + "zkml-config-\(UUID().uuidString).json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try NodeConfig.load(path: path)
    }

    @Test func validConfigurationsPass() throws {
        let full = try load(#"{"role": "full", "data_dir": "/tmp/x", "key_file": "/tmp/k", "inference_nodes": [{"public_key": "\#(key)"}]}"#)
        #expect(full.problems().isEmpty)
        let inference = try load(
            #"{"role": "inference", "data_dir": "/tmp/x", "key_file": "/tmp/k", "full_node": {"url": "http://127.0.0.1:9", "public_key": "\#(key)"}, "models": ["mlp@1.0"], "workers": 2}"#)
        #expect(inference.problems().isEmpty)
        #expect(inference.resolvedWorkers == 2)
    }

    @Test func everyProblemIsNamed() throws {
        let config = try load(
            #"{"role": "inference", "data_dir": "", "key_file": "/tmp/k", "port": 70000, "full_node": {"url": "ftp://x", "public_key": "12"}, "models": ["mlp"], "workers": 0, "proof_deadline_seconds": -1}"#)
        let problems = config.problems().joined(separator: "\n")
        for expected in ["port", "data_dir", "full_node.public_key", "full_node.url", "\"mlp\"", "workers", "proof_deadline_seconds"] {
            #expect(problems.contains(expected), "\(expected) in \(problems)")
        }
        #expect(throws: ConfigError.self) { try config.validate() }
    }

    @Test func missingAndMistypedFieldsAreNamed() throws {
        #expect { try load(#"{"role": "full", "key_file": "/tmp/k"}"#) } throws: { "\($0)".contains("data_dir") }
        #expect { try load(#"{"role": "full", "data_dir": 3, "key_file": "/tmp/k"}"#) } throws: { "\($0)".contains("data_dir") }
        #expect { try load(#"{"role": "observer", "data_dir": "/x", "key_file": "/tmp/k"}"#) } throws: { "\($0)".contains("role") }
        #expect { try load("not json") } throws: { $0 is ConfigError }
    }

    @Test func anInferenceNodeNeedsItsFullNodeAndModels() throws {
        let problems = try load(#"{"role": "inference", "data_dir": "/x", "key_file": "/k"}"#).problems().joined(separator: "\n")
        #expect(problems.contains("full_node"))
        #expect(problems.contains("models"))
    }
}
