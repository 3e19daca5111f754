import ZKParallel

/// The row combination of a small-integer matrix with BN254 Fr coefficients,
/// `result[j] = Σ_i c_i · M[i][j]`, computed with 16-bit integer multiply-adds.
///
/// This is the fold `eq(r)ᵀW` of every matrix–vector sumcheck and every Ligero opening row of
/// the committed weights, so it runs once or more per linear layer per proof. A field
/// multiplication costs about 12 ns; the kernel below spends about 0.8 ns per int8 weight on
/// one thread, its one reduction per column included (`benches/run field`,
/// `fr_combine_rows_*`: 0.10 ms for the 128×1024 fold that took 3.0 ms before).
///
/// ## The idea: integers first, one reduction per column
///
/// 1. *Montgomery representatives are linear.* Each coefficient is stored as its representative
///    `ĉ = c·R mod p` (``BN254Fr``, `R = 2^256`). For integers `w_i`, the integer
///    `T = Σ_i w_i · ĉ_i` satisfies `T ≡ (Σ_i w_i c_i)·R (mod p)`: it *is* a representative of the
///    result, just not reduced. So the whole column can be summed as integers and reduced once.
///
/// 2. *Split both sides into small pieces.* Each `ĉ` is written in signed radix-2^16 digits,
///    `ĉ = Σ_{k<16} d_k 2^(16k)` with `d_k ∈ [−2^15, 2^15)` (``BN254Fr/signedDigits16``), and each
///    weight into bytes: an int8 weight is one signed byte; an int16 weight `w = b_0 + 2^8 b_1`
///    (`b_0 ∈ [0, 256)`, `b_1` signed); an int32 weight `w = b_0 + 2^8 b_1 + 2^16 b_2 + 2^24 b_3`.
///    A byte plane `b_t` of row `i` is a *virtual row* with coefficient `2^(8t)·c_i`. Then
///    `T = Σ_k 2^(16k) · a_k` with `a_k = Σ_{virtual rows v} b_v · d_{v,k}`: sixteen integer dot
///    products of bytes with 16-bit digits, which is exactly what SSE2's `pmaddwd` computes
///    (eight 16×16-bit products, adjacent pairs summed into 32-bit lanes), and the Swift
///    expression in ``RowCombination/multiplyAdd(_:_:)`` compiles to it on the baseline x86-64
///    target. Virtual rows are taken in pairs: two int8 rows, or the two bytes of an int16
///    weight, or bytes (0, 1) and (2, 3) of an int32 weight.
///
/// 3. *Budgets (why nothing overflows).* A product satisfies `|b·d| ≤ 255 · 2^15 < 2^23`, so a
///    pair sum is below `2^24` and a 32-bit lane holds `2^31 / 2^24 = 128` pair sums; the kernel
///    widens its 32-bit lanes into `Int64` sums after every ``RowCombination/slab`` = 64 pairs.
///    An `Int64` sum holds `2^63 / 2^24 = 2^39` pairs, more rows than any matrix in memory (the
///    entry point checks). Then `|T| < 2^63 · 2^240 · (1 + 2^-16 + …) < 2^304`.
///
/// 4. *One reduction.* Each coefficient is pre-scaled by `2^64` (one field multiplication per
///    row), so `T ≡ (Σ w c)·2^64·R`. One word of Montgomery reduction, `r = (T + m·p) / 2^64`
///    with `m = −T·p⁻¹ mod 2^64` (``BN254Fr/reduceSignedTimesTwoToMinus64(_:_:_:_:_:)``), is an
///    exact division giving `r ≡ T·2^-64 ≡ (Σ w c)·R`, the representative wanted, with
///    `T/2^64 ≤ r < T/2^64 + p` and `|T/2^64| < 2^240 < p`; one conditional addition or
///    subtraction of `p` makes it canonical. No field multiplication per column at all.
///
/// Rows whose coefficient is zero contribute nothing and are skipped (a Ligero claim on one
/// tensor has nonzero row weights only on the rows holding that tensor). Columns are processed
/// 16 at a time (a partial last group is read into a zero-padded buffer), and groups of columns
/// are split across threads when the work is large enough to pay for it; every column's sum is
/// computed the same way whatever the split, so results never depend on the thread count.
enum RowCombination {
    /// Eight 16-bit lanes: four columns × one pair of virtual rows (weights), or one pair of
    /// digits repeated four times (coefficients).
    typealias Lanes = SIMD8<Int16>

