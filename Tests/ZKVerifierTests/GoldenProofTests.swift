import Foundation
import Testing
import ZKVerifier

/// Verification with nothing but the verifier library: this target depends on `ZKVerifier`
/// alone (not the prover, setup, the compiler, the ONNX importer or SwiftProtobuf), as a full
/// node or a third-party auditor would. It reads the golden keys and proofs of Tests/Golden/ —
/// among them a zoo model's — checks each key's model id against the one recorded beside it,
/// and verifies.
@Suite("Verifier alone")
struct GoldenProofTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")
    static let names = ["mlp", "mlp_committed", "cnn_maxpool", "zoo_sklearn_mlp"]

    static func load(_ name: String) throws -> (VerificationKey, [UInt8], String) {
        let folder = directory.appendingPathComponent(name)
        let key = try VerificationKey(decoding: Array(Data(contentsOf: folder.appendingPathComponent("verification.key"))))
        let proof = Array(try Data(contentsOf: folder.appendingPathComponent("proof")))
        let id = try String(contentsOf: folder.appendingPathComponent("model_id"), encoding: .utf8)
        return (key, proof, id.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test(arguments: names)
    func goldenProofsVerify(name: String) throws {
        let (key, bytes, modelID) = try Self.load(name)
        #expect(key.modelID.description == modelID, "\(name): the key is not the recorded model's")
        #expect(key.soundnessBits() >= VerificationKey.minimumSoundnessBits)
        let proof = try Proof<Fr>(decoding: bytes, verificationKey: key)
        try Verifier.verify(proof, verificationKey: key, field: Fr.self)
        #expect(proof.encoded() == bytes)
    }

    /// The goldens cover both advice transports: committed (C_1 opened) and in the clear.
    @Test func bothAdviceTransportsAreCovered() throws {
        let transports = Set(try Self.names.map { try Self.load($0).0.adviceTransport })
        #expect(transports == Set(AdviceTransport.allCases))
    }

    /// The same bytes with the first public output changed by one are rejected.
    @Test(arguments: names)
    func aChangedOutputIsRejected(name: String) throws {
        let (key, bytes, _) = try Self.load(name)
        var proof = try Proof<Fr>(decoding: bytes, verificationKey: key)
        let info = key.circuit.tensors[key.circuit.output]
        proof.publicOutput[0] = proof.publicOutput[0] == info.maximum ? proof.publicOutput[0] - 1 : proof.publicOutput[0] + 1
        #expect(throws: VerificationError.self) { try Verifier.verify(proof, verificationKey: key, field: Fr.self) }
    }

    /// A proof is bound to its model: verifying one model's proof under another's key fails.
    @Test func aProofDoesNotVerifyUnderAnotherModelsKey() throws {
        let (mlpKey, _, _) = try Self.load("mlp")
        let (_, cnnProof, _) = try Self.load("cnn_maxpool")
        var rejected = false
        if let proof = try? Proof<Fr>(decoding: cnnProof, verificationKey: mlpKey) {
            do { try Verifier.verify(proof, verificationKey: mlpKey, field: Fr.self) } catch { rejected = true }
        } else {
            rejected = true
        }
        #expect(rejected)
    }
}
