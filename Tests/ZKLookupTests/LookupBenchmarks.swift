import Foundation
import Testing
import ZKField
import ZKLookup
import ZKParallel
import ZKTesting
import ZKTranscript

/// Release-mode timings, opt-in (never asserted; not run in CI):
///
///     ZK_LOOKUP_BENCH=1 swift test -c release --scratch-path .build-lookup-release --filter LookupBenchmarks
///
/// Prints one line per case: median (and min) of 7 timed runs after a warm-up, for 1 and 2 threads.
@Suite("logUp-GKR benchmarks", .serialized, .enabled(if: ProcessInfo.processInfo.environment["ZK_LOOKUP_BENCH"] != nil))
struct LookupBenchmarks {
    static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    static func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

    @Test(arguments: [(10, 8), (16, 8), (16, 16), (8, 16)])
    func proveAndVerify(logLookups: Int, tableBits: Int) throws {
        var rng = SeededGenerator.forTest(stream: 900)
        let statement = LookupStatement<F>(
            tables: [try .range(bits: tableBits)], groups: [LookupGroup(table: 0, count: 1 << logLookups)])
        let witness = try statement.witness(rowIndices: [randomRows(1 << logLookups, below: 1 << tableBits, &rng)])
        for threads in [1, 2] {
            try Parallelism.$threadLimit.withValue(threads) {
                var proof: LookupProof<F>? = nil
                var proveTimes: [Double] = [], verifyTimes: [Double] = []
                for run in 0..<8 {
                    var t = callerTranscript()
                    let ms = try Self.milliseconds {
                        proof = try LogUpGKR.prove(statement: statement, witness: witness, transcript: &t, challengeField: F.self).proof
                    }
                    if run > 0 { proveTimes.append(ms) }
                }
                for run in 0..<8 {
                    var t = callerTranscript()
                    let ms = try Self.milliseconds { _ = try LogUpGKR.verify(statement: statement, proof: proof!, transcript: &t) }
                    if run > 0 { verifyTimes.append(ms) }
                }
                let line = String(
                    format: "logup 2^%d lookups into 2^%d table, %d thread(s): prove %.3f ms (min %.3f), verify %.3f ms (min %.3f), proof %d bytes",
                    logLookups, tableBits, threads, Self.median(proveTimes), proveTimes.min()!,
                    Self.median(verifyTimes), verifyTimes.min()!, proof!.encoded().count)
                print(line)
            }
        }
    }

    /// One sumcheck round's transcript work (absorb three elements, squeeze one challenge).
    @Test func transcriptRound() {
        var t = callerTranscript()
        let message = [F(1), F(2), F(3)]
        let n = 2000
        var r = F.zero
        let ms = Self.milliseconds {
            for _ in 0..<n {
                t.absorb(label: "sumcheck.round", elements: message)
                r += t.challenge(label: "sumcheck.challenge", as: F.self)
            }
        }
        print(String(format: "transcript absorb(3 elements)+challenge: %.2f us (%@)", ms * 1e3 / Double(n), r.isZero ? "0" : "."))
        var x = F(7)
        let inv = Self.milliseconds { for _ in 0..<n { x = x.inverse()! + .one } }
        print(String(format: "fr inverse: %.2f us", inv * 1e3 / Double(n)))
    }

    /// The field multiplication throughput on this machine, for reading the figures above as op counts.
    @Test func frMultiplication() {
        var x = F(3), y = F(5)
        let n = 2_000_000
        let ms = Self.milliseconds {
            for _ in 0..<n { x = x * y; y = y + x }
        }
        print(String(format: "fr mul+add: %.2f ns (%@)", ms * 1e6 / Double(n), x.isZero ? "0" : "."))
    }
}
