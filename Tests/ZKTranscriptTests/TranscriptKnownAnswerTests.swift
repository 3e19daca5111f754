import Foundation
import Testing
import ZKField
import ZKSodium
import ZKTranscript

/// The known-answer file written by `Vectors/make_transcript_vectors.py`, an independent Python
/// (hashlib) implementation of the documented byte layout.
struct TranscriptVectors: Decodable {
    struct Field: Decodable {
        var id: String
        var encodedByteCount: Int
        var sampleByteCount: Int
    }
    struct Operation: Decodable {
        var op: String
        var label: String
        var data: String?
        var elements: [String]?
        var value: String?
        var values: [String]?
        var count: Int?
        var expected: [String]?
        var expectedHex: String?
        var upperBound: String?
        var distinct: Bool?
        var expectedIndices: [String]?
        var state: String
    }
    struct Test: Decodable {
        var tcId: Int
        var comment: String
        var protocolLabel: String
        var initialState: String
        var operations: [Operation]
        var finalState: String
    }
    var algorithm: String
    var field: Field
    var tests: [Test]

    static func load() throws -> TranscriptVectors {
        let url = try #require(
            Bundle.module.url(forResource: "transcript-kat-v1", withExtension: "json", subdirectory: "Vectors")
                ?? Bundle.module.url(forResource: "transcript-kat-v1", withExtension: "json"))
        return try JSONDecoder().decode(TranscriptVectors.self, from: Data(contentsOf: url))
    }
}

private struct MalformedVector: Error, CustomStringConvertible {
    var description: String
}

private func element(_ hexString: String) throws -> Fr {
    guard let bytes = hexBytes(hexString) else { throw MalformedVector(description: "bad hex \(hexString)") }
    return try Fr(canonicalBytes: bytes)
}

private func required<T>(_ value: T?, _ what: String, _ tcId: Int) throws -> T {
    guard let value else { throw MalformedVector(description: "tcId \(tcId): missing \(what)") }
    return value
}

@Suite("Transcript known answers")
struct TranscriptKnownAnswerTests {
    @Test("The field described by the vectors is Fr")
    func field() throws {
        let vectors = try TranscriptVectors.load()
        #expect(vectors.field.id == Fr.fieldID)
        #expect(vectors.field.encodedByteCount == Fr.encodedByteCount)
        #expect(vectors.field.sampleByteCount == Fr.sampleByteCount)
        #expect(vectors.tests.count >= 5)
    }

    @Test("Every operation's output and state match the Python reference")
    func replay() throws {
        let vectors = try TranscriptVectors.load()
        for test in vectors.tests {
            let id = test.tcId
            var transcript = Transcript(protocolLabel: test.protocolLabel)
            #expect(transcript.state.description == test.initialState, "tcId \(id): initial state")
            for (step, op) in test.operations.enumerated() {
                let context = "tcId \(id) step \(step) (\(op.op) \"\(op.label)\")"
                switch op.op {
                case "absorbBytes":
                    let data = try required(op.data.flatMap(hexBytes), "data", id)
                    transcript.absorb(label: op.label, bytes: data)
                case "absorbElements":
                    let elements = try required(op.elements, "elements", id).map(element)
                    transcript.absorb(label: op.label, elements: elements)
                case "absorbInteger":
                    transcript.absorb(label: op.label, integer: try required(op.value.flatMap { UInt64($0) }, "value", id))
                case "absorbSignedIntegers":
                    let values = try required(op.values, "values", id).map { try required(Int64($0), "value", id) }
                    transcript.absorb(label: op.label, signedIntegers: values)
                case "challenge":
                    let expected = try required(op.expected, "expected", id).map(element)
                    let got: Fr = transcript.challenge(label: op.label)
                    #expect([got] == expected, "\(context)")
                case "challenges":
                    let expected = try required(op.expected, "expected", id).map(element)
                    let got = transcript.challenges(label: op.label, count: try required(op.count, "count", id), as: Fr.self)
                    #expect(got == expected, "\(context)")
                case "challengeBytes":
                    let got = transcript.challengeBytes(label: op.label, count: try required(op.count, "count", id))
                    #expect(hex(got) == op.expectedHex, "\(context)")
                case "challengeIndices":
                    let expected = try required(op.expectedIndices, "expectedIndices", id).map {
                        try required(Int($0), "index", id)
                    }
                    let got = try transcript.challengeIndices(
                        label: op.label, count: try required(op.count, "count", id),
                        upperBound: try required(op.upperBound.flatMap { Int($0) }, "upperBound", id),
                        distinct: try required(op.distinct, "distinct", id))
                    #expect(got == expected, "\(context)")
                default:
                    Issue.record("\(context): unknown operation")
                }
                #expect(transcript.state.description == op.state, "\(context): state")
            }
            #expect(transcript.state.description == test.finalState, "tcId \(id): final state")
        }
    }
}
