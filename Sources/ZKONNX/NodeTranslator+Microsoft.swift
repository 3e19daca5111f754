import ZKModel

/// The `com.microsoft` (onnxruntime contrib, opset 1) quantized operators that onnxruntime's
/// `quantize_static` writes in the QOperator format, kept as quantized ZKModel operators with
/// onnxruntime's semantics (see `Operator.qGemm` and the cases after it):
///
/// - `QGemm` → `.qGemm` (`alpha`, `transA`, `transB`). Only with both `y_scale` and
///   `y_zero_point` (a quantized output) or neither (float output): with `y_scale` alone
///   onnxruntime returns floats divided by `y_scale`, which is refused.
/// - `QLinearAdd`, `QLinearMul` → `.qLinearAdd`, `.qLinearMul`.
/// - `QLinearSigmoid` → `.qLinearSigmoid`; `QLinearLeakyRelu` → `.qLinearLeakyRelu` (`alpha`,
///   default 0.01).
/// - `QLinearGlobalAveragePool` → `.qLinearGlobalAveragePool` (`channels_last`, default 0).
///
/// Every other `com.microsoft` operator (fused and contrib operators) is reported by name.
extension NodeTranslator {
    static let microsoftOperators: Set<String> = [
        "QGemm", "QLinearAdd", "QLinearMul", "QLinearSigmoid", "QLinearLeakyRelu", "QLinearGlobalAveragePool",
    ]

    func translateMicrosoftOperator() throws -> Translation {
        let c = context
        guard Self.microsoftOperators.contains(c.opType) else {
            throw TranslationFailure(Self.hint(forUnknown: c.opType, domain: c.domain))
        }
        guard c.opset == 1 else {
            throw TranslationFailure("com.microsoft operators are defined at opset 1; the model imports opset \(c.opset) of the domain")
        }
        let a = c.attributes
        switch c.opType {
        case "QGemm":
            let names = try inputs(6...9)
            if c.hasInput(7) != c.hasInput(8) {
                throw TranslationFailure(
                    c.hasInput(7)
                        ? "y_scale without y_zero_point (onnxruntime then outputs floats divided by y_scale) is not supported"
                        : "y_zero_point without y_scale is invalid")
            }
            let attributes = GemmAttributes(
                alpha: a.float("alpha", default: 1), transposeA: a.int("transA", default: 0) != 0,
                transposeB: a.int("transB", default: 0) != 0)
            return .nodes([c.node(.qGemm(attributes), inputs: names)])
        case "QLinearAdd":
            return .nodes([c.node(.qLinearAdd, inputs: try inputs(7...8))])
        case "QLinearMul":
            return .nodes([c.node(.qLinearMul, inputs: try inputs(7...8))])
        case "QLinearSigmoid":
            return .nodes([c.node(.qLinearSigmoid, inputs: try inputs(4...5))])
        case "QLinearLeakyRelu":
            return .nodes([c.node(.qLinearLeakyRelu(alpha: a.float("alpha", default: 0.01)), inputs: try inputs(4...5))])
        default:
            let channelsLast = a.int("channels_last", default: 0) != 0
            return .nodes([c.node(.qLinearGlobalAveragePool(channelsLast: channelsLast), inputs: try inputs(4...5))])
        }
    }
}
