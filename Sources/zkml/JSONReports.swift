import ZKField
import ZKProver
import ZKSetup
import ZKVerifier
import ZKSodium
import ZKWire

// The JSON reports of the commands' `--json` (README, "JSON output"): Codable types printed by
// `printJSON`, never assembled by hand. Every failure report has `error` (``ErrorReport``).

/// `zkml prove --json`.
struct ProveReport: FailableReport {
    var proof: String?
    var verificationKey: String?
    var modelID: String?
    /// "loaded" (the stored proving key) or "setup" (committed now).
    var provingKey: String?
    var keyMilliseconds: Double?
    var witnessMilliseconds: Double?
    /// `Prover.prove` with the self-check (unless `--skip-self-check`).
    var proveMilliseconds: Double?
    /// The part of `proveMilliseconds` spent verifying the proof before it is written (absent
    /// with `--skip-self-check`): `prove_ms − self_check_ms` is the library's `Prover.prove`,
    /// which does not check itself by default.
    var selfCheckMilliseconds: Double?
    var writeMilliseconds: Double?
    var proofBytes: Int?
    /// What the proof states, as `zkml verify` reads it.
    var inputHash: String?
    /// For a model of token ids, the ids the public input encodes (one-hot rows).
    var inputTokenIDs: [Int]?
    var outputIntegers: [Int64]?
    var outputData: [Double]?
    /// Per quantized layer, how many values the activation clamped; input entries clamped.
    var saturation: [Int]?
    var inputSaturated: Int?
    var error: ErrorReport?

    enum CodingKeys: String, CodingKey {
        case proof, saturation, error
        case verificationKey = "verification_key"
        case modelID = "model_id"
        case provingKey = "proving_key"
        case keyMilliseconds = "key_ms"
        case witnessMilliseconds = "witness_ms"
        case proveMilliseconds = "prove_ms"
        case selfCheckMilliseconds = "self_check_ms"
        case writeMilliseconds = "write_ms"
        case proofBytes = "proof_bytes"
        case inputHash = "input_hash"
        case inputTokenIDs = "input_token_ids"
        case outputIntegers = "output_integers"
        case outputData = "output_data"
        case inputSaturated = "input_saturated"
    }

    mutating func fail(_ error: ErrorReport) { self = ProveReport(error: error) }
}

/// `zkml run --json`.
struct RunReport: Encodable {
    /// The dequantized output, one row (EZKL's `output_data` shape).
    var outputData: [[Double]]
    var outputIntegers: [Int64]
    /// The hash a proof of this inference will carry (``ProofStatement/inputHash(of:)``).
    var inputHash: String
    var saturation: [Int]
    var inputSaturated: Int

    enum CodingKeys: String, CodingKey {
        case saturation
        case outputData = "output_data"
        case outputIntegers = "output_integers"
        case inputHash = "input_hash"
        case inputSaturated = "input_saturated"
    }
}

/// `zkml bench --json`.
struct BenchReport: Encodable {
    struct Layer: Encodable {
        var layer: String
        var op: String
        var shape: [Int]
        var witnessValues: Int
        var proveMilliseconds: Double

        enum CodingKeys: String, CodingKey {
            case layer, op, shape
            case witnessValues = "witness_values"
            case proveMilliseconds = "prove_ms"
        }
    }

    var model: String
    var layers: [Layer]
    var compileMilliseconds: Double
    var setupMilliseconds: Double
    var witnessMilliseconds: Double
    var proveMilliseconds: Double
    var verifyMilliseconds: Double
    var proofBytes: Int
    var peakMemoryMiB: Int
    /// How the proofs carry the advice: "committed" or "clear".
    var adviceTransport: String

    enum CodingKeys: String, CodingKey {
        case model, layers
        case adviceTransport = "advice_transport"
        case compileMilliseconds = "compile_ms"
        case setupMilliseconds = "setup_ms"
        case witnessMilliseconds = "witness_ms"
        case proveMilliseconds = "prove_ms"
        case verifyMilliseconds = "verify_ms"
        case proofBytes = "proof_bytes"
        case peakMemoryMiB = "peak_memory_mib"
    }
}

/// `zkml verify --json`. Every outcome has `valid`, `proof_format`, `field` and `tool_version`;
/// `model_id` once the key was read; `verify_ms` once the verifier ran. A valid proof adds what
/// it proves (`input_hash`, `input_integers`, `output_integers`, `output_data`,
/// `postprocessing`, and `input_token_ids` when the key's input is one-hot token ids); a failure
/// adds `error` and reports nothing the proof claims.
struct VerifyReport: FailableReport {
    var valid = false
    var modelID: String?
    var inputHash: String?
    var inputIntegers: [Int64]?
    var inputTokenIDs: [Int]?
    var outputIntegers: [Int64]?
    var outputData: [Double]?
    var postprocessing: String?
    var proofFormat = Proof<Fr>.formatVersion
    var field = Fr.fieldID
    var toolVersion = ToolVersion.current
    var verifyMilliseconds: Double?
    var error: ErrorReport?

    enum CodingKeys: String, CodingKey {
        case valid, field, postprocessing, error
        case modelID = "model_id"
        case inputHash = "input_hash"
        case inputIntegers = "input_integers"
        case inputTokenIDs = "input_token_ids"
        case outputIntegers = "output_integers"
        case outputData = "output_data"
        case proofFormat = "proof_format"
        case toolVersion = "tool_version"
        case verifyMilliseconds = "verify_ms"
    }

    mutating func record(_ statement: ProofStatement) {
        valid = true
        inputHash = statement.inputHash.description
        inputIntegers = statement.inputIntegers
        inputTokenIDs = statement.tokenIDs
        outputIntegers = statement.outputIntegers
        outputData = statement.output
        postprocessing = statement.postprocessing.rawValue
    }

    mutating func fail(_ error: ErrorReport) {
        valid = false
        self.error = error
        inputHash = nil
        inputIntegers = nil
        inputTokenIDs = nil
        outputIntegers = nil
        outputData = nil
        postprocessing = nil
    }

    /// A rejection (exit 1) is the command's answer, on standard output; an unusable input goes
    /// to standard error.
    func text(for failure: Failure) -> String? {
        guard failure.status == Failure.rejected else { return nil }
        return (["INVALID proof: \(failure.message)"] + details).joined(separator: "\n")
    }

    /// The lines after VALID / INVALID.
    var details: [String] {
        var lines: [String] = []
        if let modelID { lines.append("  model id      \(modelID)") }
        if let inputHash, let inputTokenIDs {
            lines.append("  input hash    \(inputHash) (\(inputTokenIDs.count) token ids, one-hot)")
            lines.append("  input         token ids \(inputTokenIDs)")
        } else if let inputHash, let inputIntegers {
            lines.append("  input hash    \(inputHash) (\(inputIntegers.count) quantized values)")
        }
        if let outputData {
            lines.append("  output        \(outputData)\(postprocessing == "softmax" ? " (softmax applied by the verifier)" : "")")
        }
        lines.append("  proof format  v\(proofFormat), field \(field), zkml \(toolVersion)")
        if valid { lines.append("  not zero-knowledge: the input and output above are public, the weights are not hidden") }
        return lines
    }
}
