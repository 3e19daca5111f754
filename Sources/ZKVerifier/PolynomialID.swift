public import ZKCircuit

/// A committed or public vector a claim can be about: a tensor of the circuit, or the lookup
/// multiplicities of one table.
public enum PolynomialID: Sendable, Hashable, CustomStringConvertible {
    case tensor(TensorID)
    case multiplicities(table: Int)

    public var description: String {
        switch self {
        case .tensor(let id): return "tensor \(id)"
        case .multiplicities(let table): return "multiplicities of table \(table)"
        }
    }
}
