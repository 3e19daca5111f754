import Testing
import ZKBigInt
import ZKField
import ZKLookup
import ZKParallel
import ZKPoly
import ZKSumcheck
import ZKTesting
import ZKTranscript

@Suite("logUp-GKR: completeness")
struct LogUpCompletenessTests {
    /// Honest proofs verify, prover and verifier agree on the claims and the transcript, and the
    /// claims are the MLEs of the zero-padded witness columns and the multiplicities at the
    /// returned points (checked with `DenseMultilinearExtension`).
    func checkHonest(_ statement: LookupStatement<F>, rowIndices: [[Int]]) throws {
        let witness = try statement.witness(rowIndices: rowIndices)
        var proverTranscript = callerTranscript()
        let (proof, proverClaims) = try LogUpGKR.prove(
            statement: statement, witness: witness, transcript: &proverTranscript, challengeField: F.self)
        var verifierTranscript = callerTranscript()
        let claims = try LogUpGKR.verify(statement: statement, proof: proof, transcript: &verifierTranscript)
        #expect(claims == proverClaims)
        #expect(proverTranscript.state == verifierTranscript.state)
        #expect(claimMismatches(claims, statement: statement, witness: witness) == [])
        #expect(claims.witnessColumns.count == statement.groups.reduce(0) { $0 + statement.tables[$1.table].width })
        #expect(claims.multiplicities.count == statement.tables.count)
        // The encoding round-trips and the decoded proof verifies to the same claims.
        let decoded = try LookupProof<F>(encoded: proof.encoded())
        #expect(decoded == proof)
        #expect(try verify(statement, decoded) == claims)
    }

    @Test(arguments: [(4, 16), (4, 13), (8, 100), (8, 1), (8, 2), (4, 3)])
    func rangeTables(bits: Int, count: Int) throws {
        var rng = SeededGenerator.forTest(stream: UInt64(100 * bits + count))
        let statement = LookupStatement<F>(tables: [try .range(bits: bits)], groups: [LookupGroup(table: 0, count: count)])
        try checkHonest(statement, rowIndices: [randomRows(count, below: 1 << bits, &rng)])
    }

    /// Signed ranges pad with a nonzero tuple (row 0 is −2^(k−1)), which exercises the verifier's
    /// conversion between the zero-padded claim and the padded column.
    @Test func signedRangeWithNonzeroPadding() throws {
        var rng = SeededGenerator.forTest(stream: 200)
        let statement = LookupStatement<F>(
            tables: [try .signedRange(bits: 6)],
            groups: [LookupGroup(table: 0, count: 37, paddingRow: 0), LookupGroup(table: 0, count: 21, paddingRow: 32)])
        try checkHonest(statement, rowIndices: [randomRows(37, below: 64, &rng), randomRows(21, below: 64, &rng)])
    }

    @Test func twoColumnFunctionTables() throws {
        var rng = SeededGenerator.forTest(stream: 201)
        let table: [Int64] = (0..<32).map { _ in Int64.random(in: -1000...1000, using: &rng) }
        let statement = LookupStatement<F>(
            tables: [try .relu(bits: 5), try .signedFunction(bits: 5) { table[Int($0 + 16)] }],
            groups: [LookupGroup(table: 0, count: 50, paddingRow: 16), LookupGroup(table: 1, count: 19, paddingRow: 3)])
        try checkHonest(statement, rowIndices: [randomRows(50, below: 32, &rng), randomRows(19, below: 32, &rng)])
    }

    @Test func storedThreeColumnTableWithPaddingRows() throws {
        var rng = SeededGenerator.forTest(stream: 202)
        let rows: [[F]] = (0..<11).map { _ in (0..<3).map { _ in F.random(using: &rng) } }
        let statement = LookupStatement<F>(tables: [try .rows(rows)], groups: [LookupGroup(table: 0, count: 9, paddingRow: 4)])
        try checkHonest(statement, rowIndices: [randomRows(9, below: 11, &rng)])
    }

    /// One call, many instances: groups of different heights (including a single lookup, height 0),
    /// several groups into one table, tables of different sizes (one larger than every group).
    @Test func batchOfInstances() throws {
        var rng = SeededGenerator.forTest(stream: 203)
        let statement = LookupStatement<F>(
            tables: [try .range(bits: 8), try .relu(bits: 4), try .signedRange(bits: 3), try .range(bits: 2)],
            groups: [
                LookupGroup(table: 0, count: 70), LookupGroup(table: 1, count: 9, paddingRow: 8),
                LookupGroup(table: 0, count: 1), LookupGroup(table: 2, count: 33, paddingRow: 4),
                LookupGroup(table: 0, count: 5), LookupGroup(table: 1, count: 16),
            ])
        let rows = statement.groups.map { randomRows($0.count, below: statement.tables[$0.table].paddedRowCount, &rng) }
        try checkHonest(statement, rowIndices: rows)
    }

