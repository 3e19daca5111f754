import Foundation
import SwiftProtobuf
public import ZKModel

/// A standalone serialized `onnx.TensorProto`: the format of ONNX's backend test data
/// (`test_data_set_0/input_0.pb`, `output_0.pb`) and of `onnx.numpy_helper.from_array(…)
/// .SerializeToString()`.
///
/// ```swift
/// let tensor = try TensorProtoFile(contentsOf: "test_data_set_0/input_0.pb")
/// print(tensor.name, tensor.value.shape)
/// ```
///
/// The bytes are untrusted: the file size, the rank and the element count are bounded before
/// anything is allocated for the elements, and every problem is a ``TensorProtoFileError``,
/// never a crash. The elements are decoded by the importer's own tensor code (the one that
/// reads initializers), so the same types are supported: float32, float64, float16, bfloat16,
/// int8, uint8, int16, uint16, int32, uint32, int64, uint64 (up to `Int64.max`) and bool, from
/// `raw_data` or from the typed fields. Strings, external data and segments are refused.
public struct TensorProtoFile: Sendable, Hashable {
    /// Bounds on what a file may hold.
    public struct Limits: Sendable, Hashable {
        /// The largest file accepted, in bytes (default 64 MiB).
        public var maxBytes: Int
        /// The most elements the tensor may have (default 2^24).
        public var maxElements: Int
        /// The highest rank accepted (default 32).
        public var maxRank: Int

        public init(maxBytes: Int = 64 << 20, maxElements: Int = 1 << 24, maxRank: Int = 32) {
            self.maxBytes = maxBytes
            self.maxElements = maxElements
            self.maxRank = maxRank
        }
    }

    /// The tensor's `name` field (in ONNX's test data, the graph input or output it belongs to;
    /// may be empty).
    public var name: String
    /// The elements, with their shape and declared element type.
    public var value: TensorValue

    public init(name: String, value: TensorValue) {
        self.name = name
        self.value = value
    }

    /// Decodes a serialized TensorProto.
    public init(bytes: [UInt8], limits: Limits = Limits()) throws(TensorProtoFileError) {
        guard bytes.count <= limits.maxBytes else { throw .tooLarge(size: bytes.count, limit: limits.maxBytes) }
        let proto: Onnx_TensorProto
        do {
            var options = BinaryDecodingOptions()
            // A TensorProto nests only its segment and external-data entries: no deep messages.
            options.messageDepthLimit = 8
            proto = try Onnx_TensorProto(serializedBytes: bytes, options: options)
        } catch {
            throw .malformed(reason: "\(error)")
        }
        guard proto.dims.count <= limits.maxRank else {
            throw .invalidTensor(name: proto.name, reason: "rank \(proto.dims.count) is above the limit of \(limits.maxRank)")
        }
        if proto.dataType == 8 || !proto.stringData.isEmpty {
            throw .unsupportedType(name: proto.name, type: "string")
        }
        guard TensorDecoding.elementType(onnxCode: proto.dataType) != nil else {
            throw .unsupportedType(name: proto.name, type: TensorDecoding.typeName(onnxCode: proto.dataType))
        }
        do {
            value = try TensorDecoding.decode(proto, maxElements: limits.maxElements)
        } catch let error as ONNXImportError {
            switch error {
            case .externalData(let tensor): throw .externalData(name: tensor)
            case .invalidTensor(let tensor, let reason): throw .invalidTensor(name: tensor, reason: reason)
            default: throw .invalidTensor(name: proto.name, reason: "\(error)")
            }
        } catch {
            throw .invalidTensor(name: proto.name, reason: "\(error)")
        }
        name = proto.name
    }

    /// Decodes the serialized TensorProto in the file at `path` (its size is checked before it is read).
    public init(contentsOf path: String, limits: Limits = Limits()) throws(TensorProtoFileError) {
        let bytes: [UInt8]
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= limits.maxBytes else { throw TensorProtoFileError.tooLarge(size: size, limit: limits.maxBytes) }
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as TensorProtoFileError {
            throw error
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        try self.init(bytes: bytes, limits: limits)
    }
}

/// Why a serialized TensorProto cannot be decoded.
public enum TensorProtoFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file is larger than ``TensorProtoFile/Limits/maxBytes``.
    case tooLarge(size: Int, limit: Int)
    /// The file could not be read.
    case unreadableFile(path: String, reason: String)
    /// The bytes are not a TensorProto message (truncated, a bad wire type, too deep).
    case malformed(reason: String)
    /// The element type is one this build does not decode (string, complex, 4- and 8-bit floats…).
    case unsupportedType(name: String, type: String)
    /// The tensor keeps its data in an external file.
    case externalData(name: String)
    /// The shape or the data is inconsistent or beyond the limits (a negative or huge dimension,
    /// a data field of the wrong length, too many elements).
    case invalidTensor(name: String, reason: String)

    /// A stable snake_case code.
    public var code: String {
        switch self {
        case .tooLarge: "too_large"
        case .unreadableFile: "unreadable_file"
        case .malformed: "malformed"
        case .unsupportedType: "unsupported_type"
        case .externalData: "external_data"
        case .invalidTensor: "invalid_tensor"
        }
    }

    public var description: String {
        switch self {
        case .tooLarge(let size, let limit): "the tensor file is \(size) bytes, more than the limit of \(limit)"
        case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
        case .malformed(let reason): "not a TensorProto message: \(reason)"
        case .unsupportedType(let name, let type): "tensor '\(name)': element type \(type) is not supported"
        case .externalData(let name): "tensor '\(name)' keeps its data in an external file"
        case .invalidTensor(let name, let reason): "tensor '\(name)': \(reason)"
        }
    }
}
