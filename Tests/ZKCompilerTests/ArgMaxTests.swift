import Testing
import ZKCircuit
import ZKCompiler
import ZKField
import ZKLookup
import ZKModel
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// ArgMax proven in the circuit (CircuitBuilder+ArgMax.swift): any axis, keepdims, select_last_index,
/// many rows; integer inference against the float executor (with ties), proofs that verify, the
/// old verifier-side form where it still applies, malicious one-hot witnesses rejected, and
/// hostile attributes refused with a typed error.
@Suite("ArgMax")
struct ArgMaxTests {
    /// `x` (shape `inputShape`) → ArgMax → `y`, optionally after a Relu (so the ArgMax reads advice).
    static func graph(_ inputShape: [Int], axis: Int, keepDims: Bool, last: Bool, relu: Bool = false) -> ModelGraph {
        let a = TensorShape.normalizedAxis(axis, rank: inputShape.count)!
        var out = inputShape
        if keepDims { out[a] = 1 } else { out.remove(at: a) }
        var nodes: [ModelNode] = []
        if relu { nodes.append(ModelNode(name: "relu", op: .relu, inputs: ["x"], outputs: ["r"])) }
        nodes.append(ModelNode(name: "argmax", op: .argMax(axis: axis, keepDims: keepDims, selectLastIndex: last),
                               inputs: [relu ? "r" : "x"], outputs: ["y"]))
        return ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: inputShape))],
            outputs: [ValueInfo(name: "y", type: TensorType(elementType: .int64, shape: out))],
            initializers: [:], nodes: nodes)
    }

    /// Values on a grid of quarters in [−1, 1], with many ties; the calibration includes ±1, so at
    /// 8 bits every quarter is its own integer (31.75 steps apart) and the integer order is the float
    /// order, ties included.
    static func tiedInput(_ shape: [Int], _ rng: inout SeededGenerator) -> FloatTensor {
        let count = shape.reduce(1, *)
        return try! FloatTensor(shape: shape, values: (0..<count).map { _ in Float(Int(rng.next() % 5) - 2) / 4 })
    }

    static func compile(_ graph: ModelGraph, _ shape: [Int], options: CompileOptions = CompileOptions()) throws -> CompiledModel {
        let count = shape.reduce(1, *)
        let extremes = try FloatTensor(shape: shape, values: (0..<count).map { $0 % 2 == 0 ? 1 : -1 })
        return try Compiler.compile(graph, calibration: [["x": extremes]], options: options)
    }

    static let shapes: [[Int]] = [[2, 3, 4], [1, 3, 4], [3, 5], [4], [1, 6]]

    /// Every (shape, axis — negative ones too, keepdims, select_last_index): the integer output
    /// equals the float executor's on inputs full of ties, and the witness satisfies the circuit.
    @Test(arguments: shapes) func integerInferenceMatchesTheFloatExecutorWithTies(_ shape: [Int]) throws {
        var rng = SeededGenerator.forTest(stream: 900 + UInt64(shape.reduce(1, *)))
        for axis in -shape.count..<shape.count {
            for keepDims in [false, true] {
                for last in [false, true] {
                    let graph = Self.graph(shape, axis: axis, keepDims: keepDims, last: last)
                    let model = try Self.compile(graph, shape)
                    let executor = try FloatExecutor(graph: graph)
                    for _ in 0..<4 {
                        let x = Self.tiedInput(shape, &rng)
                        let reference = try executor.run(["x": x])["y"]!.values.map(Double.init)
                        let inference = try model.run(input: x.values)
                        #expect(inference.output == reference, "\(shape) axis \(axis) keepdims \(keepDims) last \(last): x = \(x.values)")
                        #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
                    }
                    // A single row at the end keeps the verifier-side form (first index only).
                    let single = shape.enumerated().allSatisfy { $0.offset == (axis + shape.count) % shape.count || $0.element == 1 }
                    #expect((model.outputPostprocessing == .argmax) == (single && !last))
                    if model.outputPostprocessing == .none {
                        #expect(model.outputScale == 1 && !model.witnessHints.isEmpty)
                    }
                }
            }
        }
    }

    /// Compiles, runs on a tied input, checks against the float executor, proves and verifies.
    func proveAndVerify(_ graph: ModelGraph, _ shape: [Int], stream: UInt64) throws -> (CompiledModel, ProvingKey<Fr>, IntegerInference) {
        var rng = SeededGenerator.forTest(stream: stream)
        let model = try Self.compile(graph, shape)
        let x = Self.tiedInput(shape, &rng)
        let inference = try model.run(input: x.values)
        let reference = try FloatExecutor(graph: graph).run(["x": x])["y"]!.values.map(Double.init)
        #expect(inference.output == reference)
        #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
        let pk = try Setup.run(model: model, field: Fr.self)
        let proof = try Prover.prove(provingKey: pk, witness: inference.witness, selfCheck: true)
        try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        #expect(proof.publicOutput == inference.outputIntegers)
        let statement = try ProofStatement(proof: proof, verificationKey: pk.verificationKey)
        #expect(statement.output == reference, "the verifier reads the proven indices")
        return (model, pk, inference)
    }

    /// The index feeding later operators: `ArgMax → Cast(float) → × 0.5`, so the proven index is
    /// an activation (scale 1, zero point 0) that a Cast reads through and a requantizing Mul
    /// consumes.
    @Test func anIndexFeedingLaterOperatorsProves() throws {
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [4, 5]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [4]))],
            initializers: ["half": .float(FloatTensor(scalar: 0.5))],
            nodes: [
                ModelNode(name: "argmax", op: .argMax(axis: 1, keepDims: false, selectLastIndex: false), inputs: ["x"], outputs: ["i"]),
                ModelNode(name: "cast", op: .cast(to: .float32), inputs: ["i"], outputs: ["f"]),
                ModelNode(name: "scale", op: .mul, inputs: ["f", "half"], outputs: ["y"]),
            ])
        let model = try Self.compile(graph, [4, 5])
        #expect(!model.witnessHints.isEmpty && model.outputPostprocessing == .none)
        var rng = SeededGenerator.forTest(stream: 913)
        let x = Self.tiedInput([4, 5], &rng)
        let reference = try FloatExecutor(graph: graph).run(["x": x])["y"]!.values.map(Double.init)
        let inference = try model.run(input: x.values)
        // Halves of indices 0…4: exact at the output's scale.
        for (got, want) in zip(inference.output, reference) { #expect(abs(got - want) <= model.outputScale, "\(inference.output) vs \(reference)") }
        let pk = try Setup.run(model: model, field: Fr.self)
        let proof = try Prover.prove(provingKey: pk, witness: inference.witness, selfCheck: true)
        try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
    }

    @Test func severalRowsOverAnInnerAxisProve() throws {
        // [2, 3, 4] over axis 1: 8 rows of 3, none of them contiguous in memory.
        _ = try proveAndVerify(Self.graph([2, 3, 4], axis: 1, keepDims: true, last: false), [2, 3, 4], stream: 910)
    }

    @Test func negativeAxisLastIndexAfterAnActivationProves() throws {
        // Relu makes ties at 0; the last index of the maximum over the last axis, keepdims 0.
        _ = try proveAndVerify(Self.graph([1, 6, 5], axis: -1, keepDims: false, last: true, relu: true), [1, 6, 5], stream: 911)
    }

    @Test func argMaxOverTheBatchAxisProves() throws {
        // The batch of 1 the circuit drops is the reduced axis: every index is 0.
        let (_, _, inference) = try proveAndVerify(Self.graph([1, 3, 4], axis: 0, keepDims: false, last: true), [1, 3, 4], stream: 912)
        #expect(inference.outputIntegers == [Int64](repeating: 0, count: 12))
    }

    /// ArgMax inside a model: x[1,16] → Gemm(16→12) → Reshape [1,3,4] → ArgMax(axis 1) over
    /// computed values, proven; the index is where the integer row maximum is.
    @Test func argMaxOfComputedValuesProves() throws {
        var rng = SeededGenerator.forTest(stream: 913)
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, 16]))],
            outputs: [ValueInfo(name: "y", type: TensorType(elementType: .int64, shape: [1, 4]))],
            initializers: ["w": CompilerTests.tensor([12, 16], &rng)],
            nodes: [
                ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["x", "w"], outputs: ["h"]),
                ModelNode(name: "reshape", op: .reshape(shape: [1, 3, 4], allowZero: false), inputs: ["h"], outputs: ["r"]),
                ModelNode(name: "argmax", op: .argMax(axis: 1, keepDims: false, selectLastIndex: false), inputs: ["r"], outputs: ["y"]),
            ])
        let model = try Compiler.compile(graph, calibration: CompilerTests.inputs([1, 16], count: 8, &rng))
        #expect(model.outputPostprocessing == .none && model.outputShape == [1, 4])
        let inference = try model.run(input: CompilerTests.inputs([1, 16], count: 1, &rng)[0]["x"]!.values)
        #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
        let pk = try Setup.run(model: model, field: Fr.self)
        let proof = try Prover.prove(provingKey: pk, witness: inference.witness, selfCheck: true)
        try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
        #expect(inference.outputIntegers.allSatisfy { (0..<3).contains($0) })
    }

    @Test func compiledModelWithHintsRoundTrips() throws {
        let model = try Self.compile(Self.graph([2, 3, 4], axis: -2, keepDims: true, last: true), [2, 3, 4])
        let decoded = try CompiledModel(decoding: model.encoded())
        #expect(decoded.witnessHints == model.witnessHints && decoded.encoded() == model.encoded())
        #expect(Array(model.encoded()[4..<6]) == [3, 0], "a model with witness hints is a version-3 file")
        // A hint that writes a weight or reads past the tensors is refused when decoding.
        var bytes = model.encoded()
        bytes[bytes.count - 1] = 0xff
        #expect(throws: (any Error).self) { _ = try CompiledModel(decoding: bytes) }
    }

    /// Attributes and shapes from a hostile model: typed errors, never a trap.
    @Test func hostileArgMaxesAreRefused() throws {
        for (shape, axis) in [([2, 3], 99), ([2, 3], -3), ([2, 3], Int.max), ([2, 3], Int.min), ([Int](), 0), ([2, 0], 1)] {
            let graph = ModelGraph(
                inputs: [ValueInfo(name: "x", type: TensorType(shape: shape))],
                outputs: [ValueInfo(name: "y", type: TensorType(elementType: .int64, shape: [1]))],
                initializers: [:],
                nodes: [ModelNode(name: "argmax", op: .argMax(axis: axis, keepDims: true, selectLastIndex: false), inputs: ["x"], outputs: ["y"])])
            let sample = ["x": try FloatTensor(shape: shape, values: [Float](repeating: 0.5, count: shape.reduce(1, *)))]
            #expect(throws: CompileError.self, "\(shape) axis \(axis)") { _ = try Compiler.compile(graph, calibration: [sample]) }
        }
    }
}

