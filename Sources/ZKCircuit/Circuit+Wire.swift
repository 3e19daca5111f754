public import ZKWire

/// The canonical byte layout of a circuit, shared by the verification key and the compiled model
/// (all integers little-endian; `integers` is a `u32` count and an `i64` per value):
///
///     u32 tensorCount, per tensor: string name, u32 rank, u32 dims…, u8 storage, i64 min, i64 max
///     u32 relationCount, per relation: u8 tag, then its fields (tensor ids as u32):
///         1 matMul      output, weights, input, u8 has-bias [bias]
///         2 requantize  output, input, u32 limb count, limbs…, i64 multiplier, u32 shift
///         3 lookup      input, u8 has-output [output], u32 table
///         4 add / 5 mul output, lhs, rhs
///         6 linear      output, input, map: u8 tag (1 reshape, 2 transpose, 3 slice, 4 pad,
///                       5 sumPool, 6 window) and its integer lists
///         7 maxPool     output, input, u32 count, differences…, integers kernel, stride, pads
///         8 conv2d      output, weights, input, u8 has-bias [bias], integers stride, pads, u32 groups
///         9 concat      output, u32 count, inputs…, u32 axis
///     u32 tableCount, per table: u8 tag, then 1 range: u32 bits; 2 function: u32 bits,
///                                string name, integers values
///     u32 input, u32 output
///
/// Everything is in the circuit's own order, so equal circuits have equal bytes.
extension Circuit {
    /// Appends the circuit's bytes (see the layout above).
    public func write(to writer: inout WireWriter) {
        writer.write(count: tensors.count)
        for t in tensors {
            writer.write(string: t.name)
            writer.write(count: t.layout.shape.count)
            for d in t.layout.shape { writer.write(count: d) }
            writer.write(u8: t.storage.rawValue)
            writer.write(i64: t.minimum)
            writer.write(i64: t.maximum)
        }
        writer.write(count: relations.count)
        for relation in relations { relation.write(to: &writer) }
        writer.write(count: tables.count)
        for table in tables { table.write(to: &writer) }
        writer.write(count: input)
        writer.write(count: output)
    }

    /// Reads a circuit written by ``write(to:)``, checking every count against generous limits,
    /// every tensor id against the tensor count, and the structure (``validate()``).
    /// - Throws: ``WireError`` for anything malformed; never traps.
    public init(reading reader: inout WireReader) throws(WireError) {
        let tensorCount = try reader.readCount("tensors", limit: 1 << 20)
        var tensors: [TensorInfo] = []
        var totalSlots = 0
        for _ in 0..<tensorCount {
            let name = try reader.readString("tensor name")
            let rank = try reader.readCount("rank", limit: 8)
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(try reader.readCount("dimension", limit: 1 << 24)) }
            // Sizes are checked (overflow included) before anything of that size exists.
            let layout: TensorLayout
            do throws(CircuitSizeError) { layout = try TensorLayout(checkedShape: shape) } catch {
                throw .invalidValue(field: "tensor \(tensors.count) shape", detail: error.description)
            }
            guard let total = CircuitLimits.checkedSum([totalSlots, layout.slotCount], limit: CircuitLimits.maximumTotalSlots)
            else {
                throw .invalidValue(field: "tensors", detail: CircuitSizeError.circuitTooLarge(limit: CircuitLimits.maximumTotalSlots).description)
            }
            totalSlots = total
            guard let storage = TensorStorage(rawValue: try reader.readU8()) else {
                throw .invalidValue(field: "storage", detail: "unknown")
            }
            let minimum = try reader.readI64(), maximum = try reader.readI64()
            guard minimum <= maximum else {
                throw .invalidValue(field: "tensor \(tensors.count) range", detail: "minimum \(minimum) above maximum \(maximum)")
            }
            tensors.append(TensorInfo(name: name, layout: layout, storage: storage, minimum: minimum, maximum: maximum))
        }
        let ids = TensorIDReader(count: tensorCount)
        let relationCount = try reader.readCount("relations", limit: 1 << 20)
        var relations: [Relation] = []
        for _ in 0..<relationCount { relations.append(try Relation(reading: &reader, ids: ids)) }
        let tableCount = try reader.readCount("tables", limit: 1 << 10)
        var tables: [LookupTableSpec] = []
        for _ in 0..<tableCount { tables.append(try LookupTableSpec(reading: &reader)) }
        let input = try ids.read("input", from: &reader), output = try ids.read("output", from: &reader)
        self.init(tensors: tensors, relations: relations, tables: tables, input: input, output: output)
        do throws(CircuitError) { try validate() } catch {
            throw .invalidValue(field: "circuit", detail: "\(error)")
        }
    }
}

