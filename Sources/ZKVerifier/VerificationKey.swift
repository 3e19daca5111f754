public import ZKCircuit
public import ZKCommit
public import ZKField
public import ZKSodium
public import ZKWire

/// How to read a circuit's integers as the model's real numbers: the scales of the public input
/// and output (`real = scale · q`), their names and shapes, how the public input encodes the
/// model's input (quantized values, or the one-hot rows of token ids), and what the verifier
/// applies to the dequantized output outside the proof (`softmax` for a trailing Softmax). Part
/// of the verification key, so the model id covers it.
public struct ModelInterface: Sendable, Hashable {
    public var inputName: String
    /// The model's input shape (batch included): for token ids, the shape of the ids, one row of
    /// the one-hot public input per id.
    public var inputShape: [Int]
    public var inputScale: Double
    public var outputName: String
    public var outputShape: [Int]
    public var outputScale: Double
    public var postprocessing: String
    /// BLAKE2b-256 of the source model file (hex), so that any change to the model — even one
    /// that quantizes to the same integers — gives a new model id; empty when unknown.
    public var sourceHash: String
    /// How the public input encodes the model's input.
    public var inputEncoding: InputEncoding

    /// How the public input encodes the model's input (the key's `input encoding` field).
    public enum InputEncoding: String, Sendable, Hashable, CaseIterable {
        /// The quantized input values, `real = inputScale · q`.
        case values
        /// Token ids, one row of the `[positions, V]` public input per id: a single 1 in column
        /// `id`, 0 elsewhere. The verifier rejects a proof whose public input is not of that
        /// form (``VerificationError/publicInputNotOneHot(row:ones:)``) and reads the ids back
        /// (``ModelInterface/tokenIDs(oneHot:)``).
        case oneHot = "one-hot"
    }

    public init(
        inputName: String, inputShape: [Int], inputScale: Double, outputName: String, outputShape: [Int],
        outputScale: Double, postprocessing: String, sourceHash: String = "", inputEncoding: InputEncoding = .values
    ) {
        self.sourceHash = sourceHash
        self.inputName = inputName
        self.inputShape = inputShape
        self.inputScale = inputScale
        self.outputName = outputName
        self.outputShape = outputShape
        self.outputScale = outputScale
        self.postprocessing = postprocessing
        self.inputEncoding = inputEncoding
    }
}

/// Everything a verifier needs about a model: the circuit, its constants (biases), the weight
/// commitment and the commitment parameters. Its hash is the model's identity: the same model
/// and compile flags give a byte-identical key on every machine and thread count. The binary
/// format is in VerificationKey+Wire.swift.
public struct VerificationKey: Sendable {
    public static let formatVersion: UInt16 = 4
    public let circuit: Circuit
    /// Logical values of every ``TensorStorage/constant`` tensor.
    public let constants: [TensorID: [Int64]]
    public let weightCommitment: LigeroCommitment
    public let weightParameters: LigeroParameters
    /// C_1's parameters; used only when ``adviceTransport`` is ``AdviceTransport/committed``.
    public let adviceParameters: LigeroParameters
    /// How proofs carry the advice (committed as C_1, or in the clear).
    public let adviceTransport: AdviceTransport
    /// The real-number reading of the input and output, when the circuit came from a model.
    public let interface: ModelInterface?
    /// The version of the tool that wrote the key (``ToolVersion/current`` for a key built in
    /// memory). Informational: not part of ``modelID``.
    public let toolVersion: String
    /// The model id: BLAKE2b-256 of ``encoded()`` without the tool version.
    public let modelID: Digest32
    public let layout: ProtocolLayout

    public init(
        circuit: Circuit, constants: [TensorID: [Int64]], weightCommitment: LigeroCommitment,
        weightParameters: LigeroParameters, adviceParameters: LigeroParameters,
        adviceTransport: AdviceTransport, interface: ModelInterface? = nil,
        toolVersion: String = ToolVersion.current
    ) {
        self.circuit = circuit
        self.constants = constants
        self.weightCommitment = weightCommitment
        self.weightParameters = weightParameters
        self.adviceParameters = adviceParameters
        self.adviceTransport = adviceTransport
        self.interface = interface
        self.layout = ProtocolLayout(circuit: circuit)
        self.toolVersion = toolVersion
        self.modelID = VerificationKey.modelID(
            circuit: circuit, constants: constants, weightCommitment: weightCommitment,
            weightParameters: weightParameters, adviceParameters: adviceParameters, adviceTransport: adviceTransport,
            interface: interface)
    }

    /// The padded slot values of a constant tensor.
    package func constantSlots(_ id: TensorID) -> [Int64] {
        circuit.tensors[id].layout.padded(constants[id] ?? [], padding: 0)
    }
}
