public import ZKCircuit
public import ZKCommit
public import ZKSodium
public import ZKWire

/// The canonical byte layout of a verification key (version 1):
///
///     "ZKVK" u16 version
///     circuit:   u32 tensorCount, per tensor: string name, u32 rank, u32 dims…, u8 storage, i64 min, i64 max
///                u32 relationCount, per relation: u8 tag, fields (tensor ids as u32, integers as i64)
///                u32 tableCount, per table: u8 tag, u32 bits, [string name, u32 count, i64 values…]
///                u32 input, u32 output
///     constants: u32 count, per constant (in tensor order): u32 id, integers
///     weight commitment: u32 numVariables, 32-byte root
///     parameters (weights, advice): u32 numVariables, u32 logRows, u32 logInverseRate, u32 queryCount
///     u8 has-interface, then: string input name, integers input shape, f64 input scale,
///                             string output name, integers output shape, f64 output scale, string postprocessing,
///                             string source-model hash
///
/// Everything is written in a fixed order (constants sorted by tensor id), so the bytes — and the
/// model id, their BLAKE2b-256 — depend only on the model and the compile settings.
struct VerificationKeyEncoder {
    var writer = WireWriter()

    mutating func encode(
        circuit: Circuit, constants: [TensorID: [Int64]], weightCommitment: LigeroCommitment,
        weightParameters: LigeroParameters, adviceParameters: LigeroParameters, interface: ModelInterface?
    ) -> [UInt8] {
        writer = WireWriter()
        writer.write(magic: "ZKVK", version: VerificationKey.formatVersion)
        writeCircuit(circuit)
        writer.write(count: constants.count)
        for id in constants.keys.sorted() {
            writer.write(count: id)
            writer.write(integers: constants[id]!)
        }
        writer.write(count: weightCommitment.numVariables)
        writer.write(digest: weightCommitment.root)
        for p in [weightParameters, adviceParameters] {
            writer.write(count: p.numVariables)
            writer.write(count: p.logRows)
            writer.write(count: p.logInverseRate)
            writer.write(count: p.queryCount)
        }
        writer.write(u8: interface == nil ? 0 : 1)
        if let i = interface {
            writer.write(string: i.inputName)
            writer.write(integers: i.inputShape.map(Int64.init))
            writer.write(u64: i.inputScale.bitPattern)
            writer.write(string: i.outputName)
            writer.write(integers: i.outputShape.map(Int64.init))
            writer.write(u64: i.outputScale.bitPattern)
            writer.write(string: i.postprocessing)
            writer.write(string: i.sourceHash)
        }
        return writer.bytes
    }

    mutating func writeCircuit(_ circuit: Circuit) {
        writer.write(count: circuit.tensors.count)
        for t in circuit.tensors {
            writer.write(string: t.name)
            writer.write(count: t.layout.shape.count)
            for d in t.layout.shape { writer.write(count: d) }
            writer.write(u8: t.storage.rawValue)
            writer.write(i64: t.minimum)
            writer.write(i64: t.maximum)
        }
        writer.write(count: circuit.relations.count)
        for r in circuit.relations {
            switch r {
            case .matMul(let out, let w, let x, let b):
                writer.write(u8: 1)
                for id in [out, w, x] { writer.write(count: id) }
                writer.write(u8: b == nil ? 0 : 1)
                if let b { writer.write(count: b) }
            case .requantize(let out, let acc, let limbs, let m, let s):
                writer.write(u8: 2)
                writer.write(count: out)
                writer.write(count: acc)
                writer.write(count: limbs.count)
                for l in limbs { writer.write(count: l) }
                writer.write(i64: m)
                writer.write(count: s)
            case .lookup(let x, let out, let table):
                writer.write(u8: 3)
                writer.write(count: x)
                writer.write(u8: out == nil ? 0 : 1)
                if let out { writer.write(count: out) }
                writer.write(count: table)
            case .add(let out, let a, let b):
                writer.write(u8: 4)
                for id in [out, a, b] { writer.write(count: id) }
            case .mul(let out, let a, let b):
                writer.write(u8: 5)
                for id in [out, a, b] { writer.write(count: id) }
            case .linear(let out, let x, let map):
                writer.write(u8: 6)
                writer.write(count: out)
                writer.write(count: x)
                writeMap(map)
            case .concat(let out, let inputs, let axis):
                writer.write(u8: 9)
                writer.write(count: out)
                writer.write(count: inputs.count)
                for x in inputs { writer.write(count: x) }
                writer.write(count: axis)
            case .maxPool(let out, let x, let differences, let kernel, let stride, let pads):
                writer.write(u8: 7)
                writer.write(count: out)
                writer.write(count: x)
                writer.write(count: differences.count)
                for d in differences { writer.write(count: d) }
                for list in [kernel, stride, pads] { writer.write(integers: list.map(Int64.init)) }
            case .conv2d(let out, let w, let x, let b, let stride, let pads, let groups):
                writer.write(u8: 8)
                for id in [out, w, x] { writer.write(count: id) }
                writer.write(u8: b == nil ? 0 : 1)
                if let b { writer.write(count: b) }
                for list in [stride, pads] { writer.write(integers: list.map(Int64.init)) }
                writer.write(count: groups)
            }
        }
        writer.write(count: circuit.tables.count)
        writeTables(circuit.tables)
        writer.write(count: circuit.input)
        writer.write(count: circuit.output)
    }

