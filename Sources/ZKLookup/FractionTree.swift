import ZKField
import ZKParallel

/// Below this many quads (4 entries) a layer-sumcheck pass runs on the calling thread: 2^12 entries.
let layerParallelQuads = 1 << 10
/// Below this many nodes a tree layer or a leaf pass runs on the calling thread.
let nodeParallelThreshold = 1 << 12

/// A binary tree of fractions `p/q` in heap layout: node `v` has children `2v` and `2v + 1`, the
/// root is node 1, and layer `j` (the `2^j` nodes at depth `j`) occupies indices `[2^j, 2^(j+1))`.
/// So layer `j`'s entry `x` has children entries `2x` and `2x + 1` of layer `j + 1`: **adjacent
/// entries are paired**, and the pairing variable of layer `j + 1` is its lowest-bit variable `x_1`.
///
/// Each parent is the sum of its children as fractions:
///
///     p = p_0·q_1 + p_1·q_0,    q = q_0·q_1,
///
/// so `p_root/q_root = Σ_leaves p/q` whenever no denominator vanishes. One array per numerator and
/// denominator for all layers: the prover folds each layer in place during its reduction (layer
/// `j + 1` is never needed again once depth `j` is reduced), with no copies.
final class FractionTree<E: FiniteField> {
    /// `h`: the leaves are layer `h` (`2^h` of them).
    let height: Int
    /// Whether every leaf numerator is 1 (witness trees): the leaf layer's `p` is never read as a
    /// table, which saves a third of the leaf layer's work.
    let leafNumeratorIsOne: Bool
    var p: [E]
    var q: [E]

    /// Fills the leaves with `leafQ(x)` (and `leafP(x)` unless numerators are one) and builds every layer.
    init(height: Int, leafNumeratorIsOne: Bool, leafP: ((Int) -> E)?, leafQ: (Int) -> E) {
        self.height = height
        self.leafNumeratorIsOne = leafNumeratorIsOne
        let leaves = 1 << height
        p = [E](repeating: .zero, count: 2 * leaves)
        q = [E](repeating: .zero, count: 2 * leaves)
        p.withUnsafeMutableBufferPointer { pb in
            q.withUnsafeMutableBufferPointer { qb in
                let pp = pb.baseAddress!, qp = qb.baseAddress!
                parallelChunks(count: leaves, minimumChunk: nodeParallelThreshold) { range in
                    for x in range {
                        qp[leaves + x] = leafQ(x)
                        pp[leaves + x] = leafP.map { $0(x) } ?? .one
                    }
                }
                for j in stride(from: height - 1, through: 0, by: -1) {
                    let base = 1 << j
                    let leafParents = j == height - 1 && leafNumeratorIsOne
                    parallelChunks(count: base, minimumChunk: nodeParallelThreshold) { range in
                        for x in range {
                            let v = base + x
                            let q0 = qp[2 * v], q1 = qp[2 * v + 1]
                            if leafParents {
                                pp[v] = q0 + q1
                            } else {
                                pp[v] = pp[2 * v] * q1 + pp[2 * v + 1] * q0
                            }
                            qp[v] = q0 * q1
                        }
                    }
                }
            }
        }
    }

    var rootP: E { p[1] }
    var rootQ: E { q[1] }
}

/// Eq-weighted sums over one round of a layer sumcheck, for one tree.
///
/// With `A(t) = p_0(t)·q_1(t) + p_1(t)·q_0(t)` and `B(t) = q_0(t)·q_1(t)` (the round variable set
/// to `t`, `p_b` the half with pairing bit `b`), these are `Σ_y E(y)·A(0)`, `Σ E·B(0)`, the `t²`
/// coefficients `Σ E·A(∞)`, `Σ E·B(∞)`, and (only when asked) `Σ E·A(1)`, `Σ E·B(1)`.
struct RoundSums<E: FiniteField> {
    var a0 = E.zero, b0 = E.zero, aInf = E.zero, bInf = E.zero, a1 = E.zero, b1 = E.zero

    static func + (l: RoundSums, r: RoundSums) -> RoundSums {
        RoundSums(a0: l.a0 + r.a0, b0: l.b0 + r.b0, aInf: l.aInf + r.aInf, bInf: l.bInf + r.bInf,
                  a1: l.a1 + r.a1, b1: l.b1 + r.b1)
    }
}

/// The prover's kernels for one layer reduction. A layer region holds `p` (or nothing when the
/// numerators are one) and `q` with index `x_1 + 2·(y_k + 2·(rest))`: entries `4i ..< 4i+4` of the
/// current region are `(x_1, y_k) = (0,0), (1,0), (0,1), (1,1)` for the `i`-th assignment of the
/// remaining variables, whose eq weight is `eq[i]`.
enum LayerKernel {
    /// Accumulates the round sums of one quad (entries `base ..< base+4`, already folded).
    @inline(__always)
    static func accumulate<E: FiniteField>(
        _ s: inout RoundSums<E>, e: E,
        p00: E, p10: E, p01: E, p11: E, q00: E, q10: E, q01: E, q11: E,
        pOne: Bool, withOne: Bool
    ) {
        let dq0 = q01 - q00, dq1 = q11 - q10
        s.b0 += e * (q00 * q10)
        s.bInf += e * (dq0 * dq1)
        if pOne {
            s.a0 += e * (q00 + q10)
            // A(t) = q_0(t) + q_1(t) is linear: no t² term.
            if withOne {
                s.a1 += e * (q01 + q11)
                s.b1 += e * (q01 * q11)
            }
        } else {
            let dp0 = p01 - p00, dp1 = p11 - p10
            s.a0 += e * (p00 * q10 + p10 * q00)
            s.aInf += e * (dp0 * dq1 + dp1 * dq0)
            if withOne {
                s.a1 += e * (p01 * q11 + p11 * q01)
                s.b1 += e * (q01 * q11)
            }
        }
    }

