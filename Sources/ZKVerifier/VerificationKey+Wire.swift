import ZKCircuit
import ZKCommit
import ZKSodium
public import ZKWire

/// The byte layout of a verification key, version 4 (all integers little-endian; `integers` is a
/// `u32` count and an `i64` per value, `string` a `u16` length and UTF-8):
///
///     "ZKVK" u16 version
///     string toolVersion                 the version of the tool that wrote the key
///     body:
///       circuit      (``Circuit/write(to:)``: tensors, relations, tables, input, output)
///       constants:   u32 count, per constant (sorted by tensor id): u32 id, integers
///       weight commitment: u32 numVariables, 32-byte root
///       parameters (weights, advice): u32 numVariables, u32 logRows, u32 logInverseRate, u32 queryCount
///       u8 advice transport (0 committed as C_1, 1 in the clear: ``AdviceTransport``)
///       u8 has-interface, then: string input name, integers input shape, f64 input scale,
///                               string output name, integers output shape, f64 output scale,
///                               string postprocessing, string source-model hash,
///                               string input encoding ("values" or "one-hot")
///
/// The **model id** is BLAKE2b-256 of `"ZKVK" u16 version || body`: every byte but the tool
/// version, which says who wrote the file and not what the model is, so the same model keeps its
/// id across tool releases that do not change the format. Everything is written in a fixed order
/// (constants sorted by tensor id), so the bytes — and the id — depend only on the model and the
/// compile settings, never on the machine or the thread count.
///
/// Version 3 had no advice transport (the advice was always committed); version 2 had no input
/// encoding (every input was quantized values); version 1 had no tool version either. This build
/// reads version 4 only: a key of an older version gives another model
/// id, so it is set up again rather than converted.
///
/// A one-hot input encoding is only valid for a circuit input `[positions…, V]` in `[0, 1]`
/// whose positions are the interface's input shape (one id per position).
extension VerificationKey {
    /// The key's bytes (see the layout above), with its ``toolVersion``.
    public func encoded() -> [UInt8] {
        var writer = WireWriter()
        writer.write(magic: "ZKVK", version: Self.formatVersion)
        writer.write(toolVersion: toolVersion)
        Self.writeBody(
            to: &writer, circuit: circuit, constants: constants, weightCommitment: weightCommitment,
            weightParameters: weightParameters, adviceParameters: adviceParameters, adviceTransport: adviceTransport,
            interface: interface)
        return writer.bytes
    }

    /// The model id of a key with these contents: BLAKE2b-256 of its bytes without the tool version.
    static func modelID(
        circuit: Circuit, constants: [TensorID: [Int64]], weightCommitment: LigeroCommitment,
        weightParameters: LigeroParameters, adviceParameters: LigeroParameters, adviceTransport: AdviceTransport,
        interface: ModelInterface?
    ) -> Digest32 {
        var writer = WireWriter()
        writer.write(magic: "ZKVK", version: Self.formatVersion)
        writeBody(
            to: &writer, circuit: circuit, constants: constants, weightCommitment: weightCommitment,
            weightParameters: weightParameters, adviceParameters: adviceParameters, adviceTransport: adviceTransport,
            interface: interface)
        return Blake2b.hash256(writer.bytes)
    }

    private static func writeBody(
        to writer: inout WireWriter, circuit: Circuit, constants: [TensorID: [Int64]],
        weightCommitment: LigeroCommitment, weightParameters: LigeroParameters, adviceParameters: LigeroParameters,
        adviceTransport: AdviceTransport, interface: ModelInterface?
    ) {
        circuit.write(to: &writer)
        writer.write(count: constants.count)
        for id in constants.keys.sorted() {
            writer.write(count: id)
            writer.write(integers: constants[id]!)
        }
        writer.write(count: weightCommitment.numVariables)
        writer.write(digest: weightCommitment.root)
        weightParameters.write(to: &writer)
        adviceParameters.write(to: &writer)
        writer.write(u8: adviceTransport.rawValue)
        writer.write(u8: interface == nil ? 0 : 1)
        if let i = interface {
            writer.write(string: i.inputName)
            writer.write(smallIntegers: i.inputShape)
            writer.write(f64: i.inputScale)
            writer.write(string: i.outputName)
            writer.write(smallIntegers: i.outputShape)
            writer.write(f64: i.outputScale)
            writer.write(string: i.postprocessing)
            writer.write(string: i.sourceHash)
            writer.write(string: i.inputEncoding.rawValue)
        }
    }

