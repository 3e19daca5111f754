import Foundation
import ZKCompiler
import ZKField
import ZKML
import ZKModel
import ZKNodeCore
import ZKONNX
import ZKProver
import ZKSetup
import ZKSodium
import ZKVerifier
import ZKWire

/// A compiled model on disk:
///
/// - `model.zkcm`: the compiled model — circuit, integer weights, scales, interface — in the
///   binary format of CompiledModel+Wire.swift (magic `ZKCM`);
/// - `scales.json`: the per-layer scales, for people (`zkml` never reads it back);
/// - after `zkml setup`: `verification.key` (`ZKVK`, what verifiers need) and `proving.key`
///   (`ZKPK`, the committed weights, so that `zkml prove` loads them instead of committing again).
struct ModelDirectory {
    let path: String
    var modelPath: String { path + "/model.zkcm" }
    var verificationKeyPath: String { path + "/verification.key" }
    var provingKeyPath: String { path + "/proving.key" }
    var scalesPath: String { path + "/scales.json" }

    func write(_ model: CompiledModel) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try writeBytes(model.encoded(), toPath: modelPath)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(model.layers).write(to: URL(fileURLWithPath: scalesPath), options: .atomic)
    }

    func readModel() throws -> CompiledModel {
        guard let bytes = readBytes(atPath: modelPath) else {
            let legacy = FileManager.default.fileExists(atPath: path + "/compiled.json")
                ? " (compiled.json is the format of zkml 0.2 and earlier)" : ""
            throw UsageError(
                "\(path) has no model.zkcm\(legacy): run `zkml compile MODEL.onnx -o \(path)` first", code: "unreadable_file")
        }
        do { return try CompiledModel(decoding: bytes) } catch {
            throw UsageError(
                "\(modelPath) is not a compiled model zkml \(toolVersion) can read: \(error)", code: "malformed_model",
                reason: error.code)
        }
    }

    /// Writes `verification.key` and `proving.key`.
    func writeKeys(_ provingKey: ProvingKey<Fr>) throws {
        try writeBytes(provingKey.verificationKey.encoded(), toPath: verificationKeyPath)
        try writeBytes(provingKey.encoded(), toPath: provingKeyPath)
    }

    /// The stored proving key, or `nil` when there is none.
    /// - Throws: a ``UsageError`` when the file is damaged, or is not the key of `model` (compiled
    ///   again since `zkml setup`).
    func readProvingKey(for model: CompiledModel) throws -> ProvingKey<Fr>? {
        guard let file = MappedFile(path: provingKeyPath) else { return nil }
        let key: ProvingKey<Fr>
        do { key = try ProvingKey(decoding: file) } catch {
            throw UsageError(
                "\(provingKeyPath) cannot be used: \(error); run `zkml setup \(path)` again", code: "malformed_key",
                reason: error.code)
        }
        guard key.matches(model: model) else {
            throw UsageError(
                "\(provingKeyPath) is not the key of \(modelPath) (compiled again since setup?): run `zkml setup \(path)` again",
                code: "key_mismatch")
        }
        return key
    }

    /// Throws unless the stored `verification.key`, when there is one, is `key` (same model id).
    /// `encoded` is `key.encoded()`: equal bytes settle it without decoding.
    func checkVerificationKey(_ key: VerificationKey, encoded: [UInt8]) throws {
        guard let stored = readBytes(atPath: verificationKeyPath), stored != encoded else { return }
        guard let decoded = try? VerificationKey(decoding: stored), decoded.modelID == key.modelID else {
            throw UsageError(
                "\(verificationKeyPath) does not match the compiled model: run `zkml setup \(path)` again", code: "key_mismatch")
        }
    }

    /// Setup from the compiled model (the library's, with the model's interface and source hash).
    static func setup(_ model: CompiledModel) throws -> ProvingKey<Fr> {
        try ZKSetup.Setup.run(model: model, field: Fr.self)
    }
}

/// Import and compile an ONNX model, with the calibration files (every row of each), quantizing
/// weights and activations to `bits` bits: the library's import (which records the file's hash),
/// then ``ModelBuild/compile(graph:calibrationRows:bits:)`` on the rows of the files.
func compileModel(onnx path: String, calibration: [String], bits: Int = 8) throws -> CompiledModel {
    let graph = try importGraph(onnx: path)
    return try ModelBuild.compile(graph: graph, calibrationRows: try calibrationRows(calibration, for: graph), bits: bits)
}

/// The model's graph, or a `UsageError` (`import_failed`) that says why not.
func importGraph(onnx path: String) throws -> ModelGraph {
    do { return try ONNXImporter().importModel(contentsOf: path).graph } catch {
        throw UsageError("cannot import \(path):\n\(error)", code: "import_failed")
    }
}

/// Every row of the calibration files, each checked against the graph's input size.
func calibrationRows(_ files: [String], for graph: ModelGraph) throws -> [[Float]] {
    let input = graph.inputs[0]
    var rows: [[Float]] = []
    for file in files {
        for row in try InputFile(path: file, inputName: input.name).rows {
            guard row.count == input.shape.reduce(1, *) else {
                throw UsageError("\(file): a row has \(row.count) values, the input \(input.name) has shape \(input.shape)")
            }
            rows.append(row)
        }
    }
    guard !rows.isEmpty else { throw UsageError("no calibration input: pass --calibration FILE", code: "usage") }
    return rows
}
