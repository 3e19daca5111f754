import Foundation
import Testing
import ZKCircuit
import ZKCompiler
import ZKModel
import ZKWire

/// The binary compiled-model file (`model.zkcm`) on zoo models.
@Suite("Compiled model file")
struct CompiledModelWireTests {
    static func compile(_ model: String, file: String = "model.onnx") throws -> CompiledModel {
        let (graph, _, calibration, _) = try ZooTests.load(model, file: file)
        let name = graph.inputs[0].name, shape = graph.inputs[0].shape
        var compiled = try Compiler.compile(
            graph, calibration: try calibration.input_data.map { [name: try FloatTensor(shape: shape, values: $0)] })
        compiled.sourceHash = "0123abcd"
        return compiled
    }

    /// Every stored property, compared through the (kept) JSON encoding.
    static func json(_ model: CompiledModel) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(model)
    }

    /// Encode → decode gives the same model (every field) and encode again the same bytes, for a
    /// dense, a convolutional (pooling, flatten) and a scikit-learn model.
    @Test(arguments: [("mlp_784_128_10", "model.onnx"), ("lenet5", "model.onnx"), ("sklearn_mlp", "model_probabilities.onnx")])
    func roundTrips(model: String, file: String) throws {
        let compiled = try Self.compile(model, file: file)
        let bytes = compiled.encoded()
        #expect(Array(bytes[0..<6]) == Array("ZKCM".utf8) + [2, 0])
        let decoded = try CompiledModel(decoding: bytes)
        #expect(try Self.json(decoded) == Self.json(compiled))
        #expect(decoded.encoded() == bytes)
        #expect(decoded.circuit == compiled.circuit)
    }

    /// Truncations (every prefix of the header, then spread over the file), a foreign magic, a
    /// newer version and an out-of-range requantized tensor are typed errors.
    @Test func malformedFilesAreTypedErrors() throws {
        let compiled = try Self.compile("sklearn_mlp", file: "model_probabilities.onnx")
        let bytes = compiled.encoded()
        let cuts = Array(0..<64) + Array(stride(from: 64, to: bytes.count, by: max(1, bytes.count / 500))) + [bytes.count - 1]
        for cut in cuts {
            #expect(throws: WireError.self) { try CompiledModel(decoding: Array(bytes.prefix(cut))) }
        }
        #expect(throws: WireError.trailingBytes(count: 1)) { try CompiledModel(decoding: bytes + [0]) }
        var magic = bytes
        magic[0] = UInt8(ascii: "X")
        #expect(throws: WireError.badMagic(expected: "ZKCM")) { try CompiledModel(decoding: magic) }
        var version = bytes
        version[4] = 4
        #expect(throws: WireError.unsupportedVersion(found: 4, supported: 3)) { try CompiledModel(decoding: version) }
        version[4] = 1
        #expect(throws: WireError.unsupportedVersion(found: 1, supported: 3)) { try CompiledModel(decoding: version) }
        // A version-2 body labelled 3 lacks the witness hints a version-3 file must have.
        version[4] = 3
        #expect(throws: WireError.self) { try CompiledModel(decoding: version) }
        var broken = compiled
        broken.layers[0].requantizedTensor = compiled.circuit.tensors.count
        #expect(throws: WireError.self) { try CompiledModel(decoding: broken.encoded()) }
        broken = compiled
        broken.inputScale = 0
        #expect(throws: WireError.invalidValue(field: "input scale", detail: "0.0")) { try CompiledModel(decoding: broken.encoded()) }
        // An unknown input quantization rule (the last field).
        var rule = bytes
        rule[rule.count - 1] = UInt8(ascii: "X")
        #expect(throws: WireError.invalidValue(field: "input quantization", detail: "calibrateX")) { try CompiledModel(decoding: rule) }
    }
}
