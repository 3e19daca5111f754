import ZKModel

/// The operators of static shape subgraphs. With constant inputs (or, for Shape and Size, an
/// input of known shape) they are computed at import; Squeeze and Unsqueeze of a computed value
/// become a static Reshape (the operation the circuit compiler lowers), a Cast of a computed
/// value to its own type or from float to float an alias, one from an integer to a float or a
/// wider integer a cast node (the identity on the values). Gather, Slice and Expand of a
/// computed value are Selections (`NodeTranslator+Selection.swift`); Gather of a constant table
/// at computed indices (an embedding lookup) is ``Operator/gather(axis:)``.
extension NodeTranslator {
    func translateShapeSubgraphOperator() throws -> Translation {
        let c = context
        let limit = c.maxTensorElements
        switch c.opType {
        case "Shape":
            let shape = try c.requiredType(0, "data").shape
            let rank = shape.count
            // Opset 15 added start/end (clamped, negative counts from the end).
            func clamp(_ value: Int) -> Int { min(max(value < 0 ? value + rank : value, 0), rank) }
            let start = clamp(c.attributes.int("start", default: 0))
            let end = clamp(c.attributes.int("end", default: rank))
            let dims = start < end ? Array(shape[start..<end]) : []
            return .folded([.integer(try IntegerTensor(shape: [dims.count], values: dims.map { Int64($0) }))])
        case "Size":
            let shape = try c.requiredType(0, "data").shape
            return .folded([.integer(IntegerTensor(scalar: Int64(TensorShape.elementCount(shape) ?? 0)))])
        case "Gather":
            guard let data = c.constant(0) else {
                throw TranslationFailure("Gather is only supported on constants (shape values, constant tables)")
            }
            let axis = c.attributes.int("axis", default: 0)
            guard let indices = c.constant(1) else {
                // A constant table indexed by a computed value (an embedding lookup by token ids).
                guard c.hasInput(1) else { throw TranslationFailure("missing input 1 (indices)") }
                return .nodes([c.node(.gather(axis: axis), inputs: [c.inputs[0], c.inputs[1]])])
            }
            return .folded([try ConstantOps.gather(data, indices: indices, axis: axis, limit: limit)])
        case "Unsqueeze":
            // Axes: attribute before opset 13, constant input from 13.
            let axes = c.opset < 13
                ? (c.attributes.ints("axes") ?? []) : try ConstantOps.integers(try c.requiredConstant(1, "axes"), "axes")
            let type = try c.requiredType(0, "data")
            let shape = try ConstantOps.unsqueezedShape(type.shape, axes: axes)
            return try reshaped(to: shape)
        case "Squeeze":
            let axes: [Int]? = c.opset < 13
                ? c.attributes.ints("axes") : try c.hasInput(1) ? ConstantOps.integers(try c.requiredConstant(1, "axes"), "axes") : nil
            let type = try c.requiredType(0, "data")
            let shape = try ConstantOps.squeezedShape(type.shape, axes: axes)
            return try reshaped(to: shape)
        case "Cast":
            guard let code = c.attributes.int("to"), let target = TensorDecoding.elementType(onnxCode: Int32(clamping: code)) else {
                throw TranslationFailure("unsupported target type")
            }
            if let value = c.constant(0) { return .folded([try ConstantOps.cast(value, to: target)]) }
            let type = try c.requiredType(0, "input")
            if type.elementType == target || (type.elementType.isFloatingPoint && target.isFloatingPoint) { return .alias(c.inputs[0]) }
            // An integer value (an int32 accumulator of MatMulInteger or ConvInteger) read as a number.
            if type.elementType.isInteger && target.isFloatingPoint { return .nodes([c.node(.cast(to: target), inputs: [c.inputs[0]])]) }
            // A widening integer cast (a classifier's int32 label to int64) keeps every value.
            if target.holdsEveryValue(of: type.elementType) { return .nodes([c.node(.cast(to: target), inputs: [c.inputs[0]])]) }
            throw TranslationFailure("Cast of a computed \(type.elementType) value to \(target) is not supported")
        case "ConstantOfShape":
            let shape = try ConstantOps.integers(try c.requiredConstant(0, "shape"), "shape")
            return .folded([try ConstantOps.constantOfShape(shape, value: try c.attributes.tensor("value"), limit: limit)])
        case "Expand":
            let target = try ConstantOps.integers(try c.requiredConstant(1, "shape"), "shape")
            guard let value = c.constant(0) else {
                throw TranslationFailure("Expand is only supported on constants")
            }
            return .folded([try ConstantOps.expand(value, to: target, limit: limit)])
        case "Range":
            return .folded([
                try ConstantOps.range(
                    start: try c.requiredConstant(0, "start"), limit: try c.requiredConstant(1, "limit"),
                    delta: try c.requiredConstant(2, "delta"), maxElements: limit)
            ])
        case "Slice":
            guard let data = c.constant(0) else { throw TranslationFailure("Slice is only supported on constants") }
            if c.opset < 10 {
                guard let starts = c.attributes.ints("starts"), let ends = c.attributes.ints("ends") else {
                    throw TranslationFailure("starts and ends are required")
                }
                return .folded([
                    try ConstantOps.slice(data, starts: starts, ends: ends, axes: c.attributes.ints("axes"), steps: nil, limit: limit)
                ])
            }
            let starts = try ConstantOps.integers(try c.requiredConstant(1, "starts"), "starts")
            let ends = try ConstantOps.integers(try c.requiredConstant(2, "ends"), "ends")
            let axes = c.hasInput(3) ? try ConstantOps.integers(try c.requiredConstant(3, "axes"), "axes") : nil
            let steps = c.hasInput(4) ? try ConstantOps.integers(try c.requiredConstant(4, "steps"), "steps") : nil
            return .folded([try ConstantOps.slice(data, starts: starts, ends: ends, axes: axes, steps: steps, limit: limit)])
        case "Equal":
            return .folded([
                try ConstantOps.arithmetic(
                    .equal, try c.requiredConstant(0, "A"), try c.requiredConstant(1, "B"), limit: limit)
            ])
        default:  // Where
            return .folded([
                try ConstantOps.select(
                    condition: try c.requiredConstant(0, "condition"), try c.requiredConstant(1, "X"),
                    try c.requiredConstant(2, "Y"), limit: limit)
            ])
        }
    }

    /// A shape-only change of input 0: folded for a constant, a static Reshape otherwise.
    func reshaped(to shape: [Int]) throws -> Translation {
        let c = context
        if let value = c.constant(0) { return .folded([try ConstantOps.reshape(value, to: shape)]) }
        return .nodes([c.node(.reshape(shape: shape, allowZero: true), inputs: [c.inputs[0]])])
    }
}
