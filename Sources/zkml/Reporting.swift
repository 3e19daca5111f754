import ArgumentParser
import Foundation

/// A subcommand whose failures all go through ``Failure``: `execute()` throws, and `run()`
/// prints the failure (as the JSON report under `--json`, else a message on standard error)
/// and exits with its status.
protocol ReportingCommand: ParsableCommand {
    /// Whether `--json` was given (commands without the flag keep the default, `false`).
    var json: Bool { get }
    func execute() throws
}

extension ReportingCommand {
    var json: Bool { false }

    mutating func run() throws {
        do {
            try execute()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let failure: Failure
            var report: any FailableReport
            if let reported = error as? ReportedError {
                failure = Failure(reported.underlying)
                report = reported.report
            } else {
                failure = Failure(error)
                report = FailureReport()
            }
            report.fail(ErrorReport(failure))
            if json {
                printJSON(report)
            } else if let text = report.text(for: failure) {
                print(text)
            } else {
                printError("zkml \(Self._commandName): \(failure.message)")
            }
            throw ExitCode(failure.status)
        }
    }
}

/// A JSON report that can also describe a failure: the fields found before it, and `error`.
protocol FailableReport: Encodable, Sendable {
    /// Records the failure (and drops anything a failed command must not report).
    mutating func fail(_ error: ErrorReport)
    /// The text printed for the failure without `--json`; `nil`: the message on standard error.
    func text(for failure: Failure) -> String?
}

extension FailableReport {
    func text(for failure: Failure) -> String? { nil }
}

/// An error thrown with the report a command had built so far, printed in its place.
struct ReportedError: Error {
    var underlying: any Error
    var report: any FailableReport
}

/// `"error"` in every JSON report of a failure.
struct ErrorReport: Encodable, Equatable {
    /// The stable snake_case code (README, "Exit statuses and error codes").
    var code: String
    /// The code of the lower layer's error, when there is one.
    var reason: String?
    /// What went wrong, for people.
    var message: String

    init(_ failure: Failure) {
        code = failure.code
        reason = failure.reason
        message = failure.message
    }
}

/// The report of a failed command that has no report of its own: `{"error": {...}}`.
struct FailureReport: FailableReport {
    var error: ErrorReport?
    mutating func fail(_ error: ErrorReport) { self.error = error }
}

/// Prints `value` as one line of JSON on standard output: keys sorted, slashes unescaped, and
/// non-finite numbers (which JSON cannot hold) as the strings "inf", "-inf" and "nan".
func printJSON(_ value: any Encodable) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let data: Data
    do { data = try encoder.encode(value) } catch {
        // Unreachable with the strategy above; still a valid object rather than a crash.
        data = Data(#"{"error":{"code":"internal","message":"the report could not be encoded"}}"#.utf8)
    }
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}
