public import ZKField
import ZKParallel
import ZKPoly
import ZKSumcheck
public import ZKTranscript

/// The logUp-GKR lookup argument: every witness tuple of every ``LookupGroup`` is a row of its
/// table.
///
/// ## The statement (logUp, Haböck 2022, "Multivariate lookups based on logarithmic derivatives")
///
/// For a group with columns `a_1, …, a_w` (`N` entries padded to `2^n` with a genuine row) into a
/// table with columns `t_1, …, t_w` (`2^m` rows) and multiplicities `m(y)`, compress tuples with a
/// random `β`, `a(x) = Σ_k β^(k−1) a_k(x)`, `t(y) = Σ_k β^(k−1) t_k(y)` (for `w = 1` this is just
/// `a_1`; `β` is drawn regardless, uniformly), and check at a random `α`
///
///     Σ_x 1/(α − a(x)) = Σ_y m(y)/(α − t(y)).
///
/// If the number of summands `2^n` (over all groups into one table) is below the characteristic,
/// equality of the rational functions in `X` forces every `a(x)` to be some `t(y)` (Lemma 5);
/// a random `α` preserves it up to `(2^n + 2^m)/|E|`, and `β` makes tuple compression injective
/// on the finitely many tuples involved up to `(w − 1)(2^n + 2^m)/|E|`. Both are drawn *after* the
/// multiplicities are committed.
///
/// ## The GKR for fractions (Papini–Haböck 2023, "Improving logarithmic derivative lookups using GKR")
///
/// Each side is a binary tree of fractions (see `FractionTree`): the leaves are `1/(α − a(x))`
/// (witness, numerator 1 everywhere thanks to genuine-row padding) and `m(y)/(α − t(y))` (table);
/// a parent pairs *adjacent* entries `2i, 2i + 1`: `p = p_0 q_1 + p_1 q_0`, `q = q_0 q_1`. Write
/// `p_j, q_j` for the MLEs of layer `j` (`2^j` entries, variables lowest bit first). Because the
/// paired entries differ in the lowest bit, layer `j`'s variables are layer `j + 1`'s variables
/// `2 … j + 1`, and the pairing variable is layer `j + 1`'s `x_1`:
///
///     p_j(y) = Σ_{y'} eq(y, y') [p_{j+1}(0, y') q_{j+1}(1, y') + p_{j+1}(1, y') q_{j+1}(0, y')]
///     q_j(y) = Σ_{y'} eq(y, y')  q_{j+1}(0, y') q_{j+1}(1, y').
///
/// **Reduction of depth `d`.** Given claims `p_d(r), q_d(r)` at `r ∈ E^d` for every tree whose
/// height exceeds `d`, draw `λ`, and run one sumcheck over `y ∈ {0,1}^d` of
///
///     eq(r, y) · Σ_i [ λ^(2i) (p_i(0,y) q_i(1,y) + p_i(1,y) q_i(0,y)) + λ^(2i+1) q_i(0,y) q_i(1,y) ]
///
/// (degree 3 in each variable; `i` over the active trees) for the claim `Σ_i λ^(2i) p_i(r) + λ^(2i+1) q_i(r)`.
/// It ends at a random `ρ ∈ E^d`; the prover sends `p_i(0,ρ), p_i(1,ρ), q_i(0,ρ), q_i(1,ρ)` for every
/// active tree, the verifier checks the sumcheck's final value, draws `μ`, and the claims become
/// `p_{d+1}(μ, ρ) = (1 − μ) p(0,ρ) + μ p(1,ρ)` (likewise `q`) at the point `(μ, ρ_1, …, ρ_d)`: `μ`
/// is the **lowest** coordinate, so after the last layer the point is a point of the leaf
/// hypercube in `DenseMultilinearExtension`'s order.
///
/// **Batching.** All trees — every group and every table — run in one GKR aligned at the root:
/// at depth `d` every tree of height `> d` has a layer of `2^(d+1)` entries and a claim at the same
/// point, so one sumcheck (one eq table, one set of challenges) serves them all; a tree of height
/// `h` leaves the batch after depth `h − 1` with its leaf claims at the shared point of length `h`.
/// Trees of equal height end at equal points. No padding to a common height is needed.
///
/// **Leaves.** For group `g` the verifier checks `p̂ = 1` and `q̂ = α − Σ_k β^(k−1) â_k` where `â_k` is
/// the padded column's MLE at `ρ`, obtained from the prover's zero-padded claim `a_k(ρ)` as
/// `â_k = a_k(ρ) + pad_k · (1 − Σ_{x<N} eq(ρ, x))` (an `O(n)` sum; `pad_k` from the table itself).
/// For table `t` it computes `t_k(ρ)` itself (closed form or verification key) and checks
/// `q̂ = α − Σ β^(k−1) t_k(ρ)` and `p̂ = m(ρ)` for the prover's claim `m(ρ)`. The claims `a_k(ρ)`,
/// `m(ρ)` are returned for the caller's claim ledger.
///
/// **Roots.** Per table, `Σ_{groups into t} p_g/q_g = p_t/q_t` is checked cross-multiplied, after
/// checking that **every root denominator is nonzero** (otherwise `0/0` would satisfy it). Checking
/// the roots suffices: the `q` half of every tree is a pure product tree (`q = q_0 q_1`, independent
/// of `p`), and the layer reductions bind `q_root` to `Π_leaves q` up to the sumcheck error, so a
/// nonzero root denominator means no leaf denominator `α − a(x)` or `α − t(y)` vanishes.
///
/// **Soundness error** (per batch, over `|E|`): logUp `(Σ_g 2^(n_g) + Σ_t 2^(m_t)) · w / |E|` for `α`
/// and `β`; each depth-`d` reduction `(3d + 2 + 2·#active)/|E|` for its sumcheck, the batching `λ`
/// and `μ` — negligible over BN254's Fr (about 2^-230 for every size here).
///
/// **Prover cost.** Building the trees: 3 multiplications per internal node. A layer sumcheck uses
/// eq-factoring (Gruen): round `k`'s polynomial is `eq(r_{<k}, ρ_{<k}) · eq(r_k, t) · h(t)` with
/// `h(t) = Σ_y eq(r_{>k}, y) g(t, y)` of degree 2, so per quad it computes `h(0)` and `h`'s leading
/// coefficient (about 10 multiplications, 7 on a witness leaf layer), derives `h(1)` from the claim
/// (`r_k⁻¹` from one batch inversion per layer), and folds in the same pass. One eq table of size
/// `2^(d−1)` per depth, shared by all trees, shrunk by pair sums (additions) each round.
///
/// ## Transcript (prover and verifier)
///
/// Precondition: the caller has already absorbed everything the verifier knows (protocol id,
/// verification key hash covering the tables, …) **and the commitment to the witness columns and
/// multiplicities**. Then:
///
/// 1. `logup.statement` (bytes): version 1 and the statement's shape (see `absorbStatement`).
/// 2. `β` ← `logup.beta`, `α` ← `logup.alpha`.
/// 3. `logup.roots`: `(p, q)` of every tree (groups, then tables).
/// 4. For each depth `d = 0 ..< max height`: `λ` ← `logup.lambda`; the sumcheck (`sumcheck.claim`,
///    then per round `sumcheck.round` and `sumcheck.challenge`: ZKSumcheck's layout, so the layer
///    proofs are ordinary `SumcheckProof`s of degree 3; zero rounds at depth 0); `logup.layer`: the child values; `μ` ← `logup.mu`.
/// 5. `logup.claims`: all column evaluations (group, column order), then multiplicity evaluations.
public enum LogUpGKR {
    /// The sumcheck degree of a layer reduction: eq × (product of two multilinears).
    public static var layerDegree: Int { 3 }

