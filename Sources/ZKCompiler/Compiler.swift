public import ZKModel

/// Options of ``Compiler/compile(_:calibration:options:)``.
public struct CompileOptions: Sendable {
    /// Bits of every quantized weight and activation (8…16): values are symmetric integers in
    /// `[−(2^(bits−1) − 1), 2^(bits−1) − 1]` (±127 at the default 8).
    public var bits = 8
    /// Widest table a requantized value may need (worst case, not calibration). A table of `2^k`
    /// entries costs the prover `O(2^k)` and the verifier `O(2^k)` field operations per proof.
    public var maximumTableBits = 20
    public init(bits: Int = 8) { self.bits = bits }

    /// `2^(bits−1) − 1`, the largest magnitude of a quantized value.
    public var limit: Int64 { (Int64(1) << Int64(bits - 1)) - 1 }
}

/// Lowers a float ONNX-style graph to a quantized circuit.
///
/// Calibration runs the float reference executor on the sample inputs and records every value's
/// largest magnitude; scales are `max|x| / L` with `L = 2^(bits−1) − 1` (127 at 8 bits).
///
/// - Each linear layer (Gemm, MatMul with a constant right operand, Conv — with a following
///   bias Add and BatchNormalization folded in) becomes `matMul`/`conv2d` → `requantize` → one
///   table lookup that applies the activation that follows (Relu, Clip, Sigmoid, Tanh) fused with
///   the clamp to `±L` (or only the clamp).
/// - Per-channel affine steps — a BatchNormalization no linear layer absorbs, Mul by a negative
///   or per-channel constant, Add/Sub of a constant — are depthwise 1×1 convolutions, lowered
///   the same way. Mul by a positive scalar only changes the scale.
/// - Activations anywhere else are one table lookup on the `bits`-bit value.
/// - Add/Sub of two activations rescale both to the output's scale and add exactly; Mul of two
///   activations is their exact product (the `mul` relation), requantized like a linear layer;
///   Concat rescales to the widest input scale.
/// - Pools, flatten, reshape and transpose map to their relations; a trailing Softmax is applied
///   by the verifier to the dequantized logits.
///
/// Every node the compiler cannot lower is reported, all at once.
public enum Compiler {
    public static func compile(
        _ graph: ModelGraph, calibration: [[String: FloatTensor]], options: CompileOptions = CompileOptions()
    ) throws(CompileError) -> CompiledModel {
        guard (8...16).contains(options.bits) else {
            throw .invalidModel("--bits must be between 8 and 16 (got \(options.bits))")
        }
        var builder = try CircuitBuilder(graph: graph, options: options)
        try builder.calibrate(calibration)
        try builder.lower()
        var model = try builder.finish()
        model.sourceHash = graph.sourceHash
        return model
    }
}
