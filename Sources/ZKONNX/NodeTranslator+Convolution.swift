import ZKModel

/// Conv, ConvTranspose, MaxPool and AveragePool over 2-D images, and over 1-D signals by lifting
/// to 2-D: the input `[N, C, L]` is reshaped to `[N, C, 1, L]`, a weight `[M, C/g, k]` to
/// `[M, C/g, 1, k]` (a new constant), the attributes gain a leading spatial axis of size 1
/// (kernel 1, stride 1, dilation 1, no padding), and the 2-D result `[N, M, 1, L']` is reshaped
/// back to `[N, M, L']`. (Reshape rather than Unsqueeze/Squeeze: the same data movement, and
/// the one the circuit compiler lowers.)
extension NodeTranslator {
    /// The spatial rank of input 0 (its rank minus 2), which must be 1 or 2.
    func spatialRank(_ what: String) throws -> Int {
        let shape = try context.requiredType(0, "X").shape
        guard shape.count == 3 || shape.count == 4 else {
            throw TranslationFailure("only 1-D and 2-D \(what) over [N, C, L] or [N, C, H, W] is supported; the input has shape \(shape)")
        }
        return shape.count - 2
    }

    func convolution() throws -> Translation {
        let names = try inputs(2...3)
        if try spatialRank("Conv") == 2 { return .nodes([context.node(.conv(try convolutionAttributes()), inputs: names)]) }
        let a = context.attributes
        let attributes = ConvolutionAttributes(
            kernelShape: try a.ints("kernel_shape").map { try lifted($0, "kernel_shape") }, strides: try lifted(a.ints("strides") ?? [1], "strides"),
            dilations: try lifted(a.ints("dilations") ?? [1], "dilations"), padding: try lifted(try padding(default: [0, 0])),
            group: a.int("group", default: 1))
        return try lifted1D(.conv(attributes), inputs: names, liftWeight: true)
    }

    func convTranspose() throws -> Translation {
        let names = try inputs(2...3)
        let a = context.attributes
        let rank = try spatialRank("ConvTranspose")
        let autoPad = a.string("auto_pad") ?? "NOTSET"
        if rank == 2 {
            let attributes = ConvTransposeAttributes(
                kernelShape: a.ints("kernel_shape"), strides: a.ints("strides") ?? [1, 1], dilations: a.ints("dilations") ?? [1, 1],
                pads: a.ints("pads") ?? [0, 0, 0, 0], outputPadding: a.ints("output_padding") ?? [0, 0],
                outputShape: a.ints("output_shape"), autoPad: autoPad.isEmpty ? "NOTSET" : autoPad, group: a.int("group", default: 1))
            return .nodes([context.node(.convTranspose(attributes), inputs: names)])
        }
        let pads = a.ints("pads") ?? [0, 0]
        guard pads.count == 2 else { throw TranslationFailure("pads has \(pads.count) entries for a 1-D ConvTranspose") }
        let attributes = ConvTransposeAttributes(
            kernelShape: try a.ints("kernel_shape").map { try lifted($0, "kernel_shape") }, strides: try lifted(a.ints("strides") ?? [1], "strides"),
            dilations: try lifted(a.ints("dilations") ?? [1], "dilations"), pads: [0, pads[0], 0, pads[1]],
            outputPadding: [0, try lifted(a.ints("output_padding") ?? [0], "output_padding")[1]],
            outputShape: a.ints("output_shape").map { [1, $0.last ?? 0] },
            autoPad: autoPad.isEmpty ? "NOTSET" : autoPad, group: a.int("group", default: 1))
        return try lifted1D(.convTranspose(attributes), inputs: names, liftWeight: true)
    }

