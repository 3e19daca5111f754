import ZKCircuit
import ZKModel

extension CircuitBuilder {
    /// A kernel `[O, C, kh, kw]` with `dilations − 1` zeros between its taps: the dilated
    /// convolution is the plain convolution with this kernel.
    static func dilated(_ w: [Double], shape: [Int], dilations: [Int]) -> ([Double], [Int]) {
        let (dh, dw) = (dilations.first ?? 1, dilations.count > 1 ? dilations[1] : 1)
        guard dh > 1 || dw > 1 else { return (w, shape) }
        let (o, c, kh, kw) = (shape[0], shape[1], shape[2], shape[3])
        let (eh, ew) = ((kh - 1) * dh + 1, (kw - 1) * dw + 1)
        var out = [Double](repeating: 0, count: o * c * eh * ew)
        for plane in 0..<(o * c) {
            for u in 0..<kh { for v in 0..<kw {
                out[(plane * eh + u * dh) * ew + v * dw] = w[(plane * kh + u) * kw + v]
            } }
        }
        return (out, [o, c, eh, ew])
    }

    /// A transposed convolution as a plain one: the input spread out by a per-axis linear map
    /// (element `i` to position `i·s + K − 1 − pad_begin`, zeros between, `K` the dilated kernel
    /// extent), then a stride-1 convolution with the kernel flipped in space and its channel axes
    /// swapped within each group (`W'[g·M_g + o, c, u, v] = W[g·C_g + c, o, kh−1−u, kw−1−v]`).
    /// Returns the spread input, the kernel and its shape.
    mutating func lowerTransposedInput(
        _ node: ModelNode, _ x: QuantizedValue, _ w: FloatTensor, _ a: ConvTransposeAttributes, _ geometry: ConvTransposeGeometry
    ) -> (QuantizedValue, [Double], [Int])? {
        let (cIn, perGroupOut, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let group = a.group
        guard group >= 1, cIn % group == 0, cIn == x.shape[0] else { reject(node, "ConvTranspose channels do not match"); return nil }
        let perGroupIn = cIn / group
        let m = perGroupOut * group
        var flipped = [Double](repeating: 0, count: m * perGroupIn * kh * kw)
        for o in 0..<m {
            let (g, oo) = (o / perGroupOut, o % perGroupOut)
            for cc in 0..<perGroupIn {
                let c = g * perGroupIn + cc
                for u in 0..<kh { for v in 0..<kw {
                    flipped[((o * perGroupIn + cc) * kh + u) * kw + v] =
                        Double(w.values[((c * perGroupOut + oo) * kh + (kh - 1 - u)) * kw + (kw - 1 - v)])
                } }
            }
        }
        let (kernel, kernelShape) = Self.dilated(flipped, shape: [m, perGroupIn, kh, kw], dilations: a.dilations)
        let extent = [kernelShape[2], kernelShape[3]]
        let spread = [cIn, geometry.outputSize[0] + extent[0] - 1, geometry.outputSize[1] + extent[1] - 1]
        guard Self.shapeProblem(spread) == nil else { reject(node, "ConvTranspose output too large"); return nil }
        var maps = [AxisMap.identity(cIn)]
        for axis in 0..<2 {
            let offset = extent[axis] - 1 - geometry.pads[axis]
            let pairs = (0..<x.shape[axis + 1]).compactMap { i -> AxisMap.Pair? in
                let p = i * a.strides[axis] + offset
                return p >= 0 && p < spread[axis + 1] ? AxisMap.Pair(output: p, input: i) : nil
            }
            maps.append(AxisMap(pairs: pairs))
        }
        guard let z = mapAxes(x, view: x.shape, grid: spread, maps: maps, shape: spread, name: "\(node.name).spread", node: node)
        else { return nil }
        return (z, kernel, kernelShape)
    }
}
