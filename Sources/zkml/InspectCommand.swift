import ArgumentParser
import Foundation
import ZKCircuit
import ZKCommit
import ZKCompiler
import ZKModel
import ZKField
import ZKONNX
import ZKProver
import ZKSetup
import ZKVerifier
import ZKWire

extension ZKMLCommand {
    struct Inspect: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Describe an ONNX model, a compiled directory or model (.zkcm), a verification or proving key, or a proof.",
            discussion: ExitStatusHelp.general)

        @Argument(help: "The file or directory.") var path: String
        @Flag(name: .long, help: "Predict witness size, proof size, prove time and memory before any proving.")
        var estimate = false

        func execute() throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw UsageError("no such file: \(path)", code: "unreadable_file")
            }
            if isDirectory.boolValue {
                try describeDirectory(ModelDirectory(path: path))
                return
            }
            guard let bytes = readBytes(atPath: path) else { throw UsageError("cannot read \(path)", code: "unreadable_file") }
            switch String(decoding: bytes.prefix(4), as: UTF8.self) {
            case "ZKCM":
                let compiled: CompiledModel
                do { compiled = try CompiledModel(decoding: bytes) } catch {
                    throw UsageError("\(path) is not a valid compiled model: \(error)", code: "malformed_model", reason: error.code)
                }
                print("compiled model (\(formatLine(bytes))), \(bytes.count) bytes")
                describe(compiled)
                if estimate { try printEstimate(compiled.circuit) }
            case "ZKVK":
                let vk: VerificationKey
                do { vk = try VerificationKey(decoding: bytes) } catch {
                    throw UsageError("\(path) is not a valid verification key: \(error)", code: "malformed_key", reason: error.code)
                }
                print("verification key (\(formatLine(bytes))), model id \(vk.modelID)")
                describe(vk)
                if estimate { try printEstimate(vk.circuit) }
                try requireSecurityFloor(vk, path: path)
            case "ZKPK":
                let pk: ProvingKey<Fr>
                do { pk = try ProvingKey(decoding: bytes) } catch {
                    throw UsageError("\(path) is not a valid proving key: \(error)", code: "malformed_key", reason: error.code)
                }
                print("proving key (\(formatLine(bytes))), \(bytes.count) bytes, model id \(pk.verificationKey.modelID)")
                describe(pk)
                describe(pk.verificationKey)
                if estimate { try printEstimate(pk.verificationKey.circuit) }
                try requireSecurityFloor(pk.verificationKey, path: path)
            case "ZKPF":
                print("proof (\(bytes.count) bytes), format v\(bytes.count > 5 ? Int(bytes[4]) | Int(bytes[5]) << 8 : 0)")
                print("  verify it with: zkml verify \(path) --vk KEY (the key fixes every size in the proof)")
            default:
                let imported: ImportedModel
                do { imported = try ONNXImporter().importModel(bytes: bytes) } catch {
                    throw UsageError("\(path) is not a model, key or proof zkml can read:\n\(error)", code: "import_failed")
                }
                let graph = imported.graph
                print("ONNX model: producer \(imported.producer), opset \(imported.opsetVersion), IR \(imported.irVersion), \(imported.foldedNodeCount) nodes folded at import")
                for input in graph.inputs { print("  input  \(input.name) \(input.type)") }
                for output in graph.outputs { print("  output \(output.name) \(output.type)") }
                for fixed in imported.fixedDimensions { print("  fixed  \(fixed)") }
                print("  source hash \(graph.sourceHash) (BLAKE2b-256 of the file; part of the model id)")
                var histogram: [String: Int] = [:]
                for node in graph.nodes { histogram[node.op.name, default: 0] += 1 }
                print("  operators: " + histogram.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
                let parameters = graph.initializers.values.reduce(0) { $0 + $1.count }
                print("  parameters: \(parameters)")
            }
        }

        /// A compiled directory: the model, then the state of each key.
        func describeDirectory(_ dir: ModelDirectory) throws {
            let compiled = try dir.readModel()
            print("compiled directory \(dir.path): model.zkcm (\(formatLine(readBytes(atPath: dir.modelPath) ?? [])))")
            describe(compiled)
            if let bytes = readBytes(atPath: dir.verificationKeyPath) {
                if let vk = try? VerificationKey(decoding: bytes) {
                    print("verification.key (\(formatLine(bytes))): model id \(vk.modelID)")
                } else {
                    print("verification.key: unreadable (run `zkml inspect \(dir.verificationKeyPath)` for the reason)")
                }
            }
            if FileManager.default.fileExists(atPath: dir.provingKeyPath) {
                do {
                    if let pk = try dir.readProvingKey(for: compiled) {
                        print("proving.key (\(formatLine(readBytes(atPath: dir.provingKeyPath) ?? []))): the compiled model's, model id \(pk.verificationKey.modelID)")
                    }
                } catch let error as UsageError {
                    print("proving.key: \(error)")
                }
            } else {
                print("no keys yet: `zkml setup \(dir.path)` writes them")
            }
            if estimate { try printEstimate(compiled.circuit) }
        }

        /// "format vN, written by zkml X" from a file's header (magic, `u16` version, tool version).
        func formatLine(_ bytes: [UInt8]) -> String {
            var reader = WireReader(bytes)
            guard (try? reader.read(4)) != nil, let version = try? reader.readU16() else { return "no header" }
            guard let tool = try? reader.readToolVersion() else { return "format v\(version)" }
            return "format v\(version), written by zkml \(tool)"
        }

        func describe(_ vk: VerificationKey) {
            describe(vk.circuit)
            func line(_ name: String, _ p: LigeroParameters) {
                print("  \(name): 2^\(p.numVariables) entries as 2^\(p.logRows) × 2^\(p.logColumns), rate 1/\(1 << p.logInverseRate), \(p.queryCount) queries, \(Int(p.soundnessBits)) bits")
            }
            line("weights (C_W)", vk.weightParameters)
            switch vk.adviceTransport {
            case .committed: line("advice (C_1)", vk.adviceParameters)
            case .clear: print("  advice: in the clear, \(vk.layout.advice.usedCount) integers per proof")
            }
            if let i = vk.interface {
                let input = i.inputEncoding == .oneHot
                    ? "token ids \(i.inputShape) (one-hot public input)" : "\(i.inputShape) scale \(i.inputScale)"
                print("  input \(i.inputName) \(input); output \(i.outputName) \(i.outputShape) scale \(i.outputScale), postprocessing \(i.postprocessing)")
                if !i.sourceHash.isEmpty { print("  source model hash \(i.sourceHash)") }
            }
        }

        func describe(_ pk: ProvingKey<Fr>) {
            let widths = Set(pk.weightSlots.values.map(\.width)).sorted().map { "int\($0)" }.joined(separator: ", ")
            let slots = pk.weightSlots.values.reduce(0) { $0 + $1.count }
            let p = pk.weightData.parameters
            print("  weights: \(pk.weightSlots.count) tensors, \(slots) slots (\(widths.isEmpty ? "none" : widths)); committed matrix 2^\(p.logRows) × \(p.codewordLength) encoded (\((pk.weightData.encodedCount * 32) >> 20) MiB)")
        }

        func describe(_ compiled: CompiledModel) {
            let input = compiled.vocabularySize.map { "token ids \(compiled.inputShape) (one-hot over \($0))" }
                ?? "\(compiled.inputShape) (scale \(compiled.inputScale))"
            print("compiled model: input \(compiled.inputName) \(input), output \(compiled.outputName) \(compiled.outputShape) (scale \(compiled.outputScale), postprocessing \(compiled.outputPostprocessing.rawValue))")
            describe(compiled.circuit)
            for layer in compiled.layers {
                print("  layer \(layer.node) (\(layer.op)): M \(layer.multiplier) / 2^\(layer.shift), table \(layer.tableBits) bits, calibrated ±\(layer.calibratedMaximum)")
            }
        }

        func describe(_ circuit: Circuit) {
            var kinds: [String: Int] = [:]
            for relation in circuit.relations { kinds[relation.kind, default: 0] += 1 }
            var storage: [String: Int] = [:]
            for tensor in circuit.tensors { storage["\(tensor.storage)", default: 0] += tensor.layout.count }
            print("  circuit: \(circuit.tensors.count) tensors, relations " + kinds.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
            print("  values by storage: " + storage.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            print("  tables: " + circuit.tables.map { t in
                switch t {
                case .range(let bits): return "range \(bits) bits"
                case .function(let name, let bits, _): return "\(name) on \(bits) bits"
                }
            }.joined(separator: ", "))
        }

        /// The library's cost model of the circuit's shape (``ProvingCostEstimate``).
        func printEstimate(_ circuit: Circuit) throws {
            let e = try ProvingCostEstimate(circuit: circuit)
            print("estimate: witness \(e.witnessValues) values (advice packed into 2^\(e.adviceVariableCount) slots), prove ≈ \(Int(e.proveMilliseconds)) ms, proof ≈ \(e.proofBytes / 1024) KiB, prover memory ≈ \(e.memoryMiB) MiB (rough: a cost model from this machine's benchmarks)")
        }
    }
}
