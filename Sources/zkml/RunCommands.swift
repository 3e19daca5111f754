import ArgumentParser
import Foundation
import ZKCircuit
import ZKCompiler

extension ZKMLCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Integer inference on a compiled model: the dequantized outputs and per-layer saturation.")

        @Argument(help: "A directory written by `zkml compile`.") var directory: String
        @Argument(help: "The input.") var input: String
        @Flag(name: .long, help: "Print machine-readable JSON.") var json = false
        @Option(name: .long, help: "When the input leaves the calibrated range: clamp (warn) or error.")
        var onOverflow: OverflowPolicy = .clamp

        func run() throws {
            do {
                let compiled = try ModelDirectory(path: directory).readModel()
                let file = try InputFile(path: input, inputName: compiled.inputName)
                let inference = try compiled.run(input: file.rows[0])
                try enforce(onOverflow, inference, compiled)
                if json {
                    print(#"{"output_data": [[\#(inference.output.map { String($0) }.joined(separator: ", "))]], "saturation": [\#(inference.saturation.map(String.init).joined(separator: ", "))], "input_saturated": \#(inference.inputSaturated)}"#)
                } else {
                    print("output: \(inference.output)")
                    if let expected = file.expectedOutput { print("output_data in the input file (float reference): \(expected)") }
                    for (layer, count) in zip(compiled.layers, inference.saturation) {
                        print("  \(layer.node): \(count) saturated")
                    }
                }
            } catch let error as UsageError {
                printError("zkml run: \(error)")
                throw ExitCode(2)
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the circuit checker on an input: every relation, or the first that fails (relation, layer, slot).")

        @Argument(help: "A directory written by `zkml compile`.") var directory: String
        @Argument(help: "The input.") var input: String

        func run() throws {
            do {
                let compiled = try ModelDirectory(path: directory).readModel()
                let file = try InputFile(path: input, inputName: compiled.inputName)
                let inference = try compiled.run(input: file.rows[0])
                if let failure = CircuitChecker.check(compiled.circuit, inference.witness) {
                    print("FAILED: \(failure)")
                    throw ExitCode(1)
                }
                print("all \(compiled.circuit.relations.count) relations hold")
            } catch let error as UsageError {
                printError("zkml check: \(error)")
                throw ExitCode(2)
            }
        }
    }
}
