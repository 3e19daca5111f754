import ZKModel

/// The `ai.onnx.ml` operators skl2onnx writes for linear models and their preprocessing,
/// following onnxruntime's kernels (`onnxruntime/core/providers/cpu/ml/`):
///
/// - `LinearRegressor` → Gemm `X · Wᵀ + b` (`post_transform` NONE only).
/// - `LinearClassifier` → Gemm scores, then for K ≥ 2 classes Sigmoid (LOGISTIC), Softmax
///   (SOFTMAX) or nothing (NONE); the label is the class of the largest raw score. With one
///   coefficient row and two class labels (the binary form; skl2onnx writes two rows instead),
///   onnxruntime 1.32 returns `[1 − p, p]` with `p = σ(s)` for LOGISTIC and `p = s` otherwise
///   (SOFTMAX included), and the label is the second class when `s > 0`.
///   Labels: `classlabels_ints` equal to `0..<K` are the ArgMax itself; labels in arithmetic
///   progression `l₀ + d·k` (always the case for two classes) become `ArgMax · d + l₀`; other
///   labels, and string labels, cannot be computed by the operator set — the node is then only
///   supported when its label output is unused (skl2onnx always lists it as a graph output).
/// - `Normalizer` → `X / ReduceMax(X)` (MAX), `X / ReduceL1(X)` (L1), `X / ReduceL2(X)` (L2)
///   over the last axis. onnxruntime returns a row whose norm is 0 unchanged; here it divides by
///   zero.
/// - `Scaler` → `(X − offset) · scale`.
/// - `ArrayFeatureExtractor` → Gather on the last axis (constant indices: a selection; computed
///   ones, a classifier's label: a run-time gather).
/// - `ZipMap` reads through: its output (a sequence of maps) becomes the probability tensor.
extension NodeTranslator {
    static let machineLearningOperators: Set<String> = [
        "LinearRegressor", "LinearClassifier", "Normalizer", "Scaler", "ArrayFeatureExtractor", "ZipMap",
    ]

    func translateMachineLearningOperator() throws -> Translation {
        let c = context
        switch c.opType {
        case "LinearRegressor": return try linearRegressor()
        case "LinearClassifier": return try linearClassifier()
        case "Normalizer": return try normalizer()
        case "Scaler": return try scaler()
        case "ArrayFeatureExtractor": return try arrayFeatureExtractor()
        case "ZipMap":
            return .alias(try inputs(1...1)[0])
        default:
            throw TranslationFailure(
                "the ai.onnx.ml operator \(c.opType) is not supported; supported: \(Self.machineLearningOperators.sorted().joined(separator: ", "))")
        }
    }

    /// Input 0 as `[N, F]`, and the coefficient matrix `[K, F]` and intercepts `[K]` as constants.
    func linearModel(rows: Int) throws -> (features: Int, weight: TensorValue, bias: TensorValue?) {
        let c = context
        let x = try c.requiredType(0, "X").shape
        guard x.count == 2 else { throw TranslationFailure("the input must be 2-D [N, F], is \(x)") }
        guard let coefficients = c.attributes.floats("coefficients"), coefficients.count == rows * x[1] else {
            throw TranslationFailure("coefficients must hold \(rows) × \(x[1]) values")
        }
        let weight = TensorValue.float(try FloatTensor(shape: [rows, x[1]], values: coefficients))
        var bias: TensorValue?
        if let intercepts = c.attributes.floats("intercepts") {
            guard intercepts.count == rows else { throw TranslationFailure("intercepts must hold \(rows) values") }
            bias = .float(try FloatTensor(shape: [rows], values: intercepts))
        }
        return (x[1], weight, bias)
    }

    func gemmScores(_ weight: TensorValue, _ bias: TensorValue?, output: String) -> ([ModelNode], [String: TensorValue]) {
        let c = context
        let w = "\(c.name)/coefficients"
        let b = "\(c.name)/intercepts"
        var constants = [w: weight]
        if let bias { constants[b] = bias }
        let node = ModelNode(
            name: output == c.outputs.first ? c.name : output, op: .gemm(GemmAttributes(transposeB: true)),
            inputs: [c.inputs[0], w] + (bias == nil ? [] : [b]), outputs: [output])
        return ([node], constants)
    }

