import ZKCircuit
public import ZKWire

/// The compiled-model file (`model.zkcm`), versions 2 and 3: what `zkml compile` writes and every later
/// stage reads. All integers little-endian; `integers` is a `u32` count and an `i64` per value,
/// `packed` a ``WireWriter/write(packedIntegers:)`` list (`u8` byte width, `u32` count, values at
/// that width: one byte per int8 weight), `string` a `u16` length and UTF-8, `f64` the IEEE 754
/// bits as `u64`:
///
///     "ZKCM" u16 version
///     string toolVersion                 the version of the tool that wrote it
///     circuit                            (``Circuit/write(to:)``, the verification key's layout)
///     u32 known count, per weight or constant tensor in id order: u32 id, packed values
///     u32 bits
///     string input name, integers input shape, f64 input scale
///     string output name, integers output shape, f64 output scale
///     string postprocessing              ("none", "softmax", "argmax")
///     u32 layer count, per layer: string node, string op, f64 input scale,
///         u8 has-weight-scale [f64 weight scale], f64 output scale, i64 multiplier, i64 shift,
///         f64 calibrated minimum, f64 calibrated maximum, i64 table bits, u32 requantized tensor,
///         i64 saturation minimum, i64 saturation maximum
///     string source hash
///     string input quantization          ("calibrated", "onnx"; version 2; "one-hot" since the
///                                        token-id inputs, same version: an older reader refuses it)
///     witness hints                      version 3 only: u32 count (at least 1), per hint: u8 kind
///                                        (1 = ArgMax), u32 relation, u32 input, u32 axis,
///                                        u8 select-last-index, u32 one-hot, u32 before,
///                                        u8 has-after [u32 after], u32 maximum, u32 differences
///                                        (``WitnessHint``)
///
/// A model without witness hints is written as version 2 (so every such model keeps its bytes);
/// one with hints (a proven ArgMax) as version 3, which a version-2 reader refuses. Both
/// versions are read.
///
/// Decoding a 100k-weight model takes well under a millisecond (against about 25 ms for the
/// JSON it replaces) and checks everything later stages index with: tensor ids, value counts,
/// scales, bits.
extension CompiledModel {
    /// The newest version written (``encoded()`` writes 2 for a model without witness hints).
    public static var formatVersion: UInt16 { 3 }

    /// The file's bytes (see the layout above). Deterministic: equal models, equal bytes.
    public func encoded() -> [UInt8] {
        var w = WireWriter()
        w.write(magic: "ZKCM", version: witnessHints.isEmpty ? 2 : 3)
        w.write(toolVersion: ToolVersion.current)
        circuit.write(to: &w)
        w.write(count: known.count)
        for id in known.keys.sorted() {
            w.write(count: id)
            w.write(packedIntegers: known[id]!)
        }
        w.write(count: bits)
        w.write(string: inputName)
        w.write(smallIntegers: inputShape)
        w.write(f64: inputScale)
        w.write(string: outputName)
        w.write(smallIntegers: outputShape)
        w.write(f64: outputScale)
        w.write(string: outputPostprocessing.rawValue)
        w.write(count: layers.count)
        for layer in layers {
            w.write(string: layer.node)
            w.write(string: layer.op)
            w.write(f64: layer.inputScale)
            w.write(u8: layer.weightScale == nil ? 0 : 1)
            if let s = layer.weightScale { w.write(f64: s) }
            w.write(f64: layer.outputScale)
            w.write(i64: layer.multiplier)
            w.write(i64: Int64(layer.shift))
            w.write(f64: layer.calibratedMinimum)
            w.write(f64: layer.calibratedMaximum)
            w.write(i64: Int64(layer.tableBits))
            w.write(count: layer.requantizedTensor)
            w.write(i64: layer.saturationMinimum)
            w.write(i64: layer.saturationMaximum)
        }
        w.write(string: sourceHash)
        w.write(string: inputQuantization.rawValue)
        if !witnessHints.isEmpty {   // version 3
            w.write(count: witnessHints.count)
            for hint in witnessHints {
                switch hint {
                case .argMax(let h):
                    w.write(u8: 1)
                    for value in [h.relation, h.input, h.axis] { w.write(count: value) }
                    w.write(u8: h.selectLastIndex ? 1 : 0)
                    w.write(count: h.oneHot)
                    w.write(count: h.before)
                    w.write(u8: h.after == nil ? 0 : 1)
                    if let after = h.after { w.write(count: after) }
                    w.write(count: h.maximum)
                    w.write(count: h.differences)
                }
            }
        }
        return w.bytes
    }

