import ArgumentParser
import Foundation
import ZKCircuit
import ZKCompiler
import ZKField
import ZKProver
import ZKSetup
import ZKVerifier
import ZKSodium

extension ZKMLCommand {
    struct Prove: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "prove",
            abstract: "Prove a model's output on an input.",
            discussion: """
                `zkml prove DIR INPUT.json -o PROOF` uses a compiled directory, and its proving key when \
                `zkml setup DIR` wrote one (else it commits the weights first). The one-shot form \
                `zkml prove MODEL.onnx INPUT.json -o PROOF` compiles (calibrating on --calibration files, \
                else on the input itself), sets up and proves, caching the compiled model and the keys by \
                model hash under ~/.cache/zkml ($ZKML_CACHE). Both write the verification key beside the \
                proof (PROOF.vk). --calibration and --bits apply to the one-shot form. Every proof is \
                verified before it is written (--skip-self-check turns that off): a proof that fails its own \
                verification is an internal error (exit 3, code self_check_failed) and nothing is written.

                \(ExitStatusHelp.general)
                """)

        @Argument(help: "A compiled directory or an ONNX model.") var model: String
        @Argument(help: "The input (EZKL input.json or named tensors).") var input: String
        @Option(name: .shortAndLong, help: "Where to write the proof.") var output: String
        @OptionGroup var calibrationOptions: CalibrationOptions
        @OptionGroup var quantization: QuantizationOptions
        @OptionGroup var overflow: OverflowOptions
        @OptionGroup var jsonOutput: JSONOutput
        @Flag(name: .long, help: "Skip verifying the proof before writing it (on by default; costs one verification).")
        var skipSelfCheck = false
        var json: Bool { jsonOutput.json }
        var calibration: [String] { calibrationOptions.calibration }

        func execute() throws {
            let clock = ContinuousClock()
            let (compiled, directory, isCache) = try prepare()
            var key: (provingKey: ProvingKey<Fr>, loaded: Bool)?
            let keyTime = try clock.measure { key = try provingKey(for: compiled, in: directory, isCache: isCache) }
            let pk = key!.provingKey
            let vkBytes = pk.verificationKey.encoded()
            try directory.checkVerificationKey(pk.verificationKey, encoded: vkBytes)
            let rows = try InputFile(path: input, inputName: compiled.inputName).rows
            guard rows.count == 1, rows[0].count == compiled.inputShape.reduce(1, *) else {
                throw UsageError("\(input): expected one input of \(compiled.inputShape.reduce(1, *)) values", code: "invalid_input")
            }
            Progress.say("integer inference")
            var inference: IntegerInference?
            let witnessTime = try clock.measure { inference = try compiled.run(input: rows[0]) }
            try enforce(overflow.onOverflow, inference!, compiled)
            Progress.say("proving")
            var proven: (proof: Proof<Fr>, bytes: [UInt8])?
            var profile = ProvingProfile()
            let proveTime = try clock.measure {
                proven = try Prover.proveEncoded(
                    provingKey: pk, witness: inference!.witness, profile: &profile, selfCheck: !skipSelfCheck)
            }
            let proof = proven!.proof, proofBytes = proven!.bytes.count
            let selfCheckTime = profile.phases.first { $0.name == "self-check" }?.duration
            let vkPath = output + ".vk"
            let writeTime = try clock.measure {
                try writeBytes(proven!.bytes, toPath: output)
                try writeBytes(vkBytes, toPath: vkPath)
            }
            // What the proof states, read as a verifier reads it (the key's interface).
            let statement = try ProofStatement(proof: proof, verificationKey: pk.verificationKey)
            if json {
                printJSON(ProveReport(
                    proof: output, verificationKey: vkPath, modelID: pk.verificationKey.modelID.description,
                    provingKey: key!.loaded ? "loaded" : "setup", keyMilliseconds: milliseconds(keyTime),
                    witnessMilliseconds: milliseconds(witnessTime), proveMilliseconds: milliseconds(proveTime),
                    selfCheckMilliseconds: selfCheckTime.map(milliseconds),
                    writeMilliseconds: milliseconds(writeTime), proofBytes: proofBytes,
                    inputHash: statement.inputHash.description, inputTokenIDs: statement.tokenIDs,
                    outputIntegers: statement.outputIntegers,
                    outputData: statement.output, saturation: inference!.saturation,
                    inputSaturated: inference!.inputSaturated))
            } else {
                let keyNote = key!.loaded ? "key loaded in \(milliseconds(keyTime)) ms" : "setup \(milliseconds(keyTime)) ms"
                print("proved in \(milliseconds(proveTime)) ms (\(keyNote)): \(proofBytes) bytes → \(output), key → \(vkPath)")
                print("output: \(statement.output)")
            }
        }

        /// The compiled model: from a directory, or compiled now (cached by the model's hash);
        /// `isCache` tells which.
        func prepare() throws -> (model: CompiledModel, directory: ModelDirectory, isCache: Bool) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory), isDirectory.boolValue {
                Progress.say("reading \(model)")
                let dir = ModelDirectory(path: model)
                return (try dir.readModel(), dir, false)
            }
            guard let bytes = FileManager.default.contents(atPath: model) else {
                throw UsageError("cannot read \(model)", code: "unreadable_file")
            }
            var key = Array(bytes) + Array("bits=\(quantization.bits);".utf8)
            for file in calibration.isEmpty ? [input] : calibration {
                key += Array(file.utf8) + Array(FileManager.default.contents(atPath: file) ?? Data())
            }
            let cacheRoot = ProcessInfo.processInfo.environment["ZKML_CACHE"]
                ?? (NSHomeDirectory() + "/.cache/zkml")
            let dir = ModelDirectory(path: cacheRoot + "/" + Blake2b.hash256(key).description)
            if let cached = try? dir.readModel() { return (cached, dir, true) }
            Progress.say("compiling \(model)")
            let compiled = try compileModel(
                onnx: model, calibration: calibration.isEmpty ? [input] : calibration, bits: quantization.bits)
            try dir.write(compiled)
            return (compiled, dir, true)
        }

        /// The proving key: the directory's stored one when it has one for `compiled`, else setup
        /// in memory. The cache directory is ours: there a missing or unusable key is replaced by
        /// a new one; in the user's directory a damaged or stale key is an error (run setup again)
        /// and a missing one is only reported. Either way the caller then checks the directory's
        /// verification key against it.
        func provingKey(
            for compiled: CompiledModel, in directory: ModelDirectory, isCache: Bool
        ) throws -> (provingKey: ProvingKey<Fr>, loaded: Bool) {
            do {
                if let stored = try directory.readProvingKey(for: compiled) { return (stored, true) }
                Progress.say(isCache
                    ? "committing the weights (once: the keys are cached)"
                    : "\(directory.path) has no proving key: committing the weights (`zkml setup \(directory.path)` stores one)")
            } catch let error as UsageError where isCache {
                Progress.say("replacing the cached keys: \(error)")
            }
            let pk = try ModelDirectory.setup(compiled)
            if isCache { try directory.writeKeys(pk) }
            return (pk, false)
        }
    }
}

func milliseconds(_ d: Duration) -> Double {
    ((Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15) * 100).rounded() / 100
}
