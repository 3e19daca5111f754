import Testing
import ZKWire

/// ZigZag + LEB128 lists: exact round trips at the extremes, the short codes the format is for,
/// and a typed error (never a trap) for every malformed spelling.
@Suite("Variable-length integers")
struct WireVarintTests {
    func roundTrip(_ values: [Int64]) throws -> (decoded: [Int64], bytes: Int) {
        var w = WireWriter()
        w.write(varIntegers: values)
        var r = WireReader(w.bytes)
        let decoded = try r.readVarIntegers("values", limit: values.count)
        try r.finish()
        return (decoded, w.bytes.count - 4)
    }

    @Test func extremesRoundTrip() throws {
        let values: [Int64] = [0, 1, -1, 63, -64, 64, -65, 8191, -8192, 8192, 127, -128, 255, 1 << 40, -(1 << 40),
                               .max, .min, .max - 1, .min + 1]
        #expect(try roundTrip(values).decoded == values)
        var rng = SystemRandomNumberGenerator()
        let random = (0..<1000).map { _ in Int64.random(in: .min ... .max, using: &rng) >> Int64.random(in: 0...63, using: &rng) }
        #expect(try roundTrip(random).decoded == random)
    }

    @Test func smallMagnitudesAreShort() throws {
        #expect(try roundTrip([0, -1, 1, 63, -64]).bytes == 5)
        #expect(try roundTrip([64, -65, 8191, -8192]).bytes == 8)
        #expect(try roundTrip([.max, .min]).bytes == 20)
    }

    func read(_ payload: [UInt8], count: UInt32 = 1, limit: Int = 16) throws(WireError) -> [Int64] {
        var bytes: [UInt8] = (0..<4).map { UInt8(truncatingIfNeeded: count >> (8 * $0)) }
        bytes += payload
        var r = WireReader(bytes)
        return try r.readVarIntegers("values", limit: limit)
    }

    @Test func malformedSpellingsAreRejected() throws {
        let malformed = WireError.invalidValue(field: "values", detail: "malformed variable-length integer at offset 4")
        // 0 spelled in two bytes; 1 spelled with a redundant zero byte.
        #expect(throws: malformed) { try read([0x80, 0x00]) }
        #expect(throws: malformed) { try read([0x82, 0x00]) }
        // Eleven bytes, and a tenth byte carrying more than bit 63.
        #expect(throws: malformed) { try read([UInt8](repeating: 0xff, count: 10) + [0x01]) }
        #expect(throws: malformed) { try read([UInt8](repeating: 0xff, count: 9) + [0x02]) }
        // The largest ten-byte code is accepted: ZigZag 2^64 − 1 is Int64.min.
        #expect(try read([UInt8](repeating: 0xff, count: 9) + [0x01]) == [.min])
    }

    @Test func countsAreBoundedBeforeAllocation() {
        #expect(throws: WireError.countTooLarge(field: "values", count: 17, limit: 16)) { try read([0], count: 17) }
        // More values announced than bytes left (each takes at least one).
        #expect(throws: WireError.truncated(offset: 4, needed: 3, available: 2)) { try read([0, 0], count: 3) }
        // A code cut off by the end of the input.
        #expect(throws: WireError.truncated(offset: 5, needed: 1, available: 0)) { try read([0x80]) }
    }
}
