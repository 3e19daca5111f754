import ArgumentParser
import Foundation
import ZKCircuit
import ZKCompiler
import ZKProver
import ZKSetup
import ZKVerifier
import ZKSodium

extension ZKMLCommand {
    struct Run: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Integer inference on a compiled model: the dequantized outputs and per-layer saturation.",
            discussion: ExitStatusHelp.general)

        @Argument(help: "A directory written by `zkml compile`.") var directory: String
        @Argument(help: "The input.") var input: String
        @OptionGroup var jsonOutput: JSONOutput
        @OptionGroup var overflow: OverflowOptions
        var json: Bool { jsonOutput.json }

        func execute() throws {
            let compiled = try ModelDirectory(path: directory).readModel()
            let file = try InputFile(path: input, inputName: compiled.inputName)
            let inference = try compiled.run(input: file.rows[0])
            try enforce(overflow.onOverflow, inference, compiled)
            if json {
                printJSON(RunReport(
                    outputData: [inference.output], outputIntegers: inference.outputIntegers,
                    inputHash: ProofStatement.inputHash(of: inference.quantizedInput).description,
                    saturation: inference.saturation, inputSaturated: inference.inputSaturated))
            } else {
                print("output: \(inference.output)")
                if let expected = file.expectedOutput { print("output_data in the input file (float reference): \(expected)") }
                for (layer, count) in zip(compiled.layers, inference.saturation) {
                    print("  \(layer.node): \(count) saturated")
                }
            }
        }
    }

    struct Check: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Run the circuit checker on an input: every relation, or the first that fails (relation, layer, slot).",
            discussion: "Exit status: 0 every relation holds; 1 a relation fails; 2 unusable input.")

        @Argument(help: "A directory written by `zkml compile`.") var directory: String
        @Argument(help: "The input.") var input: String

        func execute() throws {
            let compiled = try ModelDirectory(path: directory).readModel()
            let file = try InputFile(path: input, inputName: compiled.inputName)
            let inference = try compiled.run(input: file.rows[0])
            if let failure = CircuitChecker.check(compiled.circuit, inference.witness) {
                print("FAILED: \(failure)")
                throw ExitCode(Failure.rejected)
            }
            print("all \(compiled.circuit.relations.count) relations hold")
        }
    }
}
