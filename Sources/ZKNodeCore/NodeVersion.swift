import ZKField
import ZKVerifier
import ZKWire

/// Versions a node reports in `/v1/info`.
package enum NodeVersion {
    package static let tool = ToolVersion.current
    package static let proofFormat = Int(Proof<Fr>.formatVersion)
}
