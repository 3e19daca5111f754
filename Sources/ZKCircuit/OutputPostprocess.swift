#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The functions a verifier may apply to a model's dequantized output outside the proof (a
/// trailing Softmax or ArgMax over the single output row). Both the verifier and integer
/// inference call these, so the two readings agree bit for bit.
public enum OutputPostprocess {
    /// `exp(x_i − max x) / Σ_j exp(x_j − max x)`.
    public static func softmax(_ real: [Double]) -> [Double] {
        let m = real.max() ?? 0
        let e = real.map { exp($0 - m) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    /// The index of the largest value (the first on a tie), as a one-element output.
    public static func argmax(_ real: [Double]) -> [Double] {
        var best = 0
        for (i, v) in real.enumerated() where v > real[best] { best = i }
        return real.isEmpty ? [] : [Double(best)]
    }
}
