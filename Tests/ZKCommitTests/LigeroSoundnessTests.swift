import Testing
@_spi(Testing) import ZKCommit
import ZKField
import ZKMerkle
import ZKSodium
import ZKTesting
import ZKTranscript

/// Every way of cheating is rejected, each by its own check.
@Suite("Ligero soundness")
struct LigeroSoundnessTests {
    /// A shape with more columns than queries (so queries are a strict subset) and 3 claims.
    static func fixture(stream: UInt64) throws -> Fixture {
        try Fixture(numVariables: 9, logRows: 3, claimCount: 3, stream: stream)  // 8 × 64, 256 columns
    }

    @Test func honestProofVerifies() throws {
        let f = try Self.fixture(stream: 1000)
        #expect(f.verdict() == nil)
    }

    /// A prover that claims a wrong value and otherwise follows the protocol.
    @Test func wrongClaimedValue() throws {
        let f = try Self.fixture(stream: 1001)
        var claims = f.claims
        claims[1].value += .one
        var transcript = freshTranscript()
        let proof = try LigeroFr.open(f.data, claims: claims, transcript: &transcript)
        #expect(f.verdict(proof: proof, claims: claims) == .claimMismatch(claim: 1))
    }

    /// ... and one that also shifts its evaluation row to match the wrong value (changing one
    /// entry by δ / eq(z_lo)_0): now the row is not the committed combination.
    @Test func evaluationRowAdjustedToAWrongValue() throws {
        let f = try Self.fixture(stream: 1002)
        var claims = f.claims
        claims[2].value += .one
        let lowPoint = Array(claims[2].point[..<f.parameters.logColumns])
        let weight0 = lowPoint.reduce(Fr.one) { $0 * (.one - $1) }  // eq(z_lo, 0)
        let shift = weight0.inverse()!
        var transcript = freshTranscript()
        let proof = try LigeroFr.open(f.data, claims: claims, transcript: &transcript) { _, rows in
            rows[2][0] += shift
        }
        guard case .evaluationRowMismatch(claim: 2, column: _) = f.verdict(proof: proof, claims: claims) else {
            Issue.record("expected an evaluation-row mismatch, got \(String(describing: f.verdict(proof: proof, claims: claims)))")
            return
        }
    }

    /// A verifier whose statement differs from the prover's draws other challenges: the columns
    /// no longer authenticate at the indices it draws.
    @Test func statementMismatch() throws {
        let f = try Self.fixture(stream: 1003)
        var claims = f.claims
        claims[0].value += .one
        guard case .merkle = f.verdict(claims: claims) else {
            Issue.record("expected a Merkle failure, got \(String(describing: f.verdict(claims: claims)))")
            return
        }
    }

    /// A proximity row that is not γᵀM, sent consistently with the transcript.
    @Test func modifiedProximityRow() throws {
        let f = try Self.fixture(stream: 1004)
        let proof = try f.maliciousProof { v, _ in v[7] += .one }
        guard case .proximityCheckFailed(let column) = f.verdict(proof: proof) else {
            Issue.record("expected a proximity failure, got \(String(describing: f.verdict(proof: proof)))")
            return
        }
        #expect(column >= 0 && column < f.parameters.codewordLength)
        // Edited after the fact instead, the row changes the column indices: Merkle rejects.
        var edited = f.proof
        edited.proximityRow[7] += .one
        guard case .merkle = f.verdict(proof: edited) else {
            Issue.record("expected a Merkle failure, got \(String(describing: f.verdict(proof: edited)))")
            return
        }
    }

    /// One entry of an evaluation row changed (claim 1), consistently with the transcript.
    @Test func modifiedEvaluationRowEntry() throws {
        let f = try Self.fixture(stream: 1005)
        let proof = try f.maliciousProof { _, rows in rows[1][3] += .one }
        guard case .evaluationRowMismatch(claim: 1, column: _) = f.verdict(proof: proof) else {
            Issue.record("expected an evaluation-row mismatch, got \(String(describing: f.verdict(proof: proof)))")
            return
        }
    }

