import ZKCircuit

/// What the verifier applies to the dequantized output, outside the proof (named by
/// ``ModelInterface/postprocessing``).
public enum OutputPostprocessing: String, Sendable, Hashable, CaseIterable {
    /// The dequantized output as it is.
    case none
    /// A trailing Softmax: `exp(x_i − max x) / Σ_j exp(x_j − max x)` over the whole output.
    case softmax
    /// A trailing ArgMax: the index of the largest output (the first on a tie).
    case argmax
}

/// A verification key names a postprocessing this build does not know.
public struct UnknownPostprocessingError: Error, Equatable, Sendable, CustomStringConvertible {
    public var name: String
    public init(name: String) { self.name = name }
    public var description: String {
        "the key's output postprocessing \"\(name)\" is not one this build applies "
            + "(\(OutputPostprocessing.allCases.map(\.rawValue).joined(separator: ", ")))"
    }
}

extension ModelInterface {
    /// The postprocessing the key names.
    /// - Throws: ``UnknownPostprocessingError`` for a name this build does not know.
    public func outputPostprocessing() throws(UnknownPostprocessingError) -> OutputPostprocessing {
        guard let known = OutputPostprocessing(rawValue: postprocessing) else {
            throw UnknownPostprocessingError(name: postprocessing)
        }
        return known
    }

    /// The model's output as real numbers, from the proven integers: `outputScale · q`, then the
    /// postprocessing. This is the verifier's own reading (DESIGN: the verifier dequantizes the
    /// output itself); integer inference (`CompiledModel.dequantizeOutput`) computes the same
    /// numbers, bit for bit, on the prover's side.
    public func dequantizeOutput(_ integers: [Int64]) throws(UnknownPostprocessingError) -> [Double] {
        let real = integers.map { Double($0) * outputScale }
        switch try outputPostprocessing() {
        case .none:
            return real
        case .softmax:
            return OutputPostprocess.softmax(real)
        case .argmax:
            return OutputPostprocess.argmax(real)
        }
    }
}
