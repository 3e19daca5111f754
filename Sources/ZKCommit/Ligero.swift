public import ZKField
public import ZKMerkle
public import ZKSodium
public import ZKWire
import ZKPoly
import ZKParallel

/// The Ligero-style multilinear polynomial commitment: Reed–Solomon encoded rows, a BLAKE2b
/// Merkle tree over the columns, and openings by random row combinations and column queries
/// [AHIV17 Ligero; GLSTW21 Brakedown]. Transparent (no setup), plausibly post-quantum, proofs of
/// `O(√N)` field elements. Not zero-knowledge: the opened rows and columns reveal the data.
///
/// `F` is the field of the committed evaluations, `E` the challenge field (points, values and
/// the verifier's random combinations); for BN254 both are `Fr` (`Ligero<Fr, Fr>`).
///
/// ## The scheme
///
/// **Matrix.** A multilinear `f` in `n` variables, given by `f[i]` for `i < 2^n` (`x_1` the
/// lowest bit of `i`), is the `R × C` matrix `M[row][col] = f[row·C + col]` (`R = 2^a`,
/// `C = 2^b`, ``LigeroParameters``). The low `b` variables pick the column, the high `a` the
/// row, so for `z = (z_lo, z_hi)`, `z_lo = z[0 ..< b]`, `z_hi = z[b ..< n]`:
///
///     f(z) = Σ_{row,col} eq(z_hi, row)·M[row][col]·eq(z_lo, col) = eq(z_hi)ᵀ · M · eq(z_lo).
///
/// **Commit.** Each row is encoded with the rate-`ρ` Reed–Solomon code of
/// ``ReedSolomonEncoder`` (`C` symbols → `C/ρ`), giving `U = Enc(M)` (`R × C/ρ`); the Merkle
/// tree has one leaf per *column* of `U` (`R` elements each). The commitment is the root (and
/// `n`). The prover keeps `U` (whose first `C` columns are `M`, the code being systematic), the
/// tree and, for quantized data, the small-integer matrix.
///
/// **Open** claims `f(z_j) = y_j`, `j = 1 … k`, with the transcript (order fixed):
/// 1. absorb the root and the parameters, then every point `z_j` and value `y_j`;
/// 2. draw the proximity combination `γ ∈ E^R` (after the root: in every opening);
/// 3. the prover sends `v = γᵀM` and `u_j = eq(z_j,hi)ᵀ·M` (all in `E^C`), absorbed;
/// 4. draw `t` distinct column indices `Q ⊂ [0, C/ρ)`;
/// 5. the prover sends the columns `U[·][q]`, `q ∈ Q`, and one Merkle batch path.
///
/// **Verify** (parameters from the caller): check every length; Merkle-verify the columns; with
/// `Enc` linear, check at every `q ∈ Q`
///
///     Enc(v)[q]   = Σ_r γ_r · U[r][q]                (proximity test)
///     Enc(u_j)[q] = Σ_r eq(z_j,hi)_r · U[r][q]       (consistency test, each j)
///
/// and finally `⟨u_j, eq(z_j,lo)⟩ = y_j`. Soundness: see ``LigeroParameters`` and the
/// *Soundness* article.
///
/// ```swift
/// let parameters = try LigeroParameters(numVariables: 17)
/// let (commitment, data) = try Ligero<Fr, Fr>.commit(evaluations: values, parameters: parameters)
/// var proverTranscript = Transcript(protocolLabel: "example.v1")
/// let proof = try Ligero<Fr, Fr>.open(data, claims: [claim], transcript: &proverTranscript)
/// var verifierTranscript = Transcript(protocolLabel: "example.v1")
/// try Ligero<Fr, Fr>.verify(commitment, claims: [claim], proof: proof, parameters: parameters,
///                           transcript: &verifierTranscript)
/// ```
public enum Ligero<F: PrimeField, E: ExtensionField>: MultilinearCommitmentScheme where E.BaseField == F {
    public typealias Field = F
    public typealias Challenge = E
    public typealias Parameters = LigeroParameters
    public typealias Commitment = LigeroCommitment
    public typealias ProverData = LigeroProverData<F>
    public typealias OpeningProof = LigeroOpeningProof<F, E>
    public typealias Failure = LigeroError