/// Reads tensor ids, each checked against the circuit's tensor count.
struct TensorIDReader {
    let count: Int

    func read(_ field: String, from reader: inout WireReader) throws(WireError) -> TensorID {
        let id = try reader.readCount(field, limit: Int(UInt32.max))
        guard id < count else { throw .invalidValue(field: field, detail: "tensor \(id) of \(count)") }
        return id
    }

    /// A `u8` presence flag (0 or 1), then the id when present.
    func readOptional(_ field: String, from reader: inout WireReader) throws(WireError) -> TensorID? {
        let flag = try reader.readU8()
        guard flag <= 1 else { throw .invalidValue(field: "\(field) flag", detail: "\(flag)") }
        return flag == 1 ? try read(field, from: &reader) : nil
    }

    /// A `u32` count (at most `limit`), then that many ids.
    func readList(_ field: String, limit: Int, from reader: inout WireReader) throws(WireError) -> [TensorID] {
        let n = try reader.readCount(field, limit: limit)
        var out: [TensorID] = []
        for _ in 0..<n { out.append(try read(field, from: &reader)) }
        return out
    }
}

extension WireWriter {
    /// A `u8` presence flag, then the id when present.
    fileprivate mutating func write(optional id: TensorID?) {
        write(u8: id == nil ? 0 : 1)
        if let id { write(count: id) }
    }

    /// A `u32` count, then the ids.
    fileprivate mutating func write(ids: [TensorID]) {
        write(count: ids.count)
        for id in ids { write(count: id) }
    }
}

extension Relation {
    func write(to writer: inout WireWriter) {
        switch self {
        case .matMul(let out, let w, let x, let b):
            writer.write(u8: 1)
            for id in [out, w, x] { writer.write(count: id) }
            writer.write(optional: b)
        case .requantize(let out, let acc, let limbs, let m, let s):
            writer.write(u8: 2)
            writer.write(count: out)
            writer.write(count: acc)
            writer.write(ids: limbs)
            writer.write(i64: m)
            writer.write(count: s)
        case .lookup(let x, let out, let table):
            writer.write(u8: 3)
            writer.write(count: x)
            writer.write(optional: out)
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
            map.write(to: &writer)
        case .maxPool(let out, let x, let differences, let kernel, let stride, let pads):
            writer.write(u8: 7)
            writer.write(count: out)
            writer.write(count: x)
            writer.write(ids: differences)
            for list in [kernel, stride, pads] { writer.write(smallIntegers: list) }
        case .conv2d(let out, let w, let x, let b, let stride, let pads, let groups):
            writer.write(u8: 8)
            for id in [out, w, x] { writer.write(count: id) }
            writer.write(optional: b)
            for list in [stride, pads] { writer.write(smallIntegers: list) }
            writer.write(count: groups)
        case .concat(let out, let inputs, let axis):
            writer.write(u8: 9)
            writer.write(count: out)
            writer.write(ids: inputs)
            writer.write(count: axis)
        }
    }

    init(reading r: inout WireReader, ids: TensorIDReader) throws(WireError) {
        switch try r.readU8() {
        case 1:
            let out = try ids.read("output", from: &r), w = try ids.read("weights", from: &r)
            let x = try ids.read("input", from: &r)
            self = .matMul(output: out, weights: w, input: x, bias: try ids.readOptional("bias", from: &r))
        case 2:
            let out = try ids.read("output", from: &r), acc = try ids.read("input", from: &r)
            let limbs = try ids.readList("limbs", limit: 8, from: &r)
            let m = try r.readI64()
            let s = try r.readCount("shift", limit: 62)
            self = .requantize(output: out, input: acc, remainderLimbs: limbs, multiplier: m, shift: s)
        case 3:
            let x = try ids.read("input", from: &r)
            let out = try ids.readOptional("output", from: &r)
            self = .lookup(input: x, output: out, table: try r.readCount("table", limit: 1 << 10))
        case 4:
            self = .add(output: try ids.read("output", from: &r), lhs: try ids.read("lhs", from: &r),
                        rhs: try ids.read("rhs", from: &r))
        case 5:
            self = .mul(output: try ids.read("output", from: &r), lhs: try ids.read("lhs", from: &r),
                        rhs: try ids.read("rhs", from: &r))
        case 6:
            let out = try ids.read("output", from: &r), x = try ids.read("input", from: &r)
            self = .linear(output: out, input: x, map: try LinearMap(reading: &r))
        case 7:
            let out = try ids.read("output", from: &r), x = try ids.read("input", from: &r)
            let differences = try ids.readList("differences", limit: 1 << 10, from: &r)
            let kernel = try r.readSmallIntegers("kernel"), stride = try r.readSmallIntegers("stride")
            let pads = try r.readSmallIntegers("pads")
            self = .maxPool(output: out, input: x, differences: differences, kernel: kernel, stride: stride, pads: pads)
        case 8:
            let out = try ids.read("output", from: &r), w = try ids.read("weights", from: &r)
            let x = try ids.read("input", from: &r)
            let b = try ids.readOptional("bias", from: &r)
            let stride = try r.readSmallIntegers("stride"), pads = try r.readSmallIntegers("pads")
            let groups = try r.readCount("groups", limit: 1 << 20)
            self = .conv2d(output: out, weights: w, input: x, bias: b, stride: stride, pads: pads, groups: groups)
        case 9:
            let out = try ids.read("output", from: &r)
            let inputs = try ids.readList("concat inputs", limit: 1 << 10, from: &r)
            self = .concat(output: out, inputs: inputs, axis: try r.readCount("axis", limit: 8))
        case let tag:
            throw .invalidValue(field: "relation tag", detail: "\(tag)")
        }
    }
}

