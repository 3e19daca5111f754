/// Static shape and element-type inference for every operator. Each rule checks what the
/// operator requires of its inputs and throws `ModelError.invalidNode` naming the node.
public enum ShapeInference {
    /// The types of `node`'s outputs given its inputs' types (`nil` for a skipped optional input).
    public static func outputTypes(of node: ModelNode, inputs: [TensorType?]) throws -> [TensorType] {
        var rule = Rule(node: node, inputs: inputs)
        return try rule.infer()
    }
}

/// The per-operator rules, with helpers that turn failures into errors naming the node.
private struct Rule {
    let node: ModelNode
    let inputs: [TensorType?]

    init(node: ModelNode, inputs: [TensorType?]) {
        self.node = node
        self.inputs = inputs
    }

    func fail(_ reason: String) -> ModelError {
        ModelError.invalidNode(node: node.name, op: node.op.name, reason: reason)
    }

    /// The input at `index`, which must be present.
    func required(_ index: Int, _ role: String) throws -> TensorType {
        guard index < inputs.count, let type = inputs[index] else { throw fail("missing input \(index) (\(role))") }
        return type
    }

    /// The input at `index` if present.
    func optional(_ index: Int) -> TensorType? {
        index < inputs.count ? inputs[index] : nil
    }

    func expectInputCount(_ range: ClosedRange<Int>) throws {
        guard range.contains(inputs.count) else {
            throw fail("takes \(range.lowerBound)...\(range.upperBound) inputs, has \(inputs.count)")
        }
    }

    func checked(_ shape: [Int]) throws -> [Int] {
        guard TensorShape.elementCount(shape) != nil else { throw fail("shape \(shape) is invalid or too large") }
        return shape
    }

