import ZKNodeCore
import ZKCircuit
import ZKVerifier

/// Predicts a proof's wall time for a model.
///
/// Cold start: a cost model of the circuit's shape (advice slots, weight slots and looked-up
/// slots, with per-slot costs measured by the release benchmarks on a 2-core machine), the same
/// one `zkml inspect --estimate` prints. After that, measured history: an exponentially weighted
/// mean of the measured proof times (weight 0.3 on the newest), so the prediction follows the
/// machine it runs on (a debug build is tens of times slower than the cold-start model).
public struct ProofCostModel: Sendable {
    public private(set) var predictedSeconds: Double
    public private(set) var samples: Int

    public init(coldStartSeconds: Double, samples: Int = 0) {
        predictedSeconds = coldStartSeconds
        self.samples = samples
    }

    /// The cold-start estimate, seconds.
    public static func coldStartSeconds(circuit: Circuit) -> Double {
        let layout = ProtocolLayout(circuit: circuit)
        let adviceSlots = Double(1 << layout.advice.variableCount), weights = Double(1 << layout.weights.variableCount)
        let lookedUp = layout.lookupGroups.reduce(0) { $0 + circuit.tensors[$1.columns[0]].layout.slotCount * $1.columns.count }
        return (0.9e-3 * adviceSlots + 15e-6 * weights + 0.4e-3 * Double(lookedUp) + 2) / 1000
    }

    /// Folds in a measured proof time; returns the relative error of the prediction it replaces.
    public mutating func record(measuredSeconds: Double) -> Double {
        let error = (measuredSeconds - predictedSeconds) / max(predictedSeconds, 1e-6)
        predictedSeconds = samples == 0 ? measuredSeconds : 0.7 * predictedSeconds + 0.3 * measuredSeconds
        samples += 1
        return error
    }
}
