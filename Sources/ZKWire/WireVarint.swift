/// Variable-length signed integers: ZigZag, then unsigned LEB128.
///
/// ZigZag maps `0, −1, 1, −2, 2, …` to `0, 1, 2, 3, 4, …` (`(v << 1) ^ (v >> 63)`), so small
/// magnitudes of either sign get short codes; LEB128 then writes 7 bits per byte, least
/// significant first, with the top bit set on every byte but the last. A value of `|v| < 64`
/// takes one byte, `|v| < 8192` two, and no value more than ten.
///
/// The format is for bulk small integers whose size matters (a proof's advice sent in the clear:
/// int8 activations, 8-bit remainder limbs, lookup counts — mostly one byte instead of eight).
/// Reading is strict, so that every list has exactly one encoding: a code longer than ten bytes,
/// a tenth byte with more than the top bit of 64, or a redundant trailing zero byte is rejected.
extension WireWriter {
    /// A count-prefixed list of signed integers, each ZigZag + LEB128 (``WireReader/readVarIntegers(_:limit:)``).
    public mutating func write(varIntegers values: [Int64]) {
        write(count: values.count)
        for v in values {
            var z = UInt64(bitPattern: (v << 1) ^ (v >> 63))
            while z >= 0x80 {
                write(u8: UInt8(truncatingIfNeeded: z) | 0x80)
                z >>= 7
            }
            write(u8: UInt8(z))
        }
    }
}

extension WireReader {
    /// A count-prefixed list of ZigZag + LEB128 integers (``WireWriter/write(varIntegers:)``), at
    /// most `limit` of them. The count is checked against the bytes left (every value takes at
    /// least one) before anything is allocated.
    public mutating func readVarIntegers(_ field: String, limit: Int) throws(WireError) -> [Int64] {
        let count = try readCount(field, limit: limit)
        guard count <= remaining else { throw .truncated(offset: offset, needed: count, available: remaining) }
        var values = [Int64]()
        values.reserveCapacity(count)
        for _ in 0..<count {
            let start = offset
            var z: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let byte = try readU8()
                // The tenth byte holds bit 63 only; a zero continuation byte is a longer spelling.
                guard shift < 63 || byte <= 1, !(byte == 0 && shift > 0) else {
                    throw .invalidValue(field: field, detail: "malformed variable-length integer at offset \(start)")
                }
                z |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { break }
                shift += 7
            }
            values.append(Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1))
        }
        return values
    }
}
