/// A finite field: a finite set with `+`, `−`, `·` and division by every nonzero element.
///
/// The proof system is generic over two fields: a *base field* holding committed data
/// (weights, activations, remainders) and a *challenge field* from which the verifier's random
/// challenges are drawn (see ``ExtensionField``). Both are `FiniteField`s. Elements are values:
/// arithmetic never allocates, and hot loops specialise on the concrete type through
/// `@inlinable` generic code.
///
/// Every field has a canonical byte encoding of fixed length ``encodedByteCount``; decoding
/// rejects every byte string that is not the encoding of some element, so one element has exactly
/// one encoding (proofs and transcripts depend on it).
///
/// ```swift
/// let a = Fr(3), b = Fr(5)
/// assert(a * b == Fr(15))
/// assert(a * a.inverse()! == .one)
/// ```
public protocol FiniteField: Hashable, Sendable, CustomStringConvertible {
    /// The additive identity.
    static var zero: Self { get }
    /// The multiplicative identity.
    static var one: Self { get }

    /// A short, stable identifier written into proofs and transcripts (e.g. `"bn254-fr"`).
    static var fieldID: String { get }
    /// Length of the canonical encoding in bytes.
    static var encodedByteCount: Int { get }

    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static prefix func - (value: Self) -> Self
    static func += (lhs: inout Self, rhs: Self)
    static func -= (lhs: inout Self, rhs: Self)
    static func *= (lhs: inout Self, rhs: Self)

    /// `self · self`.
    func squared() -> Self
    /// `self + self`.
    func doubled() -> Self
    /// The multiplicative inverse, or `nil` for zero.
    func inverse() -> Self?
    /// Whether this is the additive identity.
    var isZero: Bool { get }

    /// Appends the canonical encoding (``encodedByteCount`` bytes) to `bytes`.
    func encode(into bytes: inout [UInt8])
    /// Decodes a canonical encoding; throws for a wrong length or a non-canonical value.
    init(canonicalBytes bytes: some Collection<UInt8>) throws(FieldDecodingError)
    /// Maps a uniformly random byte string to an element such that, over a uniform input of
    /// ``sampleByteCount`` bytes, the output is uniform or within statistical distance 2^-128 of
    /// uniform. Used by the transcript to derive challenges.
    init(uniformBytes bytes: some Collection<UInt8>)
    /// The number of uniform bytes ``init(uniformBytes:)`` expects.
    static var sampleByteCount: Int { get }
}

/// Why a byte string is not the canonical encoding of a field element.
public enum FieldDecodingError: Error, Equatable, Sendable {
    /// The input had `got` bytes; the encoding has exactly `expected`.
    case wrongLength(expected: Int, got: Int)
    /// The bytes encode an integer that is not less than the modulus.
    case notCanonical
}

extension FiniteField {
    /// The canonical encoding as a fresh array.
    @inlinable
    public var canonicalBytes: [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.encodedByteCount)
        encode(into: &bytes)
        return bytes
    }

    /// `self^exponent` by square-and-multiply (left to right), for a machine-word exponent.
    @inlinable
    public func power(_ exponent: UInt64) -> Self {
        var result = Self.one
        var bit = 63 - exponent.leadingZeroBitCount
        while bit >= 0 {
            result = result.squared()
            if (exponent >> UInt64(bit)) & 1 == 1 { result *= self }
            bit -= 1
        }
        return result
    }

    /// Replaces every element of `values` by its inverse (zeros stay zero), with one inversion and
    /// three multiplications per element (Montgomery's trick): with prefix products
    /// `P_i = v_0 ⋯ v_i`, one inversion gives `P_{n-1}⁻¹`, and walking back
    /// `v_i⁻¹ = P_{i-1} · P_i⁻¹`, `P_{i-1}⁻¹ = v_i · P_i⁻¹`.
    @inlinable
    public static func batchInvert(_ values: inout [Self]) {
        let n = values.count
        guard n > 0 else { return }
        var prefix = [Self](repeating: .zero, count: n)
        values.withUnsafeMutableBufferPointer { v in
            prefix.withUnsafeMutableBufferPointer { prefix in
                var running = Self.one
                for i in 0..<n {
                    prefix[i] = running
                    if !v[i].isZero { running *= v[i] }
                }
                // `running` is the product of all nonzero values, hence nonzero.
                var inverseRunning = running.inverse()!
                var i = n - 1
                while i >= 0 {
                    let x = v[i]
                    if !x.isZero {
                        v[i] = prefix[i] * inverseRunning
                        inverseRunning *= x
                    }
                    i -= 1
                }
            }
        }
    }

    /// The sum of `values`.
    @inlinable
    public static func sum(_ values: some Sequence<Self>) -> Self {
        values.reduce(into: Self.zero) { $0 += $1 }
    }
}
