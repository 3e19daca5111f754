import ZKParallel
public import ZKField

/// Below this many pairs a sumcheck round runs on the calling thread.
@usableFromInline let sumcheckParallelThreshold = 1 << 12

/// The prover's arithmetic for the sumcheck of a product of two multilinear polynomials,
/// `Σ_{x ∈ {0,1}^n} f(x) · g(x) = claim` — the reusable kernel under the protocol module.
///
/// **The maths.** Round `k` (variables in ``DenseMultilinearExtension``'s order, lowest bit first)
/// sends the degree-2 polynomial `s(t) = Σ_i f_t[i] · g_t[i]`, where `f_t[i] = f[2i] + t·(f[2i+1] − f[2i])`
/// is the table with its first variable fixed to `t`; the verifier checks `s(0) + s(1) = claim`,
/// draws `r`, and the claim becomes `s(r)` on the tables folded at `r`. After `n` rounds the tables
/// hold single values `f̃(r_1..r_n)`, `g̃(r_1..r_n)`.
///
/// **Counting.** Per pair, `s(0) = Σ f0·g0` and the leading coefficient `s(∞) = Σ Δf·Δg`
/// (`Δf = f1 − f0`) take two multiplications; `s(1) = claim − s(0)` and
/// `s(2) = 2·s(1) − s(0) + 2·s(∞)` are free. Folding costs one multiplication per pair per table.
/// The fused step (fold with `r`, then accumulate the next round over the folded pairs in the same
/// pass) makes the whole `n`-round prover about `4 · 2^n` multiplications and one sweep per round.
public enum ProductSumcheckKernel {
    /// `(s(0), s(1), s(2))` of the round polynomial for tables `f`, `g` of equal even length,
    /// computed directly (three multiplications per pair; `s(0) + s(1) = Σ f·g`).
    @inlinable
    public static func roundEvaluations<F: FiniteField>(_ f: [F], _ g: [F]) -> (s0: F, s1: F, s2: F) {
        precondition(f.count == g.count && f.count >= 2 && f.count % 2 == 0, "tables must have equal even length")
        let parts = f.withUnsafeBufferPointer { fb in
            g.withUnsafeBufferPointer { gb in
                let fp = fb.baseAddress!, gp = gb.baseAddress!
                return parallelMapChunks(count: f.count / 2, minimumChunk: sumcheckParallelThreshold) { range in
                    var s0 = F.zero, s1 = F.zero, sInf = F.zero
                    for i in range {
                        let f0 = fp[2 * i], f1 = fp[2 * i + 1], g0 = gp[2 * i], g1 = gp[2 * i + 1]
                        s0 += f0 * g0
                        s1 += f1 * g1
                        sInf += (f1 - f0) * (g1 - g0)
                    }
                    return (s0, s1, sInf)
                }
            }
        }
        var s0 = F.zero, s1 = F.zero, sInf = F.zero
        for p in parts { s0 += p.0; s1 += p.1; sInf += p.2 }
        return (s0, s1, quadraticAtTwo(s0: s0, s1: s1, leading: sInf))
    }

    /// Folds both tables with `r` (fixing their first variable; each halves in length) and returns
    /// the next round's `(s(0), s(1), s(2))` on the folded tables, in one pass.
    /// - Precondition: equal lengths, a multiple of 4.
    @inlinable
    public static func foldAndEvaluate<F: FiniteField>(
        _ f: inout [F], _ g: inout [F], challenge r: F
    ) -> (s0: F, s1: F, s2: F) {
        precondition(f.count == g.count && f.count >= 4 && f.count % 4 == 0, "tables must have equal length, a multiple of 4")
        let count = f.count
        let (s0, s1, sInf) = f.withUnsafeMutableBufferPointer { fb in
            g.withUnsafeMutableBufferPointer { gb in
                fusedFoldRound(fb.baseAddress!, gb.baseAddress!, count: count, challenge: r, computeS1: true)
            }
        }
        f.removeLast(count / 2)
        g.removeLast(count / 2)
        return (s0, s1, quadraticAtTwo(s0: s0, s1: s1, leading: sInf))
    }

