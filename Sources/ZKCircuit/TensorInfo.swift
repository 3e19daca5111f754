/// Identifies a tensor within one circuit (an index into ``Circuit/tensors``).
public typealias TensorID = Int

/// Where a tensor's values live in a proof.
public enum TensorStorage: UInt8, Sendable, Hashable, Codable {
    /// The public input: sent by the user, absorbed into the transcript, never committed; the
    /// verifier evaluates its multilinear extension itself and checks its range.
    case publicInput = 0
    /// The public output, treated like the input.
    case publicOutput = 1
    /// Model weights: committed once at setup in the weight commitment C_W.
    case weight = 2
    /// Model constants small enough to sit in the verification key in the clear (biases): the
    /// verifier evaluates them itself.
    case constant = 3
    /// Per-proof advice (activations, remainder limbs, multiplicities): committed in C_1, or sent
    /// in the clear when the key says so.
    case advice = 4
    /// Never stored: defined by the relation that produces it (a matrix product's accumulator).
    /// Every claim on it must be consumed by that relation.
    case virtual = 5
}

/// A tensor of the circuit: a name, a layout, where it is stored, and the range of its values.
public struct TensorInfo: Sendable, Hashable, Codable {
    public var name: String
    public var layout: TensorLayout
    public var storage: TensorStorage
    /// Inclusive bounds on every entry (worst case, from the compiler): the verifier checks
    /// public tensors against them and the compiler's no-wrap check uses them.
    public var minimum: Int64
    public var maximum: Int64

    public init(name: String, shape: [Int], storage: TensorStorage, minimum: Int64, maximum: Int64) {
        self.init(name: name, layout: TensorLayout(shape: shape), storage: storage, minimum: minimum, maximum: maximum)
    }

    public init(name: String, layout: TensorLayout, storage: TensorStorage, minimum: Int64, maximum: Int64) {
        self.name = name
        self.layout = layout
        self.storage = storage
        self.minimum = minimum
        self.maximum = maximum
    }
}
