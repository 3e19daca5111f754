import ArgumentParser
import Foundation
import ZKField
import ZKProver
import ZKSetup
import ZKVerifier

extension ZKMLCommand {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a proof against a verification key and print what was proven.",
            discussion: "Exit status: 0 the proof is valid, 1 it is not, 2 the proof or the key could not be read.")

        @Argument(help: "The proof file.") var proof: String
        @Option(name: .long, help: "The verification key.") var vk: String
        @Flag(name: .long, help: "Print machine-readable JSON.") var json = false

        func run() throws {
            guard let keyBytes = FileManager.default.contents(atPath: vk) else {
                printError("zkml verify: cannot read the verification key \(vk)")
                throw ExitCode(2)
            }
            guard let proofBytes = FileManager.default.contents(atPath: proof) else {
                printError("zkml verify: cannot read the proof \(proof)")
                throw ExitCode(2)
            }
            let key: VerificationKey
            do { key = try VerificationKey(decoding: Array(keyBytes)) } catch {
                printError("zkml verify: \(vk) is not a verification key: \(error)")
                throw ExitCode(2)
            }
            do { try requireSecurityFloor(key, path: vk) } catch let error as UsageError {
                printError("zkml verify: \(error)")
                throw ExitCode(2)
            }
            guard proofBytes.count >= 6, Array(proofBytes.prefix(4)) == Array("ZKPF".utf8) else {
                printError("zkml verify: \(proof) is not a zkml proof (no ZKPF header)")
                throw ExitCode(2)
            }
            let decoded: Proof<Fr>
            do { decoded = try Proof<Fr>(decoding: Array(proofBytes), verificationKey: key) } catch {
                // A proof file whose contents do not fit this key: another model's proof, or a damaged one.
                if json {
                    print(#"{"valid": false, "model_id": "\#(key.modelID)", "error": "the proof does not match this verification key: \#(error)"}"#)
                } else {
                    print("INVALID proof: it does not match this verification key (another model's proof, or damaged): \(error)")
                }
                throw ExitCode(1)
            }
            let clock = ContinuousClock()
            var failure: VerificationError?
            let elapsed = clock.measure {
                do throws(VerificationError) { try Verifier.verify(decoded, verificationKey: key, field: Fr.self) } catch {
                    failure = error
                }
            }
            let interface = key.interface
            var outputs = decoded.publicOutput.map { Double($0) * (interface?.outputScale ?? 1) }
            if interface?.postprocessing == "softmax" {
                let m = outputs.max() ?? 0
                let e = outputs.map { exp($0 - m) }
                let total = e.reduce(0, +)
                outputs = e.map { $0 / total }
            }
            let hash = inputHash(decoded.publicInput)
            if json {
                let valid = failure == nil
                print(#"{"valid": \#(valid), "model_id": "\#(key.modelID)", "input_hash": "\#(hash)", "proof_format": \#(Proof<Fr>.formatVersion), "tool_version": "\#(toolVersion)", "field": "\#(Fr.fieldID)", "verify_ms": \#(milliseconds(elapsed)), "output_integers": [\#(decoded.publicOutput.map(String.init).joined(separator: ", "))], "output_data": [\#(outputs.map { String($0) }.joined(separator: ", "))]\#(failure.map { #", "error": "\#($0)""# } ?? "")}"#)
            } else {
                print(failure == nil ? "VALID proof (\(milliseconds(elapsed)) ms)" : "INVALID proof: \(failure!)")
                print("  model id      \(key.modelID)")
                print("  input hash    \(hash) (\(decoded.publicInput.count) quantized values)")
                print("  output        \(outputs)\(interface?.postprocessing == "softmax" ? " (softmax applied by the verifier)" : "")")
                print("  proof format  v\(Proof<Fr>.formatVersion), field \(Fr.fieldID), zkml \(toolVersion)")
                print("  not zero-knowledge: the input and output above are public, the weights are not hidden")
            }
            if failure != nil { throw ExitCode(1) }
        }
    }
}