    /// Runs every round of the prover for `Σ_x f(x)·g(x)`.
    ///
    /// - Parameters:
    ///   - f, g: tables of equal power-of-two length `2^n`; used as scratch (folded in place). On
    ///     return each holds one element, `f̃(r)` resp. `g̃(r)`.
    ///   - claim: `Σ f·g` if the caller already knows it (saves one multiplication per pair in the
    ///     first round, as `s(1) = claim − s(0)`); computed when `nil`. A wrong claim gives wrong
    ///     round messages (which a verifier rejects), never a crash.
    ///   - challenge: called once per round with `(round, s(0), s(1), s(2))`; returns that round's
    ///     challenge `r_round` (the caller absorbs the message into its transcript and squeezes).
    /// - Returns: the round messages, the challenges `(r_1, …, r_n)` and the final values.
    @inlinable
    public static func prove<F: FiniteField>(
        f: inout [F], g: inout [F], claim: F? = nil,
        challenge: (_ round: Int, _ s0: F, _ s1: F, _ s2: F) throws -> F
    ) rethrows -> ProductSumcheckResult<F> {
        let count = f.count
        precondition(count == g.count && count > 0 && count & (count - 1) == 0, "tables must have equal power-of-two length")
        let rounds = count.trailingZeroBitCount
        var challenges = [F]()
        var messages = [UnivariateEvaluations<F>]()
        challenges.reserveCapacity(rounds)
        messages.reserveCapacity(rounds)
        guard rounds > 0 else {
            return ProductSumcheckResult(messages: [], challenges: [], finalF: f[0], finalG: g[0])
        }
        let (finalF, finalG): (F, F) = try f.withUnsafeMutableBufferPointer { fb in
            try g.withUnsafeMutableBufferPointer { gb in
                let fp = fb.baseAddress!, gp = gb.baseAddress!
                // Round 1 on the input tables.
                var s0: F, s1: F, sInf: F
                if let claim {
                    (s0, sInf) = firstRound(fp, gp, pairs: count / 2)
                    s1 = claim - s0
                } else {
                    (s0, s1, sInf) = firstRoundWithS1(fp, gp, pairs: count / 2)
                }
                var size = count
                for round in 0..<rounds {
                    let s2 = quadraticAtTwo(s0: s0, s1: s1, leading: sInf)
                    messages.append(UnivariateEvaluations([s0, s1, s2]))
                    let r = try challenge(round, s0, s1, s2)
                    challenges.append(r)
                    if size == 2 { break }
                    // The next claim s(r) = s0 + r·(s1 − s0 − s∞) + r²·s∞.
                    let nextClaim = s0 + r * ((s1 - s0 - sInf) + r * sInf)
                    (s0, _, sInf) = fusedFoldRound(fp, gp, count: size, challenge: r, computeS1: false)
                    s1 = nextClaim - s0
                    size /= 2
                }
                let r = challenges[rounds - 1]
                return (fp[0] + r * (fp[1] - fp[0]), gp[0] + r * (gp[1] - gp[0]))
            }
        }
        f.removeLast(count - 1)
        g.removeLast(count - 1)
        f[0] = finalF
        g[0] = finalG
        return ProductSumcheckResult(messages: messages, challenges: challenges, finalF: finalF, finalG: finalG)
    }

    // MARK: Kernels

    /// `s(2)` of the quadratic with `s(0) = s0`, `s(1) = s1` and leading coefficient `leading`:
    /// `s(t) = s0 + (s1 − s0 − c)·t + c·t²`, so `s(2) = 2·s1 − s0 + 2c`.
    @inlinable @inline(__always)
    internal static func quadraticAtTwo<F: FiniteField>(s0: F, s1: F, leading c: F) -> F {
        (s1 + c).doubled() - s0
    }

    /// `(Σ f0·g0, Σ Δf·Δg)` over the pairs of the input tables.
    @inlinable
    internal static func firstRound<F: FiniteField>(
        _ fp: UnsafeMutablePointer<F>, _ gp: UnsafeMutablePointer<F>, pairs: Int
    ) -> (F, F) {
        let parts = parallelMapChunks(count: pairs, minimumChunk: sumcheckParallelThreshold) { range in
            var s0 = F.zero, sInf = F.zero
            for i in range {
                let f0 = fp[2 * i], f1 = fp[2 * i + 1], g0 = gp[2 * i], g1 = gp[2 * i + 1]
                s0 += f0 * g0
                sInf += (f1 - f0) * (g1 - g0)
            }
            return (s0, sInf)
        }
        var s0 = F.zero, sInf = F.zero
        for p in parts { s0 += p.0; sInf += p.1 }
        return (s0, sInf)
    }

