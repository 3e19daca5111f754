import Testing
@_spi(Testing) import ZKCommit
import ZKField
import ZKParallel
import ZKPoly
import ZKTesting
import ZKTranscript

@Suite("Reed–Solomon encoder")
struct ReedSolomonEncoderTests {
    /// The codeword is the message's interpolating polynomial on the 4C (or 2C, 8C) points, and
    /// its first C symbols are the message.
    @Test(arguments: [(0, 1), (1, 2), (3, 2), (4, 1), (5, 3)])
    func systematicAndPolynomial(logMessageLength: Int, logInverseRate: Int) {
        var rng = SeededGenerator.forTest(stream: 1)
        let encoder = ReedSolomonEncoder<Fr>(logMessageLength: logMessageLength, logInverseRate: logInverseRate)
        let message: [Fr] = randomElements(encoder.messageLength, &rng)
        let codeword = encoder.encode(message)
        #expect(codeword.count == encoder.messageLength << logInverseRate)
        #expect(Array(codeword[..<encoder.messageLength]) == message)
        let coefficients = EvaluationDomain<Fr>(logSize: logMessageLength).interpolate(evaluations: message)
        var points = Set<Fr>()
        for q in 0..<encoder.codewordLength {
            let x = encoder.point(at: q)
            points.insert(x)
            let expected = coefficients.reversed().reduce(Fr.zero) { $0 * x + $1 }
            #expect(codeword[q] == expected, "position \(q)")
        }
        #expect(points.count == encoder.codewordLength, "evaluation points must be distinct")
    }

    @Test func linear() {
        var rng = SeededGenerator.forTest(stream: 2)
        let encoder = ReedSolomonEncoder<Fr>(logMessageLength: 4, logInverseRate: 2)
        let x: [Fr] = randomElements(16, &rng), y: [Fr] = randomElements(16, &rng)
        let alpha = Fr.random(using: &rng)
        let combined = zip(x, y).map { $0 + alpha * $1 }
        #expect(encoder.encode(combined) == zip(encoder.encode(x), encoder.encode(y)).map { $0 + alpha * $1 })
    }
}

@Suite("Ligero parameters")
struct LigeroParameterTests {
    @Test func defaultSoundness() throws {
        let p = try LigeroParameters(numVariables: 20)
        #expect(p.queryCount == 149 && p.logInverseRate == 2)
        #expect(p.soundnessBits >= 100)
        #expect(p.soundnessBits < 100.1)
        // 148 queries fall short of 100 bits: 149 is the least that reaches it.
        let fewer = try LigeroParameters(numVariables: 20, logRows: 7, queryCount: 148)
        #expect(fewer.soundnessBits < 100)
        // The field term alone: n_code / |E| with |E| = 2^64 would dominate.
        #expect(p.soundnessBits(challengeFieldBits: 64) < 64 - 14)
    }

    /// The proof-size optimum is about √(2N/149) rows.
    @Test func optimalShapes() throws {
        #expect(try LigeroParameters(numVariables: 17).logRows == 5)
        #expect(try LigeroParameters(numVariables: 20).logRows == 7)
        #expect(try LigeroParameters(numVariables: 20, expectedClaims: 4).logRows == 8)
        for n in 0...24 {
            let p = try LigeroParameters(numVariables: n)
            let size = p.estimatedProofByteCount(claims: 1)
            for a in 0...n {
                let other = try LigeroParameters(numVariables: n, logRows: a)
                #expect(size <= other.estimatedProofByteCount(claims: 1))
            }
        }
    }

    @Test func allColumnsOpenedWhenTheCodeIsShort() throws {
        let p = try LigeroParameters(numVariables: 4, logRows: 1)  // C = 8, 32 columns
        #expect(p.openedColumnCount == 32)
        #expect(p.soundnessBits > 200)  // only the field term remains
    }

