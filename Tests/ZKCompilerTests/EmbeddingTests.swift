import Foundation
import Testing
import ZKCircuit
import ZKCompiler
import ZKField
import ZKModel
import ZKProver
import ZKSetup
import ZKTesting
import ZKVerifier
import ZKWire

/// Token ids as the model input (CircuitBuilder+Embedding.swift): the public input is their
/// one-hot encoding, an embedding lookup `Gather(E, ids)` the product `onehot · E`, and the
/// verifier checks that every row of the public input holds a single 1.
@Suite("Token ids (one-hot input)")
struct EmbeddingTests {
    static let vocabulary = 11
    static let positions = 6

    /// ids int64 [1, 6] → Gather(E [11, 8]) → MatMul(W [8, 4]) → Add(b) → y [1, 6, 4].
    static func graph(_ rng: inout SeededGenerator) -> ModelGraph {
        ModelGraph(
            inputs: [ValueInfo(name: "ids", type: TensorType(elementType: .int64, shape: [1, positions]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, positions, 4]))],
            initializers: [
                "E": CompilerTests.tensor([vocabulary, 8], &rng, scale: 1), "W": CompilerTests.tensor([8, 4], &rng),
                "b": CompilerTests.tensor([4], &rng),
            ],
            nodes: [
                ModelNode(name: "embed", op: .gather(axis: 0), inputs: ["E", "ids"], outputs: ["e"]),
                ModelNode(name: "project", op: .matMul, inputs: ["e", "W"], outputs: ["m"]),
                ModelNode(name: "bias", op: .add, inputs: ["m", "b"], outputs: ["y"]),
            ])
    }

    static func ids(_ rng: inout SeededGenerator) -> [Float] {
        (0..<positions).map { _ in Float(rng.next() % UInt64(vocabulary)) }
    }

    static func compiled(stream: UInt64) throws -> (ModelGraph, CompiledModel, SeededGenerator) {
        var rng = SeededGenerator.forTest(stream: stream)
        let graph = Self.graph(&rng)
        let calibration = try (0..<8).map { _ in ["ids": try FloatTensor(shape: [1, positions], values: ids(&rng))] }
        return (graph, try Compiler.compile(graph, calibration: calibration), rng)
    }

    /// Integer inference agrees with the float executor, the circuit checks, and the proof
    /// verifies under the model's key, which states the token ids.
    @Test func compilesProvesAndVerifies() throws {
        var (graph, model, rng) = try Self.compiled(stream: 900)
        #expect(model.inputQuantization == .oneHot)
        #expect(model.vocabularySize == Self.vocabulary)
        #expect(model.inputShape == [1, Self.positions])
        let input = model.circuit.tensors[model.circuit.input]
        #expect(input.layout.shape == [Self.positions, Self.vocabulary] && input.minimum == 0 && input.maximum == 1)

        let executor = try FloatExecutor(graph: graph)
        var proven: (ids: [Float], inference: IntegerInference)?
        for _ in 0..<3 {
            let ids = Self.ids(&rng)
            let reference = try executor.run(["ids": try FloatTensor(shape: [1, Self.positions], values: ids)])["y"]!.values
            let inference = try model.run(input: ids)
            #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
            #expect(inference.inputSaturated == 0)
            for (position, id) in ids.enumerated() {
                let row = inference.quantizedInput[(position * Self.vocabulary)..<((position + 1) * Self.vocabulary)]
                #expect(Array(row) == (0..<Self.vocabulary).map { $0 == Int(id) ? 1 : 0 })
            }
            let range = reference.map { abs(Double($0)) }.max()!
            for (a, b) in zip(inference.output, reference) {
                #expect(abs(a - Double(b)) <= 0.05 * range, "integer \(a) vs float \(b)")
            }
            proven = (ids, inference)
        }
        let (ids, inference) = try #require(proven)

        // The compiled-model file keeps the encoding.
        let decoded = try CompiledModel(decoding: model.encoded())
        #expect(decoded.inputQuantization == .oneHot && decoded.vocabularySize == Self.vocabulary)
        #expect(try decoded.run(input: ids).outputIntegers == inference.outputIntegers)

        let pk = try Setup.run(model: model, field: Fr.self)
        #expect(pk.verificationKey.interface?.inputEncoding == .oneHot)
        let proof = try Prover.prove(provingKey: pk, witness: inference.witness, selfCheck: true)
        let received = try Proof<Fr>(decoding: proof.encoded(), verificationKey: pk.verificationKey)
        try Verifier.verify(received, verificationKey: pk.verificationKey, field: Fr.self)
        #expect(received.publicOutput == inference.outputIntegers)
        let statement = try ProofStatement(proof: received, verificationKey: pk.verificationKey)
        #expect(statement.tokenIDs == ids.map { Int($0) })
    }

    /// A public input that is not the one-hot encoding of token ids is rejected with
    /// `publicInputNotOneHot`, before anything else: a row with two ones, a row of zeros, and an
    /// honestly proven witness whose input has a row of zeros (which the proof system alone
    /// accepts: only the range [0, 1] is in the circuit).
    @Test func aPublicInputThatIsNotOneHotIsRejected() throws {
        var (_, model, rng) = try Self.compiled(stream: 910)
        let ids = Self.ids(&rng)
        let pk = try Setup.run(model: model, field: Fr.self)
        let vk = pk.verificationKey
        let honest = try Prover.prove(provingKey: pk, witness: try model.run(input: ids).witness)
        try Verifier.verify(honest, verificationKey: vk, field: Fr.self)
        let v = Self.vocabulary

        var twoOnes = honest
        let other = (Int(ids[2]) + 1) % v
        twoOnes.publicInput[2 * v + other] = 1
        #expect(throws: VerificationError.publicInputNotOneHot(row: 2, ones: 2)) {
            try Verifier.verify(twoOnes, verificationKey: vk, field: Fr.self)
        }
        var zeros = honest
        zeros.publicInput[4 * v + Int(ids[4])] = 0
        #expect(throws: VerificationError.publicInputNotOneHot(row: 4, ones: 0)) {
            try Verifier.verify(zeros, verificationKey: vk, field: Fr.self)
        }
        #expect(VerificationError.publicInputNotOneHot(row: 4, ones: 0).code == "public_input_not_one_hot")

        // An honest proof of a witness whose first row is all zeros (quantizeInput never makes one).
        var known = model.known
        var input = try model.quantizeInput(ids).values
        input[Int(ids[0])] = 0
        known[model.circuit.input] = input
        let witness = try WitnessBuilder.build(circuit: model.circuit, known: known)
        #expect(CircuitChecker.check(model.circuit, witness) == nil)
        let forged = try Prover.prove(provingKey: pk, witness: witness)
        #expect(throws: VerificationError.publicInputNotOneHot(row: 0, ones: 0)) {
            try Verifier.verify(forged, verificationKey: vk, field: Fr.self)
        }
        // Under a key without the interface (a bare circuit) the same witness proves: the check is the verifier's.
        let bare = try Setup.run(circuit: model.circuit, known: model.known, field: Fr.self)
        try Verifier.verify(try Prover.prove(provingKey: bare, witness: witness), verificationKey: bare.verificationKey, field: Fr.self)
    }

    /// Token ids are never clamped: an id that is not an integer in [0, V) is refused with its
    /// position and value, and so is an input of the wrong length.
    @Test func anIDOutsideTheVocabularyIsRefused() throws {
        let (_, model, _) = try Self.compiled(stream: 920)
        let v = Self.vocabulary
        for (position, value) in [(3, Float(v)), (0, -1), (5, 2.5), (1, 1e30), (2, .infinity)] {
            var ids: [Float] = [0, 1, 2, 3, 4, 5]
            ids[position] = value
            #expect(throws: InputError.invalidTokenID(position: position, value: value, vocabularySize: v)) {
                try model.quantizeInput(ids)
            }
            #expect(throws: InferenceError.input(.invalidTokenID(position: position, value: value, vocabularySize: v))) {
                try model.run(input: ids)
            }
        }
        do {
            _ = try model.quantizeInput([0, 1, .nan, 3, 4, 5])
            Issue.record("a NaN token id was accepted")
        } catch {
            guard case .invalidTokenID(2, let value, v) = error else { Issue.record("\(error)"); return }
            #expect(value.isNaN)
        }
        #expect(throws: InputError.valueCount(expected: 6, got: 5)) { try model.quantizeInput([0, 1, 2, 3, 4]) }
        let message = InputError.invalidTokenID(position: 3, value: 11, vocabularySize: 11).description
        #expect(message.contains("position 3") && message.contains("11") && message.contains("[0, 11)"))
        // The last id of the vocabulary is one.
        #expect(try model.quantizeInput([10, 10, 0, 0, 0, 0]).values[10] == 1)
    }

    /// An integer input read by anything but an embedding lookup is refused, naming the node.
    @Test func anotherUseOfAnIntegerInputIsRefused() throws {
        var rng = SeededGenerator.forTest(stream: 930)
        let graph = ModelGraph(
            inputs: [ValueInfo(name: "ids", type: TensorType(elementType: .int64, shape: [1, 6]))],
            outputs: [ValueInfo(name: "y", type: TensorType(shape: [1, 4]))],
            initializers: ["W": CompilerTests.tensor([6, 4], &rng)],
            nodes: [
                ModelNode(name: "to_float", op: .cast(to: .float32), inputs: ["ids"], outputs: ["x"]),
                ModelNode(name: "fc", op: .matMul, inputs: ["x", "W"], outputs: ["y"]),
            ])
        let sample = ["ids": try FloatTensor(shape: [1, 6], values: [0, 1, 2, 3, 4, 5])]
        let error = #expect(throws: CompileError.self) { try Compiler.compile(graph, calibration: [sample]) }
        guard case .unsupported(let nodes)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(nodes.map(\.name) == ["to_float"])
        #expect(nodes.first?.hint.contains("token ids of an embedding lookup") == true)
    }

    /// The key's input encoding is part of its bytes and its model id, and decoding is strict: an
    /// unknown encoding, or "values" for a one-hot circuit, is a typed error.
    @Test func theKeyRecordsTheInputEncoding() throws {
        let (_, model, _) = try Self.compiled(stream: 940)
        let vk = try Setup.run(model: model, field: Fr.self).verificationKey
        let bytes = vk.encoded()
        let decoded = try VerificationKey(decoding: bytes)
        #expect(decoded.interface == vk.interface && decoded.interface?.inputEncoding == .oneHot)
        #expect(decoded.modelID == vk.modelID && decoded.encoded() == bytes)
        // The key ends with the encoding: u16 length, "one-hot".
        #expect(Array(bytes.suffix(9)) == [7, 0] + Array("one-hot".utf8))

        var unknown = bytes
        unknown[unknown.count - 1] = UInt8(ascii: "T")
        #expect(throws: WireError.invalidValue(field: "input encoding", detail: "\"one-hoT\" (known: values, one-hot)")) {
            try VerificationKey(decoding: unknown)
        }
        var interface = try #require(vk.interface)
        interface.inputEncoding = .values
        let asValues = VerificationKey(
            circuit: vk.circuit, constants: vk.constants, weightCommitment: vk.weightCommitment,
            weightParameters: vk.weightParameters, adviceParameters: vk.adviceParameters,
            adviceTransport: vk.adviceTransport, interface: interface)
        #expect(asValues.modelID != vk.modelID)
        let error = #expect(throws: WireError.self) { try VerificationKey(decoding: asValues.encoded()) }
        guard case .invalidValue(let field, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(field == "input shape")
    }

    /// circuits/tiny_transformer: token ids [1, 8] → Gather(embedding [32, 16]) + positions →
    /// a pre-LN transformer block → mean pool → head. It compiles with a one-hot input, agrees
    /// with the reference output as the zoo's models do (argmax, within 10 % of the largest
    /// output), and proves under its key, whose statement names the token ids.
    @Test func tinyTransformerProves() throws {
        let (graph, input, calibration, reference) = try ZooTests.load("tiny_transformer")
        let name = graph.inputs[0].name, shape = graph.inputs[0].shape
        #expect(graph.inputs[0].elementType == .int64)
        let samples = try calibration.input_data.map { [name: try FloatTensor(shape: shape, values: $0)] }
        let model = try Compiler.compile(graph, calibration: samples)
        #expect(model.inputQuantization == .oneHot && model.vocabularySize == 32)
        let ids = input.input_data[0]
        let inference = try model.run(input: ids)
        #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
        let argmax = { (v: [Double]) in v.indices.max { v[$0] < v[$1] }! }
        #expect(argmax(inference.output) == argmax(reference.map(Double.init)), "\(inference.output) vs \(reference)")
        let range = reference.map { abs(Double($0)) }.max()!
        let worst = zip(inference.output, reference).map { abs($0 - Double($1)) }.max()!
        #expect(worst <= 0.1 * range, "largest error \(worst) of \(range)")

        let clock = ContinuousClock()
        let pk = try Setup.run(model: model, field: Fr.self)
        var proof: Proof<Fr>?
        let elapsed = try clock.measure { proof = try Prover.prove(provingKey: pk, witness: inference.witness) }
        let received = try Proof<Fr>(decoding: try #require(proof).encoded(), verificationKey: pk.verificationKey)
        try Verifier.verify(received, verificationKey: pk.verificationKey, field: Fr.self)
        let statement = try ProofStatement(proof: received, verificationKey: pk.verificationKey)
        #expect(statement.tokenIDs == ids.map { Int($0) })
        #expect(statement.output == inference.output)
        print("tiny_transformer: output \(inference.output), reference \(reference), largest error \(worst) of \(range); proved in \(elapsed)")
        var forged = received
        forged.publicOutput[0] += 1
        #expect(throws: VerificationError.self) { try Verifier.verify(forged, verificationKey: pk.verificationKey, field: Fr.self) }
    }

    /// The decomposed export (LayerNorm and Gelu as older exporters write them) compiles with
    /// the same one-hot input and agrees with its reference.
    @Test func tinyTransformerDecomposedAgrees() throws {
        let (graph, input, calibration, reference) = try ZooTests.load("tiny_transformer_decomposed")
        let name = graph.inputs[0].name, shape = graph.inputs[0].shape
        let samples = try calibration.input_data.map { [name: try FloatTensor(shape: shape, values: $0)] }
        let model = try Compiler.compile(graph, calibration: samples)
        #expect(model.inputQuantization == .oneHot)
        let inference = try model.run(input: input.input_data[0])
        #expect(CircuitChecker.check(model.circuit, inference.witness) == nil)
        let range = reference.map { abs(Double($0)) }.max()!
        let worst = zip(inference.output, reference).map { abs($0 - Double($1)) }.max()!
        #expect(worst <= 0.1 * range, "largest error \(worst) of \(range)")
    }
}
