import Foundation
import ZKField
import ZKNode
import ZKNodeCore
import ZKNodeProtocol
import ZKSetup

/// A network on loopback: a full node (with the hub) and an inference node as separate
/// processes with fresh keys, a publisher/client key, and a second pinned inference identity
/// that the scenario uses to play a dishonest or late prover.
final class Devnet: @unchecked Sendable {
    let directory: String
    let full: NodeProcess
    let inference: NodeProcess
    let fullIdentity: NodeIdentity
    let inferenceIdentity: NodeIdentity
    let client: NodeIdentity
    /// Pinned by the full node as a second inference node; the scenario signs with it directly.
    let rogue: NodeIdentity
    let modelReference: String
    let deadlineSeconds: Double
    var modelID = ""
    /// The model as the scenario's own (rogue) prover holds it.
    var build: ModelBuild?
    var provingKey: ProvingKey<Fr>?

    struct Options {
        var onnx: String
        var calibration: String
        var bits = 8
        var name = "zoo-model"
        var version = "1.0"
        var proofDeadlineSeconds: Double = 30
        var workers: Int?
        var maxQueuedJobs: Int?
        var maxQueuedSeconds: Double?
    }

    init(directory: String, options: Options) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func identity(_ name: String) throws -> NodeIdentity {
            let identity = NodeIdentity.generate()
            try identity.write(path: "\(directory)/\(name).key")
            return identity
        }
        fullIdentity = try identity("full")
        inferenceIdentity = try identity("inference")
        client = try identity("client")
        rogue = try identity("rogue-inference")
        modelReference = "\(options.name)@\(options.version)"
        deadlineSeconds = options.proofDeadlineSeconds
        let fullPort = try NodeProcess.freePort(), inferencePort = try NodeProcess.freePort()
        var fullConfig = NodeConfig(role: .full, dataDir: directory + "/full", keyFile: directory + "/full.key")
        fullConfig.inferenceNodes = [
            .init(url: nil, publicKey: inferenceIdentity.publicKeyHex), .init(url: nil, publicKey: rogue.publicKeyHex),
        ]
        var inferenceConfig = NodeConfig(role: .inference, dataDir: directory + "/inference", keyFile: directory + "/inference.key")
        inferenceConfig.fullNode = .init(url: "http://127.0.0.1:\(fullPort)", publicKey: fullIdentity.publicKeyHex)
        inferenceConfig.models = [modelReference]
        inferenceConfig.proofDeadlineSeconds = options.proofDeadlineSeconds
        inferenceConfig.workers = options.workers
        inferenceConfig.maxQueuedJobs = options.maxQueuedJobs
        inferenceConfig.maxQueuedSeconds = options.maxQueuedSeconds
        let encoder = NodeJSON.encoder
        encoder.outputFormatting.insert(.prettyPrinted)
        try encoder.encode(fullConfig).write(to: URL(fileURLWithPath: directory + "/full.json"))
        try encoder.encode(inferenceConfig).write(to: URL(fileURLWithPath: directory + "/inference.json"))
        full = NodeProcess(role: .full, configPath: directory + "/full.json", port: fullPort, logPath: directory + "/full.log")
        inference = NodeProcess(role: .inference, configPath: directory + "/inference.json", port: inferencePort, logPath: directory + "/inference.log")
    }

    /// Starts the full node, releases the model through its hub, then starts the inference node.
    func start(options: Options, say: (String) -> Void) async throws {
        try full.start()
        try await full.waitReady(seconds: 60)
        say("full node      \(full.url)  pid \(full.pid)  key \(fullIdentity.publicKeyHex.prefix(16))…")
        modelID = try await release(options: options)
        say("released       \(modelReference) → model id \(modelID.prefix(16))…")
        try inference.start()
        try await inference.waitReady(seconds: 600)
        say("inference node \(inference.url)  pid \(inference.pid)  key \(inferenceIdentity.publicKeyHex.prefix(16))…")
    }

    func release(options: Options) async throws -> String {
        guard let onnx = FileManager.default.contents(atPath: options.onnx), let calibration = FileManager.default.contents(atPath: options.calibration) else {
            throw DevnetFailure("cannot read \(options.onnx) or \(options.calibration)")
        }
        let (build, provingKey) = try ModelBuild.build(onnx: Array(onnx), calibration: Array(calibration), bits: options.bits)
        self.build = build
        self.provingKey = provingKey
        let http = NodeHTTPClient(timeoutSeconds: 600)
        let onnxBlob = try await http.postBytes(full.url + "/v1/blobs", Array(onnx)).decode(BlobReceipt.self).id
        let calibrationBlob = try await http.postBytes(full.url + "/v1/blobs", Array(calibration)).decode(BlobReceipt.self).id
        let create = CreateModelRequest(name: options.name, description: "devnet model", issuedAt: nowMilliseconds(), nonce: randomNonce())
        _ = try await http.post(full.url + "/v1/models", json: try SignedEnvelope.seal(create, kind: .hubWrite, by: client), as: ModelRecord.self)
        let release = ReleaseModelRequest(
            name: options.name, version: options.version, onnxBlob: onnxBlob,
            settings: CompileSettings(calibrationBlob: calibrationBlob, bits: options.bits), verificationKeyHash: build.verificationKeyHash,
            issuedAt: nowMilliseconds(), nonce: randomNonce())
        let record = try await http.post(
            "\(full.url)/v1/models/\(options.name)/releases", json: try SignedEnvelope.seal(release, kind: .hubWrite, by: client), as: ReleaseRecord.self)
        return record.modelId
    }

    /// A client request, signed.
    func request(mode: InferenceMode, input: [Float], key: String = randomNonce(), allowDowngrade: Bool = false) throws -> SignedEnvelope {
        try SignedEnvelope.seal(
            InferenceRequest(model: modelReference, mode: mode, input: input, idempotencyKey: key, allowDowngrade: allowDowngrade, issuedAt: nowMilliseconds()),
            kind: .inferenceRequest, by: client)
    }

    /// Stops both nodes (SIGTERM); returns their exit statuses.
    func stop() -> (inference: Int32?, full: Int32?) {
        let i = inference.stop()
        let f = full.stop()
        return (i, f)
    }
}
