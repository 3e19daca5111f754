import Testing
import ZKCircuit
import ZKField
import ZKLookup
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// The honest prover run on specific bad witnesses (DESIGN.md, "Tests"): each must be rejected,
/// with the error of the relation that catches it. The checker (written independently) must name
/// the same relation. Every bad witness is proven under both advice transports (committed and in
/// the clear), which must reject it with the same error.
@Suite("Malicious witnesses")
struct MaliciousWitnessTests {
    let keys: [ProvingKey<Fr>]
    let honest: Witness
    var pk: ProvingKey<Fr> { keys[0] }
    var circuit: Circuit { pk.verificationKey.circuit }

    /// One key per advice transport and the honest witness, for the whole suite (a suite
    /// instance is made per test).
    static let fixture = Result { () throws -> ([ProvingKey<Fr>], Witness) in
        let setUps = try AdviceTransport.allCases.map {
            try EndToEndTests.setUp(sizes: [20, 12, 5], stream: 11, adviceTransport: $0)
        }
        return (setUps.map(\.0), setUps[0].1)
    }

    init() throws {
        (keys, honest) = try Self.fixture.get()
    }

    /// The first relation of `kind` and its index.
    func first(_ kind: String) -> (Int, Relation) {
        let i = circuit.relations.firstIndex { $0.kind == kind }!
        return (i, circuit.relations[i])
    }

    /// The activation lookup that reads tensor `y`, and its table's function.
    func activation(of y: TensorID) -> (output: TensorID, f: (Int64) -> Int64) {
        for relation in circuit.relations {
            if case .lookup(y, let out?, let t) = relation, case .function(_, let bits, let values) = circuit.tables[t] {
                let half = Int64(1) << Int64(bits - 1)
                return (out, { values[Int($0 + half)] })
            }
        }
        fatalError("no activation reads tensor \(y)")
    }

    /// The verdict on `witness`'s proof, the same under every advice transport.
    func rejection(_ witness: Witness) throws -> VerificationError? {
        let verdicts = try keys.map { pk -> VerificationError? in
            let proof = try Prover.prove(provingKey: pk, witness: witness)
            do throws(VerificationError) {
                try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
                return nil
            } catch {
                return error
            }
        }
        #expect(verdicts.allSatisfy { $0 == verdicts[0] }, "the advice transports disagree: \(verdicts)")
        return verdicts[0]
    }

    func matMulIndex(feeding requantize: Int) -> Int {
        guard case .requantize(_, let acc, _, _, _) = circuit.relations[requantize] else { fatalError() }
        return circuit.relations.firstIndex { if case .matMul(acc, _, _, _) = $0 { return true } else { return false } }!
    }

