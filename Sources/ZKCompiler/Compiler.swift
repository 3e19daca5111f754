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
/// - A constant *left* operand — MatMul(C, X), Gemm(A, B) with A constant — is `C · X` with X
///   viewed as a `[p, n]` matrix: a 1×1 `conv2d` over X's `p` rows as channels (transposed first
///   for `transB`), then the same requantization and table. Gemm's C must then be one value per
///   output row.
/// - Per-channel affine steps — a BatchNormalization no linear layer absorbs, Mul by a negative
///   or per-channel constant, Add/Sub of a constant — are depthwise 1×1 convolutions, lowered
///   the same way. Mul by a positive scalar only changes the scale.
/// - Activations anywhere else are one table lookup on the `bits`-bit value.
/// - Add/Sub of two activations rescale both to the output's scale and add exactly; Mul of two
///   activations is their exact product (the `mul` relation), requantized like a linear layer;
///   Concat rescales to the widest input scale.
/// - Pools, flatten, reshape and transpose map to their relations; a trailing Softmax is applied
///   by the verifier to the dequantized logits.
/// - An already-quantized model keeps its own scales and zero points (docs/quantized-models.md):
///   a QDQ model's node groups are first fused into the operator-form nodes onnxruntime runs
///   (QDQFusion.swift); QuantizeLinear → DequantizeLinear pairs left unfused read through.
///
/// - Padding: a table whose `f(0) ≠ 0` (Sigmoid, a Clip with a positive lower bound) leaves
///   `f(0)` in its output's padding slots; before such a tensor becomes the public output or
///   feeds a requantization, it is masked by a linear copy (see docs/proof-system.md, *Padding*).
///
/// Every node the compiler cannot lower is reported, all at once, with its name; the compiler
/// never traps on a model (a constant where an activation is needed, an empty or oversized
/// tensor, non-finite weights or calibration values, a scale with no fixed-point multiplier or a
/// worst case beyond 64 bits are all reported as ``CompileError``).
public enum Compiler {
    /// The output a compiled model proves: the first floating-point graph output (a classifier's
    /// probabilities rather than the integer label an exporter lists first), else the first.
    public static func provenOutput(of graph: ModelGraph, types: [String: TensorType]? = nil) -> ValueInfo? {
        let types = types ?? ((try? graph.inferTypes()) ?? [:])
        return graph.outputs.first { (types[$0.name] ?? $0.type).elementType.isFloatingPoint } ?? graph.outputs.first
    }

    public static func compile(
        _ graph: ModelGraph, calibration: [[String: FloatTensor]], options: CompileOptions = CompileOptions()
    ) throws(CompileError) -> CompiledModel {
        guard (8...16).contains(options.bits) else {
            throw .invalidModel("--bits must be between 8 and 16 (got \(options.bits))")
        }
        // A table of 2^k rows is built in memory at compile time and walked by every proof.
        guard (options.bits...24).contains(options.maximumTableBits) else {
            throw .invalidModel("the largest table must have between \(options.bits) and 24 bits (got \(options.maximumTableBits))")
        }
        // onnxruntime's QDQ node groups become its operator-form nodes first (QDQFusion), so that
        // a QDQ model is proven with its own integers, as onnxruntime computes them.
        let fused = QDQFusion.fuse(graph)
        var builder = try CircuitBuilder(graph: try GraphDecomposition.decompose(fused), options: options)
        try builder.calibrate(calibration)
        try builder.lower()
        var model = try builder.finish()
        model.sourceHash = graph.sourceHash
        return model
    }
}
