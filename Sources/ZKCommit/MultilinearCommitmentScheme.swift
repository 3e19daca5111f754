public import ZKField
public import ZKTranscript

/// A claim `f̃(point) = value` about a committed multilinear polynomial `f̃`, with the point and
/// the value in the challenge field `E` (coordinates lowest-bit variable first, the project's
/// convention; see `DenseMultilinearExtension`).
public struct EvaluationClaim<E: FiniteField>: Sendable, Hashable {
    /// `(z_1, …, z_n)`, `z_1` the variable of the lowest index bit.
    public var point: [E]
    /// The claimed `f̃(point)`.
    public var value: E

    @inlinable
    public init(point: [E], value: E) {
        self.point = point
        self.value = value
    }
}

/// A transparent commitment to multilinear polynomials (given by their `2^n` evaluations on the
/// boolean hypercube) with a Fiat–Shamir opening of several evaluation claims at once.
///
/// The proof system codes against this protocol, so the Ligero-style scheme (``Ligero``, the
/// first conformer) can be replaced by a FRI-based one (Basefold, WHIR) with smaller proofs.
///
/// Contract, for every conformer:
/// - ``Parameters`` belong to the verification key. ``verify(_:claims:proof:parameters:transcript:)``
///   takes them from its caller and reads no parameter from the proof.
/// - ``open(_:claims:transcript:)`` and ``verify(_:claims:proof:parameters:transcript:)`` run
///   the same transcript operations: they absorb the commitment and the parameters, then the
///   claims, and only then draw challenges; every prover message is absorbed before the next
///   challenge. The caller passes the proof's single transcript in the state both sides share.
/// - Verification throws on every malformed input (wrong lengths, wrong point dimensions, bad
///   paths) and never traps on hostile data.
public protocol MultilinearCommitmentScheme {
    /// The field of the committed evaluations.
    associatedtype Field: PrimeField
    /// The field of the verifier's challenges and of evaluation points and values.
    associatedtype Challenge: ExtensionField where Challenge.BaseField == Field
    /// Public parameters (part of the verification key).
    associatedtype Parameters: Sendable, Hashable
    /// What the verifier holds: binds the polynomial.
    associatedtype Commitment: Sendable, Hashable
    /// What the prover keeps to open the commitment later.
    associatedtype ProverData: Sendable
    /// The proof of a batch of evaluation claims.
    associatedtype OpeningProof: Sendable
    /// Why committing or verifying failed.
    associatedtype Failure: Error

    /// Commits to the multilinear polynomial with the given `2^n` evaluations.
    static func commit(
        evaluations: [Field], parameters: Parameters
    ) throws(Failure) -> (commitment: Commitment, data: ProverData)

    /// Proves all `claims` (the prover does not check them: a false claim yields a proof that
    /// does not verify).
    static func open(
        _ data: ProverData, claims: [EvaluationClaim<Challenge>], transcript: inout Transcript
    ) throws(Failure) -> OpeningProof

    /// Accepts (returns) iff `proof` shows every claim against `commitment`; throws otherwise.
    static func verify(
        _ commitment: Commitment, claims: [EvaluationClaim<Challenge>], proof: OpeningProof,
        parameters: Parameters, transcript: inout Transcript
    ) throws(Failure)
}
