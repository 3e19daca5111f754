internal import CGMP

/// An arbitrary-precision signed integer, backed by GMP's `mpz_t`.
///
/// `BigInteger` is a value type with copy-on-write storage (after swift-crypto's
/// `ArbitraryPrecisionInteger`): copies share one `mpz_t` until one of them is mutated.
/// It is the project's slow-but-sure arithmetic: parameter derivation (Montgomery constants,
/// roots of unity), decimal/hex I/O, modular inverse and power, and the oracle that the
/// fixed-width field code is differentially tested against. It never appears in hot loops.
///
/// ```swift
/// let p = BigInteger("21888242871839275222246405745257275088548364400416034343698204186575808495617")!
/// let x = BigInteger(5).power(p - 2, modulo: p)        // 5⁻¹ mod p by Fermat
/// assert((x * 5) % p == 1)
/// ```
public struct BigInteger: @unchecked Sendable {
    // @unchecked Sendable: the storage is never mutated while shared (copy-on-write through
    // `isKnownUniquelyReferenced`), so two threads never see one `mpz_t` change under them.
    @usableFromInline internal var storage: Storage

    /// Owner of one initialised `mpz_t`, at a stable heap address, freed on deinit.
    @usableFromInline
    internal final class Storage {
        let pointer: UnsafeMutablePointer<__mpz_struct>

        init() {
            pointer = .allocate(capacity: 1)
            __gmpz_init(pointer)
        }

        init(copying other: Storage) {
            pointer = .allocate(capacity: 1)
            __gmpz_init_set(pointer, other.pointer)
        }

        deinit {
            __gmpz_clear(pointer)
            pointer.deallocate()
        }
    }

    private init(storage: Storage) { self.storage = storage }

    /// Runs `body` with the value's `mpz_t`, read-only.
    private func withMPZ<R>(_ body: (UnsafePointer<__mpz_struct>) throws -> R) rethrows -> R {
        try body(storage.pointer)
    }

