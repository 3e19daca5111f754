public import ZKCircuit
import ZKModel

/// The result of integer inference on a compiled model.
public struct IntegerInference: Sendable {
    public var witness: Witness
    /// The quantized input (int8) and how many entries were clamped into range.
    public var quantizedInput: [Int64]
    public var inputSaturated: Int
    /// The proven integers and their dequantized values (after the verifier-side postprocessing).
    public var outputIntegers: [Int64]
    public var output: [Double]
    /// Per layer (``CompiledModel/layers``): how many requantized values the activation clamped.
    public var saturation: [Int]
}

extension CompiledModel {
    /// The public input integers of a float input (``InputQuantization``) and how many entries
    /// were clamped into range (a NaN counts as clamped, to 0).
    public func quantizeInput(_ input: [Float]) -> (values: [Int64], saturated: Int) {
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
        }
        return (values, saturated)
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
    public func run(input: [Float]) throws(WitnessError) -> IntegerInference {
        let (q, saturated) = quantizeInput(input)
        var values = known
        values[circuit.input] = q
        let witness = try WitnessBuilder.build(circuit: circuit, known: values)
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
