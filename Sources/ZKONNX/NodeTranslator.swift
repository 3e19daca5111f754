import ZKModel

/// Translates one ONNX node to ZKModel operators, mapping each opset's attribute and input
/// conventions onto the current definitions. Shape-subgraph operators are folded (see
/// `NodeTranslator+ShapeSubgraphs.swift`); quantized operators are kept as they are.
struct NodeTranslator {
    let context: NodeContext

    /// Every operator type the importer translates (for some inputs at least).
    static let knownOperators: Set<String> = Set([
        "Gemm", "MatMul", "Conv", "Relu", "Sigmoid", "Tanh", "Clip", "Softmax", "MaxPool", "AveragePool",
        "GlobalAveragePool", "BatchNormalization", "Add", "Sub", "Mul", "Div", "Reshape", "Flatten", "Transpose",
        "Concat", "Identity", "Constant", "Dropout", "Shape", "Size", "Gather", "Unsqueeze", "Squeeze", "Cast",
        "ConstantOfShape", "Expand", "Range", "Slice", "Equal", "Where", "QuantizeLinear", "DequantizeLinear",
        "QLinearMatMul", "QLinearConv", "MatMulInteger", "ConvInteger", "PRelu", "ArgMax", "LayerNormalization",
        "InstanceNormalization", "LogSoftmax", "ConvTranspose",
    ]).union(unaryOperators).union(variadicOperators).union(selectionOperators).union(reductionKinds.keys)
        .union(machineLearningOperators).union(microsoftOperators)

    /// Advice for operators that are not translated at all.
    static func hint(forUnknown opType: String, domain: String = "") -> String {
        if domain == "com.microsoft" {
            return "the com.microsoft operator \(opType) is not supported; supported: "
                + microsoftOperators.sorted().joined(separator: ", ")
        }
        let specific: [String: String] = [
            "GlobalMaxPool": "use MaxPool with a window the size of the input",
            "LSTM": "recurrent layers are not supported",
            "GRU": "recurrent layers are not supported",
            "If": "control flow is not supported",
            "Loop": "control flow is not supported",
        ]
        return specific[opType]
            ?? "not supported; supported operators: \(knownOperators.sorted().joined(separator: ", "))"
    }

    func translate() throws -> Translation {
        let c = context
        if c.domain == "ai.onnx.ml" { return try translateMachineLearningOperator() }
        if c.domain == "com.microsoft" { return try translateMicrosoftOperator() }
        if Self.unaryOperators.contains(c.opType) { return try translateUnaryOperator() }
        if let kind = Self.reductionKinds[c.opType] { return try reduction(kind) }
        // Gather, Slice and Expand of constants fold exactly (shape subgraphs); of activations
        // they are Selections.
        if ["Gather", "Slice", "Expand"].contains(c.opType), c.hasInput(0), c.constant(0) == nil {
            return try translateSelectionOperator()
        }
        switch c.opType {
        case "Gemm":
            let attributes = GemmAttributes(
                alpha: c.attributes.float("alpha", default: 1), beta: c.attributes.float("beta", default: 1),
                transposeA: c.attributes.int("transA", default: 0) != 0, transposeB: c.attributes.int("transB", default: 0) != 0)
            return .nodes([c.node(.gemm(attributes), inputs: try inputs(2...3))])
        case "MatMul":
            return .nodes([c.node(.matMul, inputs: try inputs(2...2))])
        case "Conv":
            return try convolution()
        case "ConvTranspose":
            return try convTranspose()
        case "Relu":
            return .nodes([c.node(.relu, inputs: try inputs(1...1))])
        case "Sigmoid":
            return .nodes([c.node(.sigmoid, inputs: try inputs(1...1))])
        case "Tanh":
            return .nodes([c.node(.tanh, inputs: try inputs(1...1))])
        case "Clip":
            return try clip()
        case "Softmax":
            return try softmax()
        case "MaxPool", "AveragePool":
            return try pooling(max: c.opType == "MaxPool")
        case "GlobalAveragePool":
            return .nodes([c.node(.globalAveragePool, inputs: try inputs(1...1))])
        case "BatchNormalization":
            return try batchNormalization()
        case "Add", "Sub", "Mul":
            return try binaryArithmetic()
        case "Div":
            return try division()
        case "PRelu":
            return try pRelu()
        case "Max", "Min", "Sum", "Mean":
            return try variadic()
        case "ArgMax":
            return try argMax()
        case "LayerNormalization":
            return try layerNormalization()
        case "InstanceNormalization":
            return try instanceNormalization()
        case "LogSoftmax":
            return try logSoftmax()
        case "Pad", "Split", "Tile", "Resize", "Upsample":
            return try translateSelectionOperator()
        case "Reshape":
            return try reshape()
        case "Flatten":
            if let value = c.constant(0) {
                let type = try ShapeInference.outputTypes(
                    of: c.node(.flatten(axis: c.attributes.int("axis", default: 1))),
                    inputs: [TensorType(elementType: value.elementType, shape: value.shape)])[0]
                return .folded([try ConstantOps.reshape(value, to: type.shape)])
            }
            return .nodes([c.node(.flatten(axis: c.attributes.int("axis", default: 1)), inputs: try inputs(1...1))])
        case "Transpose":
            return .nodes([c.node(.transpose(permutation: c.attributes.ints("perm")), inputs: try inputs(1...1))])
        case "Concat":
            return try concat()
        case "Identity":
            _ = try inputs(1...1)
            return .alias(c.inputs[0])
        case "Dropout":
            // Inference: Dropout passes its input through; the mask output must be unused.
            try c.requireOnlyFirstOutputUsed("mask")
            guard c.hasInput(0) else { throw TranslationFailure("missing input") }
            // training_mode (opset 12+): random masking, unless the ratio is 0.
            if c.hasInput(2) {
                guard let training = c.constant(2)?.floatTensor.values.first else {
                    throw TranslationFailure("Dropout's training_mode must be a constant")
                }
                let ratio = c.hasInput(1) ? c.constant(1)?.floatTensor.values.first : 0.5
                if training != 0 && ratio != 0 {
                    throw TranslationFailure("Dropout in training mode (random masking) is not supported; export the model in eval mode")
                }
            }
            return .alias(c.inputs[0])
        case "Constant":
            return .folded([try constantValue()])
        case "Shape", "Size", "Gather", "Unsqueeze", "Squeeze", "Cast", "ConstantOfShape", "Expand", "Range", "Slice",
            "Equal", "Where":
            return try translateShapeSubgraphOperator()
        case "QuantizeLinear", "DequantizeLinear", "QLinearMatMul", "QLinearConv", "MatMulInteger", "ConvInteger":
            return try translateQuantizedOperator()
        default:
            if Self.microsoftOperators.contains(c.opType) {
                throw TranslationFailure("\(c.opType) is an operator of the com.microsoft domain, not of '\(c.domain)'")
            }
            throw TranslationFailure(Self.hint(forUnknown: c.opType))
        }
    }

