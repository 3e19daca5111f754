public import ZKField
public import ZKMerkle
public import ZKSodium
public import ZKTranscript
public import ZKPoly
import ZKParallel
import ZKWire

/// A Ligero opening of `k` evaluation claims: the proximity row `v = γᵀM`, one evaluation row
/// `u_j = eq(z_j,hi)ᵀM` per claim, the `t` queried columns of the encoded matrix (in the order the
/// transcript drew their indices; the indices themselves are not sent) and one Merkle batch path.
///
/// Size: `(k + 1)·C` elements of `E`, `t·R` elements of `F`, and the path's digests (see
/// ``LigeroParameters/estimatedProofByteCount(claims:fieldByteCount:challengeByteCount:)``).
public struct LigeroOpeningProof<F: PrimeField, E: ExtensionField>: Sendable, Hashable where E.BaseField == F {
    /// `v = γᵀM ∈ E^C`.
    public var proximityRow: [E]
    /// `u_j = eq(z_j,hi)ᵀ M ∈ E^C`, one per claim, in claim order.
    public var evaluationRows: [[E]]
    /// The opened columns `U[·][q]` (`R` elements each), in query order.
    public var columns: [[F]]
    /// Authenticates all opened columns against the root.
    public var path: MerkleBatchPath

    @inlinable
    public init(proximityRow: [E], evaluationRows: [[E]], columns: [[F]], path: MerkleBatchPath) {
        self.proximityRow = proximityRow
        self.evaluationRows = evaluationRows
        self.columns = columns
        self.path = path
    }
}

// MARK: - Transcript

/// Labels of the transcript records of a Ligero opening (part of the proof format).
@usableFromInline
enum LigeroLabel {
    @usableFromInline static let root = "ligero.v1.root"
    @usableFromInline static let parameters = "ligero.v1.parameters"
    @usableFromInline static let claimCount = "ligero.v1.claim-count"
    @usableFromInline static let point = "ligero.v1.point"
    @usableFromInline static let value = "ligero.v1.value"
    @usableFromInline static let gamma = "ligero.v1.gamma"
    @usableFromInline static let proximityRow = "ligero.v1.proximity-row"
    @usableFromInline static let evaluationRow = "ligero.v1.evaluation-row"
    @usableFromInline static let columns = "ligero.v1.columns"
    /// Verifier-only, on a fork of the transcript (see `batchingCoefficients`).
    @usableFromInline static let leafHashes = "ligero.v1.leaf-hashes"
    @usableFromInline static let batch = "ligero.v1.batch"
}

