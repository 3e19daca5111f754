import ZKCircuit
import ZKProver
import ZKSetup
import ZKVerifier
import ZKWire

/// The verification-key decoder, `VerificationKey(decoding:)`: what `zkml verify --vk` and a full
/// node read from the outside.
///
/// Beyond "never traps", a key that decodes must re-encode to bytes that decode to the same model
/// id and re-encode identically (the encoding of a decoded key is canonical).
public enum VerificationKeyTarget {
    public static let name = "verification-key"

    public static func run(_ bytes: [UInt8]) {
        guard bytes.count <= FuzzTargets.maximumInputSize else { return }
        let key: VerificationKey
        do { key = try VerificationKey(decoding: bytes) } catch { return }
        let encoded = key.encoded()
        let again: VerificationKey
        do { again = try VerificationKey(decoding: encoded) } catch {
            fuzzFailure("a decoded verification key re-encodes to bytes that do not decode: \(error)")
        }
        guard again.modelID == key.modelID, again.circuit == key.circuit, again.constants == key.constants else {
            fuzzFailure("a verification key changes when encoded and decoded again")
        }
        guard again.encoded() == encoded else { fuzzFailure("a verification key's encoding is not stable") }
    }
}
