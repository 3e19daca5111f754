import ArgumentParser
import Foundation
import ZKNode
import ZKNodeCore
import ZKNodeProtocol

extension ZKMLCommand {
    struct Model: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "model",
            abstract: "The model hub (served by a full node): repositories, releases and content-addressed blobs.",
            subcommands: [Create.self, Upload.self, Release.self, List.self, Show.self, Pull.self])

        struct HubOption: ParsableArguments {
            @Option(help: "The hub's URL (a full node).") var hub: String
        }

        struct Create: ReportingCommand {
            static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a model repository owned by your key.")
            @Argument(help: "The model's name (a-z 0-9 - _ .).") var name: String
            @Option(help: "What the model is.") var description: String = ""
            @OptionGroup var hubOption: HubOption
            @OptionGroup var key: ClientKeyOption
            @OptionGroup var jsonOutput: JSONOutput
            var json: Bool { jsonOutput.json }

            func execute() throws {
                let identity = try key.identity(), hub = try baseURL(hubOption.hub)
                let request = CreateModelRequest(name: name, description: description, issuedAt: nowMilliseconds(), nonce: randomNonce())
                let envelope = try SignedEnvelope.seal(request, kind: .hubWrite, by: identity)
                let record = try runBlocking { try await NodeHTTPClient().post("\(hub)/v1/models", json: envelope, as: ModelRecord.self) }
                if json { printNodeJSON(record) } else { print("created \(record.name), owner \(record.owner)") }
            }
        }

        struct Upload: ReportingCommand {
            static let configuration = CommandConfiguration(commandName: "upload", abstract: "Upload a file as a blob; prints its id (the hash of its bytes).")
            @Argument(help: "The file.") var file: String
            @OptionGroup var hubOption: HubOption
            @OptionGroup var jsonOutput: JSONOutput
            var json: Bool { jsonOutput.json }

            func execute() throws {
                let receipt = try uploadBlob(file: file, hub: try baseURL(hubOption.hub))
                if json { printNodeJSON(receipt) } else { print(receipt.id) }
            }
        }

        struct Release: ReportingCommand {
            static let configuration = CommandConfiguration(
                commandName: "release",
                abstract: "Release a version: uploads the ONNX file and calibration inputs, derives the verification key here, and asks the hub to accept it (the hub derives its own and refuses a mismatch).")
            @Argument(help: "The model's name.") var name: String
            @Argument(help: "The version, major.minor.") var version: String
            @Option(help: "The ONNX model.") var onnx: String
            @Option(help: "Calibration inputs (JSON, as for zkml compile).") var calibration: String
            @Option(help: "Quantization bits.") var bits: Int = 8
            @OptionGroup var hubOption: HubOption
            @OptionGroup var key: ClientKeyOption
            @OptionGroup var jsonOutput: JSONOutput
            var json: Bool { jsonOutput.json }

            func execute() throws {
                guard ModelReference.isValidVersion(version) else { throw UsageError("\(version) is not major.minor", code: "usage") }
                let identity = try key.identity(), hub = try baseURL(hubOption.hub)
                guard let onnxBytes = FileManager.default.contents(atPath: onnx) else { throw UsageError("cannot read \(onnx)", code: "unreadable_file") }
                guard let calibrationBytes = FileManager.default.contents(atPath: calibration) else {
                    throw UsageError("cannot read \(calibration)", code: "unreadable_file")
                }
                Progress.say("deriving the verification key (compile + setup)")
                let build = try ModelBuild.build(onnx: Array(onnxBytes), calibration: Array(calibrationBytes), bits: bits).build
                let onnxBlob = try uploadBlob(file: onnx, hub: hub).id
                let calibrationBlob = try uploadBlob(file: calibration, hub: hub).id
                let request = ReleaseModelRequest(
                    name: name, version: version, onnxBlob: onnxBlob, settings: CompileSettings(calibrationBlob: calibrationBlob, bits: bits),
                    verificationKeyHash: build.verificationKeyHash, issuedAt: nowMilliseconds(), nonce: randomNonce())
                let envelope = try SignedEnvelope.seal(request, kind: .hubWrite, by: identity)
                let record = try runBlocking {
                    try await NodeHTTPClient(timeoutSeconds: 600).post("\(hub)/v1/models/\(name)/releases", json: envelope, as: ReleaseRecord.self)
                }
                if json { printNodeJSON(record) } else { print("released \(name)@\(version): model id \(record.modelId)") }
            }
        }

        struct List: ReportingCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List the hub's models and releases.")
            @OptionGroup var hubOption: HubOption
            @OptionGroup var jsonOutput: JSONOutput
            var json: Bool { jsonOutput.json }

            func execute() throws {
                let hub = try baseURL(hubOption.hub)
                let list = try runBlocking { try await NodeHTTPClient().get("\(hub)/v1/models", as: ModelList.self) }
                if json { printNodeJSON(list); return }
                for model in list.models {
                    print("\(model.name)  \(model.releases.map(\.version).joined(separator: ", "))  \(model.description)")
                }
            }
        }

        struct Show: ReportingCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a model, or resolve NAME@VERSION to its model id.")
            @Argument(help: "NAME or NAME@VERSION.") var reference: String
            @OptionGroup var hubOption: HubOption
            @OptionGroup var jsonOutput: JSONOutput
            var json: Bool { jsonOutput.json }

            func execute() throws {
                let hub = try baseURL(hubOption.hub)
                if case .release(let name, let version) = ModelReference(reference) {
                    let release = try runBlocking { try await ModelHubClient(baseURL: hub).release(name: name, version: version) }
                    if json { printNodeJSON(release) } else {
                        print("\(name)@\(version): model id \(release.modelId), key hash \(release.verificationKeyHash), onnx \(release.onnxBlob), bits \(release.settings.bits)")
                    }
                    return
                }
                guard ModelReference.isValidName(reference) else { throw UsageError("\(reference) is not a model name or name@major.minor", code: "usage") }
                let model = try runBlocking { try await NodeHTTPClient().get("\(hub)/v1/models/\(reference)", as: ModelRecord.self) }
                if json { printNodeJSON(model) } else {
                    print("\(model.name) (owner \(model.owner)): \(model.description)")
                    for r in model.releases { print("  \(r.version): model id \(r.modelId)") }
                }
            }
        }

        struct Pull: ReportingCommand {
            static let configuration = CommandConfiguration(
                commandName: "pull",
                abstract: "Download a release (blobs checked against their ids), compile it and check the derived key against the release.")
            @Argument(help: "NAME@VERSION.") var reference: String
            @Option(name: .shortAndLong, help: "The directory to write (model.onnx, calibration.json, model.zkcm, verification.key).") var output: String
            @OptionGroup var hubOption: HubOption
            @OptionGroup var jsonOutput: JSONOutput
            var json: Bool { jsonOutput.json }

            func execute() throws {
                guard case .release(let name, let version) = ModelReference(reference) else {
                    throw UsageError("\(reference) is not name@major.minor", code: "usage")
                }
                let hub = try baseURL(hubOption.hub)
                let (release, onnx, calibration) = try runBlocking { try await ModelHubClient(baseURL: hub).pull(name: name, version: version) }
                let (build, provingKey) = try ModelBuild.build(onnx: onnx, calibration: calibration, bits: release.settings.bits)
                guard build.verificationKeyHash == release.verificationKeyHash else {
                    throw UsageError("the key derived here is not the released key", code: "key_mismatch")
                }
                let directory = ModelDirectory(path: output)
                try directory.write(build.compiled)
                try directory.writeKeys(provingKey)
                try writeBytes(onnx, toPath: output + "/model.onnx")
                try writeBytes(calibration, toPath: output + "/calibration.json")
                if json { printNodeJSON(release) } else { print("pulled \(reference) → \(output) (model id \(release.modelId), key checked)") }
            }
        }
    }
}

func uploadBlob(file: String, hub: String) throws -> BlobReceipt {
    guard let data = FileManager.default.contents(atPath: file) else { throw UsageError("cannot read \(file)", code: "unreadable_file") }
    return try runBlocking {
        let reply = try await NodeHTTPClient(timeoutSeconds: 600).postBytes("\(hub)/v1/blobs", Array(data))
        return try reply.decode(BlobReceipt.self)
    }
}

