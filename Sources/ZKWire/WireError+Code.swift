extension WireError {
    /// A stable snake_case name of the case, for machine-readable reports (`zkml … --json`).
    /// Codes are never renamed or reused once published; the README lists them.
    public var code: String {
        switch self {
        case .truncated: return "truncated"
        case .badMagic: return "bad_magic"
        case .unsupportedVersion: return "unsupported_version"
        case .countTooLarge: return "count_too_large"
        case .countMismatch: return "count_mismatch"
        case .nonCanonicalElement: return "non_canonical_element"
        case .invalidValue: return "invalid_value"
        case .trailingBytes: return "trailing_bytes"
        }
    }
}
