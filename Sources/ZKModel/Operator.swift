/// The operations a model graph can contain, with typed attributes. Inputs are listed per
/// case in ONNX order; optional inputs may be the empty name `""`.
///
/// Semantics follow the current ONNX definitions (the importer maps older opsets onto them).
/// Layouts are NCHW; convolutions and pooling are 2-D.
public enum Operator: Sendable, Hashable {
    /// `(A, B, C?)` → `alpha · A' · B' + beta · C`; A and B are 2-D.
    case gemm(GemmAttributes)
    /// `(A, B)` → numpy `matmul`: 1-D operands are promoted, leading (batch) dimensions broadcast.
    case matMul
    /// `(X, W, B?)` → 2-D cross-correlation (no kernel flip) with zero padding, plus bias.
    case conv(ConvolutionAttributes)
    /// `max(x, 0)` elementwise.
    case relu
    /// `1 / (1 + exp(-x))` elementwise.
    case sigmoid
    /// `tanh(x)` elementwise.
    case tanh
    /// `min(max(x, minimum), maximum)` elementwise; a missing bound is no bound.
    case clip(minimum: Float?, maximum: Float?)
    /// `exp(x - max) / sum(exp(x - max))` along one axis (negative counts from the end).
    case softmax(axis: Int)
    /// The maximum over each window (padding never wins).
    case maxPool(PoolingAttributes)
    /// The mean over each window (see `PoolingAttributes.countIncludePad`).
    case averagePool(PoolingAttributes)
    /// `[N, C, H, W]` → `[N, C, 1, 1]`, the mean over all spatial positions.
    case globalAveragePool
    /// `(X, scale, B, mean, var)` → `scale · (x - mean) / sqrt(var + epsilon) + B` per channel
    /// (axis 1), with the stored statistics (inference mode).
    case batchNormalization(epsilon: Float)
    /// Elementwise sum with numpy broadcasting.
    case add
    /// Elementwise difference with numpy broadcasting.
    case sub
    /// Elementwise product with numpy broadcasting.
    case mul
    /// `(X)` → the same elements under `shape`. A `0` copies the input's dimension at that
    /// position (unless `allowZero`, where it means a zero-size dimension); one `-1` is inferred.
    case reshape(shape: [Int], allowZero: Bool)
    /// `(X)` → 2-D `[product of dims before axis, product of dims from axis]`.
    case flatten(axis: Int)
    /// Permute the dimensions; `nil` reverses them.
    case transpose(permutation: [Int]?)
    /// Join the inputs along `axis`; all other dimensions agree.
    case concat(axis: Int)
    /// `(X)` → `X`.
    case identity
    /// `(X)` → `X` as another element type. Only integer → floating point (exact for the integers
    /// an int32 accumulator holds) and between floating-point types are defined here.
    case cast(to: ElementType)
    /// `()` → the stored tensor.
    case constant(TensorValue)
    /// `(x, y_scale, y_zero_point?)` → `saturate(roundHalfEven(x / y_scale) + y_zero_point)`,
    /// per tensor or per slice along `axis`; the output type is the zero point's (uint8 when absent).
    case quantizeLinear(axis: Int)
    /// `(x, x_scale, x_zero_point?)` → `(x - x_zero_point) · x_scale`, per tensor or along `axis`.
    case dequantizeLinear(axis: Int)
    /// `(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp)` → quantize(dequantize(a) · dequantize(b)).
    case qLinearMatMul
    /// `(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B?)` → quantized convolution; the int32
    /// bias is in units of `x_scale · w_scale`.
    case qLinearConv(ConvolutionAttributes)
    /// `(A, B, a_zero_point?, b_zero_point?)` → `(A - a_zp) · (B - b_zp)` as int32.
    case matMulInteger
    /// `(x, w, x_zero_point?, w_zero_point?)` → integer convolution as int32.
    case convInteger(ConvolutionAttributes)
    /// `(X)` → an element-wise function of `X` (see ``UnaryFunction``).
    case unary(UnaryFunction)
    /// `(X, slope)` → `x` where `x ≥ 0`, else `slope · x`; `slope` broadcasts to `X`.
    case pRelu
    /// Elementwise quotient with numpy broadcasting (integers truncate toward zero).
    case div
    /// Elementwise maximum of two tensors with numpy broadcasting (a variadic `Max` is a chain).
    case maximum
    /// Elementwise minimum of two tensors with numpy broadcasting (a variadic `Min` is a chain).
    case minimum
    /// `(X)` → elements of `X` picked by index along each axis (see ``Selection``).
    case select(Selection)
    /// `(data, indices)` → ONNX `Gather` whose indices are computed, not constants (an embedding
    /// lookup `Gather(E, token_ids)` indexed by the model input): `data`'s slices along `axis` at
    /// the integer `indices` (negative counts from the end), of shape
    /// `data[..<axis] + indices + data[(axis + 1)...]`. Constant indices are ``Selection/gather(axis:indices:indicesShape:)``.
    case gather(axis: Int)
    /// `(X)` → `X` reduced over some axes (see ``Reduction``).
    case reduce(Reduction)
    /// `(X)` → `X` without the listed dimensions of size 1 (all of them when `nil`).
    case squeeze(axes: [Int]?)
    /// `(X)` → `X` with dimensions of size 1 inserted at the listed output positions.
    case unsqueeze(axes: [Int])
    /// `(X)` → the index of the largest element along `axis` (the first one, or the last with
    /// `selectLastIndex`), as int64.
    case argMax(axis: Int, keepDims: Bool, selectLastIndex: Bool)
    /// `(X, scale, B?)` → `(x − mean) / sqrt(var + epsilon) · scale + B`, the statistics taken over
    /// the axes from `axis` to the last.
    case layerNormalization(axis: Int, epsilon: Float)
    /// `(X, scale, B)` → per sample and channel, `(x − mean) / sqrt(var + epsilon) · scale_c + B_c`
    /// over the spatial positions.
    case instanceNormalization(epsilon: Float)
    /// `log(softmax(x))` along `axis`.
    case logSoftmax(axis: Int)
    /// `(X, W, B?)` → the transposed (fractionally strided) 2-D convolution: every input element
    /// scatters `x · W[c, o, :, :]` into the output; `W` is `[C_in, C_out / group, kH, kW]`.
    case convTranspose(ConvTransposeAttributes)

