import ZKField
import ZKVerifier
import ZKWire

/// Versions a node reports in `/v1/info`.
enum NodeVersion {
    static let tool = ToolVersion.current
    static let proofFormat = Int(Proof<Fr>.formatVersion)
}
