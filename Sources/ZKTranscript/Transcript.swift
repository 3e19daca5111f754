public import ZKField
public import ZKSodium

/// A Fiat–Shamir transcript over BLAKE2b: the prover and the verifier feed it the same messages
/// in the same order and draw identical challenges, each a hash of everything absorbed before it.
///
/// The transcript is a value: a 32-byte chaining state `h`. Copying a transcript forks it (the
/// copies evolve independently), which is how a prover can try a step without committing to it.
///
/// ```swift
/// var transcript = Transcript(protocolLabel: "zkml.example.v1")
/// transcript.absorb(label: "root", digest: commitmentRoot)
/// let r: Fr = transcript.challenge(label: "r")
/// let columns = try transcript.challengeIndices(label: "columns", count: 149, upperBound: 4096)
/// ```
///
/// ## Byte layout (part of the proof format, version 1)
///
/// Notation: `u8(x)` is one byte; `u64le(n)` is `n` as 8 bytes little-endian; `lp(x)` is
/// `u64le(|x|) || x` (length-prefixed); strings are UTF-8; `H32` is BLAKE2b-256 and `H64` is
/// BLAKE2b-512 (unkeyed, RFC 7693; the output length is a BLAKE2b parameter, so `H32` is not a
/// prefix of `H64`).
///
/// Every absorbing operation is one *record*:
///
/// ```text
/// h ← H32( h || u8(op) || lp(label) || lp(data) )
/// ```
///
/// | operation                             | op   | label             | data                                                  |
/// |---------------------------------------|------|-------------------|-------------------------------------------------------|
/// | `init(protocolLabel: P)` from h = 0³² | 0x00 | "zkml.transcript.v1" | `P`                                                |
/// | `absorb(label:bytes:)`                | 0x01 | label             | the bytes                                             |
/// | `absorb(label:elements:)` over `F`    | 0x02 | label             | `lp(F.fieldID) || encode(e₀) || … || encode(eₙ₋₁)` (canonical encodings) |
/// | `absorb(label:integer:)` (UInt64)     | 0x03 | label             | `u64le(value)`                                        |
/// | `absorb(label:signedIntegers:)`       | 0x04 | label             | each value as 8 bytes two's complement little-endian  |
///
/// (`absorb(label:element:)` is `absorb(label:elements:)` of one element; `absorb(label:digest:)`
/// is `absorb(label:bytes:)` of the 32 digest bytes.)
///
/// Every challenge is one *squeeze* with a label and a descriptor `D` of what is drawn. It reads
/// a stream of 64-byte blocks and then ratchets the state over exactly the bytes it consumed:
///
/// ```text
/// block_i = H64( h || u8(0x10) || lp(label) || lp(D) || u64le(i) )      i = 0, 1, 2, …
/// out     = the first m bytes of block_0 || block_1 || …
/// h       ← H32( h || u8(0x11) || lp(label) || lp(D) || lp(out) )
/// ```
///
/// | operation                                   | D                                                    | m and use of `out` |
/// |---------------------------------------------|------------------------------------------------------|--------------------|
/// | `challenges(label:count: c)` over `F`       | `u8(1) || lp(F.fieldID) || u64le(c)`                 | `m = c · s` with `s = F.sampleByteCount`; element `k` is `F(uniformBytes: out[k·s ..< (k+1)·s])` (for Fr: 48 bytes read as a little-endian integer, reduced mod p) |
/// | `challengeBytes(label:count: n)`            | `u8(2) || u64le(n)`                                  | `m = n`; `out` itself |
/// | `challengeIndices(label:count: c, upperBound: N, distinct: d)` | `u8(3) || u64le(c) || u64le(N) || u8(d ? 1 : 0)` | `out` is read as 8-byte little-endian words `x` until `c` indices are accepted; `x` is rejected when `x ≥ 2⁶⁴ − (2⁶⁴ mod N)` (so `x mod N` is exactly uniform), and, when `d`, when `x mod N` was already drawn; `m = 8 · words read`; indices are returned in draw order |
///
/// `challenge(label:)` is `challenges(label:count: 1)`. The ratchet makes every later record and
/// challenge depend on every earlier challenge. Labels are chosen by the protocol code; an
/// operation's kind, label and every length are hashed, so no two different operation sequences
/// produce the same hash input. `Tests/ZKTranscriptTests/Vectors/make_transcript_vectors.py`
/// reimplements this layout with Python's `hashlib` and checks the Swift implementation.
public struct Transcript: Sendable {
    /// The chaining value `h`: a digest of every operation so far.
    @usableFromInline
    internal var chainingValue: Digest32

    /// The chaining value `h`: a digest of every operation so far (for tests and for binding a
    /// transcript's position, e.g. in a known-answer file).
    @inlinable
    public var state: Digest32 { chainingValue }

    /// The label of the initial record.
    public static let versionLabel = "zkml.transcript.v1"

    /// A transcript for the protocol named `protocolLabel` (include its version, e.g.
    /// `"zkml.ligero.v1"`): `h = H32(0³² || u8(0) || lp("zkml.transcript.v1") || lp(protocolLabel))`.
    public init(protocolLabel: String) {
        chainingValue = Digest32()
        let label = Array(protocolLabel.utf8)
        absorbRecord(op: Op.initialize, label: Transcript.versionLabel, dataByteCount: label.count) { $0 += label }
    }

    // MARK: Absorbing

    /// Absorbs raw bytes (op 0x01).
    public mutating func absorb(label: String, bytes: some Sequence<UInt8>) {
        let data = Array(bytes)
        absorbRecord(op: Op.bytes, label: label, dataByteCount: data.count) { $0 += data }
    }