    // MARK: onnxruntime's quantized operators (`com.microsoft` domain, opset 1)
    //
    // Written by onnxruntime's `quantize_static` in the QOperator format. Their semantics are
    // onnxruntime's CPU kernels (MLAS), float rounding steps included, so that the float
    // executor reproduces onnxruntime's integers (see `QuantizedKernels`).

    /// `(A, a_scale, a_zp, B, b_scale, b_zp, C?, y_scale?, y_zp?)` → with `acc = (A' − a_zp) ·
    /// (B' − b_zp) + C` in int32 (`A'`, `B'` transposed by the attributes' flags; `beta` is not
    /// used), `saturate(roundHalfEven(acc · m) + y_zp)` with `m = alpha · a_scale · b_scale /
    /// y_scale` in Float32, typed as `y_zp`; without `y_scale` (and `y_zp`), the float32
    /// `acc · alpha · a_scale · b_scale`. `b_scale`, `b_zp` per tensor or per output column (N);
    /// C is int32 in units of `alpha · a_scale · b_scale` and broadcasts to `[M, N]`.
    case qGemm(GemmAttributes)
    /// `(A, A_scale, A_zp?, B, B_scale, B_zp?, C_scale, C_zp?)` →
    /// `saturate(roundHalfEven((A − A_zp) · A_scale / C_scale + (B − B_zp) · B_scale / C_scale + C_zp))`
    /// with numpy broadcasting, in Float32 as MLAS orders it; per-tensor scales and zero points.
    /// (C_zp is added before rounding, as onnxruntime does: an odd zero point moves a tie.)
    case qLinearAdd
    /// `(A, A_scale, A_zp?, B, B_scale, B_zp?, C_scale, C_zp?)` →
    /// `saturate(roundHalfEven((A − A_zp) · (B − B_zp) · (A_scale · B_scale / C_scale) + C_zp))`
    /// with numpy broadcasting; per-tensor scales and zero points (C_zp added before rounding).
    case qLinearMul
    /// `(X, X_scale, X_zp?, Y_scale, Y_zp?)` → `saturate(roundHalfEven(σ((X − X_zp) · X_scale) /
    /// Y_scale) + Y_zp)`, one Float32 table entry per 8-bit input value.
    case qLinearSigmoid
    /// `(X, X_scale, X_zp?, Y_scale, Y_zp?)` → as `qLinearSigmoid` with `v ≥ 0 ? v : alpha · v`.
    case qLinearLeakyRelu(alpha: Float)
    /// `(X, x_scale, x_zp, y_scale, y_zp)` → per sample and channel,
    /// `saturate(roundHalfEven(Σ (X − x_zp) · x_scale / (y_scale · window)) + y_zp)` over all
    /// spatial positions: `[N, C, ...]` → `[N, C, 1, ...]`, or with `channelsLast`
    /// `[N, ..., C]` → `[N, 1, ..., C]`.
    case qLinearGlobalAveragePool(channelsLast: Bool)

