public import ZKSetup
public import ZKVerifier
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
    /// The advice sent in the clear (``AdviceTransport/clear``), in the layout's packing order.
    var clearAdvice: [Int64] = []
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