    /// A table nobody looks up into (all multiplicities zero) and a one-row table.
    @Test func unusedAndTinyTables() throws {
        let statement = LookupStatement<F>(
            tables: [try .range(bits: 3), try .rows([[F(42)]])],
            groups: [LookupGroup(table: 1, count: 3)])
        try checkHonest(statement, rowIndices: [[0, 0, 0]])
    }

    /// Trees of equal height end at one shared point (so the ledger sees one point per size).
    @Test func equalHeightsShareAPoint() throws {
        var rng = SeededGenerator.forTest(stream: 204)
        let statement = LookupStatement<F>(
            tables: [try .range(bits: 4)], groups: [LookupGroup(table: 0, count: 16), LookupGroup(table: 0, count: 9)])
        let witness = try statement.witness(rowIndices: [randomRows(16, below: 16, &rng), randomRows(9, below: 16, &rng)])
        let claims = try prove(statement, witness).claims
        let points = Set(claims.all.map { $0.point.map(\.canonicalBytes) })
        #expect(points.count == 1)
    }

    /// The proof does not depend on the thread count (layers large enough to run in parallel).
    @Test func parallelAndSerialProofsAgree() throws {
        var rng = SeededGenerator.forTest(stream: 205)
        let statement = LookupStatement<F>(tables: [try .range(bits: 8)], groups: [LookupGroup(table: 0, count: 1 << 13)])
        let witness = try statement.witness(rowIndices: [randomRows(1 << 13, below: 256, &rng)])
        let serial = try Parallelism.$threadLimit.withValue(1) { try prove(statement, witness).proof }
        let parallel = try Parallelism.$threadLimit.withValue(2) { try prove(statement, witness).proof }
        #expect(serial == parallel)
        #expect(try verify(statement, parallel).multiplicities.count == 1)
    }

    /// The argument is generic in the field: a full proof over a GMP-backed 64-bit prime field.
    @Test func genericOverTheField() throws {
        typealias G = GMPPrimeField<Goldilocks>
        var rng = SeededGenerator.forTest(stream: 206)
        let statement = LookupStatement<G>(tables: [try .relu(bits: 3)], groups: [LookupGroup(table: 0, count: 5, paddingRow: 4)])
        let witness = try statement.witness(rowIndices: [randomRows(5, below: 8, &rng)])
        var pt = callerTranscript()
        let (proof, claims) = try LogUpGKR.prove(statement: statement, witness: witness, transcript: &pt, challengeField: G.self)
        var vt = callerTranscript()
        #expect(try LogUpGKR.verify(statement: statement, proof: proof, transcript: &vt) == claims)
    }
}

enum Goldilocks: PrimeModulus {
    static let parameters = PrimeFieldParameters(
        modulus: BigInteger("18446744069414584321")!, generator: 7, fieldID: "goldilocks-gmp")
}

enum F97: PrimeModulus {
    static let parameters = PrimeFieldParameters(modulus: 97, generator: 5, fieldID: "f97")
}

@Suite("logUp-GKR: soundness")
struct LogUpSoundnessTests {
    static func baseline(stream: UInt64) throws -> Proven {
        var rng = SeededGenerator.forTest(stream: stream)
        let statement = LookupStatement<F>(
            tables: [try .range(bits: 4), try .relu(bits: 3)],
            groups: [LookupGroup(table: 0, count: 11), LookupGroup(table: 1, count: 6, paddingRow: 4),
                     LookupGroup(table: 0, count: 32)])
        let rows = statement.groups.map { randomRows($0.count, below: statement.tables[$0.table].paddedRowCount, &rng) }
        return try prove(statement, try statement.witness(rowIndices: rows))
    }

