import ArgumentParser
import Foundation
import ZKCircuit
import ZKCommit
import ZKCompiler
import ZKModel
import ZKField
import ZKONNX
import ZKProtocol

extension ZKMLCommand {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe an ONNX model, a compiled directory, a verification key or a proof.")

        @Argument(help: "The file or directory.") var path: String
        @Flag(name: .long, help: "Predict witness size, proof size, prove time and memory before any proving.")
        var estimate = false

        func run() throws {
            do {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw UsageError("no such file: \(path)") }
                if isDirectory.boolValue {
                    let compiled = try ModelDirectory(path: path).readModel()
                    describe(compiled)
                    if let key = FileManager.default.contents(atPath: ModelDirectory(path: path).verificationKeyPath),
                       let vk = try? VerificationKey(decoding: Array(key)) {
                        print("verification key: model id \(vk.modelID)")
                    }
                    if estimate { try printEstimate(compiled.circuit) }
                    return
                }
                guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("cannot read \(path)") }
                let bytes = Array(data)
                if bytes.starts(with: Array("ZKVK".utf8)) {
                    let vk: VerificationKey
                    do { vk = try VerificationKey(decoding: bytes) } catch { throw UsageError("not a valid verification key: \(error)") }
                    print("verification key (format v\(VerificationKey.formatVersion)), model id \(vk.modelID)")
                    describe(vk.circuit)
                    for (name, p) in [("weights (C_W)", vk.weightParameters), ("advice (C_1)", vk.adviceParameters)] {
                        print("  \(name): 2^\(p.numVariables) entries as 2^\(p.logRows) × 2^\(p.logColumns), rate 1/\(1 << p.logInverseRate), \(p.queryCount) queries, \(Int(p.soundnessBits)) bits")
                    }
                    if let i = vk.interface {
                        print("  input \(i.inputName) \(i.inputShape) scale \(i.inputScale); output \(i.outputName) \(i.outputShape) scale \(i.outputScale), postprocessing \(i.postprocessing)")
                    }
                    if estimate { try printEstimate(vk.circuit) }
                } else if bytes.starts(with: Array("ZKPF".utf8)) {
                    print("proof (\(bytes.count) bytes), format v\(bytes.count > 5 ? Int(bytes[4]) | Int(bytes[5]) << 8 : 0)")
                    print("  verify it with: zkml verify \(path) --vk KEY (the key fixes every size in the proof)")
                } else {
                    let imported: ImportedModel
                    do { imported = try ONNXImporter().importModel(bytes: bytes) } catch {
                        throw UsageError("\(path) is not a model, key or proof zkml can read:\n\(error)")
                    }
                    let graph = imported.graph
                    print("ONNX model: producer \(imported.producer), opset \(imported.opsetVersion), IR \(imported.irVersion), \(imported.foldedNodeCount) nodes folded at import")
                    for input in graph.inputs { print("  input  \(input.name) \(input.type)") }
                    for output in graph.outputs { print("  output \(output.name) \(output.type)") }
                    for fixed in imported.fixedDimensions { print("  fixed  \(fixed)") }
                    var histogram: [String: Int] = [:]
                    for node in graph.nodes { histogram[node.op.name, default: 0] += 1 }
                    print("  operators: " + histogram.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
                    let parameters = graph.initializers.values.reduce(0) { $0 + $1.count }
                    print("  parameters: \(parameters)")
                }
            } catch let error as UsageError {
                printError("zkml inspect: \(error)")
                throw ExitCode(2)
            }
        }

        func describe(_ compiled: CompiledModel) {
            print("compiled model: input \(compiled.inputName) \(compiled.inputShape) (scale \(compiled.inputScale)), output \(compiled.outputName) \(compiled.outputShape) (scale \(compiled.outputScale), postprocessing \(compiled.outputPostprocessing.rawValue))")
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

        /// A cost model from this machine's measurements (docs: README "Layers" table): the advice
        /// commitment costs about 0.9 µs per packed advice slot, the weight opening about 15 ns per
        /// weight, lookups about 0.4 µs per looked-up value; memory about 200 bytes per advice slot
        /// plus 160 bytes per weight. Within a factor of two on the zoo.
        func printEstimate(_ circuit: Circuit) throws {
            let layout = ProtocolLayout(circuit: circuit)
            let pk = try ZKProtocol.Setup.estimateParameters(circuit: circuit)
            let adviceSlots = 1 << layout.advice.variableCount, weights = 1 << layout.weights.variableCount
            let witness = circuit.tensors.filter { $0.storage == .advice }.reduce(0) { $0 + $1.layout.count }
            let lookedUp = layout.lookupGroups.reduce(0) { $0 + circuit.tensors[$1.columns[0]].layout.slotCount * $1.columns.count }
            let proveMs = (0.9e-3 * Double(adviceSlots) + 15e-6 * Double(weights) + 0.4e-3 * Double(lookedUp)) + 2
            let proof = pk.advice.estimatedProofByteCount(claims: 1) + pk.weights.estimatedProofByteCount(claims: 2) + 16_384
            let memory = (200 * adviceSlots + 160 * weights) >> 20
            print("estimate: witness \(witness) values (advice packed into 2^\(layout.advice.variableCount) slots), prove ≈ \(Int(proveMs)) ms, proof ≈ \(proof / 1024) KiB, prover memory ≈ \(memory + 20) MiB (rough: a cost model from this machine's benchmarks)")
        }
    }
}
