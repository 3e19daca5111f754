import Testing
import ZKCircuit
import ZKField
import ZKProver
import ZKSetup
import ZKVerifier

/// The prover's self-check (`zkml prove` turns it on): a proof that fails its own verification is
/// an internal error carrying the verifier's rejection, and no proof is returned.
@Suite("Prover self-check")
struct SelfCheckTests {
    @Test func anHonestProofPassesItsOwnCheck() throws {
        let (pk, witness) = try EndToEndTests.setUp(sizes: [12, 6, 3], stream: 61)
        let checked = try Prover.prove(provingKey: pk, witness: witness, selfCheck: true)
        #expect(checked == (try Prover.prove(provingKey: pk, witness: witness)))
    }

    /// A witness whose public output is off by one (as a prover bug would make it): without the
    /// self-check the prover hands out a proof the verifier rejects; with it, the same rejection
    /// comes back as `selfCheckFailed` and nothing is returned.
    @Test func aProofThatFailsItsOwnCheckIsNeverReturned() throws {
        let (pk, honest) = try EndToEndTests.setUp(sizes: [12, 6, 3], stream: 62)
        let circuit = pk.verificationKey.circuit
        var witness = honest
        let output = circuit.tensors[circuit.output]
        let slot = output.layout.slot(ofLogicalIndex: 0)
        witness.slots[circuit.output][slot] += witness.slots[circuit.output][slot] < output.maximum ? 1 : -1
        let unchecked = try Prover.prove(provingKey: pk, witness: witness)
        let rejection: VerificationError
        do {
            try Verifier.verify(unchecked, verificationKey: pk.verificationKey, field: Fr.self)
            Issue.record("the bad witness's proof verified")
            return
        } catch {
            rejection = error
        }
        #expect(throws: ProvingError.selfCheckFailed(rejection)) {
            try Prover.prove(provingKey: pk, witness: witness, selfCheck: true)
        }
    }
}