    /// The inputs, checking their count.
    func inputs(_ range: ClosedRange<Int>) throws -> [String] {
        var names = context.inputs
        while let last = names.last, last.isEmpty, names.count > range.lowerBound { names.removeLast() }
        guard range.contains(names.count) else {
            throw TranslationFailure("expects \(range.lowerBound)...\(range.upperBound) inputs, has \(names.count)")
        }
        return names
    }

    func requireSpatialRank(of index: Int, _ what: String) throws {
        guard let type = context.type(index) else { return }
        guard type.shape.count == 4 else {
            throw TranslationFailure(
                "only 2-D \(what) over [N, C, H, W] is supported; the input has shape \(type.shape)")
        }
    }

    func padding(default pads: [Int] = [0, 0, 0, 0]) throws -> Padding {
        let autoPad = context.attributes.string("auto_pad") ?? "NOTSET"
        switch autoPad {
        case "NOTSET", "":
            return .explicit(context.attributes.ints("pads") ?? pads)
        case "SAME_UPPER": return .sameUpper
        case "SAME_LOWER": return .sameLower
        case "VALID": return .valid
        default: throw TranslationFailure("unknown auto_pad '\(autoPad)'")
        }
    }

    func convolutionAttributes() throws -> ConvolutionAttributes {
        let a = context.attributes
        return ConvolutionAttributes(
            kernelShape: a.ints("kernel_shape"), strides: a.ints("strides") ?? [1, 1], dilations: a.ints("dilations") ?? [1, 1],
            padding: try padding(), group: a.int("group", default: 1))
    }

    func poolingAttributes() throws -> PoolingAttributes {
        let a = context.attributes
        guard let kernel = a.ints("kernel_shape") else { throw TranslationFailure("kernel_shape is required") }
        return PoolingAttributes(
            kernelShape: kernel, strides: a.ints("strides") ?? [1, 1], dilations: a.ints("dilations") ?? [1, 1],
            padding: try padding(), ceilMode: a.int("ceil_mode", default: 0) != 0,
            countIncludePad: a.int("count_include_pad", default: 0) != 0)
    }

