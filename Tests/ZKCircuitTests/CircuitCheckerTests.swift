import Testing
import ZKCircuit
import ZKTesting

/// The integer engine and the independent checker agree on honest witnesses, and the checker
/// names the relation and slot of each kind of malicious witness.
@Suite("Circuit checker")
struct CircuitCheckerTests {
    static func honest(stream: UInt64 = 1) throws -> (Circuit, Witness) {
        var rng = SeededGenerator.forTest(stream: stream)
        let (circuit, known) = ExampleCircuits.mlp(sizes: [20, 12, 5], using: &rng)
        try circuit.validate()
        return (circuit, try WitnessBuilder.build(circuit: circuit, known: known))
    }

    func index(of kind: String, in circuit: Circuit, after: Int = -1) -> Int {
        circuit.relations.indices.first { $0 > after && circuit.relations[$0].kind == kind }!
    }

    @Test func honestWitnessPasses() throws {
        let (circuit, witness) = try Self.honest()
        #expect(CircuitChecker.check(circuit, witness) == nil)
    }

    @Test func requantizationMatchesFloorRounding() throws {
        let (circuit, witness) = try Self.honest()
        guard case .requantize(let y, let acc, _, let m, let s) = circuit.relations[index(of: "requantize", in: circuit)] else {
            Issue.record("no requantize relation"); return
        }
        let layout = circuit.tensors[y].layout
        for slot in 0..<layout.count {
            let a = witness.slots[acc][slot]
            // floor((a·M + 2^(s−1)) / 2^s) computed with Double-free integer division toward −∞.
            let numerator = a * m + (Int64(1) << Int64(s - 1))
            let q = numerator >= 0 ? numerator / (1 << Int64(s)) : -((-numerator + (1 << Int64(s)) - 1) / (1 << Int64(s)))
            #expect(witness.slots[y][slot] == q)
        }
    }

    @Test func offByOneRequantizationIsReported() throws {
        let (circuit, original) = try Self.honest()
        let r = index(of: "requantize", in: circuit)
        guard case .requantize(let y, _, _, _, _) = circuit.relations[r] else { return }
        var witness = original
        witness.slots[y][3] += 1
        let failure = try #require(CircuitChecker.check(circuit, witness))
        #expect(failure.relation == r && failure.slot == 3 && failure.kind == "requantize")
    }

    @Test func remainderOutOfRangeIsReported() throws {
        let (circuit, original) = try Self.honest()
        let r = index(of: "requantize", in: circuit)
        guard case .requantize(let y, _, let limbs, _, let shift) = circuit.relations[r] else { return }
        // Move one unit of y into the remainder: the identity still holds, the range does not.
        var witness = original
        witness.slots[y][2] -= 1
        witness.slots[limbs.last!][2] += Int64(1) << Int64(shift - 8 * (limbs.count - 1))
        let failure = try #require(CircuitChecker.check(circuit, witness))
        #expect(failure.relation == r && failure.slot == 2)
        #expect(failure.message.contains("outside"))
    }

    @Test func wrongActivationIsReported() throws {
        let (circuit, original) = try Self.honest()
        guard let r = circuit.relations.indices.first(where: {
            if case .lookup(_, let out, _) = circuit.relations[$0] { return out != nil } else { return false }
        }), case .lookup(_, let out?, _) = circuit.relations[r] else { Issue.record("no activation"); return }
        var witness = original
        witness.slots[out][1] += 1
        let failure = try #require(CircuitChecker.check(circuit, witness))
        #expect(failure.relation == r && failure.slot == 1 && failure.kind == "lookup")
    }

    @Test func nonzeroPaddingIsReported() throws {
        let (circuit, original) = try Self.honest()
        var witness = original
        // The 20-entry input lives in 32 slots; slot 25 is padding.
        witness.slots[circuit.input][25] = 1
        let failure = try #require(CircuitChecker.check(circuit, witness))
        #expect(failure.kind == "padding" && failure.slot == 25)
    }

    @Test func wrongAccumulatorIsReported() throws {
        let (circuit, original) = try Self.honest()
        let r = index(of: "matMul", in: circuit)
        guard case .matMul(let acc, _, _, _) = circuit.relations[r] else { return }
        var witness = original
        witness.slots[acc][0] += 1
        let failure = try #require(CircuitChecker.check(circuit, witness))
        #expect(failure.relation == r && failure.slot == 0)
    }

    @Test func layoutsPadEveryDimension() {
        let layout = TensorLayout(shape: [3, 5])
        #expect(layout.dimensionBits == [2, 3])
        #expect(layout.slotCount == 32)
        #expect(layout.slot(ofLogicalIndex: 7) == (1 << 3) | 2)     // row 1, column 2
        #expect(layout.isLogicalSlot(10) && !layout.isLogicalSlot(6) && !layout.isLogicalSlot(24))
        let padded = layout.padded(Array(0..<15), padding: -1)
        #expect(padded[(2 << 3) | 4] == 14 && padded[5] == -1)
    }

    @Test func structuralErrorsAreNamed() throws {
        var rng = SeededGenerator.forTest(stream: 9)
        var (circuit, _) = ExampleCircuits.mlp(sizes: [4, 3], using: &rng)
        circuit.relations[0] = .matMul(output: 0, weights: 1, input: 0, bias: nil)
        #expect(throws: CircuitError.self) { try circuit.validate() }
    }
}