/// The honest prover run on bad one-hot witnesses of an ArgMax: each is rejected, by the relation
/// the checker names. Every tensor the bad one-hot feeds is recomputed from the relations (the
/// indicators from their recurrences, the maximum as `Σ e·x`, the differences, the output
/// index), so only the property under test is broken.
@Suite("ArgMax: malicious witnesses")
struct ArgMaxMaliciousWitnessTests {
    /// x[4, 5] → ArgMax(axis 1) with one input whose rows are
    /// 0: a maximum at 2 (x_0 = 0) · 1: all ≤ 0, maximum at 3 · 2: a tie at 1 and 3 · 3: a tie at 0 and 4.
    static let rows: [[Float]] = [
        [0, 0.25, 1, -0.5, 0.5],
        [-0.5, -0.25, -1, 0, -0.75],
        [0.25, 0.75, -1, 0.75, 0.5],
        [0.5, -0.25, 0, 0.25, 0.5],
    ]

    struct Fixture {
        var keys: [ProvingKey<Fr>]
        var model: CompiledModel
        var honest: Witness
        var hint: ArgMaxHint
        var circuit: Circuit { model.circuit }
    }

    static func fixture(last: Bool) throws -> Fixture {
        let graph = ArgMaxTests.graph([4, 5], axis: 1, keepDims: false, last: last)
        let model = try ArgMaxTests.compile(graph, [4, 5])
        let inference = try model.run(input: rows.flatMap { $0 })
        #expect(inference.outputIntegers == (last ? [2, 3, 3, 4] : [2, 3, 1, 0]))
        let keys = try AdviceTransport.allCases.map {
            try Setup.run(circuit: model.circuit, known: model.known, interface: model.interface, adviceTransport: $0, field: Fr.self)
        }
        guard case .argMax(let hint) = try #require(model.witnessHints.first) else { throw CancellationError() }
        return Fixture(keys: keys, model: model, honest: inference.witness, hint: hint)
    }