    /// Clip: bounds are attributes before opset 11 and optional constant inputs from 11.
    func clip() throws -> Translation {
        let c = context
        var minimum: Float?
        var maximum: Float?
        if c.opset < 11 {
            minimum = c.attributes.float("min")
            maximum = c.attributes.float("max")
        } else {
            for (index, role) in [(1, "min"), (2, "max")] where c.hasInput(index) {
                let value = try c.requiredConstant(index, role)
                guard value.count == 1 else { throw TranslationFailure("\(role) must be a scalar") }
                if index == 1 { minimum = value.floatTensor.values[0] } else { maximum = value.floatTensor.values[0] }
            }
        }
        guard c.hasInput(0) else { throw TranslationFailure("missing input") }
        return .nodes([c.node(.clip(minimum: minimum, maximum: maximum), inputs: [c.inputs[0]])])
    }

    /// Softmax: from opset 13 along one axis (default -1); before 13 the input is coerced to 2-D
    /// at `axis` (default 1) and normalized over the flattened trailing part, which becomes
    /// Reshape → Softmax(-1) → Reshape unless `axis` is already the last.
    func softmax() throws -> Translation {
        try coercedSoftmax { .softmax(axis: $0) }
    }

    /// Softmax or LogSoftmax (`make` builds the operator for an axis) with the opset rules above.
    func coercedSoftmax(_ make: (Int) -> Operator) throws -> Translation {
        let c = context
        let input = try inputs(1...1)[0]
        if c.opset >= 13 { return .nodes([c.node(make(c.attributes.int("axis", default: -1)), inputs: [input])]) }
        let shape = try c.requiredType(0, "input").shape
        let rank = shape.count
        let rawAxis = c.attributes.int("axis", default: 1)
        guard let axis = rawAxis == rank ? rank : TensorShape.normalizedAxis(rawAxis, rank: rank) else {
            throw TranslationFailure("axis \(rawAxis) is out of range for rank \(rank)")
        }
        if axis == rank - 1 { return .nodes([c.node(make(-1), inputs: [input])]) }
        let outer = TensorShape.product(shape, 0..<axis) ?? 0
        let inner = TensorShape.product(shape, axis..<rank) ?? 0
        let flat = "\(c.name)/coerced"
        let normalized = "\(c.name)/normalized"
        return .nodes([
            ModelNode(name: flat, op: .reshape(shape: [outer, inner], allowZero: true), inputs: [input], outputs: [flat]),
            ModelNode(name: normalized, op: make(-1), inputs: [flat], outputs: [normalized]),
            c.node(.reshape(shape: shape, allowZero: true), inputs: [normalized]),
        ])
    }

    /// BatchNormalization in inference mode (every opset: 1–6 with `spatial`/`is_test`, 7–14,
    /// 15 with `training_mode`).
    func batchNormalization() throws -> Translation {
        let c = context
        if c.attributes.int("training_mode", default: 0) != 0 {
            throw TranslationFailure("training_mode=1 is not supported; export the model in eval mode")
        }
        if c.opset < 9, c.attributes.int("spatial", default: 1) == 0 {
            throw TranslationFailure("spatial=0 (per-element statistics) is not supported")
        }
        try c.requireOnlyFirstOutputUsed("training statistics")
        return .nodes([c.node(.batchNormalization(epsilon: c.attributes.float("epsilon", default: 1e-5)), inputs: try inputs(5...5))])
    }

    /// Add, Sub, Mul. Before opset 7, `broadcast=1` with `axis` aligns B's dimensions with A's
    /// starting at `axis`; that becomes a reshape of B to numpy-style alignment.
    func binaryArithmetic() throws -> Translation {
        let c = context
        let op: Operator = c.opType == "Add" ? .add : c.opType == "Sub" ? .sub : .mul
        var names = try inputs(2...2)
        if c.allInputsConstant, let a = c.constant(0), let b = c.constant(1), a.elementType.isInteger || b.elementType.isInteger {
            let arithmetic: ConstantOps.Arithmetic = op == .add ? .add : op == .sub ? .sub : .mul
            return .folded([try ConstantOps.arithmetic(arithmetic, a, b, limit: c.maxTensorElements)])
        }
        var constants: [String: TensorValue] = [:]
        var extra: [ModelNode] = []
        if c.opset < 7, c.attributes.int("broadcast", default: 0) != 0, let axis = c.attributes.int("axis") {
            let a = try c.requiredType(0, "A").shape
            let b = try c.requiredType(1, "B").shape
            let start = axis < 0 ? axis + a.count : axis
            guard start >= 0, start + b.count <= a.count else {
                throw TranslationFailure("legacy broadcast axis \(axis) does not fit \(b) into \(a)")
            }
            let aligned = b + [Int](repeating: 1, count: a.count - start - b.count)
            let name = "\(c.name)/aligned_B"
            if let value = c.constant(1) {
                constants[name] = try ConstantOps.reshape(value, to: aligned)
            } else {
                extra.append(ModelNode(name: name, op: .reshape(shape: aligned, allowZero: true), inputs: [names[1]], outputs: [name]))
            }
            names[1] = name
        }
        return .nodes(extra + [c.node(op, inputs: names)], constants: constants)
    }

