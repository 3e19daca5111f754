import Foundation

/// An input file: EZKL's `input.json` (`input_data`: one flattened row-major list per model
/// input, optionally `input_shapes` and `output_data`), or named tensors (`{"input": [...]}`).
struct InputFile {
    var rows: [[Float]]
    var expectedOutput: [Float]?

    /// Reads and validates the file; errors say what is wrong (a ``UsageError``).
    init(path: String, inputName: String?) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError("cannot read \(path)", code: "unreadable_file")
        }
        guard data.count <= 256 << 20 else { throw UsageError("\(path) is larger than 256 MiB") }
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw UsageError("\(path) is not valid JSON: \(error.localizedDescription)")
        }
        guard let object = json as? [String: Any] else { throw UsageError("\(path): expected a JSON object") }
        func numbers(_ value: Any, _ what: String) throws -> [Float] {
            guard let list = value as? [Any] else { throw UsageError("\(path): \(what) must be a list of numbers") }
            return try list.enumerated().map { i, v in
                guard let n = v as? NSNumber, n.doubleValue.isFinite else {
                    throw UsageError("\(path): \(what)[\(i)] is not a finite number")
                }
                return n.floatValue
            }
        }
        if let data = object["input_data"] {
            guard let lists = data as? [Any], !lists.isEmpty else { throw UsageError("\(path): input_data must be a non-empty list") }
            rows = try lists.enumerated().map { try numbers($1, "input_data[\($0)]") }
        } else if let name = inputName, let values = object[name] {
            rows = [try numbers(values, name)]
        } else {
            throw UsageError("\(path): expected \"input_data\" (EZKL format) or a tensor named \"\(inputName ?? "input")\"")
        }
        if let output = object["output_data"] as? [Any], let first = output.first {
            expectedOutput = try numbers(first, "output_data[0]")
        }
    }
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
