import ArgumentParser
import Foundation
import ZKCircuit
import ZKCompiler
import ZKField
import ZKProver
import ZKSetup
import ZKVerifier

extension ZKMLCommand {
    struct Compile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an ONNX model, calibrate, quantize and lower it to a circuit; writes DIR/model.zkcm and DIR/scales.json.")

        @Argument(help: "The ONNX model.") var model: String
        @Option(name: .long, help: "Calibration inputs (EZKL input.json format; every row is a sample). Repeatable.")
        var calibration: [String] = []
        @Option(name: .shortAndLong, help: "Output directory.") var output: String
        @Option(name: .long, help: "Bits of the quantized weights and activations, 8…16 (wider: closer to float, larger tables).")
        var bits = 8

        func run() throws {
            do {
                let compiled = try compileModel(onnx: model, calibration: calibration, bits: bits)
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
            abstract: "Commit the weights of a compiled model; writes DIR/verification.key and DIR/proving.key (deterministic).")

        @Argument(help: "A directory written by `zkml compile`.") var directory: String

        func run() throws {
            do {
                let dir = ModelDirectory(path: directory)
                let clock = ContinuousClock()
                var pk: ProvingKey<Fr>?
                let elapsed = try clock.measure { pk = try ModelDirectory.setup(try dir.readModel()) }
                let vk = pk!.verificationKey
                try dir.writeKeys(pk!)
                print("setup \(directory) in \(elapsed): model id \(vk.modelID)")
            } catch let error as UsageError {
                printError("zkml setup: \(error)")
                throw ExitCode(2)
            }
        }
    }
}
