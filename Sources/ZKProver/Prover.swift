public import ZKSetup
public import ZKVerifier
public import ZKCircuit
public import ZKCommit
public import ZKField
public import ZKLookup
import ZKWire
import ZKPoly
import ZKSumcheck
import ZKTranscript

/// Why the prover could not produce a proof (a witness that does not fit the key; an honest
/// witness never fails).
public enum ProvingError: Error, Equatable, Sendable {
    case witnessShape(String)
    case lookup(LookupError)
    case commitment(LigeroError)
    /// The proof failed the prover's own verification (asked for with `selfCheck`): an internal
    /// error of the toolkit, never a property of the input. The proof is not returned.
    case selfCheckFailed(VerificationError)
}

/// The prover: from a proving key and a witness (integer inference's output) to a ``Proof``.
///
/// It runs the protocol of ``Proof`` step by step, keeping a ledger of the claims the verifier
/// will hold, and answers them with one opening per commitment. It checks nothing about the
/// witness: a false witness yields a proof the verifier rejects (the malicious-witness tests rely
/// on this), while ``CircuitChecker`` is the tool that says *why* a witness is wrong.
/// Where the prover's time went: one entry per phase, in order.
public struct ProvingProfile: Sendable {
    public var phases: [(name: String, duration: Duration)] = []
    /// Each arithmetic relation's share of the "relations" phase (index into the circuit's relations).
    public var relations: [(relation: Int, duration: Duration)] = []
    public init() {}

    mutating func record(_ name: String, since start: ContinuousClock.Instant) {
        phases.append((name, ContinuousClock.now - start))
    }
}

public enum Prover {
    @_specialize(where F == BN254Fr)
    public static func prove<F: LargePrimeField>(
        provingKey pk: ProvingKey<F>, witness: Witness, selfCheck: Bool = false
    ) throws(ProvingError) -> Proof<F> {
        var profile = ProvingProfile()
        return try prove(provingKey: pk, witness: witness, profile: &profile, selfCheck: selfCheck)
    }

    /// Proves, recording the time of each phase in `profile`.
    ///
    /// With `selfCheck`, the proof is encoded, decoded and verified against the key before it is
    /// returned (completeness is checked, not assumed): a proof that fails throws
    /// ``ProvingError/selfCheckFailed(_:)`` and is never handed out. It costs one verification.
    @_specialize(where F == BN254Fr)
    public static func prove<F: LargePrimeField>(
        provingKey pk: ProvingKey<F>, witness: Witness, profile: inout ProvingProfile, selfCheck: Bool = false
    ) throws(ProvingError) -> Proof<F> {
        let proof = try proveUnchecked(provingKey: pk, witness: witness, profile: &profile)
        if selfCheck { _ = try check(proof, provingKey: pk, profile: &profile) }
        return proof
    }

    /// ``prove(provingKey:witness:profile:selfCheck:)`` and the proof's bytes (what a caller
    /// writes or sends): with `selfCheck`, the very bytes that were decoded and verified, encoded
    /// once.
    @_specialize(where F == BN254Fr)
    public static func proveEncoded<F: LargePrimeField>(
        provingKey pk: ProvingKey<F>, witness: Witness, profile: inout ProvingProfile, selfCheck: Bool = false
    ) throws(ProvingError) -> (proof: Proof<F>, bytes: [UInt8]) {
        let proof = try proveUnchecked(provingKey: pk, witness: witness, profile: &profile)
        return (proof, selfCheck ? try check(proof, provingKey: pk, profile: &profile) : proof.encoded())
    }

    /// The self-check: encodes the proof, decodes the bytes and verifies them against the key;
    /// returns the bytes.
    private static func check<F: LargePrimeField>(
        _ proof: Proof<F>, provingKey pk: ProvingKey<F>, profile: inout ProvingProfile
    ) throws(ProvingError) -> [UInt8] {
        let start = ContinuousClock.now
        let bytes = proof.encoded()
        do throws(VerificationError) {
            let decoded: Proof<F>
            do throws(WireError) {
                decoded = try Proof<F>(decoding: bytes, verificationKey: pk.verificationKey)
            } catch {
                throw .malformedProof(error)
            }
            try Verifier.verify(decoded, verificationKey: pk.verificationKey, field: F.self)
        } catch {
            throw .selfCheckFailed(error)
        }
        profile.record("self-check", since: start)
        return bytes
    }

