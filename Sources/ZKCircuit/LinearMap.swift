/// A fixed sparse linear map between two tensors' logical entries: `out[o] = Σ c · in[k]` over a
/// list of terms `(o, k, c)` that depends only on the shapes and the map's parameters.
///
/// Data movement (reshape, transpose, slice, pad), sum pooling and the window gathers of a max
/// pool are all such maps. The proof system proves `out = L · in` by one sumcheck over the
/// input, with weights the verifier recomputes from the terms (linear in their number).
public enum LinearMap: Sendable, Hashable, Codable {
    /// Same entries in the same row-major order, new shape.
    case reshape
    /// `out[i_0, …] = in[i_{perm⁻¹}…]`: output axis `a` is input axis `permutation[a]`.
    case transpose(permutation: [Int])
    /// `out[i] = in[starts + i · steps]` per axis (the output shape gives the extent).
    case slice(starts: [Int], steps: [Int])
    /// `out[i] = in[i − before]` where in range, else 0 (constant zero padding).
    case pad(before: [Int])
    /// Sum over windows of `[C, H, W]`: `out[c, i, j] = Σ_{u<kh, v<kw} in[c, i·sh + u − pt, j·sw + v − pl]`,
    /// positions outside the input contributing 0. `pads` = [top, left, bottom, right].
    case sumPool(kernel: [Int], stride: [Int], pads: [Int])
    /// Element `(u, v)` of every pooling window, its position clamped into the input (so a
    /// window partly in the padding repeats one of its real elements — harmless for a maximum).
    case window(kernel: [Int], stride: [Int], pads: [Int], offset: [Int])
    /// A Kronecker product of per-axis 0/1 maps between tensors of one rank:
    /// `out[o_0, …, o_{r−1}] = Σ in[k_0, …, k_{r−1}]` over every choice of one pair `(o_a, k_a)`
    /// from each axis map `a`. Padding (any mode), slicing, tiling, broadcasting, a gather along
    /// an axis, nearest upsampling, summation over axes and the zero insertion of a transposed
    /// convolution are all such maps. Its weight function factorises over the axes,
    /// `W(o, k) = Π_a [(o_a, k_a) ∈ A_a]`.
    case axes([AxisMap])

    /// Calls `body(o, k, c)` for every term, with row-major logical indices.
    public func forEachTerm(inputShape: [Int], outputShape: [Int], _ body: (Int, Int, Int64) -> Void) {
        let outCount = outputShape.reduce(1, *)
        func strides(_ shape: [Int]) -> [Int] {
            var s = [Int](repeating: 1, count: shape.count)
            for a in stride(from: shape.count - 2, through: 0, by: -1) { s[a] = s[a + 1] * shape[a + 1] }
            return s
        }
        let inStrides = strides(inputShape)
        switch self {
        case .reshape:
            for o in 0..<outCount { body(o, o, 1) }
        case .transpose(let permutation):
            var coordinate = [Int](repeating: 0, count: outputShape.count)
            for o in 0..<outCount {
                var k = 0
                for a in 0..<outputShape.count { k += coordinate[a] * inStrides[permutation[a]] }
                body(o, k, 1)
                Self.increment(&coordinate, shape: outputShape)
            }
        case .slice(let starts, let steps):
            var coordinate = [Int](repeating: 0, count: outputShape.count)
            for o in 0..<outCount {
                var k = 0
                for a in 0..<outputShape.count { k += (starts[a] + coordinate[a] * steps[a]) * inStrides[a] }
                body(o, k, 1)
                Self.increment(&coordinate, shape: outputShape)
            }
        case .pad(let before):
            var coordinate = [Int](repeating: 0, count: outputShape.count)
            for o in 0..<outCount {
                var k = 0, inside = true
                for a in 0..<outputShape.count {
                    let i = coordinate[a] - before[a]
                    if i < 0 || i >= inputShape[a] { inside = false; break }
                    k += i * inStrides[a]
                }
                if inside { body(o, k, 1) }
                Self.increment(&coordinate, shape: outputShape)
            }
        case .sumPool(let kernel, let stride, let pads):
            let (channels, h, w) = (inputShape[0], inputShape[1], inputShape[2])
            let (ho, wo) = (outputShape[1], outputShape[2])
            for c in 0..<channels { for i in 0..<ho { for j in 0..<wo {
                let o = (c * ho + i) * wo + j
                for u in 0..<kernel[0] { for v in 0..<kernel[1] {
                    let y = i * stride[0] + u - pads[0], x = j * stride[1] + v - pads[1]
                    if y >= 0, y < h, x >= 0, x < w { body(o, (c * h + y) * w + x, 1) }
                } }
            } } }
        case .window(_, let stride, let pads, let offset):
            let (channels, h, w) = (inputShape[0], inputShape[1], inputShape[2])
            let (ho, wo) = (outputShape[1], outputShape[2])
            for c in 0..<channels { for i in 0..<ho { for j in 0..<wo {
                let y = min(max(i * stride[0] + offset[0] - pads[0], 0), h - 1)
                let x = min(max(j * stride[1] + offset[1] - pads[1], 0), w - 1)
                body((c * ho + i) * wo + j, (c * h + y) * w + x, 1)
            } } }
        case .axes(let maps):
            let outStrides = strides(outputShape)
            guard !maps.isEmpty else { body(0, 0, 1); return }
            guard maps.allSatisfy({ !$0.pairs.isEmpty }) else { return }
            // An odometer over one pair per axis.
            var choice = [Int](repeating: 0, count: maps.count)
            while true {
                var o = 0, k = 0
                for a in 0..<maps.count {
                    let pair = maps[a].pairs[choice[a]]
                    o += pair.output * outStrides[a]
                    k += pair.input * inStrides[a]
                }
                body(o, k, 1)
                var a = maps.count - 1
                while a >= 0 {
                    choice[a] += 1
                    if choice[a] < maps[a].pairs.count { break }
                    choice[a] = 0
                    a -= 1
                }
                if a < 0 { return }
            }
        }
    }