    @Test func modifiedColumnEntry() throws {
        let f = try Self.fixture(stream: 1006)
        var proof = f.proof
        proof.columns[5][2] += .one
        #expect(f.verdict(proof: proof) == .merkle(.rootMismatch))
    }

    @Test func swappedColumns() throws {
        let f = try Self.fixture(stream: 1007)
        var proof = f.proof
        proof.columns.swapAt(3, 10)
        #expect(f.verdict(proof: proof) == .merkle(.rootMismatch))
    }

    @Test func wrongMerkleSibling() throws {
        let f = try Self.fixture(stream: 1008)
        var proof = f.proof
        proof.path.siblings[proof.path.siblings.count / 2] = Blake2b.hash256(Array("not a sibling".utf8))
        #expect(f.verdict(proof: proof) == .merkle(.rootMismatch))
        var longer = f.proof
        longer.path.siblings.append(.zero)
        #expect(f.verdict(proof: longer) == .merkle(.wrongPathLength(expected: f.proof.path.siblings.count, got: f.proof.path.siblings.count + 1)))
        var shorter = f.proof
        shorter.path.siblings.removeLast()
        #expect(f.verdict(proof: shorter) == .merkle(.wrongPathLength(expected: f.proof.path.siblings.count, got: f.proof.path.siblings.count - 1)))
        var huge = f.proof
        huge.path.siblings += [Digest32](repeating: .zero, count: f.parameters.maximumPathLength)
        guard case .malformedProof(.pathTooLong) = f.verdict(proof: huge) else {
            Issue.record("expected pathTooLong, got \(String(describing: f.verdict(proof: huge)))")
            return
        }
    }

    @Test func wrongRoot() throws {
        let f = try Self.fixture(stream: 1009)
        let other = try Self.fixture(stream: 1010)
        guard case .merkle = f.verdict(commitment: other.commitment) else {
            Issue.record("expected a Merkle failure, got \(String(describing: f.verdict(commitment: other.commitment)))")
            return
        }
        let wrongSize = LigeroCommitment(numVariables: 8, root: f.commitment.root)
        #expect(f.verdict(commitment: wrongSize) == .commitmentMismatch(expectedVariables: 9, got: 8))
    }

    @Test func wrongColumnCountsAndLengths() throws {
        let f = try Self.fixture(stream: 1011)
        let t = f.parameters.openedColumnCount, R = f.parameters.rowCount, C = f.parameters.columnCount
        var fewer = f.proof
        fewer.columns.removeLast()
        #expect(f.verdict(proof: fewer) == .malformedProof(.columnCount(expected: t, got: t - 1)))
        var more = f.proof
        more.columns.append(f.proof.columns[0])
        #expect(f.verdict(proof: more) == .malformedProof(.columnCount(expected: t, got: t + 1)))
        var shortColumn = f.proof
        shortColumn.columns[4].removeLast()
        #expect(f.verdict(proof: shortColumn) == .malformedProof(.columnLength(index: 4, expected: R, got: R - 1)))
        var longColumn = f.proof
        longColumn.columns[0].append(.one)
        #expect(f.verdict(proof: longColumn) == .malformedProof(.columnLength(index: 0, expected: R, got: R + 1)))
        var shortRow = f.proof
        shortRow.proximityRow.removeLast()
        #expect(f.verdict(proof: shortRow) == .malformedProof(.proximityRowLength(expected: C, got: C - 1)))
        var missingRow = f.proof
        missingRow.evaluationRows.removeLast()
        #expect(f.verdict(proof: missingRow) == .malformedProof(.evaluationRowCount(expected: 3, got: 2)))
        var longRow = f.proof
        longRow.evaluationRows[2].append(.zero)
        #expect(f.verdict(proof: longRow) == .malformedProof(.evaluationRowLength(claim: 2, expected: C, got: C + 1)))
        var empty = f.proof
        empty.columns = []
        empty.proximityRow = []
        #expect(f.verdict(proof: empty) == .malformedProof(.proximityRowLength(expected: C, got: 0)))
    }