extension Ligero {
    /// Steps 1–2 of an opening, shared by prover and verifier: absorb the root, the parameters
    /// (`n`, `a`, `L`, `t`) and the field ids, then every claim; draw `γ ∈ E^R`.
    @inlinable
    static func absorbStatement(
        root: Digest32, parameters: LigeroParameters, claims: [EvaluationClaim<E>], transcript: inout Transcript
    ) -> [E] {
        transcript.absorb(label: LigeroLabel.root, digest: root)
        var bytes = [UInt8]()
        for value in [parameters.numVariables, parameters.logRows, parameters.logInverseRate, parameters.queryCount] {
            let v = UInt64(value)
            for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * k))) }
        }
        for id in [F.fieldID, E.fieldID] {
            bytes.append(UInt8(truncatingIfNeeded: id.utf8.count))
            bytes.append(contentsOf: id.utf8)
        }
        transcript.absorb(label: LigeroLabel.parameters, bytes: bytes)
        transcript.absorb(label: LigeroLabel.claimCount, integer: UInt64(claims.count))
        for claim in claims {
            transcript.absorb(label: LigeroLabel.point, elements: claim.point)
            transcript.absorb(label: LigeroLabel.value, element: claim.value)
        }
        return transcript.challenges(label: LigeroLabel.gamma, count: parameters.rowCount, as: E.self)
    }

    /// Steps 3–4: absorb the rows, draw the distinct column indices.
    @inlinable
    static func absorbRowsAndDrawColumns(
        proximityRow: [E], evaluationRows: [[E]], parameters: LigeroParameters, transcript: inout Transcript
    ) throws(LigeroError) -> [Int] {
        transcript.absorb(label: LigeroLabel.proximityRow, elements: proximityRow)
        for row in evaluationRows { transcript.absorb(label: LigeroLabel.evaluationRow, elements: row) }
        do {
            return try transcript.challengeIndices(
                label: LigeroLabel.columns, count: parameters.openedColumnCount, upperBound: parameters.codewordLength,
                distinct: true)
        } catch {
            throw .invalidParameters(reason: "cannot draw \(parameters.openedColumnCount) columns of \(parameters.codewordLength)")
        }
    }

    /// Checks the claims' shape against `n`.
    @inlinable
    static func checkClaims(_ claims: [EvaluationClaim<E>], numVariables: Int) throws(LigeroError) {
        guard !claims.isEmpty else { throw .noClaims }
        for (j, claim) in claims.enumerated() where claim.point.count != numVariables {
            throw .wrongPointDimension(claim: j, expected: numVariables, got: claim.point.count)
        }
    }

    /// `eq(z_hi, ·)` over the `R` rows: the row weights of an evaluation row.
    @inlinable
    static func rowWeights(_ point: [E], parameters: LigeroParameters) -> [E] {
        eqTable(point: Array(point[parameters.logColumns...]))
    }

    // MARK: - Open

    /// Proves `claims` about the committed polynomial (see ``Ligero`` for the protocol). The
    /// claimed values are absorbed as given and not checked: a false value produces a proof the
    /// verifier rejects (``LigeroError/claimMismatch(claim:)``).
    /// - Throws: ``LigeroError/noClaims``, ``LigeroError/wrongPointDimension(claim:expected:got:)``.
    @inlinable
    public static func open(
        _ data: LigeroProverData<F>, claims: [EvaluationClaim<E>], transcript: inout Transcript
    ) throws(LigeroError) -> LigeroOpeningProof<F, E> {
        try openImplementation(data, claims: claims, transcript: &transcript, tamperingRows: nil)
    }

    /// ``open(_:claims:transcript:)`` with a hook that may change the rows before they are
    /// absorbed (the proof stays consistent with the transcript): how tests play a malicious
    /// prover that lies about `v` or `u_j` and then answers the queries honestly.
    @_spi(Testing)
    public static func open(
        _ data: LigeroProverData<F>, claims: [EvaluationClaim<E>], transcript: inout Transcript,
        tamperingRows: ((inout [E], inout [[E]]) -> Void)?
    ) throws(LigeroError) -> LigeroOpeningProof<F, E> {
        try openImplementation(data, claims: claims, transcript: &transcript, tamperingRows: tamperingRows)
    }

    @inlinable
    static func openImplementation(
        _ data: LigeroProverData<F>, claims: [EvaluationClaim<E>], transcript: inout Transcript,
        tamperingRows: ((inout [E], inout [[E]]) -> Void)?
    ) throws(LigeroError) -> LigeroOpeningProof<F, E> {
        let parameters = data.parameters
        try checkClaims(claims, numVariables: parameters.numVariables)
        let gamma = absorbStatement(
            root: data.commitment.root, parameters: parameters, claims: claims, transcript: &transcript)
        var weights = [gamma]
        for claim in claims { weights.append(rowWeights(claim.point, parameters: parameters)) }
        var rows = combineRows(data, weights: weights)
        var proximityRow = rows.removeFirst()
        if let tamperingRows { tamperingRows(&proximityRow, &rows) }
        let indices = try absorbRowsAndDrawColumns(
            proximityRow: proximityRow, evaluationRows: rows, parameters: parameters, transcript: &transcript)
        let columns = try data.openedColumns(indices)
        let path: MerkleBatchPath
        do { path = try data.tree.batchAuthenticationPath(leafIndices: indices) } catch { throw .merkle(error) }
        return LigeroOpeningProof(proximityRow: proximityRow, evaluationRows: rows, columns: columns, path: path)
    }

    /// `out[w] = weights[w]ᵀ · M` for every weight vector (`R` entries each), parallel over
    /// column blocks. Uses the small-integer kernel when the matrix came from integers and
    /// `E == F`; otherwise `E × F` products with the systematic part of `U`.
    @inlinable
    static func combineRows(_ data: LigeroProverData<F>, weights: [[E]]) -> [[E]] {
        let parameters = data.parameters
        let R = parameters.rowCount, C = parameters.columnCount
        if E.self == F.self {
            let fieldWeights = weights.map { unsafeBitCast($0, to: [F].self) }
            let combined: [[F]]?
            switch data.smallIntegers {
            case .none: combined = nil
            case .int8(let ints): combined = combineSmallIntegers(ints, rows: R, columns: C, weights: fieldWeights)
            case .int16(let ints): combined = combineSmallIntegers(ints, rows: R, columns: C, weights: fieldWeights)
            case .int32(let ints): combined = combineSmallIntegers(ints, rows: R, columns: C, weights: fieldWeights)
            }
            if let combined { return combined.map { unsafeBitCast($0, to: [E].self) } }
        }
        let K = weights.count
        var flatWeights = [E]()
        flatWeights.reserveCapacity(K * R)
        for w in weights { flatWeights += w }
        var flat = [E](repeating: .zero, count: K * C)
        flat.withUnsafeMutableBufferPointer { out in
            let o = out.baseAddress!
            data.encoded.withUnsafeBufferPointer { u in
                flatWeights.withUnsafeBufferPointer { g in
                    // U is column-major and its first C columns are M's: column c of M is u[c·R ..< c·R + R].
                    let m = u.baseAddress!, gamma = g.baseAddress!
                    parallelChunks(count: C, minimumChunk: max(16, 1 << 14 / max(1, R * K))) { columns in
                        for c in columns {
                            let column = m + c * R
                            for j in 0..<K {
                                let coefficients = gamma + j * R
                                var sum = E.zero
                                for r in 0..<R { sum += coefficients[r] * column[r] }
                                o[j * C + c] = sum
                            }
                        }
                    }
                }
            }
        }
        return (0..<K).map { j in Array(flat[(j * C)..<((j + 1) * C)]) }
    }

    /// The small-integer row combinations, all weight vectors in one call of
    /// ``SmallIntegerKernels/combineRows(_:columns:coefficientVectors:)``: the kernel skips rows
    /// whose weight is zero (a claim on one tensor weights only the rows holding it) and splits the
    /// columns over threads once for all vectors.
    @inlinable
    static func combineSmallIntegers<I: FixedWidthInteger & SignedInteger>(
        _ matrix: [I], rows R: Int, columns C: Int, weights: [[F]]
    ) -> [[F]] {
        matrix.withUnsafeBufferPointer { m in
            precondition(m.count == R * C, "committed matrix has the wrong size")
            return F.combineRows(m, columns: C, coefficientVectors: weights)
        }
    }
}