    /// Commits to `evaluations` (`2^numVariables` of them).
    @inlinable
    public static func commit(
        evaluations: [F], parameters: LigeroParameters
    ) throws(LigeroError) -> (commitment: LigeroCommitment, data: LigeroProverData<F>) {
        let data = try LigeroProverData(evaluations: evaluations, parameters: parameters)
        return (data.commitment, data)
    }

    /// Commits to small signed integers (quantized weights), embedded in `F` (negatives as
    /// `p − |w|`). The commitment equals that of the lifted field elements; openings combine the
    /// integer matrix with the small-integer kernels (``SmallIntegerKernels``), about 12× cheaper
    /// than field multiplications for int8.
    @inlinable
    public static func commit<W: FixedWidthInteger & SignedInteger>(
        smallIntegers values: [W], parameters: LigeroParameters
    ) throws(LigeroError) -> (commitment: LigeroCommitment, data: LigeroProverData<F>) {
        let data = try LigeroProverData<F>(smallIntegers: values, parameters: parameters)
        return (data.commitment, data)
    }
}

/// What a verifier holds of a Ligero commitment: the Merkle root over the encoded matrix's
/// columns, and the number of variables (which its parameters must match).
public struct LigeroCommitment: Sendable, Hashable {
    /// `n`.
    public let numVariables: Int
    /// The root of the column tree.
    public let root: Digest32

    @inlinable
    public init(numVariables: Int, root: Digest32) {
        self.numVariables = numVariables
        self.root = root
    }
}

/// The committed matrix kept as the small integers it came from, for fast openings.
@usableFromInline
enum LigeroSmallIntegerSource: Sendable {
    case none
    case int8([Int8])
    case int16([Int16])
    case int32([Int32])
}

/// The prover's side of a Ligero commitment: the encoded matrix `U` (`R × C/ρ`; the first `C`
/// entries of each row are the row of `M` itself, the code being systematic), the column Merkle
/// tree, and the small-integer matrix when committed from integers.
///
/// `U` is kept **column-major**: column `q`, the `R` symbols under Merkle leaf `q`, is
/// `encoded[q·R ..< (q+1)·R]`. An opening reads only its `t` queried columns, so a stored key's
/// `U` is touched in `t` contiguous runs of `R` elements, not across every row — and each run is
/// exactly the preimage of its leaf, which is how the prover checks a stored column before it
/// sends it (``LigeroError/damagedColumn(index:)``).
///
/// For a commitment to weights this is the proving key's part: `R·C/ρ` field elements (4× the
/// data at rate 1/4) plus `2·C/ρ` digests.
public struct LigeroProverData<F: PrimeField>: Sendable {
    /// The parameters committed with.
    public let parameters: LigeroParameters
    /// The commitment (root and `n`).
    public let commitment: LigeroCommitment
    /// `U`, column-major, `C/ρ` columns of `R` symbols: an array, or a stored key's bytes used in
    /// place (whose columns are checked against their leaves when opened).
    @usableFromInline let encoded: ElementStorage<F>
    /// The Merkle tree over the columns of `U`.
    @usableFromInline let tree: MerkleTree<F>
    /// The integer matrix, when committed from one.
    @usableFromInline let smallIntegers: LigeroSmallIntegerSource
    /// Whether `U` was read from storage (a proving key) rather than encoded in this process:
    /// then an opening checks each column it sends against its leaf
    /// (``LigeroError/damagedColumn(index:)``); columns encoded here are their leaves' by
    /// construction.
    @usableFromInline let isStored: Bool

