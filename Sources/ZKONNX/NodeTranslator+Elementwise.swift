import ZKModel

/// Element-wise operators: the activations and elementary functions (one `UnaryFunction` each),
/// `Pow` by a constant exponent, `PRelu`, `Div`, and the variadic `Max`, `Min`, `Sum`, `Mean`.
/// A constant input folds at import.
extension NodeTranslator {
    static let unaryOperators: Set<String> = [
        "LeakyRelu", "Elu", "Selu", "Celu", "ThresholdedRelu", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "Gelu",
        "Mish", "Erf", "Exp", "Log", "Sqrt", "Reciprocal", "Neg", "Abs", "Sin", "Cos", "Pow",
    ]
    static let variadicOperators: Set<String> = ["Max", "Min", "Sum", "Mean"]

    /// The function an element-wise operator applies, with its attributes' ONNX defaults.
    func unaryFunction() throws -> UnaryFunction {
        let a = context.attributes
        switch context.opType {
        case "LeakyRelu": return .leakyRelu(alpha: a.float("alpha", default: 0.01))
        case "Elu": return .elu(alpha: a.float("alpha", default: 1))
        case "Selu":
            return .selu(alpha: a.float("alpha", default: 1.67326319217681884765625),
                         gamma: a.float("gamma", default: 1.05070102214813232421875))
        case "Celu": return .celu(alpha: a.float("alpha", default: 1))
        case "ThresholdedRelu": return .thresholdedRelu(alpha: a.float("alpha", default: 1))
        case "Softplus": return .softplus
        case "Softsign": return .softsign
        case "HardSigmoid": return .hardSigmoid(alpha: a.float("alpha", default: 0.2), beta: a.float("beta", default: 0.5))
        case "HardSwish": return .hardSwish
        case "Gelu":
            switch a.string("approximate") ?? "none" {
            case "none": return .gelu(tanhApproximation: false)
            case "tanh": return .gelu(tanhApproximation: true)
            case let other: throw TranslationFailure("unknown approximate '\(other)'")
            }
        case "Mish": return .mish
        case "Erf": return .erf
        case "Exp": return .exp
        case "Log": return .log
        case "Sqrt": return .sqrt
        case "Reciprocal": return .reciprocal
        case "Neg": return .negate
        case "Abs": return .absolute
        case "Sin": return .sine
        case "Cos": return .cosine
        default:  // Pow
            return .power(exponent: try constantExponent())
        }
    }

    /// Pow's exponent: a constant whose elements are all equal and whose shape does not widen
    /// the base's (a per-element exponent has no single-function lookup table).
    func constantExponent() throws -> Float {
        let c = context
        guard let exponent = c.constant(1) else {
            throw TranslationFailure("only a constant exponent is supported (Pow of two computed values is not)")
        }
        let values = exponent.floatTensor.values
        guard let first = values.first, values.allSatisfy({ $0 == first }) else {
            throw TranslationFailure("only a constant scalar exponent is supported; the exponent has shape \(exponent.shape)")
        }
        let base = try c.requiredType(0, "X").shape
        guard Broadcasting.isUnidirectional(exponent.shape, to: base) else {
            throw TranslationFailure("the exponent \(exponent.shape) would broadcast the base \(base)")
        }
        return first
    }

    func translateUnaryOperator() throws -> Translation {
        let c = context
        _ = try inputs(c.opType == "Pow" ? 2...2 : 1...1)
        let function = try unaryFunction()
        if let value = c.constant(0) { return .folded([try ConstantOps.unary(function, value)]) }
        return .nodes([c.node(.unary(function), inputs: [c.inputs[0]])])
    }

    /// PRelu. Before opset 7 a 1-D slope of `C` entries is per channel (axis 1); it is reshaped
    /// to `[C, 1, …]` for numpy-style broadcasting.
    func pRelu() throws -> Translation {
        let c = context
        var names = try inputs(2...2)
        let x = try c.requiredType(0, "X").shape
        let slope = try c.requiredType(1, "slope").shape
        var constants: [String: TensorValue] = [:]
        var extra: [ModelNode] = []
        if c.opset < 7, slope.count == 1, x.count > 2, slope[0] == x[1], slope[0] > 1 {
            let aligned = slope + [Int](repeating: 1, count: x.count - 2)
            let name = "\(c.name)/aligned_slope"
            if let value = c.constant(1) {
                constants[name] = try ConstantOps.reshape(value, to: aligned)
            } else {
                extra.append(ModelNode(name: name, op: .reshape(shape: aligned, allowZero: true), inputs: [names[1]], outputs: [name]))
            }
            names[1] = name
        }
        return .nodes(extra + [c.node(.pRelu, inputs: names)], constants: constants)
    }

