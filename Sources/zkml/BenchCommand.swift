import ArgumentParser
import Foundation
import ZKCircuit
import ZKCompiler
import ZKField
import ZKProver
import ZKSetup
import ZKVerifier

extension ZKMLCommand {
    struct Bench: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Benchmark a model: proof time per layer (relation), then compile, setup, prove, verify, proof size, peak memory.",
            discussion: """
                --calibration defaults to the input. With --fidelity, measures instead how far the quantized outputs are \
                from the float model's at each of --fidelity-bits, over --samples seeded perturbations of the calibration \
                rows: max and mean absolute error, argmax agreement. \(ExitStatusHelp.general)
                """)

        @Argument(help: "The ONNX model.") var model: String
        @Argument(help: "An input (default: the calibration file's first row).") var input: String?
        @OptionGroup var calibrationOptions: CalibrationOptions
        @Option(name: .long, help: "Timed proving runs (the median is reported).") var runs = 5
        @OptionGroup var quantization: QuantizationOptions
        @OptionGroup var jsonOutput: JSONOutput
        @Option(name: .long, help: "Also draw proof time per layer as an SVG bar chart.") var svg: String?
        @Flag(name: .long, help: "Measure fidelity (quantized vs float outputs) instead of proving time.") var fidelity = false
        @Option(name: .long, help: "With --fidelity: the bit widths, comma-separated.") var fidelityBits = "8,12,16"
        @Option(name: .long, help: "With --fidelity: how many inputs (at most 100000).") var samples = 100
        @Option(name: .long, help: "With --fidelity: the seed of the inputs.") var seed: UInt64 = 1
        @Option(name: .long, help: "Compare instead the proven integers of an already-quantized model with ONNX Runtime's (an ort_integers.json file from circuits/make_quantized.py).")
        var onnxruntime: String?
        @Option(name: .long, help: "How proofs carry the advice: auto (setup's choice by size), committed (C_1) or clear. Anything but auto changes the model id.")
        var advice = "auto"
        var json: Bool { jsonOutput.json }

        func execute() throws {
            let calibration = calibrationOptions.calibration
            let calibrationFiles = calibration.isEmpty ? [input].compactMap { $0 } : calibration
            guard !calibrationFiles.isEmpty else { throw UsageError("give an input or --calibration", code: "usage") }
            if fidelity { return try reportFidelity(calibrationFiles) }
            if let onnxruntime { return try reportRuntimeAgreement(calibrationFiles, file: onnxruntime) }
            let (compiled, compileTime) = try timed {
                try compileModel(onnx: model, calibration: calibrationFiles, bits: quantization.bits)
            }
            let transport: AdviceTransport?
            switch advice {
            case "auto": transport = nil
            case "committed": transport = .committed
            case "clear": transport = .clear
            default: throw UsageError("--advice must be auto, committed or clear, not \(advice)", code: "usage")
            }
            let (pk, setupTime) = try timed {
                try Setup.run(
                    circuit: compiled.circuit, known: compiled.known, interface: compiled.interface,
                    adviceTransport: transport, field: Fr.self)
            }
            let file = try InputFile(path: input ?? calibrationFiles[0], inputName: compiled.inputName)
            let (inference, witnessTime) = try timed { try compiled.run(input: file.rows[0]) }
            var profiles: [(ProvingProfile, Duration, [UInt8])] = []
            for _ in 0..<max(1, runs) {
                var profile = ProvingProfile()
                let (proof, t) = try timed { try Prover.prove(provingKey: pk, witness: inference.witness, profile: &profile) }
                profiles.append((profile, t, proof.encoded()))
            }
            profiles.sort { $0.1 < $1.1 }
            let (profile, proveTime, bytes) = profiles[profiles.count / 2]
            let vk = pk.verificationKey
            let (_, verifyTime) = try timed {
                try Verifier.verify(try Proof<Fr>(decoding: bytes, verificationKey: vk), verificationKey: vk, field: Fr.self)
            }
            let rows = layerRows(profile, circuit: compiled.circuit)
            let peak = peakMemoryMiB()
            if json {
                printJSON(BenchReport(
                    model: model,
                    layers: rows.map {
                        BenchReport.Layer(
                            layer: $0.name, op: $0.op, shape: $0.shape, witnessValues: $0.witness,
                            proveMilliseconds: milliseconds($0.time))
                    },
                    compileMilliseconds: milliseconds(compileTime), setupMilliseconds: milliseconds(setupTime),
                    witnessMilliseconds: milliseconds(witnessTime), proveMilliseconds: milliseconds(proveTime),
                    verifyMilliseconds: milliseconds(verifyTime), proofBytes: bytes.count, peakMemoryMiB: peak,
                    adviceTransport: vk.adviceTransport.description))
            } else {
                print("layer".padding(28) + "op".padding(12) + "shape".padding(16) + "witness".padding(10) + "prove".padding(12) + "share")
                for row in rows {
                    print(row.name.padding(28) + row.op.padding(12) + "\(row.shape)".padding(16) + String(row.witness).padding(10)
                          + ms(row.time).padding(12) + "\(Int((seconds(row.time) / seconds(proveTime) * 100).rounded()))%")
                }
                print("")
                for phase in profile.phases where phase.name != "relations" {
                    print(("(" + phase.name + ")").padding(66) + ms(phase.duration).padding(12)
                          + "\(Int((seconds(phase.duration) / seconds(proveTime) * 100).rounded()))%")
                }
                print("\ncompile \(ms(compileTime)), setup \(ms(setupTime)), witness \(ms(witnessTime)), prove \(ms(proveTime)) (median of \(profiles.count)), verify \(ms(verifyTime)), proof \(bytes.count) bytes (advice \(vk.adviceTransport)), peak memory \(peak) MiB")
            }
            if let svg { try drawSVG(rows, phases: profile.phases, to: svg) }
        }

        func reportRuntimeAgreement(_ calibrationFiles: [String], file: String) throws {
            let compiled = try compileModel(onnx: model, calibration: calibrationFiles, bits: quantization.bits)
            let report = try measureRuntimeAgreement(compiled, model: model, file: file)
            if json { return printJSON(report) }
            print("\(report.inputs) inputs, \(report.outputIntegers) output integers: \(report.mismatchedIntegers) differ from onnxruntime \(report.onnxruntime) (on \(report.mismatchedInputs) inputs, by at most \(report.largestDifference))")
            for m in report.examples {
                print("  input \(m.input), output \(m.output): proven \(m.proven), onnxruntime \(m.onnxruntime)")
            }
        }

        func reportFidelity(_ calibrationFiles: [String]) throws {
            let widths = fidelityBits.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !widths.isEmpty, widths.allSatisfy({ $0.map { (8...16).contains($0) } ?? false }) else {
                throw UsageError("--fidelity-bits takes comma-separated widths in 8...16", code: "usage")
            }
            guard (1...100_000).contains(samples) else { throw UsageError("--samples must be in 1...100000", code: "usage") }
            let rows = try measureFidelity(onnx: model, calibration: calibrationFiles, bits: widths.map { $0! }, samples: samples, seed: seed)
            if json {
                printJSON(FidelityReport(model: model, seed: seed, fidelity: rows))
                return
            }
            print("bits".padding(6) + "samples".padding(9) + "max |error|".padding(14) + "mean |error|".padding(14) + "argmax agrees".padding(15)
                  + "max |output|".padding(14) + "saturated".padding(11) + "max |error| unsaturated")
            for r in rows {
                if let error = r.error {
                    print(String(r.bits).padding(6) + "does not compile: \(error)")
                    continue
                }
                print(String(r.bits).padding(6) + String(r.samples).padding(9) + String(format: "%.3g", r.maxAbsoluteError).padding(14)
                      + String(format: "%.3g", r.meanAbsoluteError).padding(14) + String(format: "%.1f %%", r.argmaxAgreement * 100).padding(15)
                      + String(format: "%.3g", r.maxAbsoluteOutput).padding(14) + String(r.saturatedSamples).padding(11)
                      + String(format: "%.3g", r.maxAbsoluteErrorUnsaturated))
            }
        }

        struct Row { var name: String; var op: String; var shape: [Int]; var witness: Int; var time: Duration }

        /// One row per arithmetic relation, named after the tensor it defines.
        func layerRows(_ profile: ProvingProfile, circuit: Circuit) -> [Row] {
            profile.relations.reversed().compactMap { entry in
                let relation = circuit.relations[entry.relation]
                guard relation.kind != "lookup", let out = relation.output else { return nil }
                let tensor = circuit.tensors[out]
                return Row(name: tensor.name, op: relation.kind, shape: tensor.layout.shape,
                           witness: tensor.storage == .virtual ? 0 : tensor.layout.count, time: entry.duration)
            }
        }

        func drawSVG(_ rows: [Row], phases: [(name: String, duration: Duration)], to path: String) throws {
            let bars = phases.filter { $0.name != "relations" }.map { ("(" + $0.name + ")", seconds($0.duration)) }
                + rows.map { ($0.name + " " + $0.op, seconds($0.time)) }
            let longest = max(bars.map(\.1).max() ?? 1, 1e-9)
            var svgText = #"<svg xmlns="http://www.w3.org/2000/svg" width="760" height="\#(40 + 22 * bars.count)" font-family="monospace" font-size="12">"#
            svgText += #"<text x="10" y="20">proof time per layer (ms)</text>"#
            for (i, (label, value)) in bars.enumerated() {
                let y = 32 + 22 * i
                let width = Int(400 * value / longest)
                svgText += #"<text x="10" y="\#(y + 13)">\#(label.prefix(40))</text>"#
                svgText += ##"<rect x="300" y="\##(y)" width="\##(max(width, 1))" height="16" fill="#4a7bd0"/>"##
                svgText += #"<text x="\#(306 + width)" y="\#(y + 13)">\#((value * 1e5).rounded() / 100)</text>"#
            }
            svgText += "</svg>\n"
            try Data(svgText.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        }
    }
}

/// The process's peak resident memory in MiB (from /proc/self/status VmHWM; 0 when unavailable).
func peakMemoryMiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
    return kib / 1024
}
