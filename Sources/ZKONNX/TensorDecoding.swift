import Foundation
import ZKModel

/// Converts TensorProto messages (initializers, attribute tensors, test data) to `TensorValue`.
///
/// Reads `raw_data` (little-endian) or the typed fields (`float_data`, `int32_data`,
/// `int64_data`, `double_data`, `uint64_data`) for float32, float64, float16, int8, uint8,
/// int16, uint16, int32, uint32, int64 and bool. External data and strings are rejected.
enum TensorDecoding {
    static func elementType(onnxCode code: Int32) -> ElementType? {
        switch code {
        case 1: return .float32
        case 2: return .uint8
        case 3: return .int8
        case 4: return .uint16
        case 5: return .int16
        case 6: return .int32
        case 7: return .int64
        case 9: return .bool
        case 10: return .float16
        case 11: return .float64
        case 12: return .uint32
        case 13: return .uint64
        case 16: return .bfloat16
        default: return nil
        }
    }

    static func typeName(onnxCode code: Int32) -> String {
        let names: [Int32: String] = [
            0: "undefined", 8: "string", 14: "complex64", 15: "complex128", 17: "float8e4m3fn", 18: "float8e4m3fnuz",
            19: "float8e5m2", 20: "float8e5m2fnuz", 21: "uint4", 22: "int4", 23: "float4e2m1",
        ]
        return elementType(onnxCode: code)?.rawValue ?? names[code] ?? "type \(code)"
    }

    static func decode(_ proto: Onnx_TensorProto, maxElements: Int) throws -> TensorValue {
        let name = proto.name
        func invalid(_ reason: String) -> ONNXImportError { .invalidTensor(name: name, reason: reason) }
        if proto.dataLocation == .external || !proto.externalData.isEmpty {
            throw ONNXImportError.externalData(tensor: name)
        }
        if proto.hasSegment { throw invalid("segmented tensors are not supported") }
        guard let type = elementType(onnxCode: proto.dataType) else {
            throw invalid("element type \(typeName(onnxCode: proto.dataType)) is not supported")
        }
        guard proto.dims.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else {
            throw invalid("invalid dimensions \(proto.dims)")
        }
        let shape = proto.dims.map { Int($0) }
        guard let count = TensorShape.elementCount(shape), count <= maxElements else {
            throw invalid("shape \(shape) has too many elements (limit \(maxElements))")
        }
        func checkCount(_ actual: Int, _ field: String) throws {
            guard actual == count else { throw invalid("\(field) holds \(actual) values, the shape \(shape) needs \(count)") }
        }
        do {
            if proto.hasRawData {
                let raw = proto.rawData
                let width = byteWidth(type)
                guard raw.count == count * width else {
                    throw invalid("raw_data has \(raw.count) bytes, the shape \(shape) of \(type) needs \(count * width)")
                }
                return try fromRaw(raw, type: type, shape: shape)
            }
            switch type {
            case .float32:
                try checkCount(proto.floatData.count, "float_data")
                return .float(try FloatTensor(shape: shape, values: proto.floatData), elementType: .float32)
            case .float64:
                try checkCount(proto.doubleData.count, "double_data")
                return .float(try FloatTensor(shape: shape, values: proto.doubleData.map { Float($0) }), elementType: .float64)
            case .float16, .bfloat16:
                try checkCount(proto.int32Data.count, "int32_data")
                let values = proto.int32Data.map { halfBitsToFloat(UInt16(truncatingIfNeeded: $0), bfloat: type == .bfloat16) }
                return .float(try FloatTensor(shape: shape, values: values), elementType: type)
            case .int8, .uint8, .int16, .uint16, .int32, .bool:
                try checkCount(proto.int32Data.count, "int32_data")
                return .integer(try IntegerTensor(shape: shape, values: proto.int32Data.map { Int64($0) }, elementType: type))
            case .int64:
                try checkCount(proto.int64Data.count, "int64_data")
                return .integer(try IntegerTensor(shape: shape, values: proto.int64Data, elementType: .int64))
            case .uint32, .uint64:
                try checkCount(proto.uint64Data.count, "uint64_data")
                guard proto.uint64Data.allSatisfy({ $0 <= UInt64(Int64.max) }) else { throw invalid("uint64 value too large") }
                return .integer(try IntegerTensor(shape: shape, values: proto.uint64Data.map { Int64($0) }, elementType: type))
            }
        } catch let error as ModelError {
            throw invalid("\(error)")
        }
    }

    static func byteWidth(_ type: ElementType) -> Int {
        switch type {
        case .int8, .uint8, .bool: return 1
        case .int16, .uint16, .float16, .bfloat16: return 2
        case .int32, .uint32, .float32: return 4
        case .int64, .uint64, .float64: return 8
        }
    }

    static func fromRaw(_ raw: Data, type: ElementType, shape: [Int]) throws -> TensorValue {
        let bytes = [UInt8](raw)
        let width = byteWidth(type)
        let count = bytes.count / width
        func word(_ index: Int) -> UInt64 {
            var value: UInt64 = 0
            for byte in 0..<width { value |= UInt64(bytes[index * width + byte]) << (8 * UInt64(byte)) }
            return value
        }
        switch type {
        case .float32:
            return .float(try FloatTensor(shape: shape, values: (0..<count).map { Float(bitPattern: UInt32(word($0))) }))
        case .float64:
            return .float(
                try FloatTensor(shape: shape, values: (0..<count).map { Float(Double(bitPattern: word($0))) }),
                elementType: .float64)
        case .float16, .bfloat16:
            let values = (0..<count).map { halfBitsToFloat(UInt16(word($0)), bfloat: type == .bfloat16) }
            return .float(try FloatTensor(shape: shape, values: values), elementType: type)
        case .int8: return .integer(try IntegerTensor(shape: shape, values: (0..<count).map { Int64(Int8(truncatingIfNeeded: word($0))) }, elementType: type))
        case .int16: return .integer(try IntegerTensor(shape: shape, values: (0..<count).map { Int64(Int16(truncatingIfNeeded: word($0))) }, elementType: type))
        case .int32: return .integer(try IntegerTensor(shape: shape, values: (0..<count).map { Int64(Int32(truncatingIfNeeded: word($0))) }, elementType: type))
        case .int64: return .integer(try IntegerTensor(shape: shape, values: (0..<count).map { Int64(bitPattern: word($0)) }, elementType: type))
        case .uint8, .uint16, .uint32, .bool:
            let values = (0..<count).map { Int64(word($0)) }
            return .integer(try IntegerTensor(shape: shape, values: type == .bool ? values.map { $0 != 0 ? 1 : 0 } : values, elementType: type))
        case .uint64:
            let words = (0..<count).map { word($0) }
            guard words.allSatisfy({ $0 <= UInt64(Int64.max) }) else {
                throw ModelError.invalidTensor(reason: "uint64 value too large")
            }
            return .integer(try IntegerTensor(shape: shape, values: words.map { Int64($0) }, elementType: type))
        }
    }

    /// IEEE half (or bfloat16) bits to Float.
    static func halfBitsToFloat(_ bits: UInt16, bfloat: Bool) -> Float {
        if bfloat { return Float(bitPattern: UInt32(bits) << 16) }
        let sign = UInt32(bits >> 15) << 31
        let exponent = Int((bits >> 10) & 0x1f)
        let mantissa = UInt32(bits & 0x3ff)
        if exponent == 0 {
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 31 { return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13)) }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }
}
