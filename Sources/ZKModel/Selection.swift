/// Data movement that picks input elements by index along each axis independently: padding,
/// slicing, tiling, broadcasting (`Expand`), `Gather` with constant indices, one part of a
/// `Split`, and nearest-neighbour resizing.
///
/// Each resolves, for a concrete input shape, to a ``SelectionPlan``: for every axis, the input
/// index each output position reads (or the fill value). Because the axes are independent, the
/// whole map is a Kronecker product of per-axis selection matrices — which is how the compiler
/// proves it (one linear sumcheck whose weights the verifier recomputes axis by axis), and how
/// the float executor runs it.
public enum Selection: Sendable, Hashable {
    /// ONNX `Pad`: `pads = [b_0, …, b_{r−1}, e_0, …, e_{r−1}]` elements before and after each
    /// axis (negative values crop). Positions outside the input read `value` (`constant`), the
    /// nearest edge element (`edge`), the mirror image without repeating the edge (`reflect`),
    /// or wrap around (`wrap`).
    case pad(pads: [Int], mode: PadMode, value: Float)
    /// ONNX `Slice` (opset 10+): per listed axis, `start`, `end` (exclusive) and `step`, negative
    /// values counting from the end, clamped as ONNX specifies.
    case slice(starts: [Int], ends: [Int], axes: [Int], steps: [Int])
    /// ONNX `Tile`: axis `a` repeated `repeats[a]` times.
    case tile(repeats: [Int])
    /// ONNX `Expand`: numpy broadcasting of the input to `shape`.
    case expand(shape: [Int])
    /// ONNX `Gather` with constant `indices` (row-major, of shape `indicesShape`; negative
    /// indices count from the end): the output shape is
    /// `data[..<axis] + indicesShape + data[(axis+1)...]`.
    case gather(axis: Int, indices: [Int], indicesShape: [Int])
    /// Output `index` of ONNX `Split` along `axis`: the parts have the given `sizes`, or, when
    /// `sizes` is nil, `parts` parts of `ceil(d / parts)` elements (the last one smaller).
    case splitPart(axis: Int, sizes: [Int]?, parts: Int, index: Int)
    /// ONNX `Resize`/`Upsample` in `nearest` mode, by per-axis `scales` or output `sizes`.
    case resizeNearest(scales: [Float]?, sizes: [Int]?, coordinates: ResizeCoordinates, rounding: NearestRounding)

    /// The ONNX operator name.
    public var name: String {
        switch self {
        case .pad: return "Pad"
        case .slice: return "Slice"
        case .tile: return "Tile"
        case .expand: return "Expand"
        case .gather: return "Gather"
        case .splitPart: return "Split"
        case .resizeNearest: return "Resize"
        }
    }
}

/// How `Pad` fills positions outside the input.
public enum PadMode: String, Sendable, Hashable {
    case constant, edge, reflect, wrap
}

/// `Resize`'s `coordinate_transformation_mode`: which input coordinate an output position maps to.
public enum ResizeCoordinates: String, Sendable, Hashable {
    case halfPixel = "half_pixel"
    case pytorchHalfPixel = "pytorch_half_pixel"
    case alignCorners = "align_corners"
    case asymmetric
    case tfHalfPixelForNN = "tf_half_pixel_for_nn"
}

/// `Resize`'s `nearest_mode`: how a fractional input coordinate becomes an index.
public enum NearestRounding: String, Sendable, Hashable {
    case roundPreferFloor = "round_prefer_floor"
    case roundPreferCeil = "round_prefer_ceil"
    case floor, ceil
}

/// A ``Selection`` resolved against one input shape.
public struct SelectionPlan: Sendable, Hashable {
    /// The input's shape as the per-axis sources read it (the input itself, or, for `Expand`,
    /// with leading 1s up to the output's rank).
    public var inputView: [Int]
    /// For every axis of ``inputView``, the input index that each output position reads, or −1
    /// for ``fill``.
    public var sources: [[Int]]
    /// The value of positions that read no input element.
    public var fill: Float
    /// The result's shape: the grid `sources.map(\.count)` in row-major order, reshaped.
    public var outputShape: [Int]

    /// The shape of the selected grid (before the final reshape).
    public var gridShape: [Int] { sources.map(\.count) }
    /// Whether some output position reads the fill value.
    public var readsFill: Bool { sources.contains { $0.contains(-1) } }

    /// For every output position, in row-major order over the grid, the row-major index of the
    /// input element it reads, or −1 for the fill value.
    public func sourceIndices() -> [Int] {
        let grid = gridShape
        let inStrides = TensorShape.strides(inputView)
        var indices = [Int](repeating: -1, count: grid.reduce(1, *))
        var coordinate = [Int](repeating: 0, count: grid.count)
        for o in indices.indices {
            var k = 0
            for a in 0..<grid.count {
                let i = sources[a][coordinate[a]]
                if i < 0 { k = -1; break }
                k += i * inStrides[a]
            }
            indices[o] = k
            var a = grid.count - 1
            while a >= 0 {
                coordinate[a] += 1
                if coordinate[a] < grid[a] { break }
                coordinate[a] = 0
                a -= 1
            }
        }
        return indices
    }
}