    static let first = Result { try fixture(last: false) }
    static let last = Result { try fixture(last: true) }

    /// `honest` with row `row`'s one-hot replaced by `e`, everything downstream recomputed.
    func tampered(_ f: Fixture, row: Int, oneHot e: [Int64]) -> Witness {
        var w = f.honest
        let h = f.hint, layout = f.circuit.tensors[h.input].layout
        func slot(_ j: Int) -> Int { layout.slot(ofLogicalIndex: row * 5 + j) }
        let x = (0..<5).map { w.slots[h.input][slot($0)] }
        let m = zip(e, x).map { $0 * $1 }.reduce(0, +)
        for j in 0..<5 {
            let before = e[(j + 1)...].reduce(0, +), after = e[..<j].reduce(0, +)
            w.slots[h.oneHot][slot(j)] = e[j]
            w.slots[h.before][slot(j)] = before
            if let a = h.after { w.slots[a][slot(j)] = after }
            w.slots[h.maximum][slot(j)] = m
            w.slots[h.differences][slot(j)] = m - x[j] - (h.selectLastIndex ? after : before)
        }
        // What the relations define from these (the virtual sums and products, the output index
        // and its copies), recomputed in order; the advice above and the constant of ones stay.
        for relation in f.circuit.relations[h.relation...] {
            guard let out = relation.output, !h.outputs.contains(out), f.circuit.tensors[out].storage != .constant else { continue }
            switch relation {
            case .add(_, let a, let b):
                for i in w.slots[out].indices { w.slots[out][i] = w.slots[a][i] + w.slots[b][i] }
            case .mul(_, let a, let b):
                for i in w.slots[out].indices { w.slots[out][i] = w.slots[a][i] * w.slots[b][i] }
            case .linear(_, let input, let map):
                let (il, ol) = (f.circuit.tensors[input].layout, f.circuit.tensors[out].layout)
                var result = [Int64](repeating: 0, count: ol.count)
                map.forEachTerm(inputShape: il.shape, outputShape: ol.shape) { o, k, c in
                    result[o] += c * w.slots[input][il.slot(ofLogicalIndex: k)]
                }
                w.slots[out] = ol.padded(result, padding: 0)
            default:
                continue
            }
        }
        return w
    }

