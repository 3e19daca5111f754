import Foundation
import Testing
import ZKCircuit
import ZKCommit
import ZKField
import ZKParallel
import ZKProver
import ZKSetup
import ZKVerifier
import ZKSodium
import ZKTesting
import ZKWire

/// A small model's keys and a witness for it.
private struct Model {
    let circuit: Circuit
    let known: [TensorID: [Int64]]
    let provingKey: ProvingKey<Fr>
    let witness: Witness

    init(sizes: [Int], stream: UInt64) throws {
        var rng = SeededGenerator.forTest(stream: stream)
        (circuit, known) = ExampleCircuits.mlp(sizes: sizes, using: &rng)
        provingKey = try Setup.run(circuit: circuit, known: known, field: Fr.self)
        witness = try WitnessBuilder.build(circuit: circuit, known: known)
    }
}

@Suite("Verification key file")
struct VerificationKeyFileTests {
    private let vk = try! Model(sizes: [12, 6, 3], stream: 40).provingKey.verificationKey

    /// `"ZKVK" u16 4, string toolVersion, body`; the model id hashes everything but the tool version.
    @Test func theHeaderCarriesTheToolVersionOutsideTheModelID() throws {
        let bytes = vk.encoded()
        #expect(Array(bytes[0..<6]) == Array("ZKVK".utf8) + [4, 0])
        let tool = Array(ToolVersion.current.utf8)
        #expect(Array(bytes[6..<(8 + tool.count)]) == [UInt8(tool.count), 0] + tool)
        #expect(vk.toolVersion == ToolVersion.current)
        #expect(Blake2b.hash256(Array(bytes[0..<6]) + Array(bytes[(8 + tool.count)...])) == vk.modelID)
        let decoded = try VerificationKey(decoding: bytes)
        #expect(decoded.toolVersion == ToolVersion.current)
        #expect(decoded.modelID == vk.modelID)
    }

    /// Another tool version changes the bytes, not the model id, and survives a round trip.
    @Test func theToolVersionDoesNotChangeTheModelID() throws {
        let other = VerificationKey(
            circuit: vk.circuit, constants: vk.constants, weightCommitment: vk.weightCommitment,
            weightParameters: vk.weightParameters, adviceParameters: vk.adviceParameters,
            adviceTransport: vk.adviceTransport, interface: vk.interface, toolVersion: "9.99.0-test")
        #expect(other.modelID == vk.modelID)
        #expect(other.encoded() != vk.encoded())
        let decoded = try VerificationKey(decoding: other.encoded())
        #expect(decoded.toolVersion == "9.99.0-test")
        #expect(decoded.modelID == vk.modelID)
        #expect(decoded.encoded() == other.encoded())
    }

    /// Versions 1 (no tool version), 2 (no input encoding) and 3 (no advice transport) are refused
    /// by name; every prefix
    /// is a typed error; a flip in the magic, version or tool-version length is a typed error,
    /// one in the tool-version text either an error (not UTF-8) or the same model.
    @Test func malformedHeadersAreTypedErrors() throws {
        var bytes = vk.encoded()
        for old: UInt8 in [1, 2, 3] {
            bytes[4] = old
            #expect(throws: WireError.unsupportedVersion(found: UInt16(old), supported: 4)) { try VerificationKey(decoding: bytes) }
        }
        bytes = vk.encoded()
        for cut in 0..<bytes.count {
            #expect(throws: WireError.self) { try VerificationKey(decoding: Array(bytes.prefix(cut))) }
        }
        let toolEnd = 8 + ToolVersion.current.utf8.count
        for index in 0..<toolEnd {
            for mask: UInt8 in [0x01, 0x80, 0xff] {
                var flipped = bytes
                flipped[index] ^= mask
                if index < 8 {
                    #expect(throws: WireError.self) { try VerificationKey(decoding: flipped) }
                } else if let decoded = try? VerificationKey(decoding: flipped) {
                    #expect(decoded.modelID == vk.modelID && decoded.toolVersion != vk.toolVersion)
                }
            }
        }
    }
}

@Suite("Proving key file")
struct ProvingKeyFileTests {
    private let model = try! Model(sizes: [20, 12, 5], stream: 41)

