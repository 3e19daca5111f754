public import ZKSodium

/// The verification key is not the key of the model the verifier expected.
public struct ModelIDMismatch: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model id from the trusted source.
    public var expected: Digest32
    /// The key's model id.
    public var found: Digest32

    public init(expected: Digest32, found: Digest32) {
        self.expected = expected
        self.found = found
    }

    /// The stable machine-readable name of this rejection.
    public var code: String { "wrong_model" }

    public var description: String {
        "the verification key is another model's: its model id is \(found), expected \(expected)"
    }
}

extension VerificationKey {
    /// Throws unless this key's model id is `expected`.
    ///
    /// A key that came with the proof (from the prover, such as the `PROOF.vk` that `zkml prove`
    /// writes) proves nothing by itself: anyone can make a valid proof for a model of their own.
    /// It says something about *the* model only once its id is compared with one obtained from a
    /// trusted source (the model's publisher, a model hub release, or a key the verifier derived
    /// itself by running setup on the model).
    public func requireModelID(_ expected: Digest32) throws(ModelIDMismatch) {
        guard modelID == expected else { throw ModelIDMismatch(expected: expected, found: modelID) }
    }
}
