import Testing
import ZKCommit
import ZKField
import ZKTesting
import ZKTranscript
import ZKWire

@Suite("Stored Ligero prover data")
struct LigeroProverDataWireTests {
    /// Prover data committed from field elements and from int8, int16 and int32 matrices.
    static func committed(numVariables: Int = 8, logRows: Int = 3, stream: UInt64) throws -> [LigeroProverData<Fr>] {
        var rng = SeededGenerator.forTest(stream: stream)
        let parameters = try LigeroParameters(numVariables: numVariables, logRows: logRows, queryCount: 20)
        let n = 1 << numVariables
        let ints = (0..<n).map { _ in Int64(Int16(truncatingIfNeeded: rng.next())) }
        return [
            try LigeroFr.commit(evaluations: randomElements(n, &rng), parameters: parameters).data,
            try LigeroFr.commit(smallIntegers: ints.map { Int8(truncatingIfNeeded: $0) }, parameters: parameters).data,
            try LigeroFr.commit(smallIntegers: ints.map { Int16($0) }, parameters: parameters).data,
            try LigeroFr.commit(smallIntegers: ints.map { Int32($0) * 1000 }, parameters: parameters).data,
        ]
    }

    static func decode(_ bytes: [UInt8]) throws(WireError) -> LigeroProverData<Fr> {
        var reader = WireReader(bytes)
        let data = try LigeroProverData<Fr>(reading: &reader)
        try reader.finish()
        return data
    }

    /// Decoded data is the same commitment, re-encodes to the same bytes, and opens to the same
    /// proof as the data it was written from.
    @Test func roundTripsAndOpensIdentically() throws {
        var rng = SeededGenerator.forTest(stream: 901)
        for data in try Self.committed(stream: 900) {
            let bytes = data.serialized()
            let decoded = try Self.decode(bytes)
            #expect(decoded.commitment == data.commitment)
            #expect(decoded.parameters == data.parameters)
            #expect(decoded.serialized() == bytes)
            #expect(decoded.evaluations == data.evaluations)
            let claims = honestClaims(data.evaluations, count: 2, &rng, as: Fr.self)
            var t1 = freshTranscript(), t2 = freshTranscript()
            let original = try LigeroFr.open(data, claims: claims, transcript: &t1)
            let reloaded = try LigeroFr.open(decoded, claims: claims, transcript: &t2)
            #expect(original.serialized() == reloaded.serialized())
            var verifier = freshTranscript()
            try LigeroFr.verify(data.commitment, claims: claims, proof: reloaded, parameters: data.parameters, transcript: &verifier)
        }
    }

    /// Every prefix of a small encoding is a typed error (never a trap).
    @Test func everyTruncationIsATypedError() throws {
        let data = try Self.committed(numVariables: 4, logRows: 2, stream: 902)[1]
        let bytes = data.serialized()
        for cut in 0..<bytes.count {
            #expect(throws: WireError.self) { try Self.decode(Array(bytes.prefix(cut))) }
        }
        #expect(throws: WireError.trailingBytes(count: 1)) { try Self.decode(bytes + [0]) }
    }

    /// A representative at or above p is refused where the matrix starts; so are another field's
    /// or another representation's bytes and an unknown source tag.
    @Test func invalidContentIsRefused() throws {
        let data = try Self.committed(numVariables: 4, logRows: 2, stream: 903)[0]
        let bytes = data.serialized()
        let header = 2 + Fr.fieldID.utf8.count + 2 + Fr.storageEncodingID.utf8.count + 16
        let matrix = bytes.count - data.encodedCount * 32             // U is last (aligned to 32 bytes)
        #expect(matrix % 32 == 0 && matrix - 32 < header + 1 + 32 * data.parameters.codewordLength)
        var high = bytes
        for k in 0..<32 { high[matrix + 32 * 5 + k] = 0xff }          // element 5 of U := 2^256 − 1
        #expect(throws: WireError.nonCanonicalElement(offset: matrix)) { try Self.decode(high) }
        var padding = bytes
        padding[matrix - 1] = 1
        #expect(throws: WireError.invalidValue(field: "alignment padding", detail: "not zero")) { try Self.decode(padding) }
        var field = bytes
        field[2] ^= 0x20                                              // "bn254-fr" → "Bn254-fr"
        #expect(throws: WireError.self) { try Self.decode(field) }
        var encoding = bytes
        encoding[2 + Fr.fieldID.utf8.count + 2] ^= 0x01
        #expect(throws: WireError.self) { try Self.decode(encoding) }
        var tag = bytes
        tag[header] = 9
        #expect(throws: WireError.invalidValue(field: "small-integer source", detail: "tag 9")) { try Self.decode(tag) }
    }

    /// A changed leaf hash changes the rebuilt root: the caller's comparison with the trusted
    /// commitment catches it.
    @Test func aChangedLeafChangesTheRoot() throws {
        let data = try Self.committed(numVariables: 6, logRows: 2, stream: 904)[2]
        var bytes = data.serialized()
        let header = 2 + Fr.fieldID.utf8.count + 2 + Fr.storageEncodingID.utf8.count + 16
        let leaves = header + 1 + 4 + 2 << data.parameters.numVariables   // after the int16 source
        bytes[leaves + 32 * 3 + 5] ^= 0x04
        let decoded = try Self.decode(bytes)
        #expect(decoded.commitment.root != data.commitment.root)
    }

    /// `U` is stored column-major after the leaf hashes, and an opening checks every column it
    /// sends against its leaf: a changed element of `U` (still in the field, so decoding accepts
    /// it) is refused as a damaged column when a query lands on it, and cannot change a proof
    /// when none does.
    @Test func aDamagedColumnIsRefusedWhenOpened() throws {
        var rng = SeededGenerator.forTest(stream: 906)
        for data in try Self.committed(numVariables: 8, logRows: 3, stream: 905) {
            let R = data.parameters.rowCount, n = data.parameters.codewordLength
            let matrix = data.serialized().count - data.encodedCount * 32
            #expect(data.encodedMatrix.count == R * n)
            let claims = honestClaims(data.evaluations, count: 1, &rng, as: Fr.self)
            var t = freshTranscript()
            let honestProof = try LigeroFr.open(data, claims: claims, transcript: &t)
            let honest = honestProof.serialized()
            // Element (row 1, column q) is at matrix + (q·R + 1)·32; its low limb's lowest bit flips.
            func damaged(columns: Range<Int>) throws -> LigeroProverData<Fr> {
                var bytes = data.serialized()
                for q in columns { bytes[matrix + (q * R + 1) * 32] ^= 0x01 }
                return try Self.decode(bytes)
            }
            var all = freshTranscript()
            #expect {
                try LigeroFr.open(try damaged(columns: 0..<n), claims: claims, transcript: &all)
            } throws: { error in
                guard case .damagedColumn = error as? LigeroError else { return false }
                return true
            }
            // The opened columns of the honest proof, by their contents: damaging a parity column
            // (past the systematic C, which a matrix without small integers combines from) that is
            // not among them leaves the proof byte for byte the same.
            let opened = honestProof.columns
            let rowMajor = data.encodedMatrix
            let untouched = (data.parameters.columnCount..<n).first { q in
                !opened.contains { $0 == (0..<R).map { rowMajor[$0 * n + q] } }
            }!
            var again = freshTranscript()
            #expect(try LigeroFr.open(try damaged(columns: untouched..<(untouched + 1)), claims: claims, transcript: &again)
                .serialized() == honest)
        }
    }
}
