import Foundation

/// A model-input document: EZKL's `input.json` (`input_data`: one flattened row-major list per
/// row, optionally `output_data`), or a named tensor (`{"input": [...]}`). Used for `zkml prove`
/// inputs, calibration files and hub calibration blobs.
public struct InputDocument: Sendable {
    public var rows: [[Float]]
    public var expectedOutput: [Float]?

    /// Documents larger than this are refused before parsing.
    public static let maximumBytes = 256 << 20

    /// Parses and validates `data`; `inputName` is the model input's name (for the named form).
    public init(data: Data, inputName: String?) throws(InputDocumentError) {
        guard data.count <= Self.maximumBytes else { throw .init("larger than 256 MiB") }
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw .init("not valid JSON: \(error.localizedDescription)")
        }
        guard let object = json as? [String: Any] else { throw .init("expected a JSON object") }
        func numbers(_ value: Any, _ what: String) throws(InputDocumentError) -> [Float] {
            guard let list = value as? [Any] else { throw .init("\(what) must be a list of numbers") }
            var out: [Float] = []
            out.reserveCapacity(list.count)
            for (i, v) in list.enumerated() {
                guard let n = v as? NSNumber, n.doubleValue.isFinite, abs(n.doubleValue) <= Double(Float.greatestFiniteMagnitude) else {
                    throw .init("\(what)[\(i)] is not a finite number")
                }
                out.append(n.floatValue)
            }
            return out
        }
        if let data = object["input_data"] {
            guard let lists = data as? [Any], !lists.isEmpty else { throw .init("input_data must be a non-empty list") }
            var rows: [[Float]] = []
            for (i, list) in lists.enumerated() { rows.append(try numbers(list, "input_data[\(i)]")) }
            self.rows = rows
        } else if let name = inputName, let values = object[name] {
            rows = [try numbers(values, name)]
        } else {
            throw .init("expected \"input_data\" (EZKL format) or a tensor named \"\(inputName ?? "input")\"")
        }
        if let output = object["output_data"] as? [Any], let first = output.first {
            expectedOutput = try numbers(first, "output_data[0]")
        }
    }
}

/// Why an input document cannot be used.
public struct InputDocumentError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
