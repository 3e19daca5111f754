import ZKCircuit
import ZKField
import ZKPoly
import ZKTranscript

/// What the prover carries through one proof: the key, the witness lifted to the field (lazily),
/// the transcript, and a ledger mirroring the verifier's, so it knows which openings to make.
struct ProverState<F: LargePrimeField> {
    let provingKey: ProvingKey<F>
    let witness: Witness
    var transcript: Transcript
    var ledger = ClaimLedger<F>()
    var multiplicities: [Int: [F]] = [:]
    private var lifted: [TensorID: [F]] = [:]

    init(provingKey: ProvingKey<F>, witness: Witness, transcript: Transcript) {
        self.provingKey = provingKey
        self.witness = witness
        self.transcript = transcript
    }

    var verificationKey: VerificationKey { provingKey.verificationKey }
    var circuit: Circuit { provingKey.verificationKey.circuit }

    func weightSlots(_ id: TensorID) -> WeightSlots { provingKey.weightSlots[id]! }

    /// The table (all slots) of a tensor or of a table's multiplicities.
    mutating func values(of polynomial: PolynomialID) -> [F] {
        switch polynomial {
        case .tensor(let id):
            if let cached = lifted[id] { return cached }
            let table = witness.slots[id].map { F($0) }
            lifted[id] = table
            return table
        case .multiplicities(let table):
            return multiplicities[table]!
        }
    }

    mutating func evaluate(_ polynomial: PolynomialID, at point: [F]) -> F {
        DenseMultilinearExtension(evaluations: values(of: polynomial)).evaluate(at: point)
    }
}

/// What the verifier carries through one verification.
struct VerifierState<F: LargePrimeField> {
    let verificationKey: VerificationKey
    var transcript: Transcript
    var ledger = ClaimLedger<F>()

    var circuit: Circuit { verificationKey.circuit }
}

extension ProverState {
    /// The claims a relation consumes on its output: every ledger claim when the output is
    /// virtual; otherwise one at a fresh random point (`<prefix>.point`), with the prover's value
    /// absorbed (`<prefix>.output`) and recorded for the opening. Returns the values sent.
    mutating func outputClaims(_ out: TensorID, prefix: String) -> (claims: [Claim<F>], evaluations: [F]) {
        if circuit.tensors[out].storage == .virtual { return (ledger.take(.tensor(out)), []) }
        let z: [F] = transcript.challenges(label: prefix + ".point", count: circuit.tensors[out].layout.variableCount)
        let v = evaluate(.tensor(out), at: z)
        transcript.absorb(label: prefix + ".output", element: v)
        let claim = Claim(.tensor(out), point: z, value: v)
        ledger.record(claim)
        return ([claim], [v])
    }
}

extension VerifierState {
    /// The verifier's half of ``ProverState/outputClaims(_:prefix:)``: reads the stored output's
    /// value from `evaluations` (the first entry) when the output is stored.
    /// - Returns: the claims and how many evaluations were read.
    mutating func outputClaims(
        _ out: TensorID, prefix: String, evaluations: [F]
    ) throws(VerificationError) -> (claims: [Claim<F>], read: Int) {
        if circuit.tensors[out].storage == .virtual {
            let claims = ledger.take(.tensor(out))
            guard !claims.isEmpty else { throw .missingClaims(tensor: out) }
            return (claims, 0)
        }
        guard let v = evaluations.first else { throw .relationShape(relation: -1, "missing the output's value") }
        let z: [F] = transcript.challenges(label: prefix + ".point", count: circuit.tensors[out].layout.variableCount)
        transcript.absorb(label: prefix + ".output", element: v)
        let claim = Claim(.tensor(out), point: z, value: v)
        ledger.record(claim)
        return ([claim], 1)
    }
}
