import Testing
import ZKBigInt
import ZKField
import ZKParallel
import ZKTesting

/// The row-combination kernel (`BN254Fr.combineRows`, the 16-bit multiply-add kernel) against plain
/// field arithmetic, `Σ_i F(Int64(M[i][j])) · c_i`, element for element.
///
/// Shapes cover column counts that are not multiples of the kernel's 16-column groups, row counts
/// past its 64-pair slabs (so the 32-bit lanes are widened into the 64-bit sums several times),
/// odd numbers of nonzero int8 rows (the last row pairs with itself), zero coefficients (rows the
/// kernel skips), all-zero coefficient vectors, and weights at the extremes of their type.
@Suite("Row-combination kernel against plain field arithmetic")
struct RowCombinationTests {
    /// `result[j] = Σ_i F(Int64(matrix[i·columns + j])) · coefficients[i]`, one multiplication per weight.
    static func plain<W: FixedWidthInteger & SignedInteger>(_ matrix: [W], columns: Int, _ coefficients: [BN254Fr]) -> [BN254Fr] {
        var result = [BN254Fr](repeating: .zero, count: columns)
        for i in coefficients.indices {
            for j in 0..<columns { result[j] += BN254Fr(Int64(matrix[i * columns + j])) * coefficients[i] }
        }
        return result
    }

    static func fast<W: FixedWidthInteger & SignedInteger>(_ matrix: [W], columns: Int, _ coefficients: [BN254Fr]) -> [BN254Fr] {
        matrix.withUnsafeBufferPointer { m in
            coefficients.withUnsafeBufferPointer { c in BN254Fr.combineRows(m, columns: columns, coefficients: c) }
        }
    }

    /// Coefficients of several kinds: random, with every third one zero, ±1, one nonzero row, all zero.
    static func coefficientVectors(rows: Int, using rng: inout SeededGenerator) -> [[BN254Fr]] {
        let random = (0..<rows).map { _ in BN254Fr.random(using: &rng) }
        var sparse = random
        for i in stride(from: 0, to: rows, by: 3) { sparse[i] = .zero }
        let signs = (0..<rows).map { i in i % 2 == 0 ? -BN254Fr.one : BN254Fr.one }
        var single = [BN254Fr](repeating: .zero, count: rows)
        single[rows / 2] = BN254Fr.random(using: &rng)
        return [random, sparse, signs, single, [BN254Fr](repeating: .zero, count: rows)]
    }

    /// A random matrix whose first entries and a scattering of others sit at `extremes`.
    static func matrix<W: FixedWidthInteger & SignedInteger>(
        rows: Int, columns: Int, extremes: [W], using rng: inout SeededGenerator, random: (inout SeededGenerator) -> W
    ) -> [W] {
        var m = (0..<(rows * columns)).map { _ in random(&rng) }
        for (t, x) in extremes.enumerated() where t < m.count { m[t] = x }
        for index in stride(from: 5, to: m.count, by: 7) { m[index] = extremes[index % extremes.count] }
        return m
    }

    static let shapes = [(1, 1), (2, 15), (3, 16), (5, 17), (7, 31), (64, 48), (129, 33), (130, 20), (300, 45)]