    // MARK: Prover

    /// Proves that every witness tuple lies in its table.
    ///
    /// - Precondition (protocol): `transcript` has absorbed the commitment to `witness` (columns and
    ///   multiplicities); `α` and `β` are drawn here, after it.
    /// - Throws: ``LookupError`` for a malformed statement or a witness of the wrong shape. The
    ///   prover does not check membership: a false witness gives a proof the verifier rejects.
    /// - Returns: the proof and the claims the verifier will return.
    @_specialize(where F == BN254Fr, E == BN254Fr)
    public static func prove<F: PrimeField, E: ExtensionField>(
        statement: LookupStatement<F>, witness: LookupWitness<F>, transcript: inout Transcript,
        challengeField: E.Type = E.self
    ) throws(LookupError) -> (proof: LookupProof<E>, claims: LookupClaims<E>) where E.BaseField == F {
        try statement.validate()
        try checkWitnessShape(statement: statement, witness: witness)
        let groups = statement.groups, tables = statement.tables
        let heights = statement.treeHeights
        let maxHeight = heights.max() ?? 0

        absorbStatement(statement, into: &transcript)
        let beta: E = transcript.challenge(label: "logup.beta")
        let alpha: E = transcript.challenge(label: "logup.alpha")
        let maxWidth = tables.map(\.width).max() ?? 1
        var betaPowers = [E.one]
        for _ in 1..<max(1, maxWidth) { betaPowers.append(betaPowers.last! * beta) }

        // Leaves and trees.
        var trees = [FractionTree<E>]()  // reference types: layers are folded in place
        trees.reserveCapacity(heights.count)
        for (g, group) in groups.enumerated() {
            let table = tables[group.table]
            let columns = witness.columns[g]
            let padQ = alpha - compress(table.row(group.paddingRow), betaPowers)
            let count = group.count
            trees.append(FractionTree(height: group.numVariables, leafNumeratorIsOne: true, leafP: nil) { x in
                guard x < count else { return padQ }
                var value = alpha - E(base: columns[0][x])
                for k in 1..<max(1, columns.count) { value -= betaPowers[k] * columns[k][x] }
                return value
            })
        }
        for (t, table) in tables.enumerated() {
            let columns = (0..<table.width).map { table.columnValues($0) }
            let m = witness.multiplicities[t]
            trees.append(FractionTree(height: table.numVariables, leafNumeratorIsOne: false, leafP: { E(base: m[$0]) }) { y in
                var value = alpha - E(base: columns[0][y])
                for k in 1..<max(1, columns.count) { value -= betaPowers[k] * columns[k][y] }
                return value
            })
        }
        var roots = [E]()
        for tree in trees { roots += [tree.rootP, tree.rootQ] }
        transcript.absorb(label: "logup.roots", elements: roots)

        // Layer reductions, all trees batched, aligned at the root.
        var claimP = trees.map(\.rootP), claimQ = trees.map(\.rootQ)
        var point: [E] = []
        var finalPoints = [[E]?](repeating: nil, count: trees.count)
        for i in trees.indices where heights[i] == 0 { finalPoints[i] = [] }
        var layers = [LookupLayerProof<E>]()
        layers.reserveCapacity(maxHeight)
        for d in 0..<maxHeight {
            let active = trees.indices.filter { heights[$0] > d }
            let lambda: E = transcript.challenge(label: "logup.lambda")
            let (cP, cQ) = batchingCoefficients(lambda, count: active.count)
            var claim = E.zero
            for (a, i) in active.enumerated() { claim += cP[a] * claimP[i] + cQ[a] * claimQ[i] }
            transcript.absorb(label: "sumcheck.claim", element: claim)

            let (messages, rho) = proveLayer(
                trees: trees, active: active, depth: d, point: point, claim: claim, cP: cP, cQ: cQ,
                transcript: &transcript)

            var children = [E]()
            children.reserveCapacity(4 * active.count)
            let offset = 1 << (d + 1)
            for i in active {
                children += [trees[i].p[offset], trees[i].p[offset + 1], trees[i].q[offset], trees[i].q[offset + 1]]
            }
            transcript.absorb(label: "logup.layer", elements: children)
            let mu: E = transcript.challenge(label: "logup.mu")
            point = [mu] + rho
            for (a, i) in active.enumerated() {
                let c = children[(4 * a)..<(4 * a + 4)].map { $0 }
                claimP[i] = c[0] + mu * (c[1] - c[0])
                claimQ[i] = c[2] + mu * (c[3] - c[2])
                if heights[i] == d + 1 { finalPoints[i] = point }
            }
            layers.append(LookupLayerProof(sumcheck: SumcheckProof(roundMessages: messages), childValues: children))
        }

        // Final evaluations: zero-padded witness columns and multiplicities at their trees' points
        // (one eq table per distinct height).
        var eqTables = [Int: [E]]()
        func eqAt(_ tree: Int) -> [E] {
            let h = heights[tree]
            if let cached = eqTables[h] { return cached }
            let table = eqTable(point: finalPoints[tree]!)
            eqTables[h] = table
            return table
        }
        var columnEvaluations = [[E]]()
        var columnClaims = [LookupEvaluationClaim<E>]()
        for g in groups.indices {
            let weights = eqAt(g)
            let values = witness.columns[g].map { dot(weights, $0) }
            columnEvaluations.append(values)
            for (k, v) in values.enumerated() {
                columnClaims.append(LookupEvaluationClaim(
                    polynomial: .witnessColumn(group: g, column: k), point: finalPoints[g]!, value: v))
            }
        }
        var multiplicityEvaluations = [E]()
        var multiplicityClaims = [LookupEvaluationClaim<E>]()
        for t in tables.indices {
            let i = groups.count + t
            let v = dot(eqAt(i), witness.multiplicities[t])
            multiplicityEvaluations.append(v)
            multiplicityClaims.append(LookupEvaluationClaim(polynomial: .multiplicities(table: t), point: finalPoints[i]!, value: v))
        }
        transcript.absorb(label: "logup.claims", elements: columnEvaluations.flatMap { $0 } + multiplicityEvaluations)

        let proof = LookupProof(
            roots: roots, layers: layers, columnEvaluations: columnEvaluations, multiplicityEvaluations: multiplicityEvaluations)
        let claims = LookupClaims(witnessColumns: columnClaims, multiplicities: multiplicityClaims, alpha: alpha, beta: beta)
        return (proof, claims)
    }

