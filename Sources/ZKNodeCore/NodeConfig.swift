import Foundation
public import ZKNodeProtocol
import ZKSodium

/// A node's configuration file (JSON, snake_case keys). One file per node; `zkml node` flags
/// override its fields. ``validate()`` refuses a bad configuration at start with what is wrong.
public struct NodeConfig: Codable, Sendable {
    public enum Role: String, Codable, Sendable { case inference, full }

    public var role: Role
    /// Loopback or another address to bind; the port 0 asks the OS for a free port (the bound
    /// port is printed and written to `<data_dir>/port`).
    public var host: String?
    public var port: Int?
    /// SQLite database, blobs and the port file live here.
    public var dataDir: String
    /// The node's Ed25519 key file (`zkml node keygen`), mode 0600.
    public var keyFile: String
    /// Inference node: its full node (and model hub), pinned by public key.
    public var fullNode: Peer?
    /// Full node: the inference nodes it accepts receipts and proofs from, pinned by public key.
    public var inferenceNodes: [Peer]?
    /// Inference node: the models it serves, `name@major.minor`, pulled from the hub at start.
    public var models: [String]?
    /// Inference node: proving workers (default: the number of cores).
    public var workers: Int?
    /// Inference node: the queue bound, as a number of jobs and as predicted seconds of proving.
    public var maxQueuedJobs: Int?
    public var maxQueuedSeconds: Double?
    /// Inference node: the proof deadline given in each zkml receipt, seconds after the answer.
    public var proofDeadlineSeconds: Double?
    /// Testing and demos only: delay every proof by this many seconds (to make one miss its deadline).
    public var testProofDelaySeconds: Double?
    /// Largest request body, bytes.
    public var maxBodyBytes: Int?

    public struct Peer: Codable, Sendable {
        public var url: String?
        public var publicKey: String
        public init(url: String?, publicKey: String) {
            self.url = url
            self.publicKey = publicKey
        }
    }

    public init(role: Role, dataDir: String, keyFile: String) {
        self.role = role
        self.dataDir = dataDir
        self.keyFile = keyFile
    }

    public static func load(path: String) throws(ConfigError) -> NodeConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError("cannot read \(path)") }
        guard data.count <= 1 << 20 else { throw ConfigError("\(path) is larger than 1 MiB") }
        do { return try NodeJSON.decoder.decode(NodeConfig.self, from: data) } catch let DecodingError.keyNotFound(key, _) {
            throw ConfigError("\(path): missing field \(key.stringValue.snakeCased)")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ConfigError("\(path): \(context.codingPath.map(\.stringValue.snakeCased).joined(separator: ".")) has the wrong type")
        } catch let DecodingError.dataCorrupted(context) {
            throw ConfigError("\(path): \(context.debugDescription) at \(context.codingPath.map(\.stringValue.snakeCased).joined(separator: "."))")
        } catch {
            throw ConfigError("\(path): \(error)")
        }
    }

    public var resolvedHost: String { host ?? "127.0.0.1" }
    public var resolvedPort: Int { port ?? 0 }
    public var resolvedWorkers: Int { workers ?? ProcessInfo.processInfo.activeProcessorCount }
    public var resolvedMaxQueuedJobs: Int { maxQueuedJobs ?? 64 }
    public var resolvedMaxQueuedSeconds: Double { maxQueuedSeconds ?? 30 }
    public var resolvedProofDeadlineSeconds: Double { proofDeadlineSeconds ?? 30 }
    public var resolvedMaxBodyBytes: Int { maxBodyBytes ?? (8 << 20) }

    /// Every problem found, or nothing.
    public func problems() -> [String] {
        var problems: [String] = []
        if !(0...65535).contains(resolvedPort) { problems.append("port must be 0...65535, not \(resolvedPort)") }
        if resolvedHost.isEmpty { problems.append("host is empty") }
        if dataDir.isEmpty { problems.append("data_dir is empty") }
        if keyFile.isEmpty { problems.append("key_file is empty") }
        func checkPeer(_ peer: Peer, _ what: String, needsURL: Bool) {
            if Ed25519.PublicKey(hex: peer.publicKey) == nil { problems.append("\(what).public_key is not a 64-hex-digit Ed25519 public key") }
            if needsURL {
                guard let url = peer.url, let parsed = URL(string: url), parsed.scheme == "http" || parsed.scheme == "https", parsed.host != nil else {
                    problems.append("\(what).url must be an http(s) URL")
                    return
                }
            }
        }
        switch role {
        case .inference:
            if let fullNode { checkPeer(fullNode, "full_node", needsURL: true) } else { problems.append("an inference node needs full_node {url, public_key}") }
            if let models {
                for model in models where ModelReference(model).map({ if case .release = $0 { true } else { false } }) != true {
                    problems.append("models: \"\(model)\" is not name@major.minor")
                }
            } else { problems.append("an inference node needs models: [\"name@major.minor\", ...]") }
            if let workers, !(1...256).contains(workers) { problems.append("workers must be 1...256, not \(workers)") }
            if let maxQueuedJobs, !(1...1_000_000).contains(maxQueuedJobs) { problems.append("max_queued_jobs must be 1...1000000") }
            if let maxQueuedSeconds, !(maxQueuedSeconds > 0 && maxQueuedSeconds <= 86400) { problems.append("max_queued_seconds must be in (0, 86400]") }
            if let proofDeadlineSeconds, !(proofDeadlineSeconds > 0 && proofDeadlineSeconds <= 86400) { problems.append("proof_deadline_seconds must be in (0, 86400]") }
            if let testProofDelaySeconds, !(testProofDelaySeconds >= 0 && testProofDelaySeconds <= 3600) { problems.append("test_proof_delay_seconds must be in [0, 3600]") }
            if inferenceNodes != nil { problems.append("inference_nodes is a full node's field") }
        case .full:
            for (i, peer) in (inferenceNodes ?? []).enumerated() { checkPeer(peer, "inference_nodes[\(i)]", needsURL: false) }
            if fullNode != nil || models != nil || workers != nil { problems.append("full_node, models and workers are an inference node's fields") }
        }
        if let maxBodyBytes, !(1024...(256 << 20)).contains(maxBodyBytes) { problems.append("max_body_bytes must be 1 KiB...256 MiB") }
        return problems
    }

    public func validate() throws(ConfigError) {
        let problems = problems()
        guard problems.isEmpty else { throw ConfigError("invalid configuration:\n  " + problems.joined(separator: "\n  ")) }
    }
}

/// A configuration that cannot be used.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension String {
    /// `dataDir` → `data_dir`, to name fields as the file spells them.
    var snakeCased: String {
        var out = ""
        for c in self {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}
