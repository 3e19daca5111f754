import ZKCircuit
import ZKCommit
public import ZKField
import ZKLookup
import ZKPoly
import ZKSumcheck
import ZKTranscript

/// The verifier: checks a ``Proof`` against a ``VerificationKey``. Cheap (no GPU, no witness),
/// and it never traps on a hostile proof: every rejection is a ``VerificationError``.
///
/// Every challenge comes from the transcript, which has absorbed everything read before it; no
/// function here takes a challenge as a parameter.
public enum Verifier {
    @_specialize(where F == BN254Fr)
    public static func verify<F: LargePrimeField>(
        _ proof: Proof<F>, verificationKey vk: VerificationKey, field: F.Type = F.self
    ) throws(VerificationError) {
        try vk.checkSecurityFloor()
        let circuit = vk.circuit
        let layout = vk.layout

        // Public values: counts and ranges.
        for (id, values) in [(circuit.input, proof.publicInput), (circuit.output, proof.publicOutput)] {
            let info = circuit.tensors[id]
            guard values.count == info.layout.count else {
                throw .publicValueCount(tensor: info.name, expected: info.layout.count, got: values.count)
            }
            for (i, v) in values.enumerated() where v < info.minimum || v > info.maximum {
                throw .publicValueOutOfRange(tensor: info.name, index: i, value: v)
            }
        }
        // Token ids: the public input must be their one-hot encoding, a single 1 per row.
        if vk.interface?.inputEncoding == .oneHot,
           let (row, ones) = OneHotRows.firstInvalidRow(proof.publicInput, vocabularySize: circuit.tensors[circuit.input].layout.shape.last ?? 1) {
            throw .publicInputNotOneHot(row: row, ones: ones)
        }
        var state = VerifierState<F>(
            verificationKey: vk,
            transcript: ProofTranscript.start(
                verificationKey: vk, publicInput: proof.publicInput, publicOutput: proof.publicOutput, field: F.self))
        // The advice's first part, before any challenge: C_1's root, or the values themselves.
        switch (vk.adviceTransport, proof.advice) {
        case (.committed, .committed(let committed)):
            state.transcript.absorb(label: "advice.root", digest: committed.root)
        case (.clear, .clear(let values)):
            guard values.count == layout.advice.usedCount else {
                throw .proofShape(.adviceValueCount(expected: layout.advice.usedCount, got: values.count))
            }
            state.transcript.absorb(label: "advice.values", signedIntegers: values)
        default:
            throw .proofShape(.adviceTransport(expected: vk.adviceTransport))
        }

        // Lookups.
        switch (layout.lookupGroups.isEmpty, proof.lookup) {
        case (true, nil):
            break
        case (true, .some):
            throw .proofShape(.unexpectedLookupArgument)
        case (false, nil):
            throw .proofShape(.missingLookupArgument)
        case (false, let lookup?):
            do throws(LookupError) {
                let statement: LookupStatement<F> = try layout.lookupStatement(circuit: circuit)
                let claims = try LogUpGKR.verify(statement: statement, proof: lookup, transcript: &state.transcript)
                state.ledger.record(LookupPhase.claims(claims, layout: layout))
            } catch {
                throw .lookupFailed(error)
            }
        }

        // Arithmetic relations, backwards.
        let arithmetic = circuit.relations.indices.reversed().filter {
            if case .lookup = circuit.relations[$0] { return false } else { return true }
        }
        guard proof.relations.count == arithmetic.count else {
            throw .proofShape(.relationCount(expected: arithmetic.count, got: proof.relations.count))
        }
        for (index, relationProof) in zip(arithmetic, proof.relations) {
            switch circuit.relations[index] {
            case .matMul(let out, let w, let x, let b):
                try MatMulRelation.verify(output: out, weights: w, input: x, bias: b, relation: index,
                                          proof: relationProof, state: &state)
            case .requantize(let out, let acc, let limbs, let m, let s):
                try RequantizeRelation.verify(output: out, input: acc, limbs: limbs, multiplier: m, shift: s,
                                              relation: index, proof: relationProof, state: &state)
            case .add(let out, let a, let b):
                try AddRelation.verify(output: out, lhs: a, rhs: b, relation: index, proof: relationProof, state: &state)
            case .mul(let out, let a, let b):
                try MulRelation.verify(output: out, lhs: a, rhs: b, relation: index, proof: relationProof, state: &state)
            case .linear(let out, let x, let map):
                try LinearRelation.verify(output: out, input: x, map: map, relation: index, proof: relationProof, state: &state)
            case .concat(let out, let inputs, let axis):
                try ConcatRelation.verify(output: out, inputs: inputs, axis: axis, relation: index, proof: relationProof, state: &state)
            case .maxPool(let out, let x, let differences, let kernel, let stride, let pads):
                try MaxPoolRelation.verify(
                    output: out, input: x, differences: differences, kernel: kernel, stride: stride, pads: pads,
                    relation: index, proof: relationProof, state: &state)
            case .conv2d(let out, let w, let x, let b, let stride, let pads, let groups):
                try Conv2DRelation.verify(
                    output: out, weights: w, input: x, bias: b, stride: stride, pads: pads, groups: groups,
                    relation: index, proof: relationProof, state: &state)
            case .lookup:
                continue
            }
        }

        // Public tensors and constants (biases are read inside their relation; any other claim on
        // a constant, such as a per-channel requantization factor that a `mul` reads): the
        // verifier evaluates the zero-padded multilinear extension of the integers itself.
        for (id, values) in [(circuit.input, proof.publicInput), (circuit.output, proof.publicOutput)] {
            let slots = circuit.tensors[id].layout.padded(values, padding: 0)
            try checkOwnEvaluations(state.ledger.take(.tensor(id)), slots: { _ in slots[...] }) { _ in
                .publicEvaluationMismatch(tensor: id)
            }
        }
        let constantClaims = state.ledger.take { id in
            if case .tensor(let t) = id { return circuit.tensors[t].storage == .constant }
            return false
        }
        try checkOwnEvaluations(constantClaims, slots: { polynomial in
            guard case .tensor(let id) = polynomial else { return nil }
            return vk.constantSlots(id)[...]
        }) { polynomial in
            guard case .tensor(let id) = polynomial else { return .unconsumedClaims(1) }
            return .constantEvaluationMismatch(tensor: id)
        }
        let weightClaims = state.ledger.take { id in
            if case .tensor(let t) = id { return circuit.tensors[t].storage == .weight }
            return false
        }.map { EvaluationClaim(point: layout.weights.packedPoint(of: $0.polynomial, $0.point), value: $0.value) }
        let adviceClaims = state.ledger.take { id in
            switch id {
            case .tensor(let t): return circuit.tensors[t].storage == .advice
            case .multiplicities: return true
            }
        }
        guard state.ledger.remaining.isEmpty else { throw .unconsumedClaims(state.ledger.remaining.count) }

        switch proof.advice {
        case .clear(let values):
            try checkClearAdvice(values, claims: adviceClaims, layout: layout.advice)
        case .committed(let committed):
            try checkCommittedAdvice(committed, claims: adviceClaims, vk: vk, transcript: &state.transcript)
        }

        // The weight opening.
        guard let weightOpening = proof.weightOpening else {
            guard weightClaims.isEmpty else { throw .weightOpeningFailed(.noClaims) }
            return
        }
        do throws(LigeroError) {
            try Ligero<F, F>.verify(
                vk.weightCommitment, claims: weightClaims, proof: weightOpening, parameters: vk.weightParameters,
                transcript: &state.transcript)
        } catch {
            throw .weightOpeningFailed(error)
        }
    }