    /// Virtual-row pairs accumulated in 32-bit lanes before widening to `Int64`: 64, half of the
    /// 128 pair sums (each `< 2^24`) that a lane can hold.
    static let slab = 64

    /// Columns per group: one 16-byte load of an int8 row.
    static let groupWidth = 16

    /// `pmaddwd`: lane `t` of the result is `w[2t]·d[2t] + w[2t+1]·d[2t+1]` (exact in 32 bits).
    @inline(__always)
    static func multiplyAdd(_ w: Lanes, _ d: Lanes) -> SIMD4<Int32> {
        let products = SIMD8<Int32>(truncatingIfNeeded: w) &* SIMD8<Int32>(truncatingIfNeeded: d)
        return products.evenHalf &+ products.oddHalf
    }

    /// `(a0, b0, a1, b1, a2, b2, a3, b3)` and `(a4, b4, …, a7, b7)`: four columns of a pair each.
    @inline(__always)
    static func interleave(_ a: Lanes, _ b: Lanes) -> (Lanes, Lanes) {
        (Lanes(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3]), Lanes(a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7]))
    }

    /// One pair of virtual rows: the rows' first entries and which byte planes (`part`).
    struct Pair {
        var first: Int
        var second: Int
        var part: Int
    }

    /// The kernel's view of one coefficient vector: its nonzero rows as pairs of virtual rows,
    /// and the digit table, `digits[p·16 + k]` holding (d_k of the pair's first virtual row,
    /// d_k of its second) four times over.
    struct PreparedCoefficients {
        var pairs: [Pair] = []
        var digits: [Lanes] = []

        init<W: RowCombinationWeight>(_ coefficients: UnsafeBufferPointer<BN254Fr>, weights: W.Type) {
            let scale = BN254Fr.twoTo64
            var pending: (row: Int, digits: SIMD16<Int16>)? = nil
            for i in 0..<coefficients.count where !coefficients[i].isZero {
                let c = coefficients[i] * scale
                switch W.bytePlanes {
                case 1:
                    if let (row, x) = pending {
                        append(row, i, part: 0, x, c.signedDigits16)
                        pending = nil
                    } else {
                        pending = (i, c.signedDigits16)
                    }
                default:
                    // Byte planes t = 0, 1, … with coefficients 2^(8t)·c, two planes per pair.
                    var planeCoefficient = c
                    for part in 0..<(W.bytePlanes / 2) {
                        let x = planeCoefficient.signedDigits16
                        planeCoefficient = planeCoefficient * BN254Fr.twoTo8
                        let y = planeCoefficient.signedDigits16
                        planeCoefficient = planeCoefficient * BN254Fr.twoTo8
                        append(i, i, part: part, x, y)
                    }
                }
            }
            // An odd int8 row pairs with itself under zero digits.
            if let (row, x) = pending { append(row, row, part: 0, x, .zero) }
        }

        mutating func append(_ first: Int, _ second: Int, part: Int, _ x: SIMD16<Int16>, _ y: SIMD16<Int16>) {
            pairs.append(Pair(first: first, second: second, part: part))
            for k in 0..<16 { digits.append(Lanes(x[k], y[k], x[k], y[k], x[k], y[k], x[k], y[k])) }
        }
    }

    /// Runs the kernel for each coefficient vector `v`:
    /// `outputs[v·columns + j] = Σ_i vectors[v][i] · matrix[i·columns + j]`, in one parallel pass
    /// over the column groups (one dispatch for all vectors, as a Ligero opening needs).
    static func combine<W: RowCombinationWeight>(
        _ matrix: UnsafeBufferPointer<W>, columns: Int, vectors: [UnsafeBufferPointer<BN254Fr>]
    ) -> [BN254Fr] {
        [BN254Fr](unsafeUninitializedCapacity: vectors.count * columns) { outputs, initialized in
            combine(matrix, columns: columns, vectors: vectors, into: outputs)
            initialized = vectors.count * columns
        }
    }

    static func combine<W: RowCombinationWeight>(
        _ matrix: UnsafeBufferPointer<W>, columns: Int, vectors: [UnsafeBufferPointer<BN254Fr>],
        into outputs: UnsafeMutableBufferPointer<BN254Fr>
    ) {
        precondition(columns >= 0 && outputs.count == vectors.count * columns, "output has the wrong size")
        for coefficients in vectors {
            precondition(matrix.count == coefficients.count * columns, "matrix shape does not match")
            precondition(coefficients.count < 1 << 36, "too many rows for the Int64 sums")
        }
        guard columns > 0 else { return }
        var pairs: [Pair] = [], digits: [Lanes] = []
        var active: [(vector: Int, pairs: Range<Int>)] = []
        for (v, coefficients) in vectors.enumerated() {
            let prepared = PreparedCoefficients(coefficients, weights: W.self)
            if prepared.pairs.isEmpty {
                (outputs.baseAddress! + v * columns).update(repeating: .zero, count: columns)
            } else {
                active.append((v, pairs.count..<(pairs.count + prepared.pairs.count)))
                pairs += prepared.pairs
                digits += prepared.digits
            }
        }
        guard !active.isEmpty else { return }

        let groups = (columns + groupWidth - 1) / groupWidth
        // A group costs about (pairs + 1)·256 units of ~0.1 ns per vector (measured one-thread:
        // 1.6 µs per group at 64 pairs). Measured on two cores: the 128×1024 int8 fold (0.1 ms)
        // gains nothing reliable from a second thread (0.095–0.13 ms in two chunks), a Ligero
        // opening of 2^6 × 2^12 int8 weights with three vectors goes from 0.49 to 0.35 ms; so
        // chunks hold at least 2^20 units (~100 µs): the first runs inline, the second splits.
        let unitsPerGroup = active.reduce(0) { $0 + $1.pairs.count * 256 + 256 }
        let minimumGroups = max(1, (1 << 20) / unitsPerGroup)
        let m = matrix.baseAddress!, out = outputs.baseAddress!
        pairs.withUnsafeBufferPointer { pairBuffer in
            digits.withUnsafeBufferPointer { digitBuffer in
                parallelChunks(count: groups, minimumChunk: minimumGroups) { range in
                    for (v, slice) in active {
                        combineGroups(range, m, columns: columns,
                                      pairs: UnsafeBufferPointer(rebasing: pairBuffer[slice]),
                                      digits: UnsafeBufferPointer(rebasing: digitBuffer[(slice.lowerBound * 16)..<(slice.upperBound * 16)]),
                                      output: out + v * columns)
                    }
                }
            }
        }
    }

    /// The column groups `range` (16 columns each, the last one possibly partial).
    @inline(__always)
    static func combineGroups<W: RowCombinationWeight>(
        _ range: Range<Int>, _ matrix: UnsafePointer<W>, columns: Int,
        pairs: UnsafeBufferPointer<Pair>, digits: UnsafeBufferPointer<Lanes>, output: UnsafeMutablePointer<BN254Fr>
    ) {
        // weights[q·n + p]: columns 4q..4q+3 of the group, pair p of the current slab.
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 4 * slab) { weightBuffer in
            // sums[j·16 + k]: the Int64 sum a_k of column j of the group.
            withUnsafeTemporaryAllocation(of: Int64.self, capacity: groupWidth * 16) { sumBuffer in
                let weights = weightBuffer.baseAddress!, sums = sumBuffer.baseAddress!
                for group in range {
                    let column0 = group * groupWidth
                    let width = min(groupWidth, columns - column0)
                    sums.update(repeating: 0, count: groupWidth * 16)
                    var start = 0
                    while start < pairs.count {
                        let n = min(slab, pairs.count - start)
                        // Lay out the slab's weights, four columns per 16-byte vector.
                        for p in 0..<n {
                            let pair = pairs[start + p]
                            let a = W.load(matrix + pair.first * columns + column0, count: width)
                            let b = W.bytePlanes == 1 ? W.load(matrix + pair.second * columns + column0, count: width) : a
                            let v = W.pairLanes(a, b, part: pair.part)
                            weights[p] = v.0; weights[n + p] = v.1; weights[2 * n + p] = v.2; weights[3 * n + p] = v.3
                        }
                        let slabDigits = digits.baseAddress! + start * 16
                        for q in 0..<4 {
                            let w = weights + q * n
                            for half in 0..<2 {
                                var s0 = SIMD4<Int32>(), s1 = SIMD4<Int32>(), s2 = SIMD4<Int32>(), s3 = SIMD4<Int32>()
                                var s4 = SIMD4<Int32>(), s5 = SIMD4<Int32>(), s6 = SIMD4<Int32>(), s7 = SIMD4<Int32>()
                                for p in 0..<n {
                                    let x = w[p], dk = slabDigits + p * 16 + half * 8
                                    s0 &+= multiplyAdd(x, dk[0]); s1 &+= multiplyAdd(x, dk[1])
                                    s2 &+= multiplyAdd(x, dk[2]); s3 &+= multiplyAdd(x, dk[3])
                                    s4 &+= multiplyAdd(x, dk[4]); s5 &+= multiplyAdd(x, dk[5])
                                    s6 &+= multiplyAdd(x, dk[6]); s7 &+= multiplyAdd(x, dk[7])
                                }
                                for t in 0..<4 {
                                    let a = sums + (4 * q + t) * 16 + half * 8
                                    a[0] &+= Int64(s0[t]); a[1] &+= Int64(s1[t]); a[2] &+= Int64(s2[t]); a[3] &+= Int64(s3[t])
                                    a[4] &+= Int64(s4[t]); a[5] &+= Int64(s5[t]); a[6] &+= Int64(s6[t]); a[7] &+= Int64(s7[t])
                                }
                            }
                        }
                        start += n
                    }
                    for j in 0..<width { output[column0 + j] = BN254Fr.reduce(radix16Sums: sums + j * 16) }
                }
            }
        }
    }
}

