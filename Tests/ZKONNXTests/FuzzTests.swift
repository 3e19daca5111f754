import Foundation
import Testing
import ZKModel
import ZKONNX
import ZKTesting

/// The importer never crashes: random bytes and corrupted models end in a typed error or a
/// valid graph (which the float executor can then run without trapping).
@Suite("Importer fuzzing")
struct FuzzTests {
    /// Imports `bytes`; a successful import must give a graph that type-checks and runs.
    func importAndRun(_ bytes: [UInt8]) {
        do {
            let model = try ONNXImporter(options: .init(maxTensorElements: 1 << 16)).importModel(bytes: bytes)
            let types = try model.graph.inferTypes()
            let executor = try FloatExecutor(graph: model.graph)
            var feeds: [String: FloatTensor] = [:]
            for input in model.graph.inputs {
                guard let count = TensorShape.elementCount(input.shape), count <= 1 << 16 else { return }
                feeds[input.name] = try FloatTensor(shape: input.shape, values: [Float](repeating: 0.25, count: count))
            }
            // Skip graphs whose values are too large to run quickly.
            let total = types.values.reduce(0) { $0 + (TensorShape.elementCount($1.shape) ?? .max / 2) }
            guard total <= 1 << 18 else { return }
            _ = try executor.run(feeds)
        } catch is ONNXImportError {
        } catch is ModelError {
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    @Test("seeded random byte strings")
    func randomBytes() {
        var rng = SeededGenerator.forTest(stream: 0x0_4e4e_5801)
        for _ in 0..<300 {
            let count = Int.random(in: 0..<200, using: &rng)
            importAndRun((0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
    }

    @Test("byte flips, truncations and splices of valid models")
    func mutations() throws {
        var rng = SeededGenerator.forTest(stream: 0x0_4e4e_5802)
        let models = try ["cnn_conv_pool_gemm", "torch_dynamic_reshape", "opset9_legacy", "quantized_qlinearconv"]
            .map { try Fixtures.modelBytes("models", $0) }
        for round in 0..<400 {
            var bytes = models[round % models.count]
            switch round % 4 {
            case 0, 1:
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let index = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                }
            case 2:
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
            default:
                let index = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[index] = UInt8.random(in: 0...255, using: &rng)
                let other = models[Int.random(in: 0..<models.count, using: &rng)]
                let start = Int.random(in: 0..<other.count, using: &rng)
                bytes.insert(contentsOf: other[start..<min(other.count, start + 16)], at: index)
            }
            importAndRun(bytes)
        }
    }
}
