public import ZKField
import ZKBigInt

/// One set of lookups: `count` witness tuples, each of which must be a row of table `table`.
///
/// The witness columns are padded from `count` to `2^numVariables` entries with the tuple at
/// `paddingRow` of the table — a genuine entry, so every padding slot is a real lookup (its
/// multiplicity is counted) and the numerator of every witness leaf is 1.
public struct LookupGroup: Sendable, Hashable {
    /// Index of the table in ``LookupStatement/tables``.
    public var table: Int
    /// `N`, the number of lookups (≥ 1).
    public var count: Int
    /// The table row whose tuple fills the padding slots `N ..< 2^n`.
    public var paddingRow: Int

    public init(table: Int, count: Int, paddingRow: Int = 0) {
        self.table = table
        self.count = count
        self.paddingRow = paddingRow
    }

    /// `n = ⌈log₂ N⌉`: the witness hypercube has `2^n` slots.
    public var numVariables: Int {
        count <= 1 ? 0 : Int.bitWidth - (count - 1).leadingZeroBitCount
    }
    /// `2^n`.
    public var paddedCount: Int { 1 << numVariables }
}

/// What is being proven: a list of tables and a list of lookup groups into them. Public data
/// (circuit description / verification key); the verifier never takes it from a proof.
public struct LookupStatement<F: PrimeField>: Sendable {
    public var tables: [LookupTable<F>]
    public var groups: [LookupGroup]

    public init(tables: [LookupTable<F>], groups: [LookupGroup]) {
        self.tables = tables
        self.groups = groups
    }

    /// The largest supported witness group, `2^maximumGroupVariables` padded lookups.
    public static var maximumGroupVariables: Int { 30 }

    /// The fraction trees in proof order: one per group, then one per table.
    @usableFromInline var treeHeights: [Int] { groups.map(\.numVariables) + tables.map(\.numVariables) }

    /// Checks the statement's shape and the logUp size conditions.
    ///
    /// logUp's soundness (Haböck, Lemma 5) needs every multiplicity to be a count below the field
    /// characteristic `p`: for each table the total number of padded lookups into it must be `< p`,
    /// and the table size `2^m < p`.
    /// - Throws: ``LookupError/invalidStatement(_:)`` or ``LookupError/sizeNotBelowCharacteristic(table:)``.
    public func validate() throws(LookupError) {
        guard !tables.isEmpty else { throw .invalidStatement("no table") }
        guard !groups.isEmpty else { throw .invalidStatement("no lookup group") }
        var lookupsPerTable = [Int](repeating: 0, count: tables.count)
        for (g, group) in groups.enumerated() {
            guard group.table >= 0, group.table < tables.count else {
                throw .invalidStatement("group \(g) refers to table \(group.table) of \(tables.count)")
            }
            guard group.count >= 1, group.count <= 1 << Self.maximumGroupVariables else {
                throw .invalidStatement("group \(g) has \(group.count) lookups (1...2^\(Self.maximumGroupVariables))")
            }
            let table = tables[group.table]
            guard group.paddingRow >= 0, group.paddingRow < table.rowCount else {
                throw .invalidStatement("group \(g) pads with row \(group.paddingRow), not a genuine row of table \(group.table)")
            }
            lookupsPerTable[group.table] += group.paddedCount
        }
        let modulus = F.modulus
        for (t, table) in tables.enumerated() {
            guard BigInteger(lookupsPerTable[t]) < modulus, BigInteger(table.paddedRowCount) < modulus else {
                throw .sizeNotBelowCharacteristic(table: t)
            }
        }
    }

    /// The multiplicities `m_t(y)` of every table (each `2^m_t` entries) for lookups given as row
    /// indices (`rowIndices[g]` has `groups[g].count` indices into table `groups[g].table`),
    /// counting each group's `2^n − N` padding lookups at its padding row.
    public func multiplicities(rowIndices: [[Int]]) throws(LookupError) -> [[F]] {
        try multiplicityCounts(rowIndices: rowIndices).map { $0.map { F($0) } }
    }

    /// ``multiplicities(rowIndices:)`` as integers (how many lookups hit each table row).
    public func multiplicityCounts(rowIndices: [[Int]]) throws(LookupError) -> [[UInt64]] {
        guard rowIndices.count == groups.count else {
            throw .invalidWitness("\(rowIndices.count) index lists for \(groups.count) groups")
        }
        var counts = tables.map { [UInt64](repeating: 0, count: $0.paddedRowCount) }
        for (g, group) in groups.enumerated() {
            guard rowIndices[g].count == group.count else {
                throw .invalidWitness("group \(g) has \(rowIndices[g].count) indices, expected \(group.count)")
            }
            let groupCounts = try tables[group.table].multiplicityCounts(rowIndices: rowIndices[g])
            for (y, c) in groupCounts.enumerated() { counts[group.table][y] += c }
            counts[group.table][group.paddingRow] += UInt64(group.paddedCount - group.count)
        }
        return counts
    }

