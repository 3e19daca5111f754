import ZKModel

/// The Reduce* family and ArgMax.
extension NodeTranslator {
    static let reductionKinds: [String: Reduction.Kind] = [
        "ReduceSum": .sum, "ReduceMean": .mean, "ReduceMax": .max, "ReduceMin": .min, "ReduceProd": .product,
        "ReduceSumSquare": .sumSquare, "ReduceL1": .l1, "ReduceL2": .l2, "ReduceLogSumExp": .logSumExp,
    ]

    /// A reduction. The axes are an attribute before opset 18 (13 for ReduceSum) and an optional
    /// constant input after; absent or empty axes reduce everything, unless
    /// `noop_with_empty_axes` makes the node the identity.
    func reduction(_ kind: Reduction.Kind) throws -> Translation {
        let c = context
        guard c.hasInput(0) else { throw TranslationFailure("missing input") }
        let axesAreInput = c.opset >= (kind == .sum ? 13 : 18)
        var axes: [Int]?
        if axesAreInput {
            if c.hasInput(1) { axes = try ConstantOps.integers(try c.requiredConstant(1, "axes"), "axes") }
        } else {
            axes = c.attributes.ints("axes")
        }
        if axes?.isEmpty ?? true {
            if axesAreInput, c.attributes.int("noop_with_empty_axes", default: 0) != 0 { return .alias(c.inputs[0]) }
            axes = nil
        }
        let keepDims = c.attributes.int("keepdims", default: 1) != 0
        return .nodes([c.node(.reduce(Reduction(kind: kind, axes: axes, keepDims: keepDims)), inputs: [c.inputs[0]])])
    }

    /// ArgMax (`select_last_index` from opset 12).
    func argMax() throws -> Translation {
        let c = context
        let input = try inputs(1...1)[0]
        let a = c.attributes
        let op = Operator.argMax(
            axis: a.int("axis", default: 0), keepDims: a.int("keepdims", default: 1) != 0,
            selectLastIndex: a.int("select_last_index", default: 0) != 0)
        return .nodes([c.node(op, inputs: [input])])
    }
}
