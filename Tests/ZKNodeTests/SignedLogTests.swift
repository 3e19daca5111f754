import Foundation
import Testing
import ZKNodeProtocol
import ZKSodium

/// The signed log's offline check: a valid chain passes, and every kind of change to an exported
/// log is caught with its own error.
@Suite struct SignedLogTests {
    let node = NodeIdentity.generate()

    func statement(_ i: Int, verdict: Verdict = .settled) -> LogStatement {
        LogStatement(
            requestId: String(repeating: String(i % 10), count: 64), clientRequestHash: "c", client: "client", inferenceNode: "inference",
            modelId: "model", inputHash: "in", outputHash: "out", mode: .zkml, downgraded: false, evidenceHash: "e", verdict: verdict,
            reason: "", decidedAt: Int64(1000 + i))
    }

    func log(_ count: Int) throws -> LogExport {
        var entries: [LogEntry] = []
        for i in 1...count {
            let previous = entries.last.map { ($0.position, Digest32(hex: $0.entryHash)!) }
            entries.append(try LogEntry.make(after: previous, statement: statement(i, verdict: i == 2 ? .expired : .settled), by: node))
        }
        return LogExport(node: node.publicKeyHex, entries: entries)
    }

    @Test func validLogVerifies() throws {
        let export = try log(5)
        let summary = try LogVerifier.verify(export)
        #expect(summary.entries == 5)
        #expect(summary.verdicts == ["settled": 4, "expired": 1])
        #expect(summary.headHash == export.entries.last!.entryHash)
    }

    @Test func changedStatementIsCaught() throws {
        var export = try log(4)
        var s = statement(3)
        s.verdict = .rejected
        export.entries[2].statement = try NodeJSON.encode(s).base64EncodedString()
        #expect(throws: LogVerificationError.wrongHash(position: 3)) { try LogVerifier.verify(export) }
    }

    @Test func recomputedHashWithoutTheKeyIsCaught() throws {
        var export = try log(4)
        var s = statement(3)
        s.verdict = .rejected
        let bytes = Array(try NodeJSON.encode(s))
        export.entries[2].statement = Data(bytes).base64EncodedString()
        let previous = Digest32(hex: export.entries[1].entryHash)!
        export.entries[2].entryHash = LogEntry.hash(position: 3, previous: previous, statement: bytes).description
        #expect(throws: LogVerificationError.badSignature(position: 3)) { try LogVerifier.verify(export) }
    }

    @Test func removedEntryIsCaught() throws {
        var export = try log(4)
        export.entries.remove(at: 1)
        #expect(throws: LogVerificationError.gap(expected: 2, found: 3)) { try LogVerifier.verify(export) }
    }

    @Test func reorderedEntriesAreCaught() throws {
        var export = try log(4)
        export.entries.swapAt(1, 2)
        #expect(throws: LogVerificationError.gap(expected: 2, found: 3)) { try LogVerifier.verify(export) }
    }

    @Test func renumberedEntryBreaksTheChain() throws {
        var export = try log(3)
        export.entries[1].previousHash = export.entries[0].previousHash
        #expect(throws: LogVerificationError.brokenChain(position: 2)) { try LogVerifier.verify(export) }
    }

    @Test func anotherNodesKeyIsCaught() throws {
        var export = try log(2)
        export.node = NodeIdentity.generate().publicKeyHex
        #expect(throws: LogVerificationError.badSignature(position: 1)) { try LogVerifier.verify(export) }
    }

    @Test func secondVerdictForARequestIsCaught() throws {
        let first = try LogEntry.make(after: nil, statement: statement(1), by: node)
        let second = try LogEntry.make(after: (1, Digest32(hex: first.entryHash)!), statement: statement(1), by: node)
        #expect(throws: LogVerificationError.duplicateRequest(position: 2, requestId: statement(1).requestId)) {
            try LogVerifier.verify(LogExport(node: node.publicKeyHex, entries: [first, second]))
        }
    }

    @Test func malformedNodeKeyAndStatementAreRefused() throws {
        #expect(throws: LogVerificationError.malformedNodeKey) { try LogVerifier.verify(LogExport(node: "zz", entries: [])) }
        var export = try log(1)
        export.entries[0].statement = "not base64!"
        #expect(throws: LogVerificationError.malformed(position: 1, why: "statement is not base64")) { try LogVerifier.verify(export) }
    }
}
