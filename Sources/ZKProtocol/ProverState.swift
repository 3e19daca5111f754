public import ZKCircuit
public import ZKField
public import ZKPoly
public import ZKTranscript

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

    func weightSlots(_ id: TensorID) -> [Int8] { provingKey.weightSlots[id]! }

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