    /// The batched, eq-factored sumcheck of depth `d` on every active tree's layer `d + 1`; folds
    /// the layers in place and leaves `(v(0,ρ), v(1,ρ))` in the first two entries of each region.
    /// Returns the round messages `[s(0), s(2), s(3)]` and `ρ`.
    static func proveLayer<E: FiniteField>(
        trees: [FractionTree<E>], active: [Int], depth d: Int, point r: [E], claim: E,
        cP: [E], cQ: [E], transcript: inout Transcript
    ) -> (messages: [[E]], rho: [E]) {
        guard d > 0 else { return ([], []) }
        var eqRest = eqTable(point: Array(r[1...]))   // eq(r_2..r_d, ·), 2^(d−1) entries
        var rInverse = r
        E.batchInvert(&rInverse)
        var messages = [[E]]()
        var rho = [E]()
        messages.reserveCapacity(d)
        rho.reserveCapacity(d)
        var hClaim = claim       // claim / Π_{j<k} eq(r_j, ρ_j)
        var prefix = E.one       // Π_{j<k} eq(r_j, ρ_j)
        let offset = 1 << (d + 1)
        var eqCount = eqRest.count
        for k in 0..<d {
            if k > 0 {
                eqRest.withUnsafeMutableBufferPointer { LayerKernel.halveEqTable($0.baseAddress!, count: eqCount) }
                eqCount /= 2
            }
            let rk = r[k]
            let withOne = rk.isZero
            var h0 = E.zero, hInf = E.zero, h1 = E.zero
            for (a, i) in active.enumerated() {
                let pOne = trees[i].leafNumeratorIsOne && trees[i].height == d + 1
                let sums: RoundSums<E> = eqRest.withUnsafeBufferPointer { eb in
                    trees[i].p.withUnsafeMutableBufferPointer { pb in
                        trees[i].q.withUnsafeMutableBufferPointer { qb in
                            let pp = pb.baseAddress! + offset, qp = qb.baseAddress! + offset
                            if k == 0 {
                                return LayerKernel.evaluate(
                                    p: pp, q: qp, quads: eqCount, eq: eb.baseAddress!, pOne: pOne, withOne: withOne)
                            }
                            return LayerKernel.foldAndEvaluate(
                                p: pp, q: qp, quads: eqCount, challenge: rho[k - 1], eq: eb.baseAddress!,
                                pOne: pOne, withOne: withOne)
                        }
                    }
                }
                h0 += cP[a] * sums.a0 + cQ[a] * sums.b0
                hInf += cP[a] * sums.aInf + cQ[a] * sums.bInf
                if withOne { h1 += cP[a] * sums.a1 + cQ[a] * sums.b1 }
            }
            // h(0)(1 − r_k) + h(1) r_k = hClaim.
            if !withOne { h1 = (hClaim - (E.one - rk) * h0) * rInverse[k] }
            let linear = h1 - h0 - hInf
            let two = E.one.doubled(), three = two + E.one
            let h2 = h0 + two * linear + two.doubled() * hInf
            let h3 = h0 + three * linear + (three * three) * hInf
            // eq(r_k, t) = 1 − r_k − t + 2 r_k t at t = 0, 2, 3.
            let s0 = prefix * (E.one - rk) * h0
            let s2 = prefix * (three * rk - E.one) * h2
            let s3 = prefix * ((three + two) * rk - two) * h3
            let message = [s0, s2, s3]
            transcript.absorb(label: "sumcheck.round", elements: message)
            let challenge: E = transcript.challenge(label: "sumcheck.challenge")
            messages.append(message)
            rho.append(challenge)
            hClaim = h0 + challenge * (linear + challenge * hInf)
            prefix *= E.one - rk - challenge + (rk * challenge).doubled()
        }
        let last = rho[d - 1]
        for i in active {
            let pOne = trees[i].leafNumeratorIsOne && trees[i].height == d + 1
            trees[i].q.withUnsafeMutableBufferPointer { LayerKernel.finalFold($0.baseAddress! + offset, challenge: last) }
            if !pOne {
                trees[i].p.withUnsafeMutableBufferPointer { LayerKernel.finalFold($0.baseAddress! + offset, challenge: last) }
            }
        }
        return (messages, rho)
    }