/// A weight type the row-combination kernel reads directly: its bytes, as vectors of four
/// columns × two byte planes.
protocol RowCombinationWeight: FixedWidthInteger & SignedInteger & SIMDScalar & Codable {
    /// Bytes per weight: 1, 2 or 4.
    static var bytePlanes: Int { get }
}

extension RowCombinationWeight {
    /// Sixteen consecutive entries, zero-padded past `count`.
    @inline(__always)
    static func load(_ pointer: UnsafePointer<Self>, count: Int) -> SIMD16<Self> {
        if count == 16 { return UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Self>.self) }
        var v = SIMD16<Self>()
        for t in 0..<count { v[t] = pointer[t] }
        return v
    }

    /// The four `pmaddwd` operands of sixteen columns (columns 4q…4q+3 in element q), for the
    /// pair of virtual rows: int8, rows `a` and `b` (each byte sign-extended); int16 and int32,
    /// the byte planes `2·part` (zero-extended) and `2·part + 1` (zero-extended, or
    /// sign-extended when it is the top byte) of row `a`.
    @inline(__always)
    static func pairLanes(_ a: SIMD16<Self>, _ b: SIMD16<Self>, part: Int) -> (RowCombination.Lanes, RowCombination.Lanes, RowCombination.Lanes, RowCombination.Lanes) {
        typealias L = RowCombination.Lanes
        switch bytePlanes {
        case 1:
            let a16 = SIMD16<Int16>(truncatingIfNeeded: a), b16 = SIMD16<Int16>(truncatingIfNeeded: b)
            let (w0, w1) = RowCombination.interleave(a16.lowHalf, b16.lowHalf)
            let (w2, w3) = RowCombination.interleave(a16.highHalf, b16.highHalf)
            return (w0, w1, w2, w3)
        default:
            // Each column becomes one 32-bit lane (low byte plane in the low half, the other in
            // the high half), which read as 16-bit lanes is the interleaved pair.
            let x = SIMD16<Int32>(truncatingIfNeeded: a)
            let low: SIMD16<Int32>, high: SIMD16<Int32>
            if bytePlanes == 2 {
                low = x & 0xff; high = x &>> 8
            } else if part == 0 {
                low = x & 0xff; high = (x &>> 8) & 0xff
            } else {
                low = (x &>> 16) & 0xff; high = x &>> 24
            }
            let lanes = low | (high &<< 16)
            let v0 = SIMD4<Int32>(lanes[0], lanes[1], lanes[2], lanes[3])
            let v1 = SIMD4<Int32>(lanes[4], lanes[5], lanes[6], lanes[7])
            let v2 = SIMD4<Int32>(lanes[8], lanes[9], lanes[10], lanes[11])
            let v3 = SIMD4<Int32>(lanes[12], lanes[13], lanes[14], lanes[15])
            return (unsafeBitCast(v0, to: L.self), unsafeBitCast(v1, to: L.self),
                    unsafeBitCast(v2, to: L.self), unsafeBitCast(v3, to: L.self))
        }
    }
}

