public import ZKField

/// How the verifier evaluates one column of a table's multilinear extension at a point of the
/// challenge field, and how the prover reads its rows.
///
/// A custom column (a table whose MLE has a closed form not covered by ``LookupTableColumn``)
/// conforms to this protocol. The soundness rule it must follow: ``evaluate(at:)`` is computed by
/// the verifier from public data (a closed form or values held in the verification key), never
/// from anything the prover sends, and it is the multilinear extension of ``value(atRow:)`` —
/// multilinear in every coordinate and equal to the row values on the boolean hypercube (row index
/// `y = Σ_j y_j 2^(j−1)`, `y_1` the lowest bit, the project's convention).
public protocol LookupColumnEvaluator<BaseField>: Sendable {
    associatedtype BaseField: PrimeField
    /// The column's value at table row `row` (`0 ≤ row < 2^numVariables`).
    func value(atRow row: Int) -> BaseField
    /// The column's multilinear extension at `point` (`point.count` is the table's `numVariables`).
    func evaluate<E: ExtensionField>(at point: [E]) -> E where E.BaseField == BaseField
}

/// One column of a lookup table, described so that the verifier can evaluate its multilinear
/// extension itself.
///
/// With `y = Σ_{j=1}^{m} 2^(j−1) y_j` the row index of a point `(y_1, …, y_m)` of the table's
/// hypercube (lowest bit first):
///
/// - ``index(offset:)``: `t(y) = y + offset`. The extension `Σ_j 2^(j−1) y_j + offset` is affine,
///   hence multilinear, and agrees with `t` on the hypercube, so it *is* the MLE: `O(m)` to evaluate.
///   Offset 0 is the range table `[0, 2^m)`; offset `−2^(m−1)` the signed range `[−2^(m−1), 2^(m−1))`.
/// - ``reluOfSignedIndex``: `t(y) = relu(y − 2^(m−1))`. Write `L = Σ_{j<m} 2^(j−1) y_j` (the low
///   bits). If the top bit `y_m = 1` then `y − 2^(m−1) = L ≥ 0`, so relu is `L`; if `y_m = 0` then
///   `y − 2^(m−1) = L − 2^(m−1) < 0`, so relu is 0. Hence `t = y_m · L` on the hypercube, and `y_m · L`
///   is multilinear (a product of polynomials in disjoint variables, each of degree ≤ 1 in each): the MLE.
/// - ``stored(_:)``: the `2^m` values are part of the verification key; the verifier evaluates their
///   MLE itself in `O(2^m)` (e.g. `f(x)` of an activation table).
/// - ``custom(_:)``: any other verifier-side evaluator (see ``LookupColumnEvaluator``).
public enum LookupTableColumn<F: PrimeField>: Sendable {
    case index(offset: Int64)
    case reluOfSignedIndex
    case stored([F])
    case custom(any LookupColumnEvaluator<F>)
}

/// A lookup table of `w`-tuples with `2^m` rows (a power of two), whose columns' multilinear
/// extensions the verifier computes itself (closed form or from the verification key).
///
/// Rows `rowCount ..< 2^m` are *padding*: each repeats a genuine row (row 0 for tables built from
/// rows), so a lookup of a padding row is a lookup of a genuine entry; the honest multiplicity of a
/// padding row is 0. Closed-form tables have no padding.
public struct LookupTable<F: PrimeField>: Sendable {
    /// `m`: the table has `2^m` rows.
    public let numVariables: Int
    /// The number of genuine rows (rows from this index on are padding copies).
    public let rowCount: Int
    /// The `w` columns of the tuples.
    public let columns: [LookupTableColumn<F>]

    /// The largest supported table, `2^maximumNumVariables` rows.
    public static var maximumNumVariables: Int { 30 }

