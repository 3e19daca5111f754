import Foundation
public import ZKCompiler
public import ZKModel
import ZKONNX
public import ZKSetup
public import ZKField
public import ZKVerifier
import ZKSodium
import ZKNodeProtocol

/// A model as a node holds it: compiled from its ONNX bytes and compile settings, with the
/// verification key derived by deterministic setup. The same bytes and settings give the same
/// model id and key on every machine, which is what lets a full node check a release (and verify
/// proofs) with a key it derived itself.
public struct ModelBuild: Sendable {
    public var compiled: CompiledModel
    public var verificationKey: VerificationKey
    /// `BLAKE2b-256` of the encoded verification key, as a release records it.
    public var verificationKeyHash: String
    public var modelID: String { verificationKey.modelID.description }

    /// Compiles `onnx` with `settings` (calibrating on every row of `calibration`), runs setup, and
    /// returns the build with its proving key (which only an inference node keeps).
    public static func build(onnx: [UInt8], calibration: [UInt8], bits: Int) throws(ModelBuildError) -> (build: ModelBuild, provingKey: ProvingKey<Fr>) {
        let compiled = try compile(onnx: onnx, calibration: calibration, bits: bits)
        let provingKey: ProvingKey<Fr>
        do { provingKey = try Setup.run(model: compiled, field: Fr.self) } catch { throw .setupFailed("\(error)") }
        let vk = provingKey.verificationKey
        return (ModelBuild(compiled: compiled, verificationKey: vk, verificationKeyHash: verificationKeyHash(vk)), provingKey)
    }

    public static func verificationKeyHash(_ key: VerificationKey) -> String {
        NodeHash.hash(domain: "zkml/verification-key/v1", key.encoded()).description
    }

    /// Compiles an imported graph, calibrating on `calibrationRows` (each the size of the graph's
    /// first input), with weights and activations quantized to `bits` bits: the one place the
    /// command, the hub and the nodes turn a model and its calibration into a circuit.
    /// - Throws: the compiler's `CompileError`, or `ModelError` for a row of the wrong size.
    public static func compile(graph: ModelGraph, calibrationRows: [[Float]], bits: Int) throws -> CompiledModel {
        let input = graph.inputs[0]
        let samples = try calibrationRows.map { [input.name: try FloatTensor(shape: input.shape, values: $0)] }
        return try Compiler.compile(graph, calibration: samples, options: CompileOptions(bits: bits))
    }

    /// Import and compile only.
    public static func compile(onnx: [UInt8], calibration: [UInt8], bits: Int) throws(ModelBuildError) -> CompiledModel {
        guard (2...16).contains(bits) else { throw .invalidSettings("bits must be between 2 and 16, not \(bits)") }
        let imported: ImportedModel
        do { imported = try ONNXImporter().importModel(bytes: onnx) } catch { throw .importFailed("\(error)") }
        let graph = imported.graph
        guard let input = graph.inputs.first else { throw .importFailed("the model has no input") }
        let document: InputDocument
        do { document = try InputDocument(data: Data(calibration), inputName: input.name) } catch {
            throw .invalidSettings("calibration: \(error)")
        }
        for (i, row) in document.rows.enumerated() where row.count != input.shape.reduce(1, *) {
            throw .invalidSettings("calibration row \(i) has \(row.count) values; the input \(input.name) has shape \(input.shape)")
        }
        do { return try compile(graph: graph, calibrationRows: document.rows, bits: bits) } catch {
            throw .compileFailed("\(error)")
        }
    }
}

/// Why a model cannot be built.
public enum ModelBuildError: Error, Sendable, CustomStringConvertible {
    case importFailed(String)
    case invalidSettings(String)
    case compileFailed(String)
    case setupFailed(String)

    public var code: String {
        switch self {
        case .importFailed: "import_failed"
        case .invalidSettings: "invalid_settings"
        case .compileFailed: "compile_failed"
        case .setupFailed: "setup_failed"
        }
    }

    public var description: String {
        switch self {
        case .importFailed(let why): "the ONNX model cannot be imported: \(why)"
        case .invalidSettings(let why): "invalid compile settings: \(why)"
        case .compileFailed(let why): "the model does not compile: \(why)"
        case .setupFailed(let why): "setup failed: \(why)"
        }
    }
}
