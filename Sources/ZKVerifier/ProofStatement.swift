public import ZKField
public import ZKSodium

/// What a proof states, in the model's terms: which model (the key's id), on which input (the
/// quantized integers and their hash; the token ids they encode for a one-hot input), with which output (the proven integers and their real
/// values). Computed from the verification key and the proof alone, so a verifier (the
/// command's `verify`, a full node) needs nothing else.
///
/// A statement means something only for a proof that ``Verifier/verify(_:verificationKey:field:)``
/// accepted, with a key whose ``VerificationKey/modelID`` was matched against one from a trusted
/// source (``VerificationKey/requireModelID(_:)``).
public struct ProofStatement: Sendable, Hashable {
    /// The verification key's model id.
    public var modelID: Digest32
    /// ``inputHash(of:)`` of ``inputIntegers``.
    public var inputHash: Digest32
    /// The public input: the quantized input integers (for token ids, their one-hot rows), row-major.
    public var inputIntegers: [Int64]
    /// The model input as token ids, when the key's interface says the public input is their
    /// one-hot encoding (``ModelInterface/InputEncoding/oneHot``); nil for quantized values.
    public var tokenIDs: [Int]?
    /// The public output: the proven integers, row-major.
    public var outputIntegers: [Int64]
    /// The output as real numbers: ``ModelInterface/dequantizeOutput(_:)`` of the key's interface,
    /// or the integers themselves when the key has no interface (a circuit built in code).
    public var output: [Double]
    /// The postprocessing applied to ``output`` (``OutputPostprocessing/none`` without an interface).
    public var postprocessing: OutputPostprocessing

    /// Reads the statement of `proof` under `verificationKey`. Does not verify the proof.
    /// - Throws: ``UnknownPostprocessingError`` when the key names a postprocessing this build
    ///   does not know.
    public init<F: LargePrimeField>(
        proof: Proof<F>, verificationKey: VerificationKey
    ) throws(UnknownPostprocessingError) {
        modelID = verificationKey.modelID
        inputIntegers = proof.publicInput
        inputHash = Self.inputHash(of: proof.publicInput)
        outputIntegers = proof.publicOutput
        tokenIDs = verificationKey.interface?.tokenIDs(oneHot: proof.publicInput)
        if let interface = verificationKey.interface {
            postprocessing = try interface.outputPostprocessing()
            output = try interface.dequantizeOutput(proof.publicOutput)
        } else {
            postprocessing = .none
            output = proof.publicOutput.map { Double($0) }
        }
    }

    /// The input hash: BLAKE2b-256 of the quantized input integers, each as a little-endian
    /// `i64`, concatenated. What a data node's attestation and a full node's verdict name.
    public static func inputHash(of integers: [Int64]) -> Digest32 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 * integers.count)
        for value in integers {
            withUnsafeBytes(of: UInt64(bitPattern: value).littleEndian) { bytes.append(contentsOf: $0) }
        }
        return Blake2b.hash256(bytes)
    }
}
