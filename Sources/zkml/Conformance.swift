import Foundation
import ZKCompiler
import ZKField
import ZKModel
import ZKNodeCore
import ZKONNX
import ZKProver
import ZKSetup
import ZKVerifier

// `zkml conformance`: ONNX's own backend test cases (a directory per case holding `model.onnx`
// and `test_data_set_0/{input,output}_N.pb`) run through the importer, the float executor, the
// compiler, integer inference and the prover. The checks, tolerances and caps are documented in
// docs/conformance.md; this file is the runner and its Codable report.

/// What happened to one case.
enum ConformanceStatus: String, Codable, CaseIterable, Sendable {
    /// Every applicable check passed: float, quantized and proof.
    case passed
    /// The float check passed; the quantized check or the proof did not apply (`reason` says why).
    case floatOnly = "float-only"
    /// A check failed (`failed_check` says which, `reason` why).
    case failed
    /// The importer (or the test-data decoder) refuses the model: an operator or a type we lack.
    case unsupported
    /// Not run: a file above the size cap, or no test data.
    case skipped
}

/// One case's result.
struct ConformanceCase: Codable, Sendable {
    var suite: String
    var name: String
    var status: ConformanceStatus
    /// Why the case did not pass (absent for `passed`).
    var reason: String?
    /// The check that failed: `import` (model.onnx is not a model), `data` (the test data does not
    /// decode), `float`, `quantized`, `proof`.
    var failedCheck: String?
    /// The ONNX operators the importer lacks (for `unsupported`).
    var unsupportedOperators: [String]?
    /// How the graph inputs were bound at import (see ``ConformanceRunner/Binding``).
    var binding: String?
    /// How they were bound for the quantized check, when that differs (`first-input-fed`: the
    /// operands after the first frozen as constants).
    var quantizedBinding: String?
    var float: FloatCheck?
    var quantized: QuantizedCheck?
    var proof: ProofCheck?
    var milliseconds: Double

    struct FloatCheck: Codable, Sendable {
        var passed: Bool
        /// The largest |actual − expected| over the float outputs (0 when every output is an integer).
        var maxAbsError: Double

        enum CodingKeys: String, CodingKey {
            case passed
            case maxAbsError = "max_abs_error"
        }
    }

    struct QuantizedCheck: Codable, Sendable {
        var passed: Bool
        var bits: Int
        var outputScale: Double
        var maxAbsError: Double
        /// The allowed per-element error: 2 · output scale + relative share · max |expected|.
        var tolerance: Double
        var saturated: Int

        enum CodingKeys: String, CodingKey {
            case passed, bits, tolerance, saturated
            case outputScale = "output_scale"
            case maxAbsError = "max_abs_error"
        }
    }

    struct ProofCheck: Codable, Sendable {
        var verified: Bool
        var relations: Int
        var estimatedProveMilliseconds: Double
        var setupMilliseconds: Double?
        var proveMilliseconds: Double?
        var verifyMilliseconds: Double?
        var proofBytes: Int?

        enum CodingKeys: String, CodingKey {
            case verified, relations
            case estimatedProveMilliseconds = "estimated_prove_ms"
            case setupMilliseconds = "setup_ms"
            case proveMilliseconds = "prove_ms"
            case verifyMilliseconds = "verify_ms"
            case proofBytes = "proof_bytes"
        }
    }

    enum CodingKeys: String, CodingKey {
        case suite, name, status, reason, binding, float, quantized, proof
        case failedCheck = "failed_check"
        case quantizedBinding = "quantized_binding"
        case unsupportedOperators = "unsupported_operators"
        case milliseconds = "ms"
    }
}

/// Per suite: how many cases reached each stage.
struct ConformanceSuiteSummary: Codable, Sendable {
    var suite: String
    var path: String
    var total = 0
    /// Imported (everything but `unsupported` and `skipped`).
    var supported = 0
    var floatPassed = 0
    /// Quantized, proven and verified (`passed`).
    var proven = 0
    var floatOnly = 0
    var failed = 0
    var unsupported = 0
    var skipped = 0
    /// How many cases each missing operator blocks, most first.
    var missingOperators: [OperatorCount] = []

    struct OperatorCount: Codable, Sendable {
        var op: String
        var cases: Int
    }

    enum CodingKeys: String, CodingKey {
        case suite, path, total, supported, proven, failed, unsupported, skipped
        case floatPassed = "float_passed"
        case floatOnly = "float_only"
        case missingOperators = "missing_operators"
    }

