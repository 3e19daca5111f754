import ArgumentParser
import Foundation
import ZKCircuit
import ZKCompiler
import ZKField
import ZKParallel
import ZKProver
import ZKSetup
import ZKVerifier
import ZKSodium

extension ZKMLCommand {
    /// The end-to-end demo on the bundled zoo: import the ONNX model, calibrate and compile,
    /// set up, run integer inference, prove, verify from the encoded bytes, reject a forged
    /// output, and print where the proving time went, relation by relation.
    struct Demo: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Prove and verify bundled zoo models end to end and print the per-layer proving table.",
            discussion: "Exit status: 0 every check passed; 1 a check failed; 2 unusable input.")

        @Option(help: "The zoo folder.") var zoo = "circuits"
        @Option(help: "Zoo models to prove (folders of the zoo).") var models: [String] = ["mlp_784_128_10", "lenet5"]

        func execute() throws {
            print("swift-zkml demo — BN254 scalar field, \(Parallelism.threadCount) threads")
            print("(proofs are not zero-knowledge: input and output are public; see the README)\n")
            for name in models {
                try prove(folder: zoo + "/" + name)
            }
            print("\nAll checks passed.")
        }

        func prove(folder: String) throws {
            print("\(folder)/model.onnx")
            let (compiled, compileTime) = try timed {
                try compileModel(onnx: folder + "/model.onnx", calibration: [folder + "/calibration.json"])
            }
            print("  compile   \(ms(compileTime))   \(compiled.circuit.relations.count) relations, \(compiled.layers.count) quantized layers")
            let (pk, setupTime) = try timed { try ModelDirectory.setup(compiled) }
            let vk = pk.verificationKey
            print("  setup     \(ms(setupTime))   model id \(vk.modelID.description.prefix(16))…")
            let input = try InputFile(path: folder + "/input.json", inputName: compiled.inputName)
            let (inference, witnessTime) = try timed { try compiled.run(input: input.rows[0]) }
            try check(CircuitChecker.check(compiled.circuit, inference.witness) == nil,
                      "integer inference (\(ms(witnessTime))) satisfies every relation")
            if let reference = input.expectedOutput {
                let argmax = { (v: [Double]) in v.indices.max { v[$0] < v[$1] }! }
                try check(argmax(inference.output) == argmax(reference.map(Double.init)),
                          "quantized output agrees with the float reference (class \(argmax(inference.output)))")
            }
            var profile = ProvingProfile()
            let (proof, proveTime) = try timed { try Prover.prove(provingKey: pk, witness: inference.witness, profile: &profile) }
            let bytes = proof.encoded()
            print("  prove     \(ms(proveTime))   proof \(bytes.count / 1024) KiB")
            printTable(profile, circuit: compiled.circuit, total: proveTime)
            let (_, verifyTime) = try timed {
                let decoded = try Proof<Fr>(decoding: bytes, verificationKey: vk)
                try Verifier.verify(decoded, verificationKey: vk, field: Fr.self)
            }
            try check(true, "verified from the encoded bytes in \(ms(verifyTime))")
            var forged = proof
            forged.publicOutput[0] += 1
            var rejected = false
            do { try Verifier.verify(forged, verificationKey: vk, field: Fr.self) } catch { rejected = true }
            try check(rejected, "a proof whose output was changed is rejected")
        }

        /// Phases, then the arithmetic relations (the "relations" phase) by output tensor.
        func printTable(_ profile: ProvingProfile, circuit: Circuit, total: Duration) {
            func share(_ d: Duration) -> String { "\(Int((seconds(d) / seconds(total) * 100).rounded()))%" }
            print("    phase / relation                          time      share")
            for phase in profile.phases {
                print("    \(phase.name.padding(40)) \(ms(phase.duration).padding(9)) \(share(phase.duration))")
                if phase.name == "relations" {
                    for entry in profile.relations where circuit.relations[entry.relation].kind != "lookup" {
                        let relation = circuit.relations[entry.relation]
                        let target = relation.output.map { circuit.tensors[$0].name } ?? "-"
                        print("      \((relation.kind + " → " + target).padding(38)) \(ms(entry.duration).padding(9)) \(share(entry.duration))")
                    }
                }
            }
        }
    }
}

struct DemoFailure: Error, CustomStringConvertible {
    let description: String
}

func check(_ condition: Bool, _ what: String) throws {
    guard condition else { throw DemoFailure(description: "FAILED: \(what)") }
    print("  ✓ \(what)")
}

func timed<T>(_ body: () throws -> T) rethrows -> (T, Duration) {
    let clock = ContinuousClock()
    var result: T?
    let elapsed = try clock.measure { result = try body() }
    return (result!, elapsed)
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

func ms(_ d: Duration) -> String { "\(milliseconds(d)) ms" }

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
