import Foundation
import ZKCommit

/// The security floor. A verification key is a statement too: it fixes the commitment
/// parameters (code rate `ρ`, query count `t`, matrix shape), and a key with weak parameters
/// would make every proof under it worthless. The verifier therefore computes the soundness the
/// key's parameters give and refuses a key below ``minimumSoundnessBits``.
///
/// The figure is the one of docs/proof-system.md, "Soundness": every proof makes one opening of
/// the advice commitment C_1 (unless the key sends the advice in the clear) and, when the model has weights, one of the weight commitment C_W;
/// each opening's error is `ε = 2·((1 + ρ)/2)^t + (C/ρ + 1)/|E|`
/// (``LigeroParameters/soundnessBits(challengeFieldBits:)``), and the errors add up (a union
/// bound), so the key offers `−log₂(ε_advice + ε_weights)` bits. The sumcheck and logUp terms
/// (`degree · variables / |F|`, below `2^−240` for BN254) are negligible next to them.
extension VerificationKey {
    /// The least soundness a key may offer: 100 bits (DESIGN.md, proof system, item 9).
    public static let minimumSoundnessBits = 100.0

    /// The largest Reed–Solomon codeword (`C/ρ` symbols) a key may ask the verifier to encode:
    /// 2^26 symbols, 2 GiB of BN254 elements at most; setup's shapes use about `√N`.
    public static let maximumCodewordLength = 1 << 26

    /// `−log₂` of the soundness error of the key's commitment parameters, for a challenge field of
    /// at least `2^challengeFieldBits` elements (253 for BN254).
    public func soundnessBits(challengeFieldBits: Double = 253) -> Double {
        // Advice in the clear is bound exactly by the transcript: no opening, no error term.
        var errorLog2s = adviceTransport == .committed
            ? [-adviceParameters.soundnessBits(challengeFieldBits: challengeFieldBits)] : []
        if !layout.weights.placements.isEmpty {
            errorLog2s.append(-weightParameters.soundnessBits(challengeFieldBits: challengeFieldBits))
        }
        let largest = errorLog2s.max() ?? -.infinity
        guard largest.isFinite else { return largest == -.infinity ? .infinity : 0 }
        // log2(Σ 2^e_i) = max + log2(Σ 2^(e_i − max)).
        return -(largest + log2(errorLog2s.reduce(0) { $0 + exp2($1 - largest) }))
    }

    /// Throws ``VerificationError/insecureKey(bits:required:)`` when the key's parameters offer
    /// fewer than ``minimumSoundnessBits``.
    public func checkSecurityFloor(challengeFieldBits: Double = 253) throws(VerificationError) {
        let bits = soundnessBits(challengeFieldBits: challengeFieldBits)
        guard bits >= Self.minimumSoundnessBits else {
            throw .insecureKey(bits: bits, required: Self.minimumSoundnessBits)
        }
    }
}