    func expectRejection(_ statement: LookupStatement<F>, _ proof: LookupProof<F>, _ expected: LookupError,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: expected, sourceLocation: sourceLocation) { _ = try verify(statement, proof) }
    }

    @Test func aValueOutsideTheTableIsRejected() throws {
        var rng = SeededGenerator.forTest(stream: 300)
        let statement = LookupStatement<F>(tables: [try .range(bits: 4)], groups: [LookupGroup(table: 0, count: 20)])
        let rows = randomRows(20, below: 16, &rng)
        var witness = try statement.witness(rowIndices: [rows])
        // Entry 7 becomes 16; the multiplicities count the other 19 lookups (and the padding) honestly.
        witness.columns[0][0][7] = F(16)
        witness.multiplicities = try statement.multiplicities(rowIndices: [rows])
        witness.multiplicities[0][rows[7]] -= .one
        let proven = try prove(statement, witness)
        expectRejection(statement, proven.proof, .rootMismatch(table: 0))
        // Also with a negative value (p − 1) in place of the out-of-range one.
        witness.columns[0][0][7] = F(-1)
        expectRejection(statement, try prove(statement, witness).proof, .rootMismatch(table: 0))
    }

    @Test func aTupleNotInATwoColumnTableIsRejected() throws {
        var rng = SeededGenerator.forTest(stream: 301)
        let statement = LookupStatement<F>(tables: [try .relu(bits: 4)], groups: [LookupGroup(table: 0, count: 12, paddingRow: 8)])
        let rows = randomRows(12, below: 16, &rng)
        var witness = try statement.witness(rowIndices: [rows])
        witness.columns[0][1][3] += .one   // (x, relu(x) + 1): both coordinates in range, the pair is not a row
        expectRejection(statement, try prove(statement, witness).proof, .rootMismatch(table: 0))
    }

    @Test func wrongMultiplicitiesAreRejected() throws {
        var rng = SeededGenerator.forTest(stream: 302)
        let statement = LookupStatement<F>(tables: [try .range(bits: 4)], groups: [LookupGroup(table: 0, count: 20)])
        var witness = try statement.witness(rowIndices: [randomRows(20, below: 16, &rng)])
        // Move one count between rows (the total stays right).
        let from = witness.multiplicities[0].firstIndex { !$0.isZero }!
        witness.multiplicities[0][from] -= .one
        witness.multiplicities[0][(from + 1) % 16] += .one
        expectRejection(statement, try prove(statement, witness).proof, .rootMismatch(table: 0))
    }

    /// A leaf denominator of zero: two adjacent witness entries equal to `α` make the group's root
    /// `0/0`, which would satisfy the cross-multiplied root check on its own.
    @Test func aZeroDenominatorIsRejected() throws {
        var rng = SeededGenerator.forTest(stream: 303)
        let statement = LookupStatement<F>(tables: [try .range(bits: 4)], groups: [LookupGroup(table: 0, count: 16)])
        let rows = randomRows(16, below: 16, &rng)
        var witness = try statement.witness(rowIndices: [rows])
        let (alpha, _) = LogUpGKR.previewChallenges(statement: statement, transcript: callerTranscript(), challengeField: F.self)
        witness.columns[0][0][4] = alpha
        witness.columns[0][0][5] = alpha
        witness.multiplicities = try statement.multiplicities(rowIndices: [rows])
        witness.multiplicities[0][rows[4]] -= .one
        witness.multiplicities[0][rows[5]] -= .one
        let proof = try prove(statement, witness).proof
        #expect(proof.roots[0].isZero && proof.roots[1].isZero)
        expectRejection(statement, proof, .zeroDenominator(.group(0)))

        // Forged roots 0/0 on both sides.
        var forged = try LogUpSoundnessTests.baseline(stream: 304)
        forged.proof.roots[2] = .zero; forged.proof.roots[3] = .zero   // group 1
        forged.proof.roots[8] = .zero; forged.proof.roots[9] = .zero   // table 1
        expectRejection(forged.statement, forged.proof, .zeroDenominator(.group(1)))
        forged = try LogUpSoundnessTests.baseline(stream: 304)
        forged.proof.roots[9] = .zero
        expectRejection(forged.statement, forged.proof, .zeroDenominator(.table(1)))
    }

    @Test func tamperedRootsAreRejected() throws {
        let base = try LogUpSoundnessTests.baseline(stream: 305)
        // Roots: groups 0, 1, 2, then tables 0, 1 — (p, q) each.
        var proof = base.proof
        proof.roots[1] += .one                        // q of group 0
        expectRejection(base.statement, proof, .rootMismatch(table: 0))
        proof = base.proof
        proof.roots[6] += .one                        // p of table 0
        expectRejection(base.statement, proof, .rootMismatch(table: 0))
        // Scaling p and q of one root keeps the fraction (the root check passes); layer 0 catches it.
        proof = base.proof
        proof.roots[8] *= F(3); proof.roots[9] *= F(3)   // table 1
        expectRejection(base.statement, proof, .layerMismatch(depth: 0))
    }

    @Test func tamperedLayerSumcheckMessagesAreRejected() throws {
        let base = try LogUpSoundnessTests.baseline(stream: 306)
        #expect(base.proof.layers.count == 5)
        for d in 1..<base.proof.layers.count {
            for round in 0..<d {
                for slot in 0..<3 {
                    var proof = base.proof
                    proof.layers[d].sumcheck.roundMessages[round][slot] += .one
                    expectRejection(base.statement, proof, .layerMismatch(depth: d))
                }
            }
        }
    }

    @Test func tamperedLayerClaimsAreRejected() throws {
        let base = try LogUpSoundnessTests.baseline(stream: 307)
        for d in 0..<base.proof.layers.count {
            for slot in base.proof.layers[d].childValues.indices {
                var proof = base.proof
                proof.layers[d].childValues[slot] += .one
                expectRejection(base.statement, proof, .layerMismatch(depth: d))
            }
        }
    }

    @Test func tamperedFinalClaimsAreRejected() throws {
        let base = try LogUpSoundnessTests.baseline(stream: 308)
        for g in base.proof.columnEvaluations.indices {
            for k in base.proof.columnEvaluations[g].indices {
                var proof = base.proof
                proof.columnEvaluations[g][k] += .one
                expectRejection(base.statement, proof, .witnessEvaluationMismatch(group: g))
            }
        }
        for t in base.proof.multiplicityEvaluations.indices {
            var proof = base.proof
            proof.multiplicityEvaluations[t] += .one
            expectRejection(base.statement, proof, .multiplicityMismatch(table: t))
        }
    }

    /// Verifying against a different table (same shape) fails at the table's leaf check.
    @Test func aDifferentTableIsRejected() throws {
        let base = try LogUpSoundnessTests.baseline(stream: 309)
        var statement = base.statement
        statement.tables[1] = try .signedFunction(bits: 3) { max(0, $0) + ($0 == 2 ? 1 : 0) }
        expectRejection(statement, base.proof, .tableEvaluationMismatch(table: 1))
    }

    @Test func aDifferentTranscriptIsRejected() throws {
        let base = try LogUpSoundnessTests.baseline(stream: 310)
        var t = callerTranscript(8)
        #expect(throws: LookupError.self) { _ = try LogUpGKR.verify(statement: base.statement, proof: base.proof, transcript: &t) }
    }

    @Test func malformedProofShapesAreRejected() throws {
        let base = try LogUpSoundnessTests.baseline(stream: 311)
        let s = base.statement
        var p = base.proof
        p.roots.removeLast()
        expectRejection(s, p, .wrongRootCount(expected: 10, got: 9))
        p = base.proof
        p.layers.removeLast()
        expectRejection(s, p, .wrongLayerCount(expected: 5, got: 4))
        p = base.proof
        p.layers[3].sumcheck.roundMessages.removeLast()
        expectRejection(s, p, .wrongRoundCount(depth: 3, expected: 3, got: 2))
        p = base.proof
        p.layers[2].sumcheck.roundMessages[1].append(.one)
        expectRejection(s, p, .wrongMessageLength(depth: 2, round: 1, expected: 3, got: 4))
        p = base.proof
        p.layers[4].childValues.removeAll()
        expectRejection(s, p, .wrongChildValueCount(depth: 4, expected: 4, got: 0))
        p = base.proof
        p.columnEvaluations.removeLast()
        expectRejection(s, p, .wrongGroupCount(expected: 3, got: 2))
        p = base.proof
        p.columnEvaluations[1].removeLast()
        expectRejection(s, p, .wrongColumnEvaluationCount(group: 1, expected: 2, got: 1))
        p = base.proof
        p.multiplicityEvaluations.append(.zero)
        expectRejection(s, p, .wrongMultiplicityEvaluationCount(expected: 2, got: 3))
    }

    @Test func malformedWitnessesAreRejectedByTheProver() throws {
        let base = try LogUpSoundnessTests.baseline(stream: 312)
        var w = base.witness
        w.columns[0][0].removeLast()
        #expect(throws: LookupError.self) { _ = try prove(base.statement, w) }
        w = base.witness
        w.columns[1].removeLast()
        #expect(throws: LookupError.self) { _ = try prove(base.statement, w) }
        w = base.witness
        w.multiplicities[1].removeLast()
        #expect(throws: LookupError.self) { _ = try prove(base.statement, w) }
    }

    /// Lookup counts and table sizes must stay below the characteristic (here p = 97).
    @Test func sizesBelowTheCharacteristic() throws {
        typealias G = GMPPrimeField<F97>
        let big = LookupStatement<G>(tables: [try .range(bits: 7)], groups: [LookupGroup(table: 0, count: 3)])
        #expect(throws: LookupError.sizeNotBelowCharacteristic(table: 0)) { try big.validate() }
        let many = LookupStatement<G>(
            tables: [try .range(bits: 3)], groups: [LookupGroup(table: 0, count: 64), LookupGroup(table: 0, count: 33)])
        #expect(throws: LookupError.sizeNotBelowCharacteristic(table: 0)) { try many.validate() }
        let fine = LookupStatement<G>(
            tables: [try .range(bits: 3)], groups: [LookupGroup(table: 0, count: 64), LookupGroup(table: 0, count: 32)])
        try fine.validate()
    }
}