    /// Decodes a file written by ``encoded()``.
    /// - Throws: ``WireError`` for anything malformed: a foreign magic, another format version,
    ///   a bad circuit, a missing or misshapen weight, an out-of-range id, scale or bit width.
    ///   Never traps.
    public init(decoding bytes: [UInt8]) throws(WireError) {
        var r = WireReader(bytes)
        let version = try r.readHeader(magic: "ZKCM", supported: 2...Self.formatVersion)
        _ = try r.readToolVersion()
        let circuit = try Circuit(reading: &r)
        let tensors = circuit.tensors
        let stored = tensors.indices.filter { tensors[$0].storage == .weight || tensors[$0].storage == .constant }
        try r.readCount("known tensors", expected: stored.count)
        var known: [TensorID: [Int64]] = [:]
        for expected in stored {
            let id = try r.readCount("known tensor", limit: Int(UInt32.max))
            guard id == expected else { throw .invalidValue(field: "known tensor", detail: "\(id), expected \(expected)") }
            let values = try r.readPackedIntegers("known values", limit: tensors[id].layout.count)
            guard values.count == tensors[id].layout.count else {
                throw .countMismatch(
                    field: "values of \(tensors[id].name)", expected: tensors[id].layout.count, got: values.count)
            }
            known[id] = values
        }
        let bits = try r.readCount("bits", limit: 32)
        guard bits >= 2 else { throw .invalidValue(field: "bits", detail: "\(bits)") }
        func scale(_ field: String) throws(WireError) -> Double {
            let value = try r.readF64()
            guard value.isFinite, value > 0 else { throw .invalidValue(field: field, detail: "\(value)") }
            return value
        }
        func finite(_ field: String) throws(WireError) -> Double {
            let value = try r.readF64()
            guard value.isFinite else { throw .invalidValue(field: field, detail: "\(value)") }
            return value
        }
        let inputName = try r.readString("input name")
        let inputShape = try r.readSmallIntegers("input shape")
        let inputScale = try scale("input scale")
        let outputName = try r.readString("output name")
        let outputShape = try r.readSmallIntegers("output shape")
        let outputScale = try scale("output scale")
        guard CircuitLimits.checkedProduct(outputShape) == tensors[circuit.output].layout.count else {
            throw .invalidValue(
                field: "output shape", detail: "\(outputShape) does not hold the circuit's \(tensors[circuit.output].layout.count) values")
        }
        let rawPostprocessing = try r.readString("postprocessing")
        guard let postprocessing = Postprocessing(rawValue: rawPostprocessing) else {
            throw .invalidValue(field: "postprocessing", detail: rawPostprocessing)
        }
        let layerCount = try r.readCount("layers", limit: circuit.relations.count)
        var layers: [LayerScales] = []
        for _ in 0..<layerCount {
            let node = try r.readString("layer node"), op = try r.readString("layer op")
            let layerInputScale = try finite("layer input scale")
            let weightScale: Double?
            switch try r.readU8() {
            case 0: weightScale = nil
            case 1: weightScale = try finite("layer weight scale")
            case let flag: throw .invalidValue(field: "weight scale flag", detail: "\(flag)")
            }
            let layerOutputScale = try finite("layer output scale")
            let multiplier = try r.readI64(), shift = try r.readI64()
            let calibratedMinimum = try finite("calibrated minimum"), calibratedMaximum = try finite("calibrated maximum")
            let tableBits = try r.readI64()
            guard shift >= 0, shift <= 62, tableBits >= 0, tableBits <= 62 else {
                throw .invalidValue(field: "layer \(node)", detail: "shift \(shift), table bits \(tableBits)")
            }
            let requantized = try r.readCount("requantized tensor", limit: tensors.count - 1)
            let saturationMinimum = try r.readI64(), saturationMaximum = try r.readI64()
            layers.append(LayerScales(
                node: node, op: op, inputScale: layerInputScale, weightScale: weightScale, outputScale: layerOutputScale,
                multiplier: multiplier, shift: Int(shift), calibratedMinimum: calibratedMinimum,
                calibratedMaximum: calibratedMaximum, tableBits: Int(tableBits), requantizedTensor: requantized,
                saturationMinimum: saturationMinimum, saturationMaximum: saturationMaximum))
        }
        let sourceHash = try r.readString("source hash")
        let rawInputQuantization = try r.readString("input quantization")
        guard let inputQuantization = InputQuantization(rawValue: rawInputQuantization) else {
            throw .invalidValue(field: "input quantization", detail: rawInputQuantization)
        }
        try Self.checkInputShape(inputShape, of: tensors[circuit.input], quantization: inputQuantization)
        var hints: [WitnessHint] = []
        if version >= 3 {
            let count = try r.readCount("witness hints", limit: circuit.relations.count + 1)
            let tensorLimit = tensors.count - 1
            for index in 0..<count {
                guard try r.readU8() == 1 else { throw .invalidValue(field: "witness hint \(index)", detail: "unknown kind") }
                let relation = try r.readCount("hint relation", limit: circuit.relations.count)
                let input = try r.readCount("hint input", limit: tensorLimit)
                let axis = try r.readCount("hint axis", limit: 64)
                let last: Bool
                switch try r.readU8() {
                case 0: last = false
                case 1: last = true
                case let flag: throw .invalidValue(field: "hint select-last-index", detail: "\(flag)")
                }
                let oneHot = try r.readCount("hint one-hot", limit: tensorLimit)
                let before = try r.readCount("hint before", limit: tensorLimit)
                let after: TensorID?
                switch try r.readU8() {
                case 0: after = nil
                case 1: after = try r.readCount("hint after", limit: tensorLimit)
                case let flag: throw .invalidValue(field: "hint has-after", detail: "\(flag)")
                }
                let maximum = try r.readCount("hint maximum", limit: tensorLimit)
                let differences = try r.readCount("hint differences", limit: tensorLimit)
                let hint = WitnessHint.argMax(ArgMaxHint(
                    relation: relation, input: input, axis: axis, selectLastIndex: last, oneHot: oneHot, before: before,
                    after: after, maximum: maximum, differences: differences))
                if let problem = hint.problem(in: circuit) { throw .invalidValue(field: "witness hint \(index)", detail: problem) }
                hints.append(hint)
            }
            guard count > 0 else { throw .invalidValue(field: "witness hints", detail: "none (written as version 2)") }
        }
        try r.finish()
        self.init(
            circuit: circuit, known: known, bits: bits, inputName: inputName, inputShape: inputShape,
            inputScale: inputScale, outputName: outputName, outputShape: outputShape, outputScale: outputScale,
            outputPostprocessing: postprocessing, layers: layers, sourceHash: sourceHash)
        self.inputQuantization = inputQuantization
        self.witnessHints = hints
    }
}

extension CompiledModel {
    /// Checks that the model's input shape fits the circuit's public input: as many values, or
    /// for token ids (``InputQuantization/oneHot``) one row of `V` 0/1 integers per id, the
    /// circuit's input being `[positions…, V]`.
    static func checkInputShape(_ shape: [Int], of input: TensorInfo, quantization: InputQuantization) throws(WireError) {
        let count = input.layout.count
        guard quantization == .oneHot else {
            guard CircuitLimits.checkedProduct(shape) == count else {
                throw .invalidValue(field: "input shape", detail: "\(shape) does not hold the circuit's \(count) values")
            }
            return
        }
        guard let vocabulary = input.layout.shape.last, input.layout.shape.count >= 2, input.minimum == 0, input.maximum == 1,
              CircuitLimits.checkedProduct(shape + [vocabulary]) == count else {
            throw .invalidValue(
                field: "input shape",
                detail: "\(shape) token ids are not the rows of the circuit's one-hot input \(input.layout.shape) in [0, 1]")
        }
    }
}