    init(suite: String, path: String, cases: [ConformanceCase]) {
        self.suite = suite
        self.path = path
        var missing: [String: Int] = [:]
        for item in cases {
            total += 1
            switch item.status {
            case .passed: proven += 1
            case .floatOnly: floatOnly += 1
            case .failed: failed += 1
            case .unsupported: unsupported += 1
            case .skipped: skipped += 1
            }
            if item.status != .unsupported && item.status != .skipped { supported += 1 }
            if item.float?.passed == true { floatPassed += 1 }
            for op in item.unsupportedOperators ?? [] { missing[op, default: 0] += 1 }
        }
        missingOperators = missing.map { OperatorCount(op: $0.key, cases: $0.value) }
            .sorted { ($0.cases, $1.op) > ($1.cases, $0.op) }
    }
}

/// `zkml conformance --json`.
struct ConformanceReport: Codable, Sendable {
    var toolVersion: String
    var settings: ConformanceSettings
    var suites: [ConformanceSuiteSummary]
    var cases: [ConformanceCase]

    enum CodingKeys: String, CodingKey {
        case settings, suites, cases
        case toolVersion = "tool_version"
    }
}

/// The checks' parameters, as run.
struct ConformanceSettings: Codable, Sendable {
    var bits: Int
    var floatRelativeTolerance: Double
    var floatAbsoluteTolerance: Double
    /// The quantized tolerance per element: `2 · output scale + quantizedRelativeShare · max|expected|`.
    var quantizedRelativeShare: Double
    var maxFileBytes: Int
    var maxEstimatedProveMilliseconds: Double

    enum CodingKeys: String, CodingKey {
        case bits
        case floatRelativeTolerance = "float_rtol"
        case floatAbsoluteTolerance = "float_atol"
        case quantizedRelativeShare = "quantized_relative_share"
        case maxFileBytes = "max_file_bytes"
        case maxEstimatedProveMilliseconds = "max_estimated_prove_ms"
    }

    /// The relative share of the quantized tolerance at `bits`: 1 %, or 16 quantization steps of
    /// the full-scale output when that is more (narrow widths: 6.25 % at 8 bits).
    static func quantizedShare(bits: Int) -> Double { max(0.01, 16 / Double(1 << bits)) }
}

/// Runs one case directory through every check (see docs/conformance.md).
struct ConformanceRunner {
    var settings: ConformanceSettings

    /// How graph inputs are bound at import, tried in order until the model imports: ONNX's
    /// runner feeds every input, but the compiler wants shapes and other integer operands
    /// (Reshape's shape, Clip's bounds) as constants, as an exporter writes them.
    enum Binding: String, CaseIterable {
        /// Integer inputs frozen to their test values; float inputs fed.
        case integersFrozen = "integers-frozen"
        /// Only the first input fed (float operands such as Clip bounds frozen too).
        case firstInputFed = "first-input-fed"
        /// Every input frozen: the whole graph is computed at import.
        case allFrozen = "all-frozen"
    }

    /// What each lookup-table row adds to the proving time (release build, 2 cores), on top of
    /// ``ProvingCostEstimate``, which counts the looked-up values but not the table side: at 16
    /// bits an activation table has 2^16 rows and dominates the proof of a small case (measured: a
    /// 16-bit Sigmoid case proves in about 250 ms, a 12-bit one in 16 ms).
    static let tableRowMicroseconds = 4.0

    /// A case that ends early, with its status and reason.
    struct Stop: Error {
        var status: ConformanceStatus
        var reason: String
        var check: String?
        var unsupportedOperators: [String]?
    }

    func run(directory: String, suite: String) -> ConformanceCase {
        let name = URL(fileURLWithPath: directory).lastPathComponent
        var result = ConformanceCase(suite: suite, name: name, status: .failed, milliseconds: 0)
        let clock = ContinuousClock()
        let start = clock.now
        do {
            try run(directory: directory, into: &result)
        } catch let stop as Stop {
            result.status = stop.status
            result.reason = stop.reason
            result.failedCheck = stop.check
            result.unsupportedOperators = stop.unsupportedOperators
        } catch {
            result.status = .failed
            result.reason = "\(error)"
        }
        result.milliseconds = milliseconds(clock.now - start)
        return result
    }

