import Testing
import ZKField
import ZKTesting

@Suite("Bulk storage of field elements")
struct BulkStorableFieldTests {
    static func bytes<F: BulkStorableField>(_ values: [F]) -> [UInt8] {
        var out: [UInt8] = []
        values.withUnsafeBufferPointer { F.appendStorageBytes(of: $0, to: &out) }
        return out
    }

    /// BN254Fr stores its Montgomery limbs: the bytes are its memory, they round-trip, and they
    /// can be used in place; edge values included.
    @Test func bn254RoundTripsItsMontgomeryLimbs() throws {
        var rng = SeededGenerator.forTest(stream: 80)
        let values: [Fr] = [.zero, .one, -1, Fr(-1) * Fr(2).inverse()!] + (0..<100).map { _ in Fr.random(using: &rng) }
        let stored = Self.bytes(values)
        #expect(stored.count == 32 * values.count)
        #expect(Array(stored[32..<64]) == BN254Fr.montgomeryRadixLimbs.flatMap { limb in (0..<8).map { UInt8(truncatingIfNeeded: limb >> UInt64(8 * $0)) } })
        #expect(try stored.withUnsafeBytes { try Fr.elements(fromStorageBytes: $0) } == values)
        let aligned = [Fr](repeating: .zero, count: values.count)
        #expect(Fr.storageEncodingIsMemoryLayout)
        #expect(values.withUnsafeBytes { Fr.isValidInPlaceStorage($0) })
        #expect(aligned.withUnsafeBytes { Fr.isValidInPlaceStorage($0) })
    }

    /// A representative at or above p (here p itself and 2^256 − 1) is refused both ways.
    @Test func bn254RefusesRepresentativesAboveTheModulus() {
        let limbs = BN254Fr.modulusLimbs
        for bad in [limbs, [UInt64.max, .max, .max, .max]] {
            var stored = Self.bytes([Fr.one, Fr(5)])
            stored += bad.flatMap { limb in (0..<8).map { UInt8(truncatingIfNeeded: limb >> UInt64(8 * $0)) } }
            #expect(throws: FieldDecodingError.notCanonical) { try stored.withUnsafeBytes { try Fr.elements(fromStorageBytes: $0) } }
            let elements = [UInt64](repeating: 0, count: 8) + bad
            #expect(!elements.withUnsafeBytes { Fr.isValidInPlaceStorage($0) })
        }
        #expect(throws: FieldDecodingError.self) { try [UInt8](repeating: 0, count: 33).withUnsafeBytes { try Fr.elements(fromStorageBytes: $0) } }
    }

    /// Fields without a memory-layout encoding store canonical bytes and are never used in place.
    @Test func otherFieldsStoreCanonicalBytes() throws {
        typealias E17 = GMPPrimeField<F17>
        let values = (0..<17).map { E17(UInt64($0)) }
        let stored = Self.bytes(values)
        #expect(E17.storageEncodingID == "canonical")
        #expect(stored == values.flatMap(\.canonicalBytes))
        #expect(try stored.withUnsafeBytes { try E17.elements(fromStorageBytes: $0) } == values)
        #expect(!stored.withUnsafeBytes { E17.isValidInPlaceStorage($0) })
        #expect(!E17.storageEncodingIsMemoryLayout)
    }
}