    /// Runs `body` with a uniquely owned `mpz_t` that it may overwrite.
    private mutating func withMutableMPZ<R>(_ body: (UnsafeMutablePointer<__mpz_struct>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
        return try body(storage.pointer)
    }

    /// Builds a fresh value by letting `body` write into a new `mpz_t`.
    private static func make(_ body: (UnsafeMutablePointer<__mpz_struct>) throws -> Void) rethrows -> BigInteger {
        let s = Storage()
        try body(s.pointer)
        return BigInteger(storage: s)
    }

    // MARK: Construction

    /// Zero.
    public init() { storage = Storage() }

    /// The value of a machine integer.
    public init(_ value: Int) {
        storage = Storage()
        __gmpz_set_si(storage.pointer, value)
    }

    /// The value of an unsigned machine integer.
    public init(_ value: UInt64) {
        storage = Storage()
        __gmpz_set_ui(storage.pointer, UInt(value))
    }

    /// The non-negative integer `Σ limbs[i] · 2^(64·i)` (little-endian 64-bit limbs).
    public init(littleEndianLimbs limbs: some Collection<UInt64>) {
        storage = Storage()
        let words = limbs.map { UInt($0) }
        guard !words.isEmpty else { return }
        words.withUnsafeBufferPointer { buffer in
            // order -1: least significant word first; size 8 bytes; endian 0: native; nails 0.
            __gmpz_import(storage.pointer, buffer.count, -1, 8, 0, 0, buffer.baseAddress)
        }
    }

    /// The non-negative integer whose big-endian two's-complement-free magnitude is `bytes`.
    public init(bigEndianBytes bytes: some Collection<UInt8>) {
        storage = Storage()
        let array = Array(bytes)
        guard !array.isEmpty else { return }
        array.withUnsafeBufferPointer { buffer in
            __gmpz_import(storage.pointer, buffer.count, 1, 1, 1, 0, buffer.baseAddress)
        }
    }

    /// Parses an integer in the given radix (2…62). Accepts a leading `-`; for radix 16 also
    /// a `0x` prefix. Returns `nil` for an empty string or any invalid digit.
    public init?(_ text: String, radix: Int = 10) {
        guard (2...62).contains(radix) else { return nil }
        var body = Substring(text)
        var negative = false
        if body.first == "-" { negative = true; body = body.dropFirst() }
        if radix == 16, body.hasPrefix("0x") || body.hasPrefix("0X") { body = body.dropFirst(2) }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        let s = Storage()
        let status = String(body).withCString { __gmpz_set_str(s.pointer, $0, Int32(radix)) }
        guard status == 0 else { return nil }
        if negative { __gmpz_neg(s.pointer, s.pointer) }
        storage = s
    }

    // MARK: Inspection

    /// -1, 0 or 1.
    public var signum: Int { Int(withMPZ { cgmp_mpz_sgn($0) }) }

    /// Whether the value is zero.
    public var isZero: Bool { signum == 0 }

    /// Number of bits of `|self|` (0 for zero).
    public var bitWidth: Int { isZero ? 0 : withMPZ { Int(__gmpz_sizeinbase($0, 2)) } }

    /// Bit `index` of `|self|`.
    public func bit(_ index: Int) -> Bool { withMPZ { __gmpz_tstbit($0, UInt(index)) != 0 } }

    /// The little-endian 64-bit limbs of `|self|`, at least `minimumCount` of them (zero-extended).
    public func littleEndianLimbs(minimumCount: Int = 0) -> [UInt64] {
        withMPZ { z in
            let count = Int(cgmp_mpz_size(z))
            var limbs = [UInt64](repeating: 0, count: Swift.max(count, minimumCount))
            for i in 0..<count { limbs[i] = UInt64(__gmpz_getlimbn(z, i)) }
            return limbs
        }
    }

    /// The value as an `Int`, or `nil` when it does not fit.
    public var intValue: Int? {
        withMPZ { z in __gmpz_fits_slong_p(z) != 0 ? __gmpz_get_si(z) : nil }
    }

    /// The digits in `radix` (2…36), with a leading `-` for negatives.
    public func toString(radix: Int = 10) -> String {
        precondition((2...36).contains(radix), "radix must be 2...36")
        return withMPZ { z in
            let size = __gmpz_sizeinbase(z, Int32(radix)) + 2
            var buffer = [CChar](repeating: 0, count: size)
            __gmpz_get_str(&buffer, Int32(radix), z)
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    // MARK: Arithmetic

    public static func + (a: BigInteger, b: BigInteger) -> BigInteger {
        make { r in a.withMPZ { x in b.withMPZ { y in __gmpz_add(r, x, y) } } }
    }

    public static func - (a: BigInteger, b: BigInteger) -> BigInteger {
        make { r in a.withMPZ { x in b.withMPZ { y in __gmpz_sub(r, x, y) } } }
    }

    public static func * (a: BigInteger, b: BigInteger) -> BigInteger {
        make { r in a.withMPZ { x in b.withMPZ { y in __gmpz_mul(r, x, y) } } }
    }

    public static prefix func - (a: BigInteger) -> BigInteger {
        make { r in a.withMPZ { x in __gmpz_neg(r, x) } }
    }

    /// Floor division: the quotient rounded toward negative infinity.
    /// - Precondition: `b` is nonzero.
    public func floorDivided(by b: BigInteger) -> BigInteger {
        precondition(!b.isZero, "division by zero")
        return BigInteger.make { r in withMPZ { x in b.withMPZ { y in __gmpz_fdiv_q(r, x, y) } } }
    }

    /// The least non-negative residue of `self` modulo `|m|`.
    /// - Precondition: `m` is nonzero.
    public func modulo(_ m: BigInteger) -> BigInteger {
        precondition(!m.isZero, "modulus must be nonzero")
        return BigInteger.make { r in withMPZ { x in m.withMPZ { y in __gmpz_mod(r, x, y) } } }
    }

    /// `self % m` as the least non-negative residue (same as `modulo`).
    public static func % (a: BigInteger, m: BigInteger) -> BigInteger { a.modulo(m) }

    /// `self · 2^k`.
    public static func << (a: BigInteger, k: Int) -> BigInteger {
        make { r in a.withMPZ { x in __gmpz_mul_2exp(r, x, UInt(k)) } }
    }

    /// `floor(self / 2^k)` (an arithmetic shift: rounds toward negative infinity).
    public static func >> (a: BigInteger, k: Int) -> BigInteger {
        make { r in a.withMPZ { x in __gmpz_fdiv_q_2exp(r, x, UInt(k)) } }
    }

    /// `self^exponent mod m` for a non-negative exponent.
    /// - Precondition: `exponent ≥ 0` and `m` is nonzero.
    public func power(_ exponent: BigInteger, modulo m: BigInteger) -> BigInteger {
        precondition(exponent.signum >= 0 && !m.isZero, "power needs exponent ≥ 0 and a nonzero modulus")
        return BigInteger.make { r in
            withMPZ { x in exponent.withMPZ { e in m.withMPZ { y in __gmpz_powm(r, x, e, y) } } }
        }
    }

    /// `self^exponent` (no modulus).
    public func power(_ exponent: Int) -> BigInteger {
        precondition(exponent >= 0, "negative exponent")
        return BigInteger.make { r in withMPZ { x in __gmpz_pow_ui(r, x, UInt(exponent)) } }
    }

    /// The inverse of `self` modulo `m`, or `nil` when `gcd(self, m) ≠ 1`.
    public func inverse(modulo m: BigInteger) -> BigInteger? {
        var invertible: Int32 = 0
        let result = BigInteger.make { r in
            withMPZ { x in m.withMPZ { y in invertible = __gmpz_invert(r, x, y) } }
        }
        return invertible == 0 ? nil : result
    }

    /// Whether `self` is (probably) prime: GMP's Baillie–PSW test plus `reps` Miller–Rabin rounds.
    public func isProbablePrime(reps: Int = 30) -> Bool {
        withMPZ { __gmpz_probab_prime_p($0, Int32(reps)) != 0 }
    }

    // MARK: In-place helpers used by reference arithmetic

    /// `self = (self · other) mod m`, in place (one mpz_mul + one mpz_mod; the GMP baseline (a)).
    public mutating func formMultiplyModulo(_ other: BigInteger, _ m: BigInteger) {
        withMutableMPZ { r in
            other.withMPZ { y in __gmpz_mul(r, r, y) }
            m.withMPZ { y in __gmpz_mod(r, r, y) }
        }
    }
}

extension BigInteger: Equatable, Comparable, Hashable {
    public static func == (a: BigInteger, b: BigInteger) -> Bool {
        a.withMPZ { x in b.withMPZ { y in __gmpz_cmp(x, y) == 0 } }
    }

    public static func < (a: BigInteger, b: BigInteger) -> Bool {
        a.withMPZ { x in b.withMPZ { y in __gmpz_cmp(x, y) < 0 } }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(signum)
        hasher.combine(littleEndianLimbs())
    }
}

extension BigInteger: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

extension BigInteger: CustomStringConvertible {
    public var description: String { toString() }
}
