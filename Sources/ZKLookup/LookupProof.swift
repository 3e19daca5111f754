public import ZKField
public import ZKSumcheck

/// The messages of one batched layer reduction (depth `d`: from claims on the layer with `2^d`
/// entries of every active tree to claims on their layer with `2^(d+1)` entries).
public struct LookupLayerProof<E: FiniteField>: Sendable, Equatable {
    /// The batched degree-3 sumcheck over `d` variables (`d` rounds of `[s(0), s(2), s(3)]`).
    public var sumcheck: SumcheckProof<E>
    /// For every active tree (height `> d`, proof order): `p(0,ρ), p(1,ρ), q(0,ρ), q(1,ρ)`.
    public var childValues: [E]

    public init(sumcheck: SumcheckProof<E>, childValues: [E]) {
        self.sumcheck = sumcheck
        self.childValues = childValues
    }
}

/// A logUp-GKR proof for a ``LookupStatement``.
///
/// ## Binary encoding (format version 1)
///
/// Integers little-endian; every field element is its canonical encoding (`E.encodedByteCount`
/// bytes; non-canonical encodings are rejected); `vec(x)` is `u32(count) || x_0 || … `.
///
/// ```text
/// "ZKLU" || u8(version = 1) || u8(|fieldID|) || fieldID
/// vec(roots)                                    2 per tree: p, q (groups, then tables)
/// u32(layerCount)
///   per layer: u32(rounds) || per round: u8(len) || len elements
///              vec(childValues)
/// u32(groupCount) || per group: vec(column evaluations)
/// vec(multiplicity evaluations)
/// ```
///
/// Decoding checks every length against the bytes that remain before allocating, and rejects
/// trailing bytes. It checks structure only; the verifier then checks every length against the
/// statement.
public struct LookupProof<E: FiniteField>: Sendable, Equatable {
    /// The format version written by ``encoded()``.
    public static var formatVersion: UInt8 { 1 }
    static var magic: [UInt8] { Array("ZKLU".utf8) }

    /// `(p_root, q_root)` of every tree: groups first, then tables (`2 · (G + T)` elements).
    public var roots: [E]
    /// Layer reductions for depths `0 ..< max height`.
    public var layers: [LookupLayerProof<E>]
    /// `columnEvaluations[g][k]`: the zero-padded MLE of group `g`'s column `k` at the group's final point.
    public var columnEvaluations: [[E]]
    /// `multiplicityEvaluations[t]`: the MLE of table `t`'s multiplicities at the table's final point.
    public var multiplicityEvaluations: [E]

    public init(roots: [E], layers: [LookupLayerProof<E>], columnEvaluations: [[E]], multiplicityEvaluations: [E]) {
        self.roots = roots
        self.layers = layers
        self.columnEvaluations = columnEvaluations
        self.multiplicityEvaluations = multiplicityEvaluations
    }

    /// The proof in the binary format above.
    public func encoded() -> [UInt8] {
        var out = Self.magic
        out.append(Self.formatVersion)
        let id = Array(E.fieldID.utf8)
        out.append(UInt8(id.count))
        out += id
        func u32(_ v: Int) { for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
        func vec(_ xs: [E]) {
            u32(xs.count)
            for x in xs { x.encode(into: &out) }
        }
        vec(roots)
        u32(layers.count)
        for layer in layers {
            u32(layer.sumcheck.roundMessages.count)
            for message in layer.sumcheck.roundMessages {
                out.append(UInt8(message.count))
                for x in message { x.encode(into: &out) }
            }
            vec(layer.childValues)
        }
        u32(columnEvaluations.count)
        for group in columnEvaluations { vec(group) }
        vec(multiplicityEvaluations)
        return out
    }

    /// Parses the binary format.
    /// - Throws: ``LookupError/decoding(_:)`` on anything malformed; never traps.
    public init(encoded bytes: [UInt8]) throws(LookupError) {
        var reader = ByteReader(bytes: bytes)
        do throws(LookupDecodingError) {
            guard Array(try reader.take(4)) == Self.magic else { throw LookupDecodingError.badMagic }
            let version = try reader.byte()
            guard version == Self.formatVersion else { throw LookupDecodingError.unsupportedVersion(version) }
            let idLength = Int(try reader.byte())
            guard Array(try reader.take(idLength)) == Array(E.fieldID.utf8) else {
                throw LookupDecodingError.wrongField(expected: E.fieldID)
            }
            let size = E.encodedByteCount
            func element() throws(LookupDecodingError) -> E {
                let raw = try reader.take(size)
                do { return try E(canonicalBytes: raw) } catch { throw .nonCanonicalElement }
            }
            func vec() throws(LookupDecodingError) -> [E] {
                let n = try reader.count(minimumItemBytes: size)
                var xs = [E]()
                xs.reserveCapacity(n)
                for _ in 0..<n { xs.append(try element()) }
                return xs
            }
            let roots = try vec()
            // A layer takes at least 8 bytes (two u32 counts).
            let layerCount = try reader.count(minimumItemBytes: 8)
            var layers = [LookupLayerProof<E>]()
            layers.reserveCapacity(layerCount)
            for _ in 0..<layerCount {
                let rounds = try reader.count(minimumItemBytes: 1)
                var messages = [[E]]()
                messages.reserveCapacity(rounds)
                for _ in 0..<rounds {
                    let n = Int(try reader.byte())
                    guard n * size <= reader.remaining else { throw LookupDecodingError.truncated }
                    var message = [E]()
                    message.reserveCapacity(n)
                    for _ in 0..<n { message.append(try element()) }
                    messages.append(message)
                }
                layers.append(LookupLayerProof(sumcheck: SumcheckProof(roundMessages: messages), childValues: try vec()))
            }
            let groupCount = try reader.count(minimumItemBytes: 4)
            var columns = [[E]]()
            columns.reserveCapacity(groupCount)
            for _ in 0..<groupCount { columns.append(try vec()) }
            let multiplicities = try vec()
            guard reader.remaining == 0 else { throw LookupDecodingError.trailingBytes(count: reader.remaining) }
            self.init(roots: roots, layers: layers, columnEvaluations: columns, multiplicityEvaluations: multiplicities)
        } catch {
            throw .decoding(error)
        }
    }
}

/// A bounds-checked cursor over bytes.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    var remaining: Int { bytes.count - offset }

    mutating func byte() throws(LookupDecodingError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func take(_ n: Int) throws(LookupDecodingError) -> ArraySlice<UInt8> {
        guard n >= 0, remaining >= n else { throw .truncated }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    /// A u32 count whose items (each at least `minimumItemBytes` long) must fit in what remains.
    mutating func count(minimumItemBytes: Int) throws(LookupDecodingError) -> Int {
        let raw = try take(4)
        var n = 0
        for (k, b) in raw.enumerated() { n |= Int(b) << (8 * k) }
        guard n <= remaining / max(1, minimumItemBytes) else { throw .lengthTooLarge }
        return n
    }
}
