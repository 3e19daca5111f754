import Testing
import ZKCircuit
import ZKField
import ZKProver
import ZKSetup
import ZKVerifier
import ZKSodium
import ZKWire

/// The verifier-side reading of a proof (``ProofStatement``), the expected-model check, and the
/// stable codes of rejections.
@Suite("Proof statement")
struct ProofStatementTests {
    @Test func theStatementIsReadFromTheKeyAndTheProof() throws {
        let (pk, witness) = try EndToEndTests.setUp(sizes: [8, 4], stream: 31)
        let proof = try Prover.prove(provingKey: pk, witness: witness)
        let vk = pk.verificationKey
        let statement = try ProofStatement(proof: proof, verificationKey: vk)
        #expect(statement.modelID == vk.modelID)
        #expect(statement.inputIntegers == proof.publicInput)
        #expect(statement.outputIntegers == proof.publicOutput)
        // Without an interface the output is the integers themselves.
        #expect(statement.output == proof.publicOutput.map(Double.init))
        #expect(statement.postprocessing == .none)
    }

    @Test func theInputHashIsBlake2bOfLittleEndianIntegers() {
        let bytes: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0xff, count: 8)
        #expect(ProofStatement.inputHash(of: [1, -1]) == Blake2b.hash256(bytes))
    }

    @Test func theInterfaceDequantizesAndAppliesSoftmax() throws {
        var interface = ModelInterface(
            inputName: "x", inputShape: [1, 2], inputScale: 0.5, outputName: "y", outputShape: [1, 2],
            outputScale: 0.25, postprocessing: "none")
        #expect(try interface.dequantizeOutput([4, -8]) == [1, -2])
        interface.postprocessing = "softmax"
        let probabilities = try interface.dequantizeOutput([4, 4])
        #expect(probabilities == [0.5, 0.5])
        interface.postprocessing = "argmax"
        #expect(try interface.dequantizeOutput([3, 7, 7, -1]) == [1])
        interface.postprocessing = "top-k"
        #expect(throws: UnknownPostprocessingError(name: "top-k")) { try interface.dequantizeOutput([1]) }
    }

    @Test func anotherModelsKeyIsRejected() throws {
        let (first, _) = try EndToEndTests.setUp(sizes: [8, 4], stream: 32)
        let (second, _) = try EndToEndTests.setUp(sizes: [8, 4], stream: 33)
        let a = first.verificationKey, b = second.verificationKey
        try a.requireModelID(a.modelID)
        #expect(throws: ModelIDMismatch(expected: a.modelID, found: b.modelID)) { try b.requireModelID(a.modelID) }
        #expect(ModelIDMismatch(expected: a.modelID, found: b.modelID).code == "wrong_model")
    }

    @Test func modelIDsParseFromHex() {
        let id = Blake2b.hash256(Array("model".utf8))
        #expect(Digest32(hex: id.description) == id)
        #expect(Digest32(hex: id.description.uppercased()) == id)
        #expect(Digest32(hex: String(id.description.dropLast())) == nil)
        #expect(Digest32(hex: String(id.description.dropLast()) + "g") == nil)
        #expect(Digest32(hex: "") == nil)
    }

    @Test func rejectionsHaveStableCodes() throws {
        let (pk, witness) = try EndToEndTests.setUp(sizes: [8, 4], stream: 34)
        var proof = try Prover.prove(provingKey: pk, witness: witness)
        proof.publicOutput[0] = 1 << 40
        do {
            try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
            Issue.record("an output out of range was accepted")
        } catch {
            #expect(error.code == "public_value_out_of_range")
            #expect(error.reason == nil)
            #expect(error.description.contains("outside the tensor's range"))
        }
        let malformed = VerificationError.malformedProof(.truncated(offset: 0, needed: 4, available: 0))
        #expect(malformed.code == "malformed_proof" && malformed.reason == "truncated")
    }
}
