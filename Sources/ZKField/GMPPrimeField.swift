public import ZKBigInt

/// The parameters of a prime field 𝔽_p for any odd prime `p`, derived once with GMP.
///
/// From the modulus and a multiplicative generator `g` it derives the two-adic decomposition
/// `p − 1 = 2^s · t` (t odd) and the primitive `2^s`-th root of unity `g^t`.
public struct PrimeFieldParameters: Sendable {
    public let modulus: BigInteger
    public let fieldID: String
    public let generator: BigInteger
    public let twoAdicity: Int
    public let twoAdicRootOfUnity: BigInteger
    /// Bytes in the canonical encoding: `⌈bits(p) / 8⌉`.
    public let encodedByteCount: Int

    /// - Precondition: `modulus` is an odd (probable) prime and `generator` generates 𝔽_p^×
    ///   (the latter is the caller's responsibility; it is checked only as far as
    ///   `g^((p−1)/2) = −1`, i.e. that `g` is a quadratic non-residue).
    public init(modulus: BigInteger, generator: BigInteger, fieldID: String) {
        precondition(modulus > 2 && modulus.bit(0) && modulus.isProbablePrime(), "modulus must be an odd prime")
        self.modulus = modulus
        self.fieldID = fieldID
        self.generator = generator
        let pMinusOne = modulus - 1
        var s = 0
        while !pMinusOne.bit(s) { s += 1 }
        precondition(
            generator.power(pMinusOne >> 1, modulo: modulus) == pMinusOne,
            "the generator must be a quadratic non-residue")
        twoAdicity = s
        twoAdicRootOfUnity = generator.power(pMinusOne >> s, modulo: modulus)
        encodedByteCount = (modulus.bitWidth + 7) / 8
    }
}

/// Names a prime modulus at the type level, so that elements of different fields are
/// different types (mixing them fails to compile).
///
/// ```swift
/// enum F17: PrimeModulus {
///     static let parameters = PrimeFieldParameters(modulus: 17, generator: 3, fieldID: "f17")
/// }
/// typealias E = GMPPrimeField<F17>
/// assert(E(3) * E(6) == E(1))          // 18 ≡ 1 (mod 17)
/// ```
public protocol PrimeModulus: Sendable {
    static var parameters: PrimeFieldParameters { get }
}

/// A prime field of any odd modulus, each element a GMP integer in `[0, p)`.
///
/// Slow (a heap object per element, ≈ 90 ns per multiplication) but simple and obviously
/// correct: it is the general-purpose field for parameter work and the reference that the
/// fixed-width Montgomery fields are differentially tested against.
public struct GMPPrimeField<Modulus: PrimeModulus>: Sendable {
    /// The canonical representative, `0 ≤ value < p`.
    public let value: BigInteger

    @usableFromInline
    init(reduced value: BigInteger) { self.value = value }

    @usableFromInline
    static var p: BigInteger { Modulus.parameters.modulus }
}

extension GMPPrimeField: PrimeField {
    public static var zero: Self { Self(reduced: BigInteger(0)) }
    public static var one: Self { Self(reduced: BigInteger(1)) }
    public static var fieldID: String { Modulus.parameters.fieldID }
    public static var encodedByteCount: Int { Modulus.parameters.encodedByteCount }
    /// 16 bytes beyond the modulus width: statistical distance below 2^-128 from uniform.
    public static var sampleByteCount: Int { encodedByteCount + 16 }
    public static var modulus: BigInteger { p }
    public static var twoAdicity: Int { Modulus.parameters.twoAdicity }
    public static var twoAdicRootOfUnity: Self { Self(reduced: Modulus.parameters.twoAdicRootOfUnity) }
    public static var multiplicativeGenerator: Self { Self(Modulus.parameters.generator) }

    public init(_ value: UInt64) { self.init(reduced: BigInteger(value).modulo(Self.p)) }
    public init(_ value: Int64) { self.init(reduced: BigInteger(Int(value)).modulo(Self.p)) }
    public init(_ value: BigInteger) { self.init(reduced: value.modulo(Self.p)) }
    public var bigIntegerValue: BigInteger { value }

    public static func + (a: Self, b: Self) -> Self {
        let s = a.value + b.value
        return Self(reduced: s >= p ? s - p : s)
    }
    public static func - (a: Self, b: Self) -> Self {
        let d = a.value - b.value
        return Self(reduced: d.signum < 0 ? d + p : d)
    }
    public static func * (a: Self, b: Self) -> Self { Self(reduced: (a.value * b.value).modulo(p)) }
    public static prefix func - (a: Self) -> Self { a.isZero ? a : Self(reduced: p - a.value) }
    public static func += (a: inout Self, b: Self) { a = a + b }
    public static func -= (a: inout Self, b: Self) { a = a - b }
    public static func *= (a: inout Self, b: Self) { a = a * b }
    public func squared() -> Self { self * self }
    public func doubled() -> Self { self + self }
    public var isZero: Bool { value.isZero }
    public func inverse() -> Self? { value.inverse(modulo: Self.p).map { Self(reduced: $0) } }

    /// Little-endian canonical integer, ``encodedByteCount`` bytes.
    public func encode(into bytes: inout [UInt8]) {
        let limbs = value.littleEndianLimbs(minimumCount: (Self.encodedByteCount + 7) / 8)
        for i in 0..<Self.encodedByteCount { bytes.append(UInt8(truncatingIfNeeded: limbs[i / 8] >> UInt64(8 * (i % 8)))) }
    }

    public init(canonicalBytes bytes: some Collection<UInt8>) throws(FieldDecodingError) {
        guard bytes.count == Self.encodedByteCount else {
            throw .wrongLength(expected: Self.encodedByteCount, got: bytes.count)
        }
        let v = BigInteger(bigEndianBytes: bytes.reversed())
        guard v < Self.p else { throw .notCanonical }
        self.init(reduced: v)
    }

    public init(uniformBytes bytes: some Collection<UInt8>) {
        self.init(BigInteger(bigEndianBytes: bytes.reversed()))
    }
}

extension GMPPrimeField: ExtensionField {
    public typealias BaseField = Self
    public static var extensionDegree: Int { 1 }
    public init(base: Self) { self = base }
}

extension GMPPrimeField: CustomStringConvertible {
    public var description: String { value.description }
}

/// The BN254 scalar field's modulus, for the GMP reference field.
public enum BN254FrModulus: PrimeModulus {
    public static let parameters = PrimeFieldParameters(
        modulus: BN254Fr.modulus, generator: 5, fieldID: "bn254-fr-gmp")
}

/// BN254 Fr computed with GMP: the differential-testing oracle for ``BN254Fr``.
public typealias BN254FrReference = GMPPrimeField<BN254FrModulus>