    @Test func invalidParameters() {
        #expect(throws: LigeroError.self) { try LigeroParameters(numVariables: -1, logRows: 0) }
        #expect(throws: LigeroError.self) { try LigeroParameters(numVariables: 4, logRows: 5) }
        #expect(throws: LigeroError.self) { try LigeroParameters(numVariables: 4, logRows: 1, logInverseRate: 0) }
        #expect(throws: LigeroError.self) { try LigeroParameters(numVariables: 4, logRows: 1, queryCount: 0) }
        #expect(throws: LigeroError.self) { try LigeroParameters(numVariables: 41, logRows: 0) }
        // A row code longer than Fr's 2^28 subgroup.
        let tooWide = try! LigeroParameters(numVariables: 27, logRows: 0)
        #expect(throws: LigeroError.self) { try tooWide.checkSupported(by: Fr.self) }
    }

    @Test func wrongEvaluationCount() throws {
        let p = try LigeroParameters(numVariables: 3, logRows: 1)
        #expect(throws: LigeroError.wrongEvaluationCount(expected: 8, got: 7)) {
            try LigeroFr.commit(evaluations: [Fr](repeating: .one, count: 7), parameters: p)
        }
        #expect(throws: LigeroError.integerOutOfRange(index: 2)) {
            try LigeroFr.commit(smallIntegers: [0, 1, Int32.max, 0, 0, 0, 0, 0] as [Int32], parameters: p)
        }
    }
}

@Suite("Ligero completeness")
struct LigeroCompletenessTests {
    /// Honest openings verify for every n in 0...12, several shapes and 1...4 claims; the
    /// transcripts of both sides end in the same state.
    @Test(arguments: [
        (0, 0), (1, 0), (1, 1), (2, 1), (3, 0), (3, 3), (4, 2), (5, 1), (6, 3), (7, 2), (8, 4), (8, 0), (8, 8),
        (9, 3), (10, 5), (11, 4), (12, 6), (12, 2),
    ])
    func honestOpeningsVerify(numVariables: Int, logRows: Int) throws {
        var rng = SeededGenerator.forTest(stream: 100 + UInt64(numVariables * 16 + logRows))
        let parameters = try LigeroParameters(numVariables: numVariables, logRows: logRows)
        let values: [Fr] = randomElements(1 << numVariables, &rng)
        let (commitment, data) = try LigeroFr.commit(evaluations: values, parameters: parameters)
        #expect(commitment.numVariables == numVariables)
        #expect(data.evaluations == values)
        let claimCount = 1 + (numVariables + logRows) % 4
        let claims = honestClaims(values, count: claimCount, &rng, as: Fr.self)
        for claim in claims { #expect(data.evaluate(at: claim.point) == claim.value) }
        var proverTranscript = freshTranscript()
        let proof = try LigeroFr.open(data, claims: claims, transcript: &proverTranscript)
        #expect(proof.evaluationRows.count == claimCount)
        #expect(proof.columns.count == parameters.openedColumnCount)
        var verifierTranscript = freshTranscript()
        try LigeroFr.verify(
            commitment, claims: claims, proof: proof, parameters: parameters, transcript: &verifierTranscript)
        #expect(proverTranscript.state == verifierTranscript.state)
    }

    /// 1 to 4 claims, including boolean points (plain table entries) and a repeated point.
    @Test(arguments: 1...4)
    func claimCounts(claimCount: Int) throws {
        var rng = SeededGenerator.forTest(stream: 200 + UInt64(claimCount))
        let parameters = try LigeroParameters(numVariables: 7)
        let values: [Fr] = randomElements(128, &rng)
        let (commitment, data) = try LigeroFr.commit(evaluations: values, parameters: parameters)
        var claims = honestClaims(values, count: claimCount, &rng, as: Fr.self)
        let index = 93
        let boolean = (0..<7).map { (index >> $0) & 1 == 1 ? Fr.one : Fr.zero }
        claims[0] = EvaluationClaim(point: boolean, value: values[index])
        if claimCount > 2 { claims[2] = claims[1] }
        var t1 = freshTranscript()
        let proof = try LigeroFr.open(data, claims: claims, transcript: &t1)
        var t2 = freshTranscript()
        try LigeroFr.verify(commitment, claims: claims, proof: proof, parameters: parameters, transcript: &t2)
    }

    /// The verifier's direct evaluation of `Enc(·)` at the queried points (the `E ≠ F` path)
    /// accepts exactly what the NTT path accepts.
    @Test func directEvaluationAgreesWithNTT() throws {
        let f = try Fixture(numVariables: 9, logRows: 3, claimCount: 2, stream: 300)
        var transcript = freshTranscript()
        try LigeroFr.verify(
            f.commitment, claims: f.claims, proof: f.proof, parameters: f.parameters, transcript: &transcript,
            directEvaluation: true)
        let bad = try f.maliciousProof { _, rows in rows[1][5] += .one }
        var t2 = freshTranscript()
        let error = #expect(throws: LigeroError.self) {
            try LigeroFr.verify(
                f.commitment, claims: f.claims, proof: bad, parameters: f.parameters, transcript: &t2,
                directEvaluation: true)
        }
        guard case .evaluationRowMismatch(claim: 1, column: _) = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(error == f.verdict(proof: bad))
    }

