/// How a proof carries its advice: the per-proof values that are neither public nor weights
/// (activations, requantization remainder limbs, max-pool differences, lookup multiplicities).
///
/// The verification key fixes the transport, so a prover cannot pick it, and it is part of the
/// model id. Both discharge the same claims, so everything before the advice's last step — the
/// lookup argument, every relation's sumchecks — is the same protocol.
///
/// - ``committed``: the advice is packed into one vector and committed as C_1 (Ligero; the root is
///   absorbed before any challenge). At the end every claim on it is reduced to one point by a
///   sumcheck, `Σ_x C_1(x) · Σ_j γ^j eq(Z_j, x) = Σ_j γ^j v_j`, and C_1 is opened there. The proof
///   grows with the square root of the advice; the prover pays an encoding and a Merkle tree.
/// - ``clear``: the advice is sent as integers (DESIGN.md: "tensors cheaper to send than to open go
///   in the clear"), absorbed into the transcript before any challenge — exactly where C_1's root
///   would be — and the verifier evaluates each claimed multilinear extension itself. Binding is
///   perfect (nothing is left to a commitment), so this transport adds no soundness error; the
///   proof grows linearly with the advice (about one byte per int8 value), and so does the
///   verifier's work. Setup chooses it for small advice (``Setup`` documents the threshold).
///
/// Neither transport hides anything (proofs are not zero-knowledge): in the clear, every
/// intermediate activation of the inference is in the proof.
public enum AdviceTransport: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case committed = 0
    case clear = 1

    public var description: String {
        switch self {
        case .committed: return "committed"
        case .clear: return "clear"
        }
    }
}
