import Testing
import ZKCircuit
import ZKTesting
import ZKWire

@Suite("Circuit bytes")
struct CircuitWireTests {
    /// Example circuits with every relation the examples build: dense layers, convolutions
    /// (groups, stride, pads), max and average pooling, flatten, standalone requantization.
    static func examples() -> [(name: String, circuit: Circuit)] {
        var rng = SeededGenerator.forTest(stream: 70)
        return [
            ("mlp", ExampleCircuits.mlp(sizes: [12, 7, 3], using: &rng).circuit),
            ("mlp with a final activation", ExampleCircuits.mlp(sizes: [5, 4], finalActivation: true, using: &rng).circuit),
            ("cnn, max pool", ExampleCircuits.cnn(input: [2, 8, 8], channels: 4, kernel: [3, 3], pooling: .max(kernel: 2, stride: 2), using: &rng).circuit),
            ("cnn, average pool, groups", ExampleCircuits.cnn(input: [4, 6, 6], channels: 4, kernel: [3, 3], stride: [2, 1], pads: [1, 1, 1, 1], groups: 2, pooling: .average(kernel: 2, stride: 1), using: &rng).circuit),
            ("convolution", ExampleCircuits.convolutionLayer(input: [1, 5, 5], channels: 2, kernel: 3, using: &rng).circuit),
            ("max pool", ExampleCircuits.maxPoolLayer(input: [2, 4, 4], size: 2, using: &rng).circuit),
            ("requantize and ReLU", ExampleCircuits.requantizeReLU(count: 9, using: &rng).circuit),
        ]
    }

    static func bytes(_ circuit: Circuit) -> [UInt8] {
        var writer = WireWriter()
        circuit.write(to: &writer)
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(WireError) -> Circuit {
        var reader = WireReader(bytes)
        let circuit = try Circuit(reading: &reader)
        try reader.finish()
        return circuit
    }

    @Test func roundTripsByteForByte() throws {
        for (name, circuit) in Self.examples() {
            let bytes = Self.bytes(circuit)
            let decoded = try Self.decode(bytes)
            #expect(decoded == circuit, "\(name)")
            #expect(Self.bytes(decoded) == bytes, "\(name)")
        }
    }

    /// Every prefix is a typed error; so are an unknown relation tag, an out-of-range tensor id
    /// and a structurally invalid circuit.
    @Test func malformedBytesAreTypedErrors() throws {
        var rng = SeededGenerator.forTest(stream: 71)
        let circuit = ExampleCircuits.cnn(input: [1, 4, 4], channels: 2, kernel: [3, 3], pooling: .max(kernel: 2, stride: 1), activationBits: 6, using: &rng).circuit
        let bytes = Self.bytes(circuit)
        for cut in 0..<bytes.count {
            #expect(throws: WireError.self) { try Self.decode(Array(bytes.prefix(cut))) }
        }
        var invalid = circuit
        invalid.relations.insert(.matMul(output: 0, weights: 0, input: 0, bias: nil), at: 0)
        #expect(throws: WireError.self) { try Self.decode(Self.bytes(invalid)) }
        var outOfRange = circuit
        outOfRange.output = circuit.tensors.count
        #expect(throws: WireError.invalidValue(field: "output", detail: "tensor \(circuit.tensors.count) of \(circuit.tensors.count)")) {
            try Self.decode(Self.bytes(outOfRange))
        }
        var tag = Self.bytes(Circuit(tensors: circuit.tensors, relations: [], tables: [], input: circuit.input, output: circuit.output))
        tag.insert(contentsOf: [0x42], at: tag.count - 12)     // a relation whose tag is 0x42
        tag[tag.count - 17] = 1                                 // relation count 1
        #expect(throws: WireError.invalidValue(field: "relation tag", detail: "66")) { try Self.decode(tag) }
    }
}
