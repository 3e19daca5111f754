import Foundation

/// An element-wise function of one real number: the activations and elementary functions a
/// model applies entry by entry. The float executor evaluates ``apply(_:)``; the compiler proves
/// the same function by a lookup table over the quantized input domain (one row per integer
/// input, the output rounded to the output's scale and saturated), so any function here is
/// proven the same way, and its error is the table's rounding plus the input's quantization.
///
/// Functions outside their real domain follow IEEE arithmetic in the float executor (`log` of a
/// non-positive number is `−∞` or NaN, `sqrt` of a negative NaN, `1/0` infinite); the tables
/// saturate such entries to the largest representable magnitude (NaN to 0).
public enum UnaryFunction: Sendable, Hashable {
    /// `x` for `x ≥ 0`, else `alpha · x`.
    case leakyRelu(alpha: Float)
    /// `x` for `x > 0`, else `alpha · (eˣ − 1)`.
    case elu(alpha: Float)
    /// `gamma · x` for `x > 0`, else `gamma · alpha · (eˣ − 1)`.
    case selu(alpha: Float, gamma: Float)
    /// `max(0, x) + min(0, alpha · (e^(x/alpha) − 1))`.
    case celu(alpha: Float)
    /// `x` for `x > alpha`, else 0.
    case thresholdedRelu(alpha: Float)
    /// `log(1 + eˣ)`.
    case softplus
    /// `x / (1 + |x|)`.
    case softsign
    /// `max(0, min(1, alpha · x + beta))`.
    case hardSigmoid(alpha: Float, beta: Float)
    /// `x · max(0, min(1, x/6 + 1/2))`.
    case hardSwish
    /// `x · Φ(x)` (exact, with `erf`), or its tanh approximation
    /// `x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³)))`.
    case gelu(tanhApproximation: Bool)
    /// `x · tanh(softplus(x))`.
    case mish
    /// The error function `2/√π ∫₀ˣ e^(−t²) dt`.
    case erf
    /// `eˣ`.
    case exp
    /// The natural logarithm (positive inputs).
    case log
    /// `√x` (non-negative inputs).
    case sqrt
    /// `1/√(x + epsilon)`: the normalisation factor of a layer or instance normalisation.
    case reciprocalSquareRoot(epsilon: Float)
    /// `1/x` (nonzero inputs).
    case reciprocal
    /// `x^exponent` for a constant exponent (integer exponents on any input, others on
    /// non-negative inputs).
    case power(exponent: Float)
    /// `−x`.
    case negate
    /// `|x|`.
    case absolute
    /// `sin x`, `cos x`.
    case sine, cosine

    /// The function's value, in double precision.
    public func apply(_ x: Double) -> Double {
        switch self {
        case .leakyRelu(let alpha): return x >= 0 ? x : Double(alpha) * x
        case .elu(let alpha): return x > 0 ? x : Double(alpha) * Foundation.expm1(x)
        case .selu(let alpha, let gamma): return Double(gamma) * (x > 0 ? x : Double(alpha) * Foundation.expm1(x))
        case .celu(let alpha):
            let a = Double(alpha)
            return Swift.max(0, x) + Swift.min(0, a * Foundation.expm1(x / a))
        case .thresholdedRelu(let alpha): return x > Double(alpha) ? x : 0
        case .softplus: return x > 30 ? x : Foundation.log1p(Foundation.exp(x))
        case .softsign: return x / (1 + Swift.abs(x))
        case .hardSigmoid(let alpha, let beta): return Swift.max(0, Swift.min(1, Double(alpha) * x + Double(beta)))
        case .hardSwish: return x * Swift.max(0, Swift.min(1, x / 6 + 0.5))
        case .gelu(let approximate):
            if approximate {
                let inner = (2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)
                return 0.5 * x * (1 + Foundation.tanh(inner))
            }
            return 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
        case .mish: return x * Foundation.tanh(x > 30 ? x : Foundation.log1p(Foundation.exp(x)))
        case .erf: return Foundation.erf(x)
        case .exp: return Foundation.exp(x)
        case .log: return Foundation.log(x)
        case .sqrt: return x.squareRoot()
        case .reciprocalSquareRoot(let epsilon): return 1 / (x + Double(epsilon)).squareRoot()
        case .reciprocal: return 1 / x
        case .power(let exponent): return Foundation.pow(x, Double(exponent))
        case .negate: return -x
        case .absolute: return Swift.abs(x)
        case .sine: return Foundation.sin(x)
        case .cosine: return Foundation.cos(x)
        }
    }

    /// The ONNX operator name (or a descriptive one for functions ONNX has no operator for).
    public var name: String {
        switch self {
        case .leakyRelu: return "LeakyRelu"
        case .elu: return "Elu"
        case .selu: return "Selu"
        case .celu: return "Celu"
        case .thresholdedRelu: return "ThresholdedRelu"
        case .softplus: return "Softplus"
        case .softsign: return "Softsign"
        case .hardSigmoid: return "HardSigmoid"
        case .hardSwish: return "HardSwish"
        case .gelu: return "Gelu"
        case .mish: return "Mish"
        case .erf: return "Erf"
        case .exp: return "Exp"
        case .log: return "Log"
        case .sqrt: return "Sqrt"
        case .reciprocalSquareRoot: return "ReciprocalSquareRoot"
        case .reciprocal: return "Reciprocal"
        case .power: return "Pow"
        case .negate: return "Neg"
        case .absolute: return "Abs"
        case .sine: return "Sin"
        case .cosine: return "Cos"
        }
    }

    /// A stable description of the function and its parameters (a table's name in the circuit).
    public var signature: String {
        switch self {
        case .leakyRelu(let alpha): return "leakyRelu(\(alpha))"
        case .elu(let alpha): return "elu(\(alpha))"
        case .selu(let alpha, let gamma): return "selu(\(alpha),\(gamma))"
        case .celu(let alpha): return "celu(\(alpha))"
        case .thresholdedRelu(let alpha): return "thresholdedRelu(\(alpha))"
        case .hardSigmoid(let alpha, let beta): return "hardSigmoid(\(alpha),\(beta))"
        case .gelu(let approximate): return approximate ? "gelu(tanh)" : "gelu"
        case .reciprocalSquareRoot(let epsilon): return "rsqrt(\(epsilon))"
        case .power(let exponent): return "pow(\(exponent))"
        default: return name.lowercased()
        }
    }
}