    /// Decodes a key written by ``encoded()``, checking every count against generous limits, the
    /// circuit's structure (``Circuit/validate()``) and the parameters against the circuit.
    /// - Throws: ``WireError`` for anything malformed (never traps), including
    ///   ``WireError/unsupportedVersion(found:supported:)`` for a key of version 1, 2 or 3, and
    ///   ``WireError/invalidValue(field:detail:)`` for an input encoding this build does not know.
    public init(decoding bytes: [UInt8]) throws(WireError) {
        var r = WireReader(bytes)
        try r.readHeader(magic: "ZKVK", supported: VerificationKey.formatVersion)
        let toolVersion = try r.readToolVersion()
        let circuit = try Circuit(reading: &r)
        let tensors = circuit.tensors
        let constantCount = try r.readCount("constants", limit: tensors.count)
        var constants: [TensorID: [Int64]] = [:]
        for _ in 0..<constantCount {
            let c = try r.readCount("constant", limit: tensors.count - 1)
            let values = try r.readIntegers("constant values", limit: 1 << 24)
            guard tensors[c].storage == .constant, values.count == tensors[c].layout.count, constants[c] == nil else {
                throw .invalidValue(field: "constant", detail: "tensor \(c)")
            }
            constants[c] = values
        }
        for (i, t) in tensors.enumerated() where t.storage == .constant && constants[i] == nil {
            throw .invalidValue(field: "constants", detail: "missing values for \(t.name)")
        }
        let weightVariables = try r.readCount("weight variables", limit: 40)
        let root = try r.readDigest()
        var parameters: [LigeroParameters] = []
        for _ in 0..<2 { parameters.append(try LigeroParameters(reading: &r)) }
        let rawTransport = try r.readU8()
        guard let adviceTransport = AdviceTransport(rawValue: rawTransport) else {
            throw .invalidValue(field: "advice transport", detail: "\(rawTransport) (known: 0 committed, 1 clear)")
        }
        var interface: ModelInterface? = nil
        switch try r.readU8() {
        case 0: break
        case 1:
            let inputName = try r.readString("input name")
            let inputShape = try r.readSmallIntegers("input shape")
            let inputScale = try r.readF64()
            let outputName = try r.readString("output name")
            let outputShape = try r.readSmallIntegers("output shape")
            let outputScale = try r.readF64()
            let postprocessing = try r.readString("postprocessing")
            let sourceHash = try r.readString("source hash")
            let rawEncoding = try r.readString("input encoding")
            guard let inputEncoding = ModelInterface.InputEncoding(rawValue: rawEncoding) else {
                throw .invalidValue(field: "input encoding", detail: "\"\(rawEncoding)\" (known: values, one-hot)")
            }
            guard inputScale.isFinite, inputScale > 0, outputScale.isFinite, outputScale > 0 else {
                throw .invalidValue(field: "scales", detail: "must be positive and finite")
            }
            try Self.checkInputShape(inputShape, of: circuit.tensors[circuit.input], encoding: inputEncoding)
            guard CircuitLimits.checkedProduct(outputShape) == circuit.tensors[circuit.output].layout.count else {
                throw .invalidValue(
                    field: "output shape",
                    detail: "\(outputShape) does not hold the circuit's \(circuit.tensors[circuit.output].layout.count) values")
            }
            interface = ModelInterface(
                inputName: inputName, inputShape: inputShape, inputScale: inputScale, outputName: outputName,
                outputShape: outputShape, outputScale: outputScale, postprocessing: postprocessing, sourceHash: sourceHash,
                inputEncoding: inputEncoding)
        case let flag: throw .invalidValue(field: "interface flag", detail: "\(flag)")
        }
        try r.finish()
        let layout = ProtocolLayout(circuit: circuit)
        guard parameters[0].numVariables == layout.weights.variableCount, weightVariables == layout.weights.variableCount,
              parameters[1].numVariables == layout.advice.variableCount else {
            throw .invalidValue(field: "commitment parameters", detail: "do not match the circuit")
        }
        for p in parameters where p.codewordLength > VerificationKey.maximumCodewordLength {
            throw .invalidValue(
                field: "commitment parameters",
                detail: "codeword of \(p.codewordLength) symbols, above the limit \(VerificationKey.maximumCodewordLength)")
        }
        self.init(
            circuit: circuit, constants: constants,
            weightCommitment: LigeroCommitment(numVariables: weightVariables, root: root),
            weightParameters: parameters[0], adviceParameters: parameters[1], adviceTransport: adviceTransport,
            interface: interface,
            toolVersion: toolVersion)
    }
}

extension VerificationKey {
    /// Checks that the interface's input shape fits the circuit's public input: as many values,
    /// or for one-hot token ids one row `[V]` of 0/1 integers per id, the circuit's input being
    /// `[positions…, V]` with bounds `[0, 1]`.
    static func checkInputShape(
        _ shape: [Int], of input: TensorInfo, encoding: ModelInterface.InputEncoding
    ) throws(WireError) {
        let count = input.layout.count
        switch encoding {
        case .values:
            guard CircuitLimits.checkedProduct(shape) == count else {
                throw .invalidValue(field: "input shape", detail: "\(shape) does not hold the circuit's \(count) values")
            }
        case .oneHot:
            guard let vocabulary = input.layout.shape.last, input.layout.shape.count >= 2, input.minimum == 0, input.maximum == 1,
                  CircuitLimits.checkedProduct(shape + [vocabulary]) == count else {
                throw .invalidValue(
                    field: "input shape",
                    detail: "\(shape) token ids are not the rows of the circuit's one-hot input \(input.layout.shape) in [0, 1]")
            }
        }
    }
}
