import ArgumentParser
import Foundation
import ZKCircuit
import ZKCompiler
import ZKField
import ZKProver
import ZKSetup
import ZKVerifier

extension ZKMLCommand {
    struct Compile: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "compile",
            abstract: "Import an ONNX model, calibrate, quantize and lower it to a circuit; writes DIR/model.zkcm and DIR/scales.json.",
            discussion: ExitStatusHelp.general)

        @Argument(help: "The ONNX model.") var model: String
        @OptionGroup var calibrationOptions: CalibrationOptions
        @Option(name: .shortAndLong, help: "Output directory.") var output: String
        @OptionGroup var quantization: QuantizationOptions

        func execute() throws {
            let compiled = try compileModel(onnx: model, calibration: calibrationOptions.calibration, bits: quantization.bits)
            try ModelDirectory(path: output).write(compiled)
            print("compiled \(model): \(compiled.circuit.relations.count) relations, \(compiled.layers.count) quantized layers → \(output)")
            for layer in compiled.layers {
                print("  \(layer.node) (\(layer.op)): M = \(layer.multiplier), shift \(layer.shift), output scale \(layer.outputScale), table \(layer.tableBits) bits")
            }
        }
    }

    struct SetupCommand: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "setup",
            abstract: "Commit the weights of a compiled model; writes DIR/verification.key and DIR/proving.key (deterministic).",
            discussion: """
                The model id printed is the one the library's `Setup.run(model:field:)` gives for the same \
                model file, calibration and --bits.

                \(ExitStatusHelp.general)
                """)

        @Argument(help: "A directory written by `zkml compile`.") var directory: String

        func execute() throws {
            let dir = ModelDirectory(path: directory)
            let clock = ContinuousClock()
            var pk: ProvingKey<Fr>?
            let elapsed = try clock.measure { pk = try ModelDirectory.setup(try dir.readModel()) }
            let vk = pk!.verificationKey
            try dir.writeKeys(pk!)
            print("setup \(directory) in \(elapsed): model id \(vk.modelID)")
        }
    }
}