    /// A challenge field larger than the committed field (a toy Fr[X]/(X² − 5)).
    @Test func extensionChallengeField() throws {
        var rng = SeededGenerator.forTest(stream: 400)
        let parameters = try LigeroParameters(numVariables: 8, logRows: 3)
        let values: [Fr] = randomElements(256, &rng)
        let (commitment, data) = try Ligero<Fr, Fr2>.commit(evaluations: values, parameters: parameters)
        let claims = honestClaims(values, count: 2, &rng, as: Fr2.self)
        for claim in claims { #expect(data.evaluate(at: claim.point) == claim.value) }
        var t1 = freshTranscript()
        let proof = try Ligero<Fr, Fr2>.open(data, claims: claims, transcript: &t1)
        var t2 = freshTranscript()
        try Ligero<Fr, Fr2>.verify(commitment, claims: claims, proof: proof, parameters: parameters, transcript: &t2)
        // A wrong value is caught there too.
        var wrong = claims
        wrong[1].value += .one
        var t3 = freshTranscript()
        let lying = try Ligero<Fr, Fr2>.open(data, claims: wrong, transcript: &t3)
        var t4 = freshTranscript()
        #expect(throws: LigeroError.claimMismatch(claim: 1)) {
            try Ligero<Fr, Fr2>.verify(commitment, claims: wrong, proof: lying, parameters: parameters, transcript: &t4)
        }
        // Small-integer sources with an extension challenge field (the generic E × F path).
        let ints = values.indices.map { Int8(truncatingIfNeeded: $0 &* 37 &- 100) }
        let (intCommitment, intData) = try Ligero<Fr, Fr2>.commit(smallIntegers: ints, parameters: parameters)
        let intClaims = honestClaims(ints.map { Fr(Int64($0)) }, count: 1, &rng, as: Fr2.self)
        var t5 = freshTranscript()
        let intProof = try Ligero<Fr, Fr2>.open(intData, claims: intClaims, transcript: &t5)
        var t6 = freshTranscript()
        try Ligero<Fr, Fr2>.verify(intCommitment, claims: intClaims, proof: intProof, parameters: parameters, transcript: &t6)
        // The round trip of the encoding with 64-byte challenge elements.
        let decoded = try LigeroOpeningProof<Fr, Fr2>(
            serialized: proof.serialized(), parameters: parameters, claimCount: 2)
        #expect(decoded == proof)
    }