extension Selection {
    /// The plan for an input of `shape`, or a reason it does not apply.
    public func plan(inputShape shape: [Int]) -> Result<SelectionPlan, ShapeProblem> {
        let rank = shape.count
        func identity(_ a: Int) -> [Int] { Array(0..<shape[a]) }
        func axisIndex(_ axis: Int) -> Int? { TensorShape.normalizedAxis(axis, rank: rank) }
        switch self {
        case .pad(let pads, let mode, let value):
            guard pads.count == 2 * rank else { return .failure(.init("pads has \(pads.count) entries for rank \(rank)")) }
            var sources: [[Int]] = []
            for a in 0..<rank {
                let (d, before, after) = (shape[a], pads[a], pads[a + rank])
                guard Swift.abs(before) <= 1 << 24, Swift.abs(after) <= 1 << 24 else { return .failure(.init("pads too large")) }
                let extent = d + before + after
                guard extent >= 0 else { return .failure(.init("pads crop axis \(a) below zero")) }
                guard mode == .constant || d > 0 || extent == 0 else {
                    return .failure(.init("\(mode.rawValue) padding of an empty axis"))
                }
                sources.append((0..<extent).map { i in
                    let j = i - before
                    if j >= 0 && j < d { return j }
                    switch mode {
                    case .constant: return -1
                    case .edge: return Swift.min(Swift.max(j, 0), d - 1)
                    case .wrap: return ((j % d) + d) % d
                    case .reflect:
                        guard d > 1 else { return 0 }
                        let period = 2 * (d - 1)
                        let m = ((j % period) + period) % period
                        return m < d ? m : period - m
                    }
                })
            }
            return .success(SelectionPlan(inputView: shape, sources: sources, fill: value, outputShape: sources.map(\.count)))
        case .slice(let starts, let ends, let axes, let steps):
            guard starts.count == axes.count, ends.count == axes.count, steps.count == axes.count else {
                return .failure(.init("starts, ends, axes and steps differ in length"))
            }
            var sources = (0..<rank).map(identity)
            var seen = Set<Int>()
            for k in axes.indices {
                guard let a = axisIndex(axes[k]), seen.insert(a).inserted else {
                    return .failure(.init("axis \(axes[k]) is out of range or repeated"))
                }
                let (d, step) = (shape[a], steps[k])
                guard step != 0 else { return .failure(.init("a step of 0")) }
                var start = starts[k] < 0 ? starts[k] &+ d : starts[k]
                var end = ends[k] < 0 ? ends[k] &+ d : ends[k]
                var indices: [Int] = []
                if step > 0 {
                    start = Swift.min(Swift.max(start, 0), d)
                    end = Swift.min(Swift.max(end, 0), d)
                    var i = start
                    while i < end {
                        indices.append(i)
                        let (next, overflow) = i.addingReportingOverflow(step)
                        if overflow { break }
                        i = next
                    }
                } else {
                    start = Swift.min(Swift.max(start, 0), d - 1)
                    end = Swift.min(Swift.max(end, -1), d - 1)
                    var i = start
                    while i > end {
                        indices.append(i)
                        let (next, overflow) = i.addingReportingOverflow(step)
                        if overflow { break }
                        i = next
                    }
                }
                sources[a] = indices
            }
            return .success(SelectionPlan(inputView: shape, sources: sources, fill: 0, outputShape: sources.map(\.count)))
        case .tile(let repeats):
            guard repeats.count == rank, repeats.allSatisfy({ $0 >= 0 }),
                  Self.isBounded(zip(shape, repeats).map { $0.multipliedReportingOverflow(by: $1) }
                      .map { $0.overflow ? -1 : $0.partialValue }) else {
                return .failure(.init("repeats \(repeats) for \(shape)"))
            }
            let sources = (0..<rank).map { a in (0..<(shape[a] * repeats[a])).map { $0 % shape[a] } }
            return .success(SelectionPlan(inputView: shape, sources: sources, fill: 0, outputShape: sources.map(\.count)))
        case .expand(let target):
            guard target.allSatisfy({ $0 >= 0 }), let output = Broadcasting.shape([shape, target]),
                  Self.isBounded(output) else {
                return .failure(.init("\(shape) does not broadcast to \(target)"))
            }
            let view = [Int](repeating: 1, count: output.count - rank) + shape
            let sources = (0..<output.count).map { a in
                view[a] == output[a] ? Array(0..<output[a]) : [Int](repeating: 0, count: output[a])
            }
            return .success(SelectionPlan(inputView: view, sources: sources, fill: 0, outputShape: output))
        case .gather(let axis, let indices, let indicesShape):
            guard let a = axisIndex(axis) else { return .failure(.init("axis \(axis) is out of range for rank \(rank)")) }
            guard TensorShape.elementCount(indicesShape) == indices.count else {
                return .failure(.init("indices shape \(indicesShape) does not hold \(indices.count) indices"))
            }
            var picked: [Int] = []
            for index in indices {
                let i = index < 0 ? index &+ shape[a] : index
                guard i >= 0, i < shape[a] else { return .failure(.init("index \(index) is out of range for \(shape[a])")) }
                picked.append(i)
            }
            var sources = (0..<rank).map(identity)
            sources[a] = picked
            let output = Array(shape[..<a]) + indicesShape + Array(shape[(a + 1)...])
            return .success(SelectionPlan(inputView: shape, sources: sources, fill: 0, outputShape: output))
        case .splitPart(let axis, let sizes, let parts, let index):
            guard let a = axisIndex(axis) else { return .failure(.init("axis \(axis) is out of range for rank \(rank)")) }
            let d = shape[a]
            let lengths: [Int]
            if let sizes {
                guard sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, { $0 &+ $1 }) == d else {
                    return .failure(.init("split sizes \(sizes) do not add up to \(d)"))
                }
                lengths = sizes
            } else {
                guard parts >= 1, parts <= Swift.max(d, 1) else { return .failure(.init("a split into \(parts) parts")) }
                let chunk = (d + parts - 1) / parts
                lengths = (0..<parts).map { k in Swift.max(0, Swift.min(chunk, d - k * chunk)) }
            }
            guard index >= 0, index < lengths.count else { return .failure(.init("split output \(index) does not exist")) }
            let offset = lengths[..<index].reduce(0, +)
            var sources = (0..<rank).map(identity)
            sources[a] = Array(offset..<(offset + lengths[index]))
            return .success(SelectionPlan(inputView: shape, sources: sources, fill: 0, outputShape: sources.map(\.count)))
        case .resizeNearest(let scales, let sizes, let coordinates, let rounding):
            var outputSizes: [Int] = []
            var axisScales: [Double] = []
            if let sizes {
                guard sizes.count == rank, sizes.allSatisfy({ $0 >= 0 && $0 <= 1 << 24 }) else {
                    return .failure(.init("sizes \(sizes) for rank \(rank)"))
                }
                outputSizes = sizes
                axisScales = (0..<rank).map { shape[$0] == 0 ? 1 : Double(sizes[$0]) / Double(shape[$0]) }
            } else if let scales {
                guard scales.count == rank, scales.allSatisfy({ $0 > 0 && $0 <= 4096 }) else {
                    return .failure(.init("scales \(scales) for rank \(rank)"))
                }
                axisScales = scales.map(Double.init)
                outputSizes = (0..<rank).map { Int((Double(shape[$0]) * axisScales[$0]).rounded(.down)) }
                guard outputSizes.allSatisfy({ $0 <= 1 << 24 }) else { return .failure(.init("scales \(scales) too large")) }
            } else {
                return .failure(.init("neither scales nor sizes"))
            }
            guard Self.isBounded(outputSizes) else { return .failure(.init("output \(outputSizes) too large")) }
            let sources = (0..<rank).map { a in
                (0..<outputSizes[a]).map { i in
                    Self.nearestSource(i, inputSize: shape[a], outputSize: outputSizes[a], scale: axisScales[a],
                                       coordinates: coordinates, rounding: rounding)
                }
            }
            return .success(SelectionPlan(inputView: shape, sources: sources, fill: 0, outputShape: outputSizes))
        }
    }

    /// The largest selection output, in elements (checked before any index list is built).
    public static let maximumElements = 1 << 31

    static func isBounded(_ shape: [Int]) -> Bool {
        guard let count = TensorShape.elementCount(shape) else { return false }
        return count <= maximumElements
    }

    /// The input index output position `i` reads under `Resize`'s nearest mode.
    static func nearestSource(
        _ i: Int, inputSize: Int, outputSize: Int, scale: Double, coordinates: ResizeCoordinates, rounding: NearestRounding
    ) -> Int {
        let x = Double(i)
        let original: Double
        switch coordinates {
        case .halfPixel: original = (x + 0.5) / scale - 0.5
        case .pytorchHalfPixel: original = outputSize > 1 ? (x + 0.5) / scale - 0.5 : 0
        case .alignCorners: original = outputSize > 1 ? x * Double(inputSize - 1) / Double(outputSize - 1) : 0
        case .asymmetric: original = x / scale
        case .tfHalfPixelForNN: original = (x + 0.5) / scale
        }
        let index: Double
        switch rounding {
        case .roundPreferFloor: index = original == original.rounded(.down) + 0.5 ? original.rounded(.down) : original.rounded()
        case .roundPreferCeil: index = original == original.rounded(.down) + 0.5 ? original.rounded(.up) : original.rounded()
        case .floor: index = original.rounded(.down)
        case .ceil: index = original.rounded(.up)
        }
        guard index.isFinite else { return 0 }
        return Swift.min(Swift.max(Int(index), 0), Swift.max(inputSize - 1, 0))
    }
}

/// Why an operator's parameters do not apply to an input shape (a ``Selection``, a
/// transposed convolution).
public struct ShapeProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