    // MARK: Verifier

    /// Verifies a lookup proof and returns the claims left for the caller's claim ledger (the
    /// witness columns' and multiplicities' evaluations, which must be checked against the
    /// commitment the caller absorbed before this call). Table columns are evaluated by the
    /// verifier from `statement` alone.
    ///
    /// - Precondition (protocol): `transcript` is in the state the prover's was in when it called
    ///   ``prove(statement:witness:transcript:challengeField:)``.
    /// - Throws: ``LookupError``; every length in the proof is checked before use.
    @_specialize(where F == BN254Fr, E == BN254Fr)
    public static func verify<F: PrimeField, E: ExtensionField>(
        statement: LookupStatement<F>, proof: LookupProof<E>, transcript: inout Transcript
    ) throws(LookupError) -> LookupClaims<E> where E.BaseField == F {
        try statement.validate()
        let groups = statement.groups, tables = statement.tables
        let heights = statement.treeHeights
        let treeCount = heights.count
        let maxHeight = heights.max() ?? 0

        // Shapes first.
        guard proof.roots.count == 2 * treeCount else { throw .wrongRootCount(expected: 2 * treeCount, got: proof.roots.count) }
        guard proof.layers.count == maxHeight else { throw .wrongLayerCount(expected: maxHeight, got: proof.layers.count) }
        for (d, layer) in proof.layers.enumerated() {
            let rounds = layer.sumcheck.roundMessages
            guard rounds.count == d else { throw .wrongRoundCount(depth: d, expected: d, got: rounds.count) }
            for (k, message) in rounds.enumerated() where message.count != layerDegree {
                throw .wrongMessageLength(depth: d, round: k, expected: layerDegree, got: message.count)
            }
            let active = heights.filter { $0 > d }.count
            guard layer.childValues.count == 4 * active else {
                throw .wrongChildValueCount(depth: d, expected: 4 * active, got: layer.childValues.count)
            }
        }
        guard proof.columnEvaluations.count == groups.count else {
            throw .wrongGroupCount(expected: groups.count, got: proof.columnEvaluations.count)
        }
        for (g, group) in groups.enumerated() {
            let width = tables[group.table].width
            guard proof.columnEvaluations[g].count == width else {
                throw .wrongColumnEvaluationCount(group: g, expected: width, got: proof.columnEvaluations[g].count)
            }
        }
        guard proof.multiplicityEvaluations.count == tables.count else {
            throw .wrongMultiplicityEvaluationCount(expected: tables.count, got: proof.multiplicityEvaluations.count)
        }

        guard let inverseOfSix = (E.one.doubled() + E.one).doubled().inverse() else {
            throw .invalidStatement("the field's characteristic must exceed 3 (degree-3 sumchecks)")
        }

        absorbStatement(statement, into: &transcript)
        let beta: E = transcript.challenge(label: "logup.beta")
        let alpha: E = transcript.challenge(label: "logup.alpha")
        transcript.absorb(label: "logup.roots", elements: proof.roots)

        // Roots: nonzero denominators, then Σ_groups p_g/q_g = p_t/q_t per table.
        var claimP = (0..<treeCount).map { proof.roots[2 * $0] }
        var claimQ = (0..<treeCount).map { proof.roots[2 * $0 + 1] }
        for i in 0..<treeCount where claimQ[i].isZero {
            throw .zeroDenominator(i < groups.count ? .group(i) : .table(i - groups.count))
        }
        for t in tables.indices {
            var sumP = E.zero, sumQ = E.one
            for (g, group) in groups.enumerated() where group.table == t {
                sumP = sumP * claimQ[g] + claimP[g] * sumQ
                sumQ *= claimQ[g]
            }
            let i = groups.count + t
            guard sumP * claimQ[i] == claimP[i] * sumQ else { throw .rootMismatch(table: t) }
        }

        var point: [E] = []
        var finalPoints = [[E]?](repeating: nil, count: treeCount)
        for i in 0..<treeCount where heights[i] == 0 { finalPoints[i] = [] }
        for d in 0..<maxHeight {
            let layer = proof.layers[d]
            let active = (0..<treeCount).filter { heights[$0] > d }
            let lambda: E = transcript.challenge(label: "logup.lambda")
            let (cP, cQ) = batchingCoefficients(lambda, count: active.count)
            var claim = E.zero
            for (a, i) in active.enumerated() { claim += cP[a] * claimP[i] + cQ[a] * claimQ[i] }
            let subclaim = verifyLayerSumcheck(
                claim: claim, rounds: layer.sumcheck.roundMessages, inverseOfSix: inverseOfSix, transcript: &transcript)
            let c = layer.childValues
            transcript.absorb(label: "logup.layer", elements: c)
            var combined = E.zero
            for a in active.indices {
                let p0 = c[4 * a], p1 = c[4 * a + 1], q0 = c[4 * a + 2], q1 = c[4 * a + 3]
                combined += cP[a] * (p0 * q1 + p1 * q0) + cQ[a] * (q0 * q1)
            }
            guard eq(point, subclaim.point) * combined == subclaim.expectedEvaluation else {
                throw .layerMismatch(depth: d)
            }
            let mu: E = transcript.challenge(label: "logup.mu")
            point = [mu] + subclaim.point
            for (a, i) in active.enumerated() {
                claimP[i] = c[4 * a] + mu * (c[4 * a + 1] - c[4 * a])
                claimQ[i] = c[4 * a + 2] + mu * (c[4 * a + 3] - c[4 * a + 2])
                if heights[i] == d + 1 { finalPoints[i] = point }
            }
        }
        transcript.absorb(label: "logup.claims", elements: proof.columnEvaluations.flatMap { $0 } + proof.multiplicityEvaluations)

        // Leaves.
        let maxWidth = tables.map(\.width).max() ?? 1
        var betaPowers = [E.one]
        for _ in 1..<max(1, maxWidth) { betaPowers.append(betaPowers.last! * beta) }
        var columnClaims = [LookupEvaluationClaim<E>]()
        for (g, group) in groups.enumerated() {
            let rho = finalPoints[g]!
            guard claimP[g] == .one else { throw .witnessNumeratorMismatch(group: g) }
            let outside = E.one - prefixEqSum(rho, count: group.count)   // Σ_{x ≥ N} eq(ρ, x)
            let table = tables[group.table]
            var compressed = E.zero
            for (k, value) in proof.columnEvaluations[g].enumerated() {
                let padded = value + outside * table.value(column: k, row: group.paddingRow)
                compressed += betaPowers[k] * padded
                columnClaims.append(LookupEvaluationClaim(polynomial: .witnessColumn(group: g, column: k), point: rho, value: value))
            }
            guard claimQ[g] == alpha - compressed else { throw .witnessEvaluationMismatch(group: g) }
        }
        var multiplicityClaims = [LookupEvaluationClaim<E>]()
        for (t, table) in tables.enumerated() {
            let i = groups.count + t
            let rho = finalPoints[i]!
            let columns = table.evaluateColumns(at: rho)
            var compressed = E.zero
            for (k, value) in columns.enumerated() { compressed += betaPowers[k] * value }
            guard claimQ[i] == alpha - compressed else { throw .tableEvaluationMismatch(table: t) }
            guard claimP[i] == proof.multiplicityEvaluations[t] else { throw .multiplicityMismatch(table: t) }
            multiplicityClaims.append(LookupEvaluationClaim(
                polynomial: .multiplicities(table: t), point: rho, value: proof.multiplicityEvaluations[t]))
        }
        return LookupClaims(witnessColumns: columnClaims, multiplicities: multiplicityClaims, alpha: alpha, beta: beta)
    }

