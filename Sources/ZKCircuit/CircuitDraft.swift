/// A circuit under construction: tensors, relations, deduplicated tables and the known values
/// (weights, constants) — what the compiler and the example circuits build circuits with.
public struct CircuitDraft: Sendable {
    public var tensors: [TensorInfo] = []
    public var relations: [Relation] = []
    public private(set) var tables: [LookupTableSpec] = []
    public var known: [TensorID: [Int64]] = [:]
    private var tableIndex: [LookupTableSpec: Int] = [:]

    public init() {}

    /// Appends a tensor and returns its id.
    public mutating func add(_ info: TensorInfo) -> TensorID {
        tensors.append(info)
        return tensors.count - 1
    }

    /// The index of `spec`, appended on first use.
    public mutating func table(_ spec: LookupTableSpec) -> Int {
        if let index = tableIndex[spec] { return index }
        tables.append(spec)
        tableIndex[spec] = tables.count - 1
        return tables.count - 1
    }

    public func circuit(input: TensorID, output: TensorID) -> Circuit {
        Circuit(tensors: tensors, relations: relations, tables: tables, input: input, output: output)
    }
}
