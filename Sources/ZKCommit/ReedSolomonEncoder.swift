public import ZKField
public import ZKPoly
import ZKParallel

/// The systematic Reed–Solomon encoder of a Ligero commitment: a message of `k = 2^b` field
/// elements becomes a codeword of `n = 2^L · k` elements (rate `ρ = k/n = 2^−L`).
///
/// **The code.** Let `H = ⟨ω⟩` be the subgroup of order `k` and `ω_n` a primitive `n`-th root of
/// unity with `ω_n^(2^L) = ω`. The evaluation set is the subgroup `D = ⟨ω_n⟩` of order `n`,
/// split into the `2^L` cosets `s_c · H` with shifts `s_c = ω_n^c` (`c = 0 ..< 2^L`; `s_0 = 1`).
/// The message `m ∈ 𝔽^k` is read as the values on `H` of the unique polynomial `p_m` of degree
/// `< k`; its codeword is `p_m` on `D`, laid out coset by coset:
///
///     Enc(m)[c·k + i] = p_m(s_c · ω^i) = p_m(ω_n^(c + 2^L·i)),     c < 2^L, i < k.
///
/// The code `RS[D, k] = { (p(x))_{x ∈ D} : deg p < k }` is the same set as with the "message =
/// coefficients" encoding; only the (linear, bijective) message map differs. It is *systematic*:
/// the first `k` symbols (coset `c = 0`) are the message itself, so a Ligero prover never has to
/// store the message matrix next to its encoding, and a verifier reads those symbols for free.
/// Minimum distance `n − k + 1` (relative distance `> 1 − ρ`).
///
/// **The computation** (no zero-padded length-`n` transform; encoding the `2^L` cosets of size
/// `k` separately saves about a sixth of the butterflies): one forward NTT of the message gives
/// `A = NTT(m)`, and the coefficients of `p_m` are `a_j = k⁻¹ · A[−j mod k]`; each coset `c ≥ 1`
/// is then the NTT of `a_j · s_c^j`, with the factors `k⁻¹ · s_c^j` precomputed (one
/// multiplication per symbol). Total `2^L` NTTs of size `k` and `(2^L − 1)·k` multiplications.
/// Encoding is `𝔽`-linear: `Enc(Σ γ_r m_r) = Σ γ_r Enc(m_r)`, which the Ligero checks rely on.
public struct ReedSolomonEncoder<F: PrimeField>: Sendable {
    /// `b`: the message has `2^b` symbols.
    public let logMessageLength: Int
    /// `L`: the codeword is `2^L` times longer than the message (rate `2^−L`).
    public let logInverseRate: Int
    /// `k = 2^b`.
    public let messageLength: Int
    /// `n = 2^(b+L)`.
    public let codewordLength: Int
    /// The NTT domain `H` of size `k`.
    public let domain: EvaluationDomain<F>
    /// `scale[(c − 1)·k + j] = k⁻¹ · s_c^j` for cosets `c = 1 ..< 2^L`.
    @usableFromInline let scale: [F]

    /// An encoder for messages of `2^logMessageLength` symbols and rate `2^−logInverseRate`.
    /// - Precondition: `logInverseRate ≥ 1` and `logMessageLength + logInverseRate ≤ F.twoAdicity`.
    public init(logMessageLength: Int, logInverseRate: Int) {
        precondition(logMessageLength >= 0 && logInverseRate >= 1, "invalid Reed–Solomon shape")
        precondition(logMessageLength + logInverseRate <= F.twoAdicity, "no evaluation domain of that size in \(F.fieldID)")
        self.logMessageLength = logMessageLength
        self.logInverseRate = logInverseRate
        let k = 1 << logMessageLength
        self.messageLength = k
        self.codewordLength = k << logInverseRate
        self.domain = EvaluationDomain<F>(logSize: logMessageLength)
        let omegaN = F.rootOfUnity(logSize: logMessageLength + logInverseRate)
        let kInverse = F(UInt64(k)).inverse()!
        let cosets = 1 << logInverseRate
        var table = [F](repeating: .zero, count: (cosets - 1) * k)
        table.withUnsafeMutableBufferPointer { buffer in
            let t = buffer.baseAddress!
            parallelChunks(count: cosets - 1, minimumChunk: max(1, (1 << 14) / k)) { range in
                for c in range {
                    let shift = omegaN.power(UInt64(c + 1))
                    var x = kInverse
                    let row = t + c * k
                    for j in 0..<k {
                        row[j] = x
                        x *= shift
                    }
                }
            }
        }
        self.scale = table
    }