    /// The honest witness for lookups given as row indices: the columns are the table rows at the
    /// indices, the multiplicities as in ``multiplicities(rowIndices:)``.
    public func witness(rowIndices: [[Int]]) throws(LookupError) -> LookupWitness<F> {
        let multiplicities = try multiplicities(rowIndices: rowIndices)
        let columns = groups.enumerated().map { g, group in
            let table = tables[group.table]
            return (0..<table.width).map { k in rowIndices[g].map { table.value(column: k, row: $0) } }
        }
        return LookupWitness(columns: columns, multiplicities: multiplicities)
    }
}

/// The prover's private input: the witness columns of every group and the multiplicities of every
/// table. The caller commits to both (and absorbs the commitment) before the argument runs.
public struct LookupWitness<F: PrimeField>: Sendable {
    /// `columns[g][k]`: column `k` of group `g`, `groups[g].count` entries (unpadded).
    public var columns: [[[F]]]
    /// `multiplicities[t]`: `2^m_t` entries, zero on padding rows for an honest prover.
    public var multiplicities: [[F]]

    public init(columns: [[[F]]], multiplicities: [[F]]) {
        self.columns = columns
        self.multiplicities = multiplicities
    }
}

/// A claimed evaluation the lookup argument leaves for the caller's claim ledger: the multilinear
/// extension of a committed vector at a point.
public struct LookupEvaluationClaim<E: FiniteField>: Sendable, Equatable {
    /// What is evaluated.
    public enum Polynomial: Sendable, Hashable {
        /// Column `column` of group `group`'s witness, **zero-padded** from `N` to `2^n` entries
        /// (``DenseMultilinearExtension/init(paddingWithZeros:numVariables:)``).
        case witnessColumn(group: Int, column: Int)
        /// The multiplicities of table `table` (`2^m` entries, as committed).
        case multiplicities(table: Int)
    }
    public var polynomial: Polynomial
    /// The point, lowest-bit variable first (``DenseMultilinearExtension`` order).
    public var point: [E]
    public var value: E

    public init(polynomial: Polynomial, point: [E], value: E) {
        self.polynomial = polynomial
        self.point = point
        self.value = value
    }
}

/// The result of a successful lookup argument: the claims that remain to be checked against the
/// commitments, plus the challenges (for diagnostics).
public struct LookupClaims<E: FiniteField>: Sendable, Equatable {
    /// One claim per witness column, in group order, then column order. All groups with the same
    /// `n` share one point.
    public var witnessColumns: [LookupEvaluationClaim<E>]
    /// One claim per table, in table order.
    public var multiplicities: [LookupEvaluationClaim<E>]
    /// The logUp challenge `α` and the tuple-compression challenge `β`.
    public var alpha: E
    public var beta: E

    /// All claims: witness columns, then multiplicities.
    public var all: [LookupEvaluationClaim<E>] { witnessColumns + multiplicities }
}

/// Which fraction tree an error refers to.
public enum LookupTree: Sendable, Hashable {
    case group(Int)
    case table(Int)
}

/// Why a lookup statement, witness or proof was rejected.
public enum LookupError: Error, Equatable, Sendable {
    // Statement and witness (caller errors).
    /// The statement is malformed (message says how).
    case invalidStatement(String)
    /// The witness does not have the statement's shape (message says how).
    case invalidWitness(String)
    /// The lookups into a table, or the table itself, are not below the field characteristic.
    case sizeNotBelowCharacteristic(table: Int)

    // Proof shape (checked before any value is used).
    case wrongRootCount(expected: Int, got: Int)
    case wrongLayerCount(expected: Int, got: Int)
    case wrongRoundCount(depth: Int, expected: Int, got: Int)
    case wrongMessageLength(depth: Int, round: Int, expected: Int, got: Int)
    case wrongChildValueCount(depth: Int, expected: Int, got: Int)
    case wrongGroupCount(expected: Int, got: Int)
    case wrongColumnEvaluationCount(group: Int, expected: Int, got: Int)
    case wrongMultiplicityEvaluationCount(expected: Int, got: Int)

    // Checks.
    /// A root denominator is zero: the fractions are undefined (and `0/0` would pass any
    /// cross-multiplied equality), so the proof is rejected.
    case zeroDenominator(LookupTree)
    /// `Σ_groups p_g/q_g ≠ p_t/q_t` for this table.
    case rootMismatch(table: Int)
    /// The layer reduction at this depth (0 = the roots' children) failed its final check.
    case layerMismatch(depth: Int)
    /// A group's leaf numerator is not 1.
    case witnessNumeratorMismatch(group: Int)
    /// A group's leaf denominator disagrees with `α − Σ β^(k−1) a_k` of the claimed columns.
    case witnessEvaluationMismatch(group: Int)
    /// A table's leaf denominator disagrees with `α − Σ β^(k−1) t_k` of the table's own columns.
    case tableEvaluationMismatch(table: Int)
    /// A table's leaf numerator disagrees with the claimed multiplicity evaluation.
    case multiplicityMismatch(table: Int)

    /// The binary encoding is malformed.
    case decoding(LookupDecodingError)
}

/// Why bytes are not a lookup proof.
public enum LookupDecodingError: Error, Equatable, Sendable {
    case truncated
    case badMagic
    case unsupportedVersion(UInt8)
    case wrongField(expected: String)
    case nonCanonicalElement
    /// A length field exceeds what the remaining bytes can hold or a format limit.
    case lengthTooLarge
    case trailingBytes(count: Int)
}
