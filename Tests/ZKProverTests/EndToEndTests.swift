import Testing
import ZKCircuit
import ZKField
import ZKLookup
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

@Suite("Prove and verify")
struct EndToEndTests {
    static func setUp(
        sizes: [Int], stream: UInt64, adviceTransport: AdviceTransport? = nil
    ) throws -> (ProvingKey<Fr>, Witness) {
        var rng = SeededGenerator.forTest(stream: stream)
        let (circuit, known) = ExampleCircuits.mlp(sizes: sizes, using: &rng)
        let pk = try Setup.run(circuit: circuit, known: known, adviceTransport: adviceTransport, field: Fr.self)
        let witness = try WitnessBuilder.build(circuit: circuit, known: known)
        #expect(CircuitChecker.check(circuit, witness) == nil)
        return (pk, witness)
    }

    @Test(arguments: [[8, 4], [20, 12, 5], [33, 17, 9, 3]], AdviceTransport.allCases)
    func honestProofsVerify(sizes: [Int], transport: AdviceTransport) throws {
        let (pk, witness) = try Self.setUp(sizes: sizes, stream: UInt64(sizes.count), adviceTransport: transport)
        #expect(pk.verificationKey.adviceTransport == transport)
        let proof = try Prover.prove(provingKey: pk, witness: witness)
        try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        let decoded = try Proof<Fr>(decoding: proof.encoded(), verificationKey: pk.verificationKey)
        #expect(decoded == proof)
    }
}

@Suite("Tampering")
struct QuickTamperTests {
    @Test func changedOutputIsRejected() throws {
        let (pk, witness) = try EndToEndTests.setUp(sizes: [20, 12, 5], stream: 7)
        var proof = try Prover.prove(provingKey: pk, witness: witness)
        proof.publicOutput[0] += 1
        // The transcript changes from its first absorb; the lookup argument sees it at depth 1.
        #expect(throws: VerificationError.lookupFailed(.layerMismatch(depth: 1))) {
            try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        }
    }
}