    /// Div: folded when both inputs are constants; a float activation divided by a float
    /// constant becomes a Mul by the reciprocal; anything else is a Div node.
    func division() throws -> Translation {
        let c = context
        let names = try inputs(2...2)
        if let a = c.constant(0), let b = c.constant(1) {
            return .folded([try ConstantOps.arithmetic(.div, a, b, limit: c.maxTensorElements)])
        }
        if let b = c.constant(1), b.elementType.isFloatingPoint, c.type(0)?.elementType.isFloatingPoint == true {
            let reciprocal = b.floatTensor.values.map { 1 / $0 }
            guard reciprocal.allSatisfy(\.isFinite) else { throw TranslationFailure("division by zero") }
            let name = "\(c.name)/reciprocal"
            let tensor = try FloatTensor(shape: b.shape, values: reciprocal)
            return .nodes([c.node(.mul, inputs: [names[0], name])], constants: [name: .float(tensor, elementType: b.elementType)])
        }
        return .nodes([c.node(.div, inputs: names)])
    }

    /// Max, Min, Sum (a chain of binary nodes, left to right) and Mean (the Sum times `1/n`).
    /// One input is the input itself.
    func variadic() throws -> Translation {
        let c = context
        let names = c.inputs
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else { throw TranslationFailure("missing inputs") }
        // Old opsets (< 8) required equal shapes; numpy broadcasting is a superset.
        let op: Operator = c.opType == "Max" ? .maximum : c.opType == "Min" ? .minimum : .add
        if names.count == 1 { return .alias(names[0]) }
        let output = c.outputs.first ?? c.name
        var nodes: [ModelNode] = []
        var running = names[0]
        for (k, next) in names.enumerated().dropFirst() {
            let last = k == names.count - 1 && c.opType != "Mean"
            let name = last ? output : "\(c.name)/\(op.name.lowercased())_\(k)"
            nodes.append(ModelNode(name: last ? c.name : name, op: op, inputs: [running, next], outputs: [name]))
            running = name
        }
        guard c.opType == "Mean" else { return .nodes(nodes) }
        let scale = "\(c.name)/reciprocal_count"
        let type = try c.requiredType(0, "data_0").elementType
        guard type.isFloatingPoint else { throw TranslationFailure("Mean of \(type) values is not supported") }
        nodes.append(ModelNode(name: c.name, op: .mul, inputs: [running, scale], outputs: [output]))
        return .nodes(nodes, constants: [scale: .float(FloatTensor(scalar: 1 / Float(names.count)), elementType: type)])
    }
}

extension ConstantOps {
    /// An element-wise function of a constant: exact on integers for `Neg`, `Abs` and `Pow`
    /// by a non-negative integer exponent; in double precision, rounded to `Float`, on floats.
    static func unary(_ function: UnaryFunction, _ value: TensorValue) throws -> TensorValue {
        do {
            switch value {
            case .float(let tensor, let type):
                let values = tensor.values.map { Float(function.apply(Double($0))) }
                return .float(try FloatTensor(shape: tensor.shape, values: values), elementType: type)
            case .integer(let tensor):
                let values: [Int64]
                switch function {
                case .negate:
                    values = try tensor.values.map { v in
                        guard v != .min else { throw FoldingError("integer overflow") }
                        return -v
                    }
                case .absolute:
                    values = try tensor.values.map { v in
                        guard v != .min else { throw FoldingError("integer overflow") }
                        return Swift.abs(v)
                    }
                case .power(let exponent) where exponent >= 0 && exponent.rounded() == exponent && exponent < 64:
                    values = try tensor.values.map { v in
                        var result: Int64 = 1
                        for _ in 0..<Int(exponent) {
                            let (product, overflow) = result.multipliedReportingOverflow(by: v)
                            guard !overflow else { throw FoldingError("integer overflow") }
                            result = product
                        }
                        return result
                    }
                default:
                    throw FoldingError("\(function.name) of \(tensor.elementType) values")
                }
                return .integer(try IntegerTensor(shape: tensor.shape, values: values, elementType: tensor.elementType))
            }
        } catch let error as FoldingError {
            throw error
        } catch {
            throw FoldingError("\(error)")
        }
    }
}
