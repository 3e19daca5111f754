import ZKNodeCore
import ZKCircuit
import ZKSetup

/// Predicts a proof's wall time for a model.
///
/// Cold start: the circuit-shape cost model that `zkml inspect --estimate` prints
/// (``ProvingCostEstimate``). After that, measured history: an exponentially weighted
/// mean of the measured proof times (weight 0.3 on the newest), so the prediction follows the
/// machine it runs on (a debug build is tens of times slower than the cold-start model).
public struct ProofCostModel: Sendable {
    public private(set) var predictedSeconds: Double
    public private(set) var samples: Int

    public init(coldStartSeconds: Double, samples: Int = 0) {
        predictedSeconds = coldStartSeconds
        self.samples = samples
    }

    /// The cold-start estimate, seconds (``ProvingCostEstimate``; 1 s if the circuit has no estimate).
    public static func coldStartSeconds(circuit: Circuit) -> Double {
        ((try? ProvingCostEstimate(circuit: circuit))?.proveMilliseconds ?? 1000) / 1000
    }

    /// Folds in a measured proof time; returns the relative error of the prediction it replaces.
    public mutating func record(measuredSeconds: Double) -> Double {
        let error = (measuredSeconds - predictedSeconds) / max(predictedSeconds, 1e-6)
        predictedSeconds = samples == 0 ? measuredSeconds : 0.7 * predictedSeconds + 0.3 * measuredSeconds
        samples += 1
        return error
    }
}
