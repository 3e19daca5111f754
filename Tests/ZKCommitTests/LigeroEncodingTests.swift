import Testing
@_spi(Testing) import ZKCommit
import ZKField
import ZKMerkle
import ZKSodium
import ZKTesting
import ZKTranscript

@Suite("Ligero byte encoding")
struct LigeroEncodingTests {
    @Test func proofRoundTrip() throws {
        let f = try Fixture(numVariables: 9, logRows: 3, claimCount: 2, stream: 2000)
        let bytes = f.proof.serialized()
        let decoded = try LigeroOpeningProof<Fr, Fr>(serialized: bytes, parameters: f.parameters, claimCount: 2)
        #expect(decoded == f.proof)
        #expect(f.verdict(proof: decoded) == nil)
        let elements = (1 + 2) * f.parameters.columnCount + f.parameters.openedColumnCount * f.parameters.rowCount
        #expect(bytes.count == LigeroOpeningProofEncoding.headerByteCount + 32 * elements + 32 * f.proof.path.siblings.count)
    }

    @Test func commitmentRoundTrip() throws {
        let f = try Fixture(numVariables: 6, logRows: 2, stream: 2001)
        let bytes = f.commitment.serialized(field: Fr.self)
        #expect(bytes.count == 4 + 2 + 9 + 4 + 32)
        #expect(try LigeroCommitment(serialized: bytes, field: Fr.self, parameters: f.parameters) == f.commitment)
        let other = try LigeroParameters(numVariables: 7, logRows: 2)
        #expect(throws: LigeroDecodingError.countMismatch(field: "numVariables", expected: 7, got: 6)) {
            try LigeroCommitment(serialized: bytes, field: Fr.self, parameters: other)
        }
        #expect(throws: LigeroDecodingError.trailingBytes(count: 1)) {
            try LigeroCommitment(serialized: bytes + [0], field: Fr.self, parameters: f.parameters)
        }
        for length in 0..<bytes.count {
            #expect(throws: LigeroDecodingError.self) {
                try LigeroCommitment(serialized: Array(bytes[..<length]), field: Fr.self, parameters: f.parameters)
            }
        }
    }

    /// Header fields the decoder checks against the verifier's own values.
    @Test func headerChecks() throws {
        let f = try Fixture(numVariables: 7, logRows: 2, claimCount: 1, stream: 2002)
        let bytes = f.proof.serialized()
        func decode(_ b: [UInt8], claims: Int = 1) throws(LigeroDecodingError) {
            _ = try LigeroOpeningProof<Fr, Fr>(serialized: b, parameters: f.parameters, claimCount: claims)
        }
        var magic = bytes
        magic[0] ^= 1
        #expect(throws: LigeroDecodingError.badMagic) { try decode(magic) }
        var version = bytes
        version[4] = 2
        #expect(throws: LigeroDecodingError.unsupportedVersion(2)) { try decode(version) }
        var field = bytes
        field[7] = UInt8(ascii: "B")
        #expect(throws: LigeroDecodingError.fieldMismatch(expected: "bn254-fr", got: "Bn254-fr")) { try decode(field) }
        #expect(throws: LigeroDecodingError.countMismatch(field: "claims", expected: 2, got: 1)) {
            try decode(bytes, claims: 2)
        }
        let countsStart = 4 + 2 + 9 + 9
        var rowLength = bytes
        rowLength[countsStart + 4] &+= 1
        #expect(throws: LigeroDecodingError.countMismatch(field: "rowLength", expected: 32, got: 33)) { try decode(rowLength) }
        var siblings = bytes
        siblings[countsStart + 16 + 3] = 0x7f
        guard case .countTooLarge(field: "siblings", maximum: _, got: _) = #expect(throws: LigeroDecodingError.self, performing: { try decode(siblings) }) else {
            Issue.record("expected countTooLarge")
            return
        }
        #expect(throws: LigeroDecodingError.trailingBytes(count: 3)) { try decode(bytes + [1, 2, 3]) }
        // A non-canonical element: the first proximity-row entry set to 2^256 − 1 > p.
        var nonCanonical = bytes
        let firstElement = LigeroOpeningProofEncoding.headerByteCount
        for k in 0..<32 { nonCanonical[firstElement + k] = 0xff }
        #expect(throws: LigeroDecodingError.nonCanonicalElement(offset: firstElement)) { try decode(nonCanonical) }
    }

    /// Every prefix of a proof is rejected (by a typed error, never a trap).
    @Test func truncatedInputs() throws {
        let f = try Fixture(numVariables: 4, logRows: 1, claimCount: 1, stream: 2003)  // small proof
        let bytes = f.proof.serialized()
        for length in 0..<bytes.count {
            #expect(throws: LigeroDecodingError.self) {
                try LigeroOpeningProof<Fr, Fr>(serialized: Array(bytes[..<length]), parameters: f.parameters, claimCount: 1)
            }
        }
    }

    /// Seeded random byte flips (and random garbage) never crash and never verify.
    @Test func randomByteFlips() throws {
        var rng = SeededGenerator.forTest(stream: 2004)
        let f = try Fixture(numVariables: 7, logRows: 2, claimCount: 2, stream: 2005)
        let bytes = f.proof.serialized()
        var decodedCount = 0
        for trial in 0..<300 {
            var mutated = bytes
            let flips = 1 + trial % 3
            for _ in 0..<flips {
                let position = Int(rng.next() % UInt64(bytes.count))
                mutated[position] ^= UInt8(truncatingIfNeeded: 1 + rng.next() % 255)
            }
            guard mutated != bytes else { continue }
            do {
                let proof = try LigeroOpeningProof<Fr, Fr>(serialized: mutated, parameters: f.parameters, claimCount: 2)
                decodedCount += 1
                #expect(proof != f.proof)
                #expect(f.verdict(proof: proof) != nil, "a mutated proof verified (trial \(trial))")
            } catch {
                // A typed decoding error: fine.
            }
        }
        #expect(decodedCount > 100, "most flips land in element or digest bytes and still decode")
        for _ in 0..<20 {
            let length = Int(rng.next() % UInt64(bytes.count + 64))
            let garbage = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(throws: LigeroDecodingError.self) {
                try LigeroOpeningProof<Fr, Fr>(serialized: garbage, parameters: f.parameters, claimCount: 2)
            }
        }
    }
}
