import ZKParallel
import Testing
import ZKField
import ZKPoly
import ZKSumcheck
import ZKTesting
import ZKTranscript

/// Completeness and soundness of the generic sumcheck, checked against brute-force sums and
/// direct multilinear evaluation (independent of the prover's round arithmetic).
@Suite("Sumcheck")
struct SumcheckTests {
    typealias F = BN254Fr

    static func randomTables(_ count: Int, variables: Int, rng: inout SeededGenerator) -> [[F]] {
        (0..<count).map { _ in (0..<(1 << variables)).map { _ in F.random(using: &rng) } }
    }

    /// Σ_x g(x) computed entry by entry.
    static func bruteForceSum(_ tables: [[F]], _ g: SumOfProducts<F>) -> F {
        var sum = F.zero
        for x in 0..<tables[0].count { sum += g.evaluate(tableValues: tables.map { $0[x] }) }
        return sum
    }

    static let shapes: [SumOfProducts<F>] = [
        .product([0]),
        .product([0, 1]),
        SumOfProducts(terms: [.init(coefficient: F(3), factors: [0, 1, 2]), .init(coefficient: -F.one, factors: [0, 2])]),
        .product([0, 1, 2, 3, 4]),                  // degree 5 (max-pool selectors)
        .product([0, 0]),                            // repeated factor
    ]

    @Test(arguments: [0, 1, 3, 6])
    func honestProofsVerify(variables: Int) throws {
        var rng = SeededGenerator.forTest(stream: UInt64(100 + variables))
        for g in Self.shapes {
            let tables = Self.randomTables(g.tableCount, variables: variables, rng: &rng)
            let sum = Self.bruteForceSum(tables, g)
            var proverTranscript = Transcript(protocolLabel: "sumcheck-test")
            let (proof, point, evaluations) = SumcheckProver.prove(
                claimedSum: sum, tables: tables, polynomial: g, transcript: &proverTranscript)
            var verifierTranscript = Transcript(protocolLabel: "sumcheck-test")
            let subclaim = try SumcheckVerifier.verify(
                claimedSum: sum, variableCount: variables, degree: g.degree, proof: proof,
                transcript: &verifierTranscript)
            #expect(subclaim.point == point)
            // The prover's final evaluations are the tables' multilinear extensions at the point.
            for (table, value) in zip(tables, evaluations) {
                #expect(DenseMultilinearExtension(evaluations: table).evaluate(at: point) == value)
            }
            #expect(subclaim.expectedEvaluation == g.evaluate(tableValues: evaluations))
        }
    }

    @Test func aFalseSumIsCaughtAtTheFinalCheck() throws {
        var rng = SeededGenerator.forTest(stream: 200)
        let g = SumOfProducts<F>.product([0, 1])
        let tables = Self.randomTables(2, variables: 5, rng: &rng)
        let wrongSum = Self.bruteForceSum(tables, g) + .one
        var proverTranscript = Transcript(protocolLabel: "sumcheck-test")
        // An honest prover run on a false claim: its messages are consistent with the true tables,
        // so the verifier's running claim drifts away and the final check fails.
        let (proof, _, evaluations) = SumcheckProver.prove(
            claimedSum: wrongSum, tables: tables, polynomial: g, transcript: &proverTranscript)
        var verifierTranscript = Transcript(protocolLabel: "sumcheck-test")
        let subclaim = try SumcheckVerifier.verify(
            claimedSum: wrongSum, variableCount: 5, degree: 2, proof: proof, transcript: &verifierTranscript)
        #expect(subclaim.expectedEvaluation != g.evaluate(tableValues: evaluations))
    }

    @Test func tamperingWithAnyRoundMessageBreaksTheFinalCheck() throws {
        var rng = SeededGenerator.forTest(stream: 201)
        let g = SumOfProducts<F>(terms: [.init(coefficient: .one, factors: [0, 1, 2])])
        let tables = Self.randomTables(3, variables: 4, rng: &rng)
        let sum = Self.bruteForceSum(tables, g)
        var proverTranscript = Transcript(protocolLabel: "sumcheck-test")
        let (proof, _, evaluations) = SumcheckProver.prove(
            claimedSum: sum, tables: tables, polynomial: g, transcript: &proverTranscript)
        for round in 0..<proof.roundMessages.count {
            for position in 0..<proof.roundMessages[round].count {
                var forged = proof
                forged.roundMessages[round][position] += .one
                var verifierTranscript = Transcript(protocolLabel: "sumcheck-test")
                let subclaim = try SumcheckVerifier.verify(
                    claimedSum: sum, variableCount: 4, degree: 3, proof: forged, transcript: &verifierTranscript)
                // The point moves (the transcript changed), so the honest evaluations no longer
                // match the subclaim: the caller's final check rejects.
                let atNewPoint = tables.map { DenseMultilinearExtension(evaluations: $0).evaluate(at: subclaim.point) }
                #expect(subclaim.expectedEvaluation != g.evaluate(tableValues: atNewPoint))
                _ = evaluations
            }
        }
    }

    @Test func malformedProofsAreRejectedWithSpecificErrors() {
        var rng = SeededGenerator.forTest(stream: 202)
        let g = SumOfProducts<F>.product([0, 1])
        let tables = Self.randomTables(2, variables: 3, rng: &rng)
        let sum = Self.bruteForceSum(tables, g)
        var proverTranscript = Transcript(protocolLabel: "sumcheck-test")
        let proof = SumcheckProver.prove(claimedSum: sum, tables: tables, polynomial: g, transcript: &proverTranscript).proof

        var short = proof
        short.roundMessages.removeLast()
        var t1 = Transcript(protocolLabel: "sumcheck-test")
        #expect(throws: SumcheckError.wrongRoundCount(expected: 3, got: 2)) {
            try SumcheckVerifier.verify(claimedSum: sum, variableCount: 3, degree: 2, proof: short, transcript: &t1)
        }
        var long = proof
        long.roundMessages[1].append(.one)
        var t2 = Transcript(protocolLabel: "sumcheck-test")
        #expect(throws: SumcheckError.wrongMessageLength(round: 1, expected: 2, got: 3)) {
            try SumcheckVerifier.verify(claimedSum: sum, variableCount: 3, degree: 2, proof: long, transcript: &t2)
        }
    }

    @Test func resultDoesNotDependOnThreadCount() {
        var rng = SeededGenerator.forTest(stream: 203)
        let g = SumOfProducts<F>.product([0, 1, 2])
        let tables = Self.randomTables(3, variables: 13, rng: &rng)
        let sum = Self.bruteForceSum(tables, g)
        func run() -> SumcheckProof<F> {
            var transcript = Transcript(protocolLabel: "sumcheck-test")
            return SumcheckProver.prove(claimedSum: sum, tables: tables, polynomial: g, transcript: &transcript).proof
        }
        let parallel = run()
        let serial = Parallelism.$threadLimit.withValue(1) { run() }
        #expect(parallel == serial)
    }
}