    /// A table from column descriptions.
    /// - Throws: ``LookupError/invalidStatement(_:)`` when there is no column, `m` is out of range,
    ///   `rowCount` is not in `1 ... 2^m`, a stored column has the wrong length, or
    ///   ``LookupTableColumn/reluOfSignedIndex`` is used with `m = 0`.
    public init(numVariables: Int, rowCount: Int? = nil, columns: [LookupTableColumn<F>]) throws(LookupError) {
        guard numVariables >= 0, numVariables <= Self.maximumNumVariables else {
            throw .invalidStatement("table numVariables \(numVariables) outside 0...\(Self.maximumNumVariables)")
        }
        let size = 1 << numVariables
        let rows = rowCount ?? size
        guard rows >= 1, rows <= size else { throw .invalidStatement("table rowCount \(rows) outside 1...\(size)") }
        guard !columns.isEmpty else { throw .invalidStatement("a table needs at least one column") }
        for column in columns {
            switch column {
            case .stored(let values) where values.count != size:
                throw .invalidStatement("stored column has \(values.count) values, table has \(size) rows")
            case .reluOfSignedIndex where numVariables == 0:
                throw .invalidStatement("a relu column needs at least one variable")
            default: break
            }
        }
        self.numVariables = numVariables
        self.rowCount = rows
        self.columns = columns
    }

    /// `w`, the tuple width.
    @inlinable public var width: Int { columns.count }
    /// `2^m`.
    @inlinable public var paddedRowCount: Int { 1 << numVariables }

    // MARK: Standard tables

    /// The range table `[0, 2^bits)`: `t(y) = y`.
    public static func range(bits: Int) throws(LookupError) -> LookupTable {
        try LookupTable(numVariables: bits, columns: [.index(offset: 0)])
    }

    /// The signed range `[−2^(bits−1), 2^(bits−1))`: `t(y) = y − 2^(bits−1)`; the value `v` sits at row
    /// `v + 2^(bits−1)`.
    public static func signedRange(bits: Int) throws(LookupError) -> LookupTable {
        guard bits >= 1 else { throw .invalidStatement("a signed range needs at least one bit") }
        return try LookupTable(numVariables: bits, columns: [.index(offset: -(Int64(1) << Int64(bits - 1)))])
    }

    /// The two-column table `(x, relu(x))` for `x ∈ [−2^(bits−1), 2^(bits−1))`, both columns in
    /// closed form; `x` sits at row `x + 2^(bits−1)`.
    public static func relu(bits: Int) throws(LookupError) -> LookupTable {
        guard bits >= 1 else { throw .invalidStatement("a relu table needs at least one bit") }
        return try LookupTable(
            numVariables: bits, columns: [.index(offset: -(Int64(1) << Int64(bits - 1))), .reluOfSignedIndex])
    }

    /// The two-column table `(x, f(x))` for `x ∈ [−2^(bits−1), 2^(bits−1))`: `x` in closed form,
    /// `f(x)` stored (it belongs in the verification key). `x` sits at row `x + 2^(bits−1)`.
    public static func signedFunction(bits: Int, _ f: (Int64) -> Int64) throws(LookupError) -> LookupTable {
        guard bits >= 1, bits <= maximumNumVariables else {
            throw .invalidStatement("function table bits \(bits) outside 1...\(maximumNumVariables)")
        }
        let half = Int64(1) << Int64(bits - 1)
        let values = (0..<(Int64(1) << Int64(bits))).map { y in F(f(y - half)) }
        return try LookupTable(numVariables: bits, columns: [.index(offset: -half), .stored(values)])
    }

    /// A table of arbitrary rows (all of width `w`), every column stored; padded to a power of two
    /// by repeating row 0 (a genuine entry).
    public static func rows(_ rows: [[F]]) throws(LookupError) -> LookupTable {
        guard let width = rows.first?.count, width >= 1 else { throw .invalidStatement("a table needs a row of width ≥ 1") }
        guard rows.allSatisfy({ $0.count == width }) else { throw .invalidStatement("table rows of different widths") }
        guard rows.count <= 1 << maximumNumVariables else { throw .invalidStatement("too many table rows") }
        var size = 1
        while size < rows.count { size <<= 1 }
        let columns: [LookupTableColumn<F>] = (0..<width).map { k in
            .stored((0..<size).map { y in y < rows.count ? rows[y][k] : rows[0][k] })
        }
        return try LookupTable(numVariables: size.trailingZeroBitCount, rowCount: rows.count, columns: columns)
    }

