import Foundation
import Testing
import ZKModel
import ZKONNX

/// Test cases stored in ONNX's backend-test layout under Fixtures/.
enum Fixtures {
    static func root() throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "the Fixtures resource is missing")
    }

    /// The case directories under `Fixtures/<group>`, sorted.
    static func cases(_ group: String) throws -> [URL] {
        let directory = try root().appendingPathComponent(group)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return names.map { directory.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("model.onnx").path) }
    }

    static func modelBytes(_ group: String, _ name: String) throws -> [UInt8] {
        let url = try root().appendingPathComponent(group).appendingPathComponent(name).appendingPathComponent("model.onnx")
        return [UInt8](try Data(contentsOf: url))
    }
}

/// One backend-style case: the model, its inputs and its expected outputs.
struct BackendCase {
    var name: String
    var modelPath: String
    var inputs: [TensorValue]
    var outputs: [TensorValue]

    init(directory: URL) throws {
        name = directory.lastPathComponent
        modelPath = directory.appendingPathComponent("model.onnx").path
        let data = directory.appendingPathComponent("test_data_set_0")
        let importer = ONNXImporter()
        func load(_ prefix: String) throws -> [TensorValue] {
            var values: [TensorValue] = []
            while true {
                let path = data.appendingPathComponent("\(prefix)_\(values.count).pb").path
                guard FileManager.default.fileExists(atPath: path) else { return values }
                values.append(try importer.decodeTensor(contentsOf: path))
            }
        }
        inputs = try load("input")
        outputs = try load("output")
    }

    /// How graph inputs are bound: fed at run time, or frozen to constants at import.
    enum Binding: CaseIterable {
        /// Integer inputs (shapes, indices, zero points) frozen; float inputs fed.
        case integersFrozen
        /// Only the first input fed (operands such as Clip bounds frozen).
        case firstInputFed
        /// Every input frozen: the whole node is computed at import (constant folding).
        case allFrozen
    }

    /// Imports the model and runs the float executor, binding inputs the first way that
    /// imports (see `Binding`), and compares every output with
    /// `|actual - expected| <= 1e-5 + 1e-4 · |expected|`. Returns a failure reason or `nil`.
    func run() -> String? {
        var lastError = ""
        for binding in Binding.allCases {
            do {
                return try run(binding)
            } catch ONNXImportError.unsupportedNodes(let nodes) {
                lastError = "\(ONNXImportError.unsupportedNodes(nodes))"
            } catch {
                return "\(error)"
            }
        }
        return lastError
    }

    func run(_ binding: Binding) throws -> String? {
        do {  // (scope only)
            let names = try ONNXImporter().declaredInputs(contentsOf: modelPath).map(\.name)
            var constants: [String: TensorValue] = [:]
            var feeds: [String: FloatTensor] = [:]
            var shapes: [String: [Int]] = [:]
            for (index, (name, value)) in zip(names, inputs).enumerated() {
                let frozen: Bool
                switch binding {
                case .integersFrozen: frozen = value.elementType.isInteger
                case .firstInputFed: frozen = index > 0 || value.elementType.isInteger
                case .allFrozen: frozen = true
                }
                if frozen {
                    constants[name] = value
                } else {
                    feeds[name] = value.floatTensor
                    shapes[name] = value.shape
                }
            }
            let model = try ONNXImporter(options: .init(inputShapes: shapes, constantInputs: constants))
                .importModel(contentsOf: modelPath)
            let results = try FloatExecutor(graph: model.graph).run(feeds)
            guard model.graph.outputs.count == outputs.count else {
                return "\(model.graph.outputs.count) outputs, expected \(outputs.count)"
            }
            for (info, expected) in zip(model.graph.outputs, outputs) {
                guard let actual = results[info.name] else { return "output \(info.name) missing" }
                guard actual.shape == expected.shape else {
                    return "output \(info.name) has shape \(actual.shape), expected \(expected.shape)"
                }
                let want = expected.floatTensor.values
                for (index, (a, e)) in zip(actual.values, want).enumerated() {
                    let ok = a == e || (a.isNaN && e.isNaN) || abs(a - e) <= 1e-5 + 1e-4 * abs(e)
                    if !ok { return "output \(info.name)[\(index)] = \(a), expected \(e)" }
                }
            }
            return nil
        }
    }

}