    private static func increment(_ coordinate: inout [Int], shape: [Int]) {
        var a = shape.count - 1
        while a >= 0 {
            coordinate[a] += 1
            if coordinate[a] < shape[a] { return }
            coordinate[a] = 0
            a -= 1
        }
    }

    /// The number of terms ``forEachTerm(inputShape:outputShape:_:)`` visits, an upper bound
    /// computed without visiting them (`nil` when it overflows): one per output entry, times the
    /// window for a sum pool.
    public func termCount(inputShape: [Int], outputShape: [Int]) -> Int? {
        guard let outCount = CircuitLimits.checkedProduct(outputShape) else { return nil }
        if case .sumPool(let kernel, _, _) = self { return CircuitLimits.checkedProduct([outCount] + kernel) }
        if case .axes(let maps) = self { return CircuitLimits.checkedProduct(maps.map(\.pairs.count)) }
        return outCount
    }

    /// Why the map cannot connect these shapes, or `nil` when it can. Safe on any integers (a
    /// size that overflows is a problem, not a trap).
    public func shapeProblem(inputShape: [Int], outputShape: [Int]) -> String? {
        guard let inCount = CircuitLimits.checkedProduct(inputShape),
              let outCount = CircuitLimits.checkedProduct(outputShape) else { return "shape too large" }
        switch self {
        case .reshape:
            return inCount == outCount ? nil : "reshape of \(inCount) entries into \(outCount)"
        case .transpose(let p):
            guard p.count == inputShape.count, Set(p) == Set(0..<p.count),
                  outputShape == p.map({ inputShape[$0] }) else { return "transpose \(p) of \(inputShape) is not \(outputShape)" }
            return nil
        case .slice(let starts, let steps):
            guard starts.count == inputShape.count, steps.count == inputShape.count, outputShape.count == inputShape.count,
                  steps.allSatisfy({ $0 >= 1 }),
                  zip(zip(starts, steps), zip(outputShape, inputShape)).allSatisfy({ s, d in
                      guard s.0 >= 0, d.0 >= 1, let last = CircuitLimits.checkedProduct([d.0 - 1, s.1]),
                            let end = CircuitLimits.checkedSum([s.0, last]) else { return false }
                      return end < d.1 }) else { return "slice out of range" }
            return nil
        case .pad(let before):
            guard before.count == inputShape.count, outputShape.count == inputShape.count,
                  before.allSatisfy({ $0 >= 0 }),
                  zip(before, zip(inputShape, outputShape)).allSatisfy({ (CircuitLimits.checkedSum([$0, $1.0]) ?? .max) <= $1.1 })
            else { return "pad does not fit" }
            return nil
        case .sumPool(let kernel, let stride, let pads), .window(let kernel, let stride, let pads, _):
            guard inputShape.count == 3, outputShape.count == 3, inputShape[0] == outputShape[0],
                  kernel.count == 2, stride.count == 2, pads.count == 4, kernel.allSatisfy({ $0 >= 1 }),
                  stride.allSatisfy({ $0 >= 1 }), pads.allSatisfy({ $0 >= 0 }) else { return "pooling parameters" }
            for a in 0..<2 {
                guard let padded = CircuitLimits.checkedSum([inputShape[a + 1], pads[a], pads[a + 2]]), padded >= kernel[a],
                      (padded - kernel[a]) / stride[a] + 1 == outputShape[a + 1] else {
                    return "pooling output size \(outputShape) ≠ expected"
                }
            }
            if case .window(_, _, _, let offset) = self {
                guard offset.count == 2, offset[0] >= 0, offset[0] < kernel[0], offset[1] >= 0, offset[1] < kernel[1] else {
                    return "window offset"
                }
            }
            return nil
        case .axes(let maps):
            guard maps.count == inputShape.count, maps.count == outputShape.count else {
                return "\(maps.count) axis maps between ranks \(inputShape.count) and \(outputShape.count)"
            }
            for (a, map) in maps.enumerated() {
                guard map.pairs.allSatisfy({ (0..<outputShape[a]).contains($0.output) && (0..<inputShape[a]).contains($0.input) })
                else { return "axis \(a): a pair outside \(inputShape[a]) → \(outputShape[a])" }
            }
            return nil
        }
    }
}

/// One axis of a ``LinearMap/axes(_:)`` map: the pairs `(output index, input index)` it
/// connects. An output index that appears in no pair reads zero; one that appears in several
/// sums their inputs.
public struct AxisMap: Sendable, Hashable, Codable {
    public struct Pair: Sendable, Hashable, Codable {
        public var output: Int
        public var input: Int
        public init(output: Int, input: Int) {
            self.output = output
            self.input = input
        }
    }

    public var pairs: [Pair]

    public init(pairs: [Pair]) { self.pairs = pairs }

    /// Output position `i` reads input `sources[i]`, or zero when it is negative.
    public static func selecting(_ sources: [Int]) -> AxisMap {
        AxisMap(pairs: sources.enumerated().compactMap { $1 >= 0 ? Pair(output: $0, input: $1) : nil })
    }

    /// The identity on an axis of `count` positions.
    public static func identity(_ count: Int) -> AxisMap { selecting(Array(0..<count)) }

    /// The single output position sums all `count` inputs.
    public static func summing(_ count: Int) -> AxisMap {
        AxisMap(pairs: (0..<count).map { Pair(output: 0, input: $0) })
    }
}
