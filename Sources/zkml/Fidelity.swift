import Foundation
import ZKCompiler
import ZKModel
import ZKNodeCore
import ZKTesting

/// `zkml bench --fidelity`: how far the quantized model's outputs are from the float model's.
///
/// The inputs are `samples` perturbations of the calibration rows (seeded, so a run repeats): a
/// row chosen at random, each value moved by up to ±10 % of that position's calibration range
/// and clipped to the range (token ids rounded to an id). For each bit width the model is compiled once (calibrated on the
/// same files), and every input goes through the integer inference (the numbers a proof proves)
/// and the float reference executor (ONNX semantics). Reported per bit width: the largest and the
/// mean absolute difference of the outputs (dequantized, after the verifier's postprocessing) and
/// the share of inputs whose argmax agrees.
struct FidelityRow: Encodable {
    var bits: Int
    var samples: Int
    var maxAbsoluteError: Double
    var meanAbsoluteError: Double
    var argmaxAgreement: Double
    /// Largest absolute float output over the samples (the scale the errors are measured against).
    var maxAbsoluteOutput: Double
    /// Samples on which some value fell outside its calibrated range and was clipped (input or a
    /// layer's requantized output): where the largest errors come from.
    var saturatedSamples: Int
    /// The largest absolute error over the samples where nothing saturated (the rounding error alone).
    var maxAbsoluteErrorUnsaturated: Double
    /// Why the model does not compile at this width (the other fields are then zero).
    var error: String?

    enum CodingKeys: String, CodingKey {
        case bits, samples, error
        case maxAbsoluteError = "max_abs_error", meanAbsoluteError = "mean_abs_error"
        case argmaxAgreement = "argmax_agreement", maxAbsoluteOutput = "max_abs_output", saturatedSamples = "saturated_samples"
        case maxAbsoluteErrorUnsaturated = "max_abs_error_unsaturated"
    }
}

func measureFidelity(onnx: String, calibration: [String], bits: [Int], samples: Int, seed: UInt64) throws -> [FidelityRow] {
    let graph = try importGraph(onnx: onnx)
    let input = graph.inputs[0]
    let size = input.shape.reduce(1, *)
    let rows = try calibrationRows(calibration, for: graph)
    var low = rows[0], high = rows[0]
    for row in rows {
        for i in 0..<size {
            low[i] = min(low[i], row[i])
            high[i] = max(high[i], row[i])
        }
    }
    var generator = SeededGenerator(seed: seed)
    let inputs: [[Float]] = (0..<samples).map { _ in
        let row = rows[Int.random(in: 0..<rows.count, using: &generator)]
        return (0..<size).map { i in
            let span = high[i] - low[i]
            let moved = row[i] + Float.random(in: -0.1...0.1, using: &generator) * span
            // Token ids (an integer input) move to another id in the calibrated range.
            return min(max(input.elementType.isInteger ? moved.rounded() : moved, low[i]), high[i])
        }
    }
    let executor = try FloatExecutor(graph: graph)
    let outputName = Compiler.provenOutput(of: graph)?.name ?? graph.outputs[0].name
    let references: [[Double]] = try inputs.map { values in
        let result = try executor.run([input.name: try FloatTensor(shape: input.shape, values: values)])
        return result[outputName]!.values.map(Double.init)
    }
    func argmax(_ v: [Double]) -> Int { v.indices.max { v[$0] < v[$1] } ?? 0 }
    return try bits.map { width in
        let compiled: CompiledModel
        do { compiled = try ModelBuild.compile(graph: graph, calibrationRows: rows, bits: width) } catch {
            return FidelityRow(
                bits: width, samples: 0, maxAbsoluteError: 0, meanAbsoluteError: 0, argmaxAgreement: 0, maxAbsoluteOutput: 0,
                saturatedSamples: 0, maxAbsoluteErrorUnsaturated: 0, error: "\(error)")
        }
        var maxError = 0.0, errorSum = 0.0, count = 0, agree = 0, maxOutput = 0.0, saturated = 0, maxUnsaturated = 0.0
        for (values, reference) in zip(inputs, references) {
            let inference = try compiled.run(input: values)
            let output = inference.output
            let clipped = inference.inputSaturated > 0 || inference.saturation.contains(where: { $0 > 0 })
            if clipped { saturated += 1 }
            guard output.count == reference.count else {
                throw UsageError("the quantized output has \(output.count) values, the float output \(reference.count)", code: "failed")
            }
            for (a, b) in zip(output, reference) {
                maxError = max(maxError, abs(a - b))
                if !clipped { maxUnsaturated = max(maxUnsaturated, abs(a - b)) }
                errorSum += abs(a - b)
                maxOutput = max(maxOutput, abs(b))
                count += 1
            }
            if argmax(output) == argmax(reference) { agree += 1 }
        }
        return FidelityRow(
            bits: width, samples: inputs.count, maxAbsoluteError: maxError, meanAbsoluteError: errorSum / Double(max(count, 1)),
            argmaxAgreement: Double(agree) / Double(max(inputs.count, 1)), maxAbsoluteOutput: maxOutput, saturatedSamples: saturated,
            maxAbsoluteErrorUnsaturated: maxUnsaturated, error: nil)
    }
}

struct FidelityReport: Encodable {
    var model: String
    var seed: UInt64
    var fidelity: [FidelityRow]
}
