public import ZKCircuit
public import ZKModel

/// Options of ``Compiler/compile(_:calibration:options:)``.
public struct CompileOptions: Sendable {
    /// Widest table a requantized value may need (worst case, not calibration).
    public var maximumTableBits = 16
    public init() {}
}

/// Lowers a float ONNX-style graph to a quantized circuit.
///
/// Calibration runs the float reference executor on the sample inputs and records every value's
/// largest magnitude; scales are `max|x| / 127`. Each linear layer (Gemm, MatMul with a constant
/// right operand, Conv — with a following BatchNormalization folded in) becomes
/// `matMul`/`conv2d` → `requantize` → one table lookup that applies the activation that follows
/// (Relu, Clip, Sigmoid, Tanh) fused with the clamp to int8 (or only the clamp). Pools, flatten,
/// reshape and transpose map to their relations; a trailing Softmax is applied by the verifier to
/// the dequantized logits. Every node the compiler cannot lower is reported, all at once.
public enum Compiler {
    public static func compile(
        _ graph: ModelGraph, calibration: [[String: FloatTensor]], options: CompileOptions = CompileOptions()
    ) throws(CompileError) -> CompiledModel {
        var builder = try CircuitBuilder(graph: graph, options: options)
        try builder.calibrate(calibration)
        try builder.lower()
        return try builder.finish()
    }
}
