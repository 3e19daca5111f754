import Testing
import ZKCircuit
import ZKField
import ZKProver
import ZKSetup
import ZKSumcheck
import ZKVerifier

/// One entry of a relation's message: an element of a sumcheck round message, or an evaluation.
enum MessageEntry: Hashable, CustomStringConvertible {
    /// Element `entry` of round `round` of the message's sumcheck number `sumcheck`.
    case round(sumcheck: Int, round: Int, entry: Int)
    /// Evaluation number `index`, in the order of the relation's documentation.
    case evaluation(Int)

    var description: String {
        switch self {
        case .round(let sumcheck, let round, let entry): return "sumcheck \(sumcheck), round \(round), entry \(entry)"
        case .evaluation(let index): return "evaluation \(index)"
        }
    }
}

extension RelationProof {
    /// The message's sumchecks and evaluations, whatever its kind.
    var parts: (sumchecks: [SumcheckProof<F>], evaluations: [F]) {
        switch self {
        case .requantize(let evaluations), .add(let evaluations): return ([], evaluations)
        case .matMul(let sumcheck, let evaluations): return ([sumcheck], evaluations)
        case .general(let sumchecks, let evaluations): return (sumchecks, evaluations)
        }
    }

    /// A message of the same kind with other sumchecks and evaluations (a matMul message keeps one
    /// sumcheck).
    func with(sumchecks: [SumcheckProof<F>], evaluations: [F]) -> Self {
        switch self {
        case .requantize: return .requantize(evaluations: evaluations)
        case .add: return .add(evaluations: evaluations)
        case .matMul: return .matMul(sumcheck: sumchecks[0], evaluations: evaluations)
        case .general: return .general(sumchecks: sumchecks, evaluations: evaluations)
        }
    }
}

/// An honest proof, and the means to change one part of it and see which error rejects it.
///
/// The verifier walks the arithmetic relations backwards, so `proof.relations[p]` answers
/// relation `relationAt[p]` of the circuit; tests name relations by their circuit index.
struct TamperHarness: Sendable {
    let vk: VerificationKey
    let proof: Proof<Fr>
    let relationAt: [Int]
    var circuit: Circuit { vk.circuit }

    init(_ pk: ProvingKey<Fr>, _ witness: Witness) throws {
        vk = pk.verificationKey
        proof = try Prover.prove(provingKey: pk, witness: witness)
        let circuit = pk.verificationKey.circuit
        relationAt = circuit.relations.indices.reversed().filter { circuit.relations[$0].kind != "lookup" }
    }

    /// The verifier's verdict: `nil` when `tampered` verifies.
    func reject(_ tampered: Proof<Fr>) -> VerificationError? {
        do {
            try Verifier.verify(tampered, verificationKey: vk, field: Fr.self)
            return nil
        } catch {
            return error
        }
    }

    /// The indices of the circuit's relations of `kind` ("conv2d", "requantize", …), in circuit order.
    func relations(_ kind: String) -> [Int] { circuit.relations.indices.filter { circuit.relations[$0].kind == kind } }

    /// The only relation of `kind`.
    func relation(_ kind: String) -> Int {
        let found = relations(kind)
        precondition(found.count == 1, "expected one \(kind) relation, found \(found.count)")
        return found[0]
    }

    /// The message answering relation `relation`.
    func message(_ relation: Int) -> RelationProof<Fr> { proof.relations[relationAt.firstIndex(of: relation)!] }

    /// The honest proof with relation `relation`'s message replaced.
    func replacing(_ relation: Int, with message: RelationProof<Fr>) -> Proof<Fr> {
        var p = proof
        p.relations[relationAt.firstIndex(of: relation)!] = message
        return p
    }

    /// The entries of relation `relation`'s message to change: every evaluation, and one element
    /// of every round message of every sumcheck — element `round mod length`, so that across the
    /// rounds every position of a round message is covered (a round message enters the transcript
    /// and the next claim as a whole: which of its elements changes makes no difference to the
    /// verifier, and changing each one would only multiply the cost of the tests).
    func entries(of relation: Int) -> [MessageEntry] {
        let (sumchecks, evaluations) = message(relation).parts
        var entries: [MessageEntry] = []
        for (k, sumcheck) in sumchecks.enumerated() {
            for (round, roundMessage) in sumcheck.roundMessages.enumerated() {
                entries.append(.round(sumcheck: k, round: round, entry: round % roundMessage.count))
            }
        }
        return entries + evaluations.indices.map { .evaluation($0) }
    }

    /// The honest proof with one entry of relation `relation`'s message increased by one.
    func changing(_ entry: MessageEntry, of relation: Int) -> Proof<Fr> {
        var (sumchecks, evaluations) = message(relation).parts
        switch entry {
        case .round(let k, let round, let index): sumchecks[k].roundMessages[round][index] += .one
        case .evaluation(let index): evaluations[index] += .one
        }
        return replacing(relation, with: message(relation).with(sumchecks: sumchecks, evaluations: evaluations))
    }

    /// Changes every entry of relation `relation`'s message (``entries(of:)``), one at a time, and
    /// expects each change to be rejected by exactly `expected(entry)`.
    /// - Returns: how many changed proofs were checked.
    @discardableResult
    func expectEveryEntry(
        of relation: Int, rejectedBy expected: (MessageEntry) -> VerificationError,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Int {
        let entries = entries(of: relation)
        for entry in entries {
            let verdict = reject(changing(entry, of: relation))
            #expect(verdict == expected(entry), "relation \(relation), \(entry)", sourceLocation: sourceLocation)
        }
        return entries.count
    }
}
