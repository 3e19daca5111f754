import Testing
import ZKCircuit
import ZKCompiler
import ZKField
import ZKModel
import ZKProver
import ZKSetup
import ZKVerifier
import ZKTesting

/// Models whose tables leave `f(0) ≠ 0` in padding slots (Sigmoid, a Clip with a positive lower
/// bound) on shapes that are not powers of two: they prove and verify, and a witness whose
/// padding slots carry anything but what the relations force is rejected.
@Suite("Compiler: tables with a nonzero f(0) on padded shapes")
struct NonzeroPaddingTests {
    static func graph(input: Int, output: Int, initializers: [String: TensorValue] = [:], _ nodes: [ModelNode]) -> ModelGraph {
        ModelGraph(
            inputs: [ValueInfo(name: "x", type: TensorType(shape: [1, input]))],
            outputs: [ValueInfo(name: nodes.last!.outputs[0], type: TensorType(shape: [1, output]))],
            initializers: initializers, nodes: nodes)
    }

    /// Sigmoid applied directly to a 3-element input.
    static let sigmoidOnTheInput = graph(input: 3, output: 3, [ModelNode(name: "sig", op: .sigmoid, inputs: ["x"], outputs: ["y"])])

    /// Gemm → Relu → Gemm with 3 outputs → Sigmoid.
    static func gemmReluGemmSigmoid() -> ModelGraph {
        var rng = SeededGenerator.forTest(stream: 670)
        return graph(
            input: 5, output: 3, initializers: ["w1": CompilerTests.tensor([6, 5], &rng), "w2": CompilerTests.tensor([3, 6], &rng)],
            [
                ModelNode(name: "fc1", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["x", "w1"], outputs: ["h"]),
                ModelNode(name: "relu", op: .relu, inputs: ["h"], outputs: ["r"]),
                ModelNode(name: "fc2", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["r", "w2"], outputs: ["z"]),
                ModelNode(name: "sig", op: .sigmoid, inputs: ["z"], outputs: ["y"]),
            ])
    }

    /// Compiles on a few samples and runs one input (checked by the circuit checker); proves and
    /// verifies it unless `prove` is false. Returns the model, the key and the witness.
    static func prove(_ graph: ModelGraph, stream: UInt64, prove: Bool = true) throws -> (CompiledModel, ProvingKey<Fr>, Witness) {
        var rng = SeededGenerator.forTest(stream: stream)
        let shape = graph.inputs[0].shape
        let model = try Compiler.compile(graph, calibration: CompilerTests.inputs(shape, count: 4, &rng))
        let inference = try model.run(input: CompilerTests.inputs(shape, count: 1, &rng)[0]["x"]!.values)
        #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
        let pk = try Setup.run(circuit: model.circuit, known: model.known, field: Fr.self)
        if prove {
            let proof = try Prover.prove(provingKey: pk, witness: inference.witness)
            try Verifier.verify(proof, verificationKey: pk.verificationKey, field: Fr.self)
            #expect(proof.publicOutput == inference.outputIntegers)
        }
        return (model, pk, inference.witness)
    }

    @Test func sigmoidOnTheInputProves() throws {
        let (model, _, witness) = try Self.prove(Self.sigmoidOnTheInput, stream: 671)
        // The table output keeps f(0) in its padding; the public output is its masked copy.
        let circuit = model.circuit
        guard case .linear(circuit.output, let source, .reshape)? = circuit.relations.last else {
            Issue.record("the output should be a masked copy: \(circuit.relations)"); return
        }
        #expect(!circuit.paddingIsZero()[source])
        #expect(witness.slots[source][3] == 64, "sigmoid(0) = 64/127")
    }

    @Test func gemmReluGemmSigmoidProves() throws {
        _ = try Self.prove(Self.gemmReluGemmSigmoid(), stream: 672)
    }

