/// A fixed lookup table, described by integers so that the circuit (and the verification key)
/// is independent of the field. The proof system turns it into a table over the field whose
/// multilinear extension the verifier evaluates itself: in closed form for ranges, from the
/// stored values (part of the verification key) for function tables — never from the prover.
public enum LookupTableSpec: Sendable, Hashable, Codable {
    /// `{0, 1, …, 2^bits − 1}`: one column.
    case range(bits: Int)
    /// Pairs `(x, f(x))` for `x ∈ [−2^(bits−1), 2^(bits−1))`, `values[x + 2^(bits−1)] = f(x)`:
    /// two columns. `name` says which function (e.g. `relu-clamp[0,127]`).
    case function(name: String, bits: Int, values: [Int64])

    /// Number of columns in a row.
    public var width: Int {
        switch self {
        case .range: return 1
        case .function: return 2
        }
    }

    /// The number of rows.
    public var rowCount: Int {
        switch self {
        case .range(let bits), .function(_, let bits, _): return 1 << bits
        }
    }

    /// Whether `row` (one value per column) is in the table.
    public func contains(_ row: [Int64]) -> Bool {
        switch self {
        case .range(let bits):
            return row.count == 1 && row[0] >= 0 && row[0] < Int64(1) << Int64(bits)
        case .function(_, let bits, let values):
            let half = Int64(1) << Int64(bits - 1)
            guard row.count == 2, row[0] >= -half, row[0] < half else { return false }
            return values[Int(row[0] + half)] == row[1]
        }
    }

    /// The table row index of a row that is in the table.
    public func rowIndex(of row: [Int64]) -> Int? {
        guard contains(row) else { return nil }
        switch self {
        case .range: return Int(row[0])
        case .function(_, let bits, _): return Int(row[0] + (Int64(1) << Int64(bits - 1)))
        }
    }

    /// A function table for `f` over `bits`-bit signed inputs.
    public static func function(name: String, bits: Int, _ f: (Int64) -> Int64) -> LookupTableSpec {
        let half = Int64(1) << Int64(bits - 1)
        return .function(name: name, bits: bits, values: (-half..<half).map(f))
    }
}
