/// Builds a serialized ONNX ModelProto in code, for tests that need a small model without a
/// fixture file. Hand-written protobuf with the field numbers of onnx.proto:
///
/// - ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8.
/// - OperatorSetIdProto: domain 1, version 2.
/// - GraphProto: node 1, name 2, initializer 5, input 11, output 12.
/// - NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, domain 7.
/// - AttributeProto: name 1, f 2, i 3, type 20 (FLOAT 1, INT 2).
/// - ValueInfoProto: name 1, type 2; TypeProto: tensor_type 1; TypeProto.Tensor: elem_type 1,
///   shape 2; TensorShapeProto: dim 1; Dimension: dim_value 1.
/// - TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian).
struct ModelProtoBuilder {
    /// ONNX element type codes.
    enum DataType: Int64 {
        case float = 1, uint8 = 2, int8 = 3, int32 = 6

        var width: Int { self == .uint8 || self == .int8 ? 1 : 4 }
    }

    /// A node attribute.
    enum Attribute {
        case float(String, Float)
        case int(String, Int64)
    }

    /// The opsets imported: the default domain and `com.microsoft` at 1 unless changed.
    var opsets: [(domain: String, version: Int64)] = [("", 13), ("com.microsoft", 1)]
    private var nodes: [[UInt8]] = []
    private var initializers: [[UInt8]] = []
    private var inputs: [[UInt8]] = []
    private var outputs: [[UInt8]] = []

    /// A graph input of a static shape.
    mutating func input(_ name: String, _ type: DataType, _ shape: [Int]) {
        let dims = shape.flatMap { Self.message(1, Self.number(1, Int64($0))) }
        let tensorType = Self.number(1, type.rawValue) + Self.message(2, dims)
        inputs.append(Self.string(1, name) + Self.message(2, Self.message(1, tensorType)))
    }

    /// A graph output (name only: the importer infers its type).
    mutating func output(_ name: String) {
        outputs.append(Self.string(1, name))
    }

    /// An initializer; integer types take integral `values`.
    mutating func initializer(_ name: String, _ type: DataType, _ shape: [Int], _ values: [Double]) {
        precondition(values.count == shape.reduce(1, *), "\(name): \(values.count) values for shape \(shape)")
        var raw: [UInt8] = []
        for value in values {
            switch type {
            case .float: raw += Self.littleEndian(Float(value).bitPattern)
            case .uint8: raw.append(UInt8(value))
            case .int8: raw.append(UInt8(bitPattern: Int8(value)))
            case .int32: raw += Self.littleEndian(UInt32(bitPattern: Int32(value)))
            }
        }
        let dims = shape.flatMap { Self.number(1, Int64($0)) }
        initializers.append(dims + Self.number(2, type.rawValue) + Self.string(8, name) + Self.message(9, raw))
    }

    /// A node; `""` in `inputs` skips an optional input.
    mutating func node(
        _ opType: String, domain: String = "com.microsoft", inputs: [String], outputs: [String], _ attributes: [Attribute] = []
    ) {
        var bytes = inputs.flatMap { Self.string(1, $0) } + outputs.flatMap { Self.string(2, $0) }
        bytes += Self.string(3, "\(opType)_\(nodes.count)") + Self.string(4, opType)
        for attribute in attributes {
            switch attribute {
            case .float(let name, let value):
                bytes += Self.message(5, Self.string(1, name) + Self.key(2, 5) + Self.littleEndian(value.bitPattern) + Self.number(20, 1))
            case .int(let name, let value):
                bytes += Self.message(5, Self.string(1, name) + Self.number(3, value) + Self.number(20, 2))
            }
        }
        nodes.append(bytes + Self.string(7, domain))
    }

    /// The serialized ModelProto.
    func bytes() -> [UInt8] {
        var graph = nodes.flatMap { Self.message(1, $0) } + Self.string(2, "built")
        graph += initializers.flatMap { Self.message(5, $0) }
        graph += inputs.flatMap { Self.message(11, $0) } + outputs.flatMap { Self.message(12, $0) }
        var model = Self.number(1, 8) + Self.string(2, "ModelProtoBuilder") + Self.message(7, graph)
        for (domain, version) in opsets { model += Self.message(8, Self.string(1, domain) + Self.number(2, version)) }
        return model
    }

    // MARK: Wire format

    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value, out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        return out + [UInt8(v)]
    }

    static func key(_ field: Int, _ wireType: Int) -> [UInt8] { varint(UInt64(field << 3 | wireType)) }

    static func number(_ field: Int, _ value: Int64) -> [UInt8] { key(field, 0) + varint(UInt64(bitPattern: value)) }

    static func message(_ field: Int, _ payload: [UInt8]) -> [UInt8] { key(field, 2) + varint(UInt64(payload.count)) + payload }

    static func string(_ field: Int, _ text: String) -> [UInt8] { message(field, Array(text.utf8)) }

    static func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
}