    func check<W: FixedWidthInteger & SignedInteger>(
        _ type: W.Type, extremes: [W], stream: UInt64, random: @escaping (inout SeededGenerator) -> W
    ) {
        var rng = SeededGenerator.forTest(stream: stream)
        for (rows, columns) in Self.shapes {
            let m = Self.matrix(rows: rows, columns: columns, extremes: extremes, using: &rng, random: random)
            for coefficients in Self.coefficientVectors(rows: rows, using: &rng) {
                #expect(Self.fast(m, columns: columns, coefficients) == Self.plain(m, columns: columns, coefficients),
                        "\(W.self) \(rows)×\(columns)")
            }
        }
    }

    @Test func int8() {
        check(Int8.self, extremes: [-128, 127, -1, 0], stream: 71) { Int8(truncatingIfNeeded: $0.next()) }
        // The largest sums: every weight −128 against the largest representative, p − 1.
        let rows = 300, columns = 21
        let m = [Int8](repeating: -128, count: rows * columns)
        let c = [BN254Fr](repeating: -BN254Fr.one, count: rows)
        #expect(Self.fast(m, columns: columns, c) == Self.plain(m, columns: columns, c))
    }

    @Test func int16() {
        check(Int16.self, extremes: [-32768, 32767, -1, 255, -256], stream: 72) { Int16(truncatingIfNeeded: $0.next()) }
        let rows = 150, columns = 17
        let m = [Int16](repeating: -32768, count: rows * columns)
        let c = [BN254Fr](repeating: -BN254Fr.one, count: rows)
        #expect(Self.fast(m, columns: columns, c) == Self.plain(m, columns: columns, c))
    }

    @Test func int32WithinTheContractAndBeyond() {
        // The protocol's contract is |w| ≤ 2^30; BN254Fr's kernel reads all four bytes, so the
        // full Int32 range is exact too.
        check(Int32.self, extremes: [-(1 << 30), 1 << 30, -1, 0], stream: 73) {
            Int32(truncatingIfNeeded: Int64(bitPattern: $0.next()) >> 34)
        }
        check(Int32.self, extremes: [.min, .max, -(1 << 24), 1 << 24], stream: 74) { Int32(truncatingIfNeeded: $0.next()) }
    }

    @Test func widerWeightsAreNarrowedWithinTheContract() {
        var rng = SeededGenerator.forTest(stream: 75)
        let rows = 70, columns = 9
        let m = Self.matrix(rows: rows, columns: columns, extremes: [-(1 << 30), 1 << 30] as [Int64], using: &rng) {
            Int64(bitPattern: $0.next()) >> 34
        }
        for c in Self.coefficientVectors(rows: rows, using: &rng) {
            #expect(Self.fast(m, columns: columns, c) == Self.plain(m, columns: columns, c))
        }
    }

    /// Several coefficient vectors in one pass (a Ligero opening's call): each result equals the
    /// plain sum, and a large pass gives the same on one thread as on all.
    @Test func severalVectorsInOnePass() {
        var rng = SeededGenerator.forTest(stream: 77)
        for (rows, columns) in [(1, 3), (64, 40), (129, 17)] {
            let m8 = Self.matrix(rows: rows, columns: columns, extremes: [-128, 127] as [Int8], using: &rng) {
                Int8(truncatingIfNeeded: $0.next())
            }
            let m16 = Self.matrix(rows: rows, columns: columns, extremes: [-32768, 32767] as [Int16], using: &rng) {
                Int16(truncatingIfNeeded: $0.next())
            }
            let vectors = Self.coefficientVectors(rows: rows, using: &rng)
            let all8 = m8.withUnsafeBufferPointer { BN254Fr.combineRows($0, columns: columns, coefficientVectors: vectors) }
            let all16 = m16.withUnsafeBufferPointer { BN254Fr.combineRows($0, columns: columns, coefficientVectors: vectors) }
            #expect(all8 == vectors.map { Self.plain(m8, columns: columns, $0) })
            #expect(all16 == vectors.map { Self.plain(m16, columns: columns, $0) })
        }
        let empty = [Int8](repeating: 1, count: 6).withUnsafeBufferPointer {
            BN254Fr.combineRows($0, columns: 3, coefficientVectors: [])
        }
        #expect(empty.isEmpty)

        let rows = 64, columns = 4096
        let m = (0..<(rows * columns)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
        let vectors = Array(Self.coefficientVectors(rows: rows, using: &rng).prefix(4))
        let parallel = m.withUnsafeBufferPointer { BN254Fr.combineRows($0, columns: columns, coefficientVectors: vectors) }
        let serial = Parallelism.$threadLimit.withValue(1) {
            m.withUnsafeBufferPointer { BN254Fr.combineRows($0, columns: columns, coefficientVectors: vectors) }
        }
        #expect(parallel == serial)
        #expect(parallel == vectors.map { Self.fast(m, columns: columns, $0) })
    }

    @Test func emptyShapes() {
        #expect(Self.fast([Int8](), columns: 0, []) == [])
        #expect(Self.fast([Int8](), columns: 5, []) == [BN254Fr](repeating: .zero, count: 5))
        #expect(Self.fast([Int8](), columns: 0, [BN254Fr.one, .one]) == [])
    }

    /// Large enough to be split over threads: the result must not depend on the split.
    @Test func resultDoesNotDependOnTheThreadCount() {
        var rng = SeededGenerator.forTest(stream: 76)
        let rows = 128, columns = 1000
        let m = (0..<(rows * columns)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
        let c = (0..<rows).map { _ in BN254Fr.random(using: &rng) }
        let serial = Parallelism.$threadLimit.withValue(1) { Self.fast(m, columns: columns, c) }
        let parallel = Self.fast(m, columns: columns, c)
        #expect(serial == parallel)
        // Spot-check columns at the start, end and chunk boundaries against plain arithmetic.
        for j in [0, 1, 15, 16, 255, 256, 499, 500, 767, 998, 999] {
            var expected = BN254Fr.zero
            for i in 0..<rows { expected += BN254Fr(Int64(m[i * columns + j])) * c[i] }
            #expect(parallel[j] == expected, "column \(j)")
        }
    }
}