    /// Encodes and commits `evaluations`.
    /// - Throws: ``LigeroError/wrongEvaluationCount(expected:got:)``,
    ///   ``LigeroError/invalidParameters(reason:)`` (a row code too long for `F`'s two-adicity).
    @inlinable
    public init(evaluations: [F], parameters: LigeroParameters) throws(LigeroError) {
        try LigeroProverData.check(parameters, count: evaluations.count)
        let encoded = evaluations.withUnsafeBufferPointer { source in
            LigeroProverData.encodeMatrix(parameters: parameters) { row, destination in
                destination.initialize(from: source.baseAddress! + row * parameters.columnCount, count: parameters.columnCount)
            }
        }
        try self.init(parameters: parameters, encoded: encoded, smallIntegers: .none)
    }

    /// Encodes and commits small signed integers (see ``Ligero/commit(smallIntegers:parameters:)``).
    /// `Int8` and `Int16` matrices are kept as they are; other widths are kept as `Int32` and
    /// must lie within `±2^30` (the integer kernels' range).
    /// - Throws: ``LigeroError/integerOutOfRange(index:)`` and the errors of ``init(evaluations:parameters:)``.
    @inlinable
    public init<W: FixedWidthInteger & SignedInteger>(
        smallIntegers values: [W], parameters: LigeroParameters
    ) throws(LigeroError) {
        try LigeroProverData.check(parameters, count: values.count)
        let source: LigeroSmallIntegerSource
        if W.self == Int8.self {
            source = .int8(unsafeBitCast(values, to: [Int8].self))
        } else if W.self == Int16.self {
            source = .int16(unsafeBitCast(values, to: [Int16].self))
        } else {
            var narrowed = [Int32]()
            narrowed.reserveCapacity(values.count)
            for (index, value) in values.enumerated() {
                guard value.magnitude <= 1 << 30 else { throw .integerOutOfRange(index: index) }
                narrowed.append(Int32(value))
            }
            source = .int32(narrowed)
        }
        let C = parameters.columnCount
        func encode<I: FixedWidthInteger & SignedInteger>(_ ints: [I]) -> [F] {
            ints.withUnsafeBufferPointer { source in
                LigeroProverData.encodeMatrix(parameters: parameters) { row, destination in
                    let s = source.baseAddress! + row * C
                    for j in 0..<C { (destination + j).initialize(to: F(Int64(s[j]))) }
                }
            }
        }
        let encoded: [F]
        switch source {
        case .int8(let ints): encoded = encode(ints)
        case .int16(let ints): encoded = encode(ints)
        case .int32(let ints): encoded = encode(ints)
        case .none: preconditionFailure("unreachable")
        }
        try self.init(parameters: parameters, encoded: encoded, smallIntegers: source)
    }

    /// Builds the tree over an already encoded matrix (column-major). Internal: honest callers go through the
    /// initialisers above; tests use it (through ``init(unsafeEncodedMatrix:parameters:)``) to
    /// commit to a matrix that is *not* a codeword, as a malicious prover would.
    @inlinable
    init(parameters: LigeroParameters, encoded: [F], smallIntegers: LigeroSmallIntegerSource) throws(LigeroError) {
        let tree: MerkleTree<F>
        do {
            tree = try MerkleTree<F>(flatRows: encoded, rowWidth: parameters.rowCount)
        } catch {
            throw .merkle(error)
        }
        self.init(
            parameters: parameters, encoded: ElementStorage(encoded), tree: tree, smallIntegers: smallIntegers, isStored: false)
    }

    /// Assembles the parts as they are: the caller vouches that `tree` is the column tree of
    /// `encoded` and `encoded` the encoding of `smallIntegers` (setup above), or says that
    /// `encoded` is stored (a key read back by ``init(reading:)``), whose columns are then
    /// checked against the tree when opened.
    @inlinable
    init(
        parameters: LigeroParameters, encoded: ElementStorage<F>, tree: MerkleTree<F>, smallIntegers: LigeroSmallIntegerSource,
        isStored: Bool
    ) {
        self.parameters = parameters
        self.encoded = encoded
        self.tree = tree
        self.smallIntegers = smallIntegers
        self.isStored = isStored
        self.commitment = LigeroCommitment(numVariables: parameters.numVariables, root: tree.root)
    }

