public import ZKSodium

/// Domain-separated BLAKE2b-256: every hash the nodes compute names what it hashes, so that the
/// bytes of one kind of object can never be taken for another's.
public enum NodeHash {
    /// `BLAKE2b-256(domain ‖ 0x00 ‖ bytes)`.
    public static func hash(domain: String, _ bytes: some Sequence<UInt8>) -> Digest32 {
        var hasher = Blake2b()
        hasher.update(Array(domain.utf8))
        hasher.update([0])
        hasher.update(bytes)
        return hasher.finalizeDigest32()
    }

    /// The hash of an output's integers (little-endian 64-bit, row-major): what a receipt commits to
    /// and what the full node compares with the proof's public output.
    public static func outputHash(_ integers: [Int64]) -> Digest32 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(integers.count * 8)
        for value in integers { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        return hash(domain: "zkml/output-integers/v1", bytes)
    }

    /// A blob's id: the hash of its bytes.
    public static func blobID(_ bytes: some Sequence<UInt8>) -> Digest32 {
        hash(domain: "zkml/blob/v1", bytes)
    }
}