    func pooling(max: Bool) throws -> Translation {
        let c = context
        let input = try inputs(1...1)
        let what = max ? "MaxPool" : "AveragePool"
        if max {
            try c.requireOnlyFirstOutputUsed("Indices")
            guard c.attributes.int("storage_order", default: 0) == 0 || c.outputs.count < 2 else {
                throw TranslationFailure("storage_order=1 is not supported")
            }
        }
        if try spatialRank(what) == 2 {
            let attributes = try poolingAttributes()
            return .nodes([c.node(max ? .maxPool(attributes) : .averagePool(attributes), inputs: input)])
        }
        let a = c.attributes
        guard let kernel = a.ints("kernel_shape") else { throw TranslationFailure("kernel_shape is required") }
        let attributes = PoolingAttributes(
            kernelShape: try lifted(kernel, "kernel_shape"), strides: try lifted(a.ints("strides") ?? [1], "strides"),
            dilations: try lifted(a.ints("dilations") ?? [1], "dilations"), padding: try lifted(try padding(default: [0, 0])),
            ceilMode: a.int("ceil_mode", default: 0) != 0, countIncludePad: a.int("count_include_pad", default: 0) != 0)
        return try lifted1D(max ? .maxPool(attributes) : .averagePool(attributes), inputs: input, liftWeight: false)
    }

    /// A 1-D per-axis attribute with a leading 1 for the added axis.
    func lifted(_ values: [Int], _ role: String) throws -> [Int] {
        guard values.count == 1 else { throw TranslationFailure("\(role) has \(values.count) entries for a 1-D operator") }
        return [1] + values
    }

    /// 1-D padding `[begin, end]` as 2-D `[0, begin, 0, end]`.
    func lifted(_ padding: Padding) throws -> Padding {
        guard case .explicit(let pads) = padding else { return padding }
        guard pads.count == 2 else { throw TranslationFailure("pads has \(pads.count) entries for a 1-D operator") }
        return .explicit([0, pads[0], 0, pads[1]])
    }

    /// Reshape input 0 (and the weight, input 1) to 2-D, run `op`, reshape the result back.
    func lifted1D(_ op: Operator, inputs names: [String], liftWeight: Bool) throws -> Translation {
        let c = context
        let x = try c.requiredType(0, "X")
        var nodes: [ModelNode] = []
        var constants: [String: TensorValue] = [:]
        var liftedNames = names
        var liftedTypes: [TensorType?] = names.indices.map { c.type($0) }
        func liftShape(_ shape: [Int]) -> [Int] { Array(shape[..<2]) + [1] + Array(shape[2...]) }
        let input = "\(c.name)/lifted_input"
        nodes.append(ModelNode(name: input, op: .reshape(shape: liftShape(x.shape), allowZero: true), inputs: [names[0]], outputs: [input]))
        liftedNames[0] = input
        liftedTypes[0] = TensorType(elementType: x.elementType, shape: liftShape(x.shape))
        if liftWeight {
            let w = try c.requiredType(1, "W")
            guard w.shape.count == 3 else { throw TranslationFailure("the weight must be 3-D for a 1-D operator, is \(w.shape)") }
            let weight = "\(c.name)/lifted_weight"
            if let value = c.constant(1) {
                constants[weight] = try ConstantOps.reshape(value, to: liftShape(w.shape))
            } else {
                nodes.append(ModelNode(
                    name: weight, op: .reshape(shape: liftShape(w.shape), allowZero: true), inputs: [names[1]], outputs: [weight]))
            }
            liftedNames[1] = weight
            liftedTypes[1] = TensorType(elementType: w.elementType, shape: liftShape(w.shape))
        }
        let output = "\(c.name)/2d"
        let node = ModelNode(name: output, op: op, inputs: liftedNames, outputs: [output])
        let type: TensorType
        do {
            type = try ShapeInference.outputTypes(of: node, inputs: liftedTypes)[0]
        } catch let error as ModelError {
            throw TranslationFailure("\(error)")
        }
        var shape = type.shape
        shape.remove(at: 2)
        nodes.append(node)
        nodes.append(c.node(.reshape(shape: shape, allowZero: true), inputs: [output]))
        return .nodes(nodes, constants: constants)
    }
}
