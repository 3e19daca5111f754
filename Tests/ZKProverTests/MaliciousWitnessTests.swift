import Testing
import ZKCircuit
import ZKField
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// The honest prover run on specific bad witnesses (DESIGN.md, "Tests"): each must be rejected,
/// with the error of the relation that catches it. The checker (written independently) must name
/// the same relation.
@Suite("Malicious witnesses")
struct MaliciousWitnessTests {
    let pk: ProvingKey<Fr>
    let honest: Witness
    var circuit: Circuit { pk.verificationKey.circuit }

    init() throws {
        (pk, honest) = try EndToEndTests.setUp(sizes: [20, 12, 5], stream: 11)
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

    func rejection(_ witness: Witness) throws -> VerificationError? {
        let proof = try Prover.prove(provingKey: pk, witness: witness)
        do {
            try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
            return nil
        } catch {
            return error
        }
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
        guard case .lookupFailed = try rejection(witness) else {
            Issue.record("expected the range lookup to reject"); return
        }
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
        guard case .lookupFailed = try rejection(witness) else {
            Issue.record("expected the activation lookup to reject"); return
        }
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
        var witness = honest
        witness.slots[circuit.output][0] += 1
        let error = try rejection(witness)
        #expect(error != nil)
    }
}
