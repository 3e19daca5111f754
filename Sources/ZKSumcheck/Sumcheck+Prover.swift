public import ZKField
public import ZKParallel
public import ZKPoly
public import ZKTranscript

/// The sumcheck prover for a ``SumOfProducts`` of multilinear tables.
///
/// Each round costs, per pair of table entries `(f[2i], f[2i+1])`, the evaluations of every table
/// at `t = 0, 2, …, d` (one addition each: `f_t = f_{t−1} + (f[2i+1] − f[2i])`) and the products
/// of every term at those `d` points; then every table is folded with the round's challenge,
/// `f'[i] = f[2i] + r·(f[2i+1] − f[2i])` (one multiplication per pair). Rounds run in parallel over
/// chunks of pairs, each chunk summing into its own accumulators, combined in chunk order.
public enum SumcheckProver {
    /// Proves `Σ_x g(x) = claimedSum` for `g` = `polynomial` over `tables` (each of length `2^n`).
    ///
    /// Transcript: absorbs `claimedSum` (label `sumcheck.claim`), then per round the message
    /// (`sumcheck.round`) before drawing the challenge (`sumcheck.challenge`); the verifier mirrors
    /// this exactly.
    ///
    /// - Returns: the proof, the random point `(r_1, …, r_n)`, and every table's evaluation there.
    /// - Precondition: all tables have the same power-of-two length; `claimedSum` is the true sum.
    @inlinable
    public static func prove<E: FiniteField>(
        claimedSum: E, tables: [[E]], polynomial: SumOfProducts<E>, transcript: inout Transcript
    ) -> (proof: SumcheckProof<E>, point: [E], tableEvaluations: [E]) {
        precondition(!tables.isEmpty && tables.count >= polynomial.tableCount, "a table for every factor")
        let size = tables[0].count
        precondition(size > 0 && size & (size - 1) == 0, "tables must have a power-of-two length")
        precondition(tables.allSatisfy { $0.count == size }, "tables must have equal lengths")
        let variableCount = size.trailingZeroBitCount
        let degree = polynomial.degree

        transcript.absorb(label: "sumcheck.claim", element: claimedSum)
        var current = tables
        var liveCount = size
        var messages: [[E]] = []
        var point: [E] = []
        messages.reserveCapacity(variableCount)
        for _ in 0..<variableCount {
            let message = roundMessage(tables: current, count: liveCount, polynomial: polynomial, degree: degree)
            transcript.absorb(label: "sumcheck.round", elements: message)
            let r: E = transcript.challenge(label: "sumcheck.challenge")
            point.append(r)
            messages.append(message)
            for j in current.indices { foldFirstVariable(&current[j], count: liveCount, challenge: r) }
            liveCount /= 2
        }
        return (SumcheckProof(roundMessages: messages), point, current.map { $0[0] })
    }

    /// The round message `[s(0), s(2), …, s(d)]` for the current tables.
    @inlinable
    static func roundMessage<E: FiniteField>(tables: [[E]], count: Int, polynomial: SumOfProducts<E>, degree: Int) -> [E] {
        let half = count / 2
        let tableCount = tables.count
        let partials = parallelMapChunks(count: half, minimumChunk: 1 << 10) { range -> [E] in
            var sums = [E](repeating: .zero, count: degree + 1)
            // values[j * (degree + 1) + t] = f_j at (t, pair i)
            var values = [E](repeating: .zero, count: tableCount * (degree + 1))
            for i in range {
                for j in 0..<tableCount {
                    let low = tables[j][2 * i], high = tables[j][2 * i + 1]
                    let difference = high - low
                    let base = j * (degree + 1)
                    values[base] = low
                    if degree >= 1 { values[base + 1] = high }
                    var t = 2
                    while t <= degree {
                        values[base + t] = values[base + t - 1] + difference
                        t += 1
                    }
                }
                for term in polynomial.terms {
                    var t = 0
                    while t <= degree {
                        if t != 1 {
                            var product = term.coefficient
                            for j in term.factors { product *= values[j * (degree + 1) + t] }
                            sums[t] += product
                        }
                        t += 1
                    }
                }
            }
            return sums
        }
        var total = [E](repeating: .zero, count: degree + 1)
        for partial in partials { for t in 0...degree { total[t] += partial[t] } }
        total.remove(at: 1)
        return total
    }
}