    func linearRegressor() throws -> Translation {
        let c = context
        _ = try inputs(1...1)
        guard (c.attributes.string("post_transform") ?? "NONE") == "NONE" else {
            throw TranslationFailure("only post_transform NONE is supported")
        }
        let (_, weight, bias) = try linearModel(rows: c.attributes.int("targets", default: 1))
        let (nodes, constants) = gemmScores(weight, bias, output: c.outputs.first ?? c.name)
        return .nodes(nodes, constants: constants)
    }

    func linearClassifier() throws -> Translation {
        let c = context
        _ = try inputs(1...1)
        let a = c.attributes
        let transform = a.string("post_transform") ?? "NONE"
        guard ["NONE", "LOGISTIC", "SOFTMAX"].contains(transform) else {
            throw TranslationFailure("post_transform \(transform) is not supported (NONE, LOGISTIC and SOFTMAX are)")
        }
        let x = try c.requiredType(0, "X").shape
        guard x.count == 2, x[1] > 0 else { throw TranslationFailure("the input must be 2-D [N, F], is \(x)") }
        let rows = a.floats("intercepts")?.count ?? ((a.floats("coefficients")?.count ?? 0) / x[1])
        let (_, weight, bias) = try linearModel(rows: rows)
        let integerLabels = a.ints("classlabels_ints")
        let labelCount = integerLabels?.count ?? a.strings("classlabels_strings")?.count ?? 0
        let binary = rows == 1 && labelCount == 2
        guard rows >= 2 || binary else { throw TranslationFailure("a single class without two class labels is not supported") }
        let labelOutput = c.outputs.first ?? ""
        let scoreOutput = c.outputs.count > 1 ? c.outputs[1] : ""
        let raw = "\(c.name)/scores"
        var (nodes, constants) = gemmScores(weight, bias, output: raw)
        nodes[0].name = raw
        // The class index (from which the label is computed) is ArgMax over `decision`.
        var decision = raw
        if binary {
            // Scores [1 − p, p] with p = σ(s) (LOGISTIC) or s; class 1 when s > 0, i.e. ArgMax
            // over [0, s] (ties to the first).
            if !scoreOutput.isEmpty {
                var p = raw
                if transform == "LOGISTIC" {
                    p = "\(c.name)/probability"
                    nodes.append(ModelNode(name: p, op: .sigmoid, inputs: [raw], outputs: [p]))
                }
                let (one, complement) = ("\(c.name)/one", "\(c.name)/complement")
                constants[one] = .float(FloatTensor(scalar: 1))
                nodes.append(ModelNode(name: complement, op: .sub, inputs: [one, p], outputs: [complement]))
                nodes.append(ModelNode(name: "\(c.name)/scores_out", op: .concat(axis: 1), inputs: [complement, p], outputs: [scoreOutput]))
            }
            let zeros = "\(c.name)/zeros"
            constants[zeros] = .float(try FloatTensor(shape: [x[0], 1], values: [Float](repeating: 0, count: x[0])))
            decision = "\(c.name)/decision"
            nodes.append(ModelNode(name: decision, op: .concat(axis: 1), inputs: [zeros, raw], outputs: [decision]))
        } else if !scoreOutput.isEmpty {
            let op: Operator = transform == "LOGISTIC" ? .sigmoid : transform == "SOFTMAX" ? .softmax(axis: -1) : .identity
            nodes.append(ModelNode(name: "\(c.name)/scores_out", op: op, inputs: [raw], outputs: [scoreOutput]))
        }
        guard !labelOutput.isEmpty, c.usedNames.contains(labelOutput) else {
            return .nodes(nodes.filter { $0.outputs != [decision] || $0.outputs == [raw] }, constants: constants)
        }
        guard let labels = integerLabels, labels.count == max(rows, 2) else {
            throw TranslationFailure(
                "the label output '\(labelOutput)' is used but the class labels are not integers (one per class); only the scores are supported")
        }
        let step = labels[1] - labels[0]
        guard labels.enumerated().allSatisfy({ $0.element == labels[0] + step * $0.offset }) else {
            throw TranslationFailure(
                "the label output '\(labelOutput)' is used but the class labels \(labels) are not evenly spaced; only the scores are supported")
        }
        let argMax = Operator.argMax(axis: 1, keepDims: false, selectLastIndex: false)
        if labels[0] == 0 && step == 1 {
            nodes.append(ModelNode(name: c.name, op: argMax, inputs: [decision], outputs: [labelOutput]))
            return .nodes(nodes, constants: constants)
        }
        let (index, scaled) = ("\(c.name)/class_index", "\(c.name)/scaled_index")
        let (stepName, offsetName) = ("\(c.name)/label_step", "\(c.name)/label_offset")
        constants[stepName] = .integer(IntegerTensor(scalar: Int64(step)))
        constants[offsetName] = .integer(IntegerTensor(scalar: Int64(labels[0])))
        nodes.append(ModelNode(name: index, op: argMax, inputs: [decision], outputs: [index]))
        nodes.append(ModelNode(name: scaled, op: .mul, inputs: [index, stepName], outputs: [scaled]))
        nodes.append(ModelNode(name: c.name, op: .add, inputs: [scaled, offsetName], outputs: [labelOutput]))
        return .nodes(nodes, constants: constants)
    }