    /// Parameters are the verifier's: a proof made for another shape is rejected by shape.
    @Test func verifierParametersRule() throws {
        let f = try Self.fixture(stream: 1012)
        let otherShape = try LigeroParameters(numVariables: 9, logRows: 4)
        #expect(f.verdict(parameters: otherShape) == .malformedProof(.proximityRowLength(expected: 32, got: 64)))
        let fewerQueries = try LigeroParameters(numVariables: 9, logRows: 3, queryCount: 100)
        #expect(f.verdict(parameters: fewerQueries) == .malformedProof(.columnCount(expected: 100, got: 149)))
    }

    @Test func pointsOfTheWrongDimension() throws {
        let f = try Self.fixture(stream: 1013)
        var claims = f.claims
        claims[1].point.append(.one)
        #expect(f.verdict(claims: claims) == .wrongPointDimension(claim: 1, expected: 9, got: 10))
        claims[1].point.removeLast(2)
        #expect(f.verdict(claims: claims) == .wrongPointDimension(claim: 1, expected: 9, got: 8))
        #expect(f.verdict(claims: []) == .noClaims)
        var transcript = freshTranscript()
        #expect(throws: LigeroError.wrongPointDimension(claim: 1, expected: 9, got: 8)) {
            try LigeroFr.open(f.data, claims: claims, transcript: &transcript)
        }
        #expect(throws: LigeroError.noClaims) { try LigeroFr.open(f.data, claims: [], transcript: &transcript) }
    }

    /// A malicious prover commits to a matrix that is not a codeword matrix (row 5 corrupted in
    /// the 128 columns of the last two cosets) and opens honestly. With 149 distinct queries
    /// among 256 columns, at least 21 land on corrupted columns: the proximity test fails there.
    @Test func nonCodewordCommitmentIsCaught() throws {
        var rng = SeededGenerator.forTest(stream: 1014)
        let parameters = try LigeroParameters(numVariables: 8, logRows: 2)  // 4 × 64, 256 columns
        let values: [Fr] = randomElements(256, &rng)
        let (_, honest) = try LigeroFr.commit(evaluations: values, parameters: parameters)
        var encoded = honest.encodedMatrix
        let n = parameters.codewordLength
        for q in (n / 2)..<n { encoded[1 * n + q] += Fr.random(using: &rng) }
        let data = try LigeroProverData<Fr>(unsafeEncodedMatrix: encoded, parameters: parameters)
        #expect(data.commitment != honest.commitment)
        let claims = honestClaims(values, count: 1, &rng, as: Fr.self)
        var t1 = freshTranscript()
        let proof = try LigeroFr.open(data, claims: claims, transcript: &t1)
        var t2 = freshTranscript()
        let error = #expect(throws: LigeroError.self) {
            try LigeroFr.verify(data.commitment, claims: claims, proof: proof, parameters: parameters, transcript: &t2)
        }
        guard case .proximityCheckFailed(let column) = error else {
            Issue.record("expected a proximity failure, got \(String(describing: error))")
            return
        }
        #expect(column >= n / 2, "only corrupted columns can fail")
        // Corruption inside the systematic part (coset 0) of every row is caught as well.
        var encoded2 = honest.encodedMatrix
        for r in 0..<parameters.rowCount {
            for q in 0..<(n / 4) { encoded2[r * n + q] += Fr.one }
        }
        let data2 = try LigeroProverData<Fr>(unsafeEncodedMatrix: encoded2, parameters: parameters)
        var t3 = freshTranscript()
        let proof2 = try LigeroFr.open(data2, claims: claims, transcript: &t3)
        var t4 = freshTranscript()
        let error2 = #expect(throws: LigeroError.self) {
            try LigeroFr.verify(data2.commitment, claims: claims, proof: proof2, parameters: parameters, transcript: &t4)
        }
        guard case .proximityCheckFailed = error2 else {
            Issue.record("expected a proximity failure, got \(String(describing: error2))")
            return
        }
    }
}