    /// Committed advice: every claim on C_1 reduced to one point by a sumcheck,
    /// `Σ_x C_1(x) · Σ_j γ^j eq(Z_j, x) = Σ_j γ^j v_j`, then C_1 opened at that point.
    @_specialize(where F == BN254Fr)
    static func checkCommittedAdvice<F: LargePrimeField>(
        _ committed: CommittedAdvice<F>, claims adviceClaims: [Claim<F>], vk: VerificationKey, transcript: inout Transcript
    ) throws(VerificationError) {
        let gamma: F = transcript.challenge(label: "advice.batch")
        let coefficients = [F].powers(of: gamma, count: adviceClaims.count)
        var target = F.zero
        for (j, claim) in adviceClaims.enumerated() { target += coefficients[j] * claim.value }
        let subclaim: SumcheckSubclaim<F>
        do throws(SumcheckError) {
            subclaim = try SumcheckVerifier.verify(
                claimedSum: target, variableCount: vk.layout.advice.variableCount, degree: 2, proof: committed.batch,
                transcript: &transcript)
        } catch {
            throw .adviceBatchFailed(error)
        }
        transcript.absorb(label: "advice.value", element: committed.batchValue)
        var weightAtPoint = F.zero
        for (j, claim) in adviceClaims.enumerated() {
            weightAtPoint += coefficients[j] * eq(vk.layout.advice.packedPoint(of: claim.polynomial, claim.point), subclaim.point)
        }
        guard subclaim.expectedEvaluation == committed.batchValue * weightAtPoint else {
            throw .adviceBatchFailed(.finalEvaluationMismatch)
        }

        do throws(LigeroError) {
            try Ligero<F, F>.verify(
                LigeroCommitment(numVariables: vk.layout.advice.variableCount, root: committed.root),
                claims: [EvaluationClaim(point: subclaim.point, value: committed.batchValue)],
                proof: committed.opening, parameters: vk.adviceParameters, transcript: &transcript)
        } catch {
            throw .adviceOpeningFailed(error)
        }
    }

