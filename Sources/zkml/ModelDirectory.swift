import Foundation
import ZKCompiler
import ZKField
import ZKModel
import ZKONNX
import ZKProtocol
import ZKSodium

/// A compiled model on disk: `compiled.json` (circuit, integer weights, scales, interface) and,
/// after setup, `verification.key`. The prover recommits the weights from `compiled.json` (setup
/// is deterministic, so the key it rebuilds must equal the stored one — checked on every prove).
struct ModelDirectory {
    let path: String
    var compiledPath: String { path + "/compiled.json" }
    var verificationKeyPath: String { path + "/verification.key" }
    var scalesPath: String { path + "/scales.json" }

    func write(_ model: CompiledModel) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(model).write(to: URL(fileURLWithPath: compiledPath), options: .atomic)
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(model.layers).write(to: URL(fileURLWithPath: scalesPath), options: .atomic)
    }

    func readModel() throws -> CompiledModel {
        guard let data = FileManager.default.contents(atPath: compiledPath) else {
            throw UsageError("\(path) has no compiled.json: run `zkml compile MODEL.onnx -o \(path)` first")
        }
        do { return try JSONDecoder().decode(CompiledModel.self, from: data) } catch {
            throw UsageError("\(compiledPath) is not a compiled model: \(error)")
        }
    }

    /// Setup from the compiled model: commits the weights and builds the keys.
    static func setup(_ model: CompiledModel) throws -> ProvingKey<Fr> {
        try ZKProtocol.Setup.run(circuit: model.circuit, known: model.known, interface: model.interface, field: Fr.self)
    }
}

extension CompiledModel {
    /// The interface written into the verification key.
    var interface: ModelInterface {
        ModelInterface(
            inputName: inputName, inputShape: inputShape, inputScale: inputScale, outputName: outputName,
            outputShape: outputShape, outputScale: outputScale, postprocessing: outputPostprocessing.rawValue,
            sourceHash: sourceHash)
    }
}

/// Import and compile an ONNX model, with the calibration files (every row of each).
func compileModel(onnx path: String, calibration: [String]) throws -> CompiledModel {
    let imported: ImportedModel
    do { imported = try ONNXImporter().importModel(contentsOf: path) } catch {
        throw UsageError("cannot import \(path):\n\(error)")
    }
    let graph = imported.graph
    let input = graph.inputs[0]
    var samples: [[String: ZKModelTensor]] = []
    for file in calibration {
        for row in try InputFile(path: file, inputName: input.name).rows {
            guard row.count == input.shape.reduce(1, *) else {
                throw UsageError("\(file): a row has \(row.count) values, the input \(input.name) has shape \(input.shape)")
            }
            samples.append([input.name: try ZKModelTensor(shape: input.shape, values: row)])
        }
    }
    guard !samples.isEmpty else { throw UsageError("no calibration input: pass --calibration FILE") }
    do {
        var compiled = try Compiler.compile(graph, calibration: samples)
        compiled.sourceHash = Blake2b.hash256(Array(FileManager.default.contents(atPath: path) ?? Data())).description
        return compiled
    } catch {
        throw UsageError("\(error)")
    }
}

/// The BLAKE2b-256 of the quantized input integers (the input hash shown by verify).
func inputHash(_ values: [Int64]) -> String {
    var bytes: [UInt8] = []
    for v in values { for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: UInt64(bitPattern: v) >> UInt64(8 * k))) } }
    return Blake2b.hash256(bytes).description
}