    /// Reshape: the target is the `shape` attribute before opset 5, a constant input from 5
    /// (torch's Shape → Gather → Unsqueeze → Concat subgraphs fold to one); `allowzero` from 14.
    func reshape() throws -> Translation {
        let c = context
        let target: [Int]
        if c.opset < 5 {
            guard let shape = c.attributes.ints("shape") else { throw TranslationFailure("the shape attribute is missing") }
            target = shape
        } else {
            target = try ConstantOps.integers(try c.requiredConstant(1, "shape"), "shape")
        }
        guard c.hasInput(0) else { throw TranslationFailure("missing input") }
        let op = Operator.reshape(shape: target, allowZero: c.attributes.int("allowzero", default: 0) != 0)
        if let value = c.constant(0) {
            let type = try ShapeInference.outputTypes(
                of: c.node(op, inputs: [c.inputs[0]]), inputs: [TensorType(elementType: value.elementType, shape: value.shape)])[0]
            return .folded([try ConstantOps.reshape(value, to: type.shape)])
        }
        return .nodes([c.node(op, inputs: [c.inputs[0]])])
    }

    /// Concat: folded when every input is a constant (shape vectors), else a graph node
    /// (`axis` defaults to 1 before opset 4).
    func concat() throws -> Translation {
        let c = context
        let axis: Int
        if let value = c.attributes.int("axis") {
            axis = value
        } else if c.opset < 4 {
            axis = 1
        } else {
            throw TranslationFailure("the axis attribute is missing")
        }
        guard !c.inputs.isEmpty, c.inputs.allSatisfy({ !$0.isEmpty }) else { throw TranslationFailure("missing inputs") }
        if c.allInputsConstant {
            return .folded([try ConstantOps.concat(c.inputs.indices.compactMap { c.constant($0) }, axis: axis)])
        }
        return .nodes([c.node(.concat(axis: axis))])
    }

    /// Constant: `value` (a tensor), or from opset 12 `value_float(s)` / `value_int(s)`.
    func constantValue() throws -> TensorValue {
        let a = context.attributes
        do {
            if let tensor = try a.tensor("value") { return tensor }
            if let value = a.float("value_float") { return .float(FloatTensor(scalar: value)) }
            if let values = a.floats("value_floats") { return .float(try FloatTensor(shape: [values.count], values: values)) }
            if let value = a.int("value_int") { return .integer(IntegerTensor(scalar: Int64(value))) }
            if let values = a.ints("value_ints") {
                return .integer(try IntegerTensor(shape: [values.count], values: values.map { Int64($0) }))
            }
        } catch let error as ModelError {
            throw TranslationFailure("invalid value: \(error)")
        }
        throw TranslationFailure("only tensor, float and integer constants are supported (attributes: \(a.names))")
    }

    /// The quantized operators, kept as they are (a pre-quantized model imports unchanged).
    func translateQuantizedOperator() throws -> Translation {
        let c = context
        switch c.opType {
        case "QuantizeLinear", "DequantizeLinear":
            if c.attributes.int("block_size", default: 0) != 0 {
                throw TranslationFailure("blocked quantization (block_size) is not supported")
            }
            if c.opType == "QuantizeLinear", !c.hasInput(2), let dtype = c.attributes.int("output_dtype"), dtype != 0, dtype != 2 {
                throw TranslationFailure("output_dtype without a zero point is only supported for uint8")
            }
            let axis = c.attributes.int("axis", default: 1)
            let names = try inputs(2...3)
            return .nodes([c.node(c.opType == "QuantizeLinear" ? .quantizeLinear(axis: axis) : .dequantizeLinear(axis: axis), inputs: names)])
        case "QLinearMatMul":
            return .nodes([c.node(.qLinearMatMul, inputs: try inputs(8...8))])
        case "QLinearConv":
            try requireSpatialRank(of: 0, "QLinearConv")
            return .nodes([c.node(.qLinearConv(try convolutionAttributes()), inputs: try inputs(8...9))])
        case "MatMulInteger":
            return .nodes([c.node(.matMulInteger, inputs: try inputs(2...4))])
        default:
            try requireSpatialRank(of: 0, "ConvInteger")
            return .nodes([c.node(.convInteger(try convolutionAttributes()), inputs: try inputs(2...4))])
        }
    }
}