    // MARK: Rows (prover side)

    /// Column `k` at row `row`.
    /// - Precondition: `0 ≤ k < width`, `0 ≤ row < paddedRowCount`.
    public func value(column k: Int, row: Int) -> F {
        precondition(row >= 0 && row < paddedRowCount, "row \(row) outside the table")
        switch columns[k] {
        case .index(let offset):
            return F(Int64(row) + offset)
        case .reluOfSignedIndex:
            let top = row >> (numVariables - 1)
            return top == 1 ? F(UInt64(row - (1 << (numVariables - 1)))) : .zero
        case .stored(let values):
            return values[row]
        case .custom(let evaluator):
            return evaluator.value(atRow: row)
        }
    }

    /// The tuple at `row`.
    public func row(_ row: Int) -> [F] { (0..<width).map { value(column: $0, row: row) } }

    /// All `2^m` values of column `k` (the table's hypercube values).
    public func columnValues(_ k: Int) -> [F] {
        switch columns[k] {
        case .stored(let values): return values
        default: return (0..<paddedRowCount).map { value(column: k, row: $0) }
        }
    }

    // MARK: Multilinear extensions (verifier side)

    /// The multilinear extension of column `k` at `point` (`point.count == numVariables`), computed
    /// from the table's description alone.
    public func evaluateColumn<E: ExtensionField>(_ k: Int, at point: [E]) -> E where E.BaseField == F {
        precondition(point.count == numVariables, "point has \(point.count) coordinates, table has \(numVariables) variables")
        switch columns[k] {
        case .index(let offset):
            return indexPolynomial(point[...]) + E(base: F(offset))
        case .reluOfSignedIndex:
            return point[numVariables - 1] * indexPolynomial(point[..<(numVariables - 1)])
        case .stored(let values):
            return storedMLE(values, at: point)
        case .custom(let evaluator):
            return evaluator.evaluate(at: point)
        }
    }

    /// `[t_1(point), …, t_w(point)]`.
    public func evaluateColumns<E: ExtensionField>(at point: [E]) -> [E] where E.BaseField == F {
        (0..<width).map { evaluateColumn($0, at: point) }
    }

    /// `Σ_j 2^(j−1) y_j` at a point (the MLE of the row index).
    private func indexPolynomial<E: ExtensionField>(_ point: ArraySlice<E>) -> E where E.BaseField == F {
        var sum = E.zero
        var weight = F.one
        for coordinate in point {
            sum += coordinate * weight
            weight = weight.doubled()
        }
        return sum
    }

    /// The MLE of a stored table at a point of `E` (fold the lowest variable first; the first fold
    /// lifts `F → E`).
    private func storedMLE<E: ExtensionField>(_ values: [F], at point: [E]) -> E where E.BaseField == F {
        guard let r = point.first else { return E(base: values[0]) }
        var current = [E](unsafeUninitializedCapacity: values.count / 2) { buffer, initialized in
            for i in 0..<(values.count / 2) {
                let a = values[2 * i], b = values[2 * i + 1]
                buffer[i] = E(base: a) + r * (b - a)
            }
            initialized = values.count / 2
        }
        var size = current.count
        for r in point.dropFirst() {
            for i in 0..<(size / 2) {
                let a = current[2 * i], b = current[2 * i + 1]
                current[i] = a + r * (b - a)
            }
            size /= 2
        }
        return current[0]
    }

    // MARK: Multiplicities

    /// The multiplicity of every row (`2^m` counts, padding rows included) of the lookups given as
    /// row indices.
    /// - Throws: ``LookupError/invalidWitness(_:)`` for an index outside `0 ..< 2^m`.
    public func multiplicityCounts(rowIndices: some Sequence<Int>) throws(LookupError) -> [UInt64] {
        var counts = [UInt64](repeating: 0, count: paddedRowCount)
        for index in rowIndices {
            guard index >= 0, index < paddedRowCount else {
                throw .invalidWitness("row index \(index) outside the table's \(paddedRowCount) rows")
            }
            counts[index] += 1
        }
        return counts
    }
}