    mutating func writeMap(_ map: LinearMap) {
        switch map {
        case .reshape:
            writer.write(u8: 1)
        case .transpose(let permutation):
            writer.write(u8: 2)
            writer.write(integers: permutation.map(Int64.init))
        case .slice(let starts, let steps):
            writer.write(u8: 3)
            writer.write(integers: starts.map(Int64.init))
            writer.write(integers: steps.map(Int64.init))
        case .pad(let before):
            writer.write(u8: 4)
            writer.write(integers: before.map(Int64.init))
        case .sumPool(let kernel, let stride, let pads):
            writer.write(u8: 5)
            for list in [kernel, stride, pads] { writer.write(integers: list.map(Int64.init)) }
        case .window(let kernel, let stride, let pads, let offset):
            writer.write(u8: 6)
            for list in [kernel, stride, pads, offset] { writer.write(integers: list.map(Int64.init)) }
        }
    }

    mutating func writeTables(_ tables: [LookupTableSpec]) {
        for t in tables {
            switch t {
            case .range(let bits):
                writer.write(u8: 1)
                writer.write(count: bits)
            case .function(let name, let bits, let values):
                writer.write(u8: 2)
                writer.write(count: bits)
                writer.write(string: name)
                writer.write(integers: values)
            }
        }
    }
}

/// A short list of small non-negative integers (shapes, strides, pads, permutations).
private func smallInts(_ r: inout WireReader, _ field: String) throws(WireError) -> [Int] {
    let values = try r.readIntegers(field, limit: 16)
    guard values.allSatisfy({ $0 >= 0 && $0 <= 1 << 24 }) else { throw .invalidValue(field: field, detail: "\(values)") }
    return values.map { Int($0) }
}

private func readMap(_ r: inout WireReader) throws(WireError) -> LinearMap {
    switch try r.readU8() {
    case 1: return .reshape
    case 2: return .transpose(permutation: try smallInts(&r, "permutation"))
    case 3: return .slice(starts: try smallInts(&r, "starts"), steps: try smallInts(&r, "steps"))
    case 4: return .pad(before: try smallInts(&r, "pad"))
    case 5:
        return .sumPool(kernel: try smallInts(&r, "kernel"), stride: try smallInts(&r, "stride"), pads: try smallInts(&r, "pads"))
    case 6:
        return .window(kernel: try smallInts(&r, "kernel"), stride: try smallInts(&r, "stride"),
                       pads: try smallInts(&r, "pads"), offset: try smallInts(&r, "offset"))
    case let tag: throw .invalidValue(field: "map tag", detail: "\(tag)")
    }
}

