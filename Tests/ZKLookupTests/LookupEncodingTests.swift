import Testing
import ZKField
import ZKLookup
import ZKSumcheck
import ZKTesting

@Suite("logUp-GKR: proof encoding")
struct LookupEncodingTests {
    static func sample() throws -> Proven {
        var rng = SeededGenerator.forTest(stream: 400)
        let statement = LookupStatement<F>(
            tables: [try .range(bits: 3), try .relu(bits: 2)],
            groups: [LookupGroup(table: 0, count: 5), LookupGroup(table: 1, count: 3, paddingRow: 2)])
        let rows = statement.groups.map { randomRows($0.count, below: statement.tables[$0.table].paddedRowCount, &rng) }
        return try prove(statement, try statement.witness(rowIndices: rows))
    }

    @Test func roundTripAndLayout() throws {
        let proof = try Self.sample().proof
        let bytes = proof.encoded()
        #expect(try LookupProof<F>(encoded: bytes) == proof)
        #expect(Array(bytes.prefix(5)) == Array("ZKLU".utf8) + [1])
        // Size: header, 4 roots × 2, layers, claims — every element is 32 bytes.
        let elements = proof.roots.count + proof.layers.reduce(0) {
            $0 + $1.childValues.count + $1.sumcheck.roundMessages.reduce(0) { $0 + $1.count }
        } + proof.columnEvaluations.reduce(0) { $0 + $1.count } + proof.multiplicityEvaluations.count
        let rounds = proof.layers.reduce(0) { $0 + $1.sumcheck.roundMessages.count }
        let header = 5 + 1 + F.fieldID.utf8.count
        let counts = 4 + 4 + proof.layers.count * 8 + rounds + 4 + proof.columnEvaluations.count * 4 + 4
        #expect(bytes.count == header + counts + 32 * elements)
    }

    @Test func everyTruncationIsATypedError() throws {
        let bytes = try Self.sample().proof.encoded()
        for length in 0..<bytes.count {
            #expect(throws: LookupError.self) { _ = try LookupProof<F>(encoded: Array(bytes.prefix(length))) }
        }
        #expect(throws: LookupError.decoding(.trailingBytes(count: 1))) { _ = try LookupProof<F>(encoded: bytes + [0]) }
    }

    @Test func specificMalformations() throws {
        let bytes = try Self.sample().proof.encoded()
        var b = bytes
        b[0] ^= 1
        #expect(throws: LookupError.decoding(.badMagic)) { _ = try LookupProof<F>(encoded: b) }
        b = bytes
        b[4] = 2
        #expect(throws: LookupError.decoding(.unsupportedVersion(2))) { _ = try LookupProof<F>(encoded: b) }
        b = bytes
        b[6] ^= 0x20
        #expect(throws: LookupError.decoding(.wrongField(expected: F.fieldID))) { _ = try LookupProof<F>(encoded: b) }
        // The first root element: all ones is ≥ p (non-canonical).
        let firstElement = 5 + 1 + F.fieldID.utf8.count + 4
        b = bytes
        for i in firstElement..<(firstElement + 32) { b[i] = 0xff }
        #expect(throws: LookupError.decoding(.nonCanonicalElement)) { _ = try LookupProof<F>(encoded: b) }
        // A huge count is refused before allocating.
        b = bytes
        for i in (firstElement - 4)..<firstElement { b[i] = 0xff }
        #expect(throws: LookupError.decoding(.lengthTooLarge)) { _ = try LookupProof<F>(encoded: b) }
    }

    /// Random byte flips never crash and never verify.
    @Test func randomFlipsNeverVerify() throws {
        let sample = try Self.sample()
        let bytes = sample.proof.encoded()
        var rng = SeededGenerator.forTest(stream: 401)
        var decodedButRejected = 0
        for _ in 0..<300 {
            var b = bytes
            let flips = Int.random(in: 1...3, using: &rng)
            for _ in 0..<flips { b[Int.random(in: 0..<b.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng) }
            do {
                let proof = try LookupProof<F>(encoded: b)
                #expect(throws: LookupError.self) { _ = try verify(sample.statement, proof) }
                decodedButRejected += 1
            } catch {
                // A typed decoding error.
            }
        }
        #expect(decodedButRejected > 0)
    }
}