    /// Advice in the clear: each claim is checked against the verifier's own evaluation of the
    /// claimed polynomial's multilinear extension, read from its slots in the values
    /// (`Σ_i eq(z, i) · v_i`, linear in the polynomial's size).
    @_specialize(where F == BN254Fr)
    package static func checkClearAdvice<F: LargePrimeField>(
        _ values: [Int64], claims: [Claim<F>], layout: SlotLayout<PolynomialID>
    ) throws(VerificationError) {
        try checkOwnEvaluations(claims, slots: { polynomial in
            layout.placement(of: polynomial).map { values[$0.offset..<($0.offset + (1 << $0.variableCount))] }
        }) { .clearAdviceMismatch($0) }
    }

    /// Checks each claim against the verifier's own evaluation `Σ_i eq(z, i) · v_i` of the claimed
    /// polynomial's integer slots (lifted once per polynomial): a polynomial without slots, a
    /// point of the wrong dimension or a different value throws `mismatch(polynomial)`.
    static func checkOwnEvaluations<F: LargePrimeField>(
        _ claims: [Claim<F>], slots: (PolynomialID) -> ArraySlice<Int64>?,
        mismatch: (PolynomialID) -> VerificationError
    ) throws(VerificationError) {
        var lifted: [PolynomialID: DenseMultilinearExtension<F>] = [:]
        for claim in claims {
            let mle: DenseMultilinearExtension<F>
            if let cached = lifted[claim.polynomial] {
                mle = cached
            } else {
                guard let values = slots(claim.polynomial) else { throw mismatch(claim.polynomial) }
                mle = DenseMultilinearExtension(evaluations: values.map { F($0) })
                lifted[claim.polynomial] = mle
            }
            guard claim.point.count < Int.bitWidth - 1, 1 << claim.point.count == mle.evaluations.count,
                  mle.evaluate(at: claim.point) == claim.value else {
                throw mismatch(claim.polynomial)
            }
        }
    }
}
