/// Attributes of `Operator.gemm`: `Y = alpha · A' · B' + beta · C`, where `A'` is `A` or its
/// transpose (`transposeA`), likewise `B'`, and `C` (optional) broadcasts to `[M, N]`.
public struct GemmAttributes: Sendable, Hashable {
    public var alpha: Float
    public var beta: Float
    public var transposeA: Bool
    public var transposeB: Bool

    public init(alpha: Float = 1, beta: Float = 1, transposeA: Bool = false, transposeB: Bool = false) {
        self.alpha = alpha
        self.beta = beta
        self.transposeA = transposeA
        self.transposeB = transposeB
    }
}

/// How a convolution or pooling window is padded at the borders of the spatial dimensions.
public enum Padding: Sendable, Hashable {
    /// Explicit zero padding in ONNX order: the begin pads of each spatial axis, then the end
    /// pads (`[top, left, bottom, right]` in 2-D).
    case explicit([Int])
    /// Pad so that `output = ceil(input / stride)`, the odd extra pad at the end.
    case sameUpper
    /// Pad so that `output = ceil(input / stride)`, the odd extra pad at the beginning.
    case sameLower
    /// No padding.
    case valid

    /// Explicit pads `[begins..., ends...]` for the given spatial input sizes, window sizes,
    /// strides and dilations; `nil` when an explicit padding has the wrong length or a
    /// negative pad.
    public func resolved(inputSizes: [Int], kernel: [Int], strides: [Int], dilations: [Int]) -> [Int]? {
        let rank = inputSizes.count
        switch self {
        case .explicit(let pads):
            guard pads.count == 2 * rank, pads.allSatisfy({ $0 >= 0 }) else { return nil }
            return pads
        case .valid:
            return [Int](repeating: 0, count: 2 * rank)
        case .sameUpper, .sameLower:
            var begins: [Int] = []
            var ends: [Int] = []
            for axis in 0..<rank {
                let stride = strides[axis]
                let output = (inputSizes[axis] + stride - 1) / stride
                let extent = (kernel[axis] - 1) * dilations[axis] + 1
                let total = max(0, (output - 1) * stride + extent - inputSizes[axis])
                let small = total / 2
                let large = total - small
                begins.append(self == .sameUpper ? small : large)
                ends.append(self == .sameUpper ? large : small)
            }
            return begins + ends
        }
    }
}

/// Attributes of 2-D convolutions (`Operator.conv`, and the quantized `qLinearConv`,
/// `convInteger`). Input `[N, C, H, W]`, weight `[M, C / group, kH, kW]`, optional bias `[M]`.
/// `group == C == M / k` is a depthwise convolution.
public struct ConvolutionAttributes: Sendable, Hashable {
    /// `[kH, kW]`; `nil` means "take it from the weight's shape".
    public var kernelShape: [Int]?
    public var strides: [Int]
    public var dilations: [Int]
    public var padding: Padding
    public var group: Int

    public init(
        kernelShape: [Int]? = nil, strides: [Int] = [1, 1], dilations: [Int] = [1, 1],
        padding: Padding = .explicit([0, 0, 0, 0]), group: Int = 1
    ) {
        self.kernelShape = kernelShape
        self.strides = strides
        self.dilations = dilations
        self.padding = padding
        self.group = group
    }
}

/// Attributes of a 2-D transposed convolution (`Operator.convTranspose`). Input `[N, C, H, W]`,
/// weight `[C, M / group, kH, kW]`. Output size per axis:
/// `stride · (in − 1) + outputPadding + (kernel − 1) · dilation + 1 − padBegin − padEnd`, or
/// `outputShape` when given (the padding then derived as ONNX specifies, `SAME_UPPER`-style
/// split unless `autoPad` says `SAME_LOWER`).
public struct ConvTransposeAttributes: Sendable, Hashable {
    public var kernelShape: [Int]?
    public var strides: [Int]
    public var dilations: [Int]
    /// `[top, left, bottom, right]`, or derived from `outputShape` / `autoPad`.
    public var pads: [Int]
    public var outputPadding: [Int]
    public var outputShape: [Int]?
    /// `NOTSET`, `SAME_UPPER`, `SAME_LOWER` or `VALID`.
    public var autoPad: String
    public var group: Int

    public init(
        kernelShape: [Int]? = nil, strides: [Int] = [1, 1], dilations: [Int] = [1, 1], pads: [Int] = [0, 0, 0, 0],
        outputPadding: [Int] = [0, 0], outputShape: [Int]? = nil, autoPad: String = "NOTSET", group: Int = 1
    ) {
        self.kernelShape = kernelShape
        self.strides = strides
        self.dilations = dilations
        self.pads = pads
        self.outputPadding = outputPadding
        self.outputShape = outputShape
        self.autoPad = autoPad
        self.group = group
    }
}

/// Attributes of 2-D max and average pooling over `[N, C, H, W]`.
public struct PoolingAttributes: Sendable, Hashable {
    /// `[kH, kW]`.
    public var kernelShape: [Int]
    public var strides: [Int]
    public var dilations: [Int]
    public var padding: Padding
    /// Output sizes rounded up instead of down (a last, partial window is kept when it starts
    /// inside the input or the begin padding).
    public var ceilMode: Bool
    /// Average pooling only: divide by the full window size including padding (`true`) or by
    /// the number of input elements in the window (`false`). Ignored by max pooling.
    public var countIncludePad: Bool

    public init(
        kernelShape: [Int], strides: [Int] = [1, 1], dilations: [Int] = [1, 1],
        padding: Padding = .explicit([0, 0, 0, 0]), ceilMode: Bool = false, countIncludePad: Bool = false
    ) {
        self.kernelShape = kernelShape
        self.strides = strides
        self.dilations = dilations
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
    }
}
