/// The output geometry of a 2-D transposed convolution, resolved from ONNX's attributes.
///
/// Per spatial axis, the full (unpadded) output has `s·(in − 1) + op + (k − 1)·d + 1` positions
/// (stride `s`, output padding `op`, kernel `k`, dilation `d`); `pads` crop it at the start and
/// the end. When `output_shape` (or a `SAME_*` auto pad, meaning `in · s`) fixes the size, the
/// total crop is split as ONNX specifies: half at the start for `SAME_UPPER`, the larger half at
/// the start otherwise (a negative crop, when `output_shape` exceeds the full output, extends
/// it: those positions hold only the bias).
public struct ConvTransposeGeometry: Sendable, Hashable {
    public var outputChannels: Int
    public var kernel: [Int]
    /// `[H_out, W_out]`.
    public var outputSize: [Int]
    /// `[top, left, bottom, right]` cropped from the full output (negative: extended).
    public var pads: [Int]

    public static func resolve(input x: [Int], weight w: [Int], _ a: ConvTransposeAttributes) -> Result<Self, ShapeProblem> {
        guard x.count == 4, w.count == 4 else { return .failure(.init("input and weight must be 4-D, are \(x) and \(w)")) }
        guard a.group >= 1, x[1] % a.group == 0, w[0] == x[1] else {
            return .failure(.init("weight \(w) does not match input channels \(x[1]) with group \(a.group)"))
        }
        let kernel = Array(w[2...])
        if let declared = a.kernelShape, declared != kernel {
            return .failure(.init("kernel_shape \(declared) differs from the weight's \(kernel)"))
        }
        guard a.strides.count == 2, a.dilations.count == 2, a.outputPadding.count == 2, a.pads.count == 4,
              a.strides.allSatisfy({ $0 >= 1 && $0 <= 1 << 12 }), a.dilations.allSatisfy({ $0 >= 1 && $0 <= 1 << 12 }),
              a.pads.allSatisfy({ $0 >= 0 && $0 <= 1 << 20 }), kernel.allSatisfy({ $0 >= 1 && $0 <= 1 << 12 }),
              zip(a.outputPadding, a.strides).allSatisfy({ $0 >= 0 && $0 < Swift.max($1, 2) }),
              x[2] <= 1 << 20, x[3] <= 1 << 20 else {
            return .failure(.init("unsupported strides, dilations, pads or output padding"))
        }
        var full: [Int] = []
        for i in 0..<2 {
            full.append(a.strides[i] * (x[i + 2] - 1) + a.outputPadding[i] + (kernel[i] - 1) * a.dilations[i] + 1)
        }
        var pads = a.pads
        var target: [Int]? = a.outputShape.map { Array($0.suffix(2)) }
        if target == nil, a.autoPad == "SAME_UPPER" || a.autoPad == "SAME_LOWER" {
            target = [x[2] * a.strides[0], x[3] * a.strides[1]]
        }
        if a.autoPad == "VALID" { pads = [0, 0, 0, 0] }
        if let target {
            guard target.count == 2 else { return .failure(.init("output_shape \(a.outputShape ?? [])")) }
            for i in 0..<2 {
                // A negative total (an `output_shape` beyond the full output) extends the output
                // with positions only the bias reaches; ONNX splits it with floor division.
                let total = full[i] - target[i]
                guard target[i] >= 1, target[i] <= 1 << 20 else { return .failure(.init("output_shape \(target)")) }
                let half = total >= 0 ? total / 2 : -((-total + 1) / 2)
                let upper = a.autoPad == "SAME_UPPER"
                pads[i] = upper ? half : total - half
                pads[i + 2] = upper ? total - half : half
            }
        }
        let size = [full[0] - pads[0] - pads[2], full[1] - pads[1] - pads[3]]
        guard size.allSatisfy({ $0 >= 1 }) else { return .failure(.init("the pads leave no output")) }
        return .success(ConvTransposeGeometry(outputChannels: w[1] * a.group, kernel: kernel, outputSize: size, pads: pads))
    }
}
