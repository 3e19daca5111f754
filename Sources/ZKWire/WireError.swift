/// Why bytes could not be decoded. Decoding never traps: every malformed input ends here.
public enum WireError: Error, Equatable, Sendable {
    /// `needed` more bytes at `offset`, only `available` left.
    case truncated(offset: Int, needed: Int, available: Int)
    /// The input does not start with the expected magic (`expected`).
    case badMagic(expected: String)
    /// A format version this build cannot read.
    case unsupportedVersion(found: UInt16, supported: UInt16)
    /// A count above the limit the reader allows for that field.
    case countTooLarge(field: String, count: Int, limit: Int)
    /// A count that differs from the one the verifier's parameters fix.
    case countMismatch(field: String, expected: Int, got: Int)
    /// A field element encoding at `offset` is not canonical (≥ the modulus).
    case nonCanonicalElement(offset: Int)
    /// A value that is not allowed (an unknown tag, a malformed string).
    case invalidValue(field: String, detail: String)
    /// Bytes left over after a complete object.
    case trailingBytes(count: Int)
}

extension WireError: CustomStringConvertible {
    /// What was wrong, for people (command-line messages).
    public var description: String {
        switch self {
        case .truncated(let offset, let needed, let available):
            return "truncated: \(needed) bytes needed at offset \(offset), \(available) left"
        case .badMagic(let expected): return "wrong magic: not a \(expected) file"
        case .unsupportedVersion(let found, let supported):
            return "format version \(found), but this build reads version \(supported)"
        case .countTooLarge(let field, let count, let limit): return "\(field): \(count) is above the limit \(limit)"
        case .countMismatch(let field, let expected, let got): return "\(field): \(got), expected \(expected)"
        case .nonCanonicalElement(let offset): return "a field element at offset \(offset) is not canonical"
        case .invalidValue(let field, let detail): return "\(field): \(detail)"
        case .trailingBytes(let count): return "\(count) bytes after the end"
        }
    }
}
