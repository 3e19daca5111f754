import ZKModel

/// Data movement on activations, each one ``Selection``: Pad, Slice, Split, Gather with
/// constant indices, Tile, Expand, and Resize/Upsample in `nearest` mode. Every index parameter
/// (pads, starts, repeats, scales, …) must be a constant. On constant data, Slice, Gather and
/// Expand keep their exact folding (`NodeTranslator+ShapeSubgraphs.swift`); the others fold
/// through the float executor.
extension NodeTranslator {
    static let selectionOperators: Set<String> = ["Pad", "Split", "Tile", "Resize", "Upsample"]

    func translateSelectionOperator() throws -> Translation {
        let c = context
        switch c.opType {
        case "Pad": return try select(try pad())
        case "Slice": return try select(try slice())
        case "Split": return try split()
        case "Gather":
            let indices = try c.requiredConstant(1, "indices")
            let picks = try ConstantOps.integers(indices, "indices")
            return try select(.gather(axis: c.attributes.int("axis", default: 0), indices: picks, indicesShape: indices.shape))
        case "Tile":
            guard c.opset >= 6 else { throw TranslationFailure("Tile before opset 6 (tiles and axis inputs) is not supported") }
            return try select(.tile(repeats: try ConstantOps.integers(try c.requiredConstant(1, "repeats"), "repeats")))
        case "Expand":
            return try select(.expand(shape: try ConstantOps.integers(try c.requiredConstant(1, "shape"), "shape")))
        default:  // Resize, Upsample
            return try select(try resize())
        }
    }

    /// One Selection node reading input 0.
    func select(_ selection: Selection) throws -> Translation {
        let c = context
        guard c.hasInput(0) else { throw TranslationFailure("missing input") }
        return .nodes([c.node(.select(selection), inputs: [c.inputs[0]])])
    }

    /// Pad: `pads`/`mode`/`value` attributes before opset 11 (`paddings` in opset 1); from 11 the
    /// pads and the optional `constant_value` are inputs, and from 18 an optional `axes` input
    /// says which axes the pads apply to.
    func pad() throws -> Selection {
        let c = context
        let rank = try c.requiredType(0, "data").shape.count
        let modeName = c.attributes.string("mode") ?? "constant"
        guard let mode = PadMode(rawValue: modeName) else { throw TranslationFailure("unknown mode '\(modeName)'") }
        var pads: [Int]
        var value: Float = 0
        if c.opset < 11 {
            guard let given = c.attributes.ints("pads") ?? c.attributes.ints("paddings") else {
                throw TranslationFailure("the pads attribute is missing")
            }
            pads = given
            value = c.attributes.float("value", default: 0)
        } else {
            pads = try ConstantOps.integers(try c.requiredConstant(1, "pads"), "pads")
            if c.hasInput(2) {
                let constant = try c.requiredConstant(2, "constant_value")
                guard constant.count == 1 else { throw TranslationFailure("constant_value must be a scalar") }
                value = constant.floatTensor.values[0]
            }
            if c.hasInput(3) {
                let axes = try ConstantOps.integers(try c.requiredConstant(3, "axes"), "axes")
                guard pads.count == 2 * axes.count else {
                    throw TranslationFailure("pads has \(pads.count) entries for \(axes.count) axes")
                }
                var full = [Int](repeating: 0, count: 2 * rank)
                for (k, axis) in axes.enumerated() {
                    guard let a = TensorShape.normalizedAxis(axis, rank: rank) else {
                        throw TranslationFailure("axis \(axis) is out of range for rank \(rank)")
                    }
                    full[a] = pads[k]
                    full[a + rank] = pads[k + axes.count]
                }
                pads = full
            }
        }
        return .pad(pads: pads, mode: mode, value: value)
    }

    /// Slice: `starts`/`ends`/`axes` attributes before opset 10, inputs (with `steps`) from 10.
    func slice() throws -> Selection {
        let c = context
        let starts: [Int]
        let ends: [Int]
        var axes: [Int]?
        var steps: [Int]?
        if c.opset < 10 {
            guard let s = c.attributes.ints("starts"), let e = c.attributes.ints("ends") else {
                throw TranslationFailure("starts and ends are required")
            }
            (starts, ends, axes) = (s, e, c.attributes.ints("axes"))
        } else {
            starts = try ConstantOps.integers(try c.requiredConstant(1, "starts"), "starts")
            ends = try ConstantOps.integers(try c.requiredConstant(2, "ends"), "ends")
            if c.hasInput(3) { axes = try ConstantOps.integers(try c.requiredConstant(3, "axes"), "axes") }
            if c.hasInput(4) { steps = try ConstantOps.integers(try c.requiredConstant(4, "steps"), "steps") }
        }
        return .slice(
            starts: starts, ends: ends, axes: axes ?? Array(0..<starts.count),
            steps: steps ?? [Int](repeating: 1, count: starts.count))
    }

