public import ZKSodium

extension Transcript {
    /// Operation bytes of absorb records.
    @usableFromInline
    internal enum Op {
        @usableFromInline static let initialize: UInt8 = 0x00
        @usableFromInline static let bytes: UInt8 = 0x01
        @usableFromInline static let elements: UInt8 = 0x02
        @usableFromInline static let integer: UInt8 = 0x03
        @usableFromInline static let signedIntegers: UInt8 = 0x04
        @usableFromInline static let squeezeBlock: UInt8 = 0x10
        @usableFromInline static let ratchet: UInt8 = 0x11
    }

    /// First byte of a squeeze descriptor.
    @usableFromInline
    internal enum Descriptor {
        @usableFromInline static let fieldElements: UInt8 = 1
        @usableFromInline static let bytes: UInt8 = 2
        @usableFromInline static let indices: UInt8 = 3
    }

    /// `h ← H32(h || u8(op) || lp(label) || u64le(dataByteCount) || data)`, where `writeData`
    /// appends exactly `dataByteCount` bytes.
    @inlinable
    internal mutating func absorbRecord(
        op: UInt8, label: String, dataByteCount: Int, writeData: (inout [UInt8]) -> Void
    ) {
        var message = [UInt8]()
        message.reserveCapacity(32 + 1 + 8 + label.utf8.count + 8 + dataByteCount)
        state.append(to: &message)
        message.append(op)
        Transcript.appendLengthPrefixed(label.utf8, to: &message)
        Transcript.appendUInt64(UInt64(dataByteCount), to: &message)
        let dataStart = message.count
        writeData(&message)
        precondition(message.count - dataStart == dataByteCount, "transcript record length mismatch")
        chainingValue = Blake2b.hash256(message)
    }

    /// Reads `byteCount` bytes of the squeeze stream for (`label`, `descriptor`) and ratchets.
    @usableFromInline
    internal mutating func squeeze(label: String, descriptor: [UInt8], byteCount: Int) -> [UInt8] {
        var stream = SqueezeStream(state: state, label: label, descriptor: descriptor)
        stream.read(byteCount)
        ratchet(label: label, descriptor: descriptor, output: stream.consumed)
        return stream.consumed
    }

    /// `h ← H32(h || u8(0x11) || lp(label) || lp(D) || lp(out))`.
    @usableFromInline
    internal mutating func ratchet(label: String, descriptor: [UInt8], output: [UInt8]) {
        var message = [UInt8]()
        state.append(to: &message)
        message.append(Op.ratchet)
        Transcript.appendLengthPrefixed(label.utf8, to: &message)
        Transcript.appendLengthPrefixed(descriptor, to: &message)
        Transcript.appendLengthPrefixed(output, to: &message)
        chainingValue = Blake2b.hash256(message)
    }

    @inlinable
    internal static func appendUInt64(_ value: UInt64, to bytes: inout [UInt8]) {
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * k))) }
    }

    @inlinable
    internal static func appendLengthPrefixed(_ data: some Collection<UInt8>, to bytes: inout [UInt8]) {
        appendUInt64(UInt64(data.count), to: &bytes)
        bytes.append(contentsOf: data)
    }
}

/// The squeeze stream `H64(h || u8(0x10) || lp(label) || lp(D) || u64le(i))`, `i = 0, 1, …`,
/// read on demand; remembers every byte handed out (`consumed`) for the ratchet.
@usableFromInline
internal struct SqueezeStream {
    /// `h || u8(0x10) || lp(label) || lp(D)`: the block preimage without its counter.
    private var prefix: [UInt8]
    private var counter: UInt64 = 0
    private var block: [UInt8] = []
    private var blockOffset = 0
    /// Every byte read so far, in order.
    @usableFromInline private(set) var consumed: [UInt8] = []

    @usableFromInline
    init(state: Digest32, label: String, descriptor: [UInt8]) {
        var prefix = [UInt8]()
        state.append(to: &prefix)
        prefix.append(Transcript.Op.squeezeBlock)
        Transcript.appendLengthPrefixed(label.utf8, to: &prefix)
        Transcript.appendLengthPrefixed(descriptor, to: &prefix)
        self.prefix = prefix
    }

    /// Reads `count` more bytes (appended to `consumed`).
    @usableFromInline
    mutating func read(_ count: Int) {
        consumed.reserveCapacity(consumed.count + count)
        var remaining = count
        while remaining > 0 {
            if blockOffset == block.count { nextBlock() }
            let take = min(remaining, block.count - blockOffset)
            consumed.append(contentsOf: block[blockOffset..<blockOffset + take])
            blockOffset += take
            remaining -= take
        }
    }

    /// Reads 8 bytes as a little-endian integer.
    @usableFromInline
    mutating func nextUInt64() -> UInt64 {
        read(8)
        var value: UInt64 = 0
        for k in 0..<8 { value |= UInt64(consumed[consumed.count - 8 + k]) << UInt64(8 * k) }
        return value
    }

    private mutating func nextBlock() {
        let base = prefix.count
        Transcript.appendUInt64(counter, to: &prefix)
        block = Blake2b.hash(prefix, outputByteCount: 64)
        prefix.removeSubrange(base...)
        blockOffset = 0
        counter += 1
    }
}
