import Foundation
import ZKCompiler

/// `zkml bench MODEL --onnxruntime ort_integers.json`: whether an already-quantized model's proven
/// integers are ONNX Runtime's.
///
/// The file (written by circuits/make_quantized.py) holds inputs and the integers onnxruntime
/// computed for each, `q − zero_point` of the output before its DequantizeLinear. Every input goes
/// through the integer inference (the numbers a proof proves); the report counts the output
/// integers that differ and by how much.
struct RuntimeIntegers: Decodable {
    var model: String
    var onnxruntime: String
    var inputs: [[Float]]
    var integers: [[Int64]]
}

struct RuntimeAgreementReport: Encodable {
    var model: String
    var onnxruntime: String
    var inputs: Int
    var outputIntegers: Int
    /// Output integers that differ from onnxruntime's, and the inputs with at least one.
    var mismatchedIntegers: Int
    var mismatchedInputs: Int
    var largestDifference: Int64
    /// The first few mismatches: input index, output index, ours, onnxruntime's.
    var examples: [Mismatch]

    struct Mismatch: Encodable {
        var input: Int
        var output: Int
        var proven: Int64
        var onnxruntime: Int64
    }

    enum CodingKeys: String, CodingKey {
        case model, onnxruntime, inputs, examples
        case outputIntegers = "output_integers", mismatchedIntegers = "mismatched_integers"
        case mismatchedInputs = "mismatched_inputs", largestDifference = "largest_difference"
    }
}

func measureRuntimeAgreement(_ compiled: CompiledModel, model: String, file: String) throws -> RuntimeAgreementReport {
    let reference: RuntimeIntegers
    do {
        reference = try JSONDecoder().decode(RuntimeIntegers.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
    } catch {
        throw UsageError("cannot read \(file): \(error)", code: "bad_input")
    }
    guard reference.inputs.count == reference.integers.count else {
        throw UsageError("\(file): \(reference.inputs.count) inputs but \(reference.integers.count) integer rows", code: "bad_input")
    }
    var report = RuntimeAgreementReport(
        model: model, onnxruntime: reference.onnxruntime, inputs: reference.inputs.count, outputIntegers: 0,
        mismatchedIntegers: 0, mismatchedInputs: 0, largestDifference: 0, examples: [])
    for (index, (input, expected)) in zip(reference.inputs, reference.integers).enumerated() {
        let proven = try compiled.run(input: input).outputIntegers
        guard proven.count == expected.count else {
            throw UsageError("\(file): input \(index) has \(expected.count) integers, the model outputs \(proven.count)", code: "bad_input")
        }
        report.outputIntegers += proven.count
        var differs = false
        for (position, (ours, theirs)) in zip(proven, expected).enumerated() where ours != theirs {
            differs = true
            report.mismatchedIntegers += 1
            report.largestDifference = max(report.largestDifference, abs(ours - theirs))
            if report.examples.count < 10 {
                report.examples.append(.init(input: index, output: position, proven: ours, onnxruntime: theirs))
            }
        }
        if differs { report.mismatchedInputs += 1 }
    }
    return report
}