    /// Absorbs a 32-byte digest such as a Merkle root (op 0x01 with the 32 bytes).
    public mutating func absorb(label: String, digest: Digest32) {
        absorbRecord(op: Op.bytes, label: label, dataByteCount: Digest32.byteCount) { digest.append(to: &$0) }
    }

    /// Absorbs one field element (op 0x02 with a single element).
    @inlinable
    public mutating func absorb<F: FiniteField>(label: String, element: F) {
        absorb(label: label, elements: CollectionOfOne(element))
    }

    /// Absorbs field elements by their canonical encodings, bound to the field's id (op 0x02).
    @inlinable
    public mutating func absorb<F: FiniteField>(label: String, elements: some Collection<F>) {
        let fieldID = Array(F.fieldID.utf8)
        let dataByteCount = 8 + fieldID.count + elements.count * F.encodedByteCount
        absorbRecord(op: Op.elements, label: label, dataByteCount: dataByteCount) { message in
            Transcript.appendLengthPrefixed(fieldID, to: &message)
            for element in elements { element.encode(into: &message) }
        }
    }

    /// Absorbs an unsigned machine integer, e.g. a size or a parameter (op 0x03).
    public mutating func absorb(label: String, integer: UInt64) {
        absorbRecord(op: Op.integer, label: label, dataByteCount: 8) { Transcript.appendUInt64(integer, to: &$0) }
    }

    /// Absorbs signed machine integers, e.g. quantized public inputs and outputs (op 0x04; each
    /// as 8 bytes two's complement little-endian; the count is implied by the data length).
    public mutating func absorb(label: String, signedIntegers values: some Collection<Int64>) {
        absorbRecord(op: Op.signedIntegers, label: label, dataByteCount: 8 * values.count) { message in
            for value in values { Transcript.appendUInt64(UInt64(bitPattern: value), to: &message) }
        }
    }

    // MARK: Challenges

    /// A challenge in `F`, uniform up to statistical distance 2⁻¹²⁸ (see
    /// `FiniteField.init(uniformBytes:)`).
    ///
    /// ```swift
    /// let alpha: Fr = transcript.challenge(label: "alpha")
    /// let beta = transcript.challenge(label: "beta", as: Fr.self)
    /// ```
    @inlinable
    public mutating func challenge<F: FiniteField>(label: String, as type: F.Type = F.self) -> F {
        challenges(label: label, count: 1, as: F.self)[0]
    }

    /// `count` challenges in `F` from one squeeze.
    /// - Precondition: `count >= 0`.
    @inlinable
    public mutating func challenges<F: FiniteField>(label: String, count: Int, as type: F.Type = F.self) -> [F] {
        precondition(count >= 0, "negative challenge count")
        var descriptor: [UInt8] = [Descriptor.fieldElements]
        Transcript.appendLengthPrefixed(Array(F.fieldID.utf8), to: &descriptor)
        Transcript.appendUInt64(UInt64(count), to: &descriptor)
        let size = F.sampleByteCount
        let out = squeeze(label: label, descriptor: descriptor, byteCount: count * size)
        return (0..<count).map { k in F(uniformBytes: out[k * size..<(k + 1) * size]) }
    }

    /// `count` uniformly random bytes.
    /// - Precondition: `count >= 0`.
    public mutating func challengeBytes(label: String, count: Int) -> [UInt8] {
        precondition(count >= 0, "negative byte count")
        var descriptor: [UInt8] = [Descriptor.bytes]
        Transcript.appendUInt64(UInt64(count), to: &descriptor)
        return squeeze(label: label, descriptor: descriptor, byteCount: count)
    }

    /// `count` indices uniform in `0 ..< upperBound` by rejection sampling (no modulo bias), all
    /// distinct when `distinct` is true (the Ligero column queries), in draw order.
    /// - Throws: ``TranscriptError/invalidIndexRequest(count:upperBound:distinct:)`` when
    ///   `count < 0`, `upperBound < 1`, or `distinct` and `count > upperBound`.
    public mutating func challengeIndices(
        label: String, count: Int, upperBound: Int, distinct: Bool = true
    ) throws(TranscriptError) -> [Int] {
        guard count >= 0, upperBound >= 1, !distinct || count <= upperBound else {
            throw .invalidIndexRequest(count: count, upperBound: upperBound, distinct: distinct)
        }
        var descriptor: [UInt8] = [Descriptor.indices]
        Transcript.appendUInt64(UInt64(count), to: &descriptor)
        Transcript.appendUInt64(UInt64(upperBound), to: &descriptor)
        descriptor.append(distinct ? 1 : 0)

        let bound = UInt64(upperBound)
        // 2⁶⁴ mod N, computed without 2⁶⁴: (2⁶⁴ − 1) mod N + 1, reduced once more.
        let excess = (UInt64.max % bound &+ 1) % bound
        let acceptBelowOrEqual = UInt64.max - excess  // accept x ≤ 2⁶⁴ − 1 − excess
        var stream = SqueezeStream(state: state, label: label, descriptor: descriptor)
        var indices = [Int]()
        indices.reserveCapacity(count)
        var seen = Set<Int>()
        while indices.count < count {
            let x = stream.nextUInt64()
            guard x <= acceptBelowOrEqual else { continue }
            let index = Int(x % bound)
            if distinct {
                guard seen.insert(index).inserted else { continue }
            }
            indices.append(index)
        }
        ratchet(label: label, descriptor: descriptor, output: stream.consumed)
        return indices
    }
}

/// Why a transcript request was refused.
public enum TranscriptError: Error, Equatable, Sendable {
    /// `challengeIndices` cannot draw `count` indices below `upperBound` (negative count, empty
    /// range, or more distinct indices than the range holds).
    case invalidIndexRequest(count: Int, upperBound: Int, distinct: Bool)
}
