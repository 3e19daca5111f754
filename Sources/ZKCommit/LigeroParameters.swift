#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The public parameters of a Ligero commitment: the matrix shape, the code rate and the number
/// of column queries. They belong to the verification key: a verifier builds them from its own
/// data and never reads them from a proof.
///
/// A multilinear polynomial in `n` variables (its `N = 2^n` evaluations, index `i` with `x_1` the
/// lowest bit) is arranged row-major as an `R × C` matrix with `R = 2^a` rows (``logRows``) and
/// `C = 2^b` columns (``logColumns``), `a + b = n`: the low `b` variables select the column and
/// the high `a` variables the row. Each row is Reed–Solomon encoded with rate `ρ = 2^−L`
/// (``logInverseRate``, `L = 2` for `ρ = 1/4`) into `4C` symbols, and an opening queries
/// ``openedColumnCount`` = `min(t, 4C)` distinct columns of the encoded matrix (``queryCount``
/// `t = 149` by default).
///
/// ## Soundness
///
/// ``soundnessBits(challengeFieldBits:)`` is `−log₂ ε` for
///
///     ε = 2 · ((1 + ρ)/2)^t  +  (n_code + 1) / |E|,        n_code = C/ρ (the block length),
///
/// where the first term is the query error of the Ligero proximity and consistency tests and the
/// second the proximity-gap error of the random combination `γ` (`n_code/|E|`, drawn in the
/// challenge field `E`) plus the verifier's batching of its column tests (`1/|E|`).
/// With `ρ = 1/4`, `t = 149`: `2 · (5/8)^149 = 2^−100.03`, and for `E = Fr` (`|E| > 2^253`) the
/// second term is below `2^−220`: **100 bits**. When all `4C` columns are opened (tiny
/// polynomials) the query term vanishes. The theorem behind each term, and the reduction, are in
/// the ZKCommit article *Soundness*; in short: if the committed matrix is `δ`-far from the
/// interleaved code with `δ = (1 − ρ)/2` (its unique-decoding radius), then except with
/// probability `n_code/|E|` over `γ` (proximity gaps for Reed–Solomon codes within the
/// unique-decoding radius, [BCIKS20, Thm 1.2 and its affine-space extension]; Ligero [AHIV17 §4]) the combination
/// `γᵀU` is `δ`-far from every codeword and each query catches the prover with probability
/// `≥ δ = (1 − ρ)/2`; otherwise `U` decodes uniquely and a false evaluation row differs from the
/// decoded combination in `≥ (1 − ρ)·n_code` positions, of which at most `δ·n_code` are corrupted,
/// so each query catches it with probability `≥ 1 − ρ − δ = (1 − ρ)/2`. Both tests use the same
/// `t` distinct queries (sampling without replacement only lowers the miss probability), so each
/// term is at most `((1 + ρ)/2)^t` [Brakedown, GLSTW21 §4; Ligero AHIV17].
public struct LigeroParameters: Sendable, Hashable, CustomStringConvertible {
    /// `t = 149`: the least query count with `2 · (5/8)^t ≤ 2^−100` at rate 1/4.
    public static let defaultQueryCount = 149
    /// `L = 2`: rate `ρ = 1/4`.
    public static let defaultLogInverseRate = 2
    /// The largest `n` accepted (far beyond memory; keeps every size computation in range).
    public static let maximumNumVariables = 40

    /// `n`: the polynomial has `2^n` evaluations.
    public let numVariables: Int
    /// `a`: the matrix has `R = 2^a` rows (the high `a` variables).
    public let logRows: Int
    /// `L`: the code rate is `ρ = 2^−L`.
    public let logInverseRate: Int
    /// `t`: the number of distinct column queries per opening (capped at the block length).
    public let queryCount: Int

    /// Parameters with an explicit shape.
    /// - Throws: ``LigeroError/invalidParameters(reason:)`` unless `0 ≤ logRows ≤ numVariables ≤ 40`,
    ///   `1 ≤ logInverseRate ≤ 8` and `queryCount ≥ 1`.
    public init(
        numVariables: Int, logRows: Int, logInverseRate: Int = defaultLogInverseRate,
        queryCount: Int = defaultQueryCount
    ) throws(LigeroError) {
        guard numVariables >= 0, numVariables <= LigeroParameters.maximumNumVariables else {
            throw .invalidParameters(reason: "numVariables \(numVariables) outside 0...\(LigeroParameters.maximumNumVariables)")
        }
        guard logRows >= 0, logRows <= numVariables else {
            throw .invalidParameters(reason: "logRows \(logRows) outside 0...\(numVariables)")
        }
        guard logInverseRate >= 1, logInverseRate <= 8 else {
            throw .invalidParameters(reason: "logInverseRate \(logInverseRate) outside 1...8")
        }
        guard queryCount >= 1, queryCount <= 1 << 20 else {
            throw .invalidParameters(reason: "queryCount \(queryCount) outside 1...\(1 << 20)")
        }
        self.numVariables = numVariables
        self.logRows = logRows
        self.logInverseRate = logInverseRate
        self.queryCount = queryCount
    }

