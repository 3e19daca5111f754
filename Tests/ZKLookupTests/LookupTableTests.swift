import Testing
import ZKField
import ZKLookup
import ZKPoly
import ZKTesting

@Suite("Lookup tables: closed-form multilinear extensions and multiplicities")
struct LookupTableTests {
    /// The closed form of every column equals the MLE of its row values at random points (two
    /// multilinear polynomials that agree at a random point are equal except with probability
    /// m/|F|), and the rows are what the helpers promise.
    @Test(arguments: [1, 4, 8])
    func closedFormsAreTheMultilinearExtensions(bits: Int) throws {
        var rng = SeededGenerator.forTest(stream: UInt64(10 + bits))
        let half = Int64(1) << Int64(bits - 1)
        let tables: [LookupTable<F>] = [
            try .range(bits: bits), try .signedRange(bits: bits), try .relu(bits: bits),
            try .signedFunction(bits: bits) { $0 * $0 - 3 },
        ]
        for table in tables {
            for _ in 0..<3 {
                let point = (0..<bits).map { _ in F.random(using: &rng) }
                for k in 0..<table.width {
                    let mle = DenseMultilinearExtension(evaluations: table.columnValues(k))
                    #expect(table.evaluateColumn(k, at: point) == mle.evaluate(at: point))
                }
            }
        }
        for y in 0..<(1 << bits) {
            let v = Int64(y) - half
            #expect(tables[0].row(y) == [F(UInt64(y))])
            #expect(tables[1].row(y) == [F(v)])
            #expect(tables[2].row(y) == [F(v), F(max(0, v))])
            #expect(tables[3].row(y) == [F(v), F(v * v - 3)])
        }
    }

    @Test func rowsArePaddedWithAGenuineRow() throws {
        let rows: [[F]] = (0..<5).map { [F(UInt64($0)), F(UInt64(10 * $0 + 1))] }
        let table = try LookupTable<F>.rows(rows)
        #expect(table.numVariables == 3 && table.rowCount == 5 && table.paddedRowCount == 8)
        for y in 5..<8 { #expect(table.row(y) == rows[0]) }
        var rng = SeededGenerator.forTest(stream: 20)
        let point = (0..<3).map { _ in F.random(using: &rng) }
        #expect(table.evaluateColumns(at: point) == (0..<2).map {
            DenseMultilinearExtension(evaluations: table.columnValues($0)).evaluate(at: point)
        })
    }

    @Test func multiplicitiesCountEveryLookupAndThePadding() throws {
        let statement = LookupStatement<F>(
            tables: [try .range(bits: 3), try .signedRange(bits: 2)],
            groups: [LookupGroup(table: 0, count: 5, paddingRow: 2), LookupGroup(table: 0, count: 2),
                     LookupGroup(table: 1, count: 3, paddingRow: 1)])
        let m = try statement.multiplicities(rowIndices: [[1, 1, 7, 0, 3], [4, 1], [0, 3, 3]])
        // group 0 pads 5 → 8 with row 2 (3 lookups); group 1 has 2 = 2^1 (no padding); group 2 pads 3 → 4 with row 1.
        #expect(m[0] == [1, 3, 3, 1, 1, 0, 0, 1].map { F(UInt64($0)) })
        #expect(m[1] == [1, 1, 0, 2].map { F(UInt64($0)) })
        #expect(throws: LookupError.self) { _ = try statement.multiplicities(rowIndices: [[1, 1, 8, 0, 3], [4, 1], [0, 3, 3]]) }
        #expect(throws: LookupError.self) { _ = try statement.multiplicities(rowIndices: [[1], [4, 1], [0, 3, 3]]) }
    }

    @Test func malformedTablesAndStatementsAreRejected() throws {
        #expect(throws: LookupError.self) { _ = try LookupTable<F>(numVariables: 2, columns: [.stored([1, 2, 3])]) }
        #expect(throws: LookupError.self) { _ = try LookupTable<F>(numVariables: 2, columns: []) }
        #expect(throws: LookupError.self) { _ = try LookupTable<F>(numVariables: 31, columns: [.index(offset: 0)]) }
        #expect(throws: LookupError.self) { _ = try LookupTable<F>(numVariables: 0, columns: [.reluOfSignedIndex]) }
        #expect(throws: LookupError.self) { _ = try LookupTable<F>(numVariables: 2, rowCount: 5, columns: [.index(offset: 0)]) }
        let table = try LookupTable<F>.rows([[1], [2], [3]])
        for groups in [
            [LookupGroup(table: 1, count: 4)],
            [LookupGroup(table: 0, count: 0)],
            [LookupGroup(table: 0, count: 4, paddingRow: 3)],   // row 3 is padding, not genuine
            [],
        ] {
            #expect(throws: LookupError.self) { try LookupStatement(tables: [table], groups: groups).validate() }
        }
    }
}

/// A caller-supplied closed form: `t(y) = 3y + 1` (affine, hence its own MLE).
struct ThreeYPlusOne: LookupColumnEvaluator {
    typealias BaseField = F
    func value(atRow row: Int) -> F { F(UInt64(3 * row + 1)) }
    func evaluate<E: ExtensionField>(at point: [E]) -> E where E.BaseField == F {
        var sum = E(base: .one)
        var weight = F(3)
        for coordinate in point {
            sum += coordinate * weight
            weight = weight.doubled()
        }
        return sum
    }
}

@Suite("Lookup tables: custom evaluators")
struct CustomColumnTests {
    @Test func aCustomColumnProvesAndVerifies() throws {
        let table = try LookupTable<F>(numVariables: 4, columns: [.index(offset: 0), .custom(ThreeYPlusOne())])
        var rng = SeededGenerator.forTest(stream: 30)
        let point = (0..<4).map { _ in F.random(using: &rng) }
        #expect(table.evaluateColumn(1, at: point) == DenseMultilinearExtension(evaluations: table.columnValues(1)).evaluate(at: point))
        let statement = LookupStatement(tables: [table], groups: [LookupGroup(table: 0, count: 10, paddingRow: 5)])
        let rows = randomRows(10, below: 16, &rng)
        let proven = try prove(statement, try statement.witness(rowIndices: [rows]))
        #expect(try verify(statement, proven.proof) == proven.claims)
        #expect(proven.witness.columns[0][1] == rows.map { F(UInt64(3 * $0 + 1)) })
    }
}