    /// Round sums over the region (`4 · quads` entries), read-only.
    static func evaluate<E: FiniteField>(
        p: UnsafeMutablePointer<E>, q: UnsafeMutablePointer<E>, quads: Int, eq: UnsafePointer<E>,
        pOne: Bool, withOne: Bool
    ) -> RoundSums<E> {
        let parts = parallelMapChunks(count: quads, minimumChunk: layerParallelQuads) { range in
            var s = RoundSums<E>()
            for i in range {
                let b = 4 * i
                if pOne {
                    accumulate(&s, e: eq[i], p00: .one, p10: .one, p01: .one, p11: .one,
                               q00: q[b], q10: q[b + 1], q01: q[b + 2], q11: q[b + 3], pOne: true, withOne: withOne)
                } else {
                    accumulate(&s, e: eq[i], p00: p[b], p10: p[b + 1], p01: p[b + 2], p11: p[b + 3],
                               q00: q[b], q10: q[b + 1], q01: q[b + 2], q11: q[b + 3], pOne: false, withOne: withOne)
                }
            }
            return s
        }
        return parts.reduce(RoundSums(), +)
    }

    /// Folds the previous round's variable with `r` (region `8 · quads` → `4 · quads` entries, in
    /// place) and returns the round sums of the folded region, in one pass. Output quad `i` reads
    /// input entries `8i ..< 8i+8`: an in-place halving pass.
    static func foldAndEvaluate<E: FiniteField>(
        p: UnsafeMutablePointer<E>, q: UnsafeMutablePointer<E>, quads: Int, challenge r: E, eq: UnsafePointer<E>,
        pOne: Bool, withOne: Bool
    ) -> RoundSums<E> {
        let parts = inPlaceHalvingMap(outputCount: quads, minimumChunk: layerParallelQuads) { range in
            var s = RoundSums<E>()
            for i in range {
                let b = 8 * i, o = 4 * i
                // folded[x_1 + 2z] = in[x_1 + 4z] + r·(in[x_1 + 2 + 4z] − in[x_1 + 4z]), z = 2i, 2i+1.
                let q00 = q[b] + r * (q[b + 2] - q[b]), q10 = q[b + 1] + r * (q[b + 3] - q[b + 1])
                let q01 = q[b + 4] + r * (q[b + 6] - q[b + 4]), q11 = q[b + 5] + r * (q[b + 7] - q[b + 5])
                q[o] = q00; q[o + 1] = q10; q[o + 2] = q01; q[o + 3] = q11
                if pOne {
                    accumulate(&s, e: eq[i], p00: .one, p10: .one, p01: .one, p11: .one,
                               q00: q00, q10: q10, q01: q01, q11: q11, pOne: true, withOne: withOne)
                } else {
                    let p00 = p[b] + r * (p[b + 2] - p[b]), p10 = p[b + 1] + r * (p[b + 3] - p[b + 1])
                    let p01 = p[b + 4] + r * (p[b + 6] - p[b + 4]), p11 = p[b + 5] + r * (p[b + 7] - p[b + 5])
                    p[o] = p00; p[o + 1] = p10; p[o + 2] = p01; p[o + 3] = p11
                    accumulate(&s, e: eq[i], p00: p00, p10: p10, p01: p01, p11: p11,
                               q00: q00, q10: q10, q01: q01, q11: q11, pOne: false, withOne: withOne)
                }
            }
            return s
        }
        return parts.reduce(RoundSums(), +)
    }

    /// The last fold of a layer: 4 entries → 2, leaving `(v(0, ρ), v(1, ρ))` in entries 0 and 1.
    @inline(__always)
    static func finalFold<E: FiniteField>(_ v: UnsafeMutablePointer<E>, challenge r: E) {
        v[0] = v[0] + r * (v[2] - v[0])
        v[1] = v[1] + r * (v[3] - v[1])
    }

    /// Halves an eq table in place: `E'[i] = E[2i] + E[2i+1]`. Since `eq(r, ·)` factors as
    /// `Π_j eq(r_j, y_j)` and `eq(r_j, 0) + eq(r_j, 1) = 1`, summing out the lowest variable of
    /// `eq((r_k, …), ·)` gives `eq((r_{k+1}, …), ·)`: additions only.
    static func halveEqTable<E: FiniteField>(_ eq: UnsafeMutablePointer<E>, count: Int) {
        _ = inPlaceHalvingMap(outputCount: count / 2, minimumChunk: nodeParallelThreshold) { range in
            for i in range { eq[i] = eq[2 * i] + eq[2 * i + 1] }
        }
    }
}