    /// Split into one Selection per output: sizes from the `split` attribute (opsets 2–12) or
    /// input (13+), else equal parts, as many as `num_outputs` (18+) or the outputs.
    func split() throws -> Translation {
        let c = context
        guard c.hasInput(0) else { throw TranslationFailure("missing input") }
        let axis = c.attributes.int("axis", default: 0)
        var sizes: [Int]?
        if c.opset < 13 {
            sizes = c.attributes.ints("split")
            if sizes == nil, c.hasInput(1) { sizes = try ConstantOps.integers(try c.requiredConstant(1, "split"), "split") }
        } else if c.hasInput(1) {
            sizes = try ConstantOps.integers(try c.requiredConstant(1, "split"), "split")
        }
        let parts = c.attributes.int("num_outputs") ?? c.outputs.count
        if let sizes, sizes.count != c.outputs.count {
            throw TranslationFailure("split has \(sizes.count) sizes for \(c.outputs.count) outputs")
        }
        let nodes = c.outputs.enumerated().filter { !$0.element.isEmpty }.map { index, output in
            ModelNode(
                name: index == 0 ? c.name : "\(c.name)/part_\(index)",
                op: .select(.splitPart(axis: axis, sizes: sizes, parts: parts, index: index)), inputs: [c.inputs[0]],
                outputs: [output])
        }
        return .nodes(nodes)
    }

    /// Resize (opsets 10, 11, 13, 18, 19) and Upsample (7, 9) in `nearest` mode with constant
    /// scales or sizes. Upsample and Resize-10 pick `floor(i / scale)` (asymmetric, floor).
    func resize() throws -> Selection {
        let c = context
        let shape = try c.requiredType(0, "X").shape
        let rank = shape.count
        let mode = c.attributes.string("mode") ?? "nearest"
        guard mode == "nearest" else {
            throw TranslationFailure("only mode 'nearest' is supported (\(mode) interpolation is not)")
        }
        func floats(_ value: TensorValue) -> [Float] { value.floatTensor.values }
        if c.opType == "Upsample" || c.opset < 11 {
            let scales: [Float]
            if c.opType == "Upsample", c.opset < 9 {
                guard let given = c.attributes.floats("scales") else { throw TranslationFailure("the scales attribute is missing") }
                scales = given
            } else {
                scales = floats(try c.requiredConstant(1, "scales"))
            }
            return .resizeNearest(scales: scales, sizes: nil, coordinates: .asymmetric, rounding: .floor)
        }
        let coordinatesName = c.attributes.string("coordinate_transformation_mode") ?? "half_pixel"
        guard let coordinates = ResizeCoordinates(rawValue: coordinatesName) else {
            throw TranslationFailure("coordinate_transformation_mode '\(coordinatesName)' is not supported in nearest mode")
        }
        let roundingName = c.attributes.string("nearest_mode") ?? "round_prefer_floor"
        guard let rounding = NearestRounding(rawValue: roundingName) else {
            throw TranslationFailure("unknown nearest_mode '\(roundingName)'")
        }
        if c.attributes.int("antialias", default: 0) != 0 {
            throw TranslationFailure("antialias has no effect in nearest mode but is only supported when 0")
        }
        // Scales (input 2) or sizes (input 3); an empty tensor counts as absent.
        var scales = c.hasInput(2) ? floats(try c.requiredConstant(2, "scales")) : []
        var sizes = c.hasInput(3) ? try ConstantOps.integers(try c.requiredConstant(3, "sizes"), "sizes") : []
        guard scales.isEmpty != sizes.isEmpty else { throw TranslationFailure("exactly one of scales and sizes must be given") }
        let axes = try (c.attributes.ints("axes") ?? Array(0..<rank)).map { axis -> Int in
            guard let a = TensorShape.normalizedAxis(axis, rank: rank) else {
                throw TranslationFailure("axis \(axis) is out of range for rank \(rank)")
            }
            return a
        }
        let count = scales.isEmpty ? sizes.count : scales.count
        guard count == axes.count else { throw TranslationFailure("\(count) scales or sizes for \(axes.count) axes") }
        if !scales.isEmpty {
            var full = [Float](repeating: 1, count: rank)
            for (k, a) in axes.enumerated() { full[a] = scales[k] }
            scales = full
            return .resizeNearest(scales: scales, sizes: nil, coordinates: coordinates, rounding: rounding)
        }
        var full = shape
        for (k, a) in axes.enumerated() { full[a] = sizes[k] }
        sizes = full
        let policy = c.attributes.string("keep_aspect_ratio_policy") ?? "stretch"
        guard policy != "stretch" else {
            return .resizeNearest(scales: nil, sizes: sizes, coordinates: coordinates, rounding: rounding)
        }
        // not_larger / not_smaller: one scale for the listed axes (the smallest or largest
        // ratio), sizes round(scale · d). Expressed as that scale when floor and round agree.
        let ratios = axes.map { Double(sizes[$0]) / Double(max(shape[$0], 1)) }
        guard policy == "not_larger" || policy == "not_smaller", let scale = policy == "not_larger" ? ratios.min() : ratios.max()
        else { throw TranslationFailure("unknown keep_aspect_ratio_policy '\(policy)'") }
        var uniform = [Float](repeating: 1, count: rank)
        for a in axes {
            let exact = scale * Double(shape[a])
            guard Int(exact + 0.5) == Int(Double(Float(scale)) * Double(shape[a])) else {
                throw TranslationFailure("keep_aspect_ratio_policy \(policy) with a size that rounds up is not supported")
            }
            uniform[a] = Float(scale)
        }
        return .resizeNearest(scales: uniform, sizes: nil, coordinates: coordinates, rounding: rounding)
    }
}
