import ZKField
import ZKProver
import ZKSetup
import ZKVerifier
import ZKWire

/// The proof decoder followed by the verifier, `Proof<Fr>(decoding:verificationKey:)` then
/// `Verifier.verify`, against each honest key of ``FuzzExample/all`` in turn: what `zkml verify`
/// and a full node do with a proof from the outside.
///
/// Beyond "never traps": a decoded proof re-encodes to a proof that decodes equal; and a proof
/// the verifier accepts must state the output that integer inference gives for its input (an
/// accepted proof of any other output is a forgery).
public enum ProofTarget {
    public static let name = "proof"

    public static func run(_ bytes: [UInt8]) {
        guard bytes.count <= FuzzTargets.maximumInputSize else { return }
        for example in FuzzExample.all {
            let key = example.verificationKey
            let proof: Proof<Fr>
            do { proof = try Proof<Fr>(decoding: bytes, verificationKey: key) } catch { continue }
            do {
                guard try Proof<Fr>(decoding: proof.encoded(), verificationKey: key) == proof else {
                    fuzzFailure("a proof changes when encoded and decoded again (key \(example.name))")
                }
            } catch {
                fuzzFailure("a decoded proof re-encodes to bytes that do not decode (key \(example.name)): \(error)")
            }
            do { try Verifier.verify(proof, verificationKey: key, field: Fr.self) } catch { continue }
            if let output = example.output(forInput: proof.publicInput), output != proof.publicOutput {
                fuzzFailure("the verifier accepted output \(proof.publicOutput) for key \(example.name); inference gives \(output)")
            }
        }
    }
}