    @Test func offByOneRequantization() throws {
        let (r, relation) = first("requantize")
        guard case .requantize(let y, _, _, _, _) = relation else { return }
        let (a, f) = activation(of: y)
        // A slot where the activation is flat (ReLU's negative side), so the change stays local
        // to this requantization and its matrix product is the relation that must catch it.
        let layout = circuit.tensors[y].layout
        let slot = try #require((0..<layout.slotCount).first {
            layout.isLogicalSlot($0) && f(honest.slots[y][$0]) == f(honest.slots[y][$0] + 1)
        })
        var witness = honest
        witness.slots[y][slot] += 1
        witness.slots[a][slot] = f(witness.slots[y][slot])
        #expect(CircuitChecker.check(circuit, witness)?.relation == r)
        #expect(try rejection(witness) == .relationCheckFailed(relation: matMulIndex(feeding: r), check: .matMulFinal))
    }

    /// The table of the lookup group whose columns are `columns`.
    func table(lookingUp columns: [TensorID]) -> Int {
        pk.verificationKey.layout.lookupGroups.first { $0.columns == columns }!.table
    }

    @Test func remainderOutOfRange() throws {
        let (r, relation) = first("requantize")
        guard case .requantize(let y, _, let limbs, _, let shift) = relation else { return }
        let (a, f) = activation(of: y)
        var witness = honest
        // y − 1 with the remainder raised by 2^s keeps the identity; only the limb's range breaks.
        witness.slots[y][2] -= 1
        witness.slots[a][2] = f(witness.slots[y][2])
        witness.slots[limbs.last!][2] += Int64(1) << Int64(shift - 8 * (limbs.count - 1))
        #expect(CircuitChecker.check(circuit, witness)?.relation == r)
        // A looked-up value outside its table: the group fractions have a pole the table's do not,
        // so that table's root sum is where the lookup argument rejects.
        #expect(try rejection(witness) == .lookupFailed(.rootMismatch(table: table(lookingUp: [limbs.last!]))))
    }

    @Test func nonzeroPadding() throws {
        let (r, relation) = first("requantize")
        guard case .requantize(let y, _, _, _, _) = relation else { return }
        let (a, f) = activation(of: y)
        let layout = circuit.tensors[y].layout
        let padding = (0..<layout.slotCount).first { !layout.isLogicalSlot($0) }!
        var witness = honest
        witness.slots[y][padding] = 1
        witness.slots[a][padding] = f(1)
        #expect(CircuitChecker.check(circuit, witness)?.relation == r)
        #expect(try rejection(witness) == .relationCheckFailed(relation: matMulIndex(feeding: r), check: .matMulFinal))
    }

    @Test func wrongActivation() throws {
        let (_, relation) = first("requantize")
        guard case .requantize(let y, _, _, _, _) = relation else { return }
        let (a, _) = activation(of: y)
        var witness = honest
        witness.slots[a][1] += 1
        #expect(CircuitChecker.check(circuit, witness)?.kind == "lookup")
        #expect(try rejection(witness) == .lookupFailed(.rootMismatch(table: table(lookingUp: [y, a]))))
    }

    @Test func wrongAccumulatorCannotBeExpressed() throws {
        // The accumulator is virtual (never committed): changing it in the witness changes
        // nothing the prover sends, so the proof still verifies — the relation defines it.
        let (_, relation) = first("matMul")
        guard case .matMul(let acc, _, _, _) = relation else { return }
        var witness = honest
        witness.slots[acc][0] += 1
        #expect(try rejection(witness) == nil)
    }

    @Test func wrongOutputClaimedAsPublic() throws {
        // The public output is the last requantization's y: the prover sends y(z) from the wrong
        // output, so the accumulator's claim moves and the last matrix product rejects.
        var witness = honest
        witness.slots[circuit.output][0] += 1
        let r = try #require(circuit.relations.lastIndex { $0.kind == "requantize" })
        #expect(CircuitChecker.check(circuit, witness)?.relation == r)
        #expect(try rejection(witness) == .relationCheckFailed(relation: matMulIndex(feeding: r), check: .matMulFinal))
    }
}

/// Sets slot `slot` of a requantization's accumulator to `accumulator` and its output and
/// remainder limbs to the values the rounding rule gives (`valid = 0` on padding slots), so that
/// the requantization holds there and only the relation defining the accumulator is broken.
func requantizeConsistently(
    _ witness: inout Witness, circuit: Circuit, relation: Int, slot: Int, accumulator: Int64
) {
    guard case .requantize(let y, let acc, let limbs, let multiplier, let shift) = circuit.relations[relation] else {
        preconditionFailure("relation \(relation) is not a requantization")
    }
    let half: Int64 = circuit.tensors[y].layout.isLogicalSlot(slot) ? 1 << (shift - 1) : 0
    let numerator = accumulator * multiplier + half
    let quotient = numerator >> Int64(shift)                 // floor, never Swift's `/`
    var remainder = numerator - (quotient << Int64(shift))
    witness.slots[acc][slot] = accumulator
    witness.slots[y][slot] = quotient
    for limb in limbs {
        witness.slots[limb][slot] = remainder & 255
        remainder >>= 8
    }
}