    /// Parameters with the shape that minimises the expected opening-proof size for
    /// `expectedClaims` claims per opening: the `a` minimising
    /// ``estimatedProofByteCount(claims:fieldByteCount:challengeByteCount:)``, about
    /// `R ≈ √((k + 1)·N / t)` rows (`√(2N/149)` for one claim). Ties go to fewer rows.
    public init(
        numVariables: Int, expectedClaims: Int = 1, logInverseRate: Int = defaultLogInverseRate,
        queryCount: Int = defaultQueryCount, fieldByteCount: Int = 32, challengeByteCount: Int = 32
    ) throws(LigeroError) {
        var best = try LigeroParameters(
            numVariables: numVariables, logRows: 0, logInverseRate: logInverseRate, queryCount: queryCount)
        var bestBytes = best.estimatedProofByteCount(
            claims: expectedClaims, fieldByteCount: fieldByteCount, challengeByteCount: challengeByteCount)
        if numVariables > 0 {
            for a in 1...numVariables {
                let candidate = try LigeroParameters(
                    numVariables: numVariables, logRows: a, logInverseRate: logInverseRate, queryCount: queryCount)
                let bytes = candidate.estimatedProofByteCount(
                    claims: expectedClaims, fieldByteCount: fieldByteCount, challengeByteCount: challengeByteCount)
                if bytes < bestBytes { (best, bestBytes) = (candidate, bytes) }
            }
        }
        self = best
    }

    /// `b = n − a`: the matrix has `C = 2^b` columns (the low `b` variables).
    public var logColumns: Int { numVariables - logRows }
    /// `R = 2^a`.
    public var rowCount: Int { 1 << logRows }
    /// `C = 2^b`, the message length of the row code.
    public var columnCount: Int { 1 << logColumns }
    /// `C/ρ = 2^(b+L)`: the length of an encoded row, i.e. the number of Merkle leaves.
    public var codewordLength: Int { columnCount << logInverseRate }
    /// `ρ = 2^−L`.
    public var rate: Double { 1 / Double(1 << logInverseRate) }
    /// The number of columns an opening reveals: `min(t, C/ρ)`.
    public var openedColumnCount: Int { min(queryCount, codewordLength) }

    /// The largest number of digests a batch authentication path of ``openedColumnCount``
    /// leaves can hold (a bound the decoder enforces before allocating).
    public var maximumPathLength: Int { openedColumnCount * (logColumns + logInverseRate) }

    /// `2 · ((1 + ρ)/2)^t`, the query term of the soundness error (0 when every column is opened).
    public var queryErrorLog2: Double {
        if openedColumnCount >= codewordLength { return -Double.infinity }
        return 1 + Double(openedColumnCount) * log2((1 + rate) / 2)
    }

    /// `−log₂ ε` with `ε = 2·((1 + ρ)/2)^t + (C/ρ + 1)/|E|` for a challenge field of at least
    /// `2^challengeFieldBits` elements (see the type's documentation).
    public func soundnessBits(challengeFieldBits: Double) -> Double {
        let fieldTermLog2 = log2(Double(codewordLength) + 1) - challengeFieldBits
        let queryTermLog2 = queryErrorLog2
        let larger = max(fieldTermLog2, queryTermLog2)
        let smaller = min(fieldTermLog2, queryTermLog2)
        // log2(2^x + 2^y) = x + log2(1 + 2^(y − x)) for x ≥ y.
        return -(larger + log2(1 + exp2(smaller - larger)))
    }

    /// ``soundnessBits(challengeFieldBits:)`` for the BN254 scalar field as the challenge field
    /// (`|E| = p > 2^253`): 100.03 bits with the default rate and query count.
    public var soundnessBits: Double { soundnessBits(challengeFieldBits: 253) }

    /// The expected size of an opening proof with `claims` claims: `(k + 1)·C` challenge-field
    /// elements (the proximity and evaluation rows), `t·R` base-field elements (the opened
    /// columns), the expected number of batch-path digests for `t` random distinct leaves, and
    /// the fixed header of the encoding.
    public func estimatedProofByteCount(claims: Int, fieldByteCount: Int = 32, challengeByteCount: Int = 32) -> Int {
        let rows = (claims + 1) * columnCount * challengeByteCount
        let columns = openedColumnCount * rowCount * fieldByteCount
        return LigeroOpeningProofEncoding.headerByteCount + rows + columns + 32 * expectedPathLength
    }

    /// The expected number of digests in a batch path of `t` distinct uniform leaves out of
    /// `n = C/ρ`: at height `h`, a node is known with probability `p_h ≈ 1 − (1 − 2^h/n)^t`, the
    /// known count is `K_h = (n/2^h)·p_h`, and a sibling is sent for every known node whose
    /// sibling is unknown: `2·K_(h+1) − K_h`.
    public var expectedPathLength: Int {
        let n = Double(codewordLength), t = Double(openedColumnCount)
        let depth = logColumns + logInverseRate
        func known(_ h: Int) -> Double {
            let width = Double(1 << h)
            return (n / width) * (1 - pow(max(0, 1 - width / n), t))
        }
        var total = 0.0
        for h in 0..<depth { total += 2 * known(h + 1) - known(h) }
        return Int(total.rounded())
    }

    public var description: String {
        "Ligero(n=\(numVariables), \(rowCount)×\(columnCount), rate 1/\(1 << logInverseRate), t=\(openedColumnCount))"
    }
}
