public import ZKField
public import ZKMerkle
public import ZKSodium
public import ZKTranscript
import ZKPoly
import ZKParallel

extension Ligero {
    /// Verifies an opening of `claims` against `commitment`, with `parameters` from the
    /// verification key (never from the proof). Checks, in order (the first failure is thrown):
    ///
    /// 1. the parameters suit `F`, the commitment has `parameters.numVariables` variables, there
    ///    is at least one claim and every point has `n` coordinates;
    /// 2. every length in the proof (``LigeroError/malformedProof(_:)``);
    /// 3. the transcript (root, parameters, claims → `γ`; rows → column indices `Q`);
    /// 4. the columns against the root (``LigeroError/merkle(_:)``);
    /// 5. the proximity test at every `q ∈ Q` (``LigeroError/proximityCheckFailed(column:)``),
    ///    then the consistency tests (``LigeroError/evaluationRowMismatch(claim:column:)``), each
    ///    reporting the first failing query in draw order. The `k + 1` tests are first run as one
    ///    random combination (``batchingCoefficients(transcript:leafHashes:count:)``), so an honest
    ///    proof costs one encoding, not `k + 1`; only a failing batch runs them one by one;
    /// 6. `⟨u_j, eq(z_j,lo)⟩ = y_j` (``LigeroError/claimMismatch(claim:)``).
    ///
    /// `Enc(v)` and `Enc(u_j)` are computed with NTTs when `E == F`, and by evaluating the row
    /// polynomials at the queried points directly otherwise.
    @inlinable
    public static func verify(
        _ commitment: LigeroCommitment, claims: [EvaluationClaim<E>], proof: LigeroOpeningProof<F, E>,
        parameters: LigeroParameters, transcript: inout Transcript
    ) throws(LigeroError) {
        try verifyImplementation(
            commitment, claims: claims, proof: proof, parameters: parameters, transcript: &transcript,
            directEvaluation: E.self != F.self)
    }

    /// ``verify(_:claims:proof:parameters:transcript:)`` with the choice of how `Enc(·)` is
    /// evaluated at the queried positions (tests check that both ways agree).
    @_spi(Testing)
    public static func verify(
        _ commitment: LigeroCommitment, claims: [EvaluationClaim<E>], proof: LigeroOpeningProof<F, E>,
        parameters: LigeroParameters, transcript: inout Transcript, directEvaluation: Bool
    ) throws(LigeroError) {
        try verifyImplementation(
            commitment, claims: claims, proof: proof, parameters: parameters, transcript: &transcript,
            directEvaluation: directEvaluation || E.self != F.self)
    }

    @inlinable
    static func verifyImplementation(
        _ commitment: LigeroCommitment, claims: [EvaluationClaim<E>], proof: LigeroOpeningProof<F, E>,
        parameters: LigeroParameters, transcript: inout Transcript, directEvaluation: Bool
    ) throws(LigeroError) {
        // 1. Statement.
        try parameters.checkSupported(by: F.self)
        guard commitment.numVariables == parameters.numVariables else {
            throw .commitmentMismatch(expectedVariables: parameters.numVariables, got: commitment.numVariables)
        }
        try checkClaims(claims, numVariables: parameters.numVariables)
        // 2. Shape.
        try checkShape(proof, claimCount: claims.count, parameters: parameters)
        // 3. Transcript.
        let gamma = absorbStatement(
            root: commitment.root, parameters: parameters, claims: claims, transcript: &transcript)
        let indices = try absorbRowsAndDrawColumns(
            proximityRow: proof.proximityRow, evaluationRows: proof.evaluationRows, parameters: parameters,
            transcript: &transcript)
        // 4. Merkle.
        let leafHashes = parallelMapChunks(count: proof.columns.count, minimumChunk: 16) { range -> [Digest32] in
            var scratch = [UInt8]()
            return range.map { p in
                proof.columns[p].withUnsafeBufferPointer { column in
                    MerkleHash.leaf(count: column.count, scratch: &scratch) { column[$0] }
                }
            }
        }.flatMap { $0 }
        do {
            try MerkleTree<F>.verifyBatch(
                root: commitment.root, leafCount: parameters.codewordLength, leafIndices: indices,
                leafHashes: leafHashes, path: proof.path)
        } catch {
            throw .merkle(error)
        }
        // 5. Column checks: the k + 1 tests batched by a random combination (one row to encode
        //    instead of k + 1); if the batch fails, the tests one by one say which failed.
        var weights = [gamma]
        for claim in claims { weights.append(rowWeights(claim.point, parameters: parameters)) }
        var rows = [proof.proximityRow]
        rows += proof.evaluationRows
        let beta = batchingCoefficients(transcript: transcript, leafHashes: leafHashes, count: claims.count)
        let batchedRow = combine(rows, with: beta)
        let batchedWeights = combine(weights, with: beta)
        let batchedSymbols = encodedSymbols(
            rows: [batchedRow], positions: indices, parameters: parameters, directEvaluation: directEvaluation)
        if let (_, query) = firstColumnFailure(columns: proof.columns, weights: [batchedWeights], symbols: batchedSymbols) {
            let symbols = encodedSymbols(
                rows: rows, positions: indices, parameters: parameters, directEvaluation: directEvaluation)
            if let (row, failingQuery) = firstColumnFailure(columns: proof.columns, weights: weights, symbols: symbols) {
                if row == 0 { throw .proximityCheckFailed(column: indices[failingQuery]) }
                throw .evaluationRowMismatch(claim: row - 1, column: indices[failingQuery])
            }
            // Unreachable: the batched test is a linear combination of the individual ones.
            throw .proximityCheckFailed(column: indices[query])
        }
        // 6. Claims.
        for (j, claim) in claims.enumerated() {
            let columnWeights = eqTable(point: Array(claim.point[..<parameters.logColumns]))
            let row = proof.evaluationRows[j]
            var sum = E.zero
            for c in 0..<row.count { sum += row[c] * columnWeights[c] }
            guard sum == claim.value else { throw .claimMismatch(claim: j) }
        }
    }