    /// The challenges `(α, β)` the argument will draw from a transcript in this state (a copy is
    /// advanced; the caller's is untouched). For diagnostics and for tests that build adversarial
    /// witnesses (e.g. a zero denominator).
    public static func previewChallenges<F: PrimeField, E: ExtensionField>(
        statement: LookupStatement<F>, transcript: Transcript, challengeField: E.Type = E.self
    ) -> (alpha: E, beta: E) where E.BaseField == F {
        var copy = transcript
        absorbStatement(statement, into: &copy)
        let beta: E = copy.challenge(label: "logup.beta")
        let alpha: E = copy.challenge(label: "logup.alpha")
        return (alpha, beta)
    }

    /// The verifier side of one layer sumcheck: exactly `SumcheckVerifier.verify`'s transcript
    /// layout and checks for degree 3 (`sumcheck.claim`, then per round `sumcheck.round` and
    /// `sumcheck.challenge`; `s(1) = claim − s(0)`), but the round polynomial is interpolated with
    /// a precomputed `1/6` instead of an inversion per round. Message lengths are checked by the caller.
    ///
    /// On the nodes 0, 1, 2, 3: `s(r) = [−s0·(r−1)(r−2)(r−3) + 3·s1·r(r−2)(r−3) − 3·s2·r(r−1)(r−3)
    /// + s3·r(r−1)(r−2)] / 6`.
    static func verifyLayerSumcheck<E: FiniteField>(
        claim initial: E, rounds: [[E]], inverseOfSix: E, transcript: inout Transcript
    ) -> (point: [E], expectedEvaluation: E) {
        transcript.absorb(label: "sumcheck.claim", element: initial)
        var claim = initial
        var point = [E]()
        point.reserveCapacity(rounds.count)
        let one = E.one, two = one.doubled(), three = two + one
        for message in rounds {
            transcript.absorb(label: "sumcheck.round", elements: message)
            let r: E = transcript.challenge(label: "sumcheck.challenge")
            let s0 = message[0], s1 = claim - s0, s2 = message[1], s3 = message[2]
            let r1 = r - one, r2 = r - two, r3 = r - three
            let r0r1 = r * r1
            let sum = s3 * (r0r1 * r2) - s0 * (r1 * r2 * r3) + three * (s1 * (r * r2 * r3) - s2 * (r0r1 * r3))
            claim = sum * inverseOfSix
            point.append(r)
        }
        return (point, claim)
    }