    /// A short name for messages (the ONNX operator name where there is one).
    public var name: String {
        switch self {
        case .gemm: return "Gemm"
        case .matMul: return "MatMul"
        case .conv: return "Conv"
        case .relu: return "Relu"
        case .sigmoid: return "Sigmoid"
        case .tanh: return "Tanh"
        case .clip: return "Clip"
        case .softmax: return "Softmax"
        case .maxPool: return "MaxPool"
        case .averagePool: return "AveragePool"
        case .globalAveragePool: return "GlobalAveragePool"
        case .batchNormalization: return "BatchNormalization"
        case .add: return "Add"
        case .sub: return "Sub"
        case .mul: return "Mul"
        case .reshape: return "Reshape"
        case .flatten: return "Flatten"
        case .transpose: return "Transpose"
        case .concat: return "Concat"
        case .identity: return "Identity"
        case .cast: return "Cast"
        case .constant: return "Constant"
        case .quantizeLinear: return "QuantizeLinear"
        case .dequantizeLinear: return "DequantizeLinear"
        case .qLinearMatMul: return "QLinearMatMul"
        case .qLinearConv: return "QLinearConv"
        case .matMulInteger: return "MatMulInteger"
        case .convInteger: return "ConvInteger"
        case .unary(let function): return function.name
        case .pRelu: return "PRelu"
        case .div: return "Div"
        case .maximum: return "Max"
        case .minimum: return "Min"
        case .select(let selection): return selection.name
        case .gather: return "Gather"
        case .reduce(let reduction): return reduction.kind.operatorName
        case .squeeze: return "Squeeze"
        case .unsqueeze: return "Unsqueeze"
        case .argMax: return "ArgMax"
        case .layerNormalization: return "LayerNormalization"
        case .instanceNormalization: return "InstanceNormalization"
        case .logSoftmax: return "LogSoftmax"
        case .convTranspose: return "ConvTranspose"
        case .qGemm: return "QGemm"
        case .qLinearAdd: return "QLinearAdd"
        case .qLinearMul: return "QLinearMul"
        case .qLinearSigmoid: return "QLinearSigmoid"
        case .qLinearLeakyRelu: return "QLinearLeakyRelu"
        case .qLinearGlobalAveragePool: return "QLinearGlobalAveragePool"
        }
    }

    /// Whether the operation works on quantized integers (the QLinear/Integer family, onnxruntime's
    /// `com.microsoft` quantized operators and the quantize/dequantize boundaries).
    public var isQuantized: Bool {
        switch self {
        case .quantizeLinear, .dequantizeLinear, .qLinearMatMul, .qLinearConv, .matMulInteger, .convInteger, .qGemm,
            .qLinearAdd, .qLinearMul, .qLinearSigmoid, .qLinearLeakyRelu, .qLinearGlobalAveragePool:
            return true
        default:
            return false
        }
    }
}