    /// Tables with f(0) ≠ 0 feeding every kind of consumer: a view read by a Gemm, a
    /// rescaling (Add with the input), a product of two such tables, a Clip with a positive
    /// lower bound at the output, a Concat.
    @Test func paddedTableOutputsFeedingOtherLayers() throws {
        var rng = SeededGenerator.forTest(stream: 673)
        let w = CompilerTests.tensor([3, 5], &rng)
        let graphs: [ModelGraph] = [
            Self.graph(input: 5, output: 3, initializers: ["w": w], [
                ModelNode(name: "sig", op: .sigmoid, inputs: ["x"], outputs: ["s"]),
                ModelNode(name: "flat", op: .flatten(axis: 1), inputs: ["s"], outputs: ["f"]),
                ModelNode(name: "fc", op: .gemm(GemmAttributes(transposeB: true)), inputs: ["f", "w"], outputs: ["y"]),
            ]),
            Self.graph(input: 5, output: 5, [
                ModelNode(name: "sig", op: .sigmoid, inputs: ["x"], outputs: ["s"]),
                ModelNode(name: "sum", op: .add, inputs: ["s", "x"], outputs: ["y"]),
            ]),
            Self.graph(input: 5, output: 5, [
                ModelNode(name: "sig", op: .sigmoid, inputs: ["x"], outputs: ["s"]),
                ModelNode(name: "clip", op: .clip(minimum: 0.2, maximum: nil), inputs: ["x"], outputs: ["c"]),
                ModelNode(name: "gate", op: .mul, inputs: ["s", "c"], outputs: ["y"]),
            ]),
            Self.graph(input: 5, output: 5, [ModelNode(name: "clip", op: .clip(minimum: 0.1, maximum: 0.8), inputs: ["x"], outputs: ["y"])]),
            Self.graph(input: 5, output: 10, [
                ModelNode(name: "sig", op: .sigmoid, inputs: ["x"], outputs: ["s"]),
                ModelNode(name: "join", op: .concat(axis: 1), inputs: ["s", "x"], outputs: ["y"]),
            ]),
        ]
        for (i, graph) in graphs.enumerated() { _ = try Self.prove(graph, stream: 674 + UInt64(i)) }
    }

    // MARK: - Malicious witnesses (the honest prover on bad witnesses; the verifier must reject)

    struct Setting {
        let circuit: Circuit
        let pk: ProvingKey<Fr>
        let honest: Witness
        /// The Sigmoid lookup: its input (the requantized `y`) and output tensors, and its table.
        let y: TensorID, sigmoid: TensorID, f: (Int64) -> Int64
        /// A padding slot of the Sigmoid's tensors.
        let padding: Int

        init() throws {
            // The honest proof of this model is gemmReluGemmSigmoidProves().
            let (model, pk, honest) = try NonzeroPaddingTests.prove(NonzeroPaddingTests.gemmReluGemmSigmoid(), stream: 680, prove: false)
            circuit = model.circuit
            self.pk = pk
            self.honest = honest
            guard case .linear(circuit.output, let source, _)? = circuit.relations.last,
                  let lookup = circuit.relations.first(where: { if case .lookup(_, source?, _) = $0 { true } else { false } }),
                  case .lookup(let y, _, let t) = lookup, case .function(_, let bits, let values) = circuit.tables[t] else {
                throw CompileError.invalidModel("unexpected circuit")
            }
            let half = Int64(1) << Int64(bits - 1)
            (self.y, sigmoid, f) = (y, source, { values[Int($0 + half)] })
            let layout = circuit.tensors[source].layout
            padding = (0..<layout.slotCount).first { !layout.isLogicalSlot($0) }!
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
    }

    /// The Sigmoid's padding slot must hold f(0): the zero a prover might put there is not a
    /// table row.
    @Test func wrongValueInTheTablePadding() throws {
        let s = try Setting()
        #expect(s.honest.slots[s.sigmoid][s.padding] == s.f(0))
        var witness = s.honest
        witness.slots[s.sigmoid][s.padding] = 0
        #expect(CircuitChecker.check(s.circuit, witness)?.kind == "lookup")
        guard case .lookupFailed = try s.rejection(witness) else {
            Issue.record("expected the Sigmoid lookup to reject a zero padding slot"); return
        }
    }

    /// Nonzero garbage in the requantized padding, with the Sigmoid output to match (so the
    /// lookup holds): the requantization of a zero accumulator forces zero there.
    @Test func garbageCarriedIntoTheTablePadding() throws {
        let s = try Setting()
        var witness = s.honest
        witness.slots[s.y][s.padding] = 3
        witness.slots[s.sigmoid][s.padding] = s.f(3)
        #expect(CircuitChecker.check(s.circuit, witness)?.kind == "requantize")
        #expect(try s.rejection(witness) != nil)
    }

    /// The masked public output with nonzero padding (the prover evaluates its copy with it):
    /// rejected, as the copy's relation defines the padding as zero.
    @Test func nonzeroPaddingInTheMaskedOutput() throws {
        let s = try Setting()
        var witness = s.honest
        let layout = s.circuit.tensors[s.circuit.output].layout
        let padding = (0..<layout.slotCount).first { !layout.isLogicalSlot($0) }!
        witness.slots[s.circuit.output][padding] = s.f(0)
        #expect(CircuitChecker.check(s.circuit, witness)?.kind == "padding")
        // The mask's sumcheck reads the Sigmoid's logical slots only: the claimed value of the
        // output at the verifier's point (padding included) does not add up.
        #expect(try s.rejection(witness) == .relationCheckFailed(relation: s.circuit.relations.count - 1, check: .linearFinal))
    }
}
