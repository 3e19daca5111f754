import Foundation
import ZKVerifier

/// Refuses a key whose commitment parameters offer fewer than 100 bits of soundness, saying how
/// many it offers (`zkml verify` and `zkml inspect` exit 2 on it).
func requireSecurityFloor(_ key: VerificationKey, path: String) throws {
    do throws(VerificationError) { try key.checkSecurityFloor() } catch {
        let bits = key.soundnessBits()
        throw UsageError(
            "\(path) offers \(String(format: "%.1f", bits)) bits of soundness, below the "
                + "\(Int(VerificationKey.minimumSoundnessBits))-bit floor (commitment parameters: advice "
                + "\(key.adviceParameters), weights \(key.weightParameters)): a proof under this key proves nothing",
            code: "insecure_key")
    }
}
