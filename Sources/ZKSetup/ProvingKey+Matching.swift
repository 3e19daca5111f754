public import ZKVerifier
import ZKCircuit
import ZKField

extension ProvingKey {
    /// Whether this key is the one ``Setup/run(circuit:known:interface:field:)`` builds from these
    /// inputs: the same circuit, interface, constants and weights. Checked by comparison, without
    /// committing anything (well under a millisecond for 100k weights), so a stored key can be
    /// matched to the model it is about to prove.
    ///
    /// The commitment itself is not recomputed: that the stored commitment is the one of these
    /// weights rests on the key having been written by setup, and its root was checked against
    /// the verification key when the key was decoded (``init(decoding:)``).
    @_specialize(where F == BN254Fr)
    public func matches(circuit: Circuit, known: [TensorID: [Int64]], interface: ModelInterface?) -> Bool {
        let vk = verificationKey
        guard vk.circuit == circuit, vk.interface == interface,
              vk.adviceTransport == Setup.adviceTransport(for: circuit) else { return false }
        for (id, info) in circuit.tensors.enumerated() {
            switch info.storage {
            case .constant:
                guard vk.constants[id] == known[id] else { return false }
            case .weight:
                guard let values = known[id], values.count == info.layout.count, let slots = weightSlots[id] else {
                    return false
                }
                guard holds(slots, info.layout.padded(values, padding: 0)) else { return false }
            case .publicInput, .publicOutput, .advice, .virtual:
                continue
            }
        }
        return true
    }
}

/// Whether `slots` are `values`, slot for slot. Concrete loops (no generic context), so they run
/// at memory speed: about 0.1 ms for 100k weights.
private func holds(_ slots: WeightSlots, _ values: [Int64]) -> Bool {
    guard slots.count == values.count else { return false }
    switch slots {
    case .int8(let s):
        for i in s.indices where Int64(s[i]) != values[i] { return false }
    case .int16(let s):
        for i in s.indices where Int64(s[i]) != values[i] { return false }
    }
    return true
}
