/// An unreduced accumulator for `Σ wᵢ · eᵢ` where the `wᵢ` are small signed integers (quantized
/// int8/int16 weights or activations) and the `eᵢ` are BN254 Fr elements: the dot product
/// ``BN254Fr/dot(_:_:)``. (Row combinations of whole matrices, the folds of the linear layers
/// and the openings of committed weights, use the 16-bit multiply-add kernel described at
/// ``RowCombination`` instead, which is several times faster again per weight.)
///
/// ## Why it is fast
/// A field multiplication costs ≈ 12 ns. Instead, each element's Montgomery representative
/// `ẽ = e·R mod p` is split into eight 32-bit pieces `ẽ = Σ_k ẽ_k · 2^(32k)`
/// (``BN254Fr/Limbs32``), and the accumulator keeps eight signed 64-bit sums
/// `a_k = Σ_i wᵢ · ẽ_{i,k}` without carries or reduction. A term adds at most
/// `|w| · 2^32` to a sum, so with `|w| ≤ 2^b` the sums stay below `2^63` for `2^(31−b)` terms;
/// ``add(_:times:)`` is therefore two multiply-adds per limb-pair and vectorises.
///
/// ## Why it is correct
/// Montgomery representatives are linear: `Σ wᵢ ẽᵢ ≡ (Σ wᵢ eᵢ)·R (mod p)`. So the integer
/// `T = Σ_k a_k 2^(32k)` is a (large, possibly negative) Montgomery representative of the result.
/// ``reduced()`` carries the eight sums into 64-bit words (`T = t_0 + t_1 2^64 + … + t_4 2^256`,
/// `t_4` signed; `|T| < 2^63 · 2^224 · (1 + 2^-32 + …) < 2^288`), reduces by one Montgomery word,
/// which yields the element with representative `T·2^-64`
/// (``BN254Fr/reduceSignedTimesTwoToMinus64(_:_:_:_:_:)``), and multiplies that by the element
/// `2^64`: one field multiplication per reduction instead of one per limb.
///
/// ## Budget
/// The caller respects the headroom: at most ``termBudget(weightBits:)`` terms whose weights
/// satisfy `|w| ≤ 2^weightBits` before ``reduced()`` (or ``flush()``). ``BN254Fr/dot(_:_:)`` does
/// this bookkeeping for whole vectors.
@frozen
public struct SmallIntegerAccumulator: Sendable {
    @usableFromInline var a0: Int64 = 0, a1: Int64 = 0, a2: Int64 = 0, a3: Int64 = 0
    @usableFromInline var a4: Int64 = 0, a5: Int64 = 0, a6: Int64 = 0, a7: Int64 = 0
    /// Already-reduced part (after a ``flush()``).
    @usableFromInline var carried: BN254Fr = .zero

    @inlinable public init() {}

    /// How many terms with `|w| ≤ 2^weightBits` fit before the limb sums could overflow `Int64`:
    /// each term adds less than `2^(weightBits + 32)` in magnitude, and sums must stay below `2^63`.
    @inlinable
    public static func termBudget(weightBits: Int) -> Int {
        precondition(weightBits >= 0 && weightBits <= 30, "weights must satisfy |w| ≤ 2^30")
        return 1 << (31 - weightBits)
    }

    /// `self += w · e` for a pre-split element.
    @inlinable @inline(__always)
    public mutating func add(_ e: BN254Fr.Limbs32, times w: Int64) {
        a0 &+= w &* e.k0; a1 &+= w &* e.k1; a2 &+= w &* e.k2; a3 &+= w &* e.k3
        a4 &+= w &* e.k4; a5 &+= w &* e.k5; a6 &+= w &* e.k6; a7 &+= w &* e.k7
    }

    /// `self += w · e`.
    @inlinable @inline(__always)
    public mutating func add(_ e: BN254Fr, times w: Int64) {
        add(BN254Fr.Limbs32(e), times: w)
    }

    /// `self += other` (limb-wise; the caller keeps the combined budget).
    @inlinable
    public mutating func add(_ other: SmallIntegerAccumulator) {
        a0 &+= other.a0; a1 &+= other.a1; a2 &+= other.a2; a3 &+= other.a3
        a4 &+= other.a4; a5 &+= other.a5; a6 &+= other.a6; a7 &+= other.a7
        carried += other.carried
    }

    /// Moves the unreduced sums into the reduced part, restoring the full term budget.
    @inlinable
    public mutating func flush() {
        carried = reduced()
        a0 = 0; a1 = 0; a2 = 0; a3 = 0; a4 = 0; a5 = 0; a6 = 0; a7 = 0
    }

    /// The accumulated field element `Σ wᵢ · eᵢ`.
    @inlinable
    public func reduced() -> BN254Fr {
        // Each partial sum stays below 2^63·(1 + 2^32) + carry < 2^96: Int128 holds it.
        var x = Int128(a0) &+ (Int128(a1) &<< 32)
        let t0 = UInt64(truncatingIfNeeded: x); x = x &>> 64
        x = x &+ Int128(a2) &+ (Int128(a3) &<< 32)
        let t1 = UInt64(truncatingIfNeeded: x); x = x &>> 64
        x = x &+ Int128(a4) &+ (Int128(a5) &<< 32)
        let t2 = UInt64(truncatingIfNeeded: x); x = x &>> 64
        x = x &+ Int128(a6) &+ (Int128(a7) &<< 32)
        let t3 = UInt64(truncatingIfNeeded: x); x = x &>> 64
        let scaledDown = BN254Fr.reduceSignedTimesTwoToMinus64(t0, t1, t2, t3, Int64(truncatingIfNeeded: x))
        return carried + scaledDown * BN254Fr.twoTo64
    }
}

extension BN254Fr {
    /// An element's Montgomery representative split into eight 32-bit pieces (held in `Int64`s
    /// so that products with small weights are plain 64-bit multiplies), least significant first.
    @frozen
    public struct Limbs32: Sendable {
        @usableFromInline var k0, k1, k2, k3, k4, k5, k6, k7: Int64

        @inlinable @inline(__always)
        public init(_ e: BN254Fr) {
            let mask: UInt64 = 0xffff_ffff
            k0 = Int64(e.l0 & mask); k1 = Int64(e.l0 >> 32)
            k2 = Int64(e.l1 & mask); k3 = Int64(e.l1 >> 32)
            k4 = Int64(e.l2 & mask); k5 = Int64(e.l2 >> 32)
            k6 = Int64(e.l3 & mask); k7 = Int64(e.l3 >> 32)
        }
    }
}
