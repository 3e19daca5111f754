import ArgumentParser
import Foundation
import ZKCircuit
import ZKCompiler
import ZKField
import ZKProtocol

extension ZKMLCommand {
    struct Compile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an ONNX model, calibrate, quantize and lower it to a circuit; writes DIR/compiled.json and DIR/scales.json.")

        @Argument(help: "The ONNX model.") var model: String
        @Option(name: .long, help: "Calibration inputs (EZKL input.json format; every row is a sample). Repeatable.")
        var calibration: [String] = []
        @Option(name: .shortAndLong, help: "Output directory.") var output: String

        func run() throws {
            do {
                let compiled = try compileModel(onnx: model, calibration: calibration)
                try ModelDirectory(path: output).write(compiled)
                print("compiled \(model): \(compiled.circuit.relations.count) relations, \(compiled.layers.count) quantized layers → \(output)")
                for layer in compiled.layers {
                    print("  \(layer.node) (\(layer.op)): M = \(layer.multiplier), shift \(layer.shift), output scale \(layer.outputScale), table \(layer.tableBits) bits")
                }
            } catch let error as UsageError {
                printError("zkml compile: \(error)")
                throw ExitCode(2)
            }
        }
    }

    struct SetupCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "setup",
            abstract: "Commit the weights of a compiled model and write DIR/verification.key (deterministic).")

        @Argument(help: "A directory written by `zkml compile`.") var directory: String

        func run() throws {
            do {
                let dir = ModelDirectory(path: directory)
                let clock = ContinuousClock()
                var pk: ProvingKey<Fr>?
                let elapsed = try clock.measure { pk = try ModelDirectory.setup(try dir.readModel()) }
                let vk = pk!.verificationKey
                try Data(vk.encoded()).write(to: URL(fileURLWithPath: dir.verificationKeyPath), options: .atomic)
                print("setup \(directory) in \(elapsed): model id \(vk.modelID)")
            } catch let error as UsageError {
                printError("zkml setup: \(error)")
                throw ExitCode(2)
            }
        }
    }
}
