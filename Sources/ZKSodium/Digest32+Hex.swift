extension Digest32 {
    /// The digest written as hex (``description``'s form): exactly 64 hex digits, either case;
    /// `nil` for anything else.
    ///
    /// ```swift
    /// let d = Blake2b.hash256(Array("abc".utf8))
    /// assert(Digest32(hex: d.description) == d && Digest32(hex: "abc") == nil)
    /// ```
    public init?(hex: some StringProtocol) {
        let digits = Array(hex.utf8)
        guard digits.count == 2 * Digest32.byteCount else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Digest32.byteCount)
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[i]), let low = value(digits[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.init()
        withUnsafeMutableBytes { raw in
            for (i, byte) in bytes.enumerated() { raw[i] = byte }
        }
    }
}
