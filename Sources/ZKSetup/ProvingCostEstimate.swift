public import ZKCircuit
import ZKCommit
import ZKVerifier

/// A rough cost model of proving a circuit, from its shape alone (no setup, no proof), fitted to
/// the release benchmarks on a 2-core machine: committing the advice costs about 0.9 µs per packed
/// advice slot, the weight opening about 15 ns per weight, lookups about 0.4 µs per looked-up
/// value, plus 2 ms; memory about 200 bytes per advice slot plus 160 bytes per weight, plus 20 MiB.
/// Within a factor of two on the zoo. `zkml inspect --estimate` prints it; an inference node
/// predicts a model's first proofs with it, before it has measured any.
public struct ProvingCostEstimate: Sendable {
    /// Advice values in the witness, and the packed slots (a power of two) that hold them.
    public var witnessValues: Int
    public var adviceVariableCount: Int
    public var proveMilliseconds: Double
    public var proofBytes: Int
    public var memoryMiB: Int

    public init(circuit: Circuit) throws(LigeroError) {
        let layout = ProtocolLayout(circuit: circuit)
        let parameters = try Setup.estimateParameters(circuit: circuit)
        let adviceSlots = 1 << layout.advice.variableCount, weights = 1 << layout.weights.variableCount
        let lookedUp = layout.lookupGroups.reduce(0) { $0 + circuit.tensors[$1.columns[0]].layout.slotCount * $1.columns.count }
        witnessValues = circuit.tensors.filter { $0.storage == .advice }.reduce(0) { $0 + $1.layout.count }
        adviceVariableCount = layout.advice.variableCount
        proveMilliseconds = 0.9e-3 * Double(adviceSlots) + 15e-6 * Double(weights) + 0.4e-3 * Double(lookedUp) + 2
        proofBytes = parameters.advice.estimatedProofByteCount(claims: 1) + parameters.weights.estimatedProofByteCount(claims: 2) + 16_384
        memoryMiB = ((200 * adviceSlots + 160 * weights) >> 20) + 20
    }
}
