import ZKModel

/// LayerNormalization, InstanceNormalization and LogSoftmax.
extension NodeTranslator {
    /// LayerNormalization (opset 17): the statistics outputs `Mean` and `InvStdDev` must be unused.
    func layerNormalization() throws -> Translation {
        let c = context
        try c.requireOnlyFirstOutputUsed("Mean/InvStdDev")
        let names = try inputs(2...3)
        let op = Operator.layerNormalization(
            axis: c.attributes.int("axis", default: -1), epsilon: c.attributes.float("epsilon", default: 1e-5))
        return .nodes([c.node(op, inputs: names)])
    }

    func instanceNormalization() throws -> Translation {
        let c = context
        let names = try inputs(3...3)
        return .nodes([c.node(.instanceNormalization(epsilon: c.attributes.float("epsilon", default: 1e-5)), inputs: names)])
    }

    /// LogSoftmax, with the same opset handling as Softmax (`coercedSoftmax`).
    func logSoftmax() throws -> Translation {
        try coercedSoftmax { .logSoftmax(axis: $0) }
    }
}
