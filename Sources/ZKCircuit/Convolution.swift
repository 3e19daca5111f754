/// The integer semantics of ``Relation/conv2d(output:weights:input:bias:stride:pads:groups:)``,
/// on logical row-major values: the reference both the witness builder and the checker use.
public enum Convolution {
    /// `acc[o, i, j] = Σ_{c,u,v} K[o, c, u, v] · x[g(o)·C_g + c, i·s_h + u − p_t, j·s_w + v − p_l] + b[o]`,
    /// positions outside the input contributing 0. Returns `nil` on 64-bit overflow.
    public static func evaluate(
        input x: [Int64], inputShape: [Int], weights k: [Int64], weightShape: [Int], bias: [Int64]?,
        outputShape: [Int], stride: [Int], pads: [Int], groups: Int
    ) -> [Int64]? {
        let (cin, h, w) = (inputShape[0], inputShape[1], inputShape[2])
        let (cout, cg, kh, kw) = (weightShape[0], weightShape[1], weightShape[2], weightShape[3])
        let (ho, wo) = (outputShape[1], outputShape[2])
        let perGroup = cout / groups
        _ = cin
        var out = [Int64](repeating: 0, count: cout * ho * wo)
        for o in 0..<cout {
            let g = o / perGroup
            for i in 0..<ho { for j in 0..<wo {
                var sum = Int128(bias?[o] ?? 0)
                for c in 0..<cg { for u in 0..<kh { for v in 0..<kw {
                    let y = i * stride[0] + u - pads[0], xx = j * stride[1] + v - pads[1]
                    guard y >= 0, y < h, xx >= 0, xx < w else { continue }
                    sum += Int128(k[((o * cg + c) * kh + u) * kw + v]) * Int128(x[((g * cg + c) * h + y) * w + xx])
                } } }
                guard let value = Int64(exactly: sum) else { return nil }
                out[(o * ho + i) * wo + j] = value
            } }
        }
        return out
    }
}