    mutating func infer() throws -> [TensorType] {
        switch node.op {
        case .gemm(let attributes):
            try expectInputCount(2...3)
            return [TensorType(shape: try gemmShape(attributes))]
        case .matMul:
            try expectInputCount(2...2)
            return [TensorType(shape: try matMulShape(try required(0, "A").shape, try required(1, "B").shape))]
        case .conv(let attributes):
            try expectInputCount(2...3)
            let x = try required(0, "X")
            let w = try required(1, "W")
            return [TensorType(shape: try convolutionShape(x.shape, w.shape, bias: optional(2)?.shape, attributes))]
        case .relu, .sigmoid, .tanh, .clip, .identity:
            try expectInputCount(1...1)
            return [try required(0, "X")]
        case .cast(let target):
            try expectInputCount(1...1)
            let x = try required(0, "X")
            // To a float, or to an integer type holding every value of the source (values are held
            // as floats either way: the cast is the identity on them).
            guard target.isFloatingPoint || target.holdsEveryValue(of: x.elementType) else {
                throw fail("only casts of numbers to a floating-point type or a wider integer type are supported (\(x.elementType) to \(target))")
            }
            return [TensorType(elementType: target, shape: x.shape)]
        case .softmax(let axis):
            try expectInputCount(1...1)
            let x = try required(0, "X")
            guard TensorShape.normalizedAxis(axis, rank: x.shape.count) != nil else {
                throw fail("axis \(axis) is out of range for rank \(x.shape.count)")
            }
            return [x]
        case .maxPool(let attributes), .averagePool(let attributes):
            try expectInputCount(1...1)
            let x = try required(0, "X")
            guard x.shape.count == 4 else { throw fail("input must be 4-D [N, C, H, W], is \(x.shape)") }
            let geometry = try window(
                Array(x.shape[2...]), kernel: attributes.kernelShape, strides: attributes.strides,
                dilations: attributes.dilations, padding: attributes.padding, ceilMode: attributes.ceilMode)
            return [TensorType(elementType: x.elementType, shape: Array(x.shape[..<2]) + geometry.outputSize)]
        case .globalAveragePool:
            try expectInputCount(1...1)
            let x = try required(0, "X")
            guard x.shape.count >= 3 else { throw fail("input must be at least 3-D [N, C, ...], is \(x.shape)") }
            return [TensorType(shape: Array(x.shape[..<2]) + [Int](repeating: 1, count: x.shape.count - 2))]
        case .batchNormalization:
            try expectInputCount(5...5)
            let x = try required(0, "X")
            guard x.shape.count >= 2 else { throw fail("input must be at least 2-D [N, C, ...], is \(x.shape)") }
            for (index, role) in [(1, "scale"), (2, "B"), (3, "mean"), (4, "var")] {
                let parameter = try required(index, role)
                guard parameter.shape == [x.shape[1]] else {
                    throw fail("\(role) must have shape [\(x.shape[1])], has \(parameter.shape)")
                }
            }
            return [TensorType(shape: x.shape)]
        case .add, .sub, .mul, .div, .maximum, .minimum:
            try expectInputCount(2...2)
            let a = try required(0, "A")
            let b = try required(1, "B")
            guard let shape = Broadcasting.shape([a.shape, b.shape]) else {
                throw fail("shapes \(a.shape) and \(b.shape) do not broadcast")
            }
            return [TensorType(elementType: a.elementType, shape: try checked(shape))]
        case .reshape(let target, let allowZero):
            try expectInputCount(1...1)
            let x = try required(0, "data")
            return [TensorType(elementType: x.elementType, shape: try reshapeTarget(x.shape, target, allowZero: allowZero))]
        case .flatten(let axis):
            try expectInputCount(1...1)
            let x = try required(0, "X")
            let rank = x.shape.count
            guard (-rank...rank).contains(axis) else { throw fail("axis \(axis) is out of range for rank \(rank)") }
            let split = axis < 0 ? axis + rank : axis
            let outer = TensorShape.product(x.shape, 0..<split) ?? 0
            let inner = TensorShape.product(x.shape, split..<rank) ?? 0
            return [TensorType(elementType: x.elementType, shape: [outer, inner])]
        case .transpose(let permutation):
            try expectInputCount(1...1)
            let x = try required(0, "data")
            let perm = permutation ?? Array((0..<x.shape.count).reversed())
            guard perm.sorted() == Array(0..<x.shape.count) else {
                throw fail("\(perm) is not a permutation of the \(x.shape.count) axes")
            }
            return [TensorType(elementType: x.elementType, shape: perm.map { x.shape[$0] })]
        case .concat(let axis):
            guard !inputs.isEmpty else { throw fail("needs at least one input") }
            let parts = try inputs.indices.map { try required($0, "input") }
            let rank = parts[0].shape.count
            guard let normalized = TensorShape.normalizedAxis(axis, rank: rank) else {
                throw fail("axis \(axis) is out of range for rank \(rank)")
            }
            var shape = parts[0].shape
            shape[normalized] = 0
            for part in parts {
                guard part.shape.count == rank else { throw fail("inputs have different ranks") }
                for d in 0..<rank where d != normalized && part.shape[d] != shape[d] {
                    throw fail("inputs differ outside the concatenation axis: \(parts.map(\.shape))")
                }
                shape[normalized] += part.shape[normalized]
            }
            return [TensorType(elementType: parts[0].elementType, shape: try checked(shape))]
        case .constant(let value):
            try expectInputCount(0...0)
            return [TensorType(elementType: value.elementType, shape: value.shape)]
        case .quantizeLinear(let axis):
            try expectInputCount(2...3)
            let x = try required(0, "x")
            try checkQuantizationParameters(of: x.shape, scale: try required(1, "y_scale"), zeroPoint: optional(2), axis: axis)
            let type = optional(2)?.elementType ?? .uint8
            guard type.isInteger else { throw fail("the zero point must be an integer type, is \(type)") }
            return [TensorType(elementType: type, shape: x.shape)]
        case .dequantizeLinear(let axis):
            try expectInputCount(2...3)
            let x = try required(0, "x")
            try checkQuantizationParameters(of: x.shape, scale: try required(1, "x_scale"), zeroPoint: optional(2), axis: axis)
            return [TensorType(shape: x.shape)]
        case .qLinearMatMul:
            try expectInputCount(8...8)
            let a = try required(0, "a").shape
            let b = try required(3, "b").shape
            try checkScalar(1, "a_scale", orLength: a.count > 1 ? a[a.count - 2] : 1)
            try checkScalar(2, "a_zero_point", orLength: a.count > 1 ? a[a.count - 2] : 1)
            try checkScalar(4, "b_scale", orLength: b.count > 1 ? b[b.count - 1] : 1)
            try checkScalar(5, "b_zero_point", orLength: b.count > 1 ? b[b.count - 1] : 1)
            try checkScalar(6, "y_scale")
            try checkScalar(7, "y_zero_point")
            let shape = try matMulShape(a, b)
            return [TensorType(elementType: try required(7, "y_zero_point").elementType, shape: shape)]
        case .qLinearConv(let attributes):
            try expectInputCount(8...9)
            let channels = try required(3, "w").shape.first ?? 1
            try checkScalar(1, "x_scale")
            try checkScalar(2, "x_zero_point")
            try checkScalar(4, "w_scale", orLength: channels)
            try checkScalar(5, "w_zero_point", orLength: channels)
            try checkScalar(6, "y_scale")
            try checkScalar(7, "y_zero_point")
            let shape = try convolutionShape(
                try required(0, "x").shape, try required(3, "w").shape, bias: optional(8)?.shape, attributes)
            return [TensorType(elementType: try required(7, "y_zero_point").elementType, shape: shape)]
        case .matMulInteger:
            try expectInputCount(2...4)
            let (a, b) = (try required(0, "A").shape, try required(1, "B").shape)
            if optional(2) != nil { try checkScalar(2, "a_zero_point", orLength: a.count > 1 ? a[a.count - 2] : 1) }
            if optional(3) != nil { try checkScalar(3, "b_zero_point", orLength: b.last ?? 1) }
            return [TensorType(elementType: .int32, shape: try matMulShape(try required(0, "A").shape, try required(1, "B").shape))]
        case .convInteger(let attributes):
            try expectInputCount(2...4)
            if optional(2) != nil { try checkScalar(2, "x_zero_point") }
            if optional(3) != nil { try checkScalar(3, "w_zero_point", orLength: try required(1, "w").shape.first ?? 1) }
            let shape = try convolutionShape(try required(0, "x").shape, try required(1, "w").shape, bias: nil, attributes)
            return [TensorType(elementType: .int32, shape: shape)]
        case .qGemm(let attributes):
            try expectInputCount(6...9)
            let shape = try gemmShape(attributes, a: 0, b: 3, c: 6)
            try checkScalar(1, "a_scale")
            try checkScalar(2, "a_zero_point")
            try checkScalar(4, "b_scale", orLength: shape[1])
            try checkScalar(5, "b_zero_point", orLength: shape[1])
            let (bScale, bZero) = (try required(4, "b_scale").shape, try required(5, "b_zero_point").shape)
            guard TensorShape.elementCount(bScale) == TensorShape.elementCount(bZero) else {
                throw fail("b_scale \(bScale) and b_zero_point \(bZero) hold different numbers of values")
            }
            guard optional(7) != nil else {
                guard optional(8) == nil else { throw fail("y_zero_point is given without y_scale") }
                return [TensorType(shape: shape)]
            }
            try checkScalar(7, "y_scale")
            // (onnxruntime returns floats divided by y_scale when y_zero_point is missing.)
            let yZero = try required(8, "y_zero_point, required with y_scale")
            try checkScalar(8, "y_zero_point")
            return [TensorType(elementType: try eightBit(yZero.elementType, "y_zero_point"), shape: shape)]
        case .qLinearAdd, .qLinearMul:
            try expectInputCount(7...8)
            let a = try required(0, "A")
            let b = try required(3, "B")
            for (index, role) in [(1, "A_scale"), (4, "B_scale"), (6, "C_scale")] { try checkScalar(index, role) }
            for (index, role) in [(2, "A_zero_point"), (5, "B_zero_point"), (7, "C_zero_point")] where optional(index) != nil {
                try checkScalar(index, role)
            }
            guard let shape = Broadcasting.shape([a.shape, b.shape]) else {
                throw fail("shapes \(a.shape) and \(b.shape) do not broadcast")
            }
            let type = try eightBit(optional(7)?.elementType ?? a.elementType, "C")
            return [TensorType(elementType: type, shape: try checked(shape))]
        case .qLinearSigmoid, .qLinearLeakyRelu:
            try expectInputCount(4...5)
            let x = try required(0, "X")
            try checkScalar(1, "X_scale")
            try checkScalar(3, "Y_scale")
            for (index, role) in [(2, "X_zero_point"), (4, "Y_zero_point")] where optional(index) != nil {
                try checkScalar(index, role)
            }
            let type = try eightBit(optional(4)?.elementType ?? x.elementType, "Y")
            return [TensorType(elementType: type, shape: x.shape)]
        case .qLinearGlobalAveragePool(let channelsLast):
            try expectInputCount(4...5)
            let x = try required(0, "X")
            guard x.shape.count >= 3 else {
                throw fail("input must be at least 3-D (\(channelsLast ? "[N, ..., C]" : "[N, C, ...]")), is \(x.shape)")
            }
            try checkScalar(1, "x_scale")
            try checkScalar(3, "y_scale")
            for (index, role) in [(2, "x_zero_point"), (4, "y_zero_point")] where optional(index) != nil {
                try checkScalar(index, role)
            }
            var shape = x.shape
            for axis in (channelsLast ? 1..<(shape.count - 1) : 2..<shape.count) { shape[axis] = 1 }
            let type = try eightBit(optional(4)?.elementType ?? x.elementType, "Y")
            return [TensorType(elementType: type, shape: shape)]
        case .unary:
            try expectInputCount(1...1)
            return [try required(0, "X")]
        case .pRelu:
            try expectInputCount(2...2)
            let x = try required(0, "X")
            let slope = try required(1, "slope")
            guard Broadcasting.isUnidirectional(slope.shape, to: x.shape) else {
                throw fail("slope \(slope.shape) does not broadcast to \(x.shape)")
            }
            return [x]
        case .select(let selection):
            try expectInputCount(1...1)
            let x = try required(0, "data")
            switch selection.plan(inputShape: x.shape) {
            case .success(let plan): return [TensorType(elementType: x.elementType, shape: try checked(plan.outputShape))]
            case .failure(let problem): throw fail(problem.description)
            }
        case .gather(let axis):
            try expectInputCount(2...2)
            let data = try required(0, "data")
            let indices = try required(1, "indices")
            guard indices.elementType.isInteger else { throw fail("indices must be integers, not \(indices.elementType)") }
            guard let a = TensorShape.normalizedAxis(axis, rank: data.shape.count) else {
                throw fail("axis \(axis) is out of range for rank \(data.shape.count)")
            }
            let shape = Array(data.shape[..<a]) + indices.shape + Array(data.shape[(a + 1)...])
            return [TensorType(elementType: data.elementType, shape: try checked(shape))]
        case .reduce(let reduction):
            try expectInputCount(1...1)
            let x = try required(0, "data")
            guard let shape = reduction.outputShape(x.shape) else {
                throw fail("axes \(reduction.axes ?? []) do not apply to rank \(x.shape.count)")
            }
            return [TensorType(elementType: x.elementType, shape: shape)]
        case .squeeze(let axes):
            try expectInputCount(1...1)
            let x = try required(0, "data")
            return [TensorType(elementType: x.elementType, shape: try squeezed(x.shape, axes: axes))]
        case .unsqueeze(let axes):
            try expectInputCount(1...1)
            let x = try required(0, "data")
            return [TensorType(elementType: x.elementType, shape: try unsqueezed(x.shape, axes: axes))]
        case .argMax(let axis, let keepDims, _):
            try expectInputCount(1...1)
            let x = try required(0, "data")
            guard let a = TensorShape.normalizedAxis(axis, rank: x.shape.count), x.shape[a] > 0 else {
                throw fail("axis \(axis) is out of range for \(x.shape)")
            }
            var shape = x.shape
            if keepDims { shape[a] = 1 } else { shape.remove(at: a) }
            return [TensorType(elementType: .int64, shape: shape)]
        case .layerNormalization(let axis, _):
            try expectInputCount(2...3)
            let x = try required(0, "X")
            guard let a = TensorShape.normalizedAxis(axis, rank: x.shape.count) else {
                throw fail("axis \(axis) is out of range for rank \(x.shape.count)")
            }
            let normalized = Array(x.shape[a...])
            for (index, role) in [(1, "scale"), (2, "B")] where optional(index) != nil {
                guard Broadcasting.isUnidirectional(try required(index, role).shape, to: normalized) else {
                    throw fail("\(role) does not broadcast to the normalized shape \(normalized)")
                }
            }
            return [x]
        case .instanceNormalization:
            try expectInputCount(3...3)
            let x = try required(0, "input")
            guard x.shape.count >= 3 else { throw fail("input must be at least 3-D [N, C, ...], is \(x.shape)") }
            for (index, role) in [(1, "scale"), (2, "B")] {
                guard try required(index, role).shape == [x.shape[1]] else { throw fail("\(role) must have shape [\(x.shape[1])]") }
            }
            return [x]
        case .logSoftmax(let axis):
            try expectInputCount(1...1)
            let x = try required(0, "X")
            guard TensorShape.normalizedAxis(axis, rank: x.shape.count) != nil else {
                throw fail("axis \(axis) is out of range for rank \(x.shape.count)")
            }
            return [x]
        case .convTranspose(let attributes):
            try expectInputCount(2...3)
            let x = try required(0, "X").shape
            let w = try required(1, "W").shape
            let geometry = try convTransposeGeometry(x, w, attributes)
            if let bias = optional(2)?.shape, bias != [geometry.outputChannels] {
                throw fail("bias must have shape [\(geometry.outputChannels)], has \(bias)")
            }
            return [TensorType(shape: try checked([x[0], geometry.outputChannels] + geometry.outputSize))]
        }
    }

