import ArgumentParser
import Foundation

extension ZKMLCommand {
    struct Conformance: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "conformance",
            abstract: "Run ONNX's backend test cases: import, float check, quantized check and proof, per case.",
            discussion: """
                Each --suite is a directory of cases in ONNX's backend-test layout (CASE/model.onnx, \
                CASE/test_data_set_0/input_N.pb and output_N.pb), e.g. onnx/backend/test/data/pytorch-converted \
                of the onnx package; `bash scripts/conformance` runs all four suites. A case is passed (float \
                check, quantized check and proof), float-only (the float check passed; the reason says why it \
                was not quantized or proven), failed (the check and the reason), unsupported (the importer's \
                reason) or skipped (a file above --max-file-mb). Checks, tolerances and caps: \
                docs/conformance.md. An error in one case never stops the run.

                Exit status: 0 no case failed (with --require-pass: every selected case passed); 1 otherwise; \
                2 unusable input (a missing suite, a --only or --cases-file name that matches no case).
                """)

        @Option(name: .long, help: "A directory of test cases (repeatable).") var suite: [String] = []
        @Option(name: .long, help: "Run only this case (NAME or SUITE/NAME; repeatable).") var only: [String] = []
        @Option(name: .long, help: "Run only the cases named in FILE (one NAME or SUITE/NAME a line; # comments).")
        var casesFile: String?
        @Option(name: .long, help: "Bits of the quantized model, 8…16 (docs/conformance.md: why 12).") var bits = 12
        @Option(name: .long, help: "Prove only circuits whose estimated proving time (release build) is at most this.")
        var maxProveMs: Double = 3000
        @Option(name: .long, help: "Skip cases with a model or tensor file larger than this many MiB.") var maxFileMb = 64
        @Flag(name: .long, help: "Exit 1 unless every selected case passed (for CI subsets).") var requirePass = false
        @Option(name: .long, help: "Also write the results as Markdown (per-suite table, failures) to FILE.") var markdown: String?
        @OptionGroup var jsonOutput: JSONOutput
        var json: Bool { jsonOutput.json }

        func validate() throws {
            guard !suite.isEmpty else { throw ValidationError("give at least one --suite DIR") }
            guard (8...16).contains(bits) else { throw ValidationError("--bits must be between 8 and 16 (got \(bits))") }
            guard (1...4096).contains(maxFileMb) else { throw ValidationError("--max-file-mb must be in 1...4096") }
            guard maxProveMs >= 0, maxProveMs.isFinite else { throw ValidationError("--max-prove-ms must be a finite number ≥ 0") }
        }

        func execute() throws {
            let settings = ConformanceSettings(
                bits: bits, floatRelativeTolerance: 1e-3, floatAbsoluteTolerance: 1e-5,
                quantizedRelativeShare: ConformanceSettings.quantizedShare(bits: bits), maxFileBytes: maxFileMb << 20,
                maxEstimatedProveMilliseconds: maxProveMs)
            let selection = try selectCases()
            let runner = ConformanceRunner(settings: settings)
            var cases: [ConformanceCase] = []
            let total = selection.reduce(0) { $0 + $1.cases.count }
            for (suiteName, _, directories) in selection {
                for directory in directories {
                    if Progress.enabled {
                        let name = URL(fileURLWithPath: directory).lastPathComponent
                        FileHandle.standardError.write(Data("\r\u{1B}[K[\(cases.count + 1)/\(total)] \(suiteName)/\(name)".utf8))
                    }
                    cases.append(runner.run(directory: directory, suite: suiteName))
                }
            }
            if Progress.enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            let summaries = selection.map { suiteName, path, _ in
                ConformanceSuiteSummary(suite: suiteName, path: path, cases: cases.filter { $0.suite == suiteName })
            }
            let report = ConformanceReport(toolVersion: toolVersion.description, settings: settings, suites: summaries, cases: cases)
            if let markdown {
                do { try Data(ConformanceMarkdown.render(report).utf8).write(to: URL(fileURLWithPath: markdown), options: .atomic) } catch {
                    throw UsageError("cannot write \(markdown): \(error.localizedDescription)", code: "unwritable_file")
                }
            }
            if json {
                printJSON(report)
            } else {
                print(ConformanceMarkdown.summaryTable(summaries), terminator: "")
                let failures = cases.filter { $0.status == .failed }
                if !failures.isEmpty {
                    print("\nfailures:")
                    for item in failures { print("  \(item.suite)/\(item.name) [\(item.failedCheck ?? "case")]: \(item.reason ?? "")") }
                }
                if requirePass {
                    for item in cases where item.status != .passed && item.status != .failed {
                        print("  not passed: \(item.suite)/\(item.name) (\(item.status.rawValue)): \(item.reason ?? "")")
                    }
                }
            }
            let failed = cases.contains { $0.status == .failed }
            let incomplete = requirePass && cases.contains { $0.status != .passed }
            if failed || incomplete { throw ExitCode(Failure.rejected) }
        }

        /// The suites (name, path, case directories), filtered by --only and --cases-file. A name
        /// that matches no case is an error, so a CI list cannot silently lose cases.
        func selectCases() throws -> [(name: String, path: String, cases: [String])] {
            var wanted = only
            if let casesFile {
                guard let text = try? String(contentsOfFile: casesFile, encoding: .utf8) else {
                    throw UsageError("cannot read \(casesFile)", code: "unreadable_file")
                }
                for line in text.split(whereSeparator: \.isNewline) {
                    let name = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                        .trimmingCharacters(in: .whitespaces)
                    if !name.isEmpty { wanted.append(name) }
                }
                guard !wanted.isEmpty else { throw UsageError("\(casesFile) names no case", code: "invalid_input") }
            }
            var matched = Set<String>()
            var names = Set<String>()
            var result: [(name: String, path: String, cases: [String])] = []
            for path in suite {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
                      let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                    throw UsageError("--suite \(path) is not a readable directory", code: "unreadable_file")
                }
                var name = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
                while names.contains(name) { name += "'" }
                names.insert(name)
                let directories = entries.sorted().filter { entry in
                    guard FileManager.default.fileExists(atPath: "\(path)/\(entry)/model.onnx") else { return false }
                    guard !wanted.isEmpty else { return true }
                    let hit = wanted.filter { $0 == entry || $0 == "\(name)/\(entry)" }
                    matched.formUnion(hit)
                    return !hit.isEmpty
                }
                result.append((name, path, directories.map { "\(path)/\($0)" }))
            }
            let unknown = Set(wanted).subtracting(matched)
            guard unknown.isEmpty else {
                throw UsageError("no case named \(unknown.sorted().joined(separator: ", ")) in the suites", code: "invalid_input")
            }
            return result
        }
    }
}

