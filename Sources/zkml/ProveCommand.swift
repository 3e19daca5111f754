import ArgumentParser
import Foundation
import ZKCircuit
import ZKCompiler
import ZKField
import ZKProtocol
import ZKSodium

extension ZKMLCommand {
    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove a model's output on an input.",
            discussion: """
                `zkml prove DIR INPUT.json -o PROOF` uses a compiled directory. The one-shot form \
                `zkml prove MODEL.onnx INPUT.json -o PROOF` compiles (calibrating on --calibration files, \
                else on the input itself), sets up (cached by model hash under ~/.cache/zkml) and proves, \
                and writes the verification key beside the proof (PROOF.vk).
                """)

        @Argument(help: "A compiled directory or an ONNX model.") var model: String
        @Argument(help: "The input (EZKL input.json or named tensors).") var input: String
        @Option(name: .shortAndLong, help: "Where to write the proof.") var output: String
        @Option(name: .long, help: "Calibration inputs for the one-shot form. Repeatable.") var calibration: [String] = []
        @Flag(name: .long, help: "Print machine-readable JSON.") var json = false
        @Option(name: .long, help: "When the input leaves the calibrated range: clamp (warn) or error.")
        var onOverflow: OverflowPolicy = .clamp

        func run() throws {
            do {
                let clock = ContinuousClock()
                Progress.say("compiling \(model)")
                let (compiled, directory) = try prepare()
                Progress.say("committing the weights")
                var pk: ProvingKey<Fr>?
                let setupTime = try clock.measure { pk = try ModelDirectory.setup(compiled) }
                if let stored = FileManager.default.contents(atPath: directory.verificationKeyPath),
                   stored != Data(pk!.verificationKey.encoded()) {
                    throw UsageError("\(directory.verificationKeyPath) does not match the compiled model: run `zkml setup` again")
                }
                let rows = try InputFile(path: input, inputName: compiled.inputName).rows
                guard rows.count == 1, rows[0].count == compiled.inputShape.reduce(1, *) else {
                    throw UsageError("\(input): expected one input of \(compiled.inputShape.reduce(1, *)) values")
                }
                Progress.say("integer inference")
                let inference = try compiled.run(input: rows[0])
                try enforce(onOverflow, inference, compiled)
                Progress.say("proving")
                var proof: Proof<Fr>?
                let proveTime = try clock.measure { proof = try Prover.prove(provingKey: pk!, witness: inference.witness) }
                let bytes = proof!.encoded()
                try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
                let vkPath = output + ".vk"
                try Data(pk!.verificationKey.encoded()).write(to: URL(fileURLWithPath: vkPath), options: .atomic)
                if json {
                    print(#"{"proof": "\#(output)", "verification_key": "\#(vkPath)", "model_id": "\#(pk!.verificationKey.modelID)", "prove_ms": \#(milliseconds(proveTime)), "setup_ms": \#(milliseconds(setupTime)), "proof_bytes": \#(bytes.count), "output_data": [\#(inference.output.map { String($0) }.joined(separator: ", "))]}"#)
                } else {
                    print("proved in \(milliseconds(proveTime)) ms (setup \(milliseconds(setupTime)) ms): \(bytes.count) bytes → \(output), key → \(vkPath)")
                    print("output: \(inference.output)")
                }
            } catch let error as UsageError {
                printError("zkml prove: \(error)")
                throw ExitCode(2)
            }
        }

        /// The compiled model: from a directory, or compiled now (cached by the model's hash).
        func prepare() throws -> (CompiledModel, ModelDirectory) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory), isDirectory.boolValue {
                let dir = ModelDirectory(path: model)
                return (try dir.readModel(), dir)
            }
            guard let bytes = FileManager.default.contents(atPath: model) else { throw UsageError("cannot read \(model)") }
            var key = Array(bytes)
            for file in calibration.isEmpty ? [input] : calibration {
                key += Array(file.utf8) + Array(FileManager.default.contents(atPath: file) ?? Data())
            }
            let cacheRoot = ProcessInfo.processInfo.environment["ZKML_CACHE"]
                ?? (NSHomeDirectory() + "/.cache/zkml")
            let dir = ModelDirectory(path: cacheRoot + "/" + Blake2b.hash256(key).description)
            if FileManager.default.fileExists(atPath: dir.compiledPath), let cached = try? dir.readModel() {
                return (cached, dir)
            }
            let compiled = try compileModel(onnx: model, calibration: calibration.isEmpty ? [input] : calibration)
            try dir.write(compiled)
            return (compiled, dir)
        }
    }
}

func milliseconds(_ d: Duration) -> Double {
    ((Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15) * 100).rounded() / 100
}
