public import ZKBigInt

/// A prime field 𝔽_p: the integers modulo a prime `p`.
///
/// Beyond ``FiniteField`` a prime field knows its modulus, embeds machine integers (negative
/// integers as `p − |x|`, which is how quantized activations enter a proof), and exposes its
/// two-adic structure: `p − 1 = 2^s · t` with `t` odd, and a primitive `2^s`-th root of unity,
/// which radix-2 NTTs need.
///
/// ```swift
/// let minusOne = Fr(-1)               // p − 1
/// assert(minusOne + .one == .zero)
/// assert(minusOne.signedValue == -1)
/// ```
public protocol PrimeField: FiniteField, SmallIntegerKernels, BulkStorableField, ExpressibleByIntegerLiteral where IntegerLiteralType == Int64 {
    /// The prime modulus `p`.
    static var modulus: BigInteger { get }
    /// `s` such that `2^s` divides `p − 1` and `2^(s+1)` does not.
    static var twoAdicity: Int { get }
    /// A primitive `2^twoAdicity`-th root of unity.
    static var twoAdicRootOfUnity: Self { get }
    /// A generator of the multiplicative group 𝔽_p^×.
    static var multiplicativeGenerator: Self { get }

    /// The residue of `value` modulo `p`.
    init(_ value: UInt64)
    /// The residue of `value` modulo `p`; a negative `value` maps to `p − |value|`.
    init(_ value: Int64)
    /// The residue of `value` modulo `p` (any sign, any size).
    init(_ value: BigInteger)
    /// The canonical representative in `[0, p)`.
    var bigIntegerValue: BigInteger { get }
}

extension PrimeField {
    @inlinable
    public init(integerLiteral value: Int64) { self.init(value) }

    /// The element as a signed machine integer, reading representatives above `(p − 1)/2` as
    /// negative (`p − x ↦ −x`); `nil` when that integer does not fit in `Int64`.
    public var signedValue: Int64? {
        let v = bigIntegerValue
        let half = Self.modulus >> 1
        let signed = v > half ? v - Self.modulus : v
        guard let i = signed.intValue else { return nil }
        return Int64(i)
    }

    /// A primitive `2^logSize`-th root of unity: `ω_s^(2^(s − logSize))`.
    /// - Precondition: `0 ≤ logSize ≤ twoAdicity`.
    @inlinable
    public static func rootOfUnity(logSize: Int) -> Self {
        precondition(logSize >= 0 && logSize <= twoAdicity, "no root of unity of order 2^\(logSize)")
        var root = twoAdicRootOfUnity
        for _ in logSize..<twoAdicity { root = root.squared() }
        return root
    }
}

/// A field `E` that contains the base field `B`: the challenge field of a proof over `B`.
///
/// Sumcheck and lookup verifiers draw challenges from `E` and evaluate base-field polynomials at
/// points of `E^n`; a 64-bit base field (Goldilocks) would use a degree-2 or 3 extension here for
/// soundness. For a field as large as BN254's Fr the challenge field is the base field itself
/// (degree 1), which every ``PrimeField`` conforms to for free by declaring `BaseField == Self`.
public protocol ExtensionField<BaseField>: FiniteField {
    associatedtype BaseField: PrimeField
    /// `[E : B]`.
    static var extensionDegree: Int { get }
    /// The embedding `B → E`.
    init(base: BaseField)
    /// `self · b` for `b` in the base field (cheaper than a full `E` multiplication when `[E:B] > 1`).
    static func * (lhs: Self, rhs: BaseField) -> Self
}

/// A prime field large enough to be its own challenge field (|F| ≈ 2^254 for BN254's Fr): the
/// proof protocol draws its challenges from the base field itself, so sumcheck and lookup errors
/// of order `degree · variables / |F|` stay far below 2^-100 without an extension.
///
/// A small field (Goldilocks) would instead pair a base field with an ``ExtensionField`` of it;
/// the lower layers (sumcheck, Ligero, logUp) are already generic over that pair.
public protocol LargePrimeField: PrimeField, ExtensionField where BaseField == Self {}

extension BN254Fr: LargePrimeField {}
extension GMPPrimeField: LargePrimeField {}