    /// The verdict on `witness`'s proof, the same under every advice transport.
    func rejection(_ f: Fixture, _ witness: Witness) throws -> VerificationError? {
        let verdicts = try f.keys.map { pk -> VerificationError? in
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

    /// The index of the relation `predicate` picks.
    func relation(_ f: Fixture, _ predicate: (Relation) -> Bool) throws -> Int {
        let index = f.circuit.relations.firstIndex(where: predicate)
        return try #require(index)
    }

    /// The linear map that checks `Σ_k e_k = 1` (its output is the constant of ones).
    func sumCheck(_ f: Fixture) throws -> Int {
        try relation(f) { if case .linear(let out, _, _) = $0 { return f.circuit.tensors[out].storage == .constant } else { return false } }
    }

    func differenceTable(_ f: Fixture) -> Int {
        f.keys[0].verificationKey.layout.lookupGroups.first { $0.columns == [f.hint.differences] }!.table
    }

    @Test func twoOnesAreRejected() throws {
        // Row 0: the maximum at 2 and a second 1 at position 0, where x_0 = 0, so the maximum,
        // the indicators, the differences and the output index all stay as they were: only
        // Σ e = 2 is wrong, and the sum's check against the key's ones rejects.
        let f = try Self.first.get()
        let witness = tampered(f, row: 0, oneHot: [1, 0, 1, 0, 0])
        let r = try sumCheck(f)
        #expect(CircuitChecker.check(f.circuit, witness)?.relation == r)
        #expect(try rejection(f, witness) == .relationCheckFailed(relation: r, check: .linearFinal))
    }

    @Test func zeroOnesAreRejected() throws {
        // Row 1 is ≤ 0 everywhere: with no 1 at all, m = 0, every indicator 0 and d_j = −x_j ≥ 0 —
        // index 0 would pass every range check. Only Σ e = 1 catches it.
        let f = try Self.first.get()
        let witness = tampered(f, row: 1, oneHot: [0, 0, 0, 0, 0])
        let r = try sumCheck(f)
        #expect(CircuitChecker.check(f.circuit, witness)?.relation == r)
        #expect(try rejection(f, witness) == .relationCheckFailed(relation: r, check: .linearFinal))
    }

    @Test func indexOfANonMaximumIsRejected() throws {
        // Row 0 claims index 4 (x = 0.5 < 1): d_2 = x_4 − x_2 < 0 leaves the difference table.
        let f = try Self.first.get()
        let witness = tampered(f, row: 0, oneHot: [0, 0, 0, 0, 1])
        let failure = try #require(CircuitChecker.check(f.circuit, witness))
        #expect(failure.kind == "lookup")
        #expect(try rejection(f, witness) == .lookupFailed(.rootMismatch(table: differenceTable(f))))
    }

    @Test func laterMaximumWhenTheFirstIsRequiredIsRejected() throws {
        // Row 2 ties at 1 and 3; first-index semantics: claiming 3 makes d_1 = x_3 − x_1 − 1 = −1.
        let f = try Self.first.get()
        let witness = tampered(f, row: 2, oneHot: [0, 0, 0, 1, 0])
        #expect(CircuitChecker.check(f.circuit, witness)?.kind == "lookup")
        #expect(try rejection(f, witness) == .lookupFailed(.rootMismatch(table: differenceTable(f))))
    }

    @Test func earlierMaximumWhenTheLastIsRequiredIsRejected() throws {
        // Row 3 ties at 0 and 4; last-index semantics: claiming 0 makes d_4 = x_0 − x_4 − 1 = −1.
        let f = try Self.last.get()
        let witness = tampered(f, row: 3, oneHot: [1, 0, 0, 0, 0])
        #expect(CircuitChecker.check(f.circuit, witness)?.kind == "lookup")
        #expect(try rejection(f, witness) == .lookupFailed(.rootMismatch(table: differenceTable(f))))
    }

    @Test func nonBinaryOneHotIsRejected() throws {
        // Row 1 (maximum 0 at 3) with e = (0, 0, 0, 2, −1): Σ e = 1, m = 2·x_3 − x_4 = 95, the
        // indicators T = (1, 1, 1, −1, 0) and every difference in [0, 255] — a proof of index
        // Σ T = 2 that only the 1-bit table on e refuses.
        let f = try Self.first.get()
        let witness = tampered(f, row: 1, oneHot: [0, 0, 0, 2, -1])
        let layout = f.circuit.tensors[f.hint.differences].layout
        #expect((0..<5).allSatisfy { (0...255).contains(witness.slots[f.hint.differences][layout.slot(ofLogicalIndex: 5 + $0)]) })
        #expect(witness.slots[f.circuit.output][f.circuit.tensors[f.circuit.output].layout.slot(ofLogicalIndex: 1)] == 2)
        let r = try relation(f) { if case .lookup(f.hint.oneHot, nil, _) = $0 { return true } else { return false } }
        let bitTable = f.keys[0].verificationKey.layout.lookupGroups.first { $0.columns == [f.hint.oneHot] }!.table
        #expect(CircuitChecker.check(f.circuit, witness)?.relation == r)
        #expect(try rejection(f, witness) == .lookupFailed(.rootMismatch(table: bitTable)))
    }

    @Test func honestWitnessesVerify() throws {
        for f in [try Self.first.get(), try Self.last.get()] {
            #expect(CircuitChecker.check(f.circuit, f.honest) == nil)
            #expect(try rejection(f, f.honest) == nil)
        }
    }
}