    private static func proveUnchecked<F: LargePrimeField>(
        provingKey pk: ProvingKey<F>, witness: Witness, profile: inout ProvingProfile
    ) throws(ProvingError) -> Proof<F> {
        var mark = ContinuousClock.now
        let vk = pk.verificationKey
        let circuit = vk.circuit
        let layout = vk.layout
        guard witness.slots.count == circuit.tensors.count,
              zip(witness.slots, circuit.tensors).allSatisfy({ $0.count == $1.layout.slotCount }) else {
            throw .witnessShape("the witness does not match the circuit's tensors")
        }
        let publicInput = witness.logicalValues(of: circuit.input, in: circuit)
        let publicOutput = witness.logicalValues(of: circuit.output, in: circuit)
        var state = ProverState(
            provingKey: pk, witness: witness,
            transcript: ProofTranscript.start(
                verificationKey: vk, publicInput: publicInput, publicOutput: publicOutput, field: F.self))

        // 1. Lookup multiplicities, then the advice: committed as C_1, or absorbed as integers.
        let statement: LookupStatement<F>
        do throws(LookupError) { statement = try layout.lookupStatement(circuit: circuit) } catch { throw .lookup(error) }
        let counts = layout.lookupGroups.isEmpty
            ? statement.tables.map { [UInt64](repeating: 0, count: $0.paddedRowCount) }
            : LookupPhase.multiplicityCounts(statement: statement, circuit: circuit, layout: layout, witness: witness)
        let multiplicities = counts.map { $0.map { F($0) } }
        for (t, m) in multiplicities.enumerated() { state.multiplicities[t] = m }
        var committedAdvice: (data: LigeroProverData<F>, packed: [F])? = nil
        switch vk.adviceTransport {
        case .committed:
            let packed = layout.advice.pack({ state.values(of: $0) }, zero: F.zero)
            do throws(LigeroError) {
                committedAdvice = (try Ligero<F, F>.commit(evaluations: packed, parameters: vk.adviceParameters).data, packed)
            } catch { throw .commitment(error) }
            state.transcript.absorb(label: "advice.root", digest: committedAdvice!.data.commitment.root)
        case .clear:
            state.clearAdvice = Array(layout.advice.pack({ polynomial in
                switch polynomial {
                case .tensor(let id): return witness.slots[id]
                case .multiplicities(let table): return counts[table].map { Int64(bitPattern: $0) }
                }
            }, zero: Int64(0))[..<layout.advice.usedCount])
            state.transcript.absorb(label: "advice.values", signedIntegers: state.clearAdvice)
        }
        profile.record(vk.adviceTransport == .committed ? "commit advice" : "advice in the clear", since: mark)
        mark = .now

        // 2. The lookup argument.
        let columns = layout.lookupGroups.map { group in group.columns.map { state.values(of: .tensor($0)) } }
        var lookupProof: LookupProof<F>? = nil
        if !layout.lookupGroups.isEmpty {
        do throws(LookupError) {
            let (proof, claims) = try LogUpGKR.prove(
                statement: statement, witness: LookupWitness(columns: columns, multiplicities: multiplicities),
                transcript: &state.transcript, challengeField: F.self)
            lookupProof = proof
            state.ledger.record(LookupPhase.claims(claims, layout: layout))
        } catch { throw .lookup(error) }
        }
        profile.record("lookups", since: mark)
        mark = .now

        // 3. Arithmetic relations, backwards.
        var relationProofs: [RelationProof<F>] = []
        for (index, relation) in circuit.relations.enumerated().reversed() {
            let relationStart = ContinuousClock.now
            defer { profile.relations.append((index, ContinuousClock.now - relationStart)) }
            switch relation {
            case .matMul(let out, let w, let x, let b):
                relationProofs.append(MatMulRelation.prove(output: out, weights: w, input: x, bias: b, state: &state))
            case .requantize(let out, let acc, let limbs, let m, let s):
                relationProofs.append(RequantizeRelation.prove(
                    output: out, input: acc, limbs: limbs, multiplier: m, shift: s, state: &state))
            case .add(let out, let a, let b):
                relationProofs.append(AddRelation.prove(output: out, lhs: a, rhs: b, state: &state))
            case .mul(let out, let a, let b):
                relationProofs.append(MulRelation.prove(output: out, lhs: a, rhs: b, state: &state))
            case .linear(let out, let x, let map):
                relationProofs.append(LinearRelation.prove(output: out, input: x, map: map, state: &state))
            case .concat(let out, let inputs, let axis):
                relationProofs.append(ConcatRelation.prove(output: out, inputs: inputs, axis: axis, state: &state))
            case .maxPool(let out, let x, let differences, let kernel, let stride, let pads):
                relationProofs.append(MaxPoolRelation.prove(
                    output: out, input: x, differences: differences, kernel: kernel, stride: stride, pads: pads, state: &state))
            case .conv2d(let out, let w, let x, let b, let stride, let pads, let groups):
                relationProofs.append(Conv2DRelation.prove(
                    output: out, weights: w, input: x, bias: b, stride: stride, pads: pads, groups: groups, state: &state))
            case .lookup:
                continue
            }
        }

        profile.record("relations", since: mark)
        mark = .now

        // 4. Public tensors and constants are the verifier's to evaluate; weights and advice go to openings.
        _ = state.ledger.take(.tensor(circuit.input))
        _ = state.ledger.take(.tensor(circuit.output))
        _ = state.ledger.take { id in
            if case .tensor(let t) = id { return circuit.tensors[t].storage == .constant }
            return false
        }
        let weightClaims = state.ledger.take { id in
            if case .tensor(let t) = id { return circuit.tensors[t].storage == .weight }
            return false
        }.map { EvaluationClaim(point: layout.weights.packedPoint(of: $0.polynomial, $0.point), value: $0.value) }
        let adviceClaims = state.ledger.take { _ in true }

        // 5. The advice: in the clear, the verifier evaluates the claims itself; committed, the
        //    claims are reduced to one point, Σ_x P(x) · Σ_j γ^j eq(Z_j, x) = Σ_j γ^j v_j, and
        //    C_1 is opened there.
        let advice: AdviceEvidence<F>
        do throws(LigeroError) {
            if let committedAdvice {
                advice = .committed(try proveCommittedAdvice(
                    committedAdvice.data, packed: committedAdvice.packed, claims: adviceClaims, layout: layout, state: &state, profile: &profile))
            } else {
                advice = .clear(values: state.clearAdvice)
            }
            mark = .now
            let weightOpening = weightClaims.isEmpty
                ? nil : try Ligero<F, F>.open(pk.weightData, claims: weightClaims, transcript: &state.transcript)
            profile.record("open weights", since: mark)
            return Proof(
                publicInput: publicInput, publicOutput: publicOutput, advice: advice,
                lookup: lookupProof, relations: relationProofs, weightOpening: weightOpening)
        } catch {
            throw .commitment(error)
        }
    }

