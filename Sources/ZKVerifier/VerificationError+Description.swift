import ZKCommit
import ZKLookup
import ZKSumcheck
import ZKWire

extension VerificationError: CustomStringConvertible {
    /// Why the proof was rejected, for people (`zkml verify`, logs). Relations and tensors are
    /// named by their index in the verification key's circuit (`zkml inspect` lists them).
    public var description: String {
        switch self {
        case .insecureKey(let bits, let required):
            return "the verification key offers \(Self.bits(bits)) bits of soundness, below the required \(Self.bits(required))"
        case .malformedProof(let error):
            return "the proof bytes are malformed: \(error)"
        case .incompatibleProof(let reason):
            return "the proof does not belong to this verification key: \(reason)"
        case .publicValueOutOfRange(let tensor, let index, let value):
            return "public tensor \(tensor): entry \(index) is \(value), outside the tensor's range"
        case .publicValueCount(let tensor, let expected, let got):
            return "public tensor \(tensor) has \(got) entries, expected \(expected)"
        case .publicInputNotOneHot(let row, let ones):
            return "the public input is not one-hot token ids: row \(row) holds \(ones) ones, not exactly one"
        case .proofShape(let shape):
            return "the proof has the wrong shape: \(shape)"
        case .relationShape(let relation, let shape):
            return "relation \(relation): the message has the wrong shape: \(shape)"
        case .sumcheckFailed(let relation, let sumcheck, let error):
            return "relation \(relation), sumcheck \(sumcheck): \(error)"
        case .relationCheckFailed(let relation, let check):
            return "relation \(relation): \(check) does not hold"
        case .missingClaims(let tensor):
            return "tensor \(tensor) is virtual but no claim on it reached its relation (relations out of order)"
        case .lookupFailed(let error):
            return "the lookup argument rejected the proof: \(error)"
        case .publicEvaluationMismatch(let tensor):
            return "a claim on public tensor \(tensor) disagrees with the verifier's own evaluation of the public values"
        case .constantEvaluationMismatch(let tensor):
            return "a claim on constant tensor \(tensor) disagrees with the verifier's own evaluation of the key's constants"
        case .clearAdviceMismatch(let polynomial):
            return "a claim on the advice sent in the clear (\(polynomial)) disagrees with the verifier's own evaluation of the values"
        case .adviceBatchFailed(let error):
            return "the advice batch (the claims on C_1 reduced to one point) failed: \(error)"
        case .adviceOpeningFailed(let error):
            return "the opening of the advice commitment C_1 failed: \(error)"
        case .weightOpeningFailed(let error):
            return "the opening of the weight commitment C_W failed: \(error)"
        case .unconsumedClaims(let count):
            return "\(count) claims were left that no step consumed or checked"
        }
    }

    private static func bits(_ value: Double) -> String {
        value.isFinite ? "\((value * 10).rounded(.down) / 10)" : "\(value)"
    }
}

extension ProofIncompatibility: CustomStringConvertible {
    public var description: String {
        switch self {
        case .field(let expected, let got): return "the proof is over the field \(got), the verifier works over \(expected)"
        case .formatVersion(let expected, let got): return "the proof is in format version \(got), this verifier reads \(expected)"
        }
    }
}

extension ProofShapeError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .relationCount(let expected, let got):
            return "\(got) relation proofs, the circuit has \(expected) arithmetic relations"
        case .unexpectedLookupArgument: return "a lookup argument, but the circuit has no lookups"
        case .missingLookupArgument: return "no lookup argument, but the circuit has lookups"
        case .adviceTransport(let expected):
            return "the advice is not sent as the key says (\(expected))"
        case .adviceValueCount(let expected, let got):
            return "\(got) advice values in the clear, the key's layout has \(expected) advice slots"
        }
    }
}

extension RelationProofKind: CustomStringConvertible {
    public var description: String {
        switch self {
        case .requantize: return "requantize"
        case .matMul: return "matMul"
        case .add: return "add"
        case .general: return "general"
        }
    }
}

extension RelationShapeError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .wrongProofKind(let expected, let got): return "a \(got) message where the relation needs a \(expected) one"
        case .sumcheckCount(let expected, let got): return "\(got) sumchecks, expected \(expected)"
        case .evaluationCount(let expected, let got): return "\(got) evaluations, expected \(expected)"
        case .missingOutputValue: return "the stored output's value is missing"
        }
    }
}

extension RelationCheck: CustomStringConvertible {
    public var description: String {
        switch self {
        case .matMulFinal: return "the matrix product's final check (Σ_j γ^j W(s, z_j) · x(s))"
        case .mulFinal: return "the element-wise product's final check"
        case .linearFinal: return "the linear map's final check (W(s) · in(s))"
        case .concatContributions: return "the concatenation's split (the contributions do not add up to the output's claims)"
        case .concatFinal(let input): return "the concatenation's final check for input \(input)"
        case .maxPoolLink: return "the max pool's link of the maximum and differences to the input"
        case .maxPoolAmong: return "the max pool's zerocheck (the maximum is one of its window's elements)"
        case .conv2dInput: return "the convolution's final check over the input (w* · x(s))"
        case .conv2dKernel: return "the convolution's final check over the kernel (K(t) · A(t))"
        }
    }
}
