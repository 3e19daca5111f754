public import ZKMerkle

/// Why a Ligero commitment could not be made or an opening was rejected. Every check of the
/// verifier has its own case, so a test (or a log) says exactly which one failed.
public enum LigeroError: Error, Equatable, Sendable {
    // MARK: Parameters and inputs

    /// The parameters describe no valid commitment (the reason says which constraint failed).
    case invalidParameters(reason: String)
    /// `commit` was given `got` evaluations; the parameters fix `expected = 2^numVariables`.
    case wrongEvaluationCount(expected: Int, got: Int)
    /// A small-integer source entry (at `index`) is outside the range the integer kernels accept
    /// (`|w| ≤ 2^30`).
    case integerOutOfRange(index: Int)
    /// The commitment's `numVariables` differs from the verifier's parameters.
    case commitmentMismatch(expectedVariables: Int, got: Int)
    /// An opening needs at least one claim.
    case noClaims
    /// Claim `claim` has a point with `got` coordinates; the polynomial has `expected` variables.
    case wrongPointDimension(claim: Int, expected: Int, got: Int)
    /// The prover's stored column `index` of `U` does not hash to its Merkle leaf: the prover
    /// data (a proving key read from disk) is damaged. Raised by an opening, before anything is
    /// sent.
    case damagedColumn(index: Int)

    // MARK: Proof shape (checked before anything else is computed)

    /// A length or count in the proof differs from what the parameters and claims fix.
    case malformedProof(LigeroProofShapeError)

    // MARK: Verification checks

    /// The opened columns do not authenticate against the committed root.
    case merkle(MerkleError)
    /// At codeword position `column` (a queried column), `Enc(v)[column] ≠ Σ_r γ_r · U[r][column]`:
    /// the proximity row `v` is not the γ-combination of the committed rows there.
    case proximityCheckFailed(column: Int)
    /// At codeword position `column`, `Enc(u_j)[column] ≠ Σ_r eq(z_j,hi)_r · U[r][column]` for
    /// claim `j = claim`.
    case evaluationRowMismatch(claim: Int, column: Int)
    /// `⟨u_j, eq(z_j,lo)⟩ ≠ v_j` for claim `j = claim`: the claimed value is not the evaluation.
    case claimMismatch(claim: Int)
}

/// Which length of an opening proof is wrong (``LigeroError/malformedProof(_:)``).
public enum LigeroProofShapeError: Error, Equatable, Sendable {
    /// The proximity row has `got` entries; it must have one per matrix column (`expected`).
    case proximityRowLength(expected: Int, got: Int)
    /// The proof holds `got` evaluation rows; there must be one per claim (`expected`).
    case evaluationRowCount(expected: Int, got: Int)
    /// Evaluation row `claim` has `got` entries instead of `expected`.
    case evaluationRowLength(claim: Int, expected: Int, got: Int)
    /// The proof opens `got` columns; the parameters fix `expected`.
    case columnCount(expected: Int, got: Int)
    /// Opened column number `index` (in query order) has `got` entries instead of one per row (`expected`).
    case columnLength(index: Int, expected: Int, got: Int)
    /// The batch authentication path holds `got` digests, more than any valid path (`maximum`).
    case pathTooLong(maximum: Int, got: Int)
}

/// Why bytes are not a valid encoding of a Ligero commitment or opening proof.
public enum LigeroDecodingError: Error, Equatable, Sendable {
    /// The input ended early: `needed` more bytes at `offset`, only `available` left.
    case truncated(offset: Int, needed: Int, available: Int)
    /// The first bytes are not the expected magic (another object, or garbage).
    case badMagic
    /// A format version this code does not read.
    case unsupportedVersion(UInt16)
    /// The encoded field id differs from the field in use (`expected`).
    case fieldMismatch(expected: String, got: String)
    /// A count or size field (`field`) differs from the value the parameters fix.
    case countMismatch(field: String, expected: Int, got: Int)
    /// A count field (`field`) exceeds the largest value the parameters allow.
    case countTooLarge(field: String, maximum: Int, got: Int)
    /// The field element at `offset` is not a canonical encoding.
    case nonCanonicalElement(offset: Int)
    /// `count` bytes follow the end of the object.
    case trailingBytes(count: Int)
}