    @inlinable
    static func check(_ parameters: LigeroParameters, count: Int) throws(LigeroError) {
        try parameters.checkSupported(by: F.self)
        guard count == 1 << parameters.numVariables else {
            throw .wrongEvaluationCount(expected: 1 << parameters.numVariables, got: count)
        }
    }

    /// `U`, column-major (see the type): `fill(row, destination)` initialises the `C` message
    /// symbols of each row, which is then encoded in place, in parallel over rows, and the
    /// encoded rows are transposed into columns.
    @inlinable
    static func encodeMatrix(
        parameters: LigeroParameters, fill: (Int, UnsafeMutablePointer<F>) -> Void
    ) -> [F] {
        let encoder = ReedSolomonEncoder<F>(
            logMessageLength: parameters.logColumns, logInverseRate: parameters.logInverseRate)
        let R = parameters.rowCount, n = parameters.codewordLength, C = parameters.columnCount
        let rows = [F](unsafeUninitializedCapacity: R * n) { buffer, initialized in
            let base = buffer.baseAddress!
            encoder.encodeRows(base, rows: R, stride: n) { row, destination in
                fill(row, destination)
                (destination + C).initialize(repeating: .zero, count: n - C)
            }
            initialized = R * n
        }
        return rows.withUnsafeBufferPointer { transposed($0, rows: R, columns: n) }
    }

    /// The transpose of a row-major `rows × columns` matrix (so also column-major → row-major
    /// with the two counts swapped), in parallel over blocks of output rows.
    @inlinable
    static func transposed(_ matrix: UnsafeBufferPointer<F>, rows: Int, columns: Int) -> [F] {
        precondition(matrix.count == rows * columns, "matrix has the wrong size")
        return [F](unsafeUninitializedCapacity: rows * columns) { buffer, initialized in
            let m = matrix.baseAddress!, out = buffer.baseAddress!
            parallelChunks(count: columns, minimumChunk: 64) { block in
                for c in block {
                    for r in 0..<rows { (out + c * rows + r).initialize(to: m[r * columns + c]) }
                }
            }
            initialized = rows * columns
        }
    }

    /// The committed evaluations `f[i]`: the small integers when committed from them, else read
    /// back from the systematic part of `U` (its first `C` columns).
    public var evaluations: [F] {
        switch smallIntegers {
        case .int8(let ints): return ints.map { F(Int64($0)) }
        case .int16(let ints): return ints.map { F(Int64($0)) }
        case .int32(let ints): return ints.map { F(Int64($0)) }
        case .none:
            let C = parameters.columnCount, R = parameters.rowCount
            return encoded.withUnsafeBufferPointer { u in
                Self.transposed(UnsafeBufferPointer(rebasing: u[..<(C * R)]), rows: C, columns: R)
            }
        }
    }

    /// The encoded matrix `U`, row-major (`R × C/ρ`, a copy).
    public var encodedMatrix: [F] {
        encoded.withUnsafeBufferPointer { Self.transposed($0, rows: parameters.codewordLength, columns: parameters.rowCount) }
    }

    /// The number of elements of `U` (`R · C/ρ`).
    public var encodedCount: Int { encoded.count }
}

extension LigeroParameters {
    /// Throws unless the row code fits `F`'s two-adic subgroup.
    @inlinable
    public func checkSupported<F: PrimeField>(by field: F.Type) throws(LigeroError) {
        guard logColumns + logInverseRate <= F.twoAdicity else {
            throw .invalidParameters(
                reason: "rows of 2^\(logColumns) symbols at rate 2^-\(logInverseRate) need a subgroup of order "
                    + "2^\(logColumns + logInverseRate); \(F.fieldID) has 2-adicity \(F.twoAdicity)")
        }
    }
}
