import ZKCircuit
import ZKCompiler
import ZKModel
import ZKONNX
import ZKWire

/// The ONNX importer followed by the compiler: `ONNXImporter().importModel(bytes:)`, then
/// `Compiler.compile` with two deterministic calibration samples per float input, then integer
/// inference on the first sample — what `zkml compile` and `zkml run` do with a model file.
///
/// Limits tighter than the importer's defaults keep the work per input small: 1 MiB files,
/// 2^18 elements per tensor, 2^16 per graph input.
///
/// Beyond "never traps": whatever the compiler returns is a valid circuit
/// (`Circuit.validate()`) and its encoding decodes.
public enum ONNXTarget {
    public static let name = "onnx"

    static let importer = ONNXImporter(options: .init(maxModelBytes: FuzzTargets.maximumInputSize, maxTensorElements: 1 << 18))

    public static func run(_ bytes: [UInt8]) {
        guard bytes.count <= FuzzTargets.maximumInputSize else { return }
        let graph: ModelGraph
        do { graph = try importer.importModel(bytes: bytes).graph } catch { return }
        guard let samples = calibrationSamples(for: graph) else { return }
        let compiled: CompiledModel
        do { compiled = try Compiler.compile(graph, calibration: samples) } catch { return }
        do { try compiled.circuit.validate() } catch {
            fuzzFailure("the compiler produced an invalid circuit: \(error)")
        }
        do { _ = try CompiledModel(decoding: compiled.encoded()) } catch {
            fuzzFailure("a compiled model's encoding does not decode: \(error)")
        }
        if let first = graph.inputs.first, let sample = samples[0][first.name] {
            _ = try? compiled.run(input: sample.values)
        }
    }

    /// Two calibration samples for `graph`: a fixed pseudo-random pattern in [-1, 1], different
    /// per sample, for every graph input; nil when an input is not float or has more than 2^16
    /// elements.
    public static func calibrationSamples(for graph: ModelGraph) -> [[String: FloatTensor]]? {
        var samples: [[String: FloatTensor]] = [[:], [:]]
        for input in graph.inputs {
            guard input.elementType.isFloatingPoint, input.shape.allSatisfy({ $0 >= 0 }),
                  let count = TensorShape.elementCount(input.shape), count <= 1 << 16 else { return nil }
            for s in samples.indices {
                var state = UInt64(s + 1) &* 0x9e37_79b9_7f4a_7c15
                let values = (0..<count).map { _ -> Float in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
                }
                guard let tensor = try? FloatTensor(shape: input.shape, values: values) else { return nil }
                samples[s][input.name] = tensor
            }
        }
        return samples
    }
}
