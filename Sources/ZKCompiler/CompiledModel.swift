public import ZKCircuit
import ZKModel

/// A quantized model lowered to a circuit: the circuit, its integer weights and constants, and
/// the scales that connect the integers to the real numbers of the original model.
///
/// Quantization is integer-only and symmetric (DESIGN.md): `real = scale · q` with zero point 0,
/// int8 weights and activations by default (up to 16 bits), biases at scale `s_in · s_w`, and requantization by a
/// fixed-point multiplier and a rounding shift, `y = floor((acc · M + 2^(s−1)) / 2^s)`.
public struct CompiledModel: Sendable, Codable {
    public var circuit: Circuit
    /// Logical values of every weight and constant tensor.
    public var known: [TensorID: [Int64]]
    /// Bits of every quantized weight and activation (``CompileOptions/bits``).
    public var bits: Int = 8
    /// The model input's name, shape (batch included) and scale.
    public var inputName: String
    public var inputShape: [Int]
    public var inputScale: Double
    /// The model output's name, shape and the scale of the proven integers.
    public var outputName: String
    public var outputShape: [Int]
    public var outputScale: Double
    /// Applied by the verifier to the dequantized output (a trailing Softmax), outside the proof.
    public var outputPostprocessing: Postprocessing
    /// One record per quantized layer (the scales file).
    public var layers: [LayerScales]
    /// BLAKE2b-256 (hex) of the source model file: the graph's ``ModelGraph/sourceHash``, set by the
    /// ONNX importer; empty for a graph built in code.
    public var sourceHash: String = ""

    /// How a float input becomes the public integers.
    public var inputQuantization: InputQuantization = .calibrated

    /// Advice that integer inference computes outside the relations (an ArgMax's one-hot index
    /// and the values that check it): prover-side only, never part of a key or a proof.
    public var witnessHints: [WitnessHint] = []

    public enum InputQuantization: String, Sendable, Hashable, Codable {
        /// `round(x / scale)` (half away from zero, in Double), clamped to `±(2^(bits−1) − 1)`.
        case calibrated
        /// The model's own QuantizeLinear, as onnxruntime computes it: `Float(x) / Float(scale)`
        /// rounded half to even in Float32, clamped to the input's range (the type's range minus
        /// the zero point: the circuit holds `q − zero_point`).
        case onnx
        /// Token ids (an integer model input read only by embedding lookups): each id becomes a
        /// row of the one-hot matrix `[positions, V]` that is the public input (a single 1 in
        /// column `id`). An id that is not an integer in `[0, V)` is refused
        /// (``InputError/invalidTokenID(position:value:vocabularySize:)``), never clamped.
        case oneHot = "one-hot"
    }

    /// The vocabulary size `V` of a one-hot input (the last dimension of the circuit's input
    /// tensor); nil for any other input.
    public var vocabularySize: Int? {
        guard inputQuantization == .oneHot else { return nil }
        return circuit.tensors[circuit.input].layout.shape.last
    }

    public enum Postprocessing: String, Sendable, Hashable, Codable {
        case none
        case softmax
        /// A trailing ArgMax: the index of the largest output (the model's output is then that
        /// index; the proof covers the scores it is taken from).
        case argmax
    }
}

/// The quantization of one layer, as written to the scales file after compile.
public struct LayerScales: Sendable, Hashable, Codable {
    public var node: String
    public var op: String
    public var inputScale: Double
    public var weightScale: Double?
    public var outputScale: Double
    public var multiplier: Int64
    public var shift: Int
    /// The calibrated range of the layer's real output.
    public var calibratedMinimum: Double
    public var calibratedMaximum: Double
    /// Bits of the requantized value's table domain (worst case, not calibration).
    public var tableBits: Int
    /// The tensor whose entries are checked for saturation (the requantized values).
    public var requantizedTensor: TensorID
    /// Entries outside `[saturationMinimum, saturationMaximum]` were clamped by the activation.
    public var saturationMinimum: Int64
    public var saturationMaximum: Int64
}

/// Why a model could not be compiled. Unsupported nodes are collected and reported together.
public enum CompileError: Error, Equatable, Sendable, CustomStringConvertible {
    case unsupported([UnsupportedNode])
    case invalidModel(String)
    case calibration(String)
    case rangeTooWide(node: String, bits: Int, maximum: Int)

    public struct UnsupportedNode: Sendable, Hashable {
        public var name: String
        public var op: String
        public var hint: String
    }

    public var description: String {
        switch self {
        case .unsupported(let nodes):
            return "unsupported nodes:\n" + nodes.map { "  - \($0.name) (\($0.op)): \($0.hint)" }.joined(separator: "\n")
        case .invalidModel(let reason): return "invalid model: \(reason)"
        case .calibration(let reason): return "calibration failed: \(reason)"
        case .rangeTooWide(let node, let bits, let maximum):
            return "node \(node): the requantized values need a \(bits)-bit table (maximum \(maximum)); recalibrate or lower the weight range"
        }
    }
}