    /// Small-integer commitments have the same root and open to byte-identical proofs.
    @Test func smallIntegerSourcesMatchTheFieldPath() throws {
        var rng = SeededGenerator.forTest(stream: 500)
        let parameters = try LigeroParameters(numVariables: 10, logRows: 4)
        let ints8 = (0..<1024).map { _ in Int8(truncatingIfNeeded: rng.next()) }
        let lifted = ints8.map { Fr(Int64($0)) }
        let (fieldCommitment, fieldData) = try LigeroFr.commit(evaluations: lifted, parameters: parameters)
        let claims = honestClaims(lifted, count: 3, &rng, as: Fr.self)
        var t0 = freshTranscript()
        let fieldProof = try LigeroFr.open(fieldData, claims: claims, transcript: &t0)

        func check<W: FixedWidthInteger & SignedInteger>(_ ints: [W]) throws {
            let (commitment, data) = try LigeroFr.commit(smallIntegers: ints, parameters: parameters)
            #expect(commitment == fieldCommitment)
            var t = freshTranscript()
            let proof = try LigeroFr.open(data, claims: claims, transcript: &t)
            #expect(proof == fieldProof)
            #expect(proof.serialized() == fieldProof.serialized())
        }
        try check(ints8)
        try check(ints8.map { Int16($0) })
        try check(ints8.map { Int32($0) })
        try check(ints8.map { Int64($0) })
        try check(ints8.map { Int($0) })
        // Wider values too (int16 range, int32 within ±2^30).
        let wide = (0..<1024).map { _ in Int32(truncatingIfNeeded: rng.next() % (1 << 31)) - (1 << 30) }
        let (c1, _) = try LigeroFr.commit(smallIntegers: wide, parameters: parameters)
        let (c2, _) = try LigeroFr.commit(evaluations: wide.map { Fr(Int64($0)) }, parameters: parameters)
        #expect(c1 == c2)
    }

    /// Commitments and proofs do not depend on the thread count.
    @Test func threadCountIndependence() throws {
        var rng = SeededGenerator.forTest(stream: 600)
        let parameters = try LigeroParameters(numVariables: 10, logRows: 3)
        let values: [Fr] = randomElements(1024, &rng)
        let claims = honestClaims(values, count: 2, &rng, as: Fr.self)
        func run() throws -> (LigeroCommitment, LigeroOpeningProof<Fr, Fr>) {
            let (commitment, data) = try LigeroFr.commit(evaluations: values, parameters: parameters)
            var t = freshTranscript()
            return (commitment, try LigeroFr.open(data, claims: claims, transcript: &t))
        }
        let parallel = try run()
        let serial = try Parallelism.$threadLimit.withValue(1) { try run() }
        #expect(parallel.0 == serial.0)
        #expect(parallel.1 == serial.1)
    }
}

/// Proof code written against the protocol alone (as the prover and verifier will be).
func commitOpenVerify<S: MultilinearCommitmentScheme>(
    _ scheme: S.Type, evaluations: [S.Field], claims: [EvaluationClaim<S.Challenge>], parameters: S.Parameters
) throws(S.Failure) {
    let (commitment, data) = try S.commit(evaluations: evaluations, parameters: parameters)
    var proverTranscript = freshTranscript()
    let proof = try S.open(data, claims: claims, transcript: &proverTranscript)
    var verifierTranscript = freshTranscript()
    try S.verify(commitment, claims: claims, proof: proof, parameters: parameters, transcript: &verifierTranscript)
}

@Suite("Commitment scheme protocol")
struct CommitmentSchemeProtocolTests {
    @Test func ligeroThroughTheProtocol() throws {
        var rng = SeededGenerator.forTest(stream: 700)
        let values: [Fr] = randomElements(64, &rng)
        let claims = honestClaims(values, count: 2, &rng, as: Fr.self)
        try commitOpenVerify(Ligero<Fr, Fr>.self, evaluations: values, claims: claims,
                             parameters: try LigeroParameters(numVariables: 6))
        var wrong = claims
        wrong[0].value = .zero
        #expect(throws: LigeroError.claimMismatch(claim: 0)) {
            try commitOpenVerify(Ligero<Fr, Fr>.self, evaluations: values, claims: wrong,
                                 parameters: try LigeroParameters(numVariables: 6))
        }
    }
}