    /// `(Σ f0·g0, Σ f1·g1, Σ Δf·Δg)` over the pairs of the input tables.
    @inlinable
    internal static func firstRoundWithS1<F: FiniteField>(
        _ fp: UnsafeMutablePointer<F>, _ gp: UnsafeMutablePointer<F>, pairs: Int
    ) -> (F, F, F) {
        let parts = parallelMapChunks(count: pairs, minimumChunk: sumcheckParallelThreshold) { range in
            var s0 = F.zero, s1 = F.zero, sInf = F.zero
            for i in range {
                let f0 = fp[2 * i], f1 = fp[2 * i + 1], g0 = gp[2 * i], g1 = gp[2 * i + 1]
                s0 += f0 * g0
                s1 += f1 * g1
                sInf += (f1 - f0) * (g1 - g0)
            }
            return (s0, s1, sInf)
        }
        var s0 = F.zero, s1 = F.zero, sInf = F.zero
        for p in parts { s0 += p.0; s1 += p.1; sInf += p.2 }
        return (s0, s1, sInf)
    }

    /// In place on `f[0..<count]`, `g[0..<count]` (count a multiple of 4): folds with `r` into the
    /// first `count/2` entries and returns `(Σ f'0·g'0, Σ f'1·g'1 or 0, Σ Δf'·Δg')` over the folded
    /// pairs. Output pair `q` (entries `2q, 2q+1`) reads inputs `4q ..< 4q+4`: an in-place halving
    /// pass, scheduled by ``inPlaceHalvingMap(outputCount:minimumChunk:body:)``.
    @inlinable
    internal static func fusedFoldRound<F: FiniteField>(
        _ fp: UnsafeMutablePointer<F>, _ gp: UnsafeMutablePointer<F>, count: Int, challenge r: F, computeS1: Bool
    ) -> (F, F, F) {
        let quads = count / 4
        let parts = inPlaceHalvingMap(outputCount: quads, minimumChunk: sumcheckParallelThreshold / 2) { range in
            var s0 = F.zero, s1 = F.zero, sInf = F.zero
            for q in range {
                let a0 = fp[4 * q], a1 = fp[4 * q + 1], a2 = fp[4 * q + 2], a3 = fp[4 * q + 3]
                let b0 = gp[4 * q], b1 = gp[4 * q + 1], b2 = gp[4 * q + 2], b3 = gp[4 * q + 3]
                let f0 = a0 + r * (a1 - a0), f1 = a2 + r * (a3 - a2)
                let g0 = b0 + r * (b1 - b0), g1 = b2 + r * (b3 - b2)
                fp[2 * q] = f0; fp[2 * q + 1] = f1
                gp[2 * q] = g0; gp[2 * q + 1] = g1
                s0 += f0 * g0
                if computeS1 { s1 += f1 * g1 }
                sInf += (f1 - f0) * (g1 - g0)
            }
            return (s0, s1, sInf)
        }
        var s0 = F.zero, s1 = F.zero, sInf = F.zero
        for p in parts { s0 += p.0; s1 += p.1; sInf += p.2 }
        return (s0, s1, sInf)
    }
}

/// What ``ProductSumcheckKernel/prove(f:g:claim:challenge:)`` produced.
public struct ProductSumcheckResult<F: FiniteField>: Sendable {
    /// Round `k`'s polynomial as `[s(0), s(1), s(2)]`.
    public var messages: [UnivariateEvaluations<F>]
    /// `(r_1, …, r_n)`, the point at which the tables were finally evaluated.
    public var challenges: [F]
    /// `f̃(r_1, …, r_n)`.
    public var finalF: F
    /// `g̃(r_1, …, r_n)`.
    public var finalG: F

    @inlinable
    public init(messages: [UnivariateEvaluations<F>], challenges: [F], finalF: F, finalG: F) {
        self.messages = messages
        self.challenges = challenges
        self.finalF = finalF
        self.finalG = finalG
    }
}