    private func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }

    /// The `input_N.pb` (or `output_N.pb`) files of `data`, N = 0, 1, … until one is missing.
    private func tensorFiles(_ data: String, _ prefix: String) -> [String] {
        var paths: [String] = []
        while true {
            let path = "\(data)/\(prefix)_\(paths.count).pb"
            guard FileManager.default.fileExists(atPath: path) else { return paths }
            paths.append(path)
        }
    }

    private func run(directory: String, into result: inout ConformanceCase) throws {
        let modelPath = directory + "/model.onnx"
        let data = directory + "/test_data_set_0"
        let cap = settings.maxFileBytes
        guard let modelSize = fileSize(modelPath) else { throw Stop(status: .skipped, reason: "no model.onnx") }
        guard modelSize <= cap else {
            throw Stop(status: .skipped, reason: "model.onnx is \(modelSize) bytes, above the \(cap >> 20) MiB cap")
        }
        let inputFiles = tensorFiles(data, "input"), outputFiles = tensorFiles(data, "output")
        guard !outputFiles.isEmpty else { throw Stop(status: .skipped, reason: "no test_data_set_0/output_0.pb") }
        for path in inputFiles + outputFiles {
            if let size = fileSize(path), size > cap {
                throw Stop(status: .skipped, reason: "\(URL(fileURLWithPath: path).lastPathComponent) is \(size) bytes, above the \(cap >> 20) MiB cap")
            }
        }

        // The declared inputs first: a sequence or optional input makes the test data other
        // messages than TensorProto.
        let declared: [ValueInfo]
        do { declared = try ONNXImporter().declaredInputs(contentsOf: modelPath) } catch {
            throw importStop(error)
        }
        // Outputs other than tensors (sequences, optionals) have test data in other messages.
        do {
            for (name, kind) in try ONNXImporter().declaredOutputKinds(contentsOf: modelPath)
            where kind != .tensor && kind != .unknown {
                throw Stop(status: .unsupported, reason: "output '\(name)' is a \(kind.rawValue), not a tensor")
            }
        } catch let stop as Stop {
            throw stop
        } catch {
            throw importStop(error)
        }
        let limits = TensorProtoFile.Limits(maxBytes: cap, maxElements: cap)
        func load(_ path: String) throws -> TensorValue {
            do { return try TensorProtoFile(contentsOf: path, limits: limits).value } catch {
                let file = URL(fileURLWithPath: path).lastPathComponent
                switch error {
                case .unsupportedType, .externalData:
                    throw Stop(status: .unsupported, reason: "test data \(file): \(error)")
                case .tooLarge:
                    throw Stop(status: .skipped, reason: "test data \(file): \(error)")
                default:
                    throw Stop(status: .failed, reason: "test data \(file) does not decode: \(error)", check: "data")
                }
            }
        }
        let inputs = try inputFiles.map(load)
        let expected = try outputFiles.map(load)

        // Import, binding the inputs the first way that imports.
        func importModel(_ binding: Binding) throws -> (graph: ModelGraph, feeds: [String: FloatTensor], binding: Binding) {
            var constants: [String: TensorValue] = [:], feeds: [String: FloatTensor] = [:], shapes: [String: [Int]] = [:]
            for (index, (info, value)) in zip(declared, inputs).enumerated() {
                let frozen = switch binding {
                case .integersFrozen: value.elementType.isInteger
                case .firstInputFed: index > 0 || value.elementType.isInteger
                case .allFrozen: true
                }
                if frozen {
                    constants[info.name] = value
                } else {
                    feeds[info.name] = value.floatTensor
                    shapes[info.name] = value.shape
                }
            }
            let options = ONNXImporter.Options(maxModelBytes: cap, inputShapes: shapes, constantInputs: constants)
            return (try ONNXImporter(options: options).importModel(contentsOf: modelPath).graph, feeds, binding)
        }
        var imported: (graph: ModelGraph, feeds: [String: FloatTensor], binding: Binding)?
        var firstError: (any Error)?
        for binding in Binding.allCases {
            do {
                imported = try importModel(binding)
                break
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        guard let (graph, feeds, binding) = imported else { throw importStop(firstError) }
        result.binding = binding.rawValue

        // Float check.
        let outputs: [String: FloatTensor]
        do { outputs = try FloatExecutor(graph: graph).run(feeds) } catch {
            result.float = .init(passed: false, maxAbsError: .infinity)
            throw Stop(status: .failed, reason: "the float executor failed: \(error)", check: "float")
        }
        guard graph.outputs.count == expected.count else {
            result.float = .init(passed: false, maxAbsError: .infinity)
            throw Stop(status: .failed, reason: "the model has \(graph.outputs.count) outputs, the test data \(expected.count)", check: "float")
        }
        var maxFloatError = 0.0
        for (index, (info, want)) in zip(graph.outputs, expected).enumerated() {
            if let problem = compareFloat(outputs[info.name], want, output: index, maxError: &maxFloatError) {
                result.float = .init(passed: false, maxAbsError: maxFloatError)
                throw Stop(status: .failed, reason: problem, check: "float")
            }
        }
        result.float = .init(passed: true, maxAbsError: maxFloatError)

        // Quantized check: one float input, one float output, and a model the compiler takes. A
        // case whose other operands are inputs too (Gemm's B, Conv's W, Add's second term) is
        // compiled with them frozen to their test values, as weights and constants, the way an
        // exporter writes them: the compiler proves a model of one input.
        var quantizedGraph = graph, quantizedFeeds = feeds
        if graph.inputs.count > 1, binding == .integersFrozen {
            do {
                (quantizedGraph, quantizedFeeds, _) = try importModel(.firstInputFed)
                result.quantizedBinding = Binding.firstInputFed.rawValue
            } catch {
                throw Stop(status: .floatOnly, reason: "with the operands after the first frozen, the model does not import: \(error)")
            }
        }
        guard quantizedGraph.inputs.count == 1, let input = quantizedGraph.inputs.first, let feed = quantizedFeeds[input.name] else {
            let why = quantizedGraph.inputs.isEmpty
                ? "no input left after import (every input frozen)" : "\(quantizedGraph.inputs.count) inputs (the compiler takes one)"
            throw Stop(status: .floatOnly, reason: why)
        }
        guard input.elementType.isFloatingPoint else { throw Stop(status: .floatOnly, reason: "the input is \(input.elementType)") }
        guard quantizedGraph.outputs.count == 1 else {
            throw Stop(status: .floatOnly, reason: "\(quantizedGraph.outputs.count) outputs (the compiler proves one)")
        }
        // An integer output is checked only when the compiler proves exact integers there: an
        // index (a proven ArgMax, scale 1, or the verifier's argmax of the proven scores).
        let integerOutput = !expected[0].elementType.isFloatingPoint
        guard !integerOutput || quantizedGraph.nodes.contains(where: { node in
            if case .argMax = node.op { return node.outputs == [quantizedGraph.outputs[0].name] } else { return false }
        }) else {
            throw Stop(status: .floatOnly, reason: "the output is \(expected[0].elementType)")
        }
        let compiled: CompiledModel
        do { compiled = try ModelBuild.compile(graph: quantizedGraph, calibrationRows: [feed.values], bits: settings.bits) } catch {
            throw Stop(status: .floatOnly, reason: "does not compile: \(error)")
        }
        guard !integerOutput || compiled.outputPostprocessing == .argmax
                || (compiled.outputPostprocessing == .none && compiled.outputScale == 1) else {
            throw Stop(status: .floatOnly, reason: "the output is \(expected[0].elementType), which the compiled model does not prove exactly")
        }
        let inference: IntegerInference
        do { inference = try compiled.run(input: feed.values) } catch {
            throw Stop(status: .failed, reason: "integer inference failed: \(error)", check: "quantized")
        }
        let want = expected[0].floatTensor.values.map(Double.init)
        guard inference.output.count == want.count else {
            throw Stop(
                status: .failed, reason: "the quantized output has \(inference.output.count) values, expected \(want.count)",
                check: "quantized")
        }
        let largest = want.reduce(0) { max($0, abs($1)) }
        // Integers (an index) must be exact; ties are decided on the quantized input.
        let tolerance = integerOutput ? 0 : 2 * compiled.outputScale + ConformanceSettings.quantizedShare(bits: settings.bits) * largest
        var maxQuantizedError = 0.0, worst = 0
        for (index, (q, e)) in zip(inference.output, want).enumerated() where !(abs(q - e) <= maxQuantizedError) {
            maxQuantizedError = abs(q - e).isNaN ? .infinity : abs(q - e)
            worst = index
        }
        let saturated = inference.inputSaturated + inference.saturation.reduce(0, +)
        let passed = maxQuantizedError <= tolerance
        result.quantized = .init(
            passed: passed, bits: settings.bits, outputScale: compiled.outputScale, maxAbsError: maxQuantizedError,
            tolerance: tolerance, saturated: saturated)
        guard passed else {
            throw Stop(
                status: .failed,
                reason: "quantized output[\(worst)] = \(inference.output[worst]), expected \(want[worst]) "
                    + "(|error| \(maxQuantizedError) > tolerance \(tolerance); \(saturated) values saturated)",
                check: "quantized")
        }

        // Proof: only circuits whose estimated proving time is under the cap.
        let estimate: ProvingCostEstimate
        do { estimate = try ProvingCostEstimate(circuit: compiled.circuit) } catch {
            throw Stop(status: .failed, reason: "no commitment parameters for the circuit: \(error)", check: "proof")
        }
        let tableRows = compiled.circuit.tables.reduce(0) { $0 + $1.rowCount }
        let estimatedMilliseconds = estimate.proveMilliseconds + Self.tableRowMicroseconds * Double(tableRows) / 1000
        var proofCheck = ConformanceCase.ProofCheck(
            verified: false, relations: compiled.circuit.relations.count, estimatedProveMilliseconds: estimatedMilliseconds)
        result.proof = proofCheck
        guard estimatedMilliseconds <= settings.maxEstimatedProveMilliseconds else {
            throw Stop(
                status: .floatOnly,
                reason: "quantized check passed; not proven: estimated proving time \(Int(estimatedMilliseconds)) ms "
                    + "is above the \(Int(settings.maxEstimatedProveMilliseconds)) ms cap")
        }
        do {
            let (pk, setupTime) = try timed { try Setup.run(model: compiled, field: Fr.self) }
            let (proof, proveTime) = try timed { try Prover.prove(provingKey: pk, witness: inference.witness) }
            let vk = pk.verificationKey
            let bytes = proof.encoded()
            let (_, verifyTime) = try timed {
                try Verifier.verify(try Proof<Fr>(decoding: bytes, verificationKey: vk), verificationKey: vk, field: Fr.self)
            }
            let statement = try ProofStatement(proof: proof, verificationKey: vk)
            guard statement.outputIntegers == inference.outputIntegers else {
                throw Stop(status: .failed, reason: "the proof states other output integers than the inference", check: "proof")
            }
            proofCheck.verified = true
            proofCheck.setupMilliseconds = milliseconds(setupTime)
            proofCheck.proveMilliseconds = milliseconds(proveTime)
            proofCheck.verifyMilliseconds = milliseconds(verifyTime)
            proofCheck.proofBytes = bytes.count
            result.proof = proofCheck
        } catch let stop as Stop {
            throw stop
        } catch {
            throw Stop(status: .failed, reason: "\(error)", check: "proof")
        }
        result.status = .passed
    }

    /// An import refusal as a case result: `unsupported`, with the operators the importer lacks.
    private func importStop(_ error: (any Error)?) -> Stop {
        guard let error else { return Stop(status: .unsupported, reason: "the model does not import") }
        if case ONNXImportError.unsupportedNodes(let nodes) = error {
            let ops = Array(Set(nodes.map { $0.domain.isEmpty ? $0.opType : "\($0.domain).\($0.opType)" })).sorted()
            let hints = nodes.map { "\($0.opType): \($0.hint)" }
            return Stop(
                status: .unsupported, reason: "unsupported: " + Array(Set(hints)).sorted().joined(separator: "; "),
                unsupportedOperators: ops)
        }
        let reason = "\(error)".replacingOccurrences(of: "\n", with: " ")
        switch error {
        case ONNXImportError.malformedProtobuf, ONNXImportError.unreadableFile, ONNXImportError.missingGraph:
            // Not a model the importer lacks something for: a file that is not a model at all.
            return Stop(status: .failed, reason: reason, check: "import")
        default:
            return Stop(status: .unsupported, reason: reason)
        }
    }

    /// Compares one output with ONNX's backend tolerance (float outputs) or exactly (integer and
    /// bool outputs); returns why it differs, or `nil`.
    private func compareFloat(_ actual: FloatTensor?, _ expected: TensorValue, output: Int, maxError: inout Double) -> String? {
        guard let actual else { return "output \(output) was not computed" }
        guard actual.shape == expected.shape else {
            return "output \(output) has shape \(actual.shape), expected \(expected.shape)"
        }
        if let integers = expected.integerValues, expected.elementType.isInteger {
            for (index, (a, e)) in zip(actual.values, integers).enumerated() where Double(a) != Double(e) {
                return "output \(output)[\(index)] = \(a), expected \(e) (\(expected.elementType), exact)"
            }
            return nil
        }
        let rtol = settings.floatRelativeTolerance, atol = settings.floatAbsoluteTolerance
        for (index, (a, e)) in zip(actual.values.map(Double.init), expected.floatTensor.values.map(Double.init)).enumerated() {
            if a == e || (a.isNaN && e.isNaN) { continue }
            let error = abs(a - e)
            maxError = max(maxError, error.isNaN ? .infinity : error)
            if !(error <= atol + rtol * abs(e)) {
                return "output \(output)[\(index)] = \(a), expected \(e) (|error| \(error) > \(atol) + \(rtol)·|expected|)"
            }
        }
        return nil
    }
}