/// The Markdown of a conformance report: the per-suite table, the failures with their reasons,
/// the operators that block the most cases, and the float-only reasons.
enum ConformanceMarkdown {
    static func summaryTable(_ suites: [ConformanceSuiteSummary]) -> String {
        var text = "| suite | cases | imported | float passed | proven (passed) | float-only | failed | unsupported | skipped |\n"
        text += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        var sum = [Int](repeating: 0, count: 8)
        for s in suites {
            let row = [s.total, s.supported, s.floatPassed, s.proven, s.floatOnly, s.failed, s.unsupported, s.skipped]
            for (i, v) in row.enumerated() { sum[i] += v }
            text += "| \(s.suite) | " + row.map(String.init).joined(separator: " | ") + " |\n"
        }
        if suites.count > 1 { text += "| **all** | " + sum.map { "**\($0)**" }.joined(separator: " | ") + " |\n" }
        return text
    }

    /// Escapes a reason for a table cell (one line, no pipes).
    static func cell(_ text: String) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "|", with: "\\|")
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }

    static func render(_ report: ConformanceReport) -> String {
        let s = report.settings
        var text = "## Results\n\n"
        text += "zkml \(report.toolVersion); quantized at \(s.bits) bits; float tolerance rtol \(s.floatRelativeTolerance), "
        text += "atol \(s.floatAbsoluteTolerance); quantized tolerance 2·(output scale) + \(s.quantizedRelativeShare * 100) % of max|expected|; "
        text += "files up to \(s.maxFileBytes >> 20) MiB; proofs for circuits estimated at ≤ \(Int(s.maxEstimatedProveMilliseconds)) ms.\n\n"
        text += summaryTable(report.suites)
        let failures = report.cases.filter { $0.status == .failed }
        text += "\n### Failures (\(failures.count))\n\n"
        if failures.isEmpty {
            text += "None.\n"
        } else {
            text += "| case | check | reason |\n|---|---|---|\n"
            for item in failures { text += "| \(item.suite)/\(item.name) | \(item.failedCheck ?? "case") | \(cell(item.reason ?? "")) |\n" }
        }
        let proven = report.cases.filter { $0.status == .passed }
        text += "\n### Proven cases (\(proven.count))\n\n"
        text += proven.isEmpty ? "None.\n" : proven.map { "`\($0.suite)/\($0.name)`" }.joined(separator: ", ") + "\n"
        var missing: [String: Int] = [:]
        for suite in report.suites { for entry in suite.missingOperators { missing[entry.op, default: 0] += entry.cases } }
        if !missing.isEmpty {
            text += "\n### Missing operators (cases blocked)\n\n"
            text += missing.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ") + "\n"
        }
        var otherUnsupported: [String: Int] = [:]
        for item in report.cases where item.status == .unsupported && item.unsupportedOperators == nil {
            otherUnsupported[cell(item.reason ?? ""), default: 0] += 1
        }
        if !otherUnsupported.isEmpty {
            text += "\n### Other import refusals\n\n| reason | cases |\n|---|---:|\n"
            for (reason, count) in otherUnsupported.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                text += "| \(reason) | \(count) |\n"
            }
        }
        let floatOnly = report.cases.filter { $0.status == .floatOnly }
        if !floatOnly.isEmpty {
            text += "\n### Float-only cases (\(floatOnly.count))\n\n| case | why not quantized or proven |\n|---|---|\n"
            for item in floatOnly { text += "| \(item.suite)/\(item.name) | \(cell(item.reason ?? "")) |\n" }
        }
        let skipped = report.cases.filter { $0.status == .skipped }
        if !skipped.isEmpty {
            text += "\n### Skipped (\(skipped.count))\n\n"
            for item in skipped { text += "- \(item.suite)/\(item.name): \(cell(item.reason ?? ""))\n" }
        }
        return text
    }
}
