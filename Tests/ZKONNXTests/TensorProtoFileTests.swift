import Foundation
import Testing
import ZKModel
import ZKONNX
import ZKTesting

/// Hand-written protobuf for TensorProto (field numbers from onnx.proto): dims 1, data_type 2,
/// float_data 4, int32_data 5, string_data 6, int64_data 7, name 8, raw_data 9.
private enum Proto {
    static func varint(_ value: UInt64) -> [UInt8] { ModelProtoBuilder.varint(value) }

    static func number(_ field: Int, _ value: Int64) -> [UInt8] {
        varint(UInt64(field << 3)) + varint(UInt64(bitPattern: value))
    }

    static func bytes(_ field: Int, _ payload: [UInt8]) -> [UInt8] {
        varint(UInt64(field << 3 | 2)) + varint(UInt64(payload.count)) + payload
    }

    static func tensor(name: String = "t", dims: [Int64], type: Int64, raw: [UInt8]? = nil) -> [UInt8] {
        var out = dims.flatMap { number(1, $0) } + number(2, type) + bytes(8, Array(name.utf8))
        if let raw { out += bytes(9, raw) }
        return out
    }

    static func float32(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
    }
}

@Suite("TensorProto files")
struct TensorProtoFileTests {
    @Test("decodes ONNX's own test data")
    func onnxTestData() throws {
        let path = try Fixtures.root().appendingPathComponent("onnx-node/test_relu/test_data_set_0/input_0.pb").path
        let file = try TensorProtoFile(contentsOf: path)
        #expect(file.name == "x")
        #expect(file.value.shape == [3, 4, 5])
        #expect(file.value.elementType == .float32)
        #expect(file.value.count == 60)
    }

    @Test("raw float32, typed int64 and int32 fields")
    func fields() throws {
        let raw = try TensorProtoFile(bytes: Proto.tensor(name: "x", dims: [2], type: 1, raw: Proto.float32([1.5, -2])))
        #expect(raw.name == "x")
        #expect(raw.value == .float(try FloatTensor(shape: [2], values: [1.5, -2])))
        let int64 = try TensorProtoFile(bytes: Proto.tensor(dims: [3], type: 7) + [1, 2, 3].flatMap { Proto.number(7, $0) })
        #expect(int64.value.integerValues == [1, 2, 3])
        let bools = try TensorProtoFile(bytes: Proto.tensor(dims: [2], type: 9) + Proto.number(5, 1) + Proto.number(5, 0))
        #expect(bools.value.elementType == .bool)
        #expect(bools.value.integerValues == [1, 0])
        let scalar = try TensorProtoFile(bytes: Proto.tensor(dims: [], type: 1, raw: Proto.float32([4])))
        #expect(scalar.value.shape == [])
    }

    @Test("every truncation of a valid file is a typed error or a tensor")
    func truncated() throws {
        let bytes = Proto.tensor(name: "input", dims: [2, 3], type: 1, raw: Proto.float32([1, 2, 3, 4, 5, 6]))
        #expect(throws: TensorProtoFileError.self) { try TensorProtoFile(bytes: Array(bytes.dropLast())) }
        for length in 0..<bytes.count {
            do { _ = try TensorProtoFile(bytes: Array(bytes.prefix(length))) } catch {
                // A typed error: the decoder never traps on a prefix.
                _ = error.code
            }
        }
    }

    @Test("huge declared sizes are refused before allocation")
    func hugeSizes() throws {
        func code(_ bytes: [UInt8], _ limits: TensorProtoFile.Limits = .init()) -> String? {
            do { _ = try TensorProtoFile(bytes: bytes, limits: limits); return nil } catch { return error.code }
        }
        // 2^60 elements declared, 4 bytes given.
        #expect(code(Proto.tensor(dims: [1 << 30, 1 << 30], type: 1, raw: Proto.float32([1]))) == "invalid_tensor")
        // Dimensions whose product overflows Int.
        #expect(code(Proto.tensor(dims: [Int64(Int32.max), Int64(Int32.max), Int64(Int32.max)], type: 1, raw: [])) == "invalid_tensor")
        #expect(code(Proto.tensor(dims: [-1], type: 1, raw: [])) == "invalid_tensor")
        #expect(code(Proto.tensor(dims: [Int64.max], type: 1, raw: [])) == "invalid_tensor")
        // A length prefix far beyond the bytes present.
        #expect(code(Proto.varint(9 << 3 | 2) + Proto.varint(1 << 62) + [1, 2, 3]) == "malformed")
        // raw_data of the wrong length, and a typed field of the wrong count.
        #expect(code(Proto.tensor(dims: [3], type: 1, raw: Proto.float32([1, 2]))) == "invalid_tensor")
        #expect(code(Proto.tensor(dims: [2], type: 7) + Proto.number(7, 1)) == "invalid_tensor")
        // Above the element limit, the byte limit and the rank limit.
        #expect(code(Proto.tensor(dims: [5], type: 1, raw: Proto.float32([1, 2, 3, 4, 5])), .init(maxElements: 4)) == "invalid_tensor")
        #expect(code(Proto.tensor(dims: [1], type: 1, raw: Proto.float32([1])), .init(maxBytes: 8)) == "too_large")
        #expect(code(Proto.tensor(dims: [Int64](repeating: 1, count: 40), type: 1, raw: Proto.float32([1]))) == "invalid_tensor")
    }

    @Test("unsupported element types and external data")
    func unsupported() throws {
        #expect(throws: TensorProtoFileError.unsupportedType(name: "s", type: "string")) {
            try TensorProtoFile(bytes: Proto.tensor(name: "s", dims: [1], type: 8) + Proto.bytes(6, Array("a".utf8)))
        }
        #expect(throws: TensorProtoFileError.unsupportedType(name: "t", type: "complex64")) {
            try TensorProtoFile(bytes: Proto.tensor(dims: [1], type: 14, raw: [0, 0, 0, 0, 0, 0, 0, 0]))
        }
        // data_location = EXTERNAL (field 14).
        #expect(throws: TensorProtoFileError.externalData(name: "t")) {
            try TensorProtoFile(bytes: Proto.tensor(dims: [1], type: 1) + Proto.number(14, 1))
        }
    }

    @Test("files: a missing file, a file above the limit")
    func files() throws {
        #expect(throws: TensorProtoFileError.self) { try TensorProtoFile(contentsOf: "/nonexistent/input_0.pb") }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tensor-\(getpid()).pb").path
        try Data(Proto.tensor(dims: [4], type: 1, raw: Proto.float32([1, 2, 3, 4]))).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try TensorProtoFile(contentsOf: path).value.count == 4)
        do {
            _ = try TensorProtoFile(contentsOf: path, limits: .init(maxBytes: 16))
            Issue.record("a file above the limit was read")
        } catch {
            #expect(error.code == "too_large")
        }
    }

    @Test("seeded random and mutated bytes end in a tensor or a typed error")
    func randomBytes() {
        var rng = SeededGenerator.forTest(stream: 0x7e_5072_0f11)
        let valid = Proto.tensor(name: "x", dims: [2, 2], type: 1, raw: Proto.float32([1, 2, 3, 4]))
        for round in 0..<2000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                bytes = valid
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            do {
                let file = try TensorProtoFile(bytes: bytes, limits: .init(maxElements: 1 << 16))
                #expect(file.value.count <= 1 << 16)
            } catch {
                _ = error.code  // typed: TensorProtoFileError
            }
        }
    }
}