extension LigeroProverData {
    /// Commits to an arbitrary `R × C/ρ` matrix (row-major, as ``encodedMatrix``) as if it were an
    /// encoding — *not* necessarily a codeword matrix. Only for tests that play a malicious prover.
    @_spi(Testing)
    public init(unsafeEncodedMatrix encoded: [F], parameters: LigeroParameters) throws(LigeroError) {
        try parameters.checkSupported(by: F.self)
        guard encoded.count == parameters.rowCount * parameters.codewordLength else {
            throw .wrongEvaluationCount(expected: parameters.rowCount * parameters.codewordLength, got: encoded.count)
        }
        let columns = encoded.withUnsafeBufferPointer {
            Self.transposed($0, rows: parameters.rowCount, columns: parameters.codewordLength)
        }
        try self.init(parameters: parameters, encoded: columns, smallIntegers: .none)
    }

    /// The columns `U[·][q]` at `indices`, each checked against its Merkle leaf before it is
    /// sent when `U` was read from storage (``isStored``; a matrix encoded in this process is its
    /// tree's by construction). `U` may be a stored key's bytes, mapped and never checked as a whole (that would
    /// touch every page of tens of MiB on every proof; the columns are copied with `pread`, see
    /// ``ZKWire/ElementStorage/elements(_:)``); a column is exactly its leaf's
    /// preimage, so hashing it again (`R` elements, microseconds) catches a damaged column the
    /// one time it matters — when an opening sends it — and damage elsewhere cannot change a
    /// proof. The leaf hashes themselves are the tree's, whose root the caller has compared with
    /// the commitment it trusts. (A column that hashes alike is the same field elements: the leaf
    /// hashes canonical encodings, which are what the proof carries.)
    /// - Throws: ``LigeroError/damagedColumn(index:)``.
    @inlinable
    func openedColumns(_ indices: [Int]) throws(LigeroError) -> [[F]] {
        let R = parameters.rowCount
        var scratch = [UInt8]()
        var columns = [[F]]()
        columns.reserveCapacity(indices.count)
        for q in indices {
            guard let column = encoded.elements((q * R)..<(q * R + R)),
                  !isStored || MerkleHash.leaf(count: R, scratch: &scratch, element: { column[$0] }) == tree.leafHash(at: q)
            else { throw .damagedColumn(index: q) }
            columns.append(column)
        }
        return columns
    }

    /// `f̃(point)` for the committed polynomial (`E ⊇ F`).
    @inlinable
    public func evaluate<E: ExtensionField>(at point: [E]) -> E where E.BaseField == F {
        precondition(point.count == parameters.numVariables, "point has the wrong dimension")
        let weights = Ligero<F, E>.rowWeights(point, parameters: parameters)
        let row = Ligero<F, E>.combineRows(self, weights: [weights])[0]
        let columnWeights = eqTable(point: Array(point[..<parameters.logColumns]))
        var sum = E.zero
        for c in 0..<row.count { sum += row[c] * columnWeights[c] }
        return sum
    }
}