    /// The coefficients `β ∈ E^k` batching the column tests: `1·(proximity test) + Σ_j β_j·(test j)`.
    /// Drawn from a *fork* of the transcript after the column indices, with the opened columns'
    /// leaf hashes absorbed, so they depend on every byte of the proof; the caller's transcript
    /// is left as the prover's (who never needs `β`). If any single test fails at a column, the
    /// batched test passes there only if `β` is a root of a nonzero affine form: probability
    /// `≤ 1/|E|` per proof.
    @inlinable
    static func batchingCoefficients(transcript: Transcript, leafHashes: [Digest32], count: Int) -> [E] {
        var fork = transcript
        var bytes = [UInt8]()
        bytes.reserveCapacity(Digest32.byteCount * leafHashes.count)
        for digest in leafHashes { digest.append(to: &bytes) }
        fork.absorb(label: LigeroLabel.leafHashes, bytes: bytes)
        return fork.challenges(label: LigeroLabel.batch, count: count, as: E.self)
    }

    /// `vectors[0] + Σ_j beta[j]·vectors[j + 1]` (equal lengths).
    @inlinable
    static func combine(_ vectors: [[E]], with beta: [E]) -> [E] {
        var out = vectors[0]
        out.withUnsafeMutableBufferPointer { o in
            for j in 0..<beta.count {
                let b = beta[j]
                vectors[j + 1].withUnsafeBufferPointer { v in
                    for i in 0..<o.count { o[i] += b * v[i] }
                }
            }
        }
        return out
    }

    @inlinable
    static func encodedSymbols(
        rows: [[E]], positions: [Int], parameters: LigeroParameters, directEvaluation: Bool
    ) -> [[E]] {
        directEvaluation
            ? encodedSymbolsDirectly(rows: rows, positions: positions, parameters: parameters)
            : encodedSymbolsByNTT(rows: rows, positions: positions, parameters: parameters)
    }

    /// Every length in `proof` against the parameters and the claim count.
    @inlinable
    static func checkShape(
        _ proof: LigeroOpeningProof<F, E>, claimCount: Int, parameters: LigeroParameters
    ) throws(LigeroError) {
        let C = parameters.columnCount, R = parameters.rowCount
        guard proof.proximityRow.count == C else {
            throw .malformedProof(.proximityRowLength(expected: C, got: proof.proximityRow.count))
        }
        guard proof.evaluationRows.count == claimCount else {
            throw .malformedProof(.evaluationRowCount(expected: claimCount, got: proof.evaluationRows.count))
        }
        for (j, row) in proof.evaluationRows.enumerated() where row.count != C {
            throw .malformedProof(.evaluationRowLength(claim: j, expected: C, got: row.count))
        }
        guard proof.columns.count == parameters.openedColumnCount else {
            throw .malformedProof(.columnCount(expected: parameters.openedColumnCount, got: proof.columns.count))
        }
        for (p, column) in proof.columns.enumerated() where column.count != R {
            throw .malformedProof(.columnLength(index: p, expected: R, got: column.count))
        }
        guard proof.path.siblings.count <= parameters.maximumPathLength else {
            throw .malformedProof(.pathTooLong(maximum: parameters.maximumPathLength, got: proof.path.siblings.count))
        }
    }