/// Malicious witnesses for the element-wise product, the concatenation and the convolution, each
/// rejected by the check of the relation it breaks (the checker names the same relation).
@Suite("Malicious witnesses: products, concatenation, convolution")
struct MaliciousRelationWitnessTests {
    func rejection(_ pk: ProvingKey<Fr>, _ witness: Witness) throws -> VerificationError? {
        let proof = try Prover.prove(provingKey: pk, witness: witness)
        do { try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self); return nil } catch { return error }
    }

    @Test func productOffByOneWithAVirtualOutput() throws {
        // square = input ⊙ input is virtual: one product off by one, with the requantization (and so
        // the public output) following the wrong product. The requantization holds; the product's
        // claims, taken from it, no longer match lhs·rhs.
        let (pk, honest) = try RelationTamperTests.squareCircuit()
        let circuit = pk.verificationKey.circuit
        guard case .mul(let m, _, _) = circuit.relations[0] else { Issue.record("expected a product first"); return }
        var witness = honest
        requantizeConsistently(&witness, circuit: circuit, relation: 1, slot: 2, accumulator: honest.slots[m][2] + 1)
        #expect(CircuitChecker.check(circuit, witness)?.relation == 0)
        #expect(try rejection(pk, witness) == .relationCheckFailed(relation: 0, check: .mulFinal))
    }

    @Test func productOffByOneWithAStoredOutput() throws {
        // output = sum ⊙ q is the public output: one entry off by one makes
        // Σ_x eq(r, x)·(sum·q − output)(x) = −eq(r, slot) ≠ 0, and the zerocheck's final check fails.
        let (pk, honest) = try DataMovementTests.circuit()
        let circuit = pk.verificationKey.circuit
        var witness = honest
        witness.slots[circuit.output][circuit.tensors[circuit.output].layout.slot(ofLogicalIndex: 7)] += 1
        #expect(CircuitChecker.check(circuit, witness)?.relation == 5)
        #expect(try rejection(pk, witness) == .relationCheckFailed(relation: 5, check: .mulFinal))
    }

    @Test func concatenationEntryThatIsNotItsInputs() throws {
        // output = concat(t, t) along columns: output[1, 4] should be t[1, 1]. The prover's
        // contributions come from the inputs, its out(z) from the wrong output: the split fails.
        let (pk, honest) = try RelabelAndConcatTests.circuit()
        let circuit = pk.verificationKey.circuit
        let layout = circuit.tensors[circuit.output].layout
        var witness = honest
        witness.slots[circuit.output][layout.slot(ofLogicalIndex: 1 * 6 + 4)] += 1
        #expect(CircuitChecker.check(circuit, witness)?.relation == 3)
        #expect(try rejection(pk, witness) == .relationCheckFailed(relation: 3, check: .concatContributions))
    }

    /// Per-channel requantization (`RelationTamperTests.perChannelCircuit()`: conv2d, 1 linear
    /// broadcast of the constant factors, 2 mul, 3 requantize): a slot of channel 1 whose output is
    /// one more than the rounding gives — the scaled accumulator raised by 2^24 so that the
    /// requantization still holds. The product of the accumulator and the factor no longer does.
    @Test func perChannelOutputOffByOne() throws {
        let (pk, honest, _, _, scaled) = try RelationTamperTests.perChannelCircuit()
        let circuit = pk.verificationKey.circuit
        let slot = circuit.tensors[scaled].layout.slot(ofLogicalIndex: 1 * 30 + 7)
        var witness = honest
        requantizeConsistently(&witness, circuit: circuit, relation: 3, slot: slot, accumulator: honest.slots[scaled][slot] + (1 << 24))
        #expect(witness.slots[circuit.output][slot] == honest.slots[circuit.output][slot] + 1)
        #expect(CircuitChecker.check(circuit, witness)?.relation == 2)
        #expect(try rejection(pk, witness) == .relationCheckFailed(relation: 2, check: .mulFinal))
    }

    /// The accumulator the per-channel product `scaled` multiplies (its `mul`'s left operand).
    func accumulator(scaledBy scaled: TensorID, in circuit: Circuit) throws -> TensorID {
        try #require(circuit.relations.compactMap { relation -> TensorID? in
            if case .mul(scaled, let lhs, _) = relation { return lhs } else { return nil }
        }.first)
    }

    /// A slot of channel 1 scaled by channel 0's factor (the product and the requantization
    /// follow): the broadcast of the constant is what breaks.
    @Test func perChannelFactorOfAnotherChannel() throws {
        let (pk, honest, factors, broadcast, scaled) = try RelationTamperTests.perChannelCircuit()
        let circuit = pk.verificationKey.circuit
        let acc = try accumulator(scaledBy: scaled, in: circuit)
        let slot = circuit.tensors[scaled].layout.slot(ofLogicalIndex: 1 * 30 + 7)
        let other = honest.slots[factors][0]
        #expect(other != honest.slots[broadcast][slot])
        var witness = honest
        witness.slots[broadcast][slot] = other
        requantizeConsistently(&witness, circuit: circuit, relation: 3, slot: slot, accumulator: honest.slots[acc][slot] * other)
        #expect(CircuitChecker.check(circuit, witness)?.relation == 1)
        #expect(try rejection(pk, witness) == .relationCheckFailed(relation: 1, check: .linearFinal))
    }

    /// Channel 1's factor 2^12 larger than the key's, consistently everywhere in the witness
    /// (broadcast, product, requantization): every relation holds, so the proof carries a claim on
    /// the constant that the key's integers contradict, and the verifier's own evaluation of the
    /// constant rejects it. (The checker sees the witness only, not the key's constants.)
    @Test func perChannelConstantThatIsNotTheKeys() throws {
        let (pk, honest, factors, broadcast, scaled) = try RelationTamperTests.perChannelCircuit()
        let circuit = pk.verificationKey.circuit
        let acc = try accumulator(scaledBy: scaled, in: circuit)
        var witness = honest
        let factorSlot = circuit.tensors[factors].layout.slot(ofLogicalIndex: 1)
        witness.slots[factors][factorSlot] += 1 << 12
        let layout = circuit.tensors[scaled].layout
        for index in 30..<60 {
            let slot = layout.slot(ofLogicalIndex: index)
            witness.slots[broadcast][slot] = witness.slots[factors][factorSlot]
            requantizeConsistently(&witness, circuit: circuit, relation: 3, slot: slot,
                                   accumulator: honest.slots[acc][slot] * witness.slots[factors][factorSlot])
        }
        #expect(witness.slots[circuit.output] != honest.slots[circuit.output])
        #expect(CircuitChecker.check(circuit, witness) == nil)
        #expect(try rejection(pk, witness) == .constantEvaluationMismatch(tensor: factors))
    }

    /// One convolution layer, `[2, 5, 6] → conv 3×3, same padding → [2, 5, 6]` (slots `[2, 8, 8]`,
    /// so the accumulator has padding) → requantize → public output.
    static func convolutionLayer() throws -> (ProvingKey<Fr>, Witness) {
        var rng = SeededGenerator.forTest(stream: 430)
        let (circuit, known) = ExampleCircuits.convolutionLayer(input: [2, 5, 6], channels: 2, kernel: 3, using: &rng)
        try circuit.validate()
        let witness = try WitnessBuilder.build(circuit: circuit, known: known)
        #expect(CircuitChecker.check(circuit, witness) == nil)
        return (try Setup.run(circuit: circuit, known: known, field: Fr.self), witness)
    }

    @Test func convolutionAccumulatorOffByOne() throws {
        // The accumulator is virtual: off by one at one position, with its requantization following
        // it (a position whose remainder has room, so the output does not change). The claims on the
        // accumulator now disagree with Σ W·x, and the sumcheck over the input ends wrong.
        let (pk, honest) = try Self.convolutionLayer()
        let circuit = pk.verificationKey.circuit
        guard case .conv2d(let acc, _, _, _, _, _, _) = circuit.relations[0],
              case .requantize(let y, _, _, _, let shift) = circuit.relations[1] else {
            Issue.record("expected conv2d then requantize"); return
        }
        let layout = circuit.tensors[acc].layout
        let slot = try #require((0..<layout.slotCount).first { slot in
            guard layout.isLogicalSlot(slot) else { return false }
            let remainder = honest.slots[acc][slot] + (1 << Int64(shift - 1)) - (honest.slots[y][slot] << Int64(shift))
            return remainder + 1 < 1 << Int64(shift)
        })
        var witness = honest
        requantizeConsistently(&witness, circuit: circuit, relation: 1, slot: slot, accumulator: honest.slots[acc][slot] + 1)
        #expect(witness.slots[y] == honest.slots[y])
        let failure = try #require(CircuitChecker.check(circuit, witness))
        #expect(failure.relation == 0 && failure.slot == slot)
        #expect(try rejection(pk, witness) == .relationCheckFailed(relation: 0, check: .conv2dInput))
    }

    @Test func convolutionNonzeroPadding() throws {
        // A padding slot of the accumulator set to 1, with remainder 1 there (so the requantization,
        // M·acc = 2^s·y + r on padding, still holds with y = 0): the convolution defines the
        // accumulator as zero on padding, and its sumcheck over the input ends wrong.
        let (pk, honest) = try Self.convolutionLayer()
        let circuit = pk.verificationKey.circuit
        guard case .conv2d(let acc, _, _, _, _, _, _) = circuit.relations[0],
              case .requantize(let y, _, let limbs, _, _) = circuit.relations[1] else {
            Issue.record("expected conv2d then requantize"); return
        }
        let layout = circuit.tensors[acc].layout
        let padding = try #require((0..<layout.slotCount).first { !layout.isLogicalSlot($0) })
        var witness = honest
        requantizeConsistently(&witness, circuit: circuit, relation: 1, slot: padding, accumulator: 1)
        #expect(witness.slots[y][padding] == 0 && witness.slots[limbs[0]][padding] == 1)
        let failure = try #require(CircuitChecker.check(circuit, witness))
        #expect(failure.relation == 0 && failure.slot == padding)
        #expect(try rejection(pk, witness) == .relationCheckFailed(relation: 0, check: .conv2dInput))
    }
}
