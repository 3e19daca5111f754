import Foundation
import ZKNode
import ZKNodeCore

/// An input file (``InputDocument``: EZKL's `input.json` or named tensors), read from a path.
struct InputFile {
    var rows: [[Float]]
    var expectedOutput: [Float]?

    /// Reads and validates the file; errors say what is wrong (a ``UsageError``).
    init(path: String, inputName: String?) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError("cannot read \(path)", code: "unreadable_file")
        }
        do {
            let document = try InputDocument(data: data, inputName: inputName)
            rows = document.rows
            expectedOutput = document.expectedOutput
        } catch { throw UsageError("\(path): \(error)") }
    }
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
