public import ZKCompiler
public import ZKField
public import ZKVerifier

extension CompiledModel {
    /// The model's interface as the verification key records it: input and output names,
    /// shapes and scales, the input's encoding (one-hot token ids or quantized values), the
    /// verifier-side postprocessing and the source model's hash. Part of the model id.
    public var interface: ModelInterface {
        ModelInterface(
            inputName: inputName, inputShape: inputShape, inputScale: inputScale, outputName: outputName,
            outputShape: outputShape, outputScale: outputScale, postprocessing: outputPostprocessing.rawValue,
            sourceHash: sourceHash, inputEncoding: inputQuantization == .oneHot ? .oneHot : .values)
    }
}

extension Setup {
    /// Setup for a compiled model: commits its weights and writes its ``CompiledModel/interface``
    /// into the verification key. The one way to set up a model: the library example and
    /// `zkml setup` both come here, so the same model file, calibration and options give the
    /// same model id (and a byte-identical key) either way.
    public static func run<F: LargePrimeField>(
        model: CompiledModel, field: F.Type = F.self
    ) throws(SetupError) -> ProvingKey<F> {
        try run(circuit: model.circuit, known: model.known, interface: model.interface, field: field)
    }
}

extension ProvingKey {
    /// Whether this stored key is the key of `model` (its circuit, weights and interface): what a
    /// prover checks before it loads a key from disk instead of running setup.
    public func matches(model: CompiledModel) -> Bool {
        matches(circuit: model.circuit, known: model.known, interface: model.interface)
    }
}