    /// The committed advice's batch sumcheck and opening (``AdviceTransport/committed``).
    private static func proveCommittedAdvice<F: LargePrimeField>(
        _ data: LigeroProverData<F>, packed: [F], claims adviceClaims: [Claim<F>], layout: ProtocolLayout,
        state: inout ProverState<F>, profile: inout ProvingProfile
    ) throws(LigeroError) -> CommittedAdvice<F> {
        var mark = ContinuousClock.now
        let gamma: F = state.transcript.challenge(label: "advice.batch")
        let coefficients = [F].powers(of: gamma, count: adviceClaims.count)
        var weightsTable = [F](repeating: .zero, count: packed.count)
        var target = F.zero
        for (j, claim) in adviceClaims.enumerated() {
            let placement = layout.advice.placement(of: claim.polynomial)!
            let eq = eqTable(point: claim.point)
            for i in eq.indices { weightsTable[placement.offset + i] += coefficients[j] * eq[i] }
            target += coefficients[j] * claim.value
        }
        let batch = ProductSumcheck.prove(packed, weightsTable, claim: target, transcript: &state.transcript)
        state.transcript.absorb(label: "advice.value", element: batch.f)
        profile.record("advice batch", since: mark)
        mark = .now
        let opening = try Ligero<F, F>.open(
            data, claims: [EvaluationClaim(point: batch.point, value: batch.f)], transcript: &state.transcript)
        profile.record("open advice", since: mark)
        return CommittedAdvice(root: data.commitment.root, batch: batch.proof, batchValue: batch.f, opening: opening)
    }
}