    /// Squeeze's output shape.
    func squeezed(_ shape: [Int], axes: [Int]?) throws -> [Int] {
        guard let axes else { return shape.filter { $0 != 1 } }
        var drop = Set<Int>()
        for axis in axes {
            guard let a = TensorShape.normalizedAxis(axis, rank: shape.count), shape[a] == 1 else {
                throw fail("axis \(axis) of \(shape) is not a dimension of size 1")
            }
            drop.insert(a)
        }
        return shape.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
    }

    /// Unsqueeze's output shape.
    func unsqueezed(_ shape: [Int], axes: [Int]) throws -> [Int] {
        let rank = shape.count + axes.count
        var inserted = Set<Int>()
        for axis in axes {
            guard let a = TensorShape.normalizedAxis(axis, rank: rank), inserted.insert(a).inserted else {
                throw fail("axis \(axis) is out of range or repeated for output rank \(rank)")
            }
        }
        var source = shape.makeIterator()
        return (0..<rank).map { inserted.contains($0) ? 1 : source.next()! }
    }

    /// ConvTranspose's output channels, sizes and resolved pads.
    func convTransposeGeometry(_ x: [Int], _ w: [Int], _ a: ConvTransposeAttributes) throws -> ConvTransposeGeometry {
        switch ConvTransposeGeometry.resolve(input: x, weight: w, a) {
        case .success(let geometry): return geometry
        case .failure(let problem): throw fail(problem.description)
        }
    }