extension LinearMap {
    func write(to writer: inout WireWriter) {
        switch self {
        case .reshape:
            writer.write(u8: 1)
        case .transpose(let permutation):
            writer.write(u8: 2)
            writer.write(smallIntegers: permutation)
        case .slice(let starts, let steps):
            writer.write(u8: 3)
            writer.write(smallIntegers: starts)
            writer.write(smallIntegers: steps)
        case .pad(let before):
            writer.write(u8: 4)
            writer.write(smallIntegers: before)
        case .sumPool(let kernel, let stride, let pads):
            writer.write(u8: 5)
            for list in [kernel, stride, pads] { writer.write(smallIntegers: list) }
        case .window(let kernel, let stride, let pads, let offset):
            writer.write(u8: 6)
            for list in [kernel, stride, pads, offset] { writer.write(smallIntegers: list) }
        case .axes(let maps):
            writer.write(u8: 7)
            writer.write(count: maps.count)
            for map in maps {
                writer.write(fixedWidthIntegers: map.pairs.map { UInt32(truncatingIfNeeded: $0.output) })
                writer.write(fixedWidthIntegers: map.pairs.map { UInt32(truncatingIfNeeded: $0.input) })
            }
        }
    }

    init(reading r: inout WireReader) throws(WireError) {
        switch try r.readU8() {
        case 1: self = .reshape
        case 2: self = .transpose(permutation: try r.readSmallIntegers("permutation"))
        case 3: self = .slice(starts: try r.readSmallIntegers("starts"), steps: try r.readSmallIntegers("steps"))
        case 4: self = .pad(before: try r.readSmallIntegers("pad"))
        case 5:
            self = .sumPool(kernel: try r.readSmallIntegers("kernel"), stride: try r.readSmallIntegers("stride"),
                            pads: try r.readSmallIntegers("pads"))
        case 6:
            self = .window(kernel: try r.readSmallIntegers("kernel"), stride: try r.readSmallIntegers("stride"),
                           pads: try r.readSmallIntegers("pads"), offset: try r.readSmallIntegers("offset"))
        case 7:
            let rank = try r.readCount("axis map count", limit: 16)
            var maps: [AxisMap] = []
            for _ in 0..<rank {
                let outputs = try r.readFixedWidthIntegers("axis map outputs", limit: 1 << 24, as: UInt32.self)
                let inputs = try r.readFixedWidthIntegers("axis map inputs", limit: 1 << 24, as: UInt32.self)
                guard outputs.count == inputs.count else {
                    throw .invalidValue(field: "axis map", detail: "\(outputs.count) outputs, \(inputs.count) inputs")
                }
                maps.append(AxisMap(pairs: zip(outputs, inputs).map { AxisMap.Pair(output: Int($0), input: Int($1)) }))
            }
            self = .axes(maps)
        case let tag: throw .invalidValue(field: "map tag", detail: "\(tag)")
        }
    }
}

extension LookupTableSpec {
    func write(to writer: inout WireWriter) {
        switch self {
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

    init(reading r: inout WireReader) throws(WireError) {
        switch try r.readU8() {
        case 1:
            let bits = try r.readCount("bits", limit: 24)
            guard bits >= 1 else { throw .invalidValue(field: "bits", detail: "0") }
            self = .range(bits: bits)
        case 2:
            let bits = try r.readCount("bits", limit: 20)
            let name = try r.readString("table name")
            let values = try r.readIntegers("table values", limit: 1 << 20)
            guard bits >= 1, values.count == 1 << bits else {
                throw .invalidValue(field: "table values", detail: "\(values.count) for \(bits) bits")
            }
            self = .function(name: name, bits: bits, values: values)
        case let tag:
            throw .invalidValue(field: "table tag", detail: "\(tag)")
        }
    }
}
