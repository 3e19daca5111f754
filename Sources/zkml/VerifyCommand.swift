import ArgumentParser
import Foundation
import ZKField
import ZKSodium
import ZKVerifier
import ZKWire

extension ZKMLCommand {
    struct Verify: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Verify a proof against a verification key and print what was proven.",
            discussion: """
                A key that came with the proof (such as the PROOF.vk that `zkml prove` writes) proves \
                nothing until its model id is compared with one from a trusted source: pass that id as \
                --expect-model-id.

                Exit status: 0 the proof is valid; 1 it is rejected, or the key is another model's than \
                --expect-model-id; 2 the proof or the key could not be read (a missing file, a malformed \
                key, a file that is not a zkml proof of this format) or --expect-model-id is malformed. \
                With --json every outcome prints one JSON object, with `error.code` for a failure \
                (README, "zkml verify --json").
                """)

        @Argument(help: "The proof file.") var proof: String
        @Option(name: .long, help: "The verification key.") var vk: String
        @Option(name: .customLong("expect-model-id"), help: ArgumentHelp(
            "Reject the key unless its model id is this one (64 hex digits, from a trusted source).",
            valueName: "hex"))
        var expectModelID: String?
        @OptionGroup var output: JSONOutput
        var json: Bool { output.json }

        func execute() throws {
            var report = VerifyReport()
            do {
                let expected = try expectModelID.map(parseModelID)
                let verificationKey = try readVerificationKey(vk)
                report.modelID = verificationKey.modelID.description
                if let expected { try verificationKey.requireModelID(expected) }
                let decoded = try readProof(proof, for: verificationKey)
                let clock = ContinuousClock()
                var rejection: VerificationError?
                let elapsed = clock.measure {
                    do throws(VerificationError) {
                        try Verifier.verify(decoded, verificationKey: verificationKey, field: Fr.self)
                    } catch {
                        rejection = error
                    }
                }
                report.verifyMilliseconds = milliseconds(elapsed)
                if let rejection { throw rejection }
                report.record(try ProofStatement(proof: decoded, verificationKey: verificationKey))
            } catch {
                throw ReportedError(underlying: error, report: report)
            }
            if json {
                printJSON(report)
            } else {
                print("VALID proof (\(report.verifyMilliseconds ?? 0) ms)")
                for line in report.details { print(line) }
            }
        }

        /// `--expect-model-id`: 64 hex digits.
        func parseModelID(_ text: String) throws -> Digest32 {
            guard let id = Digest32(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw UsageError(
                    "--expect-model-id must be a model id: 64 hex digits (got \"\(text)\")", code: "malformed_model_id")
            }
            return id
        }

        func readVerificationKey(_ path: String) throws -> VerificationKey {
            guard let bytes = readBytes(atPath: path) else {
                throw UsageError("cannot read the verification key \(path)", code: "unreadable_file")
            }
            let key: VerificationKey
            do { key = try VerificationKey(decoding: bytes) } catch {
                throw UsageError("\(path) is not a verification key: \(error)", code: "malformed_key", reason: error.code)
            }
            try requireSecurityFloor(key, path: path)
            do { _ = try key.interface?.outputPostprocessing() } catch {
                throw UsageError("\(path): \(error)", code: "malformed_key")
            }
            return key
        }

        /// The proof, decoded for `key`. A file that is not a zkml proof of this format is
        /// unusable (exit 2); a proof of this format that does not decode for this key is
        /// rejected (exit 1): another model's proof, or a damaged one.
        func readProof(_ path: String, for key: VerificationKey) throws -> Proof<Fr> {
            guard let bytes = readBytes(atPath: path) else {
                throw UsageError("cannot read the proof \(path)", code: "unreadable_file")
            }
            guard bytes.count >= 6, Array(bytes.prefix(4)) == Array("ZKPF".utf8) else {
                throw UsageError("\(path) is not a zkml proof (no ZKPF header)", code: "not_a_proof")
            }
            let version = UInt16(bytes[4]) | UInt16(bytes[5]) << 8
            guard version == Proof<Fr>.formatVersion else {
                throw UsageError(
                    "\(path) is a proof of format v\(version); zkml \(toolVersion) reads v\(Proof<Fr>.formatVersion)",
                    code: "unsupported_proof_format")
            }
            do { return try Proof<Fr>(decoding: bytes, verificationKey: key) } catch {
                let rejection = VerificationError.malformedProof(error)
                throw Failure(
                    status: Failure.rejected, code: rejection.code, reason: rejection.reason,
                    message: "the proof does not match this verification key (another model's proof, or a damaged one): \(error)")
            }
        }
    }
}