    /// `type`, which must be int8 or uint8 (the output of onnxruntime's 8-bit quantized operators).
    func eightBit(_ type: ElementType, _ role: String) throws -> ElementType {
        guard type == .uint8 || type == .int8 else { throw fail("\(role) must be uint8 or int8, is \(type)") }
        return type
    }

    /// The input at `index` must hold one value, or `length` values in one dimension.
    func checkScalar(_ index: Int, _ role: String, orLength length: Int = 1) throws {
        let shape = try required(index, role).shape
        let count = TensorShape.elementCount(shape) ?? 0
        guard count == 1 || (shape.count == 1 && count == length && length > 0) else {
            throw fail("\(role) must hold one value\(length > 1 ? " or \(length)" : ""), has shape \(shape)")
        }
    }

    /// Gemm's `[M, N]` from A, B and the optional C at the given input positions.
    func gemmShape(_ attributes: GemmAttributes, a aIndex: Int = 0, b bIndex: Int = 1, c cIndex: Int = 2) throws -> [Int] {
        let a = try required(aIndex, "A").shape
        let b = try required(bIndex, "B").shape
        guard a.count == 2, b.count == 2 else { throw fail("A and B must be 2-D, are \(a) and \(b)") }
        let (m, k) = attributes.transposeA ? (a[1], a[0]) : (a[0], a[1])
        let (k2, n) = attributes.transposeB ? (b[1], b[0]) : (b[0], b[1])
        guard k == k2 else { throw fail("inner dimensions differ: A' is [\(m), \(k)], B' is [\(k2), \(n)]") }
        if let c = optional(cIndex) {
            guard Broadcasting.isUnidirectional(c.shape, to: [m, n]) else {
                throw fail("C of shape \(c.shape) does not broadcast to [\(m), \(n)]")
            }
        }
        return [m, n]
    }