extension Int8: RowCombinationWeight { static var bytePlanes: Int { 1 } }
extension Int16: RowCombinationWeight { static var bytePlanes: Int { 2 } }
extension Int32: RowCombinationWeight { static var bytePlanes: Int { 4 } }

extension BN254Fr {
    /// The elements 2^8 and 2^64.
    static let twoTo8 = BN254Fr(UInt64(1) << 8)
    @usableFromInline static let twoTo64: BN254Fr = { let t = BN254Fr(UInt64(1) << 32); return t * t }()

    /// The Montgomery representative in signed radix-2^16 digits: `Σ_k d_k 2^(16k)` with
    /// `d_k ∈ [−2^15, 2^15)`. A digit at or above 2^15 becomes `d − 2^16` and carries one into the
    /// next; the top digit stays below 2^15 because the representative is below `p < 2^254`.
    @inline(__always)
    var signedDigits16: SIMD16<Int16> {
        var out = SIMD16<Int16>()
        var carry: Int32 = 0
        let limbs = SIMD4<UInt64>(l0, l1, l2, l3)
        for k in 0..<16 {
            var d = Int32(truncatingIfNeeded: (limbs[k >> 2] &>> UInt64(16 * (k & 3))) & 0xffff) &+ carry
            carry = d >= 1 << 15 ? 1 : 0
            d &-= carry &<< 16
            out[k] = Int16(truncatingIfNeeded: d)
        }
        return out
    }

