public import ZKCircuit
public import ZKCommit
public import ZKField
public import ZKVerifier

/// The prover's key: the verification key plus the committed weights (as int8 and as the
/// commitment's prover data).
public struct ProvingKey<F: LargePrimeField>: Sendable {
    public let verificationKey: VerificationKey
    /// Padded slot values of every weight tensor (`[rows slots × columns slots]`), at the width
    /// of the widest weight (int8 or int16).
    public let weightSlots: [TensorID: WeightSlots]
    public let weightData: LigeroProverData<F>
}

/// Why setup failed.
public enum SetupError: Error, Equatable, Sendable {
    case invalidCircuit(CircuitError)
    case missingValues(tensor: String)
    case weightOutOfRange(tensor: String, index: Int, value: Int64)
    case wrongValueCount(tensor: String, expected: Int, got: Int)
    case commitment(LigeroError)
}

/// Setup: commits the weights and builds the keys. Deterministic (no randomness; the same circuit
/// and values give the same keys on every machine and thread count).
public enum Setup {
    /// Column queries per Ligero opening (rate 1/4): two openings at `2·(5/8)^152 = 2^−102.07`
    /// each keep the whole proof above 101 bits.
    public static let queryCount = 152

    /// The commitment parameters setup would choose for `circuit`, without committing anything.
    public static func estimateParameters(circuit: Circuit) throws(LigeroError) -> (weights: LigeroParameters, advice: LigeroParameters) {
        let layout = ProtocolLayout(circuit: circuit)
        return (try LigeroParameters(numVariables: layout.weights.variableCount, expectedClaims: 2, queryCount: queryCount),
                try LigeroParameters(numVariables: layout.advice.variableCount, expectedClaims: 1, queryCount: queryCount))
    }

    /// The most advice slots (``ProtocolLayout/advice``'s used slots, lookup multiplicities
    /// included) that proofs send in the clear rather than commit (``AdviceTransport``).
    public static let clearAdviceLimit = 1 << 19

    /// The advice transport setup chooses for `circuit`: in the clear up to ``clearAdviceLimit``
    /// slots, committed above.
    public static func adviceTransport(for circuit: Circuit) -> AdviceTransport {
        ProtocolLayout(circuit: circuit).advice.usedCount <= clearAdviceLimit ? .clear : .committed
    }

    /// Commits the weights and builds the keys. `adviceTransport` overrides the choice of
    /// ``adviceTransport(for:)`` (for tests and benchmarks; it changes the model id).
    @_specialize(where F == BN254Fr)
    public static func run<F: LargePrimeField>(
        circuit: Circuit, known: [TensorID: [Int64]], interface: ModelInterface? = nil,
        adviceTransport: AdviceTransport? = nil, field: F.Type = F.self
    ) throws(SetupError) -> ProvingKey<F> {
        do { try circuit.validate() } catch { throw .invalidCircuit(error) }
        let layout = ProtocolLayout(circuit: circuit)
        var weightValues: [TensorID: [Int64]] = [:]
        var constants: [TensorID: [Int64]] = [:]
        for (id, info) in circuit.tensors.enumerated() where info.storage == .weight || info.storage == .constant {
            guard let values = known[id] else { throw .missingValues(tensor: info.name) }
            guard values.count == info.layout.count else {
                throw .wrongValueCount(tensor: info.name, expected: info.layout.count, got: values.count)
            }
            if info.storage == .constant {
                constants[id] = values
                continue
            }
            // Weights must lie in their declared range (the no-wrap bounds rest on it), and in int16.
            for (i, v) in values.enumerated()
            where v < max(info.minimum, Int64(Int16.min)) || v > min(info.maximum, Int64(Int16.max)) {
                throw .weightOutOfRange(tensor: info.name, index: i, value: v)
            }
            weightValues[id] = info.layout.padded(values, padding: 0)
        }
        // One width for the whole commitment: int8 when every weight fits, else int16.
        let width = weightValues.values.allSatisfy { $0.allSatisfy { $0 >= -128 && $0 <= 127 } } ? 8 : 16
        let weightSlots = weightValues.mapValues { WeightSlots($0, width: width) }
        let packed = layout.weights.pack({ item in
            guard case .tensor(let id) = item else { return [] }
            return weightValues[id]!
        }, zero: Int64(0))
        do {
            // 152 queries per opening: 2·(5/8)^152 = 2^−102.07, so the two openings together stay
            // below 2^−101 (docs/proof-system.md, "Soundness").
            let weightParameters = try LigeroParameters(
                numVariables: layout.weights.variableCount, expectedClaims: 2, queryCount: Self.queryCount)
            let adviceParameters = try LigeroParameters(
                numVariables: layout.advice.variableCount, expectedClaims: 1, queryCount: Self.queryCount)
            let (commitment, data) = width == 8
                ? try Ligero<F, F>.commit(smallIntegers: packed.map { Int8($0) }, parameters: weightParameters)
                : try Ligero<F, F>.commit(smallIntegers: packed.map { Int16($0) }, parameters: weightParameters)
            let vk = VerificationKey(
                circuit: circuit, constants: constants, weightCommitment: commitment,
                weightParameters: weightParameters, adviceParameters: adviceParameters,
                adviceTransport: adviceTransport ?? Self.adviceTransport(for: circuit), interface: interface)
            return ProvingKey(verificationKey: vk, weightSlots: weightSlots, weightData: data)
        } catch {
            throw .commitment(error)
        }
    }
}