    func matMulShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
        guard !a.isEmpty, !b.isEmpty else { throw fail("operands must be at least 1-D") }
        let a2 = a.count == 1 ? [1] + a : a
        let b2 = b.count == 1 ? b + [1] : b
        guard a2[a2.count - 1] == b2[b2.count - 2] else { throw fail("inner dimensions differ: \(a) × \(b)") }
        guard let batch = Broadcasting.shape([Array(a2.dropLast(2)), Array(b2.dropLast(2))]) else {
            throw fail("batch dimensions of \(a) and \(b) do not broadcast")
        }
        var shape = batch
        if a.count > 1 { shape.append(a2[a2.count - 2]) }
        if b.count > 1 { shape.append(b2[b2.count - 1]) }
        return try checked(shape)
    }

    func window(
        _ spatial: [Int], kernel: [Int], strides: [Int], dilations: [Int], padding: Padding, ceilMode: Bool
    ) throws -> WindowGeometry {
        switch WindowGeometry.resolve(
            inputSize: spatial, kernel: kernel, strides: strides, dilations: dilations, padding: padding,
            ceilMode: ceilMode)
        {
        case .success(let geometry): return geometry
        case .failure(let error): throw fail(error.reason)
        }
    }

    func convolutionShape(_ x: [Int], _ w: [Int], bias: [Int]?, _ attributes: ConvolutionAttributes) throws -> [Int] {
        guard x.count == 4, w.count == 4 else { throw fail("input and weight must be 4-D (2-D convolution), are \(x) and \(w)") }
        let group = attributes.group
        guard group >= 1, x[1] % group == 0, w[0] % group == 0 else {
            throw fail("group \(group) must divide the input channels \(x[1]) and output channels \(w[0])")
        }
        guard w[1] == x[1] / group else {
            throw fail("weight has \(w[1]) input channels per group, the input has \(x[1] / group)")
        }
        let kernel = Array(w[2...])
        if let declared = attributes.kernelShape, declared != kernel {
            throw fail("kernel_shape \(declared) differs from the weight's \(kernel)")
        }
        if let bias, bias != [w[0]] { throw fail("bias must have shape [\(w[0])], has \(bias)") }
        let geometry = try window(
            Array(x[2...]), kernel: kernel, strides: attributes.strides, dilations: attributes.dilations,
            padding: attributes.padding, ceilMode: false)
        return try checked([x[0], w[0]] + geometry.outputSize)
    }

    func reshapeTarget(_ input: [Int], _ target: [Int], allowZero: Bool) throws -> [Int] {
        guard let count = TensorShape.elementCount(input) else { throw fail("invalid input shape") }
        var shape: [Int] = []
        var inferred: Int?
        for (index, dimension) in target.enumerated() {
            switch dimension {
            case 0 where !allowZero:
                guard index < input.count else { throw fail("0 at position \(index) has no input dimension to copy") }
                shape.append(input[index])
            case -1:
                guard inferred == nil else { throw fail("more than one -1 in \(target)") }
                inferred = index
                shape.append(1)
            case let d where d >= 0:
                shape.append(d)
            default:
                throw fail("invalid dimension \(dimension) in \(target)")
            }
        }
        guard let known = TensorShape.elementCount(shape) else { throw fail("target \(target) is too large") }
        if let inferred {
            guard known > 0, count % known == 0 else { throw fail("cannot reshape \(input) to \(target)") }
            shape[inferred] = count / known
        } else {
            guard known == count else { throw fail("cannot reshape \(input) (\(count) elements) to \(target)") }
        }
        return shape
    }

    func checkQuantizationParameters(of shape: [Int], scale: TensorType, zeroPoint: TensorType?, axis: Int) throws {
        // One value in `[]` beside one in `[1]` is per-tensor in both (onnxruntime's quantize_static
        // writes a bias's scale as `[1]` and its zero point as a scalar, and onnxruntime accepts it).
        let isOneValue = { (t: TensorType) in t.shape.count <= 1 && TensorShape.elementCount(t.shape) == 1 }
        if let zeroPoint, zeroPoint.shape != scale.shape, !(isOneValue(zeroPoint) && isOneValue(scale)) {
            throw fail("scale \(scale.shape) and zero point \(zeroPoint.shape) differ in shape")
        }
        let count = TensorShape.elementCount(scale.shape) ?? 0
        if scale.shape.count == 0 || (scale.shape.count == 1 && count == 1) { return }
        guard scale.shape.count == 1, let normalized = TensorShape.normalizedAxis(axis, rank: shape.count),
            shape[normalized] == count
        else {
            throw fail("per-axis scale \(scale.shape) does not match axis \(axis) of \(shape)")
        }
    }
}
