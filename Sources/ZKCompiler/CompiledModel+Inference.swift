public import ZKCircuit
import ZKModel

/// The result of integer inference on a compiled model.
public struct IntegerInference: Sendable {
    public var witness: Witness
    /// The public input integers (the quantized input, or the one-hot rows of token ids) and how
    /// many entries were clamped into range.
    public var quantizedInput: [Int64]
    public var inputSaturated: Int
    /// The proven integers and their dequantized values (after the verifier-side postprocessing).
    public var outputIntegers: [Int64]
    public var output: [Double]
    /// Per layer (``CompiledModel/layers``): how many requantized values the activation clamped.
    public var saturation: [Int]
}

/// Why an input cannot become a compiled model's public input.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Entry `position` (row-major) of a token-id input is `value`, which is not an integer in
    /// `[0, vocabularySize)` (a fraction, a negative or too large id, NaN or an infinity).
    case invalidTokenID(position: Int, value: Float, vocabularySize: Int)
    /// A token-id input has `got` values; the model takes `expected` ids.
    case valueCount(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .invalidTokenID(let position, let value, let vocabularySize):
            let shown = value.isFinite && value.rounded() == value && abs(value) < 0x1p62 ? "\(Int64(value))" : "\(value)"
            return "input position \(position) is \(shown), not a token id (an integer in [0, \(vocabularySize)))"
        case .valueCount(let expected, let got):
            return "the input has \(got) token ids; the model takes \(expected)"
        }
    }
}

/// Why integer inference failed: the input could not be quantized, or a value left the range the
/// circuit proves.
public enum InferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    case input(InputError)
    case witness(WitnessError)

    public var description: String {
        switch self {
        case .input(let error): return "\(error)"
        case .witness(let error): return "\(error)"
        }
    }
}

extension CompiledModel {
    /// The public input integers of a float input (``InputQuantization``) and how many entries
    /// were clamped into range (a NaN counts as clamped, to 0).
    ///
    /// Token ids (``InputQuantization/oneHot``) are never clamped: each must be an integer in
    /// `[0, V)` (given as a float, as every input), and becomes one row of the one-hot matrix;
    /// `saturated` is then 0.
    /// - Throws: ``InputError`` for a token id that is not one, or a token-id input of the
    ///   wrong length. A calibrated or ONNX-quantized input never throws.
    public func quantizeInput(_ input: [Float]) throws(InputError) -> (values: [Int64], saturated: Int) {
        var saturated = 0
        let values: [Int64]
        switch inputQuantization {
        case .calibrated:
            values = input.map { x -> Int64 in
                let (q, clamped) = Quantization.quantize(Double(x), scale: inputScale, limit: (Int64(1) << Int64(bits - 1)) - 1)
                if clamped { saturated += 1 }
                return q
            }
        case .onnx:
            let info = circuit.tensors[circuit.input]
            let scale = Float(inputScale)
            values = input.map { x -> Int64 in
                let q = (x / scale).rounded(.toNearestOrEven)
                guard !q.isNaN else { saturated += 1; return 0 }
                if q < Float(info.minimum) { saturated += 1; return info.minimum }
                if q > Float(info.maximum) { saturated += 1; return info.maximum }
                return Int64(q)
            }
        case .oneHot:
            values = try Self.oneHot(input, vocabularySize: vocabularySize ?? 0, positions: inputShape.reduce(1, *))
        }
        return (values, saturated)
    }

    /// The one-hot rows `[positions, V]` of token ids.
    static func oneHot(_ ids: [Float], vocabularySize v: Int, positions: Int) throws(InputError) -> [Int64] {
        guard ids.count == positions else { throw .valueCount(expected: positions, got: ids.count) }
        var rows = [Int64](repeating: 0, count: ids.count * v)
        for (position, id) in ids.enumerated() {
            guard id.rounded() == id, id >= 0, id < Float(v) else {
                throw .invalidTokenID(position: position, value: id, vocabularySize: v)
            }
            rows[position * v + Int(id)] = 1
        }
        return rows
    }

    /// The output's real values from its integers: `scale · q`, then the postprocessing.
    public func dequantizeOutput(_ integers: [Int64]) -> [Double] {
        let real = integers.map { Double($0) * outputScale }
        switch outputPostprocessing {
        case .none: return real
        case .softmax: return OutputPostprocess.softmax(real)
        case .argmax: return OutputPostprocess.argmax(real)
        }
    }

    /// Integer inference (the witness the prover needs) on a float input.
    /// - Throws: ``InferenceError/input(_:)`` for an input ``quantizeInput(_:)`` refuses (a token
    ///   id that is not one), ``InferenceError/witness(_:)`` when a value leaves the circuit's range.
    public func run(input: [Float]) throws(InferenceError) -> IntegerInference {
        let q: [Int64], saturated: Int
        do throws(InputError) { (q, saturated) = try quantizeInput(input) } catch { throw .input(error) }
        var values = known
        values[circuit.input] = q
        let witness: Witness
        do throws(WitnessError) { witness = try WitnessBuilder.build(circuit: circuit, known: values, hints: witnessHints) } catch {
            throw .witness(error)
        }
        let outputIntegers = witness.logicalValues(of: circuit.output, in: circuit)
        let saturation = layers.map { layer in
            witness.logicalValues(of: layer.requantizedTensor, in: circuit)
                .filter { $0 < layer.saturationMinimum || $0 > layer.saturationMaximum }.count
        }
        return IntegerInference(
            witness: witness, quantizedInput: q, inputSaturated: saturated, outputIntegers: outputIntegers,
            output: dequantizeOutput(outputIntegers), saturation: saturation)
    }
}
