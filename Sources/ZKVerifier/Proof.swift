public import ZKCommit
public import ZKField
public import ZKLookup
public import ZKSodium
public import ZKSumcheck

/// A proof that a circuit's public output is its relations applied to its public input, for the
/// weights committed in a verification key.
///
/// Contents, in the order the verifier reads them (and the order of the binary format,
/// ``Proof/encoded()``):
/// 1. the public input and output as integers (never committed);
/// 2. the root of the advice commitment C_1 (activations, remainder limbs, lookup multiplicities);
/// 3. the lookup argument (logUp-GKR) for every lookup relation;
/// 4. one ``RelationProof`` per arithmetic relation, walking the circuit backwards;
/// 5. the sumcheck that reduces every claim on C_1 to one point, and C_1's value there;
/// 6. the Ligero openings of C_1 (one claim) and of C_W (one row per weight claim).
///
/// Proofs are **not zero-knowledge**: the input and output are public, and the openings reveal
/// linear combinations of the advice and the weights.
public struct Proof<F: LargePrimeField>: Sendable, Equatable {
    public var publicInput: [Int64]
    public var publicOutput: [Int64]
    public var adviceRoot: Digest32
    /// `nil` exactly when the circuit has no lookup relation.
    public var lookup: LookupProof<F>?
    public var relations: [RelationProof<F>]
    public var adviceBatch: SumcheckProof<F>
    public var adviceBatchValue: F
    public var adviceOpening: LigeroOpeningProof<F, F>
    /// `nil` exactly when the circuit has no weight claims to open (no weight tensors).
    public var weightOpening: LigeroOpeningProof<F, F>?

    public init(
        publicInput: [Int64], publicOutput: [Int64], adviceRoot: Digest32, lookup: LookupProof<F>?,
        relations: [RelationProof<F>], adviceBatch: SumcheckProof<F>, adviceBatchValue: F,
        adviceOpening: LigeroOpeningProof<F, F>, weightOpening: LigeroOpeningProof<F, F>?
    ) {
        self.publicInput = publicInput
        self.publicOutput = publicOutput
        self.adviceRoot = adviceRoot
        self.lookup = lookup
        self.relations = relations
        self.adviceBatch = adviceBatch
        self.adviceBatchValue = adviceBatchValue
        self.adviceOpening = adviceOpening
        self.weightOpening = weightOpening
    }
}

/// The messages of one arithmetic relation.
public enum RelationProof<F: LargePrimeField>: Sendable, Equatable {
    /// Requantization: `y(z)` and each remainder limb at the relation's random point `z`.
    case requantize(evaluations: [F])
    /// Matrix–vector product: the product sumcheck over the input variables, then `x(s)` and
    /// `W(s, z_j)` for every claim `z_j` on the accumulator.
    case matMul(sumcheck: SumcheckProof<F>, evaluations: [F])
    /// Addition: `lhs(z)`, `rhs(z)` per claim on the output (and the output's own value first when
    /// it is stored).
    case add(evaluations: [F])
    /// Any other relation: its sumchecks and evaluations, in the order the relation's
    /// documentation gives (``Relation/mul(output:lhs:rhs:)``, ``Relation/linear(output:input:map:)``,
    /// ``Relation/maxPool(output:input:differences:kernel:stride:pads:)``,
    /// ``Relation/conv2d(output:weights:input:bias:stride:pads:groups:)``).
    case general(sumchecks: [SumcheckProof<F>], evaluations: [F])
}