    // MARK: Shared pieces

    /// Absorbs the statement's shape: `u64le` words `1 (version), T, (m_t, w_t, rowCount_t) per
    /// table, G, (table_g, N_g, paddingRow_g) per group` under the label `logup.statement`.
    static func absorbStatement<F: PrimeField>(_ statement: LookupStatement<F>, into transcript: inout Transcript) {
        var words: [UInt64] = [1, UInt64(statement.tables.count)]
        for table in statement.tables { words += [UInt64(table.numVariables), UInt64(table.width), UInt64(table.rowCount)] }
        words.append(UInt64(statement.groups.count))
        for group in statement.groups { words += [UInt64(group.table), UInt64(group.count), UInt64(group.paddingRow)] }
        var bytes = [UInt8]()
        bytes.reserveCapacity(8 * words.count)
        for w in words { for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: w >> UInt64(8 * k))) } }
        transcript.absorb(label: "logup.statement", bytes: bytes)
    }

    /// `(λ^0, λ^2, λ^4, …)` and `(λ^1, λ^3, …)`: the coefficients of the `p` and `q` claims of the
    /// active trees.
    static func batchingCoefficients<E: FiniteField>(_ lambda: E, count: Int) -> ([E], [E]) {
        var cP = [E](), cQ = [E]()
        cP.reserveCapacity(count)
        cQ.reserveCapacity(count)
        var power = E.one
        for _ in 0..<count {
            cP.append(power)
            power *= lambda
            cQ.append(power)
            power *= lambda
        }
        return (cP, cQ)
    }

    /// `Σ_{0 ≤ x < N} eq(ρ, x)` over `x ∈ {0,1}^n` (`n = ρ.count`, `1 ≤ N ≤ 2^n`) in `O(n)`: for each
    /// set bit `j` of `N`, the `x` that agree with `N` above bit `j` and have bit `j` clear contribute
    /// `Π_{i>j} eq(ρ_i, N_i) · (1 − ρ_j)` (the free lower bits sum to 1).
    static func prefixEqSum<E: FiniteField>(_ rho: [E], count: Int) -> E {
        let n = rho.count
        if count >= 1 << n { return .one }
        var sum = E.zero
        var high = E.one
        for j in stride(from: n - 1, through: 0, by: -1) {
            if (count >> j) & 1 == 1 {
                sum += high * (E.one - rho[j])
                high *= rho[j]
            } else {
                high *= E.one - rho[j]
            }
        }
        return sum
    }

    /// `α`-free compression `Σ_k β^(k−1) v_k` of a base-field tuple.
    static func compress<F: PrimeField, E: ExtensionField>(_ tuple: [F], _ betaPowers: [E]) -> E where E.BaseField == F {
        var sum = E.zero
        for (k, v) in tuple.enumerated() { sum += betaPowers[k] * v }
        return sum
    }

    /// `Σ_{x < values.count} weights[x] · values[x]` (the zero-padded MLE when `weights` is an eq table).
    static func dot<F: PrimeField, E: ExtensionField>(_ weights: [E], _ values: [F]) -> E where E.BaseField == F {
        let n = values.count
        return weights.withUnsafeBufferPointer { wb in
            values.withUnsafeBufferPointer { vb in
                let w = wb.baseAddress!, v = vb.baseAddress!
                let parts = parallelMapChunks(count: n, minimumChunk: nodeParallelThreshold) { range in
                    var s = E.zero
                    for x in range { s += w[x] * v[x] }
                    return s
                }
                return parts.reduce(E.zero, +)
            }
        }
    }

    static func checkWitnessShape<F: PrimeField>(statement: LookupStatement<F>, witness: LookupWitness<F>) throws(LookupError) {
        guard witness.columns.count == statement.groups.count else {
            throw .invalidWitness("\(witness.columns.count) column sets for \(statement.groups.count) groups")
        }
        for (g, group) in statement.groups.enumerated() {
            let width = statement.tables[group.table].width
            guard witness.columns[g].count == width else {
                throw .invalidWitness("group \(g) has \(witness.columns[g].count) columns, its table \(width)")
            }
            for column in witness.columns[g] where column.count != group.count {
                throw .invalidWitness("group \(g) has a column of \(column.count) entries, expected \(group.count)")
            }
        }
        guard witness.multiplicities.count == statement.tables.count else {
            throw .invalidWitness("\(witness.multiplicities.count) multiplicity vectors for \(statement.tables.count) tables")
        }
        for (t, table) in statement.tables.enumerated() where witness.multiplicities[t].count != table.paddedRowCount {
            throw .invalidWitness("table \(t) has \(witness.multiplicities[t].count) multiplicities, expected \(table.paddedRowCount)")
        }
    }
}
