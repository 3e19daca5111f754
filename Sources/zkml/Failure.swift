import ArgumentParser
import ZKCircuit
import ZKCompiler
import ZKONNX
import ZKProver
import ZKSetup
import ZKVerifier
import ZKNode
import ZKNodeCore
import ZKNodeProtocol

/// Why a command failed and how it says so: an exit status, a stable snake_case code (with the
/// lower layer's code as `reason` where there is one) and a message for people.
///
/// `Failure(error)` is the command's one mapping from errors to exit statuses:
/// 0 success (a valid proof), 1 a proof rejected (or a key of another model than expected; for
/// `check`, a relation that fails), 2 unusable input: a file, key, model or command line that
/// cannot be read or used, 3 an internal error (a proof that failed the prover's own check: a bug).
struct Failure: Error {
    static let rejected: Int32 = 1
    static let unusable: Int32 = 2
    static let internalError: Int32 = 3

    var status: Int32
    var code: String
    var reason: String?
    var message: String

    init(status: Int32, code: String, reason: String? = nil, message: String) {
        self.status = status
        self.code = code
        self.reason = reason
        self.message = message
    }

    init(_ error: any Error) {
        switch error {
        case let failure as Failure:
            self = failure
        case let error as UsageError:
            self.init(status: Self.unusable, code: error.code, reason: error.reason, message: error.description)
        case let error as VerificationError:
            self.init(status: Self.rejected, code: error.code, reason: error.reason, message: error.description)
        case let error as ModelIDMismatch:
            self.init(status: Self.rejected, code: error.code, message: error.description)
        case let error as UnknownPostprocessingError:
            self.init(status: Self.unusable, code: "malformed_key", message: error.description)
        case let error as DemoFailure:
            self.init(status: Self.rejected, code: "check_failed", message: error.description)
        case let error as ONNXImportError:
            self.init(status: Self.unusable, code: "import_failed", message: "cannot import the model:\n\(error)")
        case let error as CompileError:
            self.init(status: Self.unusable, code: "compile_failed", message: error.description)
        case InferenceError.input(let error):
            self.init(status: Self.unusable, code: "invalid_input", message: "the input cannot be proven: \(error)")
        case InferenceError.witness(let error):
            self.init(status: Self.unusable, code: "inference_failed", message: "integer inference failed: \(error)")
        case let error as WitnessError:
            self.init(status: Self.unusable, code: "inference_failed", message: "integer inference failed: \(error)")
        case let error as SetupError:
            self.init(status: Self.unusable, code: "setup_failed", message: "setup failed: \(error)")
        case ProvingError.selfCheckFailed(let rejection):
            self.init(
                status: Self.internalError, code: "self_check_failed", reason: rejection.code,
                message: "internal error: the proof failed its own verification (\(rejection)); no proof was written."
                    + " This is a bug in zkml: please report it with the model and the input.")
        case let error as ProvingError:
            self.init(status: Self.unusable, code: "prove_failed", message: "proving failed: \(error)")
        case let error as NodeCallError:
            switch error {
            case .refused(_, let code, let message, _): self.init(status: Self.unusable, code: code, message: "the node refused: \(message)")
            case .unreachable: self.init(status: Self.unusable, code: "unreachable", message: error.description)
            case .malformedResponse: self.init(status: Self.unusable, code: "malformed_response", message: error.description)
            }
        case let error as ConfigError:
            self.init(status: Self.unusable, code: "invalid_config", message: error.description)
        case let error as IdentityError:
            self.init(status: Self.unusable, code: error.code, message: error.description)
        case let error as ModelBuildError:
            self.init(status: Self.unusable, code: error.code, message: error.description)
        case let error as LogVerificationError:
            self.init(status: Self.rejected, code: error.code, message: "the log fails its check: \(error)")
        default:
            self.init(status: Self.unusable, code: "failed", message: "\(error)")
        }
    }
}

/// A problem with the command line, an input file, a key or a model file: exit status 2,
/// with a stable code (see ``Failure``).
struct UsageError: Error, CustomStringConvertible {
    let description: String
    /// `unreadable_file`, `unwritable_file`, `invalid_input`, `input_overflow`, `malformed_key`,
    /// `key_mismatch`, `malformed_model`, `not_a_proof`, `unsupported_proof_format`,
    /// `malformed_model_id`, `insecure_key`, `usage` (README, "Exit statuses and error codes").
    let code: String
    /// The lower layer's code (a ``WireError/code`` for a malformed file).
    let reason: String?

    init(_ description: String, code: String = "invalid_input", reason: String? = nil) {
        self.description = description
        self.code = code
        self.reason = reason
    }
}

/// The exit statuses, for the commands' help.
enum ExitStatusHelp {
    static let general = "Exit status: 0 success; 2 unusable input (an unreadable or malformed file, key, model or command line)."
}