extension VerificationKey {
    /// Decodes a key written by ``encoded()``, checking every count against generous limits and
    /// the circuit's structure (``Circuit/validate()``).
    public init(decoding bytes: [UInt8]) throws(WireError) {
        var r = WireReader(bytes)
        try r.readHeader(magic: "ZKVK", supported: VerificationKey.formatVersion)
        let limit = 1 << 24
        let tensorCount = try r.readCount("tensors", limit: 1 << 20)
        var tensors: [TensorInfo] = []
        for _ in 0..<tensorCount {
            let name = try r.readString("tensor name")
            let rank = try r.readCount("rank", limit: 8)
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(try r.readCount("dimension", limit: 1 << 24)) }
            guard shape.allSatisfy({ $0 > 0 }), shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).partialValue }) <= 1 << 28 else {
                throw .invalidValue(field: "shape", detail: "\(shape)")
            }
            guard let storage = TensorStorage(rawValue: try r.readU8()) else {
                throw .invalidValue(field: "storage", detail: "unknown")
            }
            let minimum = try r.readI64(), maximum = try r.readI64()
            tensors.append(TensorInfo(name: name, shape: shape, storage: storage, minimum: minimum, maximum: maximum))
        }
        func id(_ field: String) throws(WireError) -> TensorID {
            let v = try r.readCount(field, limit: Int(UInt32.max))
            guard v < tensorCount else { throw .invalidValue(field: field, detail: "tensor \(v) of \(tensorCount)") }
            return v
        }
        let relationCount = try r.readCount("relations", limit: 1 << 20)
        var relations: [Relation] = []
        for _ in 0..<relationCount {
            switch try r.readU8() {
            case 1:
                let out = try id("output"), w = try id("weights"), x = try id("input")
                let hasBias = try r.readU8()
                guard hasBias <= 1 else { throw .invalidValue(field: "bias flag", detail: "\(hasBias)") }
                relations.append(.matMul(output: out, weights: w, input: x, bias: hasBias == 1 ? try id("bias") : nil))
            case 2:
                let out = try id("output"), acc = try id("input")
                let count = try r.readCount("limbs", limit: 8)
                var limbs: [TensorID] = []
                for _ in 0..<count { limbs.append(try id("limb")) }
                let m = try r.readI64()
                let s = try r.readCount("shift", limit: 62)
                relations.append(.requantize(output: out, input: acc, remainderLimbs: limbs, multiplier: m, shift: s))
            case 3:
                let x = try id("input")
                let hasOutput = try r.readU8()
                guard hasOutput <= 1 else { throw .invalidValue(field: "output flag", detail: "\(hasOutput)") }
                let out = hasOutput == 1 ? try id("output") : nil
                relations.append(.lookup(input: x, output: out, table: try r.readCount("table", limit: 1 << 10)))
            case 4:
                relations.append(.add(output: try id("output"), lhs: try id("lhs"), rhs: try id("rhs")))
            case 5:
                relations.append(.mul(output: try id("output"), lhs: try id("lhs"), rhs: try id("rhs")))
            case 6:
                let out = try id("output"), x = try id("input")
                relations.append(.linear(output: out, input: x, map: try readMap(&r)))
            case 7:
                let out = try id("output"), x = try id("input")
                let count = try r.readCount("differences", limit: 1 << 10)
                var differences: [TensorID] = []
                for _ in 0..<count { differences.append(try id("difference")) }
                let kernel = try smallInts(&r, "kernel"), stride = try smallInts(&r, "stride"), pads = try smallInts(&r, "pads")
                relations.append(.maxPool(output: out, input: x, differences: differences, kernel: kernel, stride: stride, pads: pads))
            case 9:
                let out = try id("output")
                let count = try r.readCount("concat inputs", limit: 1 << 10)
                var inputs: [TensorID] = []
                for _ in 0..<count { inputs.append(try id("concat input")) }
                relations.append(.concat(output: out, inputs: inputs, axis: try r.readCount("axis", limit: 8)))
            case 8:
                let out = try id("output"), w = try id("weights"), x = try id("input")
                let hasBias = try r.readU8()
                guard hasBias <= 1 else { throw .invalidValue(field: "bias flag", detail: "\(hasBias)") }
                let b = hasBias == 1 ? try id("bias") : nil
                let stride = try smallInts(&r, "stride"), pads = try smallInts(&r, "pads")
                let groups = try r.readCount("groups", limit: 1 << 20)
                relations.append(.conv2d(output: out, weights: w, input: x, bias: b, stride: stride, pads: pads, groups: groups))
            case let tag:
                throw .invalidValue(field: "relation tag", detail: "\(tag)")
            }
        }
        let tableCount = try r.readCount("tables", limit: 1 << 10)
        var tables: [LookupTableSpec] = []
        for _ in 0..<tableCount {
            switch try r.readU8() {
            case 1:
                let bits = try r.readCount("bits", limit: 24)
                guard bits >= 1 else { throw .invalidValue(field: "bits", detail: "0") }
                tables.append(.range(bits: bits))
            case 2:
                let bits = try r.readCount("bits", limit: 20)
                let name = try r.readString("table name")
                let values = try r.readIntegers("table values", limit: 1 << 20)
                guard bits >= 1, values.count == 1 << bits else {
                    throw .invalidValue(field: "table values", detail: "\(values.count) for \(bits) bits")
                }
                tables.append(.function(name: name, bits: bits, values: values))
            case let tag:
                throw .invalidValue(field: "table tag", detail: "\(tag)")
            }
        }
        let input = try id("input"), output = try id("output")
        let circuit = Circuit(tensors: tensors, relations: relations, tables: tables, input: input, output: output)
        do throws(CircuitError) { try circuit.validate() } catch {
            throw .invalidValue(field: "circuit", detail: "\(error)")
        }
        let constantCount = try r.readCount("constants", limit: tensorCount)
        var constants: [TensorID: [Int64]] = [:]
        for _ in 0..<constantCount {
            let c = try id("constant")
            let values = try r.readIntegers("constant values", limit: limit)
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
        for _ in 0..<2 {
            let n = try r.readCount("numVariables", limit: 40), rows = try r.readCount("logRows", limit: 40)
            let rate = try r.readCount("logInverseRate", limit: 8), queries = try r.readCount("queries", limit: 1 << 20)
            do throws(LigeroError) {
                parameters.append(try LigeroParameters(numVariables: n, logRows: rows, logInverseRate: rate, queryCount: queries))
            } catch {
                throw .invalidValue(field: "commitment parameters", detail: "\(error)")
            }
        }
        var interface: ModelInterface? = nil
        switch try r.readU8() {
        case 0: break
        case 1:
            let inputName = try r.readString("input name")
            let inputShape = try smallInts(&r, "input shape")
            let inputScale = Double(bitPattern: try r.readU64())
            let outputName = try r.readString("output name")
            let outputShape = try smallInts(&r, "output shape")
            let outputScale = Double(bitPattern: try r.readU64())
            let postprocessing = try r.readString("postprocessing")
            let sourceHash = try r.readString("source hash")
            guard inputScale.isFinite, inputScale > 0, outputScale.isFinite, outputScale > 0 else {
                throw .invalidValue(field: "scales", detail: "must be positive and finite")
            }
            interface = ModelInterface(
                inputName: inputName, inputShape: inputShape, inputScale: inputScale, outputName: outputName,
                outputShape: outputShape, outputScale: outputScale, postprocessing: postprocessing, sourceHash: sourceHash)
        case let flag: throw .invalidValue(field: "interface flag", detail: "\(flag)")
        }
        try r.finish()
        let layout = ProtocolLayout(circuit: circuit)
        guard parameters[0].numVariables == layout.weights.variableCount, weightVariables == layout.weights.variableCount,
              parameters[1].numVariables == layout.advice.variableCount else {
            throw .invalidValue(field: "commitment parameters", detail: "do not match the circuit")
        }
        self.init(
            circuit: circuit, constants: constants,
            weightCommitment: LigeroCommitment(numVariables: weightVariables, root: root),
            weightParameters: parameters[0], adviceParameters: parameters[1], interface: interface)
    }
}
