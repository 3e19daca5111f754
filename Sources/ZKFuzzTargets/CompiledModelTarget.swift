import ZKCircuit
import ZKCompiler
import ZKWire

/// The compiled-model decoder, `CompiledModel(decoding:)` (the `model.zkcm` that `zkml compile`
/// writes and `setup`, `run`, `prove` and `check` read), then what `zkml run` does with it:
/// integer inference on an input of zeros, when the circuit is small enough to bound the work.
///
/// Beyond "never traps": a decoded model re-encodes to bytes that decode to the same circuit,
/// values and scales, and whose encoding is stable.
public enum CompiledModelTarget {
    public static let name = "compiled-model"

    /// Inference runs only on circuits with at most this many slots in all (bounds its cost).
    static let inferenceSlotLimit = 1 << 13

    public static func run(_ bytes: [UInt8]) {
        guard bytes.count <= FuzzTargets.maximumInputSize else { return }
        let model: CompiledModel
        do { model = try CompiledModel(decoding: bytes) } catch { return }
        let encoded = model.encoded()
        let again: CompiledModel
        do { again = try CompiledModel(decoding: encoded) } catch {
            fuzzFailure("a decoded compiled model re-encodes to bytes that do not decode: \(error)")
        }
        guard again.circuit == model.circuit, again.known == model.known, again.layers == model.layers,
              again.inputShape == model.inputShape, again.outputShape == model.outputShape else {
            fuzzFailure("a compiled model changes when encoded and decoded again")
        }
        guard again.encoded() == encoded else { fuzzFailure("a compiled model's encoding is not stable") }

        var slots = 0
        for tensor in model.circuit.tensors {
            slots += tensor.layout.slotCount
            guard slots <= inferenceSlotLimit else { return }
        }
        let count = model.circuit.tensors[model.circuit.input].layout.count
        _ = try? model.run(input: [Float](repeating: 0, count: count))
    }
}