    /// The evaluation point of codeword position `q`: `ω_n^(c + 2^L·i)` for `q = c·k + i`.
    public func point(at q: Int) -> F {
        precondition(q >= 0 && q < codewordLength, "codeword position out of range")
        let c = q >> logMessageLength, i = q & (messageLength - 1)
        let omegaN = F.rootOfUnity(logSize: logMessageLength + logInverseRate)
        return omegaN.power(UInt64(c + (i << logInverseRate)))
    }

    /// Encodes the `k` symbols at `codeword[0 ..< k]` in place into `codeword[0 ..< n]`.
    ///
    /// The NTTs run with whatever parallelism the caller's context allows (callers encoding many
    /// rows at once pin each worker to one thread).
    @inlinable
    public func encodeInPlace(_ codeword: UnsafeMutablePointer<F>) {
        let k = messageLength
        let cosets = 1 << logInverseRate
        // Coset 1 holds A = NTT(m) first.
        let first = codeword + k
        first.update(from: codeword, count: k)
        domain.forwardNTT(UnsafeMutableBufferPointer(start: first, count: k))
        scale.withUnsafeBufferPointer { table in
            let s = table.baseAddress!
            // Cosets c ≥ 2 read A[−j] from coset 1, which is rewritten last.
            for c in 2..<max(2, cosets) {
                let slot = codeword + c * k
                let factors = s + (c - 1) * k
                slot[0] = first[0] * factors[0]
                var j = 1
                while j < k {
                    slot[j] = first[k - j] * factors[j]
                    j &+= 1
                }
                domain.forwardNTT(UnsafeMutableBufferPointer(start: slot, count: k))
            }
            // Coset 1 in place: slot[j] = A[−j]·factor[j], by pairs (j, k − j).
            first[0] *= s[0]
            if k >= 2 {
                first[k / 2] *= s[k / 2]
                var j = 1
                while j < k / 2 {
                    let x = first[j], y = first[k - j]
                    first[j] = y * s[j]
                    first[k - j] = x * s[k - j]
                    j &+= 1
                }
            }
            domain.forwardNTT(UnsafeMutableBufferPointer(start: first, count: k))
        }
    }

    /// The codeword of `message` (`k` symbols).
    @inlinable
    public func encode(_ message: [F]) -> [F] {
        precondition(message.count == messageLength, "message has \(message.count) symbols, expected \(messageLength)")
        return [F](unsafeUninitializedCapacity: codewordLength) { buffer, initialized in
            let out = buffer.baseAddress!
            out.initialize(repeating: .zero, count: codewordLength)
            message.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: messageLength) }
            encodeInPlace(out)
            initialized = codewordLength
        }
    }

    /// Fills and encodes `rows` codewords stored `stride` elements apart: `fill(r, row)` must
    /// initialise all `n` elements at `matrix + r·stride`, the message in the first `k`; the row
    /// is then encoded in place. Runs in parallel over rows when there are at least as many rows
    /// as threads (each worker then runs its NTTs on one thread), otherwise row by row with
    /// parallel NTTs.
    @inlinable
    public func encodeRows(
        _ matrix: UnsafeMutablePointer<F>, rows: Int, stride: Int, fill: (Int, UnsafeMutablePointer<F>) -> Void
    ) {
        precondition(stride >= codewordLength)
        let threads = Parallelism.threadCount
        if rows >= threads && threads > 1 {
            parallelChunks(count: rows, minimumChunk: 1) { range in
                Parallelism.$threadLimit.withValue(1) {
                    for r in range {
                        fill(r, matrix + r * stride)
                        encodeInPlace(matrix + r * stride)
                    }
                }
            }
        } else {
            for r in 0..<rows {
                fill(r, matrix + r * stride)
                encodeInPlace(matrix + r * stride)
            }
        }
    }
}
