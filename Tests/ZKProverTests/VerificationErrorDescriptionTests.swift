import Testing
import ZKCommit
import ZKLookup
import ZKMerkle
import ZKSumcheck
import ZKVerifier
import ZKWire

/// Every rejection reads as a sentence that names its data (what `zkml verify` prints).
@Suite("Verification error messages")
struct VerificationErrorDescriptionTests {
    static let examples: [(VerificationError, [String])] = [
        (.insecureKey(bits: 87.46, required: 100), ["87.4", "100"]),
        (.malformedProof(.trailingBytes(count: 3)), ["malformed", "3 bytes"]),
        (.incompatibleProof(.field(expected: "bn254-fr", got: "goldilocks")), ["goldilocks", "bn254-fr"]),
        (.incompatibleProof(.formatVersion(expected: 1, got: 9)), ["version 9"]),
        (.publicValueOutOfRange(tensor: "input", index: 4, value: 1000), ["input", "entry 4", "1000"]),
        (.publicValueCount(tensor: "output", expected: 5, got: 4), ["output", "4 entries", "expected 5"]),
        (.proofShape(.relationCount(expected: 4, got: 3)), ["3 relation proofs", "4 arithmetic relations"]),
        (.proofShape(.unexpectedLookupArgument), ["no lookups"]),
        (.proofShape(.missingLookupArgument), ["no lookup argument"]),
        (.relationShape(relation: 7, .wrongProofKind(expected: .matMul, got: .add)), ["relation 7", "add", "matMul"]),
        (.relationShape(relation: 7, .sumcheckCount(expected: 2, got: 1)), ["relation 7", "1 sumchecks", "expected 2"]),
        (.relationShape(relation: 7, .evaluationCount(expected: 3, got: 4)), ["relation 7", "4 evaluations", "expected 3"]),
        (.relationShape(relation: 7, .missingOutputValue), ["relation 7", "output's value"]),
        (.sumcheckFailed(relation: 2, sumcheck: 1, .wrongRoundCount(expected: 6, got: 5)), ["relation 2", "sumcheck 1", "5 rounds"]),
        (.relationCheckFailed(relation: 0, check: .conv2dKernel), ["relation 0", "convolution", "kernel"]),
        (.relationCheckFailed(relation: 3, check: .concatFinal(input: 1)), ["relation 3", "input 1"]),
        (.missingClaims(tensor: 12), ["tensor 12"]),
        (.lookupFailed(.rootMismatch(table: 2)), ["lookup", "table 2"]),
        (.publicEvaluationMismatch(tensor: 0), ["public tensor 0"]),
        (.constantEvaluationMismatch(tensor: 9), ["constant tensor 9", "key"]),
        (.adviceBatchFailed(.finalEvaluationMismatch), ["advice batch", "final claim"]),
        (.adviceOpeningFailed(.merkle(.rootMismatch)), ["C_1", "root"]),
        (.weightOpeningFailed(.malformedProof(.columnCount(expected: 149, got: 148))), ["C_W", "148", "149"]),
        (.unconsumedClaims(2), ["2 claims"]),
    ]

    @Test func everyCaseNamesItsData() {
        for (error, fragments) in Self.examples {
            for fragment in fragments {
                #expect(error.description.contains(fragment), "\(error.description)")
            }
        }
        let descriptions = Self.examples.map(\.0.description)
        #expect(Set(descriptions).count == descriptions.count)
    }

    @Test func everyCheckHasItsOwnMessage() {
        let checks: [RelationCheck] = [
            .matMulFinal, .mulFinal, .linearFinal, .concatContributions, .concatFinal(input: 0), .maxPoolLink, .maxPoolAmong,
            .conv2dInput, .conv2dKernel,
        ]
        #expect(Set(checks.map(\.description)).count == checks.count)
    }
}