    /// The first failing check as `(row, query)`: row 0 is the proximity test, row `j + 1` the
    /// consistency test of claim `j`; proximity failures come first, then by claim, then by
    /// query in draw order. Parallel over queries.
    @inlinable
    static func firstColumnFailure(columns: [[F]], weights: [[E]], symbols: [[E]]) -> (Int, Int)? {
        let t = columns.count, K = weights.count
        var ok = [Bool](repeating: true, count: K * t)
        ok.withUnsafeMutableBufferPointer { okBuffer in
            let flags = okBuffer.baseAddress!
            parallelChunks(count: t, minimumChunk: 8) { queries in
                for p in queries {
                    columns[p].withUnsafeBufferPointer { column in
                        for j in 0..<K {
                            weights[j].withUnsafeBufferPointer { w in
                                var sum = E.zero
                                for r in 0..<column.count { sum += w[r] * column[r] }
                                flags[j * t + p] = sum == symbols[j][p]
                            }
                        }
                    }
                }
            }
        }
        guard let first = ok.firstIndex(of: false) else { return nil }
        return (first / t, first % t)
    }

    /// `Enc(row)[q]` for every row and queried position, by encoding each row in full (NTTs;
    /// requires `E == F`). Result indexed `[row][query]`.
    @inlinable
    static func encodedSymbolsByNTT(rows: [[E]], positions: [Int], parameters: LigeroParameters) -> [[E]] {
        precondition(E.self == F.self, "NTT encoding of challenge-field rows needs E == F")
        let encoder = ReedSolomonEncoder<F>(
            logMessageLength: parameters.logColumns, logInverseRate: parameters.logInverseRate)
        let n = parameters.codewordLength, C = parameters.columnCount, K = rows.count
        let fieldRows = rows.map { unsafeBitCast($0, to: [F].self) }
        let encoded = [F](unsafeUninitializedCapacity: K * n) { buffer, initialized in
            encoder.encodeRows(buffer.baseAddress!, rows: K, stride: n) { r, destination in
                fieldRows[r].withUnsafeBufferPointer { destination.initialize(from: $0.baseAddress!, count: C) }
                (destination + C).initialize(repeating: .zero, count: n - C)
            }
            initialized = K * n
        }
        return (0..<K).map { j in positions.map { q in unsafeBitCast(encoded[j * n + q], to: E.self) } }
    }

    /// `Enc(row)[q]` by evaluating each row's polynomial at the queried point directly: symbols of
    /// coset 0 are the row entries (systematic code); at `x = ω_n^(c + 2^L·i)` off `H` the
    /// polynomial with values `m` on `H = ⟨ω⟩` (order `C`) is the barycentric sum
    ///
    ///     p(x) = (x^C − 1)/C · Σ_l m_l · ω^l / (x − ω^l),
    ///
    /// whose weights lie in `F` and serve every row (`C` inversions batched per query, then
    /// `C` products `E × F` per row). Parallel over queries. Result indexed `[row][query]`.
    @inlinable
    static func encodedSymbolsDirectly(rows: [[E]], positions: [Int], parameters: LigeroParameters) -> [[E]] {
        let C = parameters.columnCount, b = parameters.logColumns, L = parameters.logInverseRate
        let K = rows.count, t = positions.count
        let domain = EvaluationDomain<F>(logSize: b)
        let powers = domain.elements
        let omegaN = F.rootOfUnity(logSize: b + L)
        let cInverse = F(UInt64(C)).inverse()!
        var flat = [E](repeating: .zero, count: K * t)
        flat.withUnsafeMutableBufferPointer { out in
            let o = out.baseAddress!
            parallelChunks(count: t, minimumChunk: 4) { queries in
                var weights = [F](repeating: .zero, count: C)
                for p in queries {
                    let q = positions[p]
                    let c = q >> b, i = q & (C - 1)
                    if c == 0 {
                        for j in 0..<K { o[j * t + p] = rows[j][i] }
                        continue
                    }
                    let x = omegaN.power(UInt64(c + (i << L)))
                    for l in 0..<C { weights[l] = x - powers[l] }
                    F.batchInvert(&weights)
                    let factor = (x.power(UInt64(C)) - F.one) * cInverse
                    for l in 0..<C { weights[l] *= factor * powers[l] }
                    for j in 0..<K {
                        var sum = E.zero
                        rows[j].withUnsafeBufferPointer { row in
                            for l in 0..<C { sum += row[l] * weights[l] }
                        }
                        o[j * t + p] = sum
                    }
                }
            }
        }
        return (0..<K).map { j in Array(flat[(j * t)..<((j + 1) * t)]) }
    }
}
