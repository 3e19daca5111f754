/// A reduction over some axes (ONNX `ReduceSum`, `ReduceMean`, `ReduceMax`, …).
public struct Reduction: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case sum, mean, max, min, product, sumSquare, l1, l2, logSumExp

        /// The ONNX operator name.
        public var operatorName: String {
            switch self {
            case .sum: return "ReduceSum"
            case .mean: return "ReduceMean"
            case .max: return "ReduceMax"
            case .min: return "ReduceMin"
            case .product: return "ReduceProd"
            case .sumSquare: return "ReduceSumSquare"
            case .l1: return "ReduceL1"
            case .l2: return "ReduceL2"
            case .logSumExp: return "ReduceLogSumExp"
            }
        }
    }

    public var kind: Kind
    /// The reduced axes (negative count from the end); `nil` reduces every axis.
    public var axes: [Int]?
    /// Keep each reduced axis as a dimension of 1.
    public var keepDims: Bool

    public init(kind: Kind, axes: [Int]?, keepDims: Bool) {
        self.kind = kind
        self.axes = axes
        self.keepDims = keepDims
    }

    /// The reduced axes of a rank-`rank` input, sorted and non-negative, or `nil` when one is out
    /// of range or repeated.
    public func normalizedAxes(rank: Int) -> [Int]? {
        guard let axes else { return Array(0..<rank) }
        var result: [Int] = []
        for axis in axes {
            guard let a = TensorShape.normalizedAxis(axis, rank: rank), !result.contains(a) else { return nil }
            result.append(a)
        }
        return result.sorted()
    }

    /// The output shape for an input of `shape`, or nil when the axes do not apply.
    public func outputShape(_ shape: [Int]) -> [Int]? {
        guard let axes = normalizedAxes(rank: shape.count) else { return nil }
        var out: [Int] = []
        for (a, d) in shape.enumerated() {
            if axes.contains(a) { if keepDims { out.append(1) } } else { out.append(d) }
        }
        return out
    }
}
