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
/// 2. the advice's first part (``AdviceEvidence``): the root of the advice commitment C_1, or the
///    advice itself in the clear — whichever the key's ``AdviceTransport`` says;
/// 3. the lookup argument (logUp-GKR) for every lookup relation;
/// 4. one ``RelationProof`` per arithmetic relation, walking the circuit backwards;
/// 5. for committed advice, the sumcheck that reduces every claim on C_1 to one point, C_1's value
///    there and C_1's Ligero opening (one claim);
/// 6. the Ligero opening of C_W (one row per weight claim).
///
/// Proofs are **not zero-knowledge**: the input and output are public, the openings reveal
/// linear combinations of the advice and the weights, and advice in the clear is all there.
public struct Proof<F: LargePrimeField>: Sendable, Equatable {
    public var publicInput: [Int64]
    public var publicOutput: [Int64]
    public var advice: AdviceEvidence<F>
    /// `nil` exactly when the circuit has no lookup relation.
    public var lookup: LookupProof<F>?
    public var relations: [RelationProof<F>]
    /// `nil` exactly when the circuit has no weight claims to open (no weight tensors).
    public var weightOpening: LigeroOpeningProof<F, F>?

    public init(
        publicInput: [Int64], publicOutput: [Int64], advice: AdviceEvidence<F>, lookup: LookupProof<F>?,
        relations: [RelationProof<F>], weightOpening: LigeroOpeningProof<F, F>?
    ) {
        self.publicInput = publicInput
        self.publicOutput = publicOutput
        self.advice = advice
        self.lookup = lookup
        self.relations = relations
        self.weightOpening = weightOpening
    }
}

/// What a proof sends for its advice, by the key's ``AdviceTransport``.
public enum AdviceEvidence<F: LargePrimeField>: Sendable, Equatable {
    /// C_1's root (absorbed first), then the batch sumcheck, C_1's value at its point and the opening.
    case committed(CommittedAdvice<F>)
    /// Every advice polynomial's slots as integers, in the order of
    /// ``ProtocolLayout/advice``'s placements (largest first): the packed advice vector without its
    /// trailing zeros. Absorbed before any challenge.
    case clear(values: [Int64])
}

/// The committed form of the advice (``AdviceTransport/committed``).
public struct CommittedAdvice<F: LargePrimeField>: Sendable, Equatable {
    public var root: Digest32
    public var batch: SumcheckProof<F>
    public var batchValue: F
    public var opening: LigeroOpeningProof<F, F>

    public init(root: Digest32, batch: SumcheckProof<F>, batchValue: F, opening: LigeroOpeningProof<F, F>) {
        self.root = root
        self.batch = batch
        self.batchValue = batchValue
        self.opening = opening
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