    /// Encode → decode → encode is byte-identical, setup again gives the same bytes, and a proof
    /// from the decoded key is byte-identical to one from the key in memory (and verifies).
    @Test func roundTripsAndProvesIdentically() throws {
        let pk = model.provingKey
        let bytes = pk.encoded()
        #expect(Array(bytes[0..<6]) == Array("ZKPK".utf8) + [2, 0])
        let decoded = try ProvingKey<Fr>(decoding: bytes)
        #expect(decoded.encoded() == bytes)
        #expect(decoded.verificationKey.modelID == pk.verificationKey.modelID)
        #expect(decoded.weightSlots == pk.weightSlots)
        #expect(decoded.weightData.commitment == pk.weightData.commitment)
        let again = try Parallelism.$threadLimit.withValue(1) {
            try Setup.run(circuit: model.circuit, known: model.known, field: Fr.self)
        }
        #expect(again.encoded() == bytes, "setup on one thread gives other bytes")
        let proof = try Prover.prove(provingKey: pk, witness: model.witness)
        let reloaded = try Prover.prove(provingKey: decoded, witness: model.witness)
        #expect(reloaded.encoded() == proof.encoded())
        try Verifier.verify(reloaded, verificationKey: pk.verificationKey, field: Fr.self)
    }

    /// A key mapped from a file (the matrix used in place) proves byte-identically too, and
    /// outlives its mapping's other users. Damage before the matrix is caught by the checksum on
    /// loading; damage to the matrix, which loading does not read, when a proof opens a damaged
    /// column — a typed error, and nothing is proven.
    @Test func aMappedKeyProvesIdentically() throws {
        let bytes = model.provingKey.encoded()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zkml-test-\(UInt64.random(in: 0...UInt64.max)).key").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let mapped = try ProvingKey<Fr>(decoding: #require(MappedFile(path: path)))
        #expect(mapped.encoded() == bytes)
        let proof = try Prover.prove(provingKey: model.provingKey, witness: model.witness)
        #expect(try Prover.prove(provingKey: mapped, witness: model.witness).encoded() == proof.encoded())

        let matrix = Self.matrixOffset(bytes)
        var damaged = bytes
        damaged[matrix / 2] ^= 0x01
        #expect(FileManager.default.createFile(atPath: path, contents: Data(damaged)))
        #expect(throws: WireError.invalidValue(
            field: "checksum", detail: "the file is damaged or truncated (its checksum does not match)")) {
            try ProvingKey<Fr>(decoding: #require(MappedFile(path: path)))
        }

        // One byte of every column of U (column-major, R elements of 32 bytes each).
        let rows = model.provingKey.weightData.parameters.rowCount
        damaged = bytes
        for column in 0..<model.provingKey.weightData.parameters.codewordLength {
            damaged[matrix + column * rows * 32 + 7] ^= 0x01
        }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(damaged)))
        let unread = try ProvingKey<Fr>(decoding: #require(MappedFile(path: path)))
        #expect {
            try Prover.prove(provingKey: unread, witness: model.witness)
        } throws: { error in
            guard case .commitment(.damagedColumn) = error as? ProvingError else { return false }
            return true
        }
    }

    /// Where the encoded matrix starts: the key's trailer says (ProvingKey+Wire.swift).
    static func matrixOffset(_ bytes: [UInt8]) -> Int {
        (0..<8).reduce(0) { $0 | Int(bytes[bytes.count - 16 + $1]) << (8 * $1) }
    }

    /// `body` (a key without its trailer, the matrix starting at `matrixOffset`) with the trailer
    /// computed as documented: the matrix offset, then SipHash-2-4 under "zkml-proving-key" of
    /// the tag of the one 1 MiB block before the matrix (the test keys are smaller).
    static func withTrailer(_ body: [UInt8], matrixOffset: Int) -> [UInt8] {
        precondition(matrixOffset < 1 << 20)
        let key = SipHash.Key(Array("zkml-proving-key".utf8))
        let tag = SipHash.hash(Array(body[..<matrixOffset]), key: key)
        let checksum = withUnsafeBytes(of: tag.littleEndian) { SipHash.hash($0, key: key) }
        var out = body
        for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: UInt64(matrixOffset) >> UInt64(8 * k))) }
        for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: checksum >> UInt64(8 * k))) }
        return out
    }

    /// Every prefix of a small key is a typed error, and so is any byte flipped in the header,
    /// the trailer or (sampled) the checksummed payload — never a trap, never a key. A flip in
    /// the encoded matrix, which no checksum covers, is a typed error when decoding (an element
    /// out of the field), or when proving if a queried column holds it (`damagedColumn`), or
    /// changes nothing: a proof never reads the other columns.
    @Test func truncationsAndFlipsAreTypedErrors() throws {
        let smallModel = try Model(sizes: [8, 4], stream: 42)
        let small = smallModel.provingKey.encoded()
        for cut in 0..<small.count {
            #expect(throws: WireError.self) { try ProvingKey<Fr>(decoding: Array(small.prefix(cut))) }
        }
        let header = 8 + ToolVersion.current.utf8.count + 4
        let matrix = Self.matrixOffset(small)
        let positions = Array(0..<header) + Array((small.count - 16)..<small.count)
            + stride(from: header, to: matrix, by: 97)
        for index in positions {
            var flipped = small
            flipped[index] ^= 0x10
            #expect(throws: WireError.self) { try ProvingKey<Fr>(decoding: flipped) }
        }
        let honest = try Prover.prove(provingKey: smallModel.provingKey, witness: smallModel.witness).encoded()
        var outcomes = (decodeErrors: 0, damagedColumns: 0, unchanged: 0)
        for index in stride(from: matrix, to: small.count - 16, by: 89) {
            var flipped = small
            flipped[index] ^= 0x10
            guard let key = try? ProvingKey<Fr>(decoding: flipped) else {
                outcomes.decodeErrors += 1
                continue
            }
            do {
                #expect(try Prover.prove(provingKey: key, witness: smallModel.witness).encoded() == honest)
                outcomes.unchanged += 1
            } catch ProvingError.commitment(.damagedColumn) {
                outcomes.damagedColumns += 1
            }
        }
        // This key's commitment is small enough that every column is opened: a flip that decodes
        // is always caught (bigger keys: `LigeroProverDataWireTests` damages unopened columns).
        let parameters = smallModel.provingKey.weightData.parameters
        #expect(parameters.openedColumnCount == parameters.codewordLength)
        #expect(outcomes.damagedColumns > 0 && outcomes.unchanged == 0, "\(outcomes)")
        #expect(throws: WireError.badMagic(expected: "ZKPK")) { try ProvingKey<Fr>(decoding: model.provingKey.verificationKey.encoded()) }
    }

    /// A key whose stored commitment is another model's — spliced with a valid checksum — is
    /// refused: its root is not its verification key's.
    @Test func aRootThatIsNotTheVerificationKeysIsRejected() throws {
        let other = try Model(sizes: [20, 12, 5], stream: 43).provingKey.encoded()
        let mine = model.provingKey.encoded()
        func payloadStart(_ bytes: [UInt8]) -> Int {
            let vkStart = 8 + ToolVersion.current.utf8.count + 4
            let vkLength = (0..<4).reduce(0) { $0 | Int(bytes[vkStart - 4 + $1]) << (8 * $1) }
            return vkStart + vkLength
        }
        let body = Array(mine[..<payloadStart(mine)]) + Array(other[payloadStart(other)..<(other.count - 16)])
        let spliced = Self.withTrailer(
            body, matrixOffset: payloadStart(mine) + Self.matrixOffset(other) - payloadStart(other))
        do {
            _ = try ProvingKey<Fr>(decoding: spliced)
            Issue.record("a key with another model's commitment was accepted")
        } catch {
            guard case .invalidValue(let field, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(field == "weight commitment")
        }
        // The same bytes with this model's own payload decode: the trailer above is the documented one.
        #expect(try ProvingKey<Fr>(decoding: Self.withTrailer(Array(mine.dropLast(16)), matrixOffset: Self.matrixOffset(mine))).encoded() == mine)
    }

    /// `matches` recognises the model a key was set up from, and nothing else.
    @Test func aKeyMatchesOnlyItsModel() throws {
        let pk = model.provingKey
        #expect(pk.matches(circuit: model.circuit, known: model.known, interface: nil))
        var weights = model.known
        let w = model.circuit.tensors.firstIndex { $0.storage == .weight }!
        weights[w]![3] = weights[w]![3] == 127 ? 126 : weights[w]![3] + 1
        #expect(!pk.matches(circuit: model.circuit, known: weights, interface: nil))
        var constants = model.known
        let b = model.circuit.tensors.firstIndex { $0.storage == .constant }!
        constants[b]![0] += 1
        #expect(!pk.matches(circuit: model.circuit, known: constants, interface: nil))
        let interface = ModelInterface(
            inputName: "x", inputShape: [20], inputScale: 0.5, outputName: "y", outputShape: [5], outputScale: 0.25,
            postprocessing: "none")
        #expect(!pk.matches(circuit: model.circuit, known: model.known, interface: interface))
    }
}