    func normalizer() throws -> Translation {
        let c = context
        let input = try inputs(1...1)[0]
        let x = try c.requiredType(0, "X").shape
        guard x.count == 1 || x.count == 2 else { throw TranslationFailure("the input must be 1-D or 2-D, is \(x)") }
        let kind: Reduction.Kind
        switch c.attributes.string("norm") ?? "MAX" {
        case "MAX": kind = .max
        case "L1": kind = .l1
        case "L2": kind = .l2
        case let other: throw TranslationFailure("unknown norm '\(other)'")
        }
        let norm = "\(c.name)/norm"
        return .nodes([
            ModelNode(name: norm, op: .reduce(Reduction(kind: kind, axes: [-1], keepDims: true)), inputs: [input], outputs: [norm]),
            c.node(.div, inputs: [input, norm]),
        ])
    }

    func scaler() throws -> Translation {
        let c = context
        let input = try inputs(1...1)[0]
        let offset = c.attributes.floats("offset") ?? [0]
        let scale = c.attributes.floats("scale") ?? [1]
        let (offsetName, scaleName, shifted) = ("\(c.name)/offset", "\(c.name)/scale", "\(c.name)/shifted")
        return .nodes(
            [
                ModelNode(name: shifted, op: .sub, inputs: [input, offsetName], outputs: [shifted]),
                c.node(.mul, inputs: [shifted, scaleName]),
            ],
            constants: [
                offsetName: .float(try FloatTensor(shape: [offset.count], values: offset)),
                scaleName: .float(try FloatTensor(shape: [scale.count], values: scale)),
            ])
    }

    /// ArrayFeatureExtractor: the listed columns of the last axis (a 1-D input gives `[1, k]`).
    /// Constant indices select (a movement the compiler proves); computed ones — a classifier's
    /// label, `classes[ArgMax(probabilities)]` — gather at run time, which the float executor
    /// runs and the compiler refuses if the proven output needs it (skl2onnx's classifiers
    /// export the label beside the probabilities, which are what is proven).
    func arrayFeatureExtractor() throws -> Translation {
        let c = context
        _ = try inputs(2...2)
        let x = try c.requiredType(0, "X").shape
        let gather: Operator, inputs: [String], count: Int
        if let indices = c.constant(1) {
            let picks = try ConstantOps.integers(indices, "indices")
            (gather, inputs, count) = (.select(.gather(axis: -1, indices: picks, indicesShape: [picks.count])), [c.inputs[0]], picks.count)
        } else {
            let indices = try c.requiredType(1, "indices").shape
            (gather, inputs, count) = (.gather(axis: -1), [c.inputs[0], c.inputs[1]], indices.reduce(1, *))
        }
        guard x.count == 1 else { return .nodes([c.node(gather, inputs: inputs)]) }
        let picked = "\(c.name)/picked"
        return .nodes([
            ModelNode(name: picked, op: gather, inputs: inputs, outputs: [picked]),
            c.node(.reshape(shape: [1, count], allowZero: true), inputs: [picked]),
        ])
    }
}