    /// The element whose representative is `T·2^-64 mod p` for `T = Σ_k a_k 2^(16k)` (sixteen
    /// signed sums with `|a_k| < 2^63`): the digits are carried into 64-bit words, then
    /// reduced by ``reduceSignedTimesTwoToMinus64(_:_:_:_:_:)``.
    @inline(__always)
    static func reduce(radix16Sums a: UnsafePointer<Int64>) -> BN254Fr {
        // Each partial sum is below 2^63·(1 + 2^16 + 2^32 + 2^48) + carry < 2^112: Int128 holds it.
        var x = Int128(a[0]) &+ (Int128(a[1]) &<< 16) &+ (Int128(a[2]) &<< 32) &+ (Int128(a[3]) &<< 48)
        let t0 = UInt64(truncatingIfNeeded: x); x = x &>> 64
        x = x &+ Int128(a[4]) &+ (Int128(a[5]) &<< 16) &+ (Int128(a[6]) &<< 32) &+ (Int128(a[7]) &<< 48)
        let t1 = UInt64(truncatingIfNeeded: x); x = x &>> 64
        x = x &+ Int128(a[8]) &+ (Int128(a[9]) &<< 16) &+ (Int128(a[10]) &<< 32) &+ (Int128(a[11]) &<< 48)
        let t2 = UInt64(truncatingIfNeeded: x); x = x &>> 64
        x = x &+ Int128(a[12]) &+ (Int128(a[13]) &<< 16) &+ (Int128(a[14]) &<< 32) &+ (Int128(a[15]) &<< 48)
        let t3 = UInt64(truncatingIfNeeded: x); x = x &>> 64
        return reduceSignedTimesTwoToMinus64(t0, t1, t2, t3, Int64(truncatingIfNeeded: x))
    }

    /// One word of Montgomery reduction of a signed integer
    /// `T = t0 + t1·2^64 + t2·2^128 + t3·2^192 + t4·2^256` (`t0…t3` unsigned words, `t4` signed)
    /// with `|T| < 2^317`: the element whose representative is `T·2^-64 mod p`.
    ///
    /// `m = T·(−p⁻¹) mod 2^64` makes `T + m·p` divisible by 2^64, and `r = (T + m·p)/2^64` is
    /// congruent to `T·2^-64` with `T/2^64 ≤ r < T/2^64 + p`; as `|T/2^64| < 2^253 < p`,
    /// `r ∈ (−p, 2p)`, and adding `p` when `r` is negative, then subtracting it when `r ≥ p`,
    /// gives the canonical representative (both by masks: the sign is data-dependent).
    @inlinable @inline(__always)
    static func reduceSignedTimesTwoToMinus64(_ t0: UInt64, _ t1: UInt64, _ t2: UInt64, _ t3: UInt64, _ t4: Int64) -> BN254Fr {
        let m = t0 &* negativeInverse
        var (c, _) = mac(t0, m, p0, 0)
        var r0: UInt64, r1: UInt64, r2: UInt64
        (c, r0) = mac(t1, m, p1, c)
        (c, r1) = mac(t2, m, p2, c)
        (c, r2) = mac(t3, m, p3, c)
        // c < 2^62 + 2 and |t4| < 2^61: the top word of r, signed, cannot overflow.
        let r3 = t4 &+ Int64(bitPattern: c)
        let negative = UInt64(bitPattern: r3 &>> 63)   // all ones when r < 0
        let (u0, u1, u2, u3) = addingModulus(r0, r1, r2, UInt64(bitPattern: r3), mask: negative)
        return reduceOnce(u0, u1, u2, u3)
    }
}
